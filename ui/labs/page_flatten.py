"""Lab 3: what ``tf.keras.layers.Flatten`` does to a real tensor.

The user types the shape of one sample ("3, 4"), picks the batch size and the
``data_format``; TensorFlow flattens a batch holding 0, 1, 2, ... (through
:func:`tflab.labs.flatten.flatten_lab`, on a worker thread) and the page shows the
shapes before and after, the values before and after (so every number can be
followed), and the code. A shape the engine refuses is explained in words.
Every change is computed again after a short pause (or at once with Run).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tflab.catalog import ParamSpec
from tflab.labs._common import shape_text
from tflab.labs.flatten import DATA_FORMATS, FlattenResult, flatten_code, flatten_lab
from tflab.messages import TflabError
from ui.core.code_comments import comments_language
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, monospace
from ui.widgets.messages import Message
from ui.widgets.param_widgets import parse_text

#: How the shape field is read: "3, 4", "(3, 4)" and "3 4" all mean [3, 4].
SHAPE = ParamSpec("shape", "shape")
#: Values printed in full; a larger tensor is shown with "..." in the middle.
PRINT_THRESHOLD = 2000


def values_text(values: list) -> str:
    """Nested lists of numbers printed as NumPy prints an array."""
    return np.array2string(np.asarray(values), threshold=PRINT_THRESHOLD, max_line_width=100)


class FlattenPage(LabPage):
    """Shape, batch and data_format in; shapes and values before and after Flatten out.

    ``shape_edit``, ``batch_spin`` and ``format_combo`` are the inputs; ``before``
    and ``after`` show the values; ``shapes_label`` the shapes. The code's comments follow
    the language (``CODE_FOLLOWS_COMMENTS``).
    """

    CODE_FOLLOWS_COMMENTS = True

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: FlattenResult | None = None
        self._error: TflabError | None = None
        self._asked_format = self._result_format = DATA_FORMATS[0]  # of the latest run, of the result shown

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.shape_label, self.batch_label, self.format_label = QLabel(self), QLabel(self), QLabel(self)
        self.shape_edit = QLineEdit("3, 4", self)
        self.shape_edit.textEdited.connect(self._later)
        self.shape_edit.returnPressed.connect(self.run)
        self.batch_spin = QSpinBox(self, minimum=1, maximum=64, value=2)
        self.batch_spin.valueChanged.connect(self._later)
        self.format_combo = QComboBox(self)
        self.format_combo.addItems(list(DATA_FORMATS))
        self.format_combo.currentIndexChanged.connect(self._later)
        self.run_button = QPushButton(self)
        self.run_button.clicked.connect(self.run)
        self.busy_label = QLabel(self)
        self.busy_label.setVisible(False)

        self.shapes_label = QLabel(self)
        self.shapes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.before_title, self.after_title = QLabel(self), QLabel(self)
        self.before, self.after = self._values_box(), self._values_box()
        self.message = Message(self)
        self.code_box = CodeBox(self)
        self.code_box.setMinimumHeight(180)

        inputs = QGridLayout()
        inputs.addWidget(self.shape_label, 0, 0)
        inputs.addWidget(self.shape_edit, 0, 1)
        inputs.addWidget(self.batch_label, 0, 2)
        inputs.addWidget(self.batch_spin, 0, 3)
        inputs.addWidget(self.format_label, 1, 0)
        inputs.addWidget(self.format_combo, 1, 1)
        inputs.setColumnStretch(1, 1)
        values = QGridLayout()
        values.addWidget(self.before_title, 0, 0)
        values.addWidget(self.after_title, 0, 1)
        values.addWidget(self.before, 1, 0)
        values.addWidget(self.after, 1, 1)
        self.results = QWidget(self)
        results = QVBoxLayout(self.results)
        results.setContentsMargins(0, 0, 0, 0)
        results.addWidget(self.shapes_label)
        results.addWidget(self.summary_label)
        results.addLayout(values, 1)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.busy_label)
        run_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(inputs)
        layout.addLayout(run_row)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.code_box)
        self._retranslate()

    def _values_box(self) -> QPlainTextEdit:
        box = QPlainTextEdit(self, readOnly=True)
        box.setFont(monospace())
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        box.setMinimumHeight(140)
        return box

    # ------------------------------------------------------------------ running
    @Slot()
    def run(self) -> None:
        """Flatten the batch the inputs describe, on a worker thread."""
        super().run()
        shape = parse_text(SHAPE, self.shape_edit.text())
        batch, data_format = self.batch_spin.value(), self.format_combo.currentText()
        comments = comments_language()
        self._asked_format = data_format
        self.runner.run(lambda: flatten_lab(shape, batch, data_format, comments))


    @Slot(object)
    def _show_result(self, result: FlattenResult) -> None:
        self._result, self._error = result, None
        self._result_format = self._asked_format
        self.message.clear_message()
        self.results.setEnabled(True)
        self.code_box.set_code(result.code)
        self.before.setPlainText(values_text(result.values_in))
        self.after.setPlainText(values_text(result.values_out))
        self._describe()


    def _comments_changed(self) -> None:
        """The code of the result shown, written again with the comments' new language (the
        lab's errors carry no code: after one, the code box still shows the result's)."""
        if self._result is not None:
            self.code_box.set_code(flatten_code(self._result.input_shape, self._result_format, comments_language()))

    def _describe(self) -> None:
        """The texts made from the last result, in the current language."""
        result = self._result
        if result is None:
            return
        self.shapes_label.setText(f"<b>{shape_text(result.input_shape)}</b> &nbsp;\u2192 Flatten \u2192&nbsp; "
                                  f"<b>{shape_text(result.output_shape)}</b>")
        sample = result.input_shape[1:]
        self.summary_label.setText(
            fill(
                self.tr("Each of the %1 samples of shape %2 became one row of %3 values. The batch "
                    "dimension (the first one) is never flattened."),
                str(result.input_shape[0]),
                shape_text(sample),
                str(math.prod(sample)),
            ))
        self.before_title.setText(fill(self.tr("Before: x, shape %1"), shape_text(result.input_shape)))
        self.after_title.setText(fill(self.tr("After: y, shape %1"), shape_text(result.output_shape)))

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Type the shape of ONE sample. TensorFlow fills a batch with 0, 1, 2, ... and flattens "
            "it, so you can follow every number."))
        self.shape_label.setText(self.tr("Shape of one sample:"))
        self.shape_edit.setToolTip(self.tr("Whole numbers separated by commas, such as 3, 4 or 2, 3, 4."))
        self.batch_label.setText(self.tr("Batch size:"))
        self.format_label.setText(self.tr("data_format:"))
        self.format_combo.setToolTip(self.tr(
            "channels_first: the channels come right after the batch; Flatten moves them to the end "
            "first, which changes the order of the values when a sample has two or more axes."))
        self.run_button.setText(self.tr("Run"))
        self.busy_label.setText(self.tr("Computing with TensorFlow..."))
        self.before_title.setText(self.tr("Before"))
        self.after_title.setText(self.tr("After"))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The lab page of lesson 3."""
    return FlattenPage(context)
