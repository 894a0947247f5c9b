"""The main window: menus, toolbar, status bar, the tabs, and the project's files.

The window owns the open :class:`~ui.core.document.Document` and the background
services around it: TensorFlow is imported by a :class:`~ui.core.tf_loader.TfLoader`
once the window is shown, shapes are checked by a
:class:`~ui.core.shape_service.ShapeService`, unsaved work is autosaved by a
:class:`~ui.core.recovery.Recovery`. Files are read on a worker thread (a ``.keras`` file
needs TensorFlow, a project may name a layer only Keras knows), so opening never
freezes the window; a file that cannot be opened leaves the current project as it is.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QWidget,
)

from tflab import __version__, messages, weights
from tflab.fileio import atomic_write_text
from tflab.graph import ModelGraph
from tflab.labs import LESSONS
from tflab.layout import place_missing
from tflab.messages import TflabError
from tflab.project import SUFFIX as PROJECT_SUFFIX
from tflab.project import Project, dumps, load_project, starter_project
from tflab.runlogs import tensorboard_command
from tflab.shapes import ShapeReport
from ui.app import language
from ui.core.document import Document
from ui.core.recovery import Orphan, Recovery, find_orphans
from ui.core.settings import settings as app_settings
from ui.core.shape_service import ShapeService
from ui.core.text import fill
from ui.core.tf_loader import TfLoader
from ui.core.workers import QUIT_WAIT_MS, Lane, Requests
from ui.editor.panel import Editor
from ui.imaging.panel import PICTURE_SUFFIXES, ImageTool
from ui.labs.common import LabContext
from ui.labs.glossary import show_glossary
from ui.labs.panel import LabsPanel
from ui.training.panel import TrainingPanel

KERAS_SUFFIX = ".keras"
OPENABLE = (PROJECT_SUFFIX, KERAS_SUFFIX)
MAX_RECENT = 8
#: A save still writing after this long shows a dialog that can stop waiting for it.
SAVE_QUIET_MS = 500


def new_project() -> Project:
    """What File > New opens: the course's first model on MNIST (:func:`tflab.project.starter_project`)."""
    return starter_project()


def _import_keras(path: Path) -> Project:
    from tflab.importer import import_keras_file

    return Project(import_keras_file(path))


@dataclass
class _Opened:
    """A project read off the GUI thread, and how to show it."""

    project: Project
    path: Path | None           # the file it is saved to (None: must Save As)
    name: str                   # the name in the title bar while it has no file
    unsaved: bool               # True for imported or recovered work
    orphan: Orphan | None = None
    layout: dict = field(default_factory=dict)  # where the graph view shows the nodes it does not place
    recent: str | None = None   # the file for Open Recent, its links resolved (on the lane)


def _display_layout(project: Project) -> dict:
    """Where the graph view will show the nodes ``project`` does not place (worked out on
    the opener's lane; see GraphView.expect_layout). Empty if it cannot tell: the view
    then lays them out itself, as it would have."""
    graph = project.graph
    try:
        return place_missing(graph, graph.positions)
    except Exception:  # noqa: BLE001 - only a hint; the view decides
        return {}


class StatusLight(QWidget):
    """A coloured dot and a short text, for the status bar ("busy", "ok" or "error")."""

    COLOURS = {"busy": "#d89b00", "ok": "#2e7d32", "error": "#c62828"}

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._dot = QLabel("\u25cf", self)
        self._label = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self._dot)
        layout.addWidget(self._label)
        self.state = ""

    def set_state(self, state: str, text: str, tip: str = "") -> None:
        self.state = state
        self._dot.setStyleSheet(f"color: {self.COLOURS[state]};")
        self._label.setText(text)
        self.setToolTip(tip)

    def text(self) -> str:
        return self._label.text()


