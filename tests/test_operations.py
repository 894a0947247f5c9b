"""Tensor operations as nodes of the graph: checked, shaped, built and written as keras.ops calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tflab import catalog
from tflab.codegen import CodegenError, generate
from tflab.graph import ModelGraph, TensorRef
from tflab.messages import TflabError
from tflab.project import Project, load_project, save_project
from tflab.shapes import infer_shapes

ROOT = Path(__file__).resolve().parent.parent
BINARY = {"ops.add": np.add, "ops.subtract": np.subtract, "ops.multiply": np.multiply,
          "ops.divide": np.divide, "ops.power": np.power, "ops.maximum": np.maximum, "ops.minimum": np.minimum}
UNARY = {"ops.negative": np.negative, "ops.abs": np.abs, "ops.square": np.square, "ops.sqrt": np.sqrt,
         "ops.exp": np.exp, "ops.log": np.log}


def with_operation(class_name: str, config: dict, wired: int = 1, shapes=((4,), (4,))) -> ModelGraph:
    """Inputs ``a`` (and ``b``) into one operation node, the model's output."""
    graph = ModelGraph("ops")
    refs = [graph.add_input(shape, name) for shape, name in zip(shapes[:wired], "ab")]
    node = graph.add_layer_call(class_name, config, refs)
    graph.outputs = [TensorRef(node)]
    return graph


def run_styles(graph: ModelGraph) -> list:
    """The model as the graph builds it, then as each style's code builds it."""
    from tflab.keras_build import build_model

    models = [build_model(graph)]
    for style in ("functional", "subclass"):
        namespace: dict = {}
        exec(compile(generate(graph, style), f"ops_{style}.py", "exec"), namespace)
        models.append(namespace["build_model"]())
    return models


