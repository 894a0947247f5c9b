"""Start the tflab desktop application: ``python -m ui [FILE]``.

:func:`main` sets up the application (names for settings, Fusion style, a light or
dark palette that follows the system, a CJK font, the translations of the language
chosen in View > Language), opens the window at once and
lets TensorFlow load in the background. A ``.tflab`` project or ``.keras`` model
given on the command line is opened after the window is shown.
"""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from tflab import __version__
from tflab.resources import resources_root
from ui.app.fonts import ensure_cjk_font
from ui.app.language import install_translations, locale_for, saved_choice
from ui.app.main_window import MainWindow
from ui.core.collector import collect_on_gui_thread
from ui.core.workers import left_running, share_python_often

ORGANIZATION = "tflab"
APPLICATION = "tflab"


def dark_palette() -> QPalette:
    """A calm dark palette for the Fusion style."""
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    muted, accent = QColor(128, 128, 128), QColor(64, 140, 230)
    for role, colour in (
        (QPalette.Window, window), (QPalette.WindowText, text), (QPalette.Base, base),
        (QPalette.AlternateBase, QColor(40, 40, 43)), (QPalette.ToolTipBase, QColor(60, 60, 64)),
        (QPalette.ToolTipText, text), (QPalette.PlaceholderText, muted), (QPalette.Text, text),
        (QPalette.Button, QColor(53, 53, 57)), (QPalette.ButtonText, text),
        (QPalette.BrightText, QColor(255, 90, 90)), (QPalette.Light, QColor(70, 70, 74)),
        (QPalette.Midlight, QColor(60, 60, 64)), (QPalette.Mid, QColor(40, 40, 43)),
        (QPalette.Dark, QColor(25, 25, 27)), (QPalette.Shadow, QColor(10, 10, 10)),
        (QPalette.Highlight, accent), (QPalette.HighlightedText, QColor(255, 255, 255)),
        (QPalette.Link, QColor(100, 170, 255)), (QPalette.LinkVisited, QColor(170, 140, 255)),
    ):
        p.setColor(role, colour)
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, muted)
    p.setColor(QPalette.Disabled, QPalette.Highlight, QColor(80, 80, 84))
    return p


def apply_color_scheme(app: QApplication) -> None:
    """Light or dark palette, as the system's colour scheme says."""
    if app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())


def set_up_language(app: QApplication, locale: QLocale) -> bool:
    """Load tflab's and Qt's translations for ``locale`` when they exist.

    Missing files are normal (English needs none): nothing is reported. The engine's
    messages follow the interface: in ``locale``'s language only when tflab's own
    translation was found, else in English. Translations loaded by an earlier call are
    removed first. Returns whether tflab's translation was found.
    """
    return install_translations(app, locale, resources_root() / "translations")


def create_application(argv: list[str]) -> QApplication:
    """The QApplication, set up; ``argv`` includes the program name."""
    app = QApplication(argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName("tflab")  # matches the installed desktop entry and icon
    app.setWindowIcon(QIcon(str(resources_root() / "icons" / "tflab.svg")))  # also when run from source
    app.setStyle("Fusion")
    apply_color_scheme(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))
    ensure_cjk_font()
    set_up_language(app, locale_for(saved_choice()))
    collect_on_gui_thread(app)  # garbage holding Qt objects is never freed on a worker thread
    share_python_often()  # the window answers while a worker runs Python
    return app


def parse_arguments(arguments: list[str]) -> argparse.Namespace:
    """The application's own command-line arguments (Qt's are removed already)."""
    parser = argparse.ArgumentParser(prog="tflab", description="tflab: learn TensorFlow and Keras.")
    parser.add_argument("files", nargs="*", help="a .tflab project or .keras model to open")
    return parser.parse_args(arguments)


def main(argv: list[str] | None = None) -> int:
    """Run the application; ``argv`` are the arguments after the program name."""
    arguments = sys.argv[1:] if argv is None else list(argv)

    # --- tflab --self-test: check the installation (see ui/app/selftest.py), then exit. ---
    if "--self-test" in arguments:
        from ui.app.selftest import run_self_test

        return run_self_test()
    # ----------------------------------------------------------------------------------

    app = create_application([sys.argv[0] if sys.argv else "tflab", *arguments])
    args = parse_arguments(app.arguments()[1:])

    window = MainWindow()
    window.show()
    QTimer.singleShot(0, lambda: window.startup(args.files))
    status = app.exec()
    window.shutdown(keep_unsaved=True)  # only does anything if the window was not closed
    if left_running():  # a file still reading when the window closed: end without it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status
