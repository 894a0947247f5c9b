"""Lab page "stack and unstack": tensors of the shapes typed, stacked along an axis, drawn as blocks.

The student lists tensor shapes (one per row, e.g. ``2, 3``) and picks an axis.
:func:`tflab.labs.stack_unstack.stack_lab` stacks them with ``tf.stack`` and splits the
result with ``tf.unstack`` on a worker; the page shows the stacked shape (the new axis
highlighted), the unstacked shapes, and draws every tensor as a block of cells
coloured by the input each value came from (tensor ``i`` counts from ``i * 100``).
Shapes that differ or an axis out of range show TensorFlow's error, explained.
The first showing computes at once; then inputs update the answer live (debounced).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tflab.catalog import ParamSpec
from tflab.labs.stack_unstack import MAX_TENSORS, OFFSET, StackResult, stack_lab
from tflab.messages import TflabError
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, monospace
from ui.widgets.messages import Message
from ui.widgets.param_widgets import parse_text

#: One colour per input tensor (value // OFFSET picks it).
COLOURS = ("#42a5f5", "#ef5350", "#66bb6a", "#ffa726", "#ab47bc", "#26c6da", "#d4e157", "#8d6e63")
#: Most cells a block draws one by one; larger tensors are drawn as a plain block.
MAX_CELLS = 600
#: Most 2-D slices drawn for a tensor of rank 3 or more.
MAX_SLICES = 8
#: How a shape typed in a row is read: "2, 3", "(2, 3)" or "2 3" are [2, 3]; "()" is a scalar.
SHAPE = ParamSpec("shape", "shape")


def shape_label(shape: Sequence[int], highlight: int | None = None) -> str:
    """A shape as rich text, e.g. ``(2, <b>3</b>, 4)`` with dimension ``highlight`` in bold."""
    dims = [f"<b><u>{d}</u></b>" if i == highlight else str(d) for i, d in enumerate(shape)]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


class CellGrid(QWidget):
    """A tensor's values drawn as cells coloured by their source input.

    Rank 0 is one cell, rank 1 a row, rank 2 a grid. Rank 3 is a row of 2-D slices
    (along the first axis); higher ranks are rows of such rows (the leading
    dimensions flattened). A tensor with more than :data:`MAX_CELLS` values is drawn
    as one block.
    """

    CELL = 22
    GAP = 8

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.values = np.zeros(0)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_values(self, values: np.ndarray) -> None:
        """Draw ``values`` (any rank)."""
        self.values = np.asarray(values)
        self.updateGeometry()
        self.update()

    def _slices(self) -> np.ndarray:
        """The values as a 4-D array: rows of 2-D slices (at most MAX_SLICES in a row)."""
        if self.values.ndim < 3:
            grid = np.atleast_2d(self.values)
            return grid.reshape(1, 1, *grid.shape)
        blocks = self.values.reshape(-1, *self.values.shape[-3:])
        return blocks[:MAX_SLICES, :MAX_SLICES]

    def truncated(self) -> bool:
        """True when some slices are left out of the drawing (too many to show)."""
        return self._slices().size < self.values.size

    def _cell(self) -> int:
        blocks = self._slices()
        rows, columns = blocks.shape[0] * blocks.shape[2], blocks.shape[1] * blocks.shape[3]
        return max(6, min(self.CELL, 320 // max(1, rows), 560 // max(1, columns)))

    def _too_big(self) -> bool:
        return self.values.size > MAX_CELLS or self.values.size == 0

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.update()  # a large tensor's block says "N values" in the language chosen
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        if self._too_big():
            return QSize(120, 60)
        count, per_row, height, width = self._slices().shape
        cell = self._cell()
        more = 2 * self.GAP if self.truncated() else 0
        return QSize(per_row * (width * cell + self.GAP) + more, count * (height * cell + self.GAP) + more)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.values.size == 0:
            return
        painter = QPainter(self)
        if self._too_big():
            source = int(self.values.flat[0]) // OFFSET
            painter.fillRect(QRectF(0, 0, 120, 60), QColor(COLOURS[source % len(COLOURS)]))
            painter.setPen(QColor("#000000"))
            painter.drawText(QRectF(0, 0, 120, 60), Qt.AlignmentFlag.AlignCenter,
                             fill(self.tr("%1 values"), f"{self.values.size:,}"))
        else:
            self._paint_cells(painter)
        painter.end()

    def _paint_cells(self, painter: QPainter) -> None:
        blocks = self._slices()
        cell = self._cell()
        font = QFont(monospace())
        font.setPixelSize(max(6, cell // 2))
        painter.setFont(font)
        border = QPen(QColor(0, 0, 0, 90))
        _, _, height, width = blocks.shape
        for (block_row, block_col, row, col), value in np.ndenumerate(blocks):
            rect = QRectF(block_col * (width * cell + self.GAP) + col * cell,
                          block_row * (height * cell + self.GAP) + row * cell, cell, cell)
            painter.fillRect(rect, QColor(COLOURS[(int(value) // OFFSET) % len(COLOURS)]))
            painter.setPen(border)
            painter.drawRect(rect)
            if cell >= 18:
                painter.setPen(QColor("#000000"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(int(value)))
        if self.truncated():
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, "…")


class TensorBlock(QWidget):
    """A :class:`CellGrid` with a caption under it (rich text, e.g. the shape)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = CellGrid()
        self.caption = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addWidget(self.caption)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_values(self, values: np.ndarray, caption: str) -> None:
        """Show ``values`` under ``caption``."""
        self.grid.set_values(values)
        self.caption.setText(caption)
        self.layout().activate()
        self.updateGeometry()


