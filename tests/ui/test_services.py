"""Background services: TensorFlow loading, shape checking, and recovery of unsaved work."""

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.ui.disk import files_looked_at_here
from tflab.graph import ModelGraph
from tflab.project import Project
from tflab.shapes import ShapeInference
from ui.core.document import Document
from ui.core.recovery import Recovery, find_orphans
from ui.core.shape_service import ShapeService
from ui.core.tf_loader import TfLoader

ROOT = Path(__file__).resolve().parents[2]


def seed_document() -> Document:
    graph = ModelGraph("model")
    graph.add_input((28, 28), "input")
    return Document(Project(graph))


@pytest.fixture
def loader():
    tf = TfLoader()
    yield tf
    tf.shutdown()


@pytest.fixture
def service_parts(loader):
    """A document and a shape service whose TensorFlow is not started yet."""
    document = seed_document()
    service = ShapeService(document, loader)
    yield document, service, loader
    service.shutdown()


#: A layer without a rule (:mod:`tflab.shape_rules`): only Keras tells its shapes and weights.
EINSUM = {"equation": "ab,bc->ac", "output_shape": 3}


def add_flatten_dense(document: Document) -> None:
    document.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    document.edit("Add Dense", lambda g: g.stack_insert(1, "Dense", {"units": 100, "activation": "relu"}))


# ---------------------------------------------------------------------------- TensorFlow loader
def test_loader_reports_ready(qtbot, loader):
    assert not loader.is_ready()
    with qtbot.waitSignal(loader.sigReady, timeout=120_000):
        loader.start()
    assert loader.is_ready()
    assert loader.version.startswith("2.")
    assert "tensorflow" in sys.modules and "keras" in sys.modules


def test_loader_failure_is_explained(qtbot, loader, monkeypatch):
    from tflab import tfload

    monkeypatch.setattr(tfload, "_loaded", False)  # as in a process that has not imported it yet
    monkeypatch.setitem(sys.modules, "keras", None)  # "import keras" now fails
    with qtbot.waitSignal(loader.sigFailed, timeout=120_000) as blocker:
        loader.start()
    text = blocker.args[0]
    assert "TensorFlow could not be loaded" in text
    assert "Reinstall" in text
    assert not loader.is_ready()
    assert loader.error() == text


# ---------------------------------------------------------------------------- shape service
def test_edit_gets_a_report(qtbot, service_parts):
    document, service, loader = service_parts
    with qtbot.waitSignal(loader.sigReady, timeout=120_000):
        loader.start()
    with qtbot.waitSignal(service.sigReport, timeout=60_000) as blocker:
        add_flatten_dense(document)
    report = blocker.args[0]
    assert report.total_params == 78_500
    assert set(report.calls) == set(document.graph.calls)
    assert not service.is_waiting()


def test_a_model_of_common_layers_gets_its_shapes_without_keras_before_and_after_tensorflow(
        qtbot, service_parts, monkeypatch):
    """A model of common layers has its shapes while TensorFlow still loads (worked out
    without Keras), and its edits keep being worked out without Keras once it is loaded."""
    document, service, loader = service_parts
    asked = []
    original = ShapeInference.infer
    monkeypatch.setattr(ShapeInference, "infer", lambda self, graph, *rest: asked.append(1) or original(self, graph, *rest))
    reports = []
    service.sigReport.connect(reports.append)
    add_flatten_dense(document)
    qtbot.waitUntil(lambda: bool(reports) and set(reports[-1].calls) == set(document.graph.calls), timeout=10_000)
    assert not loader.is_ready() and asked == []
    assert reports[-1].total_params == 78_500 and not service.is_waiting()
    with qtbot.waitSignal(loader.sigReady, timeout=120_000):
        loader.start()
    dense = next(name for name, layer in document.graph.layers.items() if layer.class_name == "Dense")
    with qtbot.waitSignal(service.sigReport, timeout=60_000):
        document.edit("Units", lambda g: g.set_config(dense, {"units": 10, "activation": "relu"}))
    assert asked == [] and reports[-1].total_params == 7_850
    assert set(reports[-1].calls) == set(document.graph.calls)
    with qtbot.waitSignal(service.sigReport, timeout=60_000):  # a layer only Keras can tell
        document.edit("Add EinsumDense", lambda g: g.stack_insert(2, "EinsumDense", EINSUM))
    assert asked and reports[-1].total_params == 7_850 + 10 * 3


