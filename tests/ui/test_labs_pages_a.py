"""Lab pages 1-6 driven through their widgets; every number is checked against
TensorFlow (or the engine) computed here in the test."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tflab.catalog import initializers
from tflab.codegen import generate
from tflab.labs.compile_fit_evaluate import default_training
from tflab.labs.flatten import flatten_lab
from tflab.labs.gradient_tape import parse_expression
from tflab.labs.sequential_vs_functional import example_graphs
from tflab.labs.tf_data import MAX_ELEMENTS
from tflab.messages import TflabError
from ui.labs import (
    page_compile_fit_evaluate,
    page_datasets,
    page_flatten,
    page_gradient_tape,
    page_initializers,
    page_sequential_vs_functional,
)
from ui.labs.common import LabContext

TIMEOUT = 60_000


def run_page(qtbot, page):
    """Click Run and return the result the page shows."""
    with qtbot.waitSignal(page.runner.sigResult, timeout=TIMEOUT) as blocker:
        page.run_button.click()
    return blocker.args[0]


def run_page_error(qtbot, page):
    """Click Run and return the error the page shows."""
    with qtbot.waitSignal(page.runner.sigError, timeout=TIMEOUT) as blocker:
        page.run_button.click()
    return blocker.args[0]


def type_into(qtbot, line_edit, text: str) -> None:
    """Replace a line edit's text the way a user does."""
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(line_edit, text)


def engine_error(function, *args, **kwargs) -> TflabError:
    with pytest.raises(TflabError) as caught:
        function(*args, **kwargs)
    return caught.value


# --------------------------------------------------------------------------- 1: graphs


def test_graphs_page_shows_each_example_in_each_style_it_can(make_page):
    page = make_page(page_sequential_vs_functional)
    stack, shared = example_graphs()
    first, second = page.columns
    assert first.code_boxes["sequential"].code() == generate(stack, "sequential")
    assert first.code_boxes["functional"].code() == generate(stack, "functional")
    assert second.code_boxes["functional"].code() == generate(shared, "functional")
    sequential_tab = page_sequential_vs_functional.STYLES.index("sequential")
    assert first.tabs.isTabEnabled(sequential_tab)
    assert not second.tabs.isTabEnabled(sequential_tab)
    assert second.tabs.currentWidget() is second.code_boxes["functional"]
    assert stack.not_a_stack_reason() is None
    reason_en, _reason_zh = shared.not_a_stack_reason()
    assert reason_en in second.verdict.text()
    assert second.tabs.tabToolTip(sequential_tab) == reason_en
    assert "can build it" in first.verdict.text()


def test_graphs_page_opens_each_example_in_the_editor(make_page):
    opened = []
    page = make_page(page_sequential_vs_functional, LabContext(open_graph=opened.append))
    for column in page.columns:
        column.open_button.click()
    assert [graph.to_json() for graph in opened] == [graph.to_json() for graph in example_graphs()]
    opened[0].stack_insert(0, "Dense", {"units": 3})  # the editor's copy is its own
    assert page.columns[0].graph().to_json() == example_graphs()[0].to_json()


def test_graphs_page_explains_in_chinese(make_page):
    from tflab import messages

    messages.set_language("zh")
    page = make_page(page_sequential_vs_functional)
    assert example_graphs()[1].not_a_stack_reason()[1] in page.columns[1].verdict.text()


def test_graphs_page_without_an_editor_disables_its_buttons(make_page):
    page = make_page(page_sequential_vs_functional)
    assert not any(column.open_button.isEnabled() for column in page.columns)


# --------------------------------------------------------------------------- 2: training


def test_training_page_shows_the_default_settings_as_calls(make_page):
    page = make_page(page_compile_fit_evaluate)
    settings = default_training()
    assert page.settings() == settings
    code = page.code_box.code()
    assert code == generate(page_compile_fit_evaluate.course_model(), "sequential", script=True, training=settings)
    assert f"tf.keras.optimizers.Adam(learning_rate={settings['learning_rate']})" in code
    assert f'loss="{settings["loss"]}"' in code
    assert f"epochs={settings['epochs']}, batch_size={settings['batch_size']}" in code
    assert "model.evaluate(" in code
    assert page.code_box.editor.extraSelections()  # the three calls are highlighted


def test_training_page_opens_the_training_panel_with_the_defaults(make_page):
    opened = []
    page = make_page(page_compile_fit_evaluate, LabContext(open_training=opened.append))
    page.open_button.click()
    assert opened == [default_training()]


