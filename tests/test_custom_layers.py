"""A project's own layer classes: read without running, run only when allowed, and
used like Keras layers by the graph, the catalog, shape inference and the code view.

Numbers (shapes, parameter counts) are compared with Keras itself: with the model
:func:`tflab.keras_build.build_model` makes, or with the model the generated code makes
in a separate Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tflab import catalog, codegen, custom_layers
from tflab.custom_layers import CustomCodeProblem, NotAllowedError, parse
from tflab.graph import GraphError, ModelGraph
from tflab.keras_build import build_model
from tflab.labs.custom import LAYER_TEMPLATE, METRIC_TEMPLATE
from tflab.messages import TflabError
from tflab.shapes import ShapeInference

#: A second layer class of the same code (subclassing the first) and a layer of two tensors.
MORE_LAYERS = LAYER_TEMPLATE + '''

class MyScaledDense(MyDense):
    """MyDense, times two."""

    def call(self, inputs):
        return 2.0 * super().call(inputs)


class MyAdd(tf.keras.layers.Layer):
    """The sum of two tensors."""

    def call(self, a, b):
        return a + b
'''


def own_text(source: str, tag: str) -> str:
    """``source`` as a text no other test uses: :func:`custom_layers.load` runs each text
    once per process and remembers its classes, allowed or not since."""
    return f"{source.rstrip()}\n\n# {tag}\n"


@pytest.fixture(autouse=True)
def _reset_custom_state():
    """No test leaves code allowed to run."""
    custom_layers.forget_allowed()
    yield
    custom_layers.forget_allowed()


def _problem(source: str) -> CustomCodeProblem:
    with pytest.raises(CustomCodeProblem) as caught:
        parse(source)
    return caught.value


def _stack_graph(source: str, name: str = "model") -> ModelGraph:
    """Input(3) -> Dense(8) -> MyDense(units=2, relu), with ``source`` as its custom code."""
    graph = ModelGraph(name)
    source_id = graph.add_input((3,), "input")
    dense = graph.add_layer_call("Dense", {"units": 8}, [source_id], name="dense")
    mine = graph.add_layer_call("MyDense", {"units": 2, "activation": "relu"}, [dense], name="my_dense")
    graph.set_outputs([mine])
    graph.set_custom_code(source)
    return graph


# --------------------------------------------------------------------------- parse


def test_parse_reads_the_templates_class_and_arguments():
    code = parse(LAYER_TEMPLATE)
    assert code.names() == ["MyDense"]
    cls = code.get("MyDense")
    assert cls.line == LAYER_TEMPLATE.splitlines().index("class MyDense(tf.keras.layers.Layer):") + 1
    assert [(name, default, has_default) for name, default, has_default, _ in cls.arguments] == [
        ("units", 4, True), ("activation", None, True)]
    assert cls.call_inputs == 1
    assert cls.doc.startswith("A fully connected layer")
    assert "MyDense" in code and "Dense" not in code
    assert {"MyDense", "tf"} <= code.top_names


def test_parse_finds_subclasses_of_its_own_layers_and_counts_call_inputs():
    code = parse(MORE_LAYERS)
    assert code.names() == ["MyDense", "MyScaledDense", "MyAdd"]
    # MyScaledDense has no __init__ of its own: it takes MyDense's arguments
    assert code.get("MyScaledDense").arguments == code.get("MyDense").arguments
    assert code.get("MyScaledDense").call_inputs == 1
    assert code.get("MyAdd").call_inputs == 2
    assert code.get("MyAdd").arguments == ()


def test_call_keywords_are_not_inputs():
    code = parse(textwrap.dedent('''\
        import tensorflow as tf


        class MyNoise(tf.keras.layers.Layer):
            def call(self, inputs, training=None):
                return inputs


        class MyMasked(tf.keras.layers.Layer):
            def call(self, inputs, mask, training):
                return inputs
        '''))
    assert code.get("MyNoise").call_inputs == 1
    assert code.get("MyMasked").call_inputs == 1


def test_parse_syntax_error_gives_its_line():
    err = _problem("import tensorflow as tf\nclass MyDense(tf.keras.layers.Layer):\n"
                   "    def call(self, x)\n        return x\n")
    assert err.line == 3
    assert "line 3" in err.en and "第 3 行" in err.zh


def test_code_without_a_layer_class_is_refused():
    err = _problem(METRIC_TEMPLATE)  # a Metric subclass is not a layer
    assert err.line is None
    assert "Layer" in err.en


def test_reserved_names_are_refused_with_their_line():
    err = _problem(LAYER_TEMPLATE + "\n\ndef build_model():\n    return None\n")
    assert err.line == len(LAYER_TEMPLATE.splitlines()) + 3
    assert "build_model" in err.en and "build_model" in err.zh
    err = _problem(LAYER_TEMPLATE + "Input = None\n")
    assert err.line == len(LAYER_TEMPLATE.splitlines()) + 1


def test_a_class_named_like_a_keras_layer_is_refused():
    err = _problem("import tensorflow as tf\n\n\nclass Dense(tf.keras.layers.Layer):\n    pass\n")
    assert err.line == 4
    assert "MyDense" in err.en  # the suggested name


@pytest.mark.parametrize("source", ["", "   \n\n  "])
def test_empty_code_is_refused(source):
    assert "empty" in _problem(source).en


def test_parsing_never_runs_the_code(tmp_path):
    marker = tmp_path / "ran.txt"
    source = textwrap.dedent(f'''\
        import tensorflow as tf
        open({str(marker)!r}, "w").write("the code ran")
        raise SystemExit(3)


        class MyDense(tf.keras.layers.Layer):
            pass
        ''')
    code = parse(source)
    assert code.names() == ["MyDense"]
    graph = _stack_graph(LAYER_TEMPLATE)
    graph.set_custom_code(source)  # the graph and the catalog read it too
    assert catalog.get_entry("MyDense", graph.custom_layers()).category == "custom"
    codegen.generate(graph, "functional")
    assert not marker.exists()


# --------------------------------------------------------------------------- the graph


def test_custom_code_survives_a_json_round_trip():
    graph = _stack_graph(LAYER_TEMPLATE)
    data = json.loads(json.dumps(graph.to_json()))
    assert data["custom_code"] == LAYER_TEMPLATE
    again = ModelGraph.from_json(data)
    assert again == graph
    assert again.custom_code == LAYER_TEMPLATE
    assert again.custom_layers().names() == ["MyDense"]
    assert "custom_code" not in ModelGraph.sequential((3,), [("Dense", {"units": 2})]).to_json()


@pytest.mark.parametrize("bad", ["x = 1\n", "class MyDense(tf.keras.layers.Layer)\n    pass\n",
                                 "import tensorflow as tf\nclass Dense(tf.keras.layers.Layer):\n    pass\n", 42])
def test_bad_custom_code_in_a_file_is_a_graph_error(bad):
    data = _stack_graph(LAYER_TEMPLATE).to_json()
    data["custom_code"] = bad
    with pytest.raises(GraphError):
        ModelGraph.from_json(data)


def test_set_custom_code_refuses_to_drop_a_class_in_use():
    graph = _stack_graph(MORE_LAYERS)
    before = graph.to_json()
    other = "import tensorflow as tf\n\n\nclass MyOther(tf.keras.layers.Layer):\n    pass\n"
    for source in (other, "", "class MyDense(:\n"):
        with pytest.raises(GraphError):
            graph.set_custom_code(source)
        assert graph.to_json() == before
    with pytest.raises(GraphError) as caught:
        graph.set_custom_code(other)
    assert "MyDense" in caught.value.en


def test_set_custom_code_may_drop_classes_no_layer_uses():
    graph = _stack_graph(MORE_LAYERS)  # uses MyDense only
    graph.set_custom_code(LAYER_TEMPLATE)
    assert graph.custom_layers().names() == ["MyDense"]
    plain = ModelGraph.sequential((3,), [("Dense", {"units": 2})])
    plain.set_custom_code(LAYER_TEMPLATE)
    plain.set_custom_code("")
    assert plain.custom_code == "" and plain.custom_layers() is None


def test_layer_classes_are_checked_against_the_graphs_own_code():
    graph = _stack_graph(LAYER_TEMPLATE)
    graph.check_safe()
    graph.add_layer_call("MyDence", {}, ["n1"], name="typo")
    with pytest.raises(GraphError, match="MyDence"):
        graph.check_safe()

    without_code = graph.to_json()
    del without_code["custom_code"]
    del without_code["layers"][-1], without_code["calls"][-1]
    with pytest.raises(GraphError, match="MyDense"):
        ModelGraph.from_json(without_code)


# --------------------------------------------------------------------------- the catalog


def test_the_catalog_knows_a_projects_classes_only_from_its_code():
    code = parse(MORE_LAYERS)
    assert not catalog.is_known_layer("MyDense") and catalog.is_known_layer("MyDense", code)
    entry = catalog.get_entry("MyDense", code)
    assert entry.category == "custom" and not entry.curated
    units = entry.param("units")
    assert (units.kind, units.default, units.required) == ("int", 4, False)
    assert {"name", "trainable", "dtype"} <= {spec.name for spec in entry.params}
    assert [e.class_name for e in code.entries()] == ["MyDense", "MyScaledDense", "MyAdd"]
    add = catalog.get_entry("MyAdd", code)
    assert (add.input_mode, add.min_inputs, add.max_inputs) == ("positional", 2, 2)
    assert catalog.entry_if_ready("MyAdd", code) is add
    assert catalog.category_label("custom", "en") == "This project"

    assert catalog.validate_config("MyDense", {"units": 3, "activation": "relu"}, code) == {
        "units": 3, "activation": "relu"}
    for bad in ({"units": "x"}, {"units": 0}, {"unitz": 3}):
        with pytest.raises(TflabError) as caught:
            catalog.validate_config("MyDense", bad, code)
        assert "MyDense" in caught.value.en

    # Another project (or none) does not see these classes: nothing is remembered.
    with pytest.raises(TflabError):
        catalog.get_entry("MyDense")
    assert catalog.entry_if_ready("MyDense") is None
    with pytest.raises(TflabError):
        catalog.validate_config("MyDense", {"units": 3})


def test_a_wrapper_cannot_hold_a_custom_layer():
    code = parse(LAYER_TEMPLATE)
    inner = {"class_name": "MyDense", "module": "layers", "config": {"units": 2}}
    with pytest.raises(TflabError, match="MyDense is a layer class of this project"):
        catalog.validate_config("TimeDistributed", {"layer": inner}, code)
    inner["class_name"] = "Dense"
    assert catalog.validate_config("TimeDistributed", {"layer": inner}, code)["layer"]["class_name"] == "Dense"


# --------------------------------------------------------------------------- running


def test_load_runs_only_allowed_code():
    source = own_text(LAYER_TEMPLATE, "load only when allowed")
    code = parse(source)
    with pytest.raises(NotAllowedError) as caught:
        custom_layers.load(code)
    assert "MyDense" in caught.value.en
    assert not custom_layers.is_allowed(source)
    custom_layers.allow(source)
    assert custom_layers.is_allowed(source)
    classes = custom_layers.load(code)
    assert list(classes) == ["MyDense"]

    import keras
    import numpy as np

    layer = classes["MyDense"](units=3, name="mine")
    assert isinstance(layer, keras.layers.Layer)
    assert tuple(layer(np.zeros((2, 5), "float32")).shape) == (2, 3)
    assert layer.count_params() == 5 * 3 + 3
    assert custom_layers.load(code) is classes  # run once per text


def failure_when_run(source: str) -> CustomCodeProblem:
    """The problem :func:`custom_layers.load` reports for allowed ``source``."""
    custom_layers.allow(source)
    with pytest.raises(CustomCodeProblem) as caught:
        custom_layers.load(parse(source))
    return caught.value


def test_code_that_fails_when_run_gives_its_line():
    problem = failure_when_run("import tensorflow as tf\nclass MyBoom(tf.keras.layers.Layer): pass\n1/0\n")
    assert problem.line == 3
    assert "ZeroDivisionError" in problem.en


def test_code_that_exits_does_not_stop_the_app():
    problem = failure_when_run("import tensorflow as tf\nclass MyExit(tf.keras.layers.Layer): pass\nraise SystemExit(3)\n")
    assert problem.line == 3


def test_a_class_that_is_not_a_keras_layer_when_run_is_refused():
    source = "class Layer:\n    pass\n\n\nclass MyThing(Layer):\n    pass\n"
    assert parse(source).names() == ["MyThing"]  # by its syntax it looks like a layer
    problem = failure_when_run(source)
    assert problem.line == 5
    assert "MyThing" in problem.en


def test_a_class_named_like_a_keras_layer_is_refused_when_run():
    import keras

    assert hasattr(keras.layers, "Identity") and "Identity" not in catalog.curated_names()
    source = "import tensorflow as tf\n\n\nclass Identity(tf.keras.layers.Layer):\n    pass\n"
    assert failure_when_run(source).line == 4


# --------------------------------------------------------------------------- shape inference


def test_shape_inference_waits_for_permission_then_agrees_with_keras():
    source = own_text(LAYER_TEMPLATE, "shape inference")
    graph = _stack_graph(source)
    dense, mine = graph.topological_calls()
    infer = ShapeInference()

    report = infer.infer(graph)
    assert isinstance(report.calls[mine].error, NotAllowedError)
    assert report.calls[dense].ok and report.calls[dense].output_shape == (None, 8)
    assert not report.ok

    custom_layers.allow(source)
    report = infer.infer(graph)  # the same cache: the refusal is not remembered
    assert report.ok, report.first_error()
    model = build_model(graph)
    keras_layer = model.get_layer("my_dense")
    assert type(keras_layer).__name__ == "MyDense"
    assert report.calls[mine].output_shape == tuple(keras_layer.output.shape) == (None, 2)
    assert report.calls[mine].params == keras_layer.count_params()
    assert report.calls[dense].params == model.get_layer("dense").count_params()
    assert report.total_params == model.count_params()


def test_shape_inference_calls_a_two_input_layer_with_two_tensors():
    graph = ModelGraph("pair")
    a = graph.add_input((3,), "a")
    b = graph.add_input((3,), "b")
    add = graph.add_layer_call("MyAdd", {}, [a, b], name="add_ab")
    out = graph.add_layer_call("MyScaledDense", {"units": 5}, [add], name="scaled")
    graph.set_outputs([out])
    graph.set_custom_code(MORE_LAYERS)
    custom_layers.allow(MORE_LAYERS)
    report = ShapeInference().infer(graph)
    assert report.ok, report.first_error()
    model = build_model(graph)
    assert report.calls[add].output_shape == tuple(model.get_layer("add_ab").output.shape)
    assert report.calls[out].output_shape == tuple(model.get_layer("scaled").output.shape)
    assert report.total_params == model.count_params()


# --------------------------------------------------------------------------- generated code

RUNNER = r'''
"""Import generated modules, build each model, call it on zeros, describe its layers."""
import importlib.util
import json
import sys

import numpy as np
import tensorflow as tf

outputs = {}
original_call = tf.keras.layers.Layer.__call__


def spy(self, *args, **kwargs):
    result = original_call(self, *args, **kwargs)
    outputs[id(self)] = result
    return result


tf.keras.layers.Layer.__call__ = spy  # every layer's output, whatever the model's style

jobs, results = json.loads(sys.argv[1]), {}
for key, job in jobs.items():
    spec = importlib.util.spec_from_file_location(f"generated_{key}", job["file"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    zeros = [np.zeros((1, *shape), "float32") for shape in job["inputs"]]
    outputs.clear()
    model(zeros[0] if len(zeros) == 1 else zeros)
    results[key] = [
        [layer.name, type(layer).__name__, [None, *outputs[id(layer)].shape[1:]], layer.count_params()]
        for layer in model.layers if not isinstance(layer, tf.keras.layers.InputLayer)
    ]
print(json.dumps(results))
'''


def _described(model) -> list:
    """[name, class, output shape, parameters] of each layer of a model built by tflab."""
    import keras

    return [[layer.name, type(layer).__name__, list(layer.output.shape), layer.count_params()]
            for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def test_generated_code_rebuilds_the_model_with_the_custom_layers(tmp_path):
    stack = _stack_graph(LAYER_TEMPLATE, name="stack")
    pair = ModelGraph("my_add")  # the subclass style's class would be MyAdd, a custom class
    a = pair.add_input((3,), "a")
    b = pair.add_input((3,), "b")
    add = pair.add_layer_call("MyAdd", {}, [a, b], name="add_ab")
    same = pair.add_layer_call("MyDense", {"units": 4}, [add], name="MyDense")  # named like its class
    out = pair.add_layer_call("MyScaledDense", {"units": 3, "activation": "relu"}, [same], name="scaled")
    pair.set_outputs([out])
    pair.set_custom_code(MORE_LAYERS)
    cases = {f"stack_{style}": (stack, style) for style in codegen.STYLES}
    cases.update({f"pair_{style}": (pair, style) for style in ("functional", "subclass")})

    jobs = {}
    for key, (graph, style) in cases.items():
        code = codegen.generate(graph, style)
        assert code.count("import tensorflow as tf\n") == 1
        assert "class MyDense(tf.keras.layers.Layer):" in code
        assert "tf.keras.layers.MyDense" not in code and "MyDense(units=" in code
        path = tmp_path / f"{key}.py"
        path.write_text(code, encoding="utf-8")
        jobs[key] = {"file": str(path), "inputs": [list(node.shape) for node in graph.inputs]}
    assert "class MyAddModel(tf.keras.Model):" in (tmp_path / "pair_subclass.py").read_text()

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(jobs)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])

    custom_layers.allow(LAYER_TEMPLATE)
    custom_layers.allow(MORE_LAYERS)
    expected = {"stack": _described(build_model(stack)), "pair": _described(build_model(pair))}
    assert [row[1] for row in expected["pair"]] == ["MyAdd", "MyDense", "MyScaledDense"]
    for key in cases:
        assert results[key] == expected[key.split("_")[0]], key


def test_generated_code_keeps_future_imports_at_the_top():
    source = "from __future__ import annotations\n\n" + LAYER_TEMPLATE
    graph = _stack_graph(source)
    for style in codegen.STYLES:
        code = codegen.generate(graph, style, script=True)
        compile(code, f"<{style}>", "exec")  # a misplaced __future__ import is a SyntaxError
        assert code.count("from __future__ import annotations") == 1