def test_a_model_only_keras_can_check_waits_for_tensorflow(qtbot, service_parts):
    document, service, loader = service_parts
    reports = []
    service.sigReport.connect(reports.append)
    document.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    document.edit("Add EinsumDense", lambda g: g.stack_insert(1, "EinsumDense", {**EINSUM, "output_shape": 1}))
    qtbot.wait(400)  # well past the debounce: an EinsumDense's weights are Keras's to tell
    assert reports == []
    assert service.is_waiting()
    with qtbot.waitSignal(service.sigReport, timeout=120_000):
        loader.start()
    assert reports[-1].total_params == 784
    assert set(reports[-1].calls) == set(document.graph.calls)


def test_stale_report_is_dropped(qtbot, service_parts, monkeypatch):
    """A report of a graph that was edited meanwhile never reaches the views."""
    document, service, loader = service_parts
    with qtbot.waitSignal(loader.sigReady, timeout=120_000):
        loader.start()
    qtbot.waitUntil(lambda: not service.is_waiting(), timeout=60_000)  # the seed's report

    started, release = threading.Event(), threading.Event()
    original = ShapeInference.infer

    def slow_infer(self, graph, *rest):
        started.set()
        release.wait(60)
        return original(self, graph, *rest)

    monkeypatch.setattr(ShapeInference, "infer", slow_infer)
    reports = []
    service.sigReport.connect(lambda r: reports.append((r, set(document.graph.calls))))
    document.edit("Add EinsumDense", lambda g: g.stack_insert(0, "EinsumDense", {  # Keras's to check
        "equation": "abc,cd->abd", "output_shape": [28, 28]}))
    qtbot.waitUntil(started.is_set, timeout=60_000)  # the worker checks the one-layer graph...
    document.edit("Add Flatten", lambda g: g.stack_insert(1, "Flatten", {}))  # ...now stale
    document.edit("Add Dense", lambda g: g.stack_insert(2, "Dense", {"units": 10}))
    release.set()
    qtbot.waitUntil(lambda: not service.is_waiting(), timeout=60_000)
    assert len(reports) == 1
    report, calls_then = reports[0]
    assert set(report.calls) == calls_then == set(document.graph.calls)
    assert report.total_params == 28 * 28 + 784 * 10 + 10


def test_busy_signal_follows_edits(qtbot, service_parts):
    document, service, loader = service_parts
    with qtbot.waitSignal(loader.sigReady, timeout=120_000):
        loader.start()
    qtbot.waitUntil(lambda: not service.is_waiting(), timeout=60_000)
    with qtbot.waitSignal(service.sigBusy) as blocker:
        add_flatten_dense(document)
    assert blocker.args == [True]
    with qtbot.waitSignal(service.sigBusy, timeout=60_000) as blocker:
        pass
    assert blocker.args == [False]


def test_a_document_nobody_uses_goes_with_its_undo_history():
    """The undo commands are kept apart from their document (see the Qt binding tests);
    they hold it weakly, so a document closed and dropped is not kept by its history, and
    the commands its stack deleted are let go of at the next edit anywhere."""
    import gc
    import weakref

    import shiboken6

    from ui.core import document as module

    dropped = seed_document()
    dropped.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    dropped.edit("Add Dense", lambda g: g.stack_insert(1, "Dense", {"units": 3}))
    dropped.undo_stack.undo()
    gone = weakref.ref(dropped)
    del dropped
    gc.collect()
    assert gone() is None
    other = seed_document()
    other.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    assert all(shiboken6.isValid(command) for command in module._PUSHED)
    other.undo_stack.undo()
    assert other.graph.calls == {}  # its own history still works


