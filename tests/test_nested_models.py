"""A model used as a layer of another: one node of the graph, shared by its calls.

Checked here: the project file holds it as data and refuses what a project may not hold
at any depth; its shapes are worked out without Keras as Keras gives them; every code
style writes it as a model of its own and rebuilds the same outputs with the same
weights; ungrouping puts its layers in its place and computes the same.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tflab.codegen import generate
from tflab.graph import MODEL_CLASS, GraphError, ModelGraph, TensorRef, inner_graph
from tflab.messages import TflabError
from tflab.shape_rules import quick_report

ROOT = Path(__file__).resolve().parent.parent


def tower(name: str = "tower", units: int = 4, size: int = 8) -> ModelGraph:
    return ModelGraph.sequential((size,), [("Dense", {"units": 6, "activation": "relu"}), ("Dense", {"units": units})],
                                 name=name)


def siamese() -> ModelGraph:
    """Two inputs, one tower called on each (shared weights), their difference scored."""
    g = ModelGraph("siamese")
    left, right = g.add_input((8,), "left"), g.add_input((8,), "right")
    g.add_layer(MODEL_CLASS, {"graph": tower().to_json()}, "tower")
    a, b = g.add_call("tower", [left]), g.add_call("tower", [right])
    diff = g.add_layer_call("Subtract", {}, [a, b])
    g.set_outputs([g.add_layer_call("Dense", {"units": 1}, [diff])])
    return g


def two_outputs() -> ModelGraph:
    """A model with two inputs and two outputs, used inside a model that is used inside
    another (a model two deep)."""
    pair = ModelGraph("pair")
    a, b = pair.add_input((None, 3), "a"), pair.add_input((None, 3), "b")
    joined = pair.add_layer_call("Concatenate", {}, [a, b])
    pair.set_outputs([pair.add_layer_call("Dense", {"units": 5}, [joined]), pair.add_layer_call("ReLU", {}, [b])])
    middle = ModelGraph("middle")
    x, y = middle.add_input((None, 3), "x"), middle.add_input((None, 3), "y")
    middle.add_layer(MODEL_CLASS, {"graph": pair.to_json()}, "pair")
    called = middle.add_call("pair", [x, y])
    dense = middle.add_layer_call("Dense", {"units": 3}, [TensorRef(called, 0)])
    middle.set_outputs([middle.add_layer_call("Add", {}, [dense, TensorRef(called, 1)])])
    outer = ModelGraph("outer")
    p, q = outer.add_input((7, 3), "p"), outer.add_input((7, 3), "q")  # more precise than (None, 3)
    outer.add_layer(MODEL_CLASS, {"graph": middle.to_json()}, "middle")
    called = outer.add_call("middle", [p, q])
    pooled = outer.add_layer_call("GlobalAveragePooling1D", {}, [called])
    outer.set_outputs([outer.add_layer_call("Dense", {"units": 2}, [pooled])])
    return outer


def stem_stack() -> ModelGraph:
    """ConvNeXt's way: a Sequential stem inside a stack."""
    stem = ModelGraph.sequential((16, 16, 3), [("Conv2D", {"filters": 4, "kernel_size": 4, "strides": 4}),
                                               ("LayerNormalization", {"epsilon": 1e-6})], name="stem")
    g = ModelGraph.sequential((16, 16, 3), [("Flatten", {})], name="classifier")
    g.stack_insert(0, MODEL_CLASS, {"graph": stem.to_json()}, name="stem")
    g.stack_insert(2, "Dense", {"units": 3, "activation": "softmax"})
    return g


MODELS = {"siamese": siamese, "two outputs, two deep": two_outputs, "stem in a stack": stem_stack}


def _data(graph: ModelGraph) -> list:
    rng = np.random.default_rng(0)
    return [rng.random((2, *(d or 5 for d in node.shape))).astype("float32") for node in graph.inputs]


def _outputs(model, data):
    out = model(data if len(data) > 1 else data[0])
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


