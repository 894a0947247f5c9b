"""Lab pages 7-12 and the code editor, driven through their widgets; every number is
checked against TensorFlow (or the engine) computed here in the test."""

import numpy as np
import pytest
import tensorflow as tf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tflab.imaging import BoundingBox, call_code
from tflab.labs.custom import LAYER_TEMPLATE, METRIC_TEMPLATE, CustomResult, make_inputs
from tflab.labs.name_scope import name_scope_lab
from tflab.labs.stack_unstack import stack_lab
from tflab.messages import TflabError
from tflab.runlogs import read_scalars
from ui.core.trust import trust
from ui.labs import (
    page_apply_gradients,
    page_crop,
    page_custom,
    page_name_scope,
    page_stack_unstack,
    page_summary_scalar,
)
from ui.labs.common import LabContext
from ui.widgets.code import PythonHighlighter
from ui.widgets.code_editor import CodeEditor

TIMEOUT = 60_000
#: The custom-code check starts a new Python process that imports TensorFlow.
CHECK_TIMEOUT = 240_000


def click_for_result(qtbot, page, button, timeout: int = TIMEOUT):
    """Click ``button`` and return the result the page's runner delivers."""
    with qtbot.waitSignal(page.runner.sigResult, timeout=timeout) as blocker:
        button.click()
    return blocker.args[0]


def click_for_error(qtbot, page, button, timeout: int = TIMEOUT):
    """Click ``button`` and return the error the page's runner delivers."""
    with qtbot.waitSignal(page.runner.sigError, timeout=timeout) as blocker:
        button.click()
    return blocker.args[0]