def test_a_check_made_out_of_date_by_an_edit_stops_and_the_new_graph_is_checked(qtbot, service_parts, monkeypatch):
    """A check of a graph edited meanwhile was worked to the end and dropped: on two cores
    the window waited for its turn at Python behind it (opening a model just after editing
    a big one). It now stops at its next layer, and the graph as it is now is checked."""
    from tests.ui.long_work import LongWork
    from ui.core import shape_service

    document, service, _loader = service_parts
    qtbot.waitUntil(lambda: not service.is_waiting(), timeout=60_000)  # the seed's report
    long_work = LongWork()
    original = shape_service._report

    def slow_report(inference, graph_json, keras_ready):
        if len(graph_json["layers"]) == 1:  # the first edit's graph: a long check
            long_work.run()
        return original(inference, graph_json, keras_ready)

    monkeypatch.setattr(shape_service, "_report", slow_report)
    reports = []
    service.sigReport.connect(lambda r: reports.append(r))
    document.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    qtbot.waitUntil(long_work.started.is_set, timeout=60_000)
    document.edit("Add Dense", lambda g: g.stack_insert(1, "Dense", {"units": 10}))
    qtbot.waitUntil(long_work.stopped.is_set, timeout=60_000)  # long before its 60,000 steps
    qtbot.waitUntil(lambda: not service.is_waiting(), timeout=60_000)
    assert len(reports) == 1 and set(reports[0].calls) == set(document.graph.calls)
    assert reports[0].total_params == 28 * 28 * 10 + 10


def test_an_edit_is_copied_once_for_the_undo_history_the_shapes_and_the_code(qtbot, service_parts):
    """Each of them made its own copy of the graph: four copies of NASNetMobile's graph per
    keystroke on the window's thread. One snapshot now serves all three; none of them
    changes it, so undo and redo still give the graph exactly as it was."""
    from ui.editor.code_view import CodeView

    document, service, _loader = service_parts
    view = CodeView(document)
    qtbot.addWidget(view)
    view.show()
    add_flatten_dense(document)
    qtbot.waitUntil(lambda: "Dense(100" in view.editor.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: not service.is_waiting(), timeout=10_000)
    copies = []
    to_json = ModelGraph.to_json
    ModelGraph.to_json = lambda graph: (copies.append(graph), to_json(graph))[1]
    try:
        document.edit("units", lambda g: g.set_config("dense", {"units": 7, "activation": "relu"}))
        qtbot.waitUntil(lambda: "Dense(7" in view.editor.toPlainText(), timeout=10_000)
        qtbot.waitUntil(lambda: not service.is_waiting(), timeout=10_000)
    finally:
        ModelGraph.to_json = to_json
    assert len(copies) == 1, "the graph was copied more than once for one edit"
    assert service.report.calls[list(document.graph.calls)[1]].output_shapes == [(None, 7)]
    shared = document.snapshot()
    assert shared == document.graph.to_json()  # nobody changed it meanwhile
    before_edit = json.loads(json.dumps(shared))
    document.undo_stack.undo()
    assert document.graph.layers["dense"].config["units"] == 100
    assert document.snapshot() == document.graph.to_json()
    document.undo_stack.redo()
    assert document.graph.to_json() == before_edit


# ---------------------------------------------------------------------------- recovery
def test_autosave_writes_only_unsaved_work(qtbot, tmp_path):
    document = seed_document()
    recovery = Recovery(document, tmp_path / "recovery")
    assert recovery.autosave() is None  # nothing changed: nothing to protect
    add_flatten_dense(document)
    with qtbot.waitSignal(recovery.sigSaved):
        path = recovery.autosave()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "tflab-recovery"
    assert ModelGraph.from_json(data["project"]["graph"]) == document.graph
    document.undo_stack.setClean()  # saved by the user: the recovery file goes
    recovery.wait(10_000)
    assert not path.exists()
    recovery.shutdown()