class ShapeRow(QWidget):
    """One input tensor's shape: a line edit and a remove button.

    Signals:
        sigRemove(): the remove button was pressed.
    """

    sigRemove = Signal()

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(text)
        self.remove_button = QToolButton(text="✕")
        self.remove_button.clicked.connect(self.sigRemove)
        self.caption = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.remove_button)
        self._retranslate()

    def _retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("e.g. 2, 3"))
        self.remove_button.setToolTip(self.tr("Remove this tensor"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class StackUnstackPage(LabPage):
    """Shapes and axis in, stacked and unstacked shapes and blocks out.

    Attributes for tests: ``runner``, ``code_box``, ``message``, ``rows`` (the
    :class:`ShapeRow` list), ``add_button``, ``axis_spin``, ``run_button``,
    ``stacked_label``, ``unstacked_label``, ``input_blocks``, ``result_block`` and
    ``result`` (the latest :class:`StackResult`, None after an error).
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: StackResult | None = None
        self.rows: list[ShapeRow] = []
        self.input_blocks: list[TensorBlock] = []
        self._requested: list[Any] = []  # the shapes and axis of the latest request
        self._requested_axis = 0
        self._new_axis = 0  # the new axis of the latest result (in 0 .. rank - 1)

        self._rows_box = QVBoxLayout()
        self.inputs_box = QGroupBox()
        self.add_button = QPushButton()
        self.axis_label = QLabel()
        self.axis_spin = QSpinBox(minimum=-9, maximum=9, value=0)
        self.run_button = QPushButton()
        self.stacked_title, self.unstacked_title = QLabel(), QLabel()
        self.stacked_label = QLabel()
        self.unstacked_label = QLabel()
        self.unstacked_label.setWordWrap(True)
        self.inputs_title, self.result_title = QLabel(), QLabel()
        self.message = Message()
        self.result_block = TensorBlock()
        self._inputs_row = QHBoxLayout()
        self._inputs_row.addStretch(1)
        self.code_box = CodeBox()
        self._layout()

        for text in ("2, 3", "2, 3"):
            self.add_shape(text)
        self.add_button.clicked.connect(lambda: self.add_shape(self.rows[-1].edit.text() if self.rows else "3"))
        self.axis_spin.valueChanged.connect(self._later)
        self.run_button.clicked.connect(self.run)
        self._retranslate()

    @property
    def result(self) -> StackResult | None:
        """The latest result (None before the first one and after an error)."""
        return self._result

    def _layout(self) -> None:
        box = QVBoxLayout(self.inputs_box)
        box.addLayout(self._rows_box)
        box.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow(self.axis_label, self.axis_spin)
        box.addLayout(form)
        box.addWidget(self.run_button)
        box.addStretch(1)

        self.results = QWidget()
        answer = QFormLayout(self.results)
        answer.setContentsMargins(0, 0, 0, 0)
        answer.addRow(self.stacked_title, self.stacked_label)
        answer.addRow(self.unstacked_title, self.unstacked_label)

        drawing = QWidget()
        draw_layout = QVBoxLayout(drawing)
        draw_layout.addWidget(self.inputs_title)
        draw_layout.addLayout(self._inputs_row)
        draw_layout.addWidget(self.result_title)
        draw_layout.addWidget(self.result_block)
        draw_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(drawing)
        scroll.setWidgetResizable(True)

        right = QVBoxLayout()
        right.addWidget(self.results)
        right.addWidget(self.message)
        right.addWidget(scroll, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.inputs_box)
        top.addWidget(right_widget)
        top.setStretchFactor(1, 1)
        top.setSizes([260, 640])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.code_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _retranslate(self) -> None:
        self.inputs_box.setTitle(self.tr("Tensors to stack (shapes)"))
        self.add_button.setText(self.tr("Add a tensor"))
        self.axis_label.setText(self.tr("axis:"))
        self.run_button.setText(self.tr("Run"))
        self.stacked_title.setText(self.tr("tf.stack gives shape:"))
        self.unstacked_title.setText(self.tr("tf.unstack gives back:"))
        self.inputs_title.setText(self.tr("Inputs (each colour is one tensor):"))
        self.result_title.setText(self.tr("Stacked (the new axis in bold):"))
        self._retranslate_answer()

    # ---------------------------------------------------------------- inputs

    def add_shape(self, text: str) -> ShapeRow | None:
        """Add a tensor row with shape ``text``; None when there are already :data:`MAX_TENSORS`."""
        if len(self.rows) >= MAX_TENSORS:
            return None
        row = ShapeRow(text)
        row.edit.textChanged.connect(self._later)
        row.sigRemove.connect(lambda: self.remove_shape(row))
        self.rows.append(row)
        self._rows_box.addWidget(row)
        self._update_rows()
        self._later()
        return row

    def remove_shape(self, row: ShapeRow) -> None:
        """Remove ``row`` (the last row stays)."""
        if len(self.rows) <= 1 or row not in self.rows:
            return
        self.rows.remove(row)
        row.deleteLater()
        self._update_rows()
        self._later()

    def _update_rows(self) -> None:
        for i, row in enumerate(self.rows):
            row.caption.setText(f"t{i}")
            row.caption.setStyleSheet(f"color: {COLOURS[i % len(COLOURS)]}; font-weight: bold;")
            row.remove_button.setEnabled(len(self.rows) > 1)
        self.add_button.setEnabled(len(self.rows) < MAX_TENSORS)

    def shapes(self) -> list[Any]:
        """The shapes typed (lists of sizes; text the engine will refuse is passed on as text)."""
        return [parse_text(SHAPE, row.edit.text()) for row in self.rows]

    @Slot()
    def run(self) -> None:
        """Stack and unstack the tensors typed, on a worker."""
        super().run()
        shapes, axis = self.shapes(), self.axis_spin.value()
        self._requested, self._requested_axis = shapes, axis
        self.runner.run(lambda: stack_lab(shapes, axis))

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        super()._on_busy(busy)
        self.run_button.setEnabled(not busy)

    # ---------------------------------------------------------------- answers

    @Slot(object)
    def _show_result(self, result: StackResult) -> None:
        self._result, self._error = result, None
        self.results.setEnabled(True)
        self._new_axis = new_axis = self._requested_axis % len(result.stacked_shape)
        self.stacked_label.setText(shape_label(result.stacked_shape, new_axis))
        self._show_inputs(self._requested)
        self.result_block.set_values(np.array(result.stacked_values),
                                     f"tf.stack(axis={new_axis}) {shape_label(result.stacked_shape, new_axis)}")
        self.code_box.set_code(result.code)
        self.message.show_note(lambda: self.tr(
            "Unstacking along the same axis gives the inputs back: tf.unstack(tf.stack(ts, axis), axis) == ts."))
        self._describe()

    def _describe(self) -> None:
        """The texts made from the last result, in the current language."""
        result = self._result
        if result is None:
            return
        self.stacked_label.setToolTip(fill(
            self.tr("Dimension %1 is the new axis: one entry per input tensor."),
            str(self._new_axis),
        ))
        self.unstacked_label.setText(fill(
            self.tr("%n tensor(s) of shape %1", "", len(result.unstacked_shapes)),
            shape_label(result.unstacked_shapes[0]),
        ))

    def _show_inputs(self, typed: list[Any]) -> None:
        """Draw one block per input when every shape typed is valid (and small enough)."""
        shapes = [tuple(s) for s in typed if isinstance(s, list) and
                  all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in s)]
        if len(shapes) < len(typed) or sum(math.prod(s) for s in shapes) > MAX_TENSORS * MAX_CELLS:
            shapes = []
        while len(self.input_blocks) < len(shapes):
            block = TensorBlock()
            self._inputs_row.insertWidget(len(self.input_blocks), block)
            self.input_blocks.append(block)
        while len(self.input_blocks) > len(shapes):
            self.input_blocks.pop().deleteLater()
        for i, (block, shape) in enumerate(zip(self.input_blocks, shapes)):
            start = i * OFFSET
            block.set_values(np.arange(start, start + math.prod(shape)).reshape(shape),
                             f"t{i} {shape_label(shape)}")

    @Slot(object)
    def _show_error(self, err: TflabError) -> None:
        """Clear the answer (the inputs typed are still drawn when they can be) and explain."""
        self._result = None
        self.stacked_label.setText("—")
        self.stacked_label.setToolTip("")
        self.unstacked_label.setText("—")
        self._show_inputs(self._requested)
        self.result_block.set_values(np.zeros(0), "")
        super()._show_error(err)
        self.code_box.set_code(getattr(err, "code", "") or "")  # the failing program, or none


def create(context: LabContext) -> QWidget:
    """The stack / unstack lab page."""
    return StackUnstackPage(context)