# ---------------------------------------------------------------------------- the file
@pytest.mark.parametrize("name", list(MODELS))
def test_a_nested_model_is_kept_in_the_project_as_data(name):
    graph = MODELS[name]()
    again = ModelGraph.from_json(json.loads(json.dumps(graph.to_json())))
    assert again == graph
    assert again.copy() == graph


def _nested_json(inner_layer: dict, depth: int = 1) -> dict:
    """A project graph whose inner model (``depth`` deep) holds ``inner_layer``."""
    inner = {"format": "tflab-graph", "version": 1, "name": "inner",
             "inputs": [{"id": "i", "name": "i", "shape": [4]}],
             "layers": [inner_layer], "calls": [{"id": "c", "layer": inner_layer["name"], "inputs": ["i"]}],
             "outputs": ["c"]}
    for level in range(depth):
        inner = {"format": "tflab-graph", "version": 1, "name": f"level{level}",
                 "inputs": [{"id": "x", "name": "x", "shape": [4]}],
                 "layers": [{"name": "m", "class_name": "Model", "config": {"graph": inner}}],
                 "calls": [{"id": "n", "layer": "m", "inputs": ["x"]}], "outputs": ["n"]}
    return inner


@pytest.mark.parametrize("layer", [
    {"name": "load", "class_name": "TFSMLayer", "config": {"filepath": "/tmp/x", "call_endpoint": "serve"}},
    {"name": "run", "class_name": "Lambda", "config": {"function": "print"}},
    {"name": "d", "class_name": "Dense", "config": {"units": 2, "kernel_initializer": {
        "module": "builtins", "class_name": "eval", "config": {}}}},
    {"name": "lookup", "class_name": "StringLookup", "config": {"vocabulary": "/etc/passwd"}},
])
@pytest.mark.parametrize("depth", [1, 3])
def test_what_a_project_may_not_hold_is_refused_inside_a_model_at_any_depth(layer, depth):
    with pytest.raises(GraphError) as caught:
        ModelGraph.from_json(_nested_json(layer, depth))
    assert "inner model" in caught.value.en and caught.value.zh


def test_models_nested_too_deep_or_with_code_of_their_own_are_refused_with_a_reason():
    dense = {"name": "d", "class_name": "Dense", "config": {"units": 2}}
    assert ModelGraph.from_json(_nested_json(dense, 7)) is not None
    with pytest.raises(GraphError) as caught:
        ModelGraph.from_json(_nested_json(dense, 9))
    assert "at most 8" in caught.value.en
    coded = _nested_json(dense)
    coded["layers"][0]["config"]["graph"]["custom_code"] = "import os\n"
    with pytest.raises(GraphError) as caught:
        ModelGraph.from_json(coded)
    assert "custom layer code" in caught.value.en
    extra = _nested_json(dense)
    extra["layers"][0]["config"]["weights"] = "/tmp/w.h5"
    with pytest.raises(GraphError):
        ModelGraph.from_json(extra)


def test_a_model_cannot_be_wrapped_inside_a_layer():
    wrapped = {"name": "td", "class_name": "TimeDistributed", "config": {"layer": {
        "class_name": "Model", "module": "layers", "config": {"graph": tower().to_json()}}}}
    g = ModelGraph("m")
    g.add_input((3, 8), "x")
    with pytest.raises(TflabError):  # the project's file
        ModelGraph.from_json({**g.to_json(), "layers": [wrapped], "calls": [{"id": "c", "layer": "td", "inputs": ["n1"]}]})
    from tflab.catalog import validate_config

    with pytest.raises(TflabError) as caught:  # the editor's check of a value typed in
        validate_config("TimeDistributed", wrapped["config"])
    assert "cannot be wrapped" in caught.value.en and caught.value.zh


# ---------------------------------------------------------------------------- shapes
@pytest.mark.parametrize("name", list(MODELS))
def test_shapes_without_keras_equal_keras_own(name):
    from tflab.shapes import infer_shapes

    graph = MODELS[name]()
    quick, keras_report = quick_report(graph), infer_shapes(graph)
    assert quick is not None and keras_report.ok
    assert {c: (r.output_shapes, r.params, r.trainable_params) for c, r in quick.calls.items()} == {
        c: (r.output_shapes, r.params, r.trainable_params) for c, r in keras_report.calls.items()}


