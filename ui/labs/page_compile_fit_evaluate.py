"""Lab 2: the settings of a training, written as ``compile``, ``fit`` and ``evaluate``.

The page starts from :func:`tflab.labs.compile_fit_evaluate.default_training` and
shows which call each setting belongs to. Changing a setting rewrites the program at
once: the course's MNIST classifier, written by :func:`tflab.codegen.generate`, whose
three calls are highlighted. "Open in the training panel" hands the settings to the
Training tab (``LabContext.open_training``). Nothing here needs TensorFlow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tflab.codegen import generate
from tflab.graph import ModelGraph
from tflab.labs.compile_fit_evaluate import default_training
from tflab.messages import TflabError
from tflab.project import starter_project
from tflab.trainer import OPTIMIZERS
from ui.labs.common import CodeBox, LabContext, LabPage
from ui.widgets.messages import Message

#: The calls the code box highlights, in the order the program makes them.
CALLS = ("model.compile(", "model.fit(", "model.evaluate(")


def course_model() -> ModelGraph:
    """The model the program trains: File > New's model, a 28 x 28 digit in, 10 class
    probabilities out (:func:`tflab.project.starter_project`)."""
    return starter_project().graph


class CompileFitEvaluatePage(LabPage):
    """The training settings as a form, and the program they make.

    ``optimizer_combo``, ``rate_spin``, ``epochs_spin`` and ``batch_spin`` edit the
    settings; :meth:`settings` gives them as the Training tab takes them. The program
    is written at once on the GUI thread (no TensorFlow): :meth:`run` needs no runner.
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: str | None = None
        self._error: TflabError | None = None
        self._context = context
        defaults = default_training()
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)

        self.optimizer_combo = QComboBox(self)
        self.optimizer_combo.addItems(list(OPTIMIZERS))
        self.rate_spin = QDoubleSpinBox(self, decimals=5, minimum=0.00001, maximum=1.0, singleStep=0.0005)
        self.loss_value = QLabel(f"<code>{defaults['loss']}</code>", self)
        self.metrics_value = QLabel(f"<code>{defaults['metrics']}</code>", self)
        self.epochs_spin = QSpinBox(self, minimum=1, maximum=500)
        self.batch_spin = QSpinBox(self, minimum=1, maximum=1024)
        self.dataset_value = QLabel(f"<code>{defaults['dataset']}</code>", self)

        self.compile_box, compile_form = self._group()
        self._compile_labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self._compile_labels, (self.optimizer_combo, self.rate_spin,
                                                       self.loss_value, self.metrics_value)):
            compile_form.addRow(label, field)
        self.fit_box, fit_form = self._group()
        self._fit_labels = [QLabel(self) for _ in range(3)]
        for label, field in zip(self._fit_labels, (self.epochs_spin, self.batch_spin, self.dataset_value)):
            fit_form.addRow(label, field)
        self.evaluate_box, evaluate_form = self._group()
        self.evaluate_text = QLabel(self)
        self.evaluate_text.setWordWrap(True)
        evaluate_form.addRow(self.evaluate_text)

        self.open_button = QPushButton(self)
        self.open_button.setEnabled(context.open_training is not None)
        self.open_button.clicked.connect(self.open_in_training)
        self.reset_button = QPushButton(self)
        self.reset_button.clicked.connect(self.reset)
        self.code_box = CodeBox(self)
        self.code_box.setMinimumHeight(320)
        self.message = Message(self)

        groups = QGridLayout()
        groups.addWidget(self.compile_box, 0, 0)
        groups.addWidget(self.fit_box, 0, 1)
        groups.addWidget(self.evaluate_box, 1, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(groups)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.code_box, 1)

        self._retranslate()
        self.reset()
        self.optimizer_combo.currentIndexChanged.connect(self.run)
        for spin in (self.rate_spin, self.epochs_spin, self.batch_spin):
            spin.valueChanged.connect(self.run)

    def _group(self) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(self)
        return box, QFormLayout(box)

    # ------------------------------------------------------------------ settings
    def settings(self) -> dict[str, Any]:
        """The settings shown: :func:`default_training` with the values of the form."""
        settings = default_training()
        settings.update(
            optimizer=self.optimizer_combo.currentText(),
            learning_rate=self.rate_spin.value(),
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_spin.value(),
        )
        return settings

    @Slot()
    def reset(self) -> None:
        """Back to :func:`default_training`."""
        defaults = default_training()
        fields = (self.optimizer_combo, self.rate_spin, self.epochs_spin, self.batch_spin)
        for field in fields:
            field.blockSignals(True)
        self.optimizer_combo.setCurrentText(defaults["optimizer"])
        self.rate_spin.setValue(defaults["learning_rate"])
        self.epochs_spin.setValue(defaults["epochs"])
        self.batch_spin.setValue(defaults["batch_size"])
        for field in fields:
            field.blockSignals(False)
        self.run()

    @Slot()
    def run(self) -> None:
        """Write the program for the settings shown, its three calls highlighted."""
        super().run()
        try:
            code = generate(course_model(), "sequential", script=True, training=self.settings())
        except TflabError as err:
            self._show_error(err)
            return
        self._show_result(code)

    def _show_result(self, code: str) -> None:
        self._result, self._error = code, None
        self.message.clear_message()
        self.code_box.set_code(code)
        self._highlight_calls()

    @Slot()
    def open_in_training(self) -> None:
        """Hand the settings to the Training tab."""
        if self._context.open_training is not None:
            self._context.open_training(self.settings())

    # ------------------------------------------------------------------ display
    def _highlight_calls(self) -> None:
        """Mark the lines from ``model.compile(`` to the end (the three calls) and scroll to them."""
        editor = self.code_box.editor
        start = editor.document().find(CALLS[0])
        if start.isNull():
            return
        start.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        marked = QTextCursor(start)
        marked.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = marked
        selection.format.setBackground(self.palette().color(QPalette.ColorRole.AlternateBase))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        editor.setExtraSelections([selection])
        editor.setTextCursor(start)
        editor.centerCursor()

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Training takes three calls. compile chooses how to learn, fit learns from the training "
            "data, evaluate measures on data the model never saw. Change a setting and watch the "
            "program change; the training panel trains the same way on the MNIST digits."))
        self.compile_box.setTitle("model.compile(...)")
        self.fit_box.setTitle("model.fit(...)")
        self.evaluate_box.setTitle("model.evaluate(...)")
        for label, text in zip(self._compile_labels, (self.tr("optimizer"), self.tr("learning_rate"),
                                                      self.tr("loss"), self.tr("metrics"))):
            label.setText(text)
        for label, text in zip(self._fit_labels, (self.tr("epochs"), self.tr("batch_size"), self.tr("data"))):
            label.setText(text)
        self.optimizer_combo.setToolTip(self.tr("The rule that changes the weights after each batch."))
        self.rate_spin.setToolTip(self.tr("The step size: too large jumps around, too small crawls."))
        self.loss_value.setToolTip(self.tr("The digits' labels are class numbers 0-9, so the loss is the "
                                           "sparse categorical cross-entropy."))
        self.metrics_value.setToolTip(self.tr("Numbers to watch; they do not change the training."))
        self.epochs_spin.setToolTip(self.tr("How many times the whole training set is used."))
        self.batch_spin.setToolTip(self.tr("How many samples are used for each update of the weights."))
        self.dataset_value.setToolTip(self.tr("10,000 handwritten digits of 28 x 28 pixels (MNIST), bundled with tflab."))
        self.evaluate_text.setText(self.tr(
            "Measures the loss and the metrics on the test data, which the model never saw while "
            "training. Much better training than test numbers mean the model learned the training "
            "data by heart."))
        self.open_button.setText(self.tr("Open in the training panel"))
        self.reset_button.setText(self.tr("Back to the defaults"))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The lab page of lesson 2."""
    return CompileFitEvaluatePage(context)