def test_training_page_rewrites_the_calls_and_resets(make_page):
    opened = []
    page = make_page(page_compile_fit_evaluate, LabContext(open_training=opened.append))
    page.optimizer_combo.setCurrentText("sgd")
    page.epochs_spin.setValue(3)
    page.batch_spin.setValue(8)
    assert "tf.keras.optimizers.SGD(learning_rate=0.001)" in page.code_box.code()
    assert "epochs=3, batch_size=8" in page.code_box.code()
    page.open_button.click()
    assert opened == [{**default_training(), "optimizer": "sgd", "epochs": 3, "batch_size": 8}]
    page.reset_button.click()
    assert page.settings() == default_training()
    assert "epochs=10, batch_size=32" in page.code_box.code()


# --------------------------------------------------------------------------- 3: flatten


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_flatten_page_gives_tensorflows_values(make_page, qtbot, data_format):
    import tensorflow as tf

    page = make_page(page_flatten)
    type_into(qtbot, page.shape_edit, "2, 3, 2")
    page.batch_spin.setValue(3)
    page.format_combo.setCurrentText(data_format)
    result = run_page(qtbot, page)

    x = tf.reshape(tf.range(3 * 2 * 3 * 2), (3, 2, 3, 2))
    y = tf.keras.layers.Flatten(data_format=data_format)(x).numpy()
    assert result.input_shape == (3, 2, 3, 2)
    assert result.output_shape == y.shape == (3, 12)
    assert result.values_out == y.tolist()
    assert page.after.toPlainText() == page_flatten.values_text(y.tolist())
    assert page.before.toPlainText() == page_flatten.values_text(x.numpy().tolist())
    assert "(3, 2, 3, 2)" in page.shapes_label.text() and "(3, 12)" in page.shapes_label.text()
    assert page.code_box.code() == result.code
    assert f'data_format="{data_format}"' in result.code or data_format == "channels_last"


@pytest.mark.parametrize("text, shape", [("3, 0", [3, 0]), ("3, x", "3, x"), ("", None)])
def test_flatten_page_refuses_a_bad_shape_with_the_engines_message(make_page, qtbot, text, shape):
    page = make_page(page_flatten)
    run_page(qtbot, page)
    type_into(qtbot, page.shape_edit, text)
    err = run_page_error(qtbot, page)
    assert page.message.text() == engine_error(flatten_lab, shape, 2).full() == err.full()
    assert not page.results.isEnabled()


# --------------------------------------------------------------------------- 4: initializers


def _pick_initializer(page, class_name: str) -> None:
    combo = page.init_editor.combo
    index = combo.findText(class_name)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_initializers_page_draws_keras_values_and_repeats_them_with_a_seed(make_page, qtbot):
    import tensorflow as tf

    page = make_page(page_initializers)
    _pick_initializer(page, "RandomNormal")
    for name, text in (("mean", "1.5"), ("stddev", "0.25"), ("seed", "7")):
        field = page.init_editor.argument_field(name)
        type_into(qtbot, field.editor.box.lineEdit(), text)
        assert field.error() == ""
    type_into(qtbot, page.shape_edit, "4, 5")
    page.bins_spin.setValue(10)
    result = run_page(qtbot, page)

    expected = tf.keras.initializers.RandomNormal(mean=1.5, stddev=0.25, seed=7)(shape=(4, 5)).numpy()
    np.testing.assert_allclose(result.values, expected)
    counts, edges = np.histogram(expected, bins=10)
    assert list(page.bars.opts["height"]) == counts.tolist()
    np.testing.assert_allclose(page.bars.opts["x0"], edges[:-1])
    np.testing.assert_allclose(page.image.image, expected)
    assert f"{expected.mean():.4g}" in page.stats_label.text()
    assert f"{expected.std():.4g}" in page.stats_label.text()
    assert "RandomNormal(mean=1.5, stddev=0.25, seed=7)" in page.code_box.code()

    again = run_page(qtbot, page)
    np.testing.assert_array_equal(again.values, result.values)


def test_initializers_page_notes_a_missing_seed(make_page, qtbot):
    page = make_page(page_initializers)
    _pick_initializer(page, "HeNormal")
    result = run_page(qtbot, page)
    assert result.notes and page.message.text() == result.notes[0].text("en")


def test_initializers_page_folds_a_tensor_into_a_matrix(make_page, qtbot):
    page = make_page(page_initializers)
    type_into(qtbot, page.shape_edit, "2, 3, 4")
    result = run_page(qtbot, page)
    assert page.image.image.shape == (6, 4)
    np.testing.assert_allclose(page.image.image, result.values.reshape(6, 4))


