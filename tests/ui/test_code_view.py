"""The code view: live Keras code in three styles, copy, export, and the summary."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tflab.graph import ModelGraph, TensorRef
from tflab.project import Project
from tflab.shapes import ShapeInference
from ui.core.document import Document
from ui.editor.code_view import CodeView


def stack_graph() -> ModelGraph:
    return ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"})])


def branch_graph() -> ModelGraph:
    """input -> dense_a, input -> dense_b, both into Concatenate: not a stack."""
    graph = ModelGraph("branchy")
    source = graph.add_input((8,), "input")
    a = graph.add_layer_call("Dense", {"units": 4}, [source], "dense_a")
    b = graph.add_layer_call("Dense", {"units": 4}, [source], "dense_b")
    merged = graph.add_layer_call("Concatenate", {}, [a, b], "concat")
    graph.outputs = [TensorRef(merged)]
    return graph


@pytest.fixture
def make_view(qtbot):
    def make(graph: ModelGraph) -> tuple[CodeView, Document]:
        document = Document(Project(graph))
        view = CodeView(document)
        qtbot.addWidget(view)
        view.resize(700, 500)
        view.show()
        return view, document
    return make


def test_stack_shows_sequential_code(make_view):
    view, _ = make_view(stack_graph())
    assert view.code_style() == "sequential"
    assert "tf.keras.Sequential(" in view.code()
    assert 'tf.keras.layers.Dense(100, activation="relu", name="dense")' in view.code()
    assert view.editor.toPlainText() == view.code()
    assert view.editor.isReadOnly()
    assert view.pages.currentWidget() is view.editor
    assert view.copy_button.isEnabled() and view.export_button.isEnabled()


def test_graph_shows_why_sequential_cannot_write_it(qtbot, make_view):
    view, _ = make_view(branch_graph())
    view.set_code_style("sequential")  # the user picks Sequential for a graph
    assert view.code() == ""
    assert "cannot be written with tf.keras.Sequential" in view.reason()
    assert "takes 2 inputs" in view.reason()
    assert view.pages.currentIndex() == 1
    assert view.reason_label.text() == view.reason()
    assert not view.copy_button.isEnabled() and not view.export_button.isEnabled()
    qtbot.mouseClick(view.functional_button, Qt.LeftButton)
    assert view.code_style() == "functional"
    assert "tf.keras.layers.Concatenate(" in view.code()
    assert view.pages.currentWidget() is view.editor


def test_style_switch_and_training_script(qtbot, make_view):
    view, _ = make_view(stack_graph())
    qtbot.mouseClick(view.style_buttons["subclass"], Qt.LeftButton)
    assert view.code_style() == "subclass"
    assert "class MyModel(tf.keras.Model):" in view.code()  # never read as Keras's own Model
    qtbot.mouseClick(view.style_buttons["functional"], Qt.LeftButton)
    assert "tf.keras.Model(" in view.code() and "Sequential" not in view.code()
    assert "model.fit(" not in view.code()
    view.script_box.click()
    assert "model.compile(" in view.code() and "model.fit(" in view.code() and "model.evaluate(" in view.code()


def test_style_choice_is_remembered(make_view):
    view, _ = make_view(stack_graph())
    view.set_code_style("subclass")
    view.script_box.setChecked(True)
    again, _ = make_view(stack_graph())
    assert again.code_style() == "subclass"
    assert again.script_box.isChecked()


def test_code_follows_edits_and_undo(make_view):
    view, document = make_view(stack_graph())
    document.edit("Add Dropout", lambda g: g.stack_insert(2, "Dropout", {"rate": 0.5}))
    assert "tf.keras.layers.Dropout(0.5" in view.code()
    document.undo_stack.undo()
    assert "Dropout" not in view.code()
    document.edit("Branch", lambda g: g.add_layer_call("Dense", {"units": 2}, [g.inputs[0].id]))
    assert view.reason() and view.code() == ""


def test_copy_puts_the_code_on_the_clipboard(qtbot, make_view):
    view, _ = make_view(stack_graph())
    with qtbot.waitSignal(view.sigStatus):
        qtbot.mouseClick(view.copy_button, Qt.LeftButton)
    assert QGuiApplication.clipboard().text() == view.code()


def test_export_writes_the_file_off_the_windows_thread(qtbot, make_view, tmp_path, monkeypatch):
    """Exported on a lane: a folder that does not answer never holds the window."""
    import threading

    from ui.editor import code_view

    view, _ = make_view(stack_graph())
    target = tmp_path / "my_model"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(target), ""))
    writers = []
    write = code_view.atomic_write_text
    monkeypatch.setattr(code_view, "atomic_write_text",
                        lambda *a, **k: (writers.append(threading.current_thread()), write(*a, **k))[1])
    with qtbot.waitSignal(view.sigExported, timeout=10_000), qtbot.waitSignal(view.sigStatus, timeout=10_000):
        qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert writers and threading.main_thread() not in writers
    written = tmp_path / "my_model.py"
    assert written.read_text(encoding="utf-8") == view.code()
    # no temporary file left (the tests' settings folder lives in tmp_path too)
    assert [p.name for p in tmp_path.iterdir() if p.name != "settings"] == ["my_model.py"]
    compile(written.read_text(encoding="utf-8"), str(written), "exec")


def test_export_failure_is_shown(qtbot, make_view, tmp_path, monkeypatch):
    view, _ = make_view(stack_graph())
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    view.export_to(tmp_path / "missing folder" / "model.py")
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "Cannot write into" in shown[0]


def test_export_of_an_impossible_style_explains_why(make_view, monkeypatch):
    view, _ = make_view(branch_graph())
    view.set_code_style("sequential")  # chosen by the user for a graph
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no dialog expected"))
    view.hide()  # File > Export Code with another tab in front
    view.export_dialog()
    assert shown == [view.reason()]  # the code panel is not on screen: the reason comes in a box

    view.show()  # on screen, the reason is not shown a second time
    status = []
    view.sigStatus.connect(status.append)
    view.export_dialog()
    assert shown == [view.reason()] and status == ["Nothing to export: the code panel says why."]


def test_summary_tab_shows_the_report_when_it_is_shown(make_view):
    view, document = make_view(stack_graph())
    assert "TensorFlow" in view.summary.toPlainText()  # before any report
    view.set_report(ShapeInference().infer(document.graph))
    assert "Total params" not in view.summary.toPlainText()  # not shown: not written (20 ms for a big model)
    view.tabs.setCurrentIndex(1)
    text = view.summary.toPlainText()
    assert 'Model: "model"' in text
    assert "dense (Dense)" in text and "(None, 100)" in text
    assert "Total params: 78,500" in text
    assert view.summary.isReadOnly()
    document.edit("units", lambda g: g.set_config("dense", {"units": 50}))
    view.set_report(ShapeInference().infer(document.graph))  # shown: written at once
    assert "Total params: 39,250" in view.summary.toPlainText()


def test_highlighter_colours_code_not_docstrings(make_view):
    view, _ = make_view(stack_graph())
    view.highlighter.rehighlight()
    document = view.editor.document()

    def colour_at(line: str, word: str) -> str:
        block = document.findBlockByNumber(next(i for i, text in enumerate(view.code().splitlines())
                                                if text == line))
        column = line.index(word)
        for fmt in block.layout().formats():
            if fmt.start <= column < fmt.start + fmt.length:
                return fmt.format.foreground().color().name()
        return ""

    keyword = colour_at("import tensorflow as tf", "import")
    docstring = colour_at("Import it and call build_model() to get the model.", "and")
    string = colour_at('            tf.keras.layers.Flatten(name="flatten"),', '"flatten"')
    assert keyword and docstring and string
    assert keyword != docstring
    assert docstring == string


def test_the_training_script_follows_the_training_settings(make_view):
    view, document = make_view(stack_graph())
    view.script_box.setChecked(True)
    assert "epochs=10" in view.code()  # the training panel's defaults when nothing is set
    document.set_training({"optimizer": "sgd", "learning_rate": 0.05, "epochs": 42})
    assert "tf.keras.optimizers.SGD(learning_rate=0.05" in view.code() and "epochs=42" in view.code()
    document.undo_stack.undo()
    assert "epochs=10" in view.code() and "Adam(" in view.code()


def test_a_training_script_is_exported_with_the_data_it_trains_on(qtbot, make_view, tmp_path):
    from tflab.project import starter_project

    view, document = make_view(starter_project().graph)
    document.set_training({**starter_project().training}, "settings")
    view.script_box.setChecked(True)
    assert "train_data.npz" not in view.code()  # the view shows the code; export writes the data
    target = tmp_path / "train.py"
    with qtbot.waitSignal(view.sigExported, timeout=60_000) as exported:
        view.export_to(target)
    assert exported.args[0] == [str(tmp_path / "train_data.npz"), str(target)]
    code = target.read_text(encoding="utf-8")
    assert 'np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_data.npz"))' in code
    compile(code, str(target), "exec")
    assert {"train.py", "train_data.npz"} <= {p.name for p in tmp_path.iterdir()}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_graph_opens_on_functional_code_rather_than_sequential_refusing_it(qtbot, make_view):
    view, document = make_view(stack_graph())
    view.set_code_style("sequential")
    document.replace_project(Project(branch_graph()), None)
    assert view.code_style() == "functional" and view.code() and not view.reason()
    document.replace_project(Project(stack_graph()), None)
    assert view.code_style() == "functional"  # a stack shows the style now chosen


def test_comments_follow_the_interface_language_unless_english_is_asked(make_view):
    from tflab import messages
    from tflab.codegen import generate

    english_view, _ = make_view(stack_graph())
    assert not english_view.english_action.isVisible()  # nothing to choose in English
    assert english_view.code() == generate(stack_graph(), "sequential")

    messages.set_language("zh")
    view, document = make_view(branch_graph())
    assert view.english_action.isVisible() and not view.english_box.isChecked()
    assert view.code() == generate(branch_graph(), "functional", comments="zh")
    assert "# 输入：一个样本的形状，不含批次大小" in view.code()
    view.english_box.setChecked(True)
    assert view.code() == generate(branch_graph(), "functional")
    again, _ = make_view(branch_graph())  # the choice is remembered
    assert again.english_box.isChecked() and again.code() == generate(branch_graph(), "functional")


def test_changed_lines_replace_only_what_differs(qtbot):
    import random

    from PySide6.QtWidgets import QPlainTextEdit

    from ui.editor.code_view import replace_changed_lines

    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    rng = random.Random(0)
    lines = [f"line {i}" for i in range(12)]
    editor.setPlainText("\n".join(lines))
    for _ in range(300):  # random edits: change, insert and remove lines anywhere, even all
        lines = list(lines)
        for _ in range(rng.randint(1, 3)):
            where = rng.randint(0, len(lines))
            action = rng.choice(["change", "insert", "remove", "remove"])
            if action == "insert" or not lines:
                lines.insert(where, f"new {rng.random():.3f}")
            elif action == "change":
                lines[min(where, len(lines) - 1)] = f"changed {rng.random():.3f}"
            else:
                del lines[min(where, len(lines) - 1)]
        text = "\n".join(lines)
        replace_changed_lines(editor, text)
        assert editor.toPlainText() == text


def test_typing_writes_the_code_once_the_keys_pause(make_view, qtbot):
    view, document = make_view(stack_graph())
    writes = []
    view.editor.textChanged.connect(lambda: writes.append(True))
    for units in (1, 12, 123):
        document.edit("units", lambda g, u=units: g.set_config("dense", {"units": u, "activation": "relu"}),
                      merge_key="typing")
    assert writes == []  # nothing written at each key
    qtbot.waitUntil(lambda: bool(writes), timeout=2000)
    assert 'tf.keras.layers.Dense(123, activation="relu", name="dense")' in view.editor.toPlainText()
    assert view.code() == view.editor.toPlainText()


def test_a_big_models_code_is_coloured_without_freezing_and_completely(make_view, qtbot):
    graph = ModelGraph.sequential((8,), [("Dense", {"units": 8})] * 400)
    view, document = make_view(stack_graph())
    view.refresh()

    def coloured(line: str) -> bool:
        block = view.editor.document().begin()
        while block.isValid() and line not in block.text():
            block = block.next()
        assert block.isValid(), line
        return bool(block.layout().formats())

    document.replace_project(Project(graph), None)
    view.refresh()
    assert coloured('name="dense_1"')  # the top at once
    assert not coloured('name="dense_399"')  # the end later, from the event loop
    qtbot.waitUntil(lambda: coloured('name="dense_399"'), timeout=5000)


def test_the_code_waits_for_a_shape_check_but_asking_for_it_never_does(make_view, qtbot):
    """Written beside a shape check (Python on another thread), a big model's code held
    the window two to four times as long: the view writes it once the check is done, or
    after its hold. Whoever asks for the code gets it at once."""
    view, document = make_view(stack_graph())
    view.refresh()
    checking = [True]
    view.refresh_hold.set_busy(lambda: checking[0])
    view.refresh_hold.most_s = 60.0
    document.edit("units", lambda g: g.set_config("dense", {"units": 7, "activation": "relu"}))
    qtbot.wait(600)  # past the quiet time: still waiting for the check
    assert "Dense(7" not in view.editor.toPlainText()
    checking[0] = False
    qtbot.waitUntil(lambda: "Dense(7" in view.editor.toPlainText(), timeout=2000)

    checking[0] = True
    document.edit("units", lambda g: g.set_config("dense", {"units": 8, "activation": "relu"}))
    assert "Dense(8" in view.code()  # asked: written now
    view.refresh_hold.most_s = 0.05  # a check that never ends holds the code only so long
    document.edit("units", lambda g: g.set_config("dense", {"units": 9, "activation": "relu"}))
    qtbot.waitUntil(lambda: "Dense(9" in view.editor.toPlainText(), timeout=2000)


def test_after_an_edit_the_code_is_written_off_the_window_thread(make_view, qtbot, monkeypatch):
    """Writing a big model's code took tens of milliseconds: after an edit it is written
    on a lane from a snapshot, and the window only shows it."""
    import threading

    from tflab import codegen

    view, document = make_view(stack_graph())
    view.refresh()
    threads = []
    generate = codegen.generate
    monkeypatch.setattr(codegen, "generate",
                        lambda *a, **k: threads.append(threading.current_thread()) or generate(*a, **k))
    document.edit("units", lambda g: g.set_config("dense", {"units": 7, "activation": "relu"}))
    qtbot.waitUntil(lambda: "Dense(7" in view.editor.toPlainText(), timeout=3000)
    assert threads and threading.main_thread() not in threads
    assert view.editor.toPlainText() == codegen.generate(document.graph, "sequential")


def test_code_being_written_for_a_model_changed_since_stops(make_view, qtbot, monkeypatch):
    """Code written for a model changed meanwhile was dropped only once it was done: a
    big model's code took the worker's turns at Python from the window for nothing. It
    stops at its next layer now, and the model as it is now is written."""
    from tests.ui.long_work import LongWork
    from ui.editor import code_view

    view, document = make_view(stack_graph())
    view.refresh()
    long_work = LongWork()
    original = code_view.write_code

    def slow_write(graph, *rest):
        if graph.layers["dense"].config["units"] == 7:
            long_work.run()
        return original(graph, *rest)

    monkeypatch.setattr(code_view, "write_code", slow_write)
    document.edit("units", lambda g: g.set_config("dense", {"units": 7, "activation": "relu"}))
    qtbot.waitUntil(long_work.started.is_set, timeout=10_000)
    document.edit("units", lambda g: g.set_config("dense", {"units": 9, "activation": "relu"}))
    qtbot.waitUntil(long_work.stopped.is_set, timeout=60_000)  # long before its 60,000 steps
    qtbot.waitUntil(lambda: "Dense(9" in view.editor.toPlainText(), timeout=10_000)
    assert "Dense(7" not in view.editor.toPlainText()


def test_code_written_for_an_older_model_is_never_shown(make_view, qtbot):
    """An edit made while the code of the model before it is being written: that answer
    comes late and is dropped; the code shown is always the model's as it is."""
    import threading

    from ui.core.workers import shared_lane
    from ui.editor.code_view import WRITE_LANE

    view, document = make_view(stack_graph())
    view.refresh()
    shown = []
    view.editor.textChanged.connect(lambda: shown.append(view.editor.toPlainText()))
    release = threading.Event()
    shared_lane(WRITE_LANE).submit(None, lambda: release.wait(10))  # the lane is busy
    document.edit("units", lambda g: g.set_config("dense", {"units": 7, "activation": "relu"}))
    qtbot.waitUntil(lambda: view._writing is not None, timeout=2000)  # the code of Dense(7) is asked for
    document.edit("units", lambda g: g.set_config("dense", {"units": 9, "activation": "relu"}))
    release.set()
    qtbot.waitUntil(lambda: "Dense(9" in view.editor.toPlainText(), timeout=3000)
    assert not any("Dense(7" in text for text in shown)

    document.edit("units", lambda g: g.set_config("dense", {"units": 11, "activation": "relu"}))
    assert "Dense(11" in view.code()  # asked while an edit waits: written at once
    assert view.editor.toPlainText() == view.code()
