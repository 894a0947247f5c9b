"""The project's own layer code in the editor: the review dialog and the bar above the model.

A project can carry Python code that defines layer classes
(:attr:`tflab.graph.ModelGraph.custom_code`). Reading it (palette, inspector, code
view) never runs it; shape inference and training do, so they only get to once the
code is allowed (:func:`tflab.custom_layers.allow`):

- code the user wrote here (the custom layers lab) or agreed to run is *trusted*: this
  installation remembers a digest of its exact text (:func:`ui.core.trust.trust`), so the project
  opens without a question next time;
- any other code (a project made on another computer, or edited outside tflab) shows
  :class:`CustomCodeBar` above the model until the user has read it in
  :class:`CustomCodeDialog` and pressed "Run this code".

Only digests are stored, never a token that a file could copy: a file can only claim
trust for text the user has already approved, word for word.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tflab import custom_layers
from ui.core.text import fill
from ui.core.trust import class_list
from ui.widgets.code import PythonHighlighter, is_dark, monospace_font


class CustomCodeDialog(QDialog):
    """The project's custom code, read-only, with "Run this code" when it is not allowed yet.

    ``accepted`` means the user agreed to run it. Attributes for tests: ``code_view``,
    ``run_button`` (None when the code is already allowed), ``text_label``.
    """

    def __init__(self, source: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._allowed = custom_layers.is_allowed(source)
        self._names = class_list(source)
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        shown, hidden = custom_layers.reviewable(source)
        # Every character Python runs is on screen: long lines wrap (a payload cannot hide
        # to the right), and invisible or direction-changing characters show as marks.
        self._hidden = hidden
        self.hidden_label = QLabel()
        self.hidden_label.setWordWrap(True)
        self.hidden_label.setStyleSheet("color: #b00020;")
        self.hidden_label.setVisible(bool(hidden))
        self.code_view = QPlainTextEdit(readOnly=True)
        self.code_view.setFont(monospace_font())
        self.code_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.code_view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.code_view.document().setDefaultTextOption(self._left_to_right(self.code_view.document()))
        self.code_view.setPlainText(shown)
        self._highlighter = PythonHighlighter(self.code_view.document(), is_dark(self.palette()))
        buttons = QDialogButtonBox()
        self.run_button: QPushButton | None = None
        self._cancel_button: QPushButton | None = None
        if self._allowed:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        else:
            self.run_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
            self.run_button.setAutoDefault(False)  # Enter must never run code: it says "Do not run it"
            cancel = self._cancel_button = buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
            cancel.setDefault(True)
            cancel.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.hidden_label)
        layout.addWidget(self.code_view, 1)
        layout.addWidget(buttons)
        self.resize(720, 560)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Custom layer code of this project"))
        names = self._names
        if self._allowed:
            text = fill(self.tr("This project defines its own layers in Python: %1. The code below has run in "
                           "this session; its layers work like any Keras layer."), names)
        else:
            text = fill(self.tr("This project defines its own layers in Python: %1. The code came from another "
                           "computer (or was changed outside tflab), so it has not run: these layers show "
                           "no shapes and cannot train yet.\n\nRunning it gives it the same access to this "
                           "computer as any program you start. Read it, and run it only if you trust "
                           "where the project came from."), names)
        self.text_label.setText(text)
        self.hidden_label.setText(self._hidden_text(self._hidden))
        if self.run_button is not None:
            self.run_button.setText(self.tr("Run this code"))
        if self._cancel_button is not None:
            self._cancel_button.setText(self.tr("Do not run it"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @staticmethod
    def _left_to_right(document) -> QTextOption:
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        return option

    def _hidden_text(self, hidden: list) -> str:
        if not hidden:
            return ""
        places = "; ".join(fill(
            self.tr("line %1, column %2: U+%3 %4"),
            str(h.line),
            str(h.column),
            f"{h.codepoint:04X}",
            h.name(),
        ) for h in hidden[:8])
        more = fill(self.tr(" (and %1 more)"), str(len(hidden) - 8)) if len(hidden) > 8 else ""
        return fill(self.tr("Careful: this code has %1 invisible or direction-changing characters, shown "
                       "as ⟦U+…⟧ marks. Such characters can make code look different from what runs. "
                       "Where: %2%3."), str(len(hidden)), places, more)


class CustomCodeBar(QFrame):
    """A bar above the model while the project has custom code that has not been allowed.

    Signals:
        sigReview(): the user wants to read the code (and perhaps run it).
    """

    sigReview = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("CustomCodeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#CustomCodeBar { background: #fff4ce; border: 1px solid #e0c060; }"
                           "#CustomCodeBar QLabel { color: #3d3000; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_button = QPushButton(self)
        self.review_button.clicked.connect(self.sigReview)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.review_button)
        self._names = ""
        self.retranslate()
        self.hide()

    def show_for(self, source: str) -> None:
        """Show the bar for ``source`` when it may not run; hide it otherwise."""
        self._names = class_list(source)
        self.retranslate()
        self.setVisible(bool(source) and not custom_layers.is_allowed(source))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.label.setText(fill(self.tr(
            "This project has its own layers (%1) written in Python on another computer. The code has "
            "not run, so they show no shapes and cannot train."), self._names))
        self.review_button.setText(self.tr("Read the code…"))
