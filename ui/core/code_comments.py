"""The language of the comments in every piece of code the window shows.

Comments follow the interface's language unless the user ticked "English comments" (on
the Code tab): then every code shown (the model's code, the training loop, the data
pipeline, exported scripts) keeps English comments, which is what a class working from
English material asks for. One setting, read here by each screen that writes code.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from tflab.messages import language
from ui.core.settings import settings as app_settings

#: The setting behind the "English comments" box.
ENGLISH_COMMENTS_KEY = "code/english_comments"


def english_comments() -> bool:
    """Whether the user asked for English comments in any language."""
    return app_settings().value(ENGLISH_COMMENTS_KEY, False, type=bool)


class _Notifier(QObject):
    """Tells the screens that write code that the setting changed (``sigChanged``)."""

    sigChanged = Signal()


_notifier: _Notifier | None = None


def notifier() -> _Notifier:
    """The one object whose ``sigChanged`` says the comments' language setting changed."""
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


def set_english_comments(english: bool) -> None:
    if english != english_comments():
        app_settings().setValue(ENGLISH_COMMENTS_KEY, english)
        notifier().sigChanged.emit()


def comments_language() -> str:
    """``"en"`` or ``"zh"``: the language of code comments now."""
    return "en" if english_comments() else language()