def test_a_discard_deletes_the_recovery_file_off_the_windows_thread(qtbot, tmp_path, monkeypatch):
    """Saving (or dropping the work) deleted the recovery file on the window's thread; with
    the home folder on a network that does not answer, the window froze after the save. The
    file goes on the autosave lane now, after the writes asked before it."""
    document = seed_document()
    recovery = Recovery(document, tmp_path / "recovery", interval_ms=50)
    add_flatten_dense(document)
    with qtbot.waitSignal(recovery.sigSaved, timeout=10_000):
        recovery.start()  # the timer's write, on the lane
    recovery._timer.stop()
    add_flatten_dense(document)
    recovery._autosave_aside()  # a second write, still on its way when the save comes
    looked_here = files_looked_at_here(monkeypatch)
    document.undo_stack.setClean()  # saved by the user
    assert looked_here == []
    recovery.wait(10_000)
    monkeypatch.undo()
    assert not recovery.path.exists()  # deleted after the write before it, not before
    add_flatten_dense(document)  # unsaved again: written again
    assert recovery.autosave() == recovery.path and recovery.path.exists()
    recovery.shutdown()
    assert not recovery.path.exists()


def test_a_moved_box_is_autosaved_where_it_stands(qtbot, tmp_path):
    """Moves are announced apart from other edits (nothing but the boxes' places changed):
    the recovery file still holds where the user put them."""
    document = seed_document()
    recovery = Recovery(document, tmp_path / "recovery")
    node = document.graph.node_ids()[-1]
    document.place("Move", {node: (123.0, 456.0)})
    with qtbot.waitSignal(recovery.sigSaved):
        path = recovery.autosave()
    assert path is not None
    data = json.loads(path.read_text(encoding="utf-8"))
    assert ModelGraph.from_json(data["project"]["graph"]).positions[node] == (123.0, 456.0)
    recovery.shutdown()


def test_autosave_runs_on_its_timer(qtbot, tmp_path):
    document = seed_document()
    recovery = Recovery(document, tmp_path / "recovery", interval_ms=50)
    add_flatten_dense(document)
    with qtbot.waitSignal(recovery.sigSaved, timeout=10_000):
        recovery.start()
    recovery.shutdown()
    assert not recovery.path.exists()  # a normal end deletes it


def test_autosave_looks_at_no_file_on_the_windows_thread(qtbot, tmp_path, monkeypatch):
    """Each tick asked whether the recovery file existed, made its folder and took its lock
    on the window's thread, and every project opened deleted a file never written: on a
    home folder on the network each of these can block. They happen on the autosave lane
    now, and a file never written is never looked for."""
    looked_here = files_looked_at_here(monkeypatch)
    document = seed_document()
    recovery = Recovery(document, tmp_path / "recovery", interval_ms=50)
    document.replace_project(Project(ModelGraph.sequential((4,), [("Dense", {"units": 2})])), None)
    add_flatten_dense(document)
    with qtbot.waitSignal(recovery.sigSaved, timeout=10_000) as saved:
        recovery.start()
    recovery._timer.stop()
    recovery._autosave_aside()  # nothing changed since: nothing written, nothing looked at
    assert looked_here == []
    assert json.loads(Path(saved.args[0]).read_text(encoding="utf-8"))["project"]["graph"] == document.graph.to_json()
    recovery.shutdown()
    assert not recovery.path.exists()