def select(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


# ---------------------------------------------------------------- 7 apply_gradients


def keras_steps(loss_fn, start, optimizer, steps):
    """Our own training loop: ``steps`` apply_gradients calls from ``start``."""
    variables = [tf.Variable(v, dtype=tf.float32) for v in start]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = loss_fn(*variables)
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
    return [float(v.numpy()) for v in variables], [float(g) for g in grads], float(loss_fn(*variables))


def bowl(x, y):
    return 0.5 * (x ** 2 + 10.0 * y ** 2)


def rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2


def test_step_is_one_sgd_apply_gradients(qtbot, make_page):
    page = make_page(page_apply_gradients)
    select(page.problem_combo, "bowl")
    select(page.optimizer_combo, "sgd")
    page.rate_spin.setValue(0.05)
    page.start_x.setValue(-3.0)
    page.start_y.setValue(1.0)

    snapshot = click_for_result(qtbot, page, page.step_button)
    values, grads, loss = keras_steps(bowl, (-3.0, 1.0), tf.keras.optimizers.SGD(learning_rate=0.05), 1)
    assert snapshot.values == pytest.approx(values)
    assert snapshot.last.gradients == pytest.approx(grads)
    assert snapshot.losses[-1] == pytest.approx(loss)
    assert f"x = {values[0]:.6g}" in page.state_label.text()
    assert f"loss = {loss:.6g}" in page.state_label.text()
    assert f"{grads[1]:.6g}" in page.state_label.text()
    assert page.surface_plot.path_points() == pytest.approx(np.array([(-3.0, 1.0), values]))
    assert "range(1)" in page.code_box.code() and "learning_rate=0.05" in page.code_box.code()

    snapshot = click_for_result(qtbot, page, page.step_button)
    values, _, _ = keras_steps(bowl, (-3.0, 1.0), tf.keras.optimizers.SGD(learning_rate=0.05), 2)
    assert snapshot.values == pytest.approx(values)
    assert len(snapshot.path) == 3


def test_ten_adam_steps_match_a_keras_loop_and_the_shown_code(qtbot, make_page):
    page = make_page(page_apply_gradients)
    select(page.problem_combo, "rosenbrock")
    select(page.optimizer_combo, "adam")
    page.rate_spin.setValue(0.01)
    start = (page.start_x.value(), page.start_y.value())
    assert start == (-1.5, 2.0)  # the problem's own start point

    snapshot = click_for_result(qtbot, page, page.many_button)
    values, _, loss = keras_steps(rosenbrock, start, tf.keras.optimizers.Adam(learning_rate=0.01), 10)
    assert snapshot.values == pytest.approx(values, rel=1e-5)
    assert snapshot.losses[-1] == pytest.approx(loss, rel=1e-5)
    namespace: dict = {}
    exec(compile(page.code_box.code(), "<shown code>", "exec"), namespace)
    assert (float(namespace["x"].numpy()), float(namespace["y"].numpy())) == pytest.approx(values, rel=1e-5)
    assert list(page.loss_curve.listDataItems()[0].yData) == pytest.approx(snapshot.losses)  # before log scale


def test_too_large_a_learning_rate_diverges_and_says_so(qtbot, make_page):
    page = make_page(page_apply_gradients)
    select(page.problem_combo, "bowl")
    page.rate_spin.setValue(10.0)
    snapshot = click_for_result(qtbot, page, page.many_button)
    _, _, loss = keras_steps(bowl, (-4.0, 1.5), tf.keras.optimizers.SGD(learning_rate=10.0), 10)
    assert not np.isfinite(loss)  # TensorFlow's own loop overflows too
    assert snapshot.diverged
    assert "diverged" in page.message.text() and "learning rate" in page.message.text()

    snapshot = click_for_result(qtbot, page, page.reset_button)
    assert snapshot.path == [(-4.0, 1.5)] and not snapshot.diverged


# ---------------------------------------------------------------- 8 custom


@pytest.fixture
def no_question(monkeypatch):
    """Fail the test if the page asks for permission."""
    def question(*_args, **_kwargs):
        raise AssertionError("the page asked for permission")
    monkeypatch.setattr(QMessageBox, "question", question)


def test_layer_template_checks_ok_with_its_output_shape(qtbot, make_page, no_question):
    page = make_page(page_custom)
    assert page.kind() == "layer" and page.editor.toPlainText() == LAYER_TEMPLATE
    page.shape_edit.setText("5")
    result = click_for_result(qtbot, page, page.run_button, CHECK_TIMEOUT)

    namespace: dict = {}
    exec(compile(LAYER_TEMPLATE, "<template>", "exec"), namespace)
    tf.keras.backend.clear_session()  # names as in the lab's fresh process: my_dense, not my_dense_4
    layer = namespace["MyDense"]()
    y = layer(tf.constant(make_inputs("layer", (5,))["x"], dtype=tf.float32))
    assert result.name == "MyDense"
    assert result.output_shape == tuple(y.shape)
    assert f"Output shape for a batch of 4: {tuple(y.shape)}" in page.summary_label.text()
    table = [(page.weights_table.item(r, 0).text(), page.weights_table.item(r, 1).text())
             for r in range(page.weights_table.rowCount())]
    assert table == [(w.path, str(tuple(w.shape))) for w in layer.weights]
    assert "The check passed." in page.message.text()
    assert page.code_box.code() == result.code


def test_syntax_error_points_at_its_line(qtbot, make_page, no_question):
    page = make_page(page_custom)
    page.editor.setPlainText("import tensorflow as tf\n\nclass Broken(tf.keras.layers.Layer:\n    pass\n")
    error = click_for_error(qtbot, page, page.run_button)
    assert error.reason == "syntax" and error.line == 3
    assert "line 3" in page.message.text()
    assert page.editor.marked_line() == 3
    assert page.editor.textCursor().blockNumber() == 2
    page.editor.insertPlainText(")")  # the next edit removes the mark
    assert page.editor.marked_line() is None


def fake_check(calls):
    def check(source, kind, input_shape, *, consent=False):
        calls.append((source, kind, input_shape, consent))
        return CustomResult(kind, "MyDense", (4, 4), None, [], (), "", "# the check", source)
    return check


def test_code_from_someone_elses_project_runs_only_after_yes(qtbot, make_page, monkeypatch):
    calls: list = []
    monkeypatch.setattr(page_custom, "check_custom_code", fake_check(calls))
    answers: list = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    page = make_page(page_custom)
    source = LAYER_TEMPLATE + "\nprint('hello')\n"
    page.load_project_code(source)
    assert page.editor.toPlainText() == source

    answers.append(QMessageBox.StandardButton.No)
    page.run_button.click()
    assert calls == [] and not answers
    assert "not run" in page.message.text()

    page.restore_template()
    page.editor.undo()  # Ctrl+Z brings the project's code back: it still needs a Yes
    answers.append(QMessageBox.StandardButton.No)
    page.run_button.click()
    assert calls == [] and not answers

    answers.append(QMessageBox.StandardButton.Yes)
    click_for_result(qtbot, page, page.run_button)
    assert calls == [(source, "layer", [3], True)]
    click_for_result(qtbot, page, page.run_button)  # agreed once: no second question
    assert len(calls) == 2


def test_own_project_code_and_typed_code_run_without_asking(qtbot, make_page, monkeypatch, no_question):
    calls: list = []
    monkeypatch.setattr(page_custom, "check_custom_code", fake_check(calls))
    page = make_page(page_custom)
    trust(LAYER_TEMPLATE)  # written (or approved) on this computer before
    page.load_project_code(LAYER_TEMPLATE)
    click_for_result(qtbot, page, page.run_button)
    assert calls[-1][3] is True


def test_project_code_picks_its_kind_and_each_kind_keeps_its_code(qtbot, make_page, monkeypatch):
    page = make_page(page_custom)
    page.editor.setPlainText("# my layer\n")
    page.load_project_code(METRIC_TEMPLATE)
    assert page.kind() == "metric" and page.editor.toPlainText() == METRIC_TEMPLATE
    select(page.kind_combo, "layer")
    assert page.editor.toPlainText() == "# my layer\n"
    page.restore_template()
    assert page.editor.toPlainText() == LAYER_TEMPLATE
    page.editor.undo()
    assert page.editor.toPlainText() == "# my layer\n"


# ---------------------------------------------------------------- 9 crop


def test_crop_button_opens_the_image_tool(make_page):
    opened: list = []
    page = make_page(page_crop, LabContext(open_image_tool=lambda: opened.append(True)))
    page.open_button.click()
    assert opened == [True]
    assert not make_page(page_crop).open_button.isEnabled()  # no image tool: no dead button


def test_crop_code_follows_the_box_and_runs(make_page):
    page = make_page(page_crop)
    spins = page.box_editor.spins
    spins["offset_height"].setValue(5)
    spins["target_width"].setValue(30)
    box = BoundingBox(5, 20, 50, 30)
    assert call_code(box) in page.code_box.code()
    namespace: dict = {}
    exec(compile(page.code_box.code(), "<shown code>", "exec"), namespace)
    expected = tf.image.crop_to_bounding_box(tf.zeros((100, 120, 3)), 5, 20, 50, 30)
    assert namespace["part"].shape == expected.shape == namespace["same"].shape
    assert page.diagram.box == box and page.diagram.valid

    spins["offset_width"].setValue(100)  # 100 + 30 > 120 columns
    with pytest.raises(TflabError) as refused:
        BoundingBox(5, 100, 50, 30).validate(100, 120)
    assert page.message.text() == refused.value.full()
    assert not page.diagram.valid


# ---------------------------------------------------------------- 10 stack_unstack


def set_shapes(page, *texts: str) -> None:
    while len(page.rows) < len(texts):
        page.add_button.click()
    while len(page.rows) > len(texts):
        page.rows[-1].remove_button.click()
    for row, text in zip(page.rows, texts):
        row.edit.setText(text)


def test_stack_shapes_match_tf_stack(qtbot, make_page):
    page = make_page(page_stack_unstack)
    set_shapes(page, "2, 3", "2, 3", "2,3")
    page.axis_spin.setValue(1)
    result = click_for_result(qtbot, page, page.run_button)

    tensors = [tf.reshape(tf.range(i * 100, i * 100 + 6), (2, 3)) for i in range(3)]
    stacked = tf.stack(tensors, axis=1)
    assert result.stacked_shape == tuple(stacked.shape) == (2, 3, 3)
    assert result.unstacked_shapes == [tuple(t.shape) for t in tf.unstack(stacked, axis=1)]
    assert np.array_equal(page.result_block.grid.values, stacked.numpy())
    assert page.stacked_label.text() == "(2, <b><u>3</u></b>, 3)"  # the new axis stands out
    assert "3 tensor(s) of shape (2, 3)" in page.unstacked_label.text()
    assert [block.grid.values.shape for block in page.input_blocks] == [(2, 3)] * 3
    assert "axis=1" in page.code_box.code()

    set_shapes(page, "()", "()")  # scalars stack into a vector
    page.axis_spin.setValue(0)
    result = click_for_result(qtbot, page, page.run_button)
    assert result.stacked_shape == tuple(tf.stack([tf.constant(0), tf.constant(100)]).shape) == (2,)


def test_stack_errors_show_tensorflows_message(qtbot, make_page):
    page = make_page(page_stack_unstack)
    set_shapes(page, "2, 3", "2, 4")
    with pytest.raises(tf.errors.InvalidArgumentError) as tf_error:
        tf.stack([tf.zeros((2, 3)), tf.zeros((2, 4))])
    click_for_error(qtbot, page, page.run_button)
    assert "Shapes of all inputs must match" in str(tf_error.value)
    assert "Shapes of all inputs must match" in page.message.text()
    assert page.stacked_label.text() == "—"

    set_shapes(page, "3", "3")
    page.axis_spin.setValue(3)
    error = click_for_error(qtbot, page, page.run_button)
    with pytest.raises(TflabError) as engine_error:
        stack_lab([(3,), (3,)], 3)
    assert page.message.text() == engine_error.value.full() == error.full()
    assert "between -2 and 1" in page.message.text()

    set_shapes(page, "2, x")
    error = click_for_error(qtbot, page, page.run_button)
    assert "whole numbers" in page.message.text() and page.message.text() == error.full()


def test_stack_rows_can_be_added_and_removed(make_page):
    page = make_page(page_stack_unstack)
    set_shapes(page, *["4"] * 8)
    assert not page.add_button.isEnabled()
    set_shapes(page, "4")
    assert not page.rows[0].remove_button.isEnabled()
    assert page.shapes() == [[4]]


# ---------------------------------------------------------------- 11 name_scope


def tree_paths(item) -> set:
    """The operation paths under a tree item (the items that have a type)."""
    found = {item.data(0, Qt.ItemDataRole.UserRole)} if item.text(1) else set()
    for i in range(item.childCount()):
        found |= tree_paths(item.child(i))
    return found


def test_name_scope_lists_the_traced_operations(qtbot, make_page):
    page = make_page(page_name_scope)
    result = click_for_result(qtbot, page, page.run_button)
    expected = name_scope_lab()
    table = [(page.ops_table.item(r, 0).text(), page.ops_table.item(r, 1).text())
             for r in range(page.ops_table.rowCount())]
    assert table == list(zip(expected.op_names, expected.op_types)) == list(zip(result.op_names, result.op_types))
    assert "model/hidden/relu" in expected.op_names
    paths = set()
    for i in range(page.tree.topLevelItemCount()):
        paths |= tree_paths(page.tree.topLevelItem(i))
    assert paths == set(expected.op_names)
    model = next(page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())
                 if page.tree.topLevelItem(i).text(0) == "model/")
    assert model.isExpanded()
    assert page.code_box.code() == expected.code


