"""The inspector: a form per layer from the catalog, sparse configs, refusals, undo."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tflab.graph import ModelGraph
from tflab.project import Project
from ui.core.document import Document
from ui.editor.inspector import Inspector, split_params


@pytest.fixture
def inspect(make_inspector):
    """An inspector on a stack Input(28, 28) -> Dense(32) -> Dropout(0.2), the Dense selected."""
    return make_inspector()


def _type(qtbot, line_edit, text: str) -> None:
    """Replace the text of a line edit as a user does: select all, then type."""
    line_edit.setFocus()
    line_edit.selectAll()
    if text:
        qtbot.keyClicks(line_edit, text)
    else:
        qtbot.keyClick(line_edit, Qt.Key.Key_Delete)


def _paste(qtbot, line_edit, text: str) -> None:
    """Replace the text of a line edit at once, as pasting does."""
    QApplication.clipboard().setText(text)
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _pick(qtbot, combo, text: str) -> None:
    """Choose ``text`` in a combo box with the keyboard (Home, then Down to it)."""
    index = combo.findText(text)
    assert index >= 0, text
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def _dense(inspector: Inspector):
    return inspector.document.graph.layer_of(inspector.node_id())


def test_form_shows_the_layer(inspect):
    assert inspect.field("units").value() == 32
    assert inspect.field("units").is_set()
    assert inspect.field("activation").value() is None
    assert not inspect.field("activation").is_set()
    assert inspect.field("name").value() == "dense"
    assert inspect.field("kernel_initializer").value() == "glorot_uniform"
    assert not inspect.field("kernel_initializer").isVisibleTo(inspect)   # under "More parameters"
    inspect.show_more(True)
    assert inspect.field("kernel_initializer").isVisibleTo(inspect)


def test_typing_a_value_is_one_undo_step(inspect, qtbot):
    document = inspect.document
    _type(qtbot, inspect.field("units").editor.box.text_field(), "128")
    assert _dense(inspect).config == {"units": 128}
    assert document.undo_stack.count() == 1                     # "1", "12", "128" merged
    document.undo_stack.undo()
    assert _dense(inspect).config == {"units": 32}
    assert inspect.field("units").editor.box.text() == "32"


def test_sparse_config_default_values_are_removed(inspect, qtbot):
    check = inspect.field("use_bias").editor.check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert _dense(inspect).config == {"units": 32, "use_bias": False}
    assert inspect.field("use_bias").is_set()
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)          # back to the default
    assert _dense(inspect).config == {"units": 32}
    activation = inspect.field("activation")
    _type(qtbot, activation.editor.text_field(), "tanh")
    assert _dense(inspect).config == {"units": 32, "activation": "tanh"}
    assert activation.reset_button.isVisible()
    qtbot.mouseClick(activation.reset_button, Qt.MouseButton.LeftButton)
    assert _dense(inspect).config == {"units": 32}
    assert activation.editor.combo.currentText() == "None"


@pytest.mark.parametrize("text", ["0", "abc", "", "-3", "2.5"])
def test_invalid_value_is_refused_in_the_field(inspect, qtbot, text):
    document = inspect.document
    before = document.graph.to_json()
    field = inspect.field("units")
    _paste(qtbot, field.editor.box.text_field(), text)
    assert document.graph.to_json() == before
    assert document.undo_stack.count() == 0
    assert "units must be a whole number of at least 1" in field.error()
    assert "border" in field.editor.frame_widget().styleSheet()  # framed in red
    _type(qtbot, field.editor.box.text_field(), "64")          # a valid value clears the message
    assert field.error() == ""
    assert _dense(inspect).config == {"units": 64}


def test_activation_typo_gets_a_suggestion(inspect, qtbot):
    field = inspect.field("activation")
    _type(qtbot, field.editor.text_field(), "rleu")
    assert "Did you mean 'relu'?" in field.error()
    assert _dense(inspect).config == {"units": 32}


def test_initializer_picker_makes_the_object_value(inspect, qtbot):
    inspect.show_more(True)
    field = inspect.field("kernel_initializer")
    editor = field.editor
    combo = editor.combo
    _pick(qtbot, combo, "RandomNormal")
    assert combo.currentText() == "RandomNormal"
    assert _dense(inspect).config["kernel_initializer"] == "random_normal"
    assert all(editor.argument_field(name) for name in ("mean", "stddev", "seed"))
    _type(qtbot, editor.argument_field("stddev").editor.box.text_field(), "0.1")
    assert _dense(inspect).config["kernel_initializer"] == {
        "class_name": "RandomNormal", "module": "initializers", "config": {"stddev": 0.1}}
    _type(qtbot, editor.argument_field("stddev").editor.box.text_field(), "-1")
    assert "stddev" in editor.argument_field("stddev").error()
    assert _dense(inspect).config["kernel_initializer"]["config"] == {"stddev": 0.1}
    _type(qtbot, editor.argument_field("seed").editor.box.text_field(), "7")
    assert _dense(inspect).config["kernel_initializer"]["config"] == {"stddev": 0.1, "seed": 7}
    _pick(qtbot, combo, "GlorotUniform")                       # back to the default: removed
    assert "kernel_initializer" not in _dense(inspect).config


def test_random_uniform_needs_minval_below_maxval(inspect, qtbot):
    inspect.show_more(True)
    field = inspect.field("kernel_initializer")
    _pick(qtbot, field.editor.combo, "RandomUniform")
    _type(qtbot, field.editor.argument_field("minval").editor.box.text_field(), "1")
    assert "minval (1) must be less than maxval (0.05)" in field.error()
    assert _dense(inspect).config["kernel_initializer"] == "random_uniform"


def test_regularizer_picker(inspect, qtbot):
    inspect.show_more(True)
    field = inspect.field("kernel_regularizer")
    _pick(qtbot, field.editor.combo, "L2")
    assert _dense(inspect).config["kernel_regularizer"] == "l2"
    _type(qtbot, field.editor.argument_field("l2").editor.box.text_field(), "0.001")
    assert _dense(inspect).config["kernel_regularizer"] == {
        "class_name": "L2", "module": "regularizers", "config": {"l2": 0.001}}


def test_rename_and_refuse_a_taken_name(inspect, qtbot):
    document = inspect.document
    name = inspect.field("name")
    _type(qtbot, name.editor.text_field(), "hidden")
    assert "hidden" in document.graph.layers
    assert document.undo_stack.count() == 1
    _paste(qtbot, name.editor.text_field(), "dropout")
    assert "is used twice" in name.error()
    assert set(document.graph.layers) == {"hidden", "dropout"}
    _paste(qtbot, name.editor.text_field(), "a/b")
    assert "cannot be used" in name.error()
    assert set(document.graph.layers) == {"hidden", "dropout"}
    assert document.undo_stack.count() == 1


def test_input_shape_dtype_and_name(inspect, qtbot):
    document = inspect.document
    document.select(document.graph.inputs[0].id)
    shape = inspect.field("shape")
    assert shape.editor.text_field().text() == "28, 28"
    _type(qtbot, shape.editor.text_field(), "28, 28, 1")
    assert document.graph.inputs[0].shape == (28, 28, 1)
    _paste(qtbot, shape.editor.text_field(), "28, 0")
    assert "shape must be" in shape.error()
    assert document.graph.inputs[0].shape == (28, 28, 1)
    dtype = inspect.field("dtype").editor.combo
    _pick(qtbot, dtype, "int32")
    assert document.graph.inputs[0].dtype == "int32"
    _type(qtbot, inspect.field("name").editor.text_field(), "pixels")
    assert document.graph.inputs[0].name == "pixels"
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert (document.graph.inputs[0].name, document.graph.inputs[0].dtype) == ("input", "float32")
    assert inspect.field("name").editor.text_field().text() == "input"
    document.undo_stack.undo()                                  # the typed shape was one step
    assert document.graph.inputs[0].shape == (28, 28)
    assert inspect.field("shape").editor.text_field().text() == "28, 28"


def test_tuple_values(qtbot):
    graph = ModelGraph.sequential([28, 28, 1], [("Conv2D", {"filters": 8, "kernel_size": 3})])
    document = Document(Project(graph))
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    document.select(next(iter(graph.calls)))
    kernel = inspector.field("kernel_size").editor.text_field()
    _type(qtbot, kernel, "5, 5")
    assert document.graph.layer_of(inspector.node_id()).config["kernel_size"] == [5, 5]
    _type(qtbot, kernel, "5, 5, 5")
    assert "kernel_size must be" in inspector.field("kernel_size").error()
    padding = inspector.field("padding").editor.combo
    _pick(qtbot, padding, "same")
    assert document.graph.layer_of(inspector.node_id()).config["padding"] == "same"


def test_report_error_and_hint_are_shown(qtbot):
    from tflab.shapes import ShapeInference

    graph = ModelGraph.sequential([28, 28], [("Conv2D", {"filters": 8, "kernel_size": 3})])
    document = Document(Project(graph))
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    inspector.show()
    document.select(next(iter(graph.calls)))
    inspector.set_report(ShapeInference().infer(graph))
    problem = inspector.problem_text()
    assert "min_ndim=4" in problem
    assert "Put a Reshape before it" in problem


def test_nothing_selected_shows_a_placeholder(inspect):
    inspect.document.select("")
    assert inspect.node_id() == ""
    assert inspect.field("units") is None


def test_bidirectional_layer_value(qtbot):
    graph = ModelGraph.sequential([10, 8], [("Bidirectional", {
        "layer": {"class_name": "LSTM", "module": "layers", "config": {"units": 32}}})])
    document = Document(Project(graph))
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    document.select(next(iter(graph.calls)))
    editor = inspector.field("layer").editor
    _type(qtbot, editor.argument_field("units").editor.box.text_field(), "16")
    assert document.graph.layer_of(inspector.node_id()).config["layer"] == {
        "class_name": "LSTM", "module": "layers", "config": {"units": 16}}
    _pick(qtbot, editor.combo, "GRU")
    assert document.graph.layer_of(inspector.node_id()).config["layer"] == {
        "class_name": "GRU", "module": "layers", "config": {"units": 32}}


def test_split_params_puts_weights_under_more():
    from tflab import catalog

    main, more = split_params(catalog.get_entry("Dense"))
    assert [s.name for s in main] == ["units", "activation", "use_bias"]
    assert "kernel_initializer" in [s.name for s in more]
    assert "trainable" in [s.name for s in more]


def test_undo_in_a_field_is_left_to_the_window_and_the_field_follows(inspect, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    inspect.activateWindow()
    qtbot.waitActive(inspect)
    units = inspect.field("units").editor.box.text_field()
    _type(qtbot, units, "64")

    def ctrl_z_is_left_to_the_window() -> bool:
        """Whether Ctrl+Z, pressed now, reaches the window's Undo (sent as Qt sends it:
        to the focused widget first, which may keep it for itself)."""
        override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        override.ignore()
        QApplication.sendEvent(QApplication.focusWidget(), override)
        return not override.isAccepted()

    assert units.hasFocus()
    assert ctrl_z_is_left_to_the_window()
    activation = inspect.field("activation").editor.text_field()
    _type(qtbot, activation, "tanh")
    assert activation.hasFocus() and ctrl_z_is_left_to_the_window()
    inspect.document.undo_stack.undo()
    inspect.document.undo_stack.undo()
    assert _dense(inspect).config == {"units": 32}
    assert units.text() == "32"


def test_the_wheel_over_a_field_scrolls_the_form_unless_the_field_has_the_focus(inspect, qtbot):
    """A student scrolling through a long form must not change the values the mouse passes."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    inspect.activateWindow()
    qtbot.waitActive(inspect)
    box = inspect.field("units").editor.box

    def wheel_up() -> bool:
        centre = QPointF(box.width() / 2, box.height() / 2)
        event = QWheelEvent(centre, QPointF(box.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(box, event)
        return event.isAccepted()

    inspect.setFocus()
    assert not box.hasFocus()
    assert not wheel_up()  # left to the form around it
    assert _dense(inspect).config == {"units": 32} and box.text_field().text() == "32"
    box.setFocus()
    assert wheel_up()
    assert _dense(inspect).config == {"units": 33}


def test_the_inspector_tells_tflabs_starting_values_from_kerass_defaults(qtbot):
    from tflab import catalog
    from ui.core.document import Document
    from ui.editor.inspector import Inspector

    graph = ModelGraph.sequential((4,), [("Dense", catalog.get_entry("Dense").fresh_config())])
    document = Document(Project(graph))
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    document.select(graph.stack_order()[0][0])
    activation = inspector.field("activation")
    assert activation.starting_note == "tflab starts new layers with relu; Keras's own default is None."
    assert activation.starting_note in activation.description.text()
    assert inspector.field("use_bias").starting_note == ""  # Keras's default, left as it is
    assert inspector.field("units").starting_note == ""  # Keras requires it: no default to differ from
    assert activation.reset_button.text().endswith("Keras default")


def test_with_nothing_selected_the_inspector_says_what_it_is_for(qtbot):
    """It was blank at start-up: a new student saw an empty column and no hint."""
    from PySide6.QtWidgets import QLabel

    inspector = Inspector(Document(Project(ModelGraph.sequential([4], [("Dense", {"units": 2})]))))
    qtbot.addWidget(inspector)
    inspector.show()
    texts = [label.text() for label in inspector.findChildren(QLabel) if label.isVisible()]
    assert "Select a layer in the model to see and change its parameters." in texts


def test_a_nested_model_opens_out_into_its_layers_and_ungroups_in_one_undo_step(qtbot, monkeypatch):
    """A model used as a layer (a Siamese tower) shows its layers with the shapes they give
    on the call's input, without Keras and beside the window (a whole EfficientNet used as
    a layer has 239); "Ungroup" puts them in its place, still shared by both calls, and
    one undo puts the model back."""
    import threading

    from PySide6.QtWidgets import QPushButton, QTreeWidget

    from ui.editor import inspector as inspector_module

    worked_on = []
    real = inspector_module.inner_report
    monkeypatch.setattr(inspector_module, "inner_report", lambda *a: (
        worked_on.append(threading.current_thread()), real(*a))[1])

    from tests.test_nested_models import siamese
    from tflab.shape_rules import quick_report

    graph = siamese()
    graph.set_input(graph.inputs[0].id, shape=[8])
    document = Document(Project(graph))
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    inspector.show()
    before = document.graph.to_json()
    document.select(document.graph.calls_of_layer("tower")[0])
    inspector.set_report(quick_report(document.graph))
    inside = inspector.findChild(QTreeWidget, "inside")
    qtbot.waitUntil(lambda: inside.topLevelItemCount() == 3)  # worked out on a lane
    assert worked_on and threading.main_thread() not in worked_on
    rows = [[inside.topLevelItem(i).text(c) for c in range(3)] for i in range(inside.topLevelItemCount())]
    assert rows == [["input (Input)", "(None, 8)", ""], ["dense (Dense)", "(None, 6)", "54"],
                    ["dense_1 (Dense)", "(None, 4)", "28"]]
    assert "Output shape:" in inspector.info_text() and "82" in inspector.info_text()
    qtbot.mouseClick(inspector.findChild(QPushButton, "ungroup"), Qt.LeftButton)
    graph = document.graph
    assert "tower" not in graph.layers  # its "dense" meets the outer "dense": a suffix
    assert [(name, len(graph.calls_of_layer(name))) for name in graph.layers] == [
        ("dense_1", 2), ("dense_1_1", 2), ("subtract", 1), ("dense", 1)]
    assert graph.layer_of(document.selected).name == "dense_1"  # the first of its layers, to edit
    assert document.undo_stack.undoText() == "Ungroup tower"
    document.undo_stack.undo()
    assert document.graph.to_json() == before
