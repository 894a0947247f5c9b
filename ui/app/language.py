"""The interface language: the system's, English or Simplified Chinese.

The choice is made in View > Language and remembered in the settings
(``ui/language``): ``"system"`` (the default), ``"en"`` or ``"zh_CN"``.
:func:`install_translations` puts tflab's own translation
(``resources/translations/tflab_<locale>.qm``) and Qt's (``qtbase_<locale>.qm``, for the
buttons of message boxes and file dialogs) in place of the ones installed before, and
sets the engine's message language (:func:`tflab.messages.set_language`) to match.
Qt then sends ``QEvent.LanguageChange`` to every widget, and each writes its words again
(its ``_retranslate``), so a switch keeps everything on screen (see
:meth:`ui.app.main_window.MainWindow.switch_language`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tflab import messages
from tflab.resources import resources_root
from ui.core.settings import settings as app_settings

SETTING = "ui/language"
SYSTEM, ENGLISH, CHINESE = "system", "en", "zh_CN"
CHOICES = (SYSTEM, ENGLISH, CHINESE)

#: The object name of the translators installed here, so a later switch finds them.
_TRANSLATOR_NAME = "tflab-translator"


def translations_folder() -> Path:
    """Where tflab's ``.qm`` files are."""
    return resources_root() / "translations"


def saved_choice() -> str:
    """The language chosen in the settings: one of :data:`CHOICES` (``"system"`` if none)."""
    choice = app_settings().value(SETTING, SYSTEM, type=str)
    return choice if choice in CHOICES else SYSTEM


def save_choice(choice: str) -> None:
    """Remember ``choice`` (one of :data:`CHOICES`) for the next start."""
    app_settings().setValue(SETTING, choice)


def locale_for(choice: str) -> QLocale:
    """The locale whose translations ``choice`` loads."""
    if choice == ENGLISH:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    if choice == CHINESE:
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return QLocale.system()


def interface_language(choice: str, folder: Path | None = None) -> str:
    """The engine language (``"en"`` or ``"zh"``) the interface has once ``choice`` is
    applied: ``choice``'s own when tflab has a translation for it, else English."""
    probe = QTranslator()
    found = probe.load(locale_for(choice), "tflab", "_", str(folder or translations_folder()))
    return _engine_language(locale_for(choice)) if found else "en"


def install_translations(app: QCoreApplication, locale: QLocale, folder: Path) -> bool:
    """Replace the translators installed earlier by tflab's and Qt's for ``locale``.

    Missing files are normal (English needs none): nothing is reported. The engine's
    messages follow the interface: in ``locale``'s language only when tflab's own
    translation (in ``folder``) was found, else in English. Returns whether it was found.
    """
    _remove_translators(app)
    found = _install(app, locale, "tflab", str(folder))
    _install(app, locale, "qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    messages.set_language(_engine_language(locale) if found else "en")
    return found


def apply_choice(app: QCoreApplication, choice: str) -> bool:
    """Install the translations of ``choice`` (see :func:`install_translations`)."""
    return install_translations(app, locale_for(choice), translations_folder())


def _install(app: QCoreApplication, locale: QLocale, name: str, folder: str) -> bool:
    translator = QTranslator()
    if not translator.load(locale, name, "_", folder):
        return False
    translator.setObjectName(_TRANSLATOR_NAME)
    translator.setParent(app)  # lives as long as the application, or until the next switch
    app.installTranslator(translator)
    return True


def _remove_translators(app: QCoreApplication) -> None:
    for translator in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(translator)
        translator.setParent(None)
        translator.deleteLater()


def _engine_language(locale: QLocale) -> str:
    return "zh" if locale.language() == QLocale.Language.Chinese else "en"
