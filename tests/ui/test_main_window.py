"""The main window: start-up, files, unsaved changes, recovery, drops, views and settings."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton

from tests.ui.disk import files_looked_at_here
from tests.ui.dnd import Drag, send_drag
from tflab.graph import ModelGraph, TensorRef
from tflab.project import Project, load_project, save_project
from tflab.shapes import ShapeInference
from ui.app.main_window import MainWindow
from ui.core.recovery import Recovery, find_orphans

ROOT = Path(__file__).resolve().parents[2]
TF_TIMEOUT = 120_000  # importing TensorFlow on a busy machine


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def answers(monkeypatch):
    """Scripted answers to message boxes: ``answers.warning = [QMessageBox.Discard]``."""

    class Answers:
        def __init__(self):
            self.asked: list[tuple[str, str, str]] = []
            self.warning: list = []
            self.question: list = []

        def box(self, kind):
            def ask(parent, title, text, *args, **kwargs):
                self.asked.append((kind, title, text))
                queue = getattr(self, kind, None)
                if queue is None:
                    return QMessageBox.Ok
                if not queue:
                    pytest.fail(f"unexpected {kind} box: {title}: {text}")
                return queue.pop(0)
            return ask

    scripted = Answers()
    for kind in ("warning", "question", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, scripted.box(kind))
    return scripted


def start_blank(window: MainWindow) -> None:
    """Replace File > New's course model with a bare Input(28, 28), as tests of editing start."""
    graph = ModelGraph("model")
    graph.add_input((28, 28), "input")
    window.document.replace_project(Project(graph), None)


def add_flatten_dense(window: MainWindow) -> None:
    document = window.document
    document.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    document.edit("Add Dense", lambda g: g.stack_insert(1, "Dense", {"units": 100, "activation": "relu"}))


def saved_project(path: Path, layers=(("Dense", {"units": 3}),)) -> Path:
    save_project(Project(ModelGraph.sequential((4,), list(layers), name="saved")), path)
    return path


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.sigProjectOpened, timeout=TF_TIMEOUT):
        window.open_file(path)


