"""Lab 6: write a formula, choose what the tape watches, get TensorFlow's gradients.

The user types ``y = ...`` (the safe formula language of
:mod:`tflab.labs.gradient_tape`: numbers, the declared names, ``+ - * / **`` and a
few functions), declares variables and constants in two tables (a constant is
watched only when its box is ticked), and may add a second target ``z`` on a
persistent tape. TensorFlow records and differentiates on a worker thread
(:func:`tflab.labs.gradient_tape.tape_lab`); the page shows the value, each
gradient (``None`` with the reason why), and the code. A formula the parser
refuses, or a second gradient asked of a tape that is not persistent, is
explained in words.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tflab.catalog import ParamSpec
from tflab.labs._common import LabError
from tflab.labs.gradient_tape import TapeResult, tape_lab, tape_program
from tflab.messages import TflabError
from ui.core.code_comments import comments_language
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, PageError, monospace, note_text
from ui.widgets.messages import Message
from ui.widgets.param_widgets import parse_text

#: How a value cell is read: "3", "2.5", "[1, 2]" (text that is not a number goes to the engine as is).
VALUE = ParamSpec("value", "any")
_TARGET_PREFIX = re.compile(r"^\s*[yz]\s*=(?!=)")


def formula_text(text: str) -> str:
    """The formula without a leading ``y =`` or ``z =`` the user may have typed."""
    return _TARGET_PREFIX.sub("", text, count=1).strip()


def number_text(value: Any) -> str:
    """A value or gradient as shown: a number, an array, or None."""
    if value is None:
        return "None"
    if isinstance(value, float):
        return f"{value:.6g}"
    return np.array2string(np.asarray(value), precision=6, separator=", ")


class _NamesTable(QTableWidget):
    """Names and values, one per row; with ``watch``, a third column of check boxes."""

    def __init__(self, rows: list[tuple[str, str]], watch: bool, parent: QWidget | None = None):
        super().__init__(0, 3 if watch else 2, parent)
        self._watch = watch
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setMinimumHeight(110)
        self.setMaximumHeight(160)
        for name, value in rows:
            self.add_row(name, value)

    def add_row(self, name: str = "", value: str = "") -> int:
        """Append a row (and start editing its name when it is empty); returns its index."""
        row = self.rowCount()
        self.insertRow(row)
        self.setItem(row, 0, QTableWidgetItem(name))
        self.setItem(row, 1, QTableWidgetItem(value))
        if self._watch:
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Unchecked)
            self.setItem(row, 2, check)
        return row

    def remove_selected(self) -> None:
        """Remove the selected rows (the current one when none is selected)."""
        rows = sorted({index.row() for index in self.selectedIndexes()} or {self.currentRow()}, reverse=True)
        for row in rows:
            if row >= 0:
                self.removeRow(row)

    def entries(self) -> list[tuple[str, Any, bool]]:
        """(name, value, watched) of each row that is not empty; values read by :func:`parse_text`."""
        found = []
        for row in range(self.rowCount()):
            name = (self.item(row, 0).text() if self.item(row, 0) else "").strip()
            text = self.item(row, 1).text() if self.item(row, 1) else ""
            if not name and not text.strip():
                continue
            watched = self._watch and self.item(row, 2).checkState() == Qt.CheckState.Checked
            found.append((name, parse_text(VALUE, text), watched))
        return found


class GradientTapePage(LabPage):
    """A formula, its names and the tape's options in; value, gradients and code out.

    ``formula_edit`` holds ``y``'s formula; ``variables`` and ``constants`` are the
    tables (a constant's third column is its watch box); ``persistent_check``,
    ``second_check`` and ``second_edit`` set the tape and the second target ``z``;
    ``value_label`` and ``gradients`` (a table: name, dy/d..., dz/d...) show the result.
    The code's comments follow the language (``CODE_FOLLOWS_COMMENTS``).
    """

    CODE_FOLLOWS_COMMENTS = True

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: TapeResult | None = None
        self._error: TflabError | None = None
        self._asked: tuple[str, dict] | None = None  # the formula and arguments of the last run
        self._shown: tuple[str, dict] | None = None  # ... and of the answer on screen

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.formula_label = QLabel("y =", self)
        self.formula_edit = QLineEdit("w * x ** 2 + c", self)
        self.formula_edit.setFont(monospace())
        self.formula_edit.returnPressed.connect(self.run)

        self.variables_box, self.constants_box = QGroupBox(self), QGroupBox(self)
        self.variables = _NamesTable([("x", "3.0"), ("w", "2.0")], False, self.variables_box)
        self.constants = _NamesTable([("c", "4.0")], True, self.constants_box)
        self.table_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        for key, box, table in (("variables", self.variables_box, self.variables),
                                ("constants", self.constants_box, self.constants)):
            add, remove = QPushButton(box), QPushButton(box)
            add.clicked.connect(lambda _checked=False, t=table: t.editItem(t.item(t.add_row(), 0)))
            remove.clicked.connect(table.remove_selected)
            self.table_buttons[key] = (add, remove)
            buttons = QHBoxLayout()
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            inner.addLayout(buttons)

        self.persistent_check = QCheckBox(self)
        self.second_check = QCheckBox(self)
        self.second_edit = QLineEdit("y * x", self)
        self.second_edit.setFont(monospace())
        self.second_edit.setEnabled(False)
        self.second_edit.returnPressed.connect(self.run)
        self.second_check.toggled.connect(self.second_edit.setEnabled)
        self.run_button = QPushButton(self)
        self.run_button.clicked.connect(self.run)
        self.busy_label = QLabel(self)
        self.busy_label.setVisible(False)

        self.value_label = QLabel(self)
        self.value_label.setFont(monospace())
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value_label.setWordWrap(True)
        self.gradients = QTableWidget(0, 3, self)
        self.gradients.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gradients.verticalHeader().setVisible(False)
        self.gradients.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.gradients.setFont(monospace())
        self.gradients.setMinimumHeight(120)
        self.gradients.setMaximumHeight(200)
        self.message = Message(self)
        self.code_box = CodeBox(self)
        self.code_box.setMinimumHeight(240)

        formula = QHBoxLayout()
        formula.addWidget(self.formula_label)
        formula.addWidget(self.formula_edit, 1)
        tables = QHBoxLayout()
        tables.addWidget(self.variables_box)
        tables.addWidget(self.constants_box)
        options = QGridLayout()
        options.addWidget(self.persistent_check, 0, 0, 1, 2)
        options.addWidget(self.second_check, 1, 0)
        options.addWidget(self.second_edit, 1, 1)
        options.setColumnStretch(1, 1)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.busy_label)
        run_row.addStretch(1)
        self.results = QWidget(self)
        results = QVBoxLayout(self.results)
        results.setContentsMargins(0, 0, 0, 0)
        results.addWidget(self.value_label)
        results.addWidget(self.gradients)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(formula)
        layout.addLayout(tables)
        layout.addLayout(options)
        layout.addLayout(run_row)
        layout.addWidget(self.message)
        layout.addWidget(self.results)
        layout.addWidget(self.code_box, 1)
        self._retranslate()

    # ------------------------------------------------------------------ inputs
    def declarations(self) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
        """(variables, constants, watched constants) from the tables.

        A name given twice in one table is refused here (a dict would keep only one);
        every other check is the engine's.
        """
        found: list[dict[str, Any]] = []
        watched: list[str] = []
        for table in (self.variables, self.constants):
            values: dict[str, Any] = {}
            for name, value, watch in table.entries():
                if name in values:
                    raise PageError(lambda name=name: fill(
                        self.tr("%1 is declared twice: give each name one row."), repr(name)))
                values[name] = value
                if watch:
                    watched.append(name)
            found.append(values)
        return found[0], found[1], watched

    # ------------------------------------------------------------------ running
    @Slot()
    def run(self) -> None:
        """Record the formula(s) on a tape and take the gradients, on a worker thread."""
        super().run()
        try:
            variables, constants, watched = self.declarations()
        except TflabError as err:
            self._show_error(err)
            return
        expr = formula_text(self.formula_edit.text())
        second = formula_text(self.second_edit.text()) if self.second_check.isChecked() else None
        persistent = self.persistent_check.isChecked()
        comments = comments_language()
        asked = {"variables": variables, "constants": constants, "watch": watched, "persistent": persistent,
                 "second_expr": second}
        self._asked = (expr, asked)
        self.runner.run(lambda: tape_lab(expr, **asked, comments=comments))


    @Slot(object)
    def _show_result(self, result: TapeResult) -> None:
        self._result, self._error = result, None
        self._shown = self._asked  # what the answer on screen was asked with
        self.results.setEnabled(True)
        self.code_box.set_code(result.code)
        targets = [("y", result.gradients)]
        if result.second_gradients is not None:
            targets.append(("z", result.second_gradients))
        names = list(result.gradients)
        self.gradients.setColumnCount(1 + len(targets))
        self.gradients.setRowCount(len(names))
        missing = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
        for row, name in enumerate(names):
            self.gradients.setItem(row, 0, QTableWidgetItem(name))
            for column, (_target, gradients) in enumerate(targets, 1):
                item = QTableWidgetItem(number_text(gradients[name]))
                if gradients[name] is None:
                    item.setForeground(missing)
                self.gradients.setItem(row, column, item)
        self._describe()


    def _comments_changed(self) -> None:
        """The program of the answer shown, written again with the comments' new language
        (without TensorFlow, and without running the lab again)."""
        if isinstance(self._error, LabError) and self._error.code:
            shown = self._asked  # the failing program, which came with the error
        else:  # the program of the answer shown (greyed under an error the page found itself)
            shown = self._shown if self._result is not None else None
        if shown is not None:
            expr, asked = shown
            self.code_box.set_code(tape_program(expr, **asked, comments=comments_language()))

    def gradient_texts(self) -> dict[str, list[str]]:
        """The gradients as shown: name -> [dy/dname, dz/dname (with a second target)]."""
        table = self.gradients
        return {table.item(row, 0).text(): [table.item(row, c).text() for c in range(1, table.columnCount())]
                for row in range(table.rowCount())}

    def _describe(self) -> None:
        """The texts made from the last result, in the current language."""
        result = self._result
        if result is None:
            return
        targets = ["y"] if result.second_gradients is None else ["y", "z"]
        self.gradients.setHorizontalHeaderLabels(
            [self.tr("source")] + [f"d{target} / d({self.tr('source')})" for target in targets])
        text = f"y = {number_text(result.value)}"
        if result.second_value is not None:
            text += f"\nz = {number_text(result.second_value)}"
        self.value_label.setText(text)
        self.message.show_note(note_text(result.notes))

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Write y with numbers, your names, + - * / ** and sin, cos, exp, log, sqrt, tanh, sigmoid, "
            "square, abs, reduce_sum, reduce_mean, matmul. Variables are watched by the tape; "
            "constants only when you tick watch."))
        self.formula_edit.setToolTip(self.tr("The formula of y, such as w * x ** 2 + c"))
        self.variables_box.setTitle(self.tr("Variables: tf.Variable"))
        self.constants_box.setTitle(self.tr("Constants: tf.constant"))
        self.variables.setHorizontalHeaderLabels([self.tr("name"), self.tr("value")])
        self.constants.setHorizontalHeaderLabels([self.tr("name"), self.tr("value"), self.tr("watch")])
        for add, remove in self.table_buttons.values():
            add.setText(self.tr("Add"))
            remove.setText(self.tr("Remove"))
        self.persistent_check.setText(self.tr("persistent=True: the tape can answer more than one gradient call"))
        self.second_check.setText(self.tr("Second target z ="))
        self.second_edit.setToolTip(self.tr("A formula that may use y, such as y * x"))
        self.run_button.setText(self.tr("Run"))
        self.busy_label.setText(self.tr("Computing with TensorFlow..."))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The lab page of lesson 6."""
    return GradientTapePage(context)
