"""Lab page "Custom layers, losses and metrics": write one, then check it on real tensors.

The student picks a kind (layer, loss or metric), whose template the engine provides,
edits it in a :class:`ui.widgets.code_editor.CodeEditor`, sets an input shape and presses
Check: :func:`tflab.labs.custom.check_custom_code` runs the code in a separate Python
process (on a worker) and reports the class or function it checked, the output shape
/ loss value / metric value, the weights and what the code printed. A syntax error or
an exception points at its line in the editor.

Once a layer passes the check, "Use in this project" makes the code the project's
custom layer code: its layer classes appear in the editor's palette under "This
project" (:meth:`CustomPage.use_in_project`). "Open the project's code" brings that
code back here to change it.

Code typed here runs without asking. Code that came from a project file someone else
made (:meth:`CustomPage.load_project_code`; see :mod:`ui.editor.custom_code`) is only run
after the user says Yes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tflab.catalog import ParamSpec
from tflab.custom_layers import parse
from tflab.labs._common import shape_text
from tflab.labs.custom import (
    BATCH,
    KINDS,
    TEMPLATES,
    CustomCodeError,
    CustomResult,
    check_custom_code,
    shown_check,
    template,
)
from tflab.messages import TflabError
from ui.core.code_comments import comments_language
from ui.core.text import fill
from ui.core.trust import is_trusted, trust
from ui.core.workers import shared_lane
from ui.labs.common import CodeBox, LabContext, LabPage, monospace, note_text
from ui.widgets.code_editor import CodeEditor
from ui.widgets.messages import Message
from ui.widgets.param_widgets import parse_text

#: How the input shape field is read: "3", "2, 5" or "(2, 5)".
SHAPE = ParamSpec("shape", "shape")
#: The lane the checks wait on: one thread of its own, shared by every custom lab page.
CHECK_LANE = "lab-custom-check"


def guess_kind(source: str) -> str | None:
    """The kind ``source`` defines, read from its syntax tree (nothing runs); None when unclear.

    A class whose base names a Metric is a metric, a Loss a loss, a Layer a layer; a
    module of functions only is a loss.
    """
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError):
        return None
    for node in reversed(body):
        if isinstance(node, ast.ClassDef):
            bases = " ".join(ast.unparse(base) for base in node.bases)
            for word, kind in (("Metric", "metric"), ("Loss", "loss"), ("Layer", "layer")):
                if word in bases:
                    return kind
    if any(isinstance(node, ast.FunctionDef) for node in body) and \
            not any(isinstance(node, ast.ClassDef) for node in body):
        return "loss"
    return None


class CustomPage(LabPage):
    """Kind, code, input shape and Check; the check's findings and the code it ran.

    Check runs only when asked, never on first show. The check runs no TensorFlow in this
    process (it waits for a child process, up to a minute), so the page's runner sends it to
    a lane of its own (:data:`CHECK_LANE`) instead of holding up the other labs.

    Attributes for tests: ``runner``, ``code_box``, ``message``, ``kind_combo``,
    ``editor``, ``shape_edit``, ``run_button`` (Check), ``template_button``,
    ``use_button`` (Use in this project), ``project_button`` (Open the project's code),
    ``summary_label``, ``weights_table``, ``printed_view`` and ``result`` (the latest
    :class:`CustomResult`).
    """

    RUN_ON_SHOW = False
    CODE_FOLLOWS_COMMENTS = True

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(replace(context, lane=shared_lane(CHECK_LANE)), parent)
        self._context = context
        self._result: CustomResult | None = None
        self._error: TflabError | None = None
        self._checked_source: str | None = None  # the code of the latest passing layer check
        self._check_code = ""  # the program of the latest check (its comments in English)
        self._check_source: str | None = None  # the code that program checks
        # each kind's code, kept while another kind is shown
        self._sources = {kind: template(kind, comments_language()) for kind in TEMPLATES}
        self._unconfirmed: set[str] = set()  # kinds whose code came from someone else's project
        self._kind = KINDS[0]

        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem("", kind)
        self.editor = CodeEditor()
        self.editor.setPlainText(self._sources[self._kind])
        self.shape_edit = QLineEdit("3")
        self.run_button = QPushButton()
        self.run_button.setDefault(True)
        self.template_button = QPushButton()
        self.use_button = QPushButton()
        self.project_button = QPushButton()
        self.summary_label = QLabel()
        self.summary_label.setFont(monospace())
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.weights_table = QTableWidget(0, 2)
        self.weights_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.weights_table.verticalHeader().hide()
        self.weights_table.verticalHeader().setDefaultSectionSize(self.weights_table.fontMetrics().height() + 6)
        self.weights_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.printed_view = QPlainTextEdit(readOnly=True)
        self.printed_view.setFont(monospace())
        self.message = Message()
        self.code_box = CodeBox()
        self._kind_label, self._shape_label = QLabel(), QLabel()
        self._tabs = QTabWidget()
        self._layout()

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.run_button.clicked.connect(self.run)
        self.template_button.clicked.connect(self.restore_template)
        self.use_button.clicked.connect(self.use_in_project)
        self.project_button.clicked.connect(self.open_project_code)
        self.editor.textChanged.connect(self._update_project_buttons)
        self._show_intro()
        self._update_project_buttons()
        self._retranslate()

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self._kind_label)
        head.addWidget(self.kind_combo)
        head.addStretch(1)
        head.addWidget(self.template_button)
        run_row = QHBoxLayout()
        run_row.addWidget(self._shape_label)
        run_row.addWidget(self.shape_edit, 1)
        run_row.addWidget(self.run_button)
        project_row = QHBoxLayout()
        project_row.addWidget(self.project_button)
        project_row.addStretch(1)
        project_row.addWidget(self.use_button)
        left = QVBoxLayout()
        left.addLayout(head)
        self.editor.setMinimumHeight(220)
        left.addWidget(self.editor, 1)
        left.addLayout(run_row)
        left.addLayout(project_row)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)

        tabs = self._tabs
        tabs.addTab(self.weights_table, "")
        tabs.addTab(self.printed_view, "")
        tabs.addTab(self.code_box, "")
        right = QVBoxLayout()
        right.addWidget(self.message)
        right.addWidget(self.summary_label)
        right.addWidget(tabs, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        tabs.setMinimumHeight(140)
        right.setContentsMargins(0, 0, 0, 0)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(left_widget)
        split.addWidget(right_widget)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    @property
    def result(self) -> CustomResult | None:
        """The latest check's result (None before a check, after an error or another kind)."""
        return self._result

    def _note(self, words: Callable[[], str]) -> None:
        """Show a note written by ``words`` (again in each new language); it replaces an error."""
        self._error = None
        self.message.show_note(words)

    def _show_intro(self) -> None:
        self._note(lambda: fill(self.tr(
            "Check runs your code in a separate Python process (with a time limit) on a batch of "
            "%1 samples of the input shape, and reports what it found."), str(BATCH)))

    # ---------------------------------------------------------------- code

    def kind(self) -> str:
        """The kind chosen: ``"layer"``, ``"loss"`` or ``"metric"``."""
        return self.kind_combo.currentData()

    @Slot()
    def _on_kind_changed(self) -> None:
        self._sources[self._kind] = self.editor.toPlainText()
        self._kind = self.kind()
        self.editor.setPlainText(self._sources[self._kind])
        self._clear_findings()
        self._show_intro()

    @Slot()
    def restore_template(self) -> None:
        """Put the kind's template back (one edit: Ctrl+Z undoes it).

        Code from someone else's project still needs a Yes afterwards: Ctrl+Z can bring it back.
        """
        self.editor.replace_all(template(self.kind(), comments_language()))

    def load_project_code(self, source: str) -> None:
        """Show custom code from a project. The kind follows the code. Code this user did
        not write or approve (:func:`ui.core.trust.is_trusted`) is only checked after a Yes."""
        kind = guess_kind(source) or self.kind()
        self.kind_combo.setCurrentIndex(KINDS.index(kind))
        self.editor.replace_all(source)
        if not is_trusted(source):
            self._unconfirmed.add(kind)
            self._note(lambda: self.tr(
                "This code comes from a project file made by someone else. Read it: Check will ask "
                "before running it."))
        else:
            self._unconfirmed.discard(kind)

    def _agreed(self) -> bool:
        """True when the code may run: typed here, or the user says Yes to someone else's."""
        kind = self.kind()
        if kind not in self._unconfirmed:
            return True
        answer = QMessageBox.question(
            self, self.tr("Run code from a project?"),
            self.tr("This code came from a project file made by someone else. Checking it runs it as "
                    "a Python program on this computer, with your permissions.\n\n"
                    "Run it only if you have read it and trust where it came from. Run it now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._unconfirmed.discard(kind)
        trust(self.editor.toPlainText())  # agreed to run, here and in the editor
        return True

    def _comments_changed(self) -> None:
        """The comments' language changed: templates nobody edited, and the program of the
        check, are written again in it (nothing runs again)."""
        old, new = self._comments, comments_language()
        self._sources[self._kind] = self.editor.toPlainText()
        for kind in TEMPLATES:
            if self._sources[kind] == template(kind, old):
                self._sources[kind] = template(kind, new)
        if self._checked_source is not None and self._checked_source == template("layer", old):
            self._checked_source = template("layer", new)  # the same code: only its comments differ
        if self._check_source == template(self._kind, old):  # a check of the template: its program too
            head = template(self._kind, old).rstrip("\n")
            if self._check_code.startswith(head):
                self._check_code = template(self._kind, new).rstrip("\n") + self._check_code[len(head):]
            self._check_source = template(self._kind, new)
        if self.editor.toPlainText() != self._sources[self._kind]:
            self.editor.replace_all(self._sources[self._kind])  # one edit: Ctrl+Z gives the old comments
        self._show_check_code()

    def _show_check_code(self) -> None:
        self.code_box.set_code(shown_check(self._check_code, comments_language()))

    # ---------------------------------------------------------------- the project

    @Slot()
    def open_project_code(self) -> None:
        """Show the project's custom layer code in the editor (Ctrl+Z brings the previous code back)."""
        source = self._context.project_custom_code() if self._context.project_custom_code else ""
        if not source:
            self._note(lambda: self.tr(
                "This project has no custom layer code yet: check a layer, then press “Use in this project”."))
            return
        self.load_project_code(source)
        self._clear_findings()

    @Slot()
    def use_in_project(self) -> None:
        """Make the checked code the project's custom layer code (an undoable edit)."""
        source = self.editor.toPlainText()
        if self._context.use_custom_code is None or source != self._checked_source:
            return
        try:
            self._context.use_custom_code(source, report=False)  # explained here, not again below
        except TflabError as err:
            self._error = err
            self.message.show_error(err)
            return
        names = ", ".join(parse(source).names())
        self._note(lambda: fill(self.tr(
            "%1 is now in the editor's palette, under “This project”: drag it into the model like any "
            "layer. The generated code includes your class. Edit > Undo takes it back out."), names))
        self._update_project_buttons()

    @Slot()
    def _update_project_buttons(self) -> None:
        self.use_button.setVisible(self._context.use_custom_code is not None)
        self.project_button.setVisible(self._context.project_custom_code is not None)
        self.use_button.setEnabled(self.kind() == "layer" and self.editor.toPlainText() == self._checked_source)

    # ---------------------------------------------------------------- check

    @Slot()
    def run(self) -> None:
        """Check the code (asking first when it came from someone else's project)."""
        super().run()
        if not self._agreed():
            self._note(lambda: self.tr("The code was not run."))
            return
        source, kind, shape = self.editor.toPlainText(), self.kind(), parse_text(SHAPE, self.shape_edit.text())
        self._clear_findings()
        self._check_source = source
        self._note(lambda: self.tr("Checking: starting Python and TensorFlow takes a few seconds…"))
        self.runner.run(lambda: check_custom_code(source, kind, shape, consent=True))

    def _clear_findings(self) -> None:
        self._result = None
        self._error = None
        self._checked_source = None
        self._check_code = ""
        self._check_source = None
        self._update_project_buttons()
        self.summary_label.clear()
        self.weights_table.setRowCount(0)
        self.printed_view.clear()
        self.code_box.set_code("")

    @Slot(object)
    def _show_result(self, result: CustomResult) -> None:
        if result.kind != self.kind():  # the student moved on to another kind meanwhile
            return
        self._result = result
        self._checked_source = result.source if result.kind == "layer" else None
        self._check_code = result.code
        self._update_project_buttons()
        self.weights_table.setRowCount(len(result.weights))
        for row, (name, shape) in enumerate(result.weights):
            self.weights_table.setItem(row, 0, QTableWidgetItem(name))
            self.weights_table.setItem(row, 1, QTableWidgetItem(shape_text(shape)))
        self.printed_view.setPlainText(result.printed)
        self._show_check_code()
        self._describe()
        usable = self.use_button.isEnabled()

        def passed() -> str:
            notes = note_text(result.messages)
            text = self.tr("The check passed.") + ("\n" + notes if notes else "")
            if usable:
                text += "\n" + self.tr("Press “Use in this project” to put this layer in the editor's palette.")
            return text

        self._note(passed)

    def _describe(self) -> None:
        """The summary of the last result, in the current language."""
        if self._result is not None:
            self.summary_label.setText(self._summary(self._result))

    def _summary(self, result: CustomResult) -> str:
        if result.kind == "layer":
            lines = [fill(self.tr("Layer class: %1"), result.name),
                     fill(
                         self.tr("Output shape for a batch of %1: %2"),
                         str(BATCH),
                         shape_text(result.output_shape or ()),
                     )]
        elif result.kind == "loss":
            lines = [fill(self.tr("Loss: %1"), result.name),
                     fill(self.tr("It returned shape %1"), shape_text(result.output_shape or ())),
                     fill(self.tr("Loss value (mean): %1"), f"{result.value:.6g}")]
        else:
            lines = [fill(self.tr("Metric class: %1"), result.name),
                     fill(self.tr("Result after two batches: %1"), f"{result.value:.6g}")]
        return "\n".join(lines)

    @Slot(object)
    def _show_error(self, error: TflabError) -> None:
        """Explain the error, show the program that failed and point at the line of the code."""
        self._error = error
        self.message.show_error(error)
        self._check_code = getattr(error, "code", "")
        self._show_check_code()
        if isinstance(error, CustomCodeError) and error.line:
            self.editor.mark_line(error.line)
            self.editor.setFocus()

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)

    def _retranslate(self) -> None:
        for index, label in enumerate((self.tr("Layer"), self.tr("Loss function"), self.tr("Metric"))):
            self.kind_combo.setItemText(index, label)
        self.shape_edit.setToolTip(self.tr("The shape of ONE sample, e.g. 3 or 2, 5"))
        self.run_button.setText(self.tr("Check"))
        self.template_button.setText(self.tr("Restore the template"))
        self.template_button.setToolTip(self.tr("Replace the code with the template (Ctrl+Z brings yours back)"))
        self.use_button.setText(self.tr("Use in this project"))
        self.use_button.setToolTip(self.tr(
            "Put this code in the project: its layer classes appear in the editor's palette, under "
            "“This project”. Check the layer first."))
        self.project_button.setText(self.tr("Open the project's code"))
        self.project_button.setToolTip(self.tr("Show the project's custom layer code here, to change it"))
        self.weights_table.setHorizontalHeaderLabels([self.tr("Weight"), self.tr("Shape")])
        self._kind_label.setText(self.tr("Write a:"))
        self._shape_label.setText(self.tr("Input shape (one sample):"))
        for index, title in enumerate((self.tr("Weights"), self.tr("Printed output"), self.tr("Code of the check"))):
            self._tabs.setTabText(index, title)
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The custom layer / loss / metric lab page."""
    return CustomPage(context)