def test_recovered_work_is_written_again_before_the_old_file_goes(qtbot, tmp_path, monkeypatch):
    """Opening an earlier session's work writes it into this session's recovery file and
    only then deletes the old one, both on the autosave lane: a write that fails keeps it."""
    from ui.core import recovery as recovery_module

    folder = tmp_path / "recovery"
    document = seed_document()
    add_flatten_dense(document)
    Recovery(document, folder).shutdown(keep_unsaved=True)  # the earlier session's work
    (orphan,) = find_orphans(folder)
    mine = Recovery(document, folder)
    mine.mark_unsaved()
    real_write = recovery_module._write

    def full_disk(path, data):
        raise OSError("No space left on device")

    monkeypatch.setattr(recovery_module, "_write", full_disk)
    mine.autosave_then(orphan.delete)
    with qtbot.waitSignal(mine._writer.sigError, timeout=10_000):  # the failure reaches the window:
        pass  # the work is still to be written
    assert orphan.path.exists() and not mine.path.exists()  # nothing lost
    monkeypatch.setattr(recovery_module, "_write", real_write)
    mine.autosave_then(orphan.delete)
    mine.wait(10_000)
    assert not orphan.path.exists() and mine.path.exists()
    mine.shutdown()


def test_running_session_is_not_offered_but_a_crashed_one_is(qtbot, tmp_path):
    folder = tmp_path / "recovery"
    document = seed_document()
    add_flatten_dense(document)
    live = Recovery(document, folder)
    live.autosave()
    crash = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QCoreApplication
        from pathlib import Path
        from tflab.graph import ModelGraph
        from tflab.project import Project
        from ui.core.document import Document
        from ui.core.recovery import Recovery
        app = QCoreApplication([])
        graph = ModelGraph("crashed")
        graph.add_input((4,), "input")
        document = Document(Project(graph))
        document.edit("Add Dense", lambda g: g.stack_insert(0, "Dense", {{"units": 3}}))
        Recovery(document, Path({str(folder)!r})).autosave()
        os._exit(3)  # a crash: no clean-up of any kind
    """)
    result = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 3, result.stderr
    orphans = find_orphans(folder)
    assert len(orphans) == 1  # only the crashed session's work
    orphan = orphans[0]
    project = orphan.load()
    assert project.graph.name == "crashed"
    assert [layer.class_name for layer in project.graph.layers.values()] == ["Dense"]
    orphan.delete()
    assert find_orphans(folder) == []
    assert live.path.exists()  # the running session's file is untouched
    live.shutdown()
    assert not live.path.exists()


def test_unsaved_work_is_kept_when_the_program_ends_without_closing(tmp_path):
    folder = tmp_path / "recovery"
    document = seed_document()
    add_flatten_dense(document)
    recovery = Recovery(document, folder)
    recovery.shutdown(keep_unsaved=True)
    orphans = find_orphans(folder)
    assert len(orphans) == 1
    assert orphans[0].load().graph == document.graph
    orphans[0].release()


def test_the_timers_autosave_writes_on_a_lane_not_in_the_window(qtbot, tmp_path, monkeypatch):
    """Trained weights can make a recovery file large: the periodic write happens aside."""
    import threading

    from ui.core import recovery as recovery_module

    document = Document(Project(ModelGraph.sequential((4,), [("Dense", {"units": 2})])))
    recovery = Recovery(document, tmp_path / "recovery", interval_ms=50)
    written_on = []
    real_write = recovery_module._write
    monkeypatch.setattr(recovery_module, "_write",
                        lambda path, data: written_on.append(threading.get_ident()) or real_write(path, data))
    document.edit("Add", lambda g: g.stack_insert(1, "Dense", {"units": 3}))
    with qtbot.waitSignal(recovery.sigSaved, timeout=10_000) as saved:
        recovery.start()
    assert written_on and written_on[0] != threading.get_ident()
    data = json.loads(Path(saved.args[0]).read_text(encoding="utf-8"))
    assert ModelGraph.from_json(data["project"]["graph"]) == document.graph
    document.undo_stack.setClean()  # saved: the recovery file goes, even right after a write
    recovery.wait(10_000)  # (on the autosave lane, after the write)
    assert not recovery.path.exists()
    recovery.shutdown()
