"""The glossary window: the course's words in English and Chinese, from Help > Glossary
and from the link above every lesson. It follows the language of the interface."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from tflab.labs import glossary_text
from tflab.messages import TflabError


class GlossaryDialog(QDialog):
    """A non-modal window showing the glossary page of the current language."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self._fill()

    def _fill(self) -> None:
        self.setWindowTitle(self.tr("Glossary"))
        try:
            self.view.setMarkdown(glossary_text())
        except TflabError as err:  # an installation without the page
            self.view.setPlainText(err.full())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            # The page in the new language, read from about the same place.
            bar = self.view.verticalScrollBar()
            where = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
            self._fill()
            bar.setValue(round(where * bar.maximum()))
        super().changeEvent(event)


def show_glossary(parent: QWidget) -> GlossaryDialog:
    """Show ``parent``'s one glossary window (raised when already open) and return it."""
    dialog = parent.findChild(GlossaryDialog)
    if dialog is None:
        dialog = GlossaryDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