# ---------------------------------------------------------------------------- start-up
def test_window_opens_before_tensorflow_and_loads_it_in_the_background(tmp_path):
    """The window exists and shows without TensorFlow; TF is then imported off the GUI thread."""
    script = textwrap.dedent(f"""
        import sys, threading
        sys.path.insert(0, {str(ROOT)!r})
        importers = []

        class Spy:
            def find_spec(self, name, path=None, target=None):
                if name == "tensorflow":
                    importers.append(threading.current_thread() is threading.main_thread())
                return None

        sys.meta_path.insert(0, Spy())
        from PySide6.QtCore import QEventLoop, QSettings, QTimer
        from ui.app.main import create_application
        from ui.app.main_window import MainWindow

        app = create_application(["tflab"])
        QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, {str(tmp_path)!r})
        window = MainWindow()
        print("after construction:", "tensorflow" in sys.modules)
        print("window icon:", not window.windowIcon().pixmap(64, 64).isNull())
        window.show()
        app.processEvents()
        # The loader thread may already be importing by now: what matters is that the
        # window is up and says so, and that the import is not on the GUI thread.
        print("after show:", window.tf_indicator.text())
        loop = QEventLoop()
        window.tf_loader.sigReady.connect(loop.quit)
        window.tf_loader.sigFailed.connect(loop.quit)
        QTimer.singleShot(0, window.tf_loader.start)
        loop.exec()
        app.processEvents()
        print("ready:", window.tf_indicator.text())
        print("imported on the GUI thread:", any(importers), "imports:", len(importers))
        window.close()
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "after construction: False" in out
    assert "window icon: True" in out  # tflab's own icon, also when run from source
    assert "after show: Loading TensorFlow..." in out
    assert "ready: TensorFlow ready" in out
    assert "imported on the GUI thread: False imports: 1" in out


def test_main_opens_the_file_named_on_the_command_line(tmp_path):
    path = saved_project(tmp_path / "from_cli.tflab")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtWidgets import QApplication
        from ui.app import main as app
        from ui.app.main_window import MainWindow

        startup = MainWindow.startup

        def startup_then_quit(self, paths):
            def opened(path):
                print("opened:", self.windowTitle(), self.document.graph.name)
                QApplication.quit()
            self.sigProjectOpened.connect(opened)
            startup(self, paths)

        MainWindow.startup = startup_then_quit
        sys.exit(app.main([{str(path)!r}]))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "opened: from_cli.tflab[*] - tflab saved" in result.stdout


def test_a_window_closed_at_once_starts_nothing_afterwards(qtbot, make_window):
    window = make_window()  # shown: TensorFlow and autosave start once the event loop runs
    window.close()
    qtbot.wait(50)  # the start-up timer has fired by now
    assert not window.tf_loader.is_started()
    assert not window.recovery.is_running()


def test_tensorflow_indicator_turns_ready(qtbot, window):
    assert window.tf_loader.is_started()  # started by showing the window
    qtbot.waitUntil(window.tf_loader.is_ready, timeout=TF_TIMEOUT)
    assert window.tf_indicator.text() == "TensorFlow ready"
    assert window.tf_indicator.state == "ok"
    assert window.tf_indicator.toolTip().startswith("TensorFlow 2.")


def test_a_new_project_is_the_course_model_ready_to_train_on_mnist(qtbot, window):
    graph = window.document.graph
    assert [(node.name, node.shape) for node in graph.inputs] == [("input", (28, 28))]
    assert [(graph.layers[graph.calls[c].layer].class_name, graph.layers[graph.calls[c].layer].config)
            for c in graph.stack_order()[0]] == [
        ("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"}),
        ("Dense", {"units": 10, "activation": "softmax"})]
    assert window.editor.mode() == "stack"
    assert window.windowTitle() == "Untitled[*] - tflab"
    assert not window.isWindowModified()
    data = window.training.data_panel
    assert data.spec() == "mnist" and (data.validation.value(), data.test.value()) == (15, 15)
    assert window.training.epochs.value() == 10 and window.training.batch_size.value() == 32
    qtbot.waitUntil(lambda: window.shapes.report is not None and not window.shapes.is_waiting(),
                    timeout=TF_TIMEOUT)
    assert window.shapes.report.total_params == 79_510  # 784*100 + 100 + 100*10 + 10
    assert window.params_label.text() == "Parameters: 79,510"
    add_flatten_dense(window)
    assert window.isWindowModified()


def test_parameter_label_names_problems(qtbot, window):
    window.document.edit("Add Conv2D", lambda g: g.stack_insert(0, "Conv2D", {"filters": 4, "kernel_size": 3}))
    qtbot.waitUntil(lambda: "Problems" in window.params_label.text(), timeout=TF_TIMEOUT)
    assert window.params_label.text().endswith("Problems: 1")
    assert "Reshape" in window.params_label.toolTip()  # the plain-language hint


def test_tabs_and_plug_in_pages(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Editor", "Training", "Image", "Labs"]
    page = QLabel("training for real")
    index = window.add_tab(page, "Training", "training")
    assert index == 1 and window.tabs.widget(1) is page and window.tabs.count() == 4


def test_menus_have_the_standard_actions(window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["File", "Edit", "View", "Help"]
    file_items = [a.text().replace("&", "") for a in menus["File"].actions() if not a.isSeparator()]
    assert file_items == ["New", "Open...", "Open Recent", "Save", "Save As...", "Import Keras Model...",
                          "Export Code...", "Quit"]
    assert window.action_new.shortcut() == QKeySequence(QKeySequence.New)
    assert window.action_open.shortcut() == QKeySequence(QKeySequence.Open)
    assert window.action_save.shortcut() == QKeySequence(QKeySequence.Save)
    assert window.action_undo.shortcut() == QKeySequence(QKeySequence.Undo)
    assert window.action_delete.shortcut() == QKeySequence(QKeySequence.Delete)
    assert window.zoom_actions[0].shortcut() == QKeySequence(QKeySequence.ZoomIn)


def test_undo_redo_and_delete_from_the_edit_menu(window):
    start_blank(window)
    add_flatten_dense(window)
    window.document.select("")
    assert not window.action_delete.isEnabled()
    dense = [cid for cid, call in window.document.graph.calls.items() if call.layer == "dense"][0]
    window.document.select(dense)
    assert window.action_delete.isEnabled()
    window.action_delete.trigger()
    assert [c.layer for c in window.document.graph.calls.values()] == ["flatten"]
    window.action_undo.trigger()
    assert len(window.document.graph.calls) == 2
    window.action_redo.trigger()
    assert len(window.document.graph.calls) == 1


def test_chinese_translation_switches_the_interface_and_the_engine(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    from tflab import messages
    from ui.app import main as app_module

    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "tflab_zh_CN.ts").write_text(textwrap.dedent("""\
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE TS>
        <TS version="2.1" language="zh_CN">
        <context><name>MainWindow</name>
        <message><source>Editor</source><translation>编辑器</translation></message>
        </context>
        </TS>
    """), encoding="utf-8")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(folder / "tflab_zh_CN.ts"), "-qm", str(folder / "tflab_zh_CN.qm")],
                   check=True, capture_output=True)
    monkeypatch.setattr(app_module, "resources_root", lambda: tmp_path)
    try:
        assert app_module.set_up_language(qapp, QLocale("zh_CN"))
        assert messages.language() == "zh"
        assert QCoreApplication.translate("MainWindow", "Editor") == "编辑器"
        assert QCoreApplication.translate("QPlatformTheme", "Save") == "保存"  # Qt's own buttons
        window = MainWindow()
        assert window.tabs.tabText(0) == "编辑器"
        window.shutdown()
        assert not app_module.set_up_language(qapp, QLocale("fr_FR"))  # no file: no error
        assert messages.language() == "en"  # the engine follows the interface
    finally:
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)
        messages.set_language("en")


def test_delete_key_in_a_text_field_edits_the_text_not_the_model(qtbot, window):
    from PySide6.QtWidgets import QLineEdit

    add_flatten_dense(window)
    dense = [cid for cid, call in window.document.graph.calls.items() if call.layer == "dense"][0]
    window.document.select(dense)
    window.activateWindow()
    field = next(f for f in window.editor.inspector.findChildren(QLineEdit)
                 if f.isVisible() and f.text() == "dense")
    field.setFocus()
    field.setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key_Delete)
    assert field.text() == "ense"
    assert dense in window.document.graph.calls


# ---------------------------------------------------------------------------- files
def test_save_and_open_round_trip(qtbot, make_window, tmp_path, answers):
    window = make_window()
    add_flatten_dense(window)
    path = tmp_path / "mnist.tflab"
    assert window.save_to(path)
    assert not window.isWindowModified()
    assert window.windowTitle() == "mnist.tflab[*] - tflab"
    assert load_project(path).graph == window.document.graph
    saved = window.document.graph.to_json()

    other = make_window()
    open_and_wait(qtbot, other, path)
    assert other.document.graph.to_json() == saved
    assert other.document.path == path
    assert not other.isWindowModified()
    assert other.recent_files()[0] == str(path.resolve())
    assert answers.asked == []


def test_a_save_to_a_folder_that_does_not_answer_never_freezes_the_window(qtbot, window, tmp_path, answers,
                                                                           monkeypatch):
    """The write runs on a lane: the window keeps painting and its timers running, and after
    a moment a dialog lets the user stop waiting; the work stays, unsaved, and a later save
    to a folder that answers goes through."""
    import threading

    from PySide6.QtCore import QTimer

    import ui.app.main_window as main_window

    real_write = main_window.atomic_write_text
    answering = threading.Event()

    def stuck_write(path, text):
        answering.wait(60)  # a dead network share: the call only returns when released
        return real_write(path, text)

    monkeypatch.setattr(main_window, "atomic_write_text", stuck_write)
    add_flatten_dense(window)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    stopped = []

    def stop_waiting():
        dialog = getattr(window, "save_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, stop_waiting)
            return
        stopped.append(len(ticks))
        dialog.findChild(QPushButton).click()  # "Stop Waiting"

    QTimer.singleShot(0, stop_waiting)
    try:
        assert not window.save_to(tmp_path / "share" / "lesson.tflab")
    finally:
        timer.stop()
        threading.Timer(0.5, answering.set).start()  # the share answers again, later
    # The event loop ran all along (a frozen window would not tick at all).
    assert stopped and stopped[0] >= 5
    kind, title, text = answers.asked[-1]
    assert kind == "critical" and "was not saved" in text and "Save As" in text
    assert window.isWindowModified() and window.document.path is None

    monkeypatch.setattr(main_window, "atomic_write_text", real_write)
    assert window.save_to(tmp_path / "lesson.tflab")
    assert not window.isWindowModified()
    assert load_project(tmp_path / "lesson.tflab").graph == window.document.graph


def test_a_failed_save_keeps_the_old_file_and_says_why(window, tmp_path, answers):
    add_flatten_dense(window)
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the folder should be")
    assert not window.save_to(folder / "lesson.tflab")
    kind, title, text = answers.asked[-1]
    assert kind == "critical" and title == "Cannot save the project" and "not-a-folder" in text
    assert window.isWindowModified()


def test_save_as_asks_for_a_name_and_adds_the_suffix(window, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "lesson1"), ""))
    add_flatten_dense(window)
    assert window.save()  # no file yet: Save means Save As
    assert window.document.path == tmp_path / "lesson1.tflab"
    assert load_project(tmp_path / "lesson1.tflab").meta["view"] == "stack"


def test_open_dialog_opens_the_chosen_file(qtbot, window, tmp_path, monkeypatch):
    path = saved_project(tmp_path / "chosen.tflab")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(window.sigProjectOpened, timeout=TF_TIMEOUT):
        window.action_open.trigger()
    assert window.document.graph.name == "saved"


def test_corrupt_project_shows_the_error_and_keeps_the_current_one(qtbot, window, tmp_path, answers):
    add_flatten_dense(window)
    window.save_to(tmp_path / "good.tflab")
    before = window.document.graph.to_json()
    bad = tmp_path / "broken.tflab"
    bad.write_text('{"format": "tflab-project", "version": 1, "graph": {', encoding="utf-8")
    with qtbot.waitSignal(window.sigOpenFailed, timeout=TF_TIMEOUT):
        window.open_file(bad)
    kind, title, text = answers.asked[-1]
    assert kind == "critical" and "not valid JSON" in text
    assert window.document.graph.to_json() == before
    assert window.document.path == tmp_path / "good.tflab"
    assert str(bad.resolve()) not in window.recent_files()


def test_open_and_save_look_at_no_file_on_the_windows_thread(qtbot, window, tmp_path, monkeypatch):
    """Open Recent keeps each file with its links resolved: that reads the disk, which on a
    network folder that does not answer blocks. It happened on the window's thread after
    every open and save; now on the lanes that read and write the file."""
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    path = saved_project(tmp_path / "real" / "a.tflab")
    looked_here = files_looked_at_here(monkeypatch)
    open_and_wait(qtbot, window, tmp_path / "link" / "a.tflab")
    assert window.recent_files()[0] == str(path)  # the link resolved
    window.save_to(tmp_path / "link" / "b.tflab")
    assert window.recent_files()[:2] == [str(tmp_path / "real" / "b.tflab"), str(path)]
    assert looked_here == []


def test_missing_recent_file_is_dropped_from_the_list(qtbot, window, tmp_path, answers, monkeypatch):
    path = saved_project(tmp_path / "gone.tflab")
    open_and_wait(qtbot, window, path)
    path.unlink()
    # No file is looked at on the GUI thread (a network folder that does not answer would
    # freeze the window): the menu lists names, the lane finds the file gone.
    looked_here = files_looked_at_here(monkeypatch)
    window._fill_recent_menu()
    entry = [a for a in window.recent_menu.actions() if a.text().endswith("gone.tflab")][0]
    with qtbot.waitSignal(window.sigOpenFailed, timeout=TF_TIMEOUT):
        entry.trigger()
    assert "There is no file" in answers.asked[-1][2]
    assert window.recent_files() == []
    assert looked_here == []


def test_keras_model_is_imported_as_unsaved_work(qtbot, window, tmp_path):
    import keras

    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="relu", name="hidden")],
                             name="tiny")
    path = tmp_path / "tiny.keras"
    model.save(path)
    open_and_wait(qtbot, window, path)
    graph = window.document.graph
    assert [layer.class_name for layer in graph.layers.values()] == ["Dense"]
    assert graph.inputs[0].shape == (6,)
    assert window.document.path is None
    assert window.isWindowModified()
    assert window.windowTitle() == "tiny[*] - tflab"
    assert window.recent_files()[0] == str(path.resolve())  # File > Open Recent opens it again


# ---------------------------------------------------------------------------- unsaved changes
def test_close_asks_about_unsaved_changes(qtbot, make_window, answers, tmp_path):
    window = make_window()
    window.close()  # nothing changed: no question
    assert answers.asked == [] and not window.isVisible()

    window = make_window()
    add_flatten_dense(window)
    answers.warning = [QMessageBox.Cancel]
    assert not window.close()
    assert window.isVisible()
    assert "unsaved changes" in answers.asked[-1][2]

    path = tmp_path / "kept.tflab"
    window.document.set_path(path)
    answers.warning = [QMessageBox.Save]
    assert window.close()
    assert load_project(path).graph == window.document.graph

    window = make_window()
    add_flatten_dense(window)
    answers.warning = [QMessageBox.Discard]
    assert window.close()
    assert not window.recovery.path.exists()


def test_new_and_open_ask_before_replacing_unsaved_work(qtbot, window, answers, tmp_path):
    start_blank(window)
    add_flatten_dense(window)
    answers.warning = [QMessageBox.Cancel]
    window.action_new.trigger()
    assert len(window.document.graph.calls) == 2
    answers.warning = [QMessageBox.Discard]
    window.action_new.trigger()
    assert len(window.document.graph.calls) == 3  # the course model
    assert not window.isWindowModified()

    add_flatten_dense(window)
    answers.warning = [QMessageBox.Cancel]
    window.open_file(saved_project(tmp_path / "other.tflab"))
    qtbot.wait(50)
    assert not window._opener.busy() and len(window.document.graph.calls) == 5


def test_edits_made_while_a_file_is_read_are_not_lost_silently(qtbot, window, answers, tmp_path):
    start_blank(window)
    window.open_file(saved_project(tmp_path / "slow.tflab"))  # read on a worker thread...
    add_flatten_dense(window)  # ...while the user keeps editing
    answers.warning = [QMessageBox.Cancel]
    qtbot.waitUntil(lambda: not window._opener.busy(), timeout=TF_TIMEOUT)
    assert "unsaved changes" in answers.asked[-1][2]
    assert len(window.document.graph.calls) == 2 and window.document.path is None


# ---------------------------------------------------------------------------- recovery
def test_crashed_session_is_offered_for_recovery(qtbot, make_window, answers, tmp_path):
    data_home = os.environ["XDG_DATA_HOME"]
    crash = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QCoreApplication, QSettings
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        QCoreApplication.setOrganizationName("tflab-tests")
        QCoreApplication.setApplicationName("tflab-tests")
        QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, {str(tmp_path)!r})
        from ui.app.main_window import MainWindow
        window = MainWindow()
        window.document.edit("Add Dense", lambda g: g.stack_insert(0, "Dense", {{"units": 7}}))
        window.recovery.autosave()
        os._exit(3)
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": data_home}
    result = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 3, result.stderr

    window = make_window()
    answers.question = [QMessageBox.Yes]
    with qtbot.waitSignal(window.sigProjectOpened, timeout=TF_TIMEOUT):
        window.startup([])
    kind, title, text = answers.asked[-1]
    assert title == "Recover unsaved work?"
    graph = window.document.graph
    assert [layer.config for layer in graph.layers.values()][-1] == {"units": 7}
    assert len(graph.layers) == 4  # the course model, and the Dense added before the crash
    assert window.isWindowModified()  # recovered work still has to be saved
    window.recovery.wait(10_000)  # written on the autosave lane, then the old file deleted there
    assert find_orphans(window.recovery.folder) == []  # offered once...
    assert window.recovery.path.exists()  # ...and protected again by this session


def test_recovery_can_be_discarded(qtbot, make_window, answers):
    window = make_window()
    document_folder = window.recovery.folder
    other = Recovery(window.document, document_folder)
    add_flatten_dense(window)
    other.shutdown(keep_unsaved=True)  # as if another session had ended without saving
    window.document.mark_saved()
    answers.question = [QMessageBox.Discard]
    with qtbot.waitSignal(window.sigStartupDone, timeout=TF_TIMEOUT):
        window.startup([])
    assert answers.asked[-1][1] == "Recover unsaved work?"
    window._orphans.lane.wait(10_000)  # the file goes on the lane
    assert find_orphans(document_folder) == []
    assert not window.isWindowModified()


def test_start_up_looks_for_unsaved_work_off_the_windows_thread(qtbot, make_window, answers, monkeypatch):
    """The recovery folder is in the home folder, which a school may keep on its network:
    it is listed and read on a lane; the window only asks."""
    window = make_window()
    other = Recovery(window.document, window.recovery.folder)
    add_flatten_dense(window)
    other.shutdown(keep_unsaved=True)  # as if another session had ended without saving
    window.document.mark_saved()
    answers.question = [QMessageBox.Discard]
    looked_here = files_looked_at_here(monkeypatch)
    with qtbot.waitSignal(window.sigStartupDone, timeout=TF_TIMEOUT):
        window.startup([])
    window._orphans.lane.wait(10_000)
    assert answers.asked[-1][1] == "Recover unsaved work?"
    assert looked_here == []
    monkeypatch.undo()
    assert find_orphans(window.recovery.folder) == []


def test_work_kept_for_a_later_start_is_let_go_off_the_windows_thread(qtbot, make_window, answers, monkeypatch):
    """Cancel keeps the earlier session's work for the next start: its lock file, in the
    recovery folder, was deleted on the window's thread; it is deleted on the lane that
    took it, and the work is offered again."""
    import threading

    from ui.core.recovery import Orphan

    window = make_window()
    other = Recovery(window.document, window.recovery.folder)
    add_flatten_dense(window)
    other.shutdown(keep_unsaved=True)
    window.document.mark_saved()
    answers.question = [QMessageBox.Cancel]
    released_on = []
    real = Orphan.release
    monkeypatch.setattr(Orphan, "release", lambda self: (released_on.append(threading.current_thread()),
                                                         real(self))[1])
    with qtbot.waitSignal(window.sigStartupDone, timeout=TF_TIMEOUT):
        window.startup([])
    window._orphans.lane.wait(10_000)
    assert answers.asked[-1][1] == "Recover unsaved work?"
    assert len(released_on) == 1 and released_on[0] is not threading.main_thread()
    monkeypatch.undo()
    (kept,) = find_orphans(window.recovery.folder)  # offered again next time
    kept.release()


def test_settings_are_read_once_and_written_off_the_windows_thread(qtbot, make_window, monkeypatch, tmp_path):
    """Every language switch, code style, recent file and closing of the window made a
    QSettings on the window's thread, which reads the settings file (in the home folder,
    which a school may keep on its network) and writes it there. The settings are read
    once, at start, and written on a lane; what was chosen is there at the next start."""
    import threading

    from PySide6.QtCore import QSettings

    from ui.app import language
    from ui.core import settings as settings_module

    window = make_window()
    made_here = []

    class Spy(QSettings):
        def __init__(self, *args):
            if threading.current_thread() is threading.main_thread():
                made_here.append(args)
            super().__init__(*args)

    monkeypatch.setattr(settings_module, "QSettings", Spy)
    window.editor.code_view.set_code_style("subclass")
    action = next(a for a in window.language_group.actions() if a.data() == language.CHINESE)
    action.trigger()
    QApplication.sendPostedEvents()
    window.save_to(tmp_path / "kept.tflab")  # a recent file
    window.close()
    assert made_here == []
    monkeypatch.undo()
    assert window.settings.value(language.SETTING, type=str) == language.CHINESE  # known at once
    settings_module.reset()  # the next start reads them from the disk
    stored = settings_module.settings()
    assert stored.value("code/style", type=str) == "subclass"
    assert stored.value(language.SETTING, type=str) == language.CHINESE
    assert stored.value("files/recent", [], type=list) == [str(tmp_path / "kept.tflab")]
    assert not stored.value("window/geometry", QByteArray(), type=QByteArray).isEmpty()
    language.apply_choice(QApplication.instance(), language.ENGLISH)


def test_autosave_follows_the_document(qtbot, window):
    add_flatten_dense(window)
    path = window.recovery.autosave()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["project"]["graph"] == window.document.graph.to_json()
    window.save_to(path.parent / "saved.tflab")
    window.recovery.wait(10_000)  # deleted on the autosave lane
    assert not path.exists()  # saved cleanly: nothing to recover


# ---------------------------------------------------------------------------- drag and drop
def _drop(window: MainWindow, paths: list[Path]) -> Drag:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return send_drag(window, mime, window.rect().center(), actions=Qt.CopyAction)


def test_dropping_a_project_file_opens_it(qtbot, window, tmp_path):
    path = saved_project(tmp_path / "dropped.tflab", [("Dense", {"units": 5}), ("Dropout", {"rate": 0.2})])
    with qtbot.waitSignal(window.sigProjectOpened, timeout=TF_TIMEOUT):
        drag = _drop(window, [path])
    assert drag.drop.isAccepted()
    assert window.document.path == path
    assert [layer.class_name for layer in window.document.graph.layers.values()] == ["Dense", "Dropout"]


def test_dropping_a_picture_opens_it_in_the_image_tool(qtbot, window, tmp_path):
    import numpy as np
    from PIL import Image

    array = np.random.default_rng(0).integers(0, 256, (12, 20, 3), dtype=np.uint8)
    Image.fromarray(array).save(tmp_path / "cat.png")
    before = window.document.graph.to_json()
    with qtbot.waitSignal(window.image_tool.sigOpenFinished, timeout=10_000) as opened:
        drag = _drop(window, [tmp_path / "cat.png"])
    assert drag.drop.isAccepted() and opened.args == [True]
    assert window.tabs.currentWidget() is window.image_tool
    assert np.array_equal(window.image_tool.image().array, array)
    assert window.document.graph.to_json() == before  # the project is not touched


def test_other_files_are_not_accepted(window, tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    drag = _drop(window, [text_file])
    assert not drag.enter_accepted and drag.drop is None
    assert window.document.path is None


# ---------------------------------------------------------------------------- stack and graph
def test_delete_acts_only_while_the_editor_is_shown(qtbot, window):
    add_flatten_dense(window)
    dense = next(node for node, call in window.document.graph.calls.items() if call.layer == "dense")
    window.document.select(dense)
    assert window.action_delete.isEnabled()
    window.show_tab("image")
    assert not window.action_delete.isEnabled()
    before = window.document.graph.to_json()
    window.image_tool.setFocus()
    qtbot.keyClick(window.image_tool, Qt.Key_Delete)
    assert window.document.graph.to_json() == before  # no layer vanished out of sight
    window.show_tab("editor")
    assert window.action_delete.isEnabled()


def test_view_menu_zoom_keys_work_wherever_the_focus_is_in_the_editor(qtbot, window):
    window.editor.set_mode("graph")
    graph_view = window.editor.graph_view
    palette = window.editor.layer_palette.search
    palette.setFocus()
    qtbot.waitUntil(palette.hasFocus)
    before = graph_view.zoom()
    qtbot.keyClick(palette, Qt.Key_0, Qt.ControlModifier)  # Actual size first: a known zoom
    qtbot.keyClick(palette, Qt.Key_Plus, Qt.ControlModifier)
    assert graph_view.zoom() > 1.0 and graph_view.zoom() != before
    window.show_tab("image")
    assert not any(action.isEnabled() for action in window.zoom_actions)


def test_stack_graph_switch(qtbot, window):
    add_flatten_dense(window)
    editor = window.editor
    before = window.document.graph.to_json()
    qtbot.mouseClick(editor.graph_button, Qt.LeftButton)
    assert editor.mode() == "graph" and window.action_graph.isChecked()
    assert editor.views.currentWidget() is editor.graph_view
    assert all(action.isEnabled() for action in window.zoom_actions)
    assert editor.stack_button.isEnabled()  # still a stack: may go back
    qtbot.mouseClick(editor.stack_button, Qt.LeftButton)
    assert editor.mode() == "stack" and window.action_stack.isChecked()
    assert window.document.graph.to_json() == before  # nothing lost either way

    # A branch makes it a graph: the Stack button goes off and says why.
    window.document.edit("Branch", lambda g: g.add_layer_call("Dense", {"units": 2}, [g.inputs[0].id]))
    assert editor.mode() == "graph"
    assert not editor.stack_button.isEnabled() and not window.action_stack.isEnabled()
    assert "goes to 2 layers" in editor.stack_button.toolTip()
    window.action_undo.trigger()
    assert editor.stack_button.isEnabled()


def test_palette_double_click_adds_after_the_selection(window):
    start_blank(window)
    editor = window.editor
    editor.add_layer("Flatten")
    editor.add_layer("Dense")
    flatten = [cid for cid, c in window.document.graph.calls.items() if c.layer == "flatten"][0]
    window.document.select(flatten)
    editor.add_layer("Dropout")
    assert [window.document.graph.calls[c].layer for c in window.document.graph.stack_order()[0]] == \
        ["flatten", "dropout", "dense"]

    editor.set_mode("graph")
    window.document.select(flatten)
    editor.add_layer("Dense")  # in the graph: wired to the selected node's output
    new = window.document.selected
    assert window.document.graph.calls[new].inputs == [TensorRef(flatten)]


def test_a_tensor_operation_added_to_a_stack_works_at_once_and_shows_the_graph(window):
    """ops.multiply from the palette after a Dense: it starts with x2 = 2.0, so it has its
    shape at once; a Sequential model cannot hold it, so the editor shows the graph and
    the Stack button says why."""
    start_blank(window)
    editor = window.editor
    editor.add_layer("Flatten")
    editor.add_layer("Dense")
    editor.add_layer("ops.multiply")
    graph = window.document.graph
    multiply = window.document.selected
    assert graph.layer_of(multiply).config == {"x2": 2.0}
    assert editor.mode() == "graph" and "keras.ops.multiply" in editor.stack_button.toolTip()
    report = ShapeInference().infer(graph)
    assert report.calls[multiply].ok and report.calls[multiply].output_shapes == [(None, 100)]
    editor.code_view.set_code_style("functional")
    assert "tf.keras.ops.multiply(dense, 2.0)" in editor.code_view.code()


def test_saved_view_mode_comes_back(qtbot, window, tmp_path, answers):
    add_flatten_dense(window)
    window.editor.set_mode("graph")
    window.save_to(tmp_path / "graphy.tflab")
    window.editor.set_mode("stack")
    window.action_new.trigger()
    open_and_wait(qtbot, window, tmp_path / "graphy.tflab")
    assert window.editor.mode() == "graph"


# ---------------------------------------------------------------------------- settings
def test_geometry_and_recent_files_are_restored(qtbot, make_window, tmp_path, answers):
    window = make_window()
    first_height = window.height()
    height = max(520, window.minimumSizeHint().height() + 10)
    window.resize(window.width(), height)  # (the test screen is too narrow to change the width)
    window.save_to(tmp_path / "remembered.tflab")
    window.close()

    again = make_window(show=False)
    assert first_height != height and again.height() == height
    assert again.recent_files() == [str((tmp_path / "remembered.tflab").resolve())]
    again._fill_recent_menu()
    assert any(a.text().endswith("remembered.tflab") for a in again.recent_menu.actions())


HOSTILE_LAYER = {"name": "dense", "class_name": "Bidirectional", "config": {"layer": {
    "class_name": "TFSMLayer", "module": "layers",
    "config": {"filepath": "/tmp/tflab-no-such-savedmodel", "call_endpoint": "serve"}}}}


def _hostile_project() -> dict:
    data = Project(ModelGraph.sequential((4,), [("Dense", {"units": 2})])).to_json()
    data["graph"]["layers"][0] = HOSTILE_LAYER
    return data


def test_a_project_that_names_a_code_running_layer_is_refused_in_the_app(qtbot, window, tmp_path, answers):
    before = window.document.graph.to_json()
    bad = tmp_path / "hostile.tflab"
    bad.write_text(json.dumps(_hostile_project()), encoding="utf-8")
    with qtbot.waitSignal(window.sigOpenFailed, timeout=TF_TIMEOUT):
        window.open_file(bad)
    kind, title, text = answers.asked[-1]
    assert kind == "critical" and "TFSMLayer" in text and "loads a saved model" in text
    assert window.document.graph.to_json() == before


def test_recovered_work_that_names_a_code_running_layer_is_refused(qtbot, make_window, answers):
    window = make_window()
    folder = window.recovery.folder
    other = Recovery(window.document, folder)
    add_flatten_dense(window)
    other.shutdown(keep_unsaved=True)  # a recovery file as another session leaves it...
    recovered = other.path
    data = json.loads(recovered.read_text(encoding="utf-8"))
    data["project"] = _hostile_project()  # ...with a hostile project in it
    other.deleteLater()
    window.document.mark_saved()
    recovered.write_text(json.dumps(data), encoding="utf-8")
    before = window.document.graph.to_json()
    answers.question = [QMessageBox.Yes]
    with qtbot.waitSignal(window.sigOpenFailed, timeout=TF_TIMEOUT):
        window.startup([])
    assert any("TFSMLayer" in text for _, _, text in answers.asked)
    assert window.document.graph.to_json() == before


def test_a_model_opened_at_start_up_never_breaks_tensorflow(tmp_path):
    """`tflab model.keras` (a double-click): the file is imported while TensorFlow loads in
    the background. Both go through one way into TensorFlow, so neither sees the other's
    half-imported modules nor deadlocks in Python's import locks; 20 starts of 20 clean."""
    from concurrent.futures import ThreadPoolExecutor

    import keras

    model = keras.Sequential([keras.Input((6,)), keras.layers.GaussianNoise(0.1),
                              keras.layers.Dense(3, name="hidden")], name="tiny")
    path = tmp_path / "tiny.keras"
    model.save(path)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox
        from ui.app import main as app
        from ui.app.main_window import MainWindow

        shown = []
        QMessageBox.critical = staticmethod(lambda *a, **k: shown.append(a[2]) or QMessageBox.Ok)
        startup = MainWindow.startup

        def startup_then_report(self, paths):
            def check():
                if self.tf_loader.is_ready() or self.tf_loader.error():
                    print("tensorflow:", self.tf_indicator.text(), "|", self.tf_loader.error())
                    print("graph:", [l.class_name for l in self.document.graph.layers.values()])
                    print("messages:", shown)
                    self.document.mark_saved()  # an imported model is unsaved work: no question
                    QApplication.quit()
                else:
                    QTimer.singleShot(50, check)
            self.sigProjectOpened.connect(lambda path: check())
            self.sigOpenFailed.connect(lambda err: (print("open failed:", err), check()))
            startup(self, paths)

        MainWindow.startup = startup_then_report
        sys.exit(app.main([{str(path)!r}]))
    """)

    def start(number: int) -> str:
        home = tmp_path / f"home{number}"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(home / "data"),
               "XDG_CONFIG_HOME": str(home / "config"), "TF_CPP_MIN_LOG_LEVEL": "3"}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                                text=True, env=env, timeout=300)
        return f"rc={result.returncode}\n{result.stdout}\n{result.stderr[-2000:]}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(start, range(20)))
    clean = [run for run in runs if run.startswith("rc=0") and "tensorflow: TensorFlow ready | \n" in run
             and "graph: ['GaussianNoise', 'Dense']" in run and "messages: []" in run]
    assert len(clean) == 20, next(run for run in runs if run not in clean)


@pytest.mark.parametrize("busy", ["data", "model"])
def test_closing_ends_the_program_while_a_file_is_still_being_read(tmp_path, busy):
    """Reading a big data set or importing a big model cannot be interrupted; closing the
    window no longer waits for it (55 s and 17.6 s before): the program ends at once, and
    the read, which changes nothing of the user's, is left unfinished."""
    data = tmp_path / "table.csv"
    data.write_text("a,b,label\n1,2,0\n3,4,1\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QTimer
        import tflab.importer, ui.training.data_panel
        from ui.app import main as app
        from ui.app.main_window import MainWindow

        def slow(*args, **kwargs):
            print("reading", flush=True)
            time.sleep(120)  # far longer than the test waits for the process
        ui.training.data_panel.load_dataset = slow
        tflab.importer.import_keras_file = slow
        startup = MainWindow.startup

        def startup_then_close(self, paths):
            startup(self, paths)
            if {busy!r} == "data":
                self.training.data_panel.set_path({str(data)!r})
                self.training.data_panel.reload()
            else:
                self.open_file(Path({str(tmp_path / "big.keras")!r}))
            def close():
                print("closing", flush=True)
                self.document.mark_saved()  # the chosen data counts as a change: no question
                self.close()
            QTimer.singleShot(1500, close)

        MainWindow.startup = startup_then_close
        code = app.main([])
        print("main returned", code, flush=True)
    """)
    (tmp_path / "big.keras").write_bytes(b"PK")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=60)  # the read alone would take 120 s
    assert result.returncode == 0, result.stderr[-3000:]
    assert "reading" in result.stdout and "closing" in result.stdout
    assert "Destroyed while thread" not in result.stderr


def test_a_long_model_opens_as_a_graph_and_the_hidden_stack_waits(qtbot, window, tmp_path):
    """Two thousand layers froze the window 28 s on open: each view built itself, shown
    or not, and every wire asked the scene which boxes it crossed. A model longer than
    STACK_CARDS opens as a graph; the stack builds its cards only when it is shown."""
    from ui.editor.panel import STACK_CARDS

    graph = ModelGraph.sequential((8,), [("Dense", {"units": 8})] * (STACK_CARDS + 50))
    path = tmp_path / "long.tflab"
    save_project(Project(graph), path)
    open_and_wait(qtbot, window, path)
    editor = window.editor
    assert editor.mode() == "graph"
    # The boxes are made a batch at a time, the window drawing in between.
    qtbot.waitUntil(lambda: not editor.graph_view.building(), timeout=60_000)
    assert len(editor.graph_view._nodes) == STACK_CARDS + 51
    assert len(editor.stack_view.stack_order()) < 10  # not built while hidden
    editor.set_mode("stack")
    assert len(editor.stack_view.stack_order()) == STACK_CARDS + 50
    window.document.edit("Remove", lambda g: g.stack_remove(len(g.calls) - 1))
    assert len(editor.stack_view.stack_order()) == STACK_CARDS + 49
    assert len(editor.graph_view._nodes) == STACK_CARDS + 51  # the hidden graph waits now
    editor.set_mode("graph")
    assert len(editor.graph_view._nodes) == STACK_CARDS + 50


def test_a_big_model_is_laid_out_off_the_windows_thread_and_drawn_from_the_next_turn(
        qtbot, window, tmp_path, monkeypatch):
    """Opening 2,000 layers saved without positions held the window 40-50 ms before
    anything was drawn: the layout of every box, then the first batch of boxes, in the
    turn that took the file in. The layout is worked out where the file is read; the
    boxes start in the next turn."""
    import threading

    from tflab import layout
    from ui.app import main_window as main_window_module
    from ui.editor import graph_view as graph_view_module

    graph = ModelGraph.sequential((8,), [("Dense", {"units": 8})] * 400)
    path = tmp_path / "long.tflab"
    save_project(Project(graph), path)
    threads = []
    original = layout.place_missing

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(graph_view_module, "place_missing", spy)
    monkeypatch.setattr(main_window_module, "place_missing", spy)
    view = window.editor.graph_view
    made_at_open = []
    window.document.sigProjectReplaced.connect(lambda: made_at_open.append(None))
    window.sigProjectOpened.connect(lambda _path: made_at_open.append(len(view._nodes)))
    open_and_wait(qtbot, window, path)
    assert made_at_open[-1] == 0 and view.building()  # nothing made in the opening's turn
    qtbot.waitUntil(lambda: not view.building(), timeout=60_000)
    assert threads and threading.main_thread() not in threads
    expected = original(window.document.graph, {})
    assert {n: view.node_position(n) for n in expected} == expected
    assert window.document.graph.positions == {}  # shown there, not stored: the file is as it was


def test_trained_weights_are_kept_in_the_project_and_come_back_when_it_opens(qtbot, make_window, tmp_path, answers):
    """Train, save, open again: the model reads digits at once, with the same test
    accuracy, and training goes on from there."""
    window = make_window()
    panel = window.training
    panel.epochs.setValue(2)
    qtbot.waitUntil(lambda: window.tf_loader.is_ready() and panel.data_panel.dataset is not None, timeout=TF_TIMEOUT)
    with qtbot.waitSignal(panel.sigEvaluated, timeout=TF_TIMEOUT) as evaluated:
        panel.start()
    qtbot.waitUntil(lambda: panel.state == "idle" and window.document.project.weights is not None,
                    timeout=TF_TIMEOUT)
    accuracy = evaluated.args[0]["accuracy"]
    assert window.document.project.weights["epochs"] == 2
    assert window.isWindowModified()  # trained weights are unsaved work
    path = tmp_path / "trained.tflab"
    assert window.save_to(path)
    assert not window.isWindowModified()
    assert "weights" in json.loads(path.read_text(encoding="utf-8"))

    reopened = make_window()
    open_and_wait(qtbot, reopened, path)
    again = reopened.training
    qtbot.waitUntil(lambda: again.try_view.usable(), timeout=TF_TIMEOUT)
    assert "trained weights kept in the project are loaded (2 epochs)" in again.message.text()
    assert again.learned.predictions is not None and again.learned.predictions.accuracy() == pytest.approx(accuracy)
    assert not reopened.isWindowModified()
    with qtbot.waitSignal(again.sigEvaluated, timeout=TF_TIMEOUT) as evaluated_again:
        again.evaluate()
    assert evaluated_again.args[0]["accuracy"] == pytest.approx(accuracy)

    # An edit of the model leaves the old weights out of the next save.
    add_flatten_dense(reopened)
    assert reopened.save_to(path)
    assert "weights" not in json.loads(path.read_text(encoding="utf-8"))


def test_help_opens_lessons_lists_shortcuts_and_says_how_to_open_logs(qtbot, window, answers, monkeypatch):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    titles = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert titles == ["&Lessons", "&Glossary", "&Keyboard Shortcuts", "Training Logs in &TensorBoard", "&About tflab"]
    lessons = window.lessons_menu.actions()
    assert len(lessons) == 13 and lessons[2].text().startswith("3. ")
    lessons[2].trigger()
    assert window.tabs.currentWidget() is window.labs
    assert window.labs.current_lesson() == "flatten"

    assert {QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")} <= set(window.action_redo.shortcuts())
    text = window.shortcuts_text()
    assert "Redo" in text and "Ctrl+Y" in text and "Ctrl+Shift+Z" in text and "Ctrl+1" in text

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append((title, text)))
    window.action_tensorboard.trigger()
    assert shown and window.training.logdir in shown[-1][1] and "tensorboard --logdir" in shown[-1][1]


def test_opening_another_project_leaves_no_results_of_the_last_one(qtbot, make_window, tmp_path, answers):
    window = make_window()
    panel = window.training
    panel.epochs.setValue(1)
    qtbot.waitUntil(lambda: window.tf_loader.is_ready() and panel.data_panel.dataset is not None, timeout=TF_TIMEOUT)
    with qtbot.waitSignal(panel.sigEvaluated, timeout=TF_TIMEOUT):
        panel.start()
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=TF_TIMEOUT)
    assert panel.evaluate_button.isEnabled() and panel.curves.step_count() > 0
    window.document.mark_saved()
    open_and_wait(qtbot, window, saved_project(tmp_path / "other.tflab"))
    assert panel.curves.step_count() == 0 and not panel.evaluation.isVisibleTo(panel)
    assert panel.learned.predictions is None
    assert not panel.evaluate_button.isEnabled() and not panel.save_model_button.isEnabled()
    assert not panel.try_view.usable()


def test_the_graphs_tools_are_offered_above_it_in_graph_view(qtbot, window):
    editor = window.editor
    texts = [button.text() for button in editor.graph_tools]
    assert texts == ["Add input", "Auto-layout", "Fit all"]
    editor.set_mode("stack")
    assert not any(button.isVisible() for button in editor.graph_tools)
    editor.set_mode("graph")
    assert all(button.isVisible() for button in editor.graph_tools)
    graph = window.document.graph
    window.document.edit("scatter", lambda g: g.positions.update(
        {node_id: (i * 37.0, -i * 11.0) for i, node_id in enumerate(g.node_ids())}))
    scattered = dict(graph.positions)
    editor.graph_tools[1].click()  # Auto-layout: a column from the input down
    arranged = window.document.graph.positions
    assert arranged != scattered
    ys = [arranged[node_id][1] for node_id in window.document.graph.node_ids()]
    assert ys == sorted(ys)
    window.document.undo_stack.undo()
    assert window.document.graph.positions == scattered
