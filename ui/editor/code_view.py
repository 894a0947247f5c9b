"""The model as Keras code, live, and as a ``model.summary()`` table.

:class:`CodeView` shows the Python code that builds the open model, in the style the
user picks (Sequential, Functional or Subclass), optionally as a whole training
script (compile, fit, evaluate). It follows every edit. When the chosen style cannot
write the model (Sequential for a model that is not a plain stack of layers), the
reason is shown where the code would be, with a one-click way to the Functional
code. Code can be copied or exported as a ``.py`` file (written atomically).

The "Summary" tab shows the table ``model.summary()`` would print, built from the
latest :class:`~tflab.shapes.ShapeReport` when the tab is shown (NASNetMobile's table
took 20 ms after every edit, shown or not).
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QActionGroup,
    QGuiApplication,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tflab import codegen
from tflab.fileio import atomic_write_text
from tflab.graph import ModelGraph
from tflab.messages import TflabError, language
from tflab.project import Project
from tflab.script_export import export_training_script
from tflab.shapes import ShapeReport, summary_text
from tflab.superseded import unless_superseded
from ui.core.code_comments import comments_language, english_comments, set_english_comments
from ui.core.document import Document
from ui.core.settings import settings as app_settings
from ui.core.text import fill
from ui.core.workers import Hold, Lane, Requests, shared_lane
from ui.widgets.code import PythonHighlighter, is_dark, monospace_font

#: Code styles in the order of the switch.
STYLES = ("sequential", "functional", "subclass")
#: Quiet time after an edit before the code is written again, in milliseconds.
QUIET_MS = 250
#: The lane the code is written on after an edit (a big model's code takes tens of
#: milliseconds to write: not on the window's thread).
WRITE_LANE = "code"


def write_code(graph: ModelGraph, style: str, script: bool, training: dict | None,
               comments: str) -> str | TflabError:
    """The code of ``graph`` in ``style``, or why ``style`` cannot write it."""
    try:
        return codegen.generate(graph, style, script=script, training=training, comments=comments)
    except TflabError as err:
        return err


def replace_changed_lines(editor: QPlainTextEdit, text: str) -> tuple[int, int]:
    """Make ``editor`` show ``text`` by replacing only the lines that differ (between the
    unchanged first and last lines): the highlighter then reworks those lines alone, not
    the thousands of lines of a big model's code. Returns (first line written, lines
    written)."""
    old, new = editor.toPlainText().split("\n"), text.split("\n")
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    if head == len(old) == len(new):
        return head, 0
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_end, new_end = len(old) - tail, len(new) - tail  # lines [head, *_end) differ
    document = editor.document()
    cursor = QTextCursor(document)
    lines = "\n".join(new[head:new_end])
    if old_end > head and new_end > head:  # replace lines by lines
        last = document.findBlockByNumber(old_end - 1)
        cursor.setPosition(document.findBlockByNumber(head).position())
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
    elif old_end > head:  # only remove lines, with their line ends
        if old_end < len(old):
            cursor.setPosition(document.findBlockByNumber(head).position())
            cursor.setPosition(document.findBlockByNumber(old_end).position(), QTextCursor.MoveMode.KeepAnchor)
        elif head > 0:
            cursor.setPosition(document.findBlockByNumber(head).position() - 1)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        else:
            editor.setPlainText(text)
            return 0, len(new)
    elif head < len(old):  # only insert lines, before line ``head``
        cursor.setPosition(document.findBlockByNumber(head).position())
        lines += "\n"
    else:  # only add lines at the end
        cursor.movePosition(QTextCursor.MoveOperation.End)
        lines = "\n" + lines
    cursor.beginEditBlock()
    cursor.insertText(lines)
    cursor.endEditBlock()
    return head, new_end - head


class CodeView(QWidget):
    """Live Keras code of the document's model, and its summary table.

    Signals:
        sigStatus(str): a short message for the status bar (e.g. after Copy or Export).
        sigExported(object): the code was written (its path; a training script: its data's
            path, then its own).
    """

    sigStatus = Signal(str)
    sigExported = Signal(object)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self._document = document
        self._code = ""            # the code shown ("" when the reason is shown)
        self._reason = ""          # why the chosen style cannot show this model
        self._kept_scroll = 0      # where the code was scrolled to when a reason replaced it
        self._settings = app_settings()
        # Typing in the inspector changes the model at every key: the code follows once
        # the keys pause (QUIET_MS), so a big model's code is not written at every key.
        self._later = QTimer(self, singleShot=True, interval=QUIET_MS)
        self._later.timeout.connect(self._on_quiet)
        #: The code of a big model is written after its shapes are checked and its boxes
        #: made, not beside them, three seconds at most (the window sets it up; see
        #: ui.core.workers.Hold): 2,000 layers take 1-2 s to fill in, and after a one-second
        #: hold the code was written beside the last batches, each then holding the window
        #: 44-60 ms instead of 32-34 ms.
        self.refresh_hold = Hold(most_s=3.0)
        self._retry = QTimer(self, singleShot=True, interval=Hold.RETRY_MS)
        self._retry.timeout.connect(self._on_quiet)
        # After an edit the code is written on a lane from a snapshot; what it was written
        # for (the graph, its revision and the settings) says whether it is still the code.
        self._writer: Requests | None = None
        self._writing: tuple | None = None
        # A training script is written with its data beside it: loading and splitting the
        # data set is work for a lane, not for the window.
        self._exporter: Requests | None = None
        #: What the summary tab was last written from: (report, graph, revision), or None
        #: before the first report (it then says it is waiting for TensorFlow).
        self._summary_of: tuple[ShapeReport, ModelGraph, int] | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_code_page(), "")
        self.tabs.addTab(self._build_summary_page(), "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.script_box.setChecked(self._settings.value("code/script", False, type=bool))
        self.script_box.toggled.connect(self._on_script_toggled)
        self.english_box.setChecked(english_comments())
        self.english_box.toggled.connect(self._on_english_toggled)
        self._retranslate()
        style = self._settings.value("code/style", "sequential", type=str)
        self.set_code_style(style if style in STYLES else "sequential")
        self._changes = [0]  # the model's changes, as the lane reads them (tflab.superseded)
        document.sigChanged.connect(self._on_document_changed)
        document.sigTrainingChanged.connect(self.refresh)  # the training script shows the settings
        document.sigProjectReplaced.connect(self._suit_style)
        self._suit_style()

    # ------------------------------------------------------------------ building
    def _build_code_page(self) -> QWidget:
        page = QWidget(self)
        bar = QToolBar(page)  # narrow windows get an overflow button instead of a wide minimum
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.style_group = QActionGroup(self)
        self.style_group.setExclusive(True)
        self.style_buttons: dict[str, QToolButton] = {}
        for style in STYLES:
            action = bar.addAction("")
            action.setCheckable(True)
            action.setData(style)
            action.triggered.connect(lambda _checked=False, s=style: self.set_code_style(s))
            self.style_group.addAction(action)
            self.style_buttons[style] = bar.widgetForAction(action)
        bar.addSeparator()
        self.script_box = QCheckBox(page)
        bar.addWidget(self.script_box)
        self.english_box = QCheckBox(page)
        self.english_action = bar.addWidget(self.english_box)
        spacer = QWidget(page)
        spacer.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        bar.addWidget(spacer)
        self.copy_action = bar.addAction("", self.copy)
        self.export_action = bar.addAction("", self.export_dialog)
        self.copy_button = bar.widgetForAction(self.copy_action)
        self._copied_timer = QTimer(self)  # "Copied" goes back to "Copy" after a moment
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(1500)
        self._copied_timer.timeout.connect(self._show_copy_text)
        self.export_button = bar.widgetForAction(self.export_action)

        self.editor = QPlainTextEdit(page)
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.editor.setFont(monospace_font())
        self.highlighter = PythonHighlighter(self.editor.document(), is_dark(self.palette()))

        self.reason_label = QLabel(page)
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.functional_button = QPushButton(page)
        self.functional_button.clicked.connect(lambda: self.set_code_style("functional"))
        reason_page = QWidget(page)
        reason_layout = QVBoxLayout(reason_page)
        reason_layout.setContentsMargins(16, 16, 16, 16)
        reason_layout.addWidget(self.reason_label)
        reason_layout.addWidget(self.functional_button, 0, Qt.AlignLeft)
        reason_layout.addStretch(1)

        self.pages = QStackedWidget(page)
        self.pages.addWidget(self.editor)
        self.pages.addWidget(reason_page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.pages, 1)
        return page

    def _build_summary_page(self) -> QWidget:
        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.summary.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.summary.setFont(monospace_font())
        return self.summary

    def _retranslate(self) -> None:
        """Every text of the view, and the summary, in the interface's language (the code is
        written again apart: :meth:`refresh`)."""
        self.tabs.setTabText(0, self.tr("Code"))
        self.tabs.setTabText(1, self.tr("Summary"))
        names = {"sequential": self.tr("Sequential"), "functional": self.tr("Functional"),
                 "subclass": self.tr("Subclass")}
        tips = {
            "sequential": self.tr("tf.keras.Sequential: a plain stack of layers, top to bottom."),
            "functional": self.tr("The Functional API: each layer is called on the tensors it takes."),
            "subclass": self.tr("A tf.keras.Model subclass: layers made in __init__, wired in call()."),
        }
        for style, button in self.style_buttons.items():
            button.defaultAction().setText(names[style])
            button.defaultAction().setToolTip(tips[style])
        self.script_box.setText(self.tr("Training script"))
        self.script_box.setToolTip(self.tr(
            "Add compile(), fit() and evaluate() on random data, so the file runs as it is."))
        self.english_box.setText(self.tr("English comments"))
        self.english_box.setToolTip(self.tr(
            "Write the comments of the code in English instead of the interface's language."))
        self.english_action.setVisible(language() != "en")  # comments are in English already
        self._show_copy_text()
        self.copy_action.setToolTip(self.tr("Copy the code to the clipboard"))
        self.export_action.setText(self.tr("Export as .py..."))
        self.export_action.setToolTip(self.tr("Save the code as a Python file"))
        self.functional_button.setText(self.tr("Show Functional code"))
        self._show_summary()

    @Slot()
    def _show_copy_text(self) -> None:
        """"Copied" for a moment after a copy, else "Copy"."""
        self.copy_action.setText(self.tr("Copied") if self._copied_timer.isActive() else self.tr("Copy"))

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        self._show_summary()

    def _show_summary(self) -> None:
        """Write the summary table from the last report, in the interface's language, if
        its tab is shown (else when it is)."""
        if self._summary_of is None:
            self.summary.setPlainText(self.tr("The summary appears as soon as TensorFlow is ready."))
            return
        if self.tabs.currentWidget() is not self.summary:
            if not self.summary.document().isEmpty():
                self.summary.clear()  # no older table (or waiting text) left behind
            return
        report, graph, revision = self._summary_of
        if graph is not self._document.graph or revision != self._document.revision:
            return  # the model changed since: its own report comes, and writes the summary
        scroll = self.summary.verticalScrollBar().value()
        self.summary.setPlainText(summary_text(graph, report))
        self.summary.verticalScrollBar().setValue(scroll)

    # ------------------------------------------------------------------ state
    def code_style(self) -> str:
        """The chosen code style: "sequential", "functional" or "subclass"."""
        checked = self.style_group.checkedAction()
        return checked.data() if checked is not None else STYLES[0]

    def set_code_style(self, style: str) -> None:
        """Show the code in ``style`` (one of :data:`STYLES`)."""
        self.style_buttons[style].defaultAction().setChecked(True)
        self._settings.setValue("code/style", style)
        self.refresh()

    @Slot()
    def _suit_style(self) -> None:
        """A project opened as a graph shows Functional code, not the Sequential style's
        "cannot be written" (the user's choice of style stays for stacks)."""
        if self.code_style() == "sequential" and not self._document.graph.is_stack():
            self.style_buttons["functional"].defaultAction().setChecked(True)
            self._later.start()  # written with the rest of the opening, not inside it

    def code(self) -> str:
        """The code of the model as it is ("" while the reason is shown instead)."""
        if self._pending():  # an edit is waiting to be written: write it now
            self.refresh()
        return self._code

    def reason(self) -> str:
        """Why the chosen style cannot write this model ("" when the code is shown)."""
        if self._pending():
            self.refresh()
        return self._reason

    def comments_language(self) -> str:
        """The language of the code's comments: the interface's, unless English is asked for."""
        return comments_language()

    @Slot(bool)
    def _on_english_toggled(self, checked: bool) -> None:
        set_english_comments(checked)
        self.refresh()

    @Slot(bool)
    def _on_script_toggled(self, checked: bool) -> None:
        self._settings.setValue("code/script", checked)
        self.refresh()

    # ------------------------------------------------------------------ updates
    @Slot()
    def _on_quiet(self) -> None:
        if self.refresh_hold.waits():
            self._retry.start()
        else:
            self._write_on_lane()

    @Slot()
    def _on_document_changed(self) -> None:
        self._changes[0] += 1  # code being written for the model before stops
        self._later.start()

    def _pending(self) -> bool:
        return self._later.isActive() or self._retry.isActive() or self._writing is not None

    def _settings_now(self) -> tuple:
        """What the code is written for: the graph, its revision and the chosen settings."""
        project = self._document.project
        return (project.graph, self._document.revision, self.code_style(), self.script_box.isChecked(),
                repr(project.training), self.comments_language())

    def _write_on_lane(self) -> None:
        """Write the code of the model as it is now on a lane (a snapshot goes there): the
        window only shows the answer."""
        if self._writer is None:
            self._writer = Requests(shared_lane(WRITE_LANE), self, doing=("writing the code", "编写代码"))
            self._writer.sigResult.connect(self._on_written)
            self._writer.sigError.connect(self._on_write_failed)
        project = self._document.project
        graph_json, style, script = self._document.snapshot(), self.code_style(), self.script_box.isChecked()
        training, comments = copy.deepcopy(project.training) or None, self.comments_language()
        self._writing = self._settings_now()
        changes, asked = self._changes, self._changes[0]
        self._writer.run(lambda: unless_superseded(  # "" for a model no longer shown: dropped (_on_written)
            lambda: write_code(ModelGraph.from_json(graph_json), style, script, training, comments),
            lambda: changes[0] != asked, ""))

    @Slot(object)
    def _on_written(self, code: str | TflabError) -> None:
        if self._writing is None:
            return  # written since on the window's thread (refresh)
        written_for, self._writing = self._writing, None
        if written_for != self._settings_now():  # the model changed meanwhile: written again soon
            if not self._pending():
                self._later.start()
            return
        self._show(code)

    @Slot(object)
    def _on_write_failed(self, err: TflabError) -> None:
        if self._writing is not None:
            self._writing = None
            self._show(err)

    @Slot()
    def refresh(self) -> None:
        """Regenerate the code from the document's graph, now."""
        self._later.stop()
        self._retry.stop()
        if self._writer is not None:
            self._writer.drop()
        self._writing = None
        project = self._document.project
        self._show(write_code(project.graph, self.code_style(), self.script_box.isChecked(),
                              project.training or None, self.comments_language()))

    def _show(self, code: str | TflabError) -> None:
        """Show ``code``, or why the chosen style cannot write the model."""
        project = self._document.project
        if isinstance(code, TflabError):
            if self._code:  # where the reader was, for when code comes back
                self._kept_scroll = self.editor.verticalScrollBar().value()
            self._code, self._reason = "", code.full()
            self.editor.clear()  # no code, and none of another style or language behind the reason
            self.reason_label.setText(self._reason)
            self.functional_button.setVisible(self.code_style() == "sequential"
                                              and not project.graph.is_stack())
            self.pages.setCurrentIndex(1)
        else:
            self._reason = ""
            self.reason_label.clear()
            if code != self._code:
                scroll = self.editor.verticalScrollBar().value() if self._code else self._kept_scroll
                self._code = code
                self.highlighter.pause()  # a new model's code: thousands of lines to colour
                first, count = replace_changed_lines(self.editor, code)
                self.highlighter.highlight_blocks(max(0, first - 1), count + 2)  # and the lines around
                self.editor.verticalScrollBar().setValue(scroll)
            self.pages.setCurrentIndex(0)
        self.copy_action.setEnabled(bool(self._code))
        self.export_action.setEnabled(bool(self._code))

    @Slot(object)
    def set_report(self, report: ShapeReport) -> None:
        """Show the summary table of ``report`` (a report of the graph as it is now)."""
        self._summary_of = (report, self._document.graph, self._document.revision)
        self._show_summary()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()  # the comments follow the interface's language (and a reason its words)
        super().changeEvent(event)

    # ------------------------------------------------------------------ actions
    @Slot()
    def copy(self) -> None:
        """Copy the code to the clipboard."""
        if not self._code:
            return
        QGuiApplication.clipboard().setText(self._code)
        self._copied_timer.start()
        self._show_copy_text()
        self.sigStatus.emit(self.tr("Code copied to the clipboard."))

    @Slot()
    def export_dialog(self) -> None:
        """Ask where to save the code, then write it."""
        if not self._code:
            if self.reason_label.isVisible():  # the reason is on screen: not a second time in a box
                self.sigStatus.emit(self.tr("Nothing to export: the code panel says why."))
            else:
                QMessageBox.information(self, self.tr("Export code"), self._reason)
            return
        folder = self._settings.value("code/export_dir", str(Path.home()), type=str)
        name = self._document.graph.name or "model"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export code"), str(Path(folder) / f"{name}.py"),
            self.tr("Python files (*.py)"))
        if not path:
            return
        if Path(path).suffix.lower() != ".py":
            path += ".py"
        self._settings.setValue("code/export_dir", str(Path(path).parent))
        self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the code to ``path`` atomically, on a lane (a folder that does not answer
        never holds the window): the status says when it is written (``sigExported``), a
        message box why not.

        A training script of a project with a data set is written with its data beside it
        (``<name>_data.npz``, :func:`tflab.script_export.export_training_script`)."""
        project = self._document.project
        if self.script_box.isChecked() and (project.training or {}).get("dataset"):
            snapshot = Project(ModelGraph.from_json(self._document.snapshot()), dict(project.training))
            style, comments = self.code_style(), self.comments_language()
            self._export_requests().run(lambda: export_training_script(snapshot, style, path, comments=comments))
            self.sigStatus.emit(fill(self.tr("Writing %1 and its data..."), str(path)))
            return
        code = self._code
        self._export_requests().run(lambda: (atomic_write_text(path, code), [path])[1])

    def _export_requests(self) -> Requests:
        if self._exporter is None:
            self._exporter = Requests(Lane("code-export", self), self, doing=("exporting", "导出"))
            self._exporter.sigResult.connect(self._on_exported)
            self._exporter.sigError.connect(self._on_export_failed)
        return self._exporter

    @Slot(object)
    def _on_exported(self, written: list) -> None:
        if len(written) == 1:
            self.sigStatus.emit(fill(self.tr("Code saved to %1."), str(written[0])))
        else:
            self.sigStatus.emit(fill(
                self.tr("Saved %1 (the data it trains on: %2)."),
                str(written[-1]),
                str(written[0].name),
            ))
        self.sigExported.emit([str(path) for path in written])

    @Slot(object)
    def _on_export_failed(self, err: TflabError) -> None:
        QMessageBox.critical(self, self.tr("Export code"), err.full())