def test_initializers_page_explains_identity_on_a_shape_that_is_not_2d(make_page, qtbot):
    page = make_page(page_initializers)
    _pick_initializer(page, "Identity")
    type_into(qtbot, page.shape_edit, "2, 3, 4")
    err = run_page_error(qtbot, page)
    expected = engine_error(initializers.sample, "identity", (2, 3, 4))
    assert err.full() == expected.full() == page.message.text()
    assert "2-D" in page.message.text()


def test_initializers_page_constant_gives_one_value(make_page, qtbot):
    page = make_page(page_initializers)
    _pick_initializer(page, "Constant")
    type_into(qtbot, page.init_editor.argument_field("value").editor.box.lineEdit(), "0.5")
    result = run_page(qtbot, page)
    assert np.all(result.values == 0.5)
    assert sum(page.bars.opts["height"]) == result.values.size


# --------------------------------------------------------------------------- 5: datasets


def test_datasets_page_gives_tensorflows_elements(make_page, qtbot):
    import tensorflow as tf

    page = make_page(page_datasets)
    result = run_page(qtbot, page)
    ds = tf.data.Dataset.from_tensor_slices((np.arange(12, dtype="int32").reshape(6, 2),
                                             np.arange(6, dtype="int32"))).batch(4)
    assert result.values == [tf.nest.map_structure(lambda t: t.numpy().tolist(), e) for e in ds]
    assert result.cardinality == int(ds.cardinality()) == 2
    assert page.spec_label.text() == str(ds.element_spec)
    assert page.cardinality_label.text() == "2 element(s)"
    assert page.elements.toPlainText().splitlines()[0] == f"0: {result.elements[0]}"
    assert page.code_box.code() == result.code


def test_datasets_page_adds_and_removes_operations(make_page, qtbot):
    import tensorflow as tf

    page = make_page(page_datasets)
    page.kind_combo.setCurrentIndex(page_datasets.KINDS.index("dict"))
    type_into(qtbot, page.array_rows[0].name_edit, "pixels")
    type_into(qtbot, page.array_rows[1].name_edit, "label")
    next(a for a in page.add_menu.actions() if a.text() == "map").trigger()
    next(a for a in page.add_menu.actions() if a.text() == "repeat").trigger()
    page.op_rows[0].remove_button.click()  # the batch
    assert [row.operation() for row in page.op_rows] == [("map", "square"), ("repeat", 2)]
    page.op_rows[1].count_spin.setValue(0)  # forever
    result = run_page(qtbot, page)

    data = {"pixels": np.arange(12, dtype="int32").reshape(6, 2), "label": np.arange(6, dtype="int32")}
    ds = tf.data.Dataset.from_tensor_slices(data).map(lambda f: {k: v * v for k, v in f.items()}).repeat()
    expected = [tf.nest.map_structure(lambda t: t.numpy().tolist(), e) for e in ds.take(MAX_ELEMENTS)]
    assert result.values == expected
    assert result.cardinality == int(ds.cardinality()) == -1
    assert "infinite" in page.cardinality_label.text()
    assert "repeat() without a count never ends" in page.message.text()


def test_datasets_page_refuses_a_repeated_key(make_page, qtbot):
    page = make_page(page_datasets)
    page.kind_combo.setCurrentIndex(page_datasets.KINDS.index("dict"))
    type_into(qtbot, page.array_rows[1].name_edit, "features")
    page.run_button.click()
    assert "'features'" in page.message.text()


def test_datasets_page_explains_mismatched_first_dimensions(make_page, qtbot):
    import tensorflow as tf

    page = make_page(page_datasets)
    type_into(qtbot, page.array_rows[1].shape_edit, "5")
    err = run_page_error(qtbot, page)
    assert "6, 5" in page.message.text()
    assert page.code_box.code() == err.code
    namespace: dict = {}
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
        exec(compile(err.code, "<lab code>", "exec"), namespace)  # the code shows TensorFlow's own error


# --------------------------------------------------------------------------- 6: gradient tape