def test_operations_are_in_the_catalog_without_keras():
    code = ("import sys\nfrom tflab import catalog\n"
            "names = [e.class_name for e in catalog.operation_entries()]\n"
            "assert all(catalog.entry_if_ready(n) is not None and catalog.is_known_layer(n) for n in names)\n"
            "print(names, sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"{list(BINARY) + list(UNARY)} []"
    entry = catalog.get_entry("ops.divide")
    assert entry.category == "operations" and catalog.category_label("operations", "zh") == "张量运算"
    assert [spec.name for spec in entry.params] == ["x1", "x2"] and entry.max_inputs == 2


def test_an_operations_numbers_are_checked():
    assert catalog.validate_config("ops.add", {"x2": 3}) == {"x2": 3.0}
    with pytest.raises(TflabError, match="x2"):
        catalog.validate_config("ops.add", {"x2": "three"})
    with pytest.raises(TflabError, match="x3"):
        catalog.validate_config("ops.add", {"x3": 1.0})
    wrapped = {"class_name": "ops.add", "module": "layers", "config": {}}
    with pytest.raises(TflabError, match="tensor operation"):  # not a layer another layer can wrap
        catalog.validate_config("TimeDistributed", {"layer": wrapped})
    data = with_operation("Dense", {"units": 2}).to_json()
    data["layers"][0] = {"name": "dense", "class_name": "TimeDistributed", "config": {"layer": wrapped}}
    with pytest.raises(TflabError, match="tensor operation"):  # nor in a project file
        ModelGraph.from_json(data)


@pytest.mark.parametrize("class_name", list(BINARY))
def test_each_operation_on_two_tensors_and_with_a_number_on_either_side(class_name):
    """The graph's model and the code of every style compute what NumPy computes, for
    a + b, a + 2.5 and 2.5 + a (with each operation's own sign)."""
    a = np.random.default_rng(0).random((3, 4)).astype("float32") + 0.5
    b = np.random.default_rng(1).random((3, 4)).astype("float32") + 0.5
    numpy = BINARY[class_name]
    start = catalog.get_entry(class_name).fresh_config()["x2"]  # a new node works on one tensor
    cases = [(with_operation(class_name, {}, wired=2), [a, b], numpy(a, b)),
             (with_operation(class_name, catalog.get_entry(class_name).fresh_config()), [a],
              numpy(a, np.float32(start))),
             (with_operation(class_name, {"x2": 2.5}), [a], numpy(a, np.float32(2.5))),
             (with_operation(class_name, {"x1": 2.5}), [a], numpy(np.float32(2.5), a))]
    for graph, data, expected in cases:
        report = infer_shapes(graph)
        call = next(iter(graph.calls))
        assert report.calls[call].output_shapes == [(None, 4)] and report.calls[call].params == 0
        function = class_name.partition(".")[2]
        assert f"tf.keras.ops.{function}(" in generate(graph, "functional")
        for model in run_styles(graph):
            assert model.count_params() == 0
            np.testing.assert_allclose(np.asarray(model(data if len(data) > 1 else data[0])), expected, rtol=1e-6)


@pytest.mark.parametrize("class_name", list(UNARY))
def test_each_operation_of_one_tensor(class_name):
    """-x, |x|, x * x, the square root, e ** x and the logarithm: no numbers to set, one
    input port, the same values as NumPy's in every style."""
    a = np.random.default_rng(0).random((3, 4)).astype("float32") - 0.5
    if class_name in ("ops.sqrt", "ops.log"):
        a = np.abs(a) + 0.1
    graph = with_operation(class_name, {})
    entry = catalog.get_entry(class_name)
    assert entry.params == () and (entry.min_inputs, entry.max_inputs) == (1, 1)
    assert f"tf.keras.ops.{class_name.partition('.')[2]}(a)" in generate(graph, "functional")
    for model in run_styles(graph):
        np.testing.assert_allclose(np.asarray(model(a)), UNARY[class_name](a), rtol=1e-5)
    with pytest.raises(TflabError, match="x2"):  # a number has no place in an operation of one tensor
        catalog.validate_config(class_name, {"x2": 1.0})
    two = with_operation(class_name, {}, wired=2)
    error = next(iter(infer_shapes(two).calls.values())).error
    assert "takes one tensor" in error.en and "Remove a wire" in error.hint_en


def test_two_tensors_broadcast_as_in_numpy_and_a_clash_is_explained():
    graph = with_operation("ops.multiply", {}, wired=2, shapes=((4, 1), (1, 5)))
    report = infer_shapes(graph)
    assert report.calls[next(iter(graph.calls))].output_shapes == [(None, 4, 5)]
    clash = infer_shapes(with_operation("ops.add", {}, wired=2, shapes=((3,), (4,))))
    error = next(iter(clash.calls.values())).error
    assert error is not None and "ops.add" in error.en and "ops.add" in error.zh


def test_an_operation_without_its_two_values_says_what_to_do():
    too_few = next(iter(infer_shapes(with_operation("ops.subtract", {})).calls.values())).error
    assert "takes two values" in too_few.en and "x2" in too_few.hint_en and "x2" in too_few.hint_zh
    too_many = next(iter(infer_shapes(with_operation("ops.add", {"x1": 1.0}, wired=2)).calls.values())).error
    assert "Clear the number" in too_many.hint_en
    with pytest.raises(CodegenError, match="takes two values"):
        generate(with_operation("ops.add", {}), "functional")


def test_sequential_code_cannot_hold_an_operation_and_says_so():
    graph = ModelGraph.sequential((4,), [("Dense", {"units": 3})])
    last = list(graph.calls)[-1]
    node = graph.add_layer_call("ops.multiply", {"x2": 0.5}, [TensorRef(last)])
    graph.outputs = [TensorRef(node)]
    assert not graph.is_stack()
    with pytest.raises(CodegenError) as caught:
        generate(graph, "sequential")
    assert "keras.ops.multiply" in caught.value.en and "keras.ops.multiply" in caught.value.zh
    assert "Functional" in caught.value.en


def test_a_project_keeps_its_operations(tmp_path):
    graph = with_operation("ops.divide", {"x1": 1.0})
    save_project(Project(graph), tmp_path / "ops.tflab")
    again = load_project(tmp_path / "ops.tflab").graph
    layer = next(iter(again.layers.values()))
    assert (layer.name, layer.class_name, layer.config) == ("divide", "ops.divide", {"x1": 1.0})
    assert generate(again, "functional") == generate(graph, "functional")


def test_the_allow_list_names_the_catalogs_operations():
    from tflab import allowlist

    assert allowlist.OPERATION_LAYERS == {entry.class_name for entry in catalog.operation_entries()}
