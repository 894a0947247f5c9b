"""Where a screen says what went wrong, in words.

:class:`ErrorBanner` is the red banner under a form: hidden while there is nothing to
say, dark red on pale red (the reverse under a dark colour scheme).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget


class ErrorBanner(QLabel):
    """A problem in words, on a red background; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setTextFormat(Qt.PlainText)
        self._apply_colours()
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    def _apply_colours(self) -> None:
        """Dark red on pale red, or the reverse under a dark colour scheme."""
        dark = QGuiApplication.palette().color(QPalette.Base).lightness() < 128
        text, back = ("#ffb4ab", "#4f1f1c") if dark else ("#8c1d18", "#fde7e6")
        sheet = f"QLabel {{ color: {text}; background: {back}; border-radius: 4px; padding: 6px; }}"
        if sheet != self.styleSheet():  # setting a style sheet sends another PaletteChange
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        super().changeEvent(event)