class MainWindow(QMainWindow):
    """The tflab window. See the module docstring.

    Signals:
        sigProjectOpened(str): a project (or model, or recovered work) is shown; its path or "".
        sigOpenFailed(object): opening a file failed (the TflabError, already shown to the user).
        sigStartupDone(): :meth:`startup` looked for unsaved work of earlier sessions and
            the question about it (if any) was answered.
    """

    sigProjectOpened = Signal(str)
    sigOpenFailed = Signal(object)
    sigStartupDone = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.settings = app_settings()
        self.document = Document(new_project(), self)
        self.tf_loader = TfLoader(self)
        self.shapes = ShapeService(self.document, self.tf_loader, self)
        self.recovery = Recovery(self.document, parent=self)
        self._untitled_name = ""
        # Files are read one at a time on a lane of their own; the GUI thread never waits.
        self._opener = Requests(Lane("file-open", self), self, doing=("reading the file", "读取文件"))
        self._opener.sigResult.connect(self._on_opened)
        self._opener.sigError.connect(self._on_open_failed)
        self._opener.sigBusy.connect(self._on_open_busy)
        #: Looks for work an earlier session left (on the file-open lane: the recovery
        #: folder sits in the home folder, which may be on the network).
        self._orphans = Requests(self._opener.lane, self, doing=("looking for unsaved work", "查找未保存的工作"))
        self._orphans.sigResult.connect(self._offer_recovery)
        self._start_paths: list[str] = []
        self._open_orphan: Orphan | None = None  # the recovered work being opened, if any
        self._changes = 0  # edits so far: tells whether the model changed while a file was read
        self._changes_at_open = 0
        self._started = False
        self._shut_down = False
        self._saver: Requests | None = None  # File > Save writes on this lane
        self._save_wait: QEventLoop | None = None
        self._save_outcome: tuple[str, object] | None = None

        self.editor = Editor(self.document, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self._tab_keys: dict[str, QWidget] = {}
        self.add_tab(self.editor, "", "editor")
        self.training = TrainingPanel(self.document, self.tf_loader)
        self.add_tab(self.training, "", "training")
        self.training.sigStatus.connect(self._show_status)
        self.image_tool = ImageTool()
        self.add_tab(self.image_tool, "", "image")
        self.image_tool.sigStatus.connect(self._show_status)
        self.labs = LabsPanel(LabContext(open_graph=self.open_lab_graph, open_training=self.open_lab_training,
                                         open_image_tool=lambda: self.show_tab("image"),
                                         project_custom_code=lambda: self.document.graph.custom_code,
                                         use_custom_code=self.document.set_custom_code))
        self.add_tab(self.labs, "", "labs")
        self.setCentralWidget(self.tabs)

        self._create_actions()
        self._create_menus()
        self._create_toolbar()
        self._create_status_bar()
        self._retranslate()
        self._connect()
        self._restore_settings()
        self._update_title()
        self._update_view_actions()
        self._project_shown()

    # ------------------------------------------------------------------ building
    def add_tab(self, widget: QWidget, title: str, key: str = "") -> int:
        """Show ``widget`` as a tab; a ``key`` already used replaces that tab in place.

        The window's own tabs (Editor, Training, Image, Labs) are added this way;
        ``show_tab(key)`` brings one to the front. Returns the tab's index.
        """
        old = self._tab_keys.get(key) if key else None
        if old is not None:
            index = self.tabs.indexOf(old)
            self.tabs.removeTab(index)
            old.deleteLater()
            self.tabs.insertTab(index, widget, title)
        else:
            index = self.tabs.addTab(widget, title)
        if key:
            self._tab_keys[key] = widget
        return index

    def _action(self, slot: Callable, shortcut=None, icon: str = "") -> QAction:
        """An action of the window (its words come from :meth:`_retranslate`). ``icon`` names
        an icon of the system's icon theme; where there is none the toolbar shows the text alone."""
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(QIcon.fromTheme(icon))
        action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        self.action_new = self._action(self.new_file, QKeySequence.New, "document-new")
        self.action_open = self._action(self.open_dialog, QKeySequence.Open, "document-open")
        self.action_save = self._action(self.save, QKeySequence.Save, "document-save")
        self.action_save_as = self._action(self.save_as, QKeySequence.SaveAs)
        self.action_import = self._action(self.import_dialog, None, "document-import")
        self.action_export = self._action(self.editor.code_view.export_dialog, None, "document-export")
        self.action_quit = self._action(self.close, QKeySequence.Quit)
        self.action_quit.setMenuRole(QAction.QuitRole)

        # Undo and Redo name the step they take back or do again ("Undo Add Dense").
        stack = self.document.undo_stack
        self.action_undo = self._action(stack.undo, QKeySequence.Undo, "edit-undo")
        self.action_redo = self._action(stack.redo, None, "edit-redo")
        # Both habits work: Ctrl+Y (Windows) and Ctrl+Shift+Z (Linux, macOS: Cmd+Shift+Z).
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged, stack.redoTextChanged):
            signal.connect(self._update_undo_actions)
        self.action_delete = self._action(self.editor.delete_selected, QKeySequence.Delete, "edit-delete")
        self.action_delete.setEnabled(False)
        self.action_custom_code = self._action(self.editor.review_custom_code)

        self.view_group = QActionGroup(self)
        self.action_stack = self._action(lambda: self.editor.set_mode("stack"), "Ctrl+1")
        self.action_graph = self._action(lambda: self.editor.set_mode("graph"), "Ctrl+2")
        for action in (self.action_stack, self.action_graph):
            action.setCheckable(True)
            self.view_group.addAction(action)
        graph_view = self.editor.graph_view  # zooming is the graph's: it has its own shortcuts
        self.zoom_actions = [graph_view.act_zoom_in, graph_view.act_zoom_out, graph_view.act_reset_zoom,
                             graph_view.act_fit_all]
        self.action_about = self._action(self.about)
        self.action_about.setMenuRole(QAction.AboutRole)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = file_menu = bar.addMenu("")
        file_menu.addActions([self.action_new, self.action_open])
        self.recent_menu = file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.action_save, self.action_save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.action_import, self.action_export])
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

        self.edit_menu = edit_menu = bar.addMenu("")
        edit_menu.addActions([self.action_undo, self.action_redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_delete)
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_custom_code)

        self.view_menu = view_menu = bar.addMenu("")
        view_menu.addActions([self.action_stack, self.action_graph])
        view_menu.addSeparator()
        view_menu.addActions(self.zoom_actions)
        view_menu.addSeparator()
        self._create_language_menu(view_menu)

        self.help_menu = help_menu = bar.addMenu("")
        self.lessons_menu = help_menu.addMenu("")
        for item in LESSONS:
            action = self.lessons_menu.addAction("")
            action.triggered.connect(lambda _checked=False, lesson_id=item.id: self.open_lesson(lesson_id))
        self.action_glossary = help_menu.addAction("", self.show_glossary)
        self.action_shortcuts = help_menu.addAction("", self.show_shortcuts)
        self.action_tensorboard = help_menu.addAction("", self.show_tensorboard_help)
        help_menu.addSeparator()
        help_menu.addAction(self.action_about)

    def _create_toolbar(self) -> None:
        self.toolbar = toolbar = self.addToolBar("")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        toolbar.addActions([self.action_new, self.action_open, self.action_save])
        toolbar.addSeparator()
        toolbar.addActions([self.action_undo, self.action_redo, self.action_delete])
        toolbar.addSeparator()
        toolbar.addActions([self.action_import, self.action_export])

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.params_label = QLabel(self)
        self._report: ShapeReport | None = None
        self.tf_indicator = StatusLight(self)
        status.addPermanentWidget(self.params_label)
        status.addPermanentWidget(self.tf_indicator)

    def _retranslate(self) -> None:
        """Every word of the window's own in the language now chosen (the tabs' contents
        follow the language themselves)."""
        for key, title in (("editor", self.tr("Editor")), ("training", self.tr("Training")),
                           ("image", self.tr("Image")), ("labs", self.tr("Labs"))):
            self.tabs.setTabText(self.tabs.indexOf(self._tab_keys[key]), title)
        words = (
            (self.action_new, self.tr("&New"), self.tr("Start a new model")),
            (self.action_open, self.tr("&Open..."), self.tr("Open a tflab project or a Keras model")),
            (self.action_save, self.tr("&Save"), self.tr("Save the project")),
            (self.action_save_as, self.tr("Save &As..."), self.tr("Save the project under another name")),
            (self.action_import, self.tr("&Import Keras Model..."),
             self.tr("Open a model saved by Keras (.keras) as a new project")),
            (self.action_export, self.tr("&Export Code..."), self.tr("Save the model's Keras code as a Python file")),
            (self.action_quit, self.tr("&Quit"), self.tr("Quit tflab")),
            (self.action_delete, self.tr("&Delete"), self.tr("Delete the selected layer")),
            (self.action_custom_code, self.tr("Custom &Layer Code..."),
             self.tr("Read the Python code of this project's own layers (and allow it to run)")),
            (self.action_stack, self.tr("&Stack"), ""),
            (self.action_graph, self.tr("&Graph"), self.tr("Show the model as a graph of layers and wires")),
            (self.action_about, self.tr("&About tflab"), ""),
            (self.action_glossary, self.tr("&Glossary"), ""),
            (self.action_shortcuts, self.tr("&Keyboard Shortcuts"), ""),
            (self.action_tensorboard, self.tr("Training Logs in &TensorBoard"), ""),
        )
        for action, text, tip in words:
            action.setText(text)
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(tip)
        self._update_undo_actions()
        for menu, title in ((self.file_menu, self.tr("&File")), (self.recent_menu, self.tr("Open &Recent")),
                            (self.edit_menu, self.tr("&Edit")), (self.view_menu, self.tr("&View")),
                            (self.help_menu, self.tr("&Help")), (self.lessons_menu, self.tr("&Lessons")),
                            (self.language_menu, self.tr("&Language"))):
            menu.setTitle(title)
        for number, (action, item) in enumerate(zip(self.lessons_menu.actions(), LESSONS), 1):
            action.setText(f"{number}. {item.title()}")
        for action in self.language_group.actions():
            if action.data() == language.SYSTEM:
                action.setText(self.tr("System"))
        self.toolbar.setWindowTitle(self.tr("Main"))
        self._show_params(self._report)
        self._show_tf_state()
        self._update_title()
        self._update_view_actions()

    @Slot()
    def _update_undo_actions(self) -> None:
        """Undo and Redo, each named with the step it takes (the toolbar keeps the short name)."""
        stack = self.document.undo_stack
        for action, text, short, step, can in (
                (self.action_undo, self.tr("&Undo"), self.tr("Undo"), stack.undoText(), stack.canUndo()),
                (self.action_redo, self.tr("&Redo"), self.tr("Redo"), stack.redoText(), stack.canRedo())):
            action.setText(f"{text} {step}" if step else text)
            action.setIconText(short)
            action.setToolTip(f"{short} {step}" if step else short)
            action.setEnabled(can)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _connect(self) -> None:
        doc = self.document
        doc.sigModifiedChanged.connect(self._update_title)
        doc.sigPathChanged.connect(self._update_title)
        doc.sigSelectionChanged.connect(self._update_view_actions)
        self.tabs.currentChanged.connect(self._update_view_actions)
        doc.sigChanged.connect(self._update_view_actions)
        doc.sigChanged.connect(self._count_change)
        doc.sigPlaced.connect(self._count_change)
        doc.sigError.connect(self._show_edit_error)
        self.editor.sigModeChanged.connect(self._update_view_actions)
        self.editor.code_view.sigStatus.connect(self._show_status)
        self.editor.graph_view.sigMessage.connect(self._show_status)
        self.tf_loader.sigReady.connect(self._on_tf_ready)
        self.tf_loader.sigFailed.connect(self._on_tf_failed)
        self.shapes.sigReport.connect(self._on_report)
        self.editor.graph_view.build_hold.set_busy(self.shapes.checking)
        self.editor.code_view.refresh_hold.set_busy(self._code_may_wait)
        self.shapes.sigBusy.connect(self._on_shapes_busy)

    def _code_may_wait(self) -> bool:
        """The model's code waits while its shapes are checked or its boxes are made: each
        is long Python work for a big model, and beside each other they held the window
        for their sum."""
        return self.shapes.checking() or self.editor.graph_view.building()

    # ------------------------------------------------------------------ start-up
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._started:
            self._started = True
            QTimer.singleShot(0, self, self._start_background)

    @Slot()
    def _start_background(self) -> None:
        """Once the window is up: load TensorFlow and start autosaving (unless the window
        was closed first: nothing may start after :meth:`shutdown`)."""
        if self._shut_down:
            return
        self.tf_loader.start()
        self.recovery.start()

    def startup(self, paths: list[str]) -> None:
        """First things after the window is shown: offer recovered work, else open ``paths[0]``.
        Earlier sessions' work is looked for on a lane; ``sigStartupDone`` says when the
        question (if any) is answered."""
        self._start_paths = list(paths)
        folder = self.recovery.folder
        self._orphans.run(lambda: find_orphans(folder))

    @Slot(object)
    def _offer_recovery(self, orphans: list[Orphan]) -> None:
        if not self.offer_recovery(orphans) and self._start_paths:
            self.open_file(Path(self._start_paths[0]))
        self.sigStartupDone.emit()

    def offer_recovery(self, orphans: list[Orphan]) -> bool:
        """Ask "Recover unsaved work?" if an earlier session crashed (``orphans``, newest
        first). True if recovering."""
        if self._shut_down:
            for orphan in orphans:
                orphan.release()
            return False
        if not orphans:
            return False
        newest, older = orphans[0], orphans[1:]
        for orphan in older:  # offered at a later start
            self._release(orphan)
        when = newest.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        name = newest.title() or self.tr("an unsaved model")
        answer = QMessageBox.question(
            self, self.tr("Recover unsaved work?"),
            fill(self.tr("tflab did not close normally last time. Recover the unsaved changes to %1 "
                    "(autosaved %2)?\n\nYes opens them, Discard deletes them, "
                    "Cancel asks again next time."), name, when),
            QMessageBox.Yes | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Yes)
        if answer == QMessageBox.Yes:
            self._start_open(newest.load, newest.original, newest.title(), unsaved=True, orphan=newest)
            return True
        if answer == QMessageBox.Discard:
            self._orphans.lane.submit(None, newest.delete)  # the file goes, on the lane
        else:
            self._release(newest)
        return False

    def _release(self, orphan: Orphan) -> None:
        """Let other sessions see ``orphan`` again: its lock file (in the recovery folder, in
        the home folder a school may keep on its network) is deleted on the lane that took it."""
        self._orphans.lane.submit(None, orphan.release)

    # ------------------------------------------------------------------ files
    def maybe_save(self) -> bool:
        """Ask to save unsaved changes. False if the user cancels (or saving fails)."""
        if not self.document.is_modified():
            return True
        answer = QMessageBox.warning(
            self, self.tr("Unsaved changes"),
            fill(self.tr("The model \u201c%1\u201d has unsaved changes. Save them?"), self._display_name()),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    @Slot()
    def new_file(self) -> None:
        """File > New: the seed example, after asking about unsaved changes."""
        if not self.maybe_save():
            return
        self._untitled_name = ""
        self.document.replace_project(new_project(), None)
        self._project_shown()

    def _project_shown(self) -> None:
        """A project is shown: pick its view; a model that is only an input starts with the
        input selected, so its shape is in view (the inspector shows it)."""
        self.editor.project_loaded()
        graph = self.document.graph
        if not graph.calls and len(graph.inputs) == 1:
            self.document.select(graph.inputs[0].id)

    @Slot()
    def open_dialog(self) -> None:
        """File > Open: a tflab project or a Keras model."""
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open"), self._last_dir(),
            ";;".join([self.tr("tflab projects and Keras models (*.tflab *.keras)"),
                       self.tr("tflab projects (*.tflab)"), self.tr("Keras models (*.keras)")]))
        if path:
            self._load(Path(path))

    @Slot()
    def import_dialog(self) -> None:
        """File > Import Keras Model: a ``.keras`` file as a new, unsaved project."""
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import Keras Model"), self._last_dir(),
                                              self.tr("Keras models (*.keras)"))
        if path:
            self._load(Path(path))

    def open_file(self, path: Path) -> None:
        """Open ``path`` (``.tflab`` or ``.keras``) after asking about unsaved changes."""
        if self.maybe_save():
            self._load(path)

    def _load(self, path: Path) -> None:
        """Read ``path`` on a worker thread; show it when done (or say why not)."""
        if path.suffix.lower() == KERAS_SUFFIX:
            self._start_open(lambda: _import_keras(path), None, path.stem, unsaved=True, source=path)
        else:
            self._start_open(lambda: load_project(path), path, "", unsaved=False, source=path)

    def _start_open(self, read: Callable[[], Project], path: Path | None, name: str, unsaved: bool,
                    orphan: Orphan | None = None, source: Path | None = None) -> None:
        if self._opener.busy():
            self.statusBar().showMessage(self.tr("Still opening the previous file, please wait."), 5000)
            return
        self._open_orphan = orphan
        self._changes_at_open = self._changes
        shown = (source or path or Path(name)).name
        self.statusBar().showMessage(fill(self.tr("Opening %1..."), shown))
        QApplication.setOverrideCursor(Qt.BusyCursor)

        recent = path or (source if orphan is None else None)  # a project, or a Keras model from its file

        def job() -> _Opened:
            # Files are looked at here, on the lane, never on the window's thread: on a network
            # folder that does not answer, even asking whether a file exists can block.
            try:
                project = read()
                return _Opened(project, path, name, unsaved, orphan, _display_layout(project),
                               None if recent is None else str(recent.resolve()))
            except TflabError as err:
                err.file_missing = source is not None and not source.exists()
                err.recent = None if source is None else str(source.resolve())
                raise

        self._opener.run(job)

    @Slot(bool)
    def _on_open_busy(self, busy: bool) -> None:
        if not busy:
            QApplication.restoreOverrideCursor()

    @Slot(object)
    def _on_opened(self, opened: _Opened) -> None:
        self.statusBar().clearMessage()
        if self._shut_down:  # the window closed while the file was read
            return
        if self._changes != self._changes_at_open and not self.maybe_save():
            if opened.orphan is not None:  # the model was edited meanwhile and the user keeps it
                self._release(opened.orphan)
            return
        self._untitled_name = opened.name
        self.editor.graph_view.expect_layout(opened.project, opened.layout)
        self.document.replace_project(opened.project, opened.path)
        if opened.unsaved:
            self.document.undo_stack.resetClean()
            self.recovery.mark_unsaved()
        self._project_shown()
        if opened.orphan is not None:  # safe in this session's file first, then the old one goes
            self.recovery.autosave_then(opened.orphan.delete)
        if opened.recent is not None:
            self._add_recent(opened.recent)
        self.sigProjectOpened.emit(str(opened.path or ""))

    @Slot(object)
    def _on_open_failed(self, err: TflabError) -> None:
        self.statusBar().clearMessage()
        if getattr(err, "file_missing", False) and getattr(err, "recent", None):
            self._remove_recent(err.recent)
        if self._open_orphan is not None:
            self._release(self._open_orphan)  # unreadable now; left for a later tflab
        QMessageBox.critical(self, self.tr("Cannot open the file"), err.full())
        self.sigOpenFailed.emit(err)

    @Slot()
    def save(self) -> bool:
        """File > Save (Save As for a project without a file). True when saved."""
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    @Slot()
    def save_as(self) -> bool:
        """File > Save As: ask for a ``.tflab`` file name, then save. True when saved."""
        current = self.document.path
        name = self._untitled_name or self.document.graph.name
        suggestion = current or Path(self._last_dir()) / f"{name}{PROJECT_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Project As"), str(suggestion),
                                              self.tr("tflab projects (*.tflab)"))
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != PROJECT_SUFFIX:
            target = target.with_name(target.name + PROJECT_SUFFIX)
        return self.save_to(target)

    def save_to(self, path: Path) -> bool:
        """Save the project to ``path`` (atomically). Shows the error and returns False on failure."""
        if self._save_wait is not None:
            return False  # a save is being written (input waits meanwhile; a timer may ask)
        project = self.document.project
        project.meta["view"] = self.editor.mode()
        if not weights.fits(project.weights, project.graph):
            project.weights = None  # trained for a model the editor has changed since
        error = self._write_aside(path, dumps(project))
        if error is not None:
            QMessageBox.critical(self, self.tr("Cannot save the project"), error.full())
            return False
        self.document.set_path(path)
        self.document.mark_saved()
        self._untitled_name = ""
        self._add_recent(self._save_outcome[1])
        self.statusBar().showMessage(fill(self.tr("Saved %1"), path.name), 5000)
        return True

    def _write_aside(self, path: Path, text: str) -> TflabError | None:
        """Write ``text`` to ``path`` (atomically) on the file-save lane; None when written.

        The window keeps painting while the disk works, and the user's clicks and keys wait
        until the file is written, so nothing changes under the save. A write still going
        after :data:`SAVE_QUIET_MS` (a slow USB stick, a network folder that does not
        answer) shows a dialog that can stop waiting: the project then stays unsaved, and
        that write is left to finish or fail on its own thread.
        """
        if self._saver is None:
            # No owner: a write that never returns must not hold up the window's destruction;
            # shutdown() (or the end of the process) waits for it QUIT_WAIT_MS at most.
            self._saver = Requests(Lane("file-save"), self, doing=("saving the project", "保存项目"))
            self._saver.sigResult.connect(self._on_written)
            self._saver.sigError.connect(self._on_write_failed)
        self._save_outcome = None
        self._save_wait = QEventLoop(self)
        try:
            self._saver.run(lambda: (atomic_write_text(path, text), str(path.resolve()))[1])  # for Open Recent
            QTimer.singleShot(SAVE_QUIET_MS, self._save_wait.quit)
            self._save_wait.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            if self._save_outcome is None:
                self._wait_with_dialog(path)
        finally:
            self._save_wait = None
        if self._save_outcome is None:  # the user stopped waiting
            self._saver.blockSignals(True)
            self._saver.lane.shutdown(QDeadlineTimer(0))  # left to finish on its own
            self._saver = None  # the next save gets a fresh lane, not the queue of this one
            return TflabError(
                f"{path.name} was not saved: writing to {path.parent} did not finish (the disk or the "
                "network folder does not answer). Your work is still here.",
                f"{path.name} 没有保存：写入 {path.parent} 没有完成（磁盘或网络文件夹没有响应）。"
                "你的工作仍然保留在这里。",
                hint_en="Save the project to another folder (File > Save As).",
                hint_zh="请把项目保存到另一个文件夹（文件 > 另存为）。",
            )
        kind, value = self._save_outcome
        return value if kind == "error" else None

    def _wait_with_dialog(self, path: Path) -> None:
        dialog = QProgressDialog(fill(self.tr("Saving %1…"), path.name), self.tr("Stop Waiting"),
                                 0, 0, self)
        dialog.setWindowTitle(self.tr("Saving"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self._save_wait.quit)
        self.save_dialog = dialog  # for tests
        dialog.show()
        self._save_wait.exec()
        dialog.canceled.disconnect(self._save_wait.quit)
        dialog.close()
        dialog.deleteLater()
        self.save_dialog = None

    @Slot(object)
    def _on_written(self, resolved: str) -> None:
        self._save_outcome = ("written", resolved)
        if self._save_wait is not None:
            self._save_wait.quit()

    @Slot(object)
    def _on_write_failed(self, error: TflabError) -> None:
        self._save_outcome = ("error", error)
        if self._save_wait is not None:
            self._save_wait.quit()

    # ------------------------------------------------------------------ labs
    def show_tab(self, key: str) -> None:
        """Bring the tab added under ``key`` to the front."""
        self.tabs.setCurrentWidget(self._tab_keys[key])

    def open_lab_graph(self, graph: ModelGraph) -> None:
        """Show a lab's model in the editor as a new project without a file (after asking
        to save unsaved changes)."""
        if not self.maybe_save():
            return
        self._untitled_name = graph.name
        self.document.replace_project(Project(graph), None)
        self._project_shown()
        self.show_tab("editor")

    def open_lab_training(self, settings: dict) -> None:
        """Put a lab's training settings (``dataset`` included) into the project and show them
        (one undoable step, like any change of the settings)."""
        self.document.set_training({**self.document.project.training, **settings},
                                   self.tr("Training settings from the lab"))
        self.training.show_settings(self.document.project.training)
        self.show_tab("training")

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        return [p for p in self.settings.value("files/recent", [], type=list) if isinstance(p, str)]

    def _add_recent(self, text: str) -> None:
        """Put ``text`` (a file's path, its links resolved on a lane) first in Open Recent."""
        recent = [text] + [p for p in self.recent_files() if p != text]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self.settings.setValue("files/last_dir", str(Path(text).parent))

    def _remove_recent(self, text: str) -> None:
        self.settings.setValue("files/recent", [p for p in self.recent_files() if p != text])

    def _last_dir(self) -> str:
        return self.settings.value("files/last_dir", str(Path.home()), type=str)

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for number, text in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{number} {Path(text).name}")
            action.setStatusTip(text)
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, p=text: self.open_file(Path(p)))
        if not recent:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.tr("&Clear Menu"),
                                   lambda: self.settings.setValue("files/recent", []))

    # ------------------------------------------------------------------ drag and drop
    def _dropped_file(self, event) -> Path | None:
        """The project, Keras model or picture dropped on the window (the first one)."""
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in OPENABLE + PICTURE_SUFFIXES:
                    return path
        return None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        if path.suffix.lower() in PICTURE_SUFFIXES:  # a picture goes to the image tool
            self.show_tab("image")
            self.image_tool.open_paths_async([path])
            return
        # Open after the drop is over: never run a dialog inside the drop itself.
        QTimer.singleShot(0, self, lambda: self.open_file(path))

    # ------------------------------------------------------------------ status
    def _display_name(self) -> str:
        if self.document.path is not None:
            return self.document.path.name
        return self._untitled_name or self.tr("Untitled")

    @Slot()
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self._display_name()}[*] - tflab")
        self.setWindowModified(self.document.is_modified())

    @Slot()
    def _update_view_actions(self) -> None:
        """The editor's actions follow its state, and only act while the Editor tab is shown
        (Delete on another tab must not remove a layer the user cannot see)."""
        on_editor = self.tabs.currentWidget() is self.editor
        self.action_delete.setEnabled(on_editor and bool(self.document.selected))
        self.action_custom_code.setEnabled(bool(self.document.graph.custom_code))
        reason = self.editor.stack_reason()
        self.action_stack.setEnabled(not reason)
        self.action_stack.setStatusTip(reason or self.tr("Show the model as a stack of layers"))
        (self.action_stack if self.editor.mode() == "stack" else self.action_graph).setChecked(True)
        graph = on_editor and self.editor.mode() == "graph"
        for action in self.zoom_actions:  # the View menu's keys work wherever the focus is
            action.setEnabled(graph)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut if graph
                                      else Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _show_tf_state(self) -> None:
        """The status bar's light: TensorFlow loading, ready, or unavailable and why."""
        loader = self.tf_loader
        if loader.error():
            self.tf_indicator.set_state("error", self.tr("TensorFlow unavailable"), loader.error())
        elif loader.is_ready():
            self.tf_indicator.set_state("ok", self.tr("TensorFlow ready"),
                                        fill(self.tr("TensorFlow %1 is loaded."), loader.version))
        else:
            self.tf_indicator.set_state(
                "busy", self.tr("Loading TensorFlow..."),
                self.tr("TensorFlow is loading in the background; you can keep working."))

    @Slot()
    def _on_tf_ready(self) -> None:
        self._show_tf_state()
        self.editor.tf_ready()

    @Slot(str)
    def _on_tf_failed(self, text: str) -> None:
        self._show_tf_state()
        box = QMessageBox(QMessageBox.Warning, self.tr("TensorFlow could not be loaded"), text,
                          QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()

    @Slot(object)
    def _on_report(self, report: ShapeReport) -> None:
        self.editor.set_report(report)
        self._show_params(report)

    @Slot(bool)
    def _on_shapes_busy(self, busy: bool) -> None:
        self.params_label.setEnabled(not busy)

    def _show_params(self, report: ShapeReport | None) -> None:
        self._report = report
        if report is None:
            self.params_label.setText(self.tr("Parameters: \u2013"))
            return
        text = fill(self.tr("Parameters: %1"), f"{report.total_params:,}")
        problems = len(report.problems) + len(report.errors)
        if problems:
            text += "   \u26a0 " + fill(self.tr("Problems: %1"), str(problems))
            first = report.first_error()
            self.params_label.setToolTip(first.full() if first else "")
        else:
            self.params_label.setToolTip(self.tr("Number of parameters (weights) the model learns"))
        self.params_label.setText(text)

    @Slot()
    def _count_change(self) -> None:
        self._changes += 1

    @Slot(str)
    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(object)
    def _show_edit_error(self, err: TflabError) -> None:
        self.statusBar().showMessage(err.full().replace("\n", "  "), 10000)

    @Slot()
    def open_lesson(self, lesson_id: str) -> None:
        """Help > Lessons: the lesson (and its lab) on the Labs tab."""
        self.tabs.setCurrentWidget(self.labs)
        self.labs.show_lesson(lesson_id)

    @Slot()
    def show_glossary(self) -> None:
        """Help > Glossary: the course's words in both languages."""
        show_glossary(self)

    def shortcuts_text(self) -> str:
        """The keyboard shortcuts, as rich text, from the actions themselves."""
        rows = []
        actions = [self.action_new, self.action_open, self.action_save, self.action_save_as, self.action_quit,
                   self.action_undo, self.action_redo, self.action_delete, self.action_stack,
                   self.action_graph, *self.zoom_actions]
        for action in actions:
            keys = " / ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())
            if keys:
                name = action.iconText()  # "Undo", not "Undo Add Dense"
                rows.append(f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys)}</b></td></tr>")
        return "<table cellspacing='6'>" + "".join(rows) + "</table>"

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard Shortcuts"), self.shortcuts_text())

    def show_tensorboard_help(self) -> None:
        """How to see the training logs in TensorBoard, with the real folder."""
        QMessageBox.information(self, self.tr("Training Logs in TensorBoard"), fill(
            self.tr(
                "<p>Every training run writes its loss and metrics with tf.summary.scalar into a folder "
                "of its own under:</p><p><code>%1</code></p><p>Where TensorBoard is installed "
                "(pip install tensorboard), run this in a terminal, then open http://localhost:6006 in a "
                "browser:</p><p><code>%2</code></p><p>The Training tab's Past runs shows the same runs "
                "without TensorBoard.</p>"),
            html.escape(self.training.logdir),
            html.escape(tensorboard_command(self.training.logdir), quote=False),
        ))

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About tflab"), fill(self.tr(
            "<h3>tflab %1</h3><p>An offline lab for learning TensorFlow and Keras: build models "
            "from layers, read their code, train them and see what they learn.</p>"), __version__))

    # ------------------------------------------------------------------ language
    def _create_language_menu(self, menu: QMenu) -> None:
        """View > Language: System / English / 中文, the saved choice checked.

        The names of the languages are in their own language, so that anyone finds theirs."""
        self.language_menu = menu.addMenu(self.tr("&Language"))
        self.language_group = QActionGroup(self)
        names = {language.SYSTEM: self.tr("System"), language.ENGLISH: "English", language.CHINESE: "中文"}
        for choice in language.CHOICES:
            action = self.language_menu.addAction(names[choice])
            action.setCheckable(True)
            action.setData(choice)
            self.language_group.addAction(action)
        self._check_language(language.saved_choice())
        self.language_group.triggered.connect(lambda action: self.switch_language(action.data()))

    def _check_language(self, choice: str) -> None:
        for action in self.language_group.actions():
            action.setChecked(action.data() == choice)

    def switch_language(self, choice: str) -> None:
        """Show the interface in ``choice`` (see :mod:`ui.app.language`) and remember it.

        The switch happens in place: every widget writes its words again in the new
        language (each on ``QEvent.LanguageChange``), so nothing is lost or restarted: the
        project and its undo history, a training run and its curves, the pictures of the
        image tool, the labs' inputs and answers.
        """
        language.save_choice(choice)
        self._check_language(choice)
        if language.interface_language(choice) == messages.language():
            return  # e.g. System -> 中文 on a Chinese system: the same words, nothing to redo
        language.apply_choice(QApplication.instance(), choice)

    # ------------------------------------------------------------------ settings and closing
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry", QByteArray(), type=QByteArray)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            available = self.screen().availableGeometry().size()
            self.resize(QSize(1280, 800).boundedTo(available * 0.92))
        state = self.settings.value("window/state", QByteArray(), type=QByteArray)
        if not state.isEmpty():
            self.restoreState(state)
        self.editor.restore_state(self.settings)

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.editor.save_state(self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._shut_down:
            event.accept()
            return
        if not self.maybe_save():
            event.ignore()
            return
        event.accept()
        self._save_settings()
        self.hide()  # the threads below may take a moment to end
        self.shutdown()

    def shutdown(self, keep_unsaved: bool = False) -> None:
        """Stop every background thread; does nothing the second time.

        On a normal close the user has saved or discarded the changes, so the
        recovery file goes. ``keep_unsaved`` (the application ended without the
        window closing) keeps unsaved work for recovery at the next start.
        """
        if self._shut_down:
            return
        self._shut_down = True
        # Reading a file or importing TensorFlow cannot be interrupted: closing waits for
        # them QUIT_WAIT_MS at most, then the process ends without them (ui.app.main.main).
        deadline = QDeadlineTimer(QUIT_WAIT_MS)
        self.recovery.shutdown(keep_unsaved)
        self.shapes.shutdown()
        self.training.shutdown(deadline)  # stops a run and joins the training threads
        self.labs.shutdown(deadline)  # waits for the labs' TensorFlow work, QUIT_WAIT_MS at most
        self.image_tool.shutdown()  # waits for a crop; a picture still decoding is dropped
        self._opener.blockSignals(True)  # a file read after closing opens nothing
        if self._opener.busy():
            QApplication.restoreOverrideCursor()
        self._opener.lane.shutdown(deadline)
        if self._saver is not None:
            self._saver.lane.shutdown(deadline)  # a save is never cut short, within the deadline
        self.tf_loader.shutdown(deadline)
        self.tf_loader.blockSignals(True)  # a late "TensorFlow ready" must start nothing here
