"""Where a screen says what went wrong, or what it is doing, in words: one widget for all.

:class:`Message` is a line (or a few) under a form or the controls: an error (dark red on
pale red), an info (dark blue on pale blue), a plain note, or nothing (hidden). The
colours follow the colour scheme: under a dark one they are reversed. The Training tab,
the image tool, the crop box editor and every lab use it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from tflab.messages import TflabError

#: Text and background colours of each kind: (light scheme, dark scheme).
COLOURS = {
    "error": (("#8c1d18", "#fde7e6"), ("#ffb4ab", "#4f1f1c")),
    "info": (("#174a7c", "#e8f1fb"), ("#b9d3ef", "#1c3250")),
}


#: What a message shows: a text, a :class:`TflabError` (shown in the user's language), or a
#: function that writes the text, called again when the language changes.
Said = str | TflabError | Callable[[], str]


class Message(QLabel):
    """A message in words, hidden while there is none. ``kind`` is "error", "info",
    "note" or "" (nothing shown).

    A message follows the language: a :class:`TflabError`, or a function that writes the
    text (``lambda: self.tr(...)``), is shown again in the new language when it changes.
    A plain string stays as it is.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.kind = ""
        self._said: Said = ""
        self.hide()

    def show_message(self, kind: str, said: Said) -> None:
        """Show ``said`` (see :data:`Said`) as an "error", an "info" or a "note" (empty text: hide)."""
        if kind not in ("error", "info", "note"):
            raise ValueError(f"unknown message kind {kind!r}")
        self._said = said
        text = words(said)
        self.kind = kind if text else ""
        self.setText(text)
        self._apply_colours()
        self.setVisible(bool(text))

    def show_error(self, error: Said) -> None:
        """An error: a :class:`TflabError` in the user's language, with its hint (or a text)."""
        self.show_message("error", error)

    def show_info(self, said: Said) -> None:
        self.show_message("info", said)

    def show_note(self, said: Said) -> None:
        self.show_message("note", said)

    def clear_message(self) -> None:
        self.show_message("note", "")

    def _apply_colours(self) -> None:
        colours = COLOURS.get(self.kind)
        if colours is None:
            sheet = ""
        else:
            dark = QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
            text, back = colours[1] if dark else colours[0]
            sheet = f"QLabel {{ color: {text}; background: {back}; border-radius: 4px; padding: 6px; }}"
        if sheet != self.styleSheet():  # setting a style sheet sends another PaletteChange
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        elif event.type() == QEvent.Type.LanguageChange and self.kind:
            self.setText(words(self._said))
        super().changeEvent(event)


def words(said: Said) -> str:
    """The text of ``said`` in the language now chosen."""
    if isinstance(said, TflabError):
        return said.full()
    return said() if callable(said) else said
