"""Lab 5: a ``tf.data`` pipeline built from small arrays, one operation at a time.

The user describes the data (one array, a tuple of arrays or a dict of arrays, each
a shape and a fill) and a list of operations (shuffle, batch, repeat, map) that can
be added and removed. TensorFlow builds the dataset on a worker thread
(:func:`tflab.labs.tf_data.from_tensor_slices_lab`); the page shows its
``element_spec``, its cardinality, its first elements and the code. Arrays whose
first dimensions differ give TensorFlow's own error, explained, with the program
that shows it in the code box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tflab.catalog import ParamSpec
from tflab.labs.tf_data import DTYPES, FILLS, INFINITE, MAP_FUNCTIONS, ArraySpec, DatasetResult, from_tensor_slices_lab
from tflab.messages import TflabError
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, PageError, monospace, note_text
from ui.widgets.messages import Message
from ui.widgets.param_widgets import parse_text

SHAPE = ParamSpec("shape", "shape")
#: The ways to give the data: one array, a tuple of arrays, a dict of arrays.
KINDS = ("array", "tuple", "dict")
#: The operations, in the order the "Add" menu lists them.
OPERATIONS = ("shuffle", "batch", "repeat", "map")


class ArrayRow(QWidget):
    """One array of the data: its key (for a dict), shape, fill, first value and type.

    Signals:
        sigChanged(): the user changed the array.
        sigRemove(): the user asked to remove it.
    """

    sigChanged = Signal()
    sigRemove = Signal()

    def __init__(self, name: str, shape: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setMaximumWidth(110)
        self.shape_edit = QLineEdit(shape, self)
        self.fill_combo = QComboBox(self)
        self.fill_combo.addItems(list(FILLS))
        self.start_spin = QSpinBox(self, minimum=-1000, maximum=1000)
        self.dtype_combo = QComboBox(self)
        self.dtype_combo.addItems(list(DTYPES))
        self.remove_button = QToolButton(self, text="\u2715", autoRaise=True)
        self.remove_button.clicked.connect(self.sigRemove)
        self.start_label = QLabel(self)
        self.shape_label = QLabel(self)
        for edit in (self.name_edit, self.shape_edit):
            edit.textEdited.connect(self.sigChanged)
        for combo in (self.fill_combo, self.dtype_combo):
            combo.currentIndexChanged.connect(self.sigChanged)
        self.fill_combo.currentIndexChanged.connect(self._show_start)
        self.start_spin.valueChanged.connect(self.sigChanged)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.name_edit, self.shape_label, self.shape_edit, self.fill_combo, self.start_label,
                       self.start_spin, self.dtype_combo, self.remove_button):
            layout.addWidget(widget)
        layout.setStretch(2, 1)
        self.retranslate()

    def spec(self) -> ArraySpec:
        """The array as the engine takes it (the engine judges the shape)."""
        return ArraySpec(parse_text(SHAPE, self.shape_edit.text()), self.fill_combo.currentText(),
                         self.start_spin.value(), self.dtype_combo.currentText())

    def name(self) -> str:
        return self.name_edit.text().strip()

    @Slot()
    def _show_start(self) -> None:
        counting = self.fill_combo.currentText() == "arange"
        self.start_label.setVisible(counting)
        self.start_spin.setVisible(counting)

    def retranslate(self) -> None:
        self.name_edit.setPlaceholderText(self.tr("key"))
        self.name_edit.setToolTip(self.tr("The key of this array in the dict"))
        self.shape_edit.setPlaceholderText(self.tr("shape, such as 6, 2"))
        self.shape_edit.setToolTip(self.tr("The array's shape: the first number is how many elements it gives"))
        self.fill_combo.setToolTip(self.tr("arange counts up: start, start + 1, ...; zeros and ones fill"))
        self.shape_label.setText(self.tr("shape"))
        self.start_label.setText(self.tr("from"))
        self.remove_button.setToolTip(self.tr("Remove this array"))


class OperationRow(QWidget):
    """One dataset operation and its arguments.

    Signals:
        sigChanged(): the user changed the operation.
        sigRemove(): the user asked to remove it.
    """

    sigChanged = Signal()
    sigRemove = Signal()

    def __init__(self, operation: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItems(list(OPERATIONS))
        self.buffer_spin = QSpinBox(self, minimum=1, maximum=10_000, value=100)
        self.seed_spin = QSpinBox(self, minimum=-1, maximum=2**31 - 1, value=0)
        self.batch_spin = QSpinBox(self, minimum=1, maximum=10_000, value=4)
        self.drop_check = QCheckBox("drop_remainder", self)
        self.count_spin = QSpinBox(self, minimum=0, maximum=10_000, value=2)
        self.map_combo = QComboBox(self)
        self.map_combo.addItems(list(MAP_FUNCTIONS))
        self._labels = {key: QLabel(self) for key in ("buffer", "seed", "batch", "count", "map")}
        self.arguments = QStackedWidget(self)
        for widgets in (
            (self._labels["buffer"], self.buffer_spin, self._labels["seed"], self.seed_spin),
            (self._labels["batch"], self.batch_spin, self.drop_check),
            (self._labels["count"], self.count_spin),
            (self._labels["map"], self.map_combo),
        ):
            page = QWidget(self.arguments)
            row = QHBoxLayout(page)
            row.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            self.arguments.addWidget(page)
        self.remove_button = QToolButton(self, text="\u2715", autoRaise=True)
        self.remove_button.clicked.connect(self.sigRemove)
        self.kind_combo.currentIndexChanged.connect(self.arguments.setCurrentIndex)
        self.kind_combo.currentIndexChanged.connect(self.sigChanged)
        for spin in (self.buffer_spin, self.seed_spin, self.batch_spin, self.count_spin):
            spin.valueChanged.connect(self.sigChanged)
        self.drop_check.toggled.connect(self.sigChanged)
        self.map_combo.currentIndexChanged.connect(self.sigChanged)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.arguments, 1)
        layout.addWidget(self.remove_button)
        self.kind_combo.setCurrentIndex(OPERATIONS.index(operation))
        self.retranslate()

    def operation(self) -> tuple:
        """The operation as the engine takes it: ``("batch", 4, False)``..."""
        kind = self.kind_combo.currentText()
        if kind == "shuffle":
            seed = self.seed_spin.value()
            return ("shuffle", self.buffer_spin.value(), None if seed < 0 else seed)
        if kind == "batch":
            return ("batch", self.batch_spin.value(), self.drop_check.isChecked())
        if kind == "repeat":
            count = self.count_spin.value()
            return ("repeat", count or None)
        return ("map", self.map_combo.currentText())

    def retranslate(self) -> None:
        self._labels["buffer"].setText("buffer_size")
        self._labels["seed"].setText("seed")
        self._labels["batch"].setText("batch_size")
        self._labels["count"].setText("count")
        self._labels["map"].setText(self.tr("function"))
        self.seed_spin.setSpecialValueText(self.tr("None"))
        self.seed_spin.setToolTip(self.tr("None: a new order every time the program runs"))
        self.count_spin.setSpecialValueText(self.tr("forever"))
        for index, name in enumerate(MAP_FUNCTIONS):
            self.map_combo.setItemData(index, f"x \u2192 {MAP_FUNCTIONS[name]}", Qt.ItemDataRole.ToolTipRole)
        self.remove_button.setToolTip(self.tr("Remove this operation"))


class DatasetsPage(LabPage):
    """Data and operations in; element_spec, cardinality, elements and code out.

    ``kind_combo`` picks one array / tuple / dict; ``array_rows`` and ``op_rows``
    hold the rows (:meth:`add_array`, :meth:`add_operation` add more);
    ``spec_label``, ``cardinality_label`` and ``elements`` show the result.
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: DatasetResult | None = None
        self._error: TflabError | None = None
        self.array_rows: list[ArrayRow] = []
        self.op_rows: list[OperationRow] = []

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.data_box = QGroupBox(self)
        self.kind_label = QLabel(self.data_box)
        self.kind_combo = QComboBox(self.data_box)
        self.kind_combo.addItems(["", "", ""])
        self.kind_combo.setCurrentIndex(KINDS.index("tuple"))
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.add_array_button = QPushButton(self.data_box)
        self.add_array_button.clicked.connect(lambda: self.add_array())
        self._arrays_layout = QVBoxLayout()
        data_head = QHBoxLayout()
        data_head.addWidget(self.kind_label)
        data_head.addWidget(self.kind_combo)
        data_head.addStretch(1)
        data_head.addWidget(self.add_array_button)
        data_layout = QVBoxLayout(self.data_box)
        data_layout.addLayout(data_head)
        data_layout.addLayout(self._arrays_layout)

        self.ops_box = QGroupBox(self)
        self.add_op_button = QPushButton(self.ops_box)
        self.add_menu = QMenu(self.add_op_button)
        for name in OPERATIONS:
            self.add_menu.addAction(name, lambda _checked=False, n=name: self.add_operation(n))
        self.add_op_button.setMenu(self.add_menu)
        self.no_ops_label = QLabel(self.ops_box)
        self._ops_layout = QVBoxLayout()
        ops_head = QHBoxLayout()
        ops_head.addWidget(self.no_ops_label)
        ops_head.addStretch(1)
        ops_head.addWidget(self.add_op_button)
        ops_layout = QVBoxLayout(self.ops_box)
        ops_layout.addLayout(self._ops_layout)
        ops_layout.addLayout(ops_head)

        self.run_button = QPushButton(self)
        self.run_button.clicked.connect(self.run)
        self.busy_label = QLabel(self)
        self.busy_label.setVisible(False)
        self.spec_title, self.cardinality_title, self.elements_title = QLabel(self), QLabel(self), QLabel(self)
        self.spec_label = QLabel(self)
        self.spec_label.setFont(monospace())
        self.spec_label.setWordWrap(True)
        self.spec_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cardinality_label = QLabel(self)
        self.elements = QPlainTextEdit(self, readOnly=True)
        self.elements.setFont(monospace())
        self.elements.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.elements.setMinimumHeight(150)
        self.message = Message(self)
        self.code_box = CodeBox(self)
        self.code_box.setMinimumHeight(220)

        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.busy_label)
        run_row.addStretch(1)
        self.results = QWidget(self)
        results = QVBoxLayout(self.results)
        results.setContentsMargins(0, 0, 0, 0)
        for widget in (self.spec_title, self.spec_label, self.cardinality_title, self.cardinality_label,
                       self.elements_title):
            results.addWidget(widget)
        results.addWidget(self.elements)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.data_box)
        layout.addWidget(self.ops_box)
        layout.addLayout(run_row)
        layout.addWidget(self.message)
        layout.addWidget(self.results)
        layout.addWidget(self.code_box, 1)

        self.add_array("features", "6, 2")
        self.add_array("labels", "6")
        self.add_operation("batch")
        self._retranslate()

    # ------------------------------------------------------------------ rows
    def add_array(self, name: str = "", shape: str = "6") -> ArrayRow:
        """Add an array to the data (a tuple or dict holds several)."""
        row = ArrayRow(name or f"x{len(self.array_rows)}", shape, self.data_box)
        row.sigChanged.connect(self._later)
        row.sigRemove.connect(lambda: self._remove_array(row))
        self.array_rows.append(row)
        self._arrays_layout.addWidget(row)
        self._kind_changed()
        return row

    def add_operation(self, operation: str) -> OperationRow:
        """Add ``operation`` (one of :data:`OPERATIONS`) at the end of the pipeline."""
        row = OperationRow(operation, self.ops_box)
        row.sigChanged.connect(self._later)
        row.sigRemove.connect(lambda: self._remove_operation(row))
        self.op_rows.append(row)
        self._ops_layout.addWidget(row)
        self._show_rows()
        self._later()
        return row

    def _remove_array(self, row: ArrayRow) -> None:
        if len(self.array_rows) > 1:
            self.array_rows.remove(row)
            row.setParent(None)
            row.deleteLater()
            self._kind_changed()

    def _remove_operation(self, row: OperationRow) -> None:
        self.op_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._show_rows()
        self._later()

    def kind(self) -> str:
        """How the data is given: ``"array"``, ``"tuple"`` or ``"dict"``."""
        return KINDS[self.kind_combo.currentIndex()]

    @Slot()
    def _kind_changed(self) -> None:
        self._show_rows()
        self._later()

    def _show_rows(self) -> None:
        """One array alone shows one row; keys only for a dict; a row is removable if others remain."""
        kind = self.kind()
        for index, row in enumerate(self.array_rows):
            row.setVisible(kind != "array" or index == 0)
            row.name_edit.setVisible(kind == "dict")
            row.remove_button.setVisible(kind != "array" and len(self.array_rows) > 1)
        self.add_array_button.setVisible(kind != "array")
        self.no_ops_label.setVisible(not self.op_rows)

    def data_spec(self) -> Any:
        """The data as the engine takes it: an ArraySpec, a tuple of them or a dict of them."""
        specs = [row.spec() for row in self.array_rows]
        kind = self.kind()
        if kind == "array":
            return specs[0]
        if kind == "tuple":
            return tuple(specs)
        names = [row.name() for row in self.array_rows]
        repeated = next((name for name in names if names.count(name) > 1), None)
        if repeated is not None:
            raise PageError(lambda: fill(
                self.tr("Two arrays have the key %1: each key of a dict names one array."),
                repr(repeated),
            ))
        return dict(zip(names, specs))

    def operations(self) -> list[tuple]:
        """The operations, in order, as the engine takes them."""
        return [row.operation() for row in self.op_rows]

    # ------------------------------------------------------------------ running
    @Slot()
    def run(self) -> None:
        """Build the dataset on a worker thread."""
        super().run()
        try:
            data = self.data_spec()
        except TflabError as err:
            self._show_error(err)
            return
        operations = self.operations()
        self.runner.run(lambda: from_tensor_slices_lab(data, operations))


    @Slot(object)
    def _show_result(self, result: DatasetResult) -> None:
        self._result, self._error = result, None
        self.results.setEnabled(True)
        self.spec_label.setText(result.element_spec)
        self.elements.setPlainText("\n".join(f"{i}: {text}" for i, text in enumerate(result.elements)))
        self.code_box.set_code(result.code)
        self._describe()


    def _describe(self) -> None:
        """The texts made from the last result, in the current language."""
        result = self._result
        if result is None:
            return
        count = result.cardinality
        if count == INFINITE:
            text = self.tr("infinite (-1): the dataset never ends")
        elif count < 0:
            text = fill(self.tr("unknown (%1): TensorFlow cannot tell without going through it"), str(count))
        else:
            text = self.tr("%n element(s)", "", count)
        self.cardinality_label.setText(text)
        shown = len(result.elements)
        if count == INFINITE or count > shown:
            self.elements_title.setText(fill(self.tr("The first %1 elements"), str(shown)))
        else:
            self.elements_title.setText(self.tr("The elements"))
        self.message.show_note(note_text(result.notes))

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "from_tensor_slices cuts every array along its FIRST dimension: element i holds row i "
            "of each array. Then each operation makes a new dataset from the one before."))
        self.data_box.setTitle(self.tr("Data: tf.data.Dataset.from_tensor_slices(data)"))
        self.kind_label.setText(self.tr("data is"))
        for index, text in enumerate((self.tr("one array"), self.tr("a tuple of arrays"),
                                      self.tr("a dict of arrays"))):
            self.kind_combo.setItemText(index, text)
        self.add_array_button.setText(self.tr("Add an array"))
        self.ops_box.setTitle(self.tr("Operations, in order"))
        self.add_op_button.setText(self.tr("Add an operation"))
        self.no_ops_label.setText(self.tr("No operations: the dataset gives one element per row."))
        self.run_button.setText(self.tr("Run"))
        self.busy_label.setText(self.tr("Computing with TensorFlow..."))
        self.spec_title.setText(self.tr("<b>element_spec</b>: the shape and type of one element"))
        self.cardinality_title.setText(self.tr("<b>cardinality</b>: how many elements"))
        self.elements_title.setText(self.tr("The elements"))
        for row in self.array_rows:
            row.retranslate()
        for row in self.op_rows:
            row.retranslate()
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The lab page of lesson 5."""
    return DatasetsPage(context)
