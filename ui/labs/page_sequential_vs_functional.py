"""Lab 1: the same idea written two ways, Sequential and Functional.

Two example models side by side (:func:`tflab.labs.sequential_vs_functional.example_graphs`):
a stack, which Sequential can build, and a model with two inputs and a shared layer,
which it cannot (the graph's own ``not_a_stack_reason()`` says why). Each model's
code is shown in every style that can write it (:func:`tflab.codegen.generate`), one
tab per style; a style that cannot write a model has its tab disabled, with the
reason as its tooltip. Each model opens in the editor with one click. Nothing here
needs TensorFlow.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from tflab import messages
from tflab.codegen import generate
from tflab.graph import ModelGraph
from tflab.labs.sequential_vs_functional import example_graphs
from tflab.messages import TflabError
from ui.labs.common import CodeBox, LabContext, LabPage
from ui.widgets.messages import Message

#: The code styles compared, one tab each.
STYLES = ("sequential", "functional")


class _ExampleColumn(QGroupBox):
    """One example model: whether Sequential can build it, its code in each style, an Open button.

    ``code_boxes[style]`` holds the code in ``style``; ``tabs`` shows one at a time.
    """

    def __init__(self, index: int, context: LabContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = index
        self._context = context
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.open_button = QPushButton(self)
        self.open_button.setEnabled(context.open_graph is not None)
        self.open_button.clicked.connect(self.open_in_editor)
        self.code_boxes = {style: CodeBox(self) for style in STYLES}
        self.tabs = QTabWidget(self)
        for style in STYLES:
            self.tabs.addTab(self.code_boxes[style], "")
        self.tabs.setMinimumHeight(320)
        self.message = Message(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.open_button)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self._retranslate()

    def graph(self) -> ModelGraph:
        """A fresh copy of this column's example model."""
        return example_graphs()[self.index]

    def _retranslate(self) -> None:
        titles = (self.tr("A stack: one input, one layer after another"),
                  self.tr("Two inputs and one shared layer"))
        self.setTitle(titles[self.index])
        self.open_button.setText(self.tr("Open in the editor"))
        self.tabs.setTabText(STYLES.index("sequential"), "tf.keras.Sequential")
        self.tabs.setTabText(STYLES.index("functional"), self.tr("Functional API"))
        reason = self.graph().not_a_stack_reason()
        sequential_tab = STYLES.index("sequential")
        if reason is None:
            title = self.tr("Sequential can build it.")
            why = self.tr("There is one input, and each layer is used once, right after the one before "
                          "it. The Functional API can build it too.")
            self.verdict.setText(f"<b>{title}</b> {why}")
            self.tabs.setTabToolTip(sequential_tab, "")
        else:
            title = self.tr("Sequential cannot build it.")
            self.verdict.setText(f"<b>{title}</b> {messages.tr(*reason)}")
            self.tabs.setTabToolTip(sequential_tab, messages.tr(*reason))

    def show_code(self) -> None:
        """Write the model in every style that can; a style that cannot gets a disabled tab."""
        self.message.clear_message()
        stack = self.graph().is_stack()
        for position, style in enumerate(STYLES):
            possible = stack or style != "sequential"
            self.tabs.setTabEnabled(position, possible)
            if not possible:
                continue
            try:
                self.code_boxes[style].set_code(generate(self.graph(), style))
            except TflabError as err:
                self.message.show_error(err)
        if not self.tabs.isTabEnabled(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(STYLES.index("functional"))

    @Slot()
    def open_in_editor(self) -> None:
        """Hand the model to the editor (the window asks about unsaved work first)."""
        if self._context.open_graph is not None:
            self._context.open_graph(self.graph())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class SequentialVsFunctionalPage(LabPage):
    """The two example models side by side; ``columns[i]`` shows ``example_graphs()[i]``.

    The code is written at once on the GUI thread (no TensorFlow): :meth:`run` needs no
    runner, and each column shows its own errors.
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.columns = [_ExampleColumn(i, context, self) for i in range(len(example_graphs()))]
        row = QHBoxLayout()
        for column in self.columns:
            row.addWidget(column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row, 1)
        self._retranslate()
        self.run()

    @Slot()
    def run(self) -> None:
        """Write both models' code."""
        super().run()
        for column in self.columns:
            column.show_code()

    def _show_result(self, result: object) -> None:
        """Nothing comes from the runner: the columns write their code themselves."""

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Both models are made of layers. Sequential only stacks them, top to bottom; the "
            "Functional API calls each layer on tensors, so a model can have several inputs and "
            "use one layer twice. Compare the code of each, then open a model in the editor."))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The lab page of lesson 1."""
    return SequentialVsFunctionalPage(context)