# ---------------------------------------------------------------- 12 summary_scalar


def test_summary_writes_a_run_and_shows_what_the_file_holds(qtbot, make_page, tmp_path):
    page = make_page(page_summary_scalar)
    page.logdir = tmp_path / "logs"
    page.steps_spin.setValue(6)
    page.seed_spin.setValue(3)
    assert not page.folder_button.isEnabled()  # nothing written yet
    result = click_for_result(qtbot, page, page.run_button)
    assert page.folder_button.isEnabled()

    assert result.run_dir == tmp_path / "logs" / "run_1"
    scalars = read_scalars(result.run_dir)
    assert set(scalars) == {"loss", "auc"} and len(scalars["loss"]) == 6
    table = sorted((page.values_table.item(r, 0).text(), int(page.values_table.item(r, 1).text()),
                    float(page.values_table.item(r, 2).text())) for r in range(page.values_table.rowCount()))
    expected = sorted((tag, step, value) for tag, values in scalars.items() for step, value in values)
    assert [(tag, step) for tag, step, _ in table] == [(tag, step) for tag, step, _ in expected]
    assert [value for *_, value in table] == pytest.approx([value for *_, value in expected], rel=1e-5)
    for tag in ("loss", "auc"):
        xs, ys = page.curves[tag].getData()
        assert list(xs) == [step for step, _ in scalars[tag]]
        assert list(ys) == pytest.approx([value for _, value in scalars[tag]])
    assert all(f"{path.name}  ({path.stat().st_size:,} B)" in page.files_label.text() for path in result.event_files)
    assert "step 5: auc" in page.records_view.toPlainText()
    assert "rng = np.random.default_rng(3)" in page.code_box.code()
    # the command that opens these runs in TensorBoard, whole on one line to copy
    assert page.command_line.isReadOnly()
    assert page.command_line.text() in (f"tensorboard --logdir {tmp_path / 'logs'}",
                                        f'tensorboard --logdir "{tmp_path / "logs"}"')
    assert "tensorboard" not in page.message.text()

    again = click_for_result(qtbot, page, page.run_button)
    assert again.run_dir.name == "run_2"