def test_a_model_called_on_shapes_its_inputs_refuse_gets_keras_words():
    from tflab.shapes import infer_shapes

    graph = siamese()
    graph.set_input(graph.inputs[1].id, shape=[5])
    assert quick_report(graph) is None  # the rules leave it to Keras
    report = infer_shapes(graph)
    second = graph.calls_of_layer("tower")[1]
    assert report.calls[second].error is not None and "tower" in report.calls[second].error.en
    assert report.calls[graph.calls_of_layer("tower")[0]].ok


def test_the_summary_of_a_nested_model_imports_neither_tensorflow_nor_keras(tmp_path):
    from tflab.project import Project, save_project

    path = tmp_path / "nested.tflab"
    save_project(Project(two_outputs()), path)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from tflab import cli
        code = cli.main(["summary", {str(path)!r}])
        assert code == 0, code
        assert "tensorflow" not in sys.modules and "keras" not in sys.modules
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr
    assert "middle" in result.stdout and "Model" in result.stdout


# ---------------------------------------------------------------------------- code
def _styles(graph: ModelGraph) -> list[str]:
    return ["sequential", "functional", "subclass"] if graph.is_stack() else ["functional", "subclass"]


@pytest.mark.parametrize("name", list(MODELS))
def test_every_style_writes_the_model_inside_and_rebuilds_the_same_outputs(name):
    from tflab.keras_build import build_model

    graph = MODELS[name]()
    reference = build_model(graph)
    data = _data(graph)
    expected = _outputs(reference, data)
    for style in _styles(graph):
        code = generate(graph, style)
        for layer in graph.layers.values():
            if layer.class_name == MODEL_CLASS:
                assert f"def build_{layer.name}():" in code
        namespace: dict = {}
        exec(compile(code, f"{name}_{style}.py", "exec"), namespace)
        model = namespace["build_model"]()
        model.set_weights(reference.get_weights())
        for got, want in zip(_outputs(model, data), expected):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_a_layer_named_like_a_models_function_does_not_hide_it():
    graph = siamese()
    graph.rename_layer(graph.layer_of(graph.effective_outputs()[0].node).name, "build_tower")
    code = generate(graph, "functional")
    namespace: dict = {}
    exec(compile(code, "clash.py", "exec"), namespace)
    assert namespace["build_model"]().count_params() == 6 * 8 + 6 + 4 * 6 + 4 + 5


# ---------------------------------------------------------------------------- ungroup
@pytest.mark.parametrize("name", list(MODELS))
def test_ungrouping_puts_the_layers_in_place_and_computes_the_same(name):
    from tflab.keras_build import build_model

    graph = MODELS[name]()
    model_name = next(n for n, layer in graph.layers.items() if layer.class_name == MODEL_CLASS)
    inner = inner_graph(graph.layers[model_name])
    calls = len(graph.calls_of_layer(model_name))
    flat = graph.copy()
    made = flat.ungroup(model_name)
    assert model_name not in flat.layers
    assert len(made) == calls * len(inner.calls)
    assert ModelGraph.from_json(flat.to_json()) == flat
    data = _data(graph)
    before, after = build_model(graph), build_model(flat)
    assert after.count_params() == before.count_params()  # layers called twice stay shared
    after.set_weights(before.get_weights())
    for got, want in zip(_outputs(after, data), _outputs(before, data)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_a_model_not_fully_wired_is_not_ungrouped():
    graph = two_outputs()
    call = graph.calls_of_layer("middle")[0]
    graph.disconnect(call, 1)
    before = graph.to_json()
    with pytest.raises(GraphError) as caught:
        graph.ungroup("middle")
    assert "takes 2 inputs" in caught.value.en
    assert graph.to_json() == before