def _tf_gradients(formula, variables: dict, constants: dict, watch=(), second=None):
    import tensorflow as tf

    names = {**{n: tf.Variable(v) for n, v in variables.items()}, **{n: tf.constant(v) for n, v in constants.items()}}
    with tf.GradientTape(persistent=True) as tape:
        for name in watch:
            tape.watch(names[name])
        y = formula(**names)
        z = None if second is None else second(y, **names)
    grads = tape.gradient(y, list(names.values()))
    z_grads = None if z is None else tape.gradient(z, list(names.values()))
    return y, dict(zip(names, grads)), z, None if z is None else dict(zip(names, z_grads))


def test_gradient_tape_page_gives_tensorflows_gradients(make_page, qtbot):
    page = make_page(page_gradient_tape)
    result = run_page(qtbot, page)
    y, grads, _z, _ = _tf_gradients(lambda x, w, c: w * x ** 2 + c, {"x": 3.0, "w": 2.0}, {"c": 4.0})
    assert result.value == pytest.approx(float(y))
    assert grads["c"] is None
    shown = page.gradient_texts()
    assert shown["x"] == [page_gradient_tape.number_text(float(grads["x"]))]
    assert shown["w"] == [page_gradient_tape.number_text(float(grads["w"]))]
    assert shown["c"] == ["None"]
    assert "tape.watch(c)" in page.message.text()
    assert page.value_label.text() == f"y = {page_gradient_tape.number_text(float(y))}"
    assert page.code_box.code() == result.code

    page.constants.item(0, 2).setCheckState(Qt.CheckState.Checked)
    result = run_page(qtbot, page)
    _y, grads, _z, _ = _tf_gradients(lambda x, w, c: w * x ** 2 + c, {"x": 3.0, "w": 2.0}, {"c": 4.0},
                                     watch=["c"])
    assert result.gradients["c"] == pytest.approx(float(grads["c"]))
    assert page.gradient_texts()["c"] == [page_gradient_tape.number_text(float(grads["c"]))]
    assert "tape.watch(c)" in page.code_box.code()


def test_gradient_tape_page_second_target_on_a_persistent_tape(make_page, qtbot):
    page = make_page(page_gradient_tape)
    type_into(qtbot, page.formula_edit, "y = sin(x) * w")
    page.variables.add_row("v", "[1.0, 2.0]")
    page.second_check.setChecked(True)
    type_into(qtbot, page.second_edit, "y * reduce_sum(v)")
    page.persistent_check.setChecked(True)
    result = run_page(qtbot, page)

    import tensorflow as tf

    _y, grads, z, z_grads = _tf_gradients(
        lambda x, w, v, c: tf.sin(x) * w, {"x": 3.0, "w": 2.0, "v": [1.0, 2.0]}, {"c": 4.0},
        second=lambda y, x, w, v, c: y * tf.reduce_sum(v))
    assert result.second_value == pytest.approx(float(z))
    for name in ("x", "w"):
        assert result.gradients[name] == pytest.approx(float(grads[name]))
        assert result.second_gradients[name] == pytest.approx(float(z_grads[name]))
    assert result.second_gradients["v"] == pytest.approx(z_grads["v"].numpy().tolist())
    assert page.gradients.columnCount() == 3
    assert page.gradient_texts()["v"] == ["None", page_gradient_tape.number_text(z_grads["v"].numpy().tolist())]
    assert f"z = {page_gradient_tape.number_text(float(z))}" in page.value_label.text()


def test_gradient_tape_page_explains_a_second_call_on_a_tape_that_is_not_persistent(make_page, qtbot):
    page = make_page(page_gradient_tape)
    page.second_check.setChecked(True)
    err = run_page_error(qtbot, page)
    assert "persistent" in page.message.text()
    assert page.code_box.code() == err.code
    assert "z = y * x" in err.code


@pytest.mark.parametrize("formula", ["__import__('os').system('ls')", "x.numpy()", "x +", "open(x)"])
def test_gradient_tape_page_refuses_unsafe_or_invalid_formulas(make_page, qtbot, formula):
    page = make_page(page_gradient_tape)
    type_into(qtbot, page.formula_edit, formula)
    err = run_page_error(qtbot, page)
    expected = engine_error(parse_expression, formula, {"x", "w", "c"})
    assert err.full() == expected.full() == page.message.text()


def test_gradient_tape_page_refuses_bad_declarations(make_page, qtbot):
    page = make_page(page_gradient_tape)
    page.variables.item(1, 0).setText("x")
    page.run_button.click()
    assert "'x' is declared twice" in page.message.text()
    page.variables.item(1, 0).setText("w")
    page.variables.item(1, 1).setText("two")
    err = run_page_error(qtbot, page)
    assert "The value of 'w' must be a number" in err.full() == page.message.text()