def test_summary_refuses_a_folder_it_cannot_write(qtbot, make_page, tmp_path):
    page = make_page(page_summary_scalar)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    page.logdir = blocker
    error = click_for_error(qtbot, page, page.run_button)
    assert "Cannot create a log folder" in page.message.text() and page.message.text() == error.full()


# ---------------------------------------------------------------- the code editor


def test_code_editor_tabs_are_four_spaces_and_lines_are_numbered(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    assert isinstance(editor.highlighter, PythonHighlighter)
    editor.setPlainText("x = 1")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "x = 1   "  # to the next multiple of four
    editor.setPlainText("a\nb\n")
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    a\n    b\n"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.toPlainText() == "a\nb\n"
    digits_2 = editor.line_number_width()
    editor.setPlainText("\n" * 150)
    assert editor.line_number_width() > digits_2


def test_the_loss_per_step_axis_counts_whole_steps_from_zero(qtbot, make_page):
    page = make_page(page_apply_gradients)
    click_for_result(qtbot, page, page.step_button)
    axis = page.loss_curve.getAxis("bottom")
    assert not axis.autoSIPrefix  # never "step (x0.001)"
    low, high = page.loss_curve.getViewBox().viewRange()[0]
    assert -0.2 <= low <= 0 and 1 <= high <= 1.2  # not -400..400 around step 0
    click_for_result(qtbot, page, page.many_button)
    low, high = page.loss_curve.getViewBox().viewRange()[0]
    assert -1 <= low <= 0 and 11 <= high <= 12
