"""Shape inference: Keras's own answers, incremental, with hints a student can act on."""

import pytest

from tflab.graph import ModelGraph
from tflab.keras_build import build_model
from tflab.shapes import ShapeInference, format_shape, summary_text


@pytest.fixture()
def infer():
    return ShapeInference().infer


def _by_layer(graph, report):
    return {graph.calls[cid].layer: res for cid, res in report.calls.items()}


def test_seed_example_has_78500_parameters_as_keras_counts_them(infer):
    g = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"})])
    report = infer(g)
    model = build_model(g)
    assert report.ok
    assert report.total_params == model.count_params() == 78_500
    by = _by_layer(g, report)
    assert by["flatten"].output_shape == tuple(model.get_layer("flatten").output.shape)
    assert by["dense"].output_shape == (None, 100)
    text = summary_text(g, report)
    assert "78,500" in text and "(None, 784)" in text


def test_every_call_matches_a_real_keras_model(infer):
    g = ModelGraph("cnn")
    x = g.add_input((28, 28, 1), "image")
    h = g.add_layer_call("Conv2D", {"filters": 8, "kernel_size": [3, 3], "activation": "relu"}, [x])
    h = g.add_layer_call("BatchNormalization", {}, [h])
    h = g.add_layer_call("MaxPooling2D", {}, [h])
    h = g.add_layer_call("Flatten", {}, [h])
    h = g.add_layer_call("Dense", {"units": 10, "activation": "softmax"}, [h])
    g.set_outputs([h])
    report = infer(g)
    model = build_model(g)
    assert report.ok
    for res in report.calls.values():
        layer = model.get_layer(res.layer)
        assert res.output_shape == tuple(layer.output.shape)
        assert res.params == layer.count_params()
    assert report.total_params == model.count_params()
    bn = _by_layer(g, report)["batch_normalization"]
    assert report.non_trainable_params == bn.params - bn.trainable_params == 16


def test_shared_layer_parameters_are_counted_once(infer):
    g = ModelGraph()
    a = g.add_input((5,), "a")
    b = g.add_input((5,), "b")
    first = g.add_layer_call("Dense", {"units": 3}, [a])
    second = g.add_call("dense", [b])
    add = g.add_layer_call("Add", {}, [first, second])
    g.set_outputs([add])
    report = infer(g)
    assert report.ok
    assert report.calls[second].first_call is False
    assert report.total_params == build_model(g).count_params() == 18


def test_multi_output_call_reports_each_output(infer):
    g = ModelGraph()
    x = g.add_input((7, 4), "seq")
    lstm = g.add_layer_call("LSTM", {"units": 6, "return_state": True}, [x])
    d = g.add_layer_call("Dense", {"units": 2}, [f"{lstm}:1"])
    g.set_outputs([lstm, d])
    report = infer(g)
    assert report.ok, report.first_error()
    assert report.calls[lstm].output_shapes == [(None, 6), (None, 6), (None, 6)]
    assert report.calls[d].output_shape == (None, 2)


@pytest.mark.parametrize(
    "shape, layers, failing, hint_words",
    [
        ((28, 28), [("Conv2D", {"filters": 4, "kernel_size": 3})], "conv2d", "Reshape"),
        ((10,), [("LSTM", {"units": 4})], "lstm", "time axis"),
        ((28, 28), [("Flatten", {}), ("MaxPooling2D", {})], "max_pooling2d", "Reshape"),
        ((28, 28), [("Reshape", {"target_shape": [5, 5]})], "reshape", "number of values"),
        ((4, 4, 1), [("Conv2D", {"filters": 2, "kernel_size": 5})], "conv2d", "too small"),
    ],
)
def test_keras_errors_come_with_a_plain_hint(infer, shape, layers, failing, hint_words):
    g = ModelGraph.sequential(shape, layers)
    report = infer(g)
    assert not report.ok
    errors = {g.calls[cid].layer: err for cid, err in report.errors}
    assert list(errors) == [failing]
    assert hint_words in errors[failing].hint_en
    assert errors[failing].hint_zh and errors[failing].hint_zh != errors[failing].hint_en


def test_calls_after_an_error_are_blocked_not_reported_as_errors(infer):
    g = ModelGraph.sequential((28, 28), [("Conv2D", {"filters": 4, "kernel_size": 3}), ("Flatten", {})])
    report = infer(g)
    by = _by_layer(g, report)
    assert by["conv2d"].error is not None
    assert by["flatten"].blocked and by["flatten"].error is None


def test_merge_with_mismatched_shapes_explains(infer):
    g = ModelGraph()
    a = g.add_input((4,), "a")
    b = g.add_input((3,), "b")
    add = g.add_layer_call("Add", {}, [a, b])
    g.set_outputs([add])
    (cid, err), = infer(g).errors
    assert "same shape" in err.hint_en


def test_dense_on_an_image_warns_to_flatten(infer):
    g = ModelGraph.sequential((28, 28), [("Dense", {"units": 10})])
    report = infer(g)
    res = next(iter(report.calls.values()))
    assert report.ok and res.output_shape == (None, 28, 10)
    assert res.warning is not None and "Flatten" in res.warning.hint_en


def test_model_problems_missing_input_disconnected_and_unused(infer):
    g = ModelGraph()
    g.add_layer_call("Dense", {"units": 2}, [])
    report = infer(g)
    assert any("no Input" in p.en for p in report.problems)
    assert any("not connected" in err.en for _, err in report.errors)

    g = ModelGraph.sequential((4,), [("Dense", {"units": 2})])
    x = g.inputs[0].id
    g.add_layer_call("Dense", {"units": 3}, [x])  # a side branch not leading to the output
    report = infer(g)
    assert any("does not lead to any model output" in p.en for p in report.problems)


def test_an_edit_reruns_only_what_changed_and_gives_keras_answer():
    inference = ShapeInference()
    g = ModelGraph.sequential((16,), [("Dense", {"units": 8 + i}) for i in range(10)])
    inference.infer(g)
    misses = len(inference._cache)
    g.set_config("dense_4", {"units": 50})
    report = inference.infer(g)
    # the edited layer and the next one (its input changed) are new; the rest come from the cache
    assert len(inference._cache) == misses + 2
    assert report.total_params == build_model(g).count_params()


def test_shape_inference_allocates_no_weights(infer):
    from keras.src.backend.common import global_state

    g = ModelGraph.sequential((16,), [("Dense", {"units": 1000}), ("Dense", {"units": 1000})])
    report = infer(g)
    assert report.total_params == 16 * 1000 + 1000 + 1000 * 1000 + 1000
    pending = global_state.get_global_attribute("uninitialized_variables", None) or []
    assert pending == []


def test_format_shape_is_keras_style():
    assert format_shape((None, 28, 28)) == "(None, 28, 28)"
    assert format_shape((None,)) == "(None,)"


def test_keras_terminal_colour_codes_never_reach_a_message():
    """Keras wraps words in bold escape codes for terminals; a message box shows them raw."""
    from tflab.shapes import _clean_keras_message

    text = _clean_keras_message(ValueError("\x1b[1mCould not infer\x1b[0m the shape"))
    assert text == "Could not infer the shape"
