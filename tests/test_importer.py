"""Importing Keras models: a saved model comes back as the same model, bad files are refused.

Each model is built here with Keras, saved to ``.keras``, imported, rebuilt with
:func:`tflab.keras_build.build_model`, and compared with the original: the same
layers and configs, the same parameter counts and, with the same weights, the same
outputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")
layers = keras.layers

from tests.test_saved_config import read, through_keras  # noqa: E402
from tests.test_shape_rules import same_as_keras  # noqa: E402
from tflab import cli, messages  # noqa: E402
from tflab.codegen import CodegenError  # noqa: E402
from tflab.graph import TensorRef, inner_graph  # noqa: E402
from tflab.importer import graph_from_model, import_keras_file  # noqa: E402
from tflab.keras_build import build_model  # noqa: E402
from tflab.messages import TflabError  # noqa: E402
from tflab.project import load_project  # noqa: E402
from tflab.shapes import infer_shapes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- models
def _mlp():
    return keras.Sequential([
        keras.Input((8,), name="features"),
        layers.Dense(16, activation="relu", name="hidden",
                     kernel_initializer=keras.initializers.RandomNormal(stddev=0.1, seed=7),
                     kernel_regularizer=keras.regularizers.L2(0.01)),
        layers.Dropout(0.25, name="dropout"),  # named: Keras numbers unnamed layers per process
        layers.Dense(3, activation="softmax", name="probabilities"),
    ], name="mlp")


def _cnn():
    return keras.Sequential([
        keras.Input((12, 12, 1), name="image"),
        layers.Conv2D(4, 3, padding="same", activation="relu", name="conv",
                      kernel_constraint=keras.constraints.MaxNorm(2.0)),
        layers.BatchNormalization(name="norm"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(2, trainable=False, name="frozen"),
    ], name="cnn")


def _multi():
    """Two inputs (one of masked integer tokens), a shared layer, a residual sum, two outputs."""
    numbers = keras.Input((6,), name="numbers")
    tokens = keras.Input((5,), dtype="int32", name="tokens")
    shared = layers.Dense(6, activation="tanh", name="shared")
    first = shared(numbers)
    residual = layers.Add(name="residual")([shared(first), numbers])
    words = layers.GlobalAveragePooling1D()(layers.Embedding(10, 6, mask_zero=True)(tokens))
    joined = layers.Concatenate()([residual, words])
    score = layers.Dense(1, name="score")(joined)
    label = layers.Dense(3, activation="softmax", name="label",
                         bias_initializer=keras.initializers.Constant(0.5))(shared(words))
    return keras.Model([numbers, tokens], [score, label], name="multi")


def _rnn():
    """Bidirectional and TimeDistributed wrappers, and a layer with several outputs."""
    seq = keras.Input((6, 4), name="sequence")
    lstm = layers.LSTM(5, return_sequences=True, name="encoder",
                       kernel_initializer=keras.initializers.GlorotNormal(seed=3))
    both = layers.Bidirectional(lstm, merge_mode="sum", name="both_ways")(seq)
    steps = layers.TimeDistributed(layers.Dense(2))(both)
    gru = layers.Bidirectional(layers.GRU(3, return_state=True), name="gru_both")
    summary, forward_state, backward_state = gru(both)
    return keras.Model(seq, [steps, summary, backward_state], name="rnn")


BUILDERS = {"mlp": _mlp, "cnn": _cnn, "multi": _multi, "rnn": _rnn}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """name -> (original model, the .keras file it was saved to)."""
    folder = tmp_path_factory.mktemp("models")
    result = {}
    for name, build in BUILDERS.items():
        model = build()
        model.save(folder / f"{name}.keras")
        result[name] = (model, folder / f"{name}.keras")
    return result


@pytest.fixture(scope="module")
def imported(saved):
    """name -> (original model, graph imported from its .keras file)."""
    return {name: (model, import_keras_file(path)) for name, (model, path) in saved.items()}


@pytest.fixture(scope="module")
def mlp_file(saved):
    return saved["mlp"][1]


# ---------------------------------------------------------------------------- helpers
def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _layers(model) -> dict:
    return {layer.name: layer for layer in model.layers if not isinstance(layer, layers.InputLayer)}


def _sample(graph, rng):
    data = []
    for node in graph.inputs:
        shape = (2, *node.shape)
        if node.dtype.startswith("int"):
            data.append(rng.integers(0, 10, size=shape).astype(node.dtype))
        else:
            data.append(rng.normal(size=shape).astype(node.dtype))
    return data


def _assert_same_model(original, graph):
    rebuilt = build_model(graph)
    ours, theirs = _layers(original), _layers(rebuilt)
    assert list(theirs) == list(ours)
    for name, layer in ours.items():
        assert type(theirs[name]) is type(layer)
        assert _plain(theirs[name].get_config()) == _plain(layer.get_config()), name
    assert rebuilt.count_params() == original.count_params()
    for name, layer in ours.items():
        theirs[name].set_weights(layer.get_weights())
    data = _sample(graph, np.random.default_rng(0))
    expected = keras.tree.flatten(original(data if len(data) > 1 else data[0], training=False))
    got = keras.tree.flatten(rebuilt(data if len(data) > 1 else data[0], training=False))
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", list(BUILDERS))
def test_imported_model_rebuilds_the_same_model(imported, name):
    original, graph = imported[name]
    _assert_same_model(original, graph)
    assert graph.name == original.name


def test_sequential_becomes_a_stack_with_its_input(imported):
    _, graph = imported["mlp"]
    assert graph.is_stack()
    (node,) = graph.inputs
    assert (node.name, node.shape, node.dtype, node.batch_size) == ("features", (8,), "float32", None)
    order, _, _ = graph.stack_order()
    assert [graph.calls[c].layer for c in order] == ["hidden", "dropout", "probabilities"]


def test_configs_keep_only_what_differs_from_the_defaults(imported):
    graph = imported["mlp"][1]
    hidden = graph.layers["hidden"].config
    assert set(hidden) == {"units", "activation", "kernel_initializer", "kernel_regularizer"}
    init = hidden["kernel_initializer"]
    assert (init["class_name"], init["module"], init["config"]["seed"]) == ("RandomNormal", "initializers", 7)
    assert hidden["kernel_regularizer"]["module"] == "regularizers"
    assert graph.layers["dropout"].config == {"rate": 0.25}
    cnn = imported["cnn"][1]
    assert cnn.layers["norm"].config == {}
    assert cnn.layers["frozen"].config == {"units": 2, "trainable": False}
    conv = cnn.layers["conv"].config
    assert conv["kernel_constraint"] == {"class_name": "MaxNorm", "module": "constraints",
                                         "config": keras.constraints.MaxNorm(2.0).get_config()}
    assert "trainable" not in conv and "strides" not in conv


def test_functional_structure_is_kept(imported):
    _, graph = imported["multi"]
    assert [(n.name, n.dtype) for n in graph.inputs] == [("numbers", "float32"), ("tokens", "int32")]
    assert graph.shared_layers() == ["shared"]
    assert len(graph.calls_of_layer("shared")) == 3
    assert [graph.node_label(r.node) for r in graph.outputs] == ["score", "label"]
    assert not graph.is_stack()


def test_wrapped_layers_and_multi_output_calls(imported):
    _, graph = imported["rnn"]
    config = graph.layers["both_ways"].config
    assert set(config) == {"layer", "merge_mode"}
    wrapped = config["layer"]
    assert (wrapped["class_name"], wrapped["module"]) == ("LSTM", "layers")
    assert set(wrapped["config"]) == {"units", "return_sequences", "kernel_initializer", "name"}
    assert wrapped["config"]["name"] == "encoder"
    assert wrapped["config"]["kernel_initializer"]["config"]["seed"] == 3
    gru_call = graph.calls_of_layer("gru_both")[0]
    assert graph.outputs[1:] == [TensorRef(gru_call, 0), TensorRef(gru_call, 2)]


def test_an_imported_graph_is_laid_out_from_the_top_down(imported):
    """As the graph view draws it (ports at the top and bottom of each box): a model is
    a column, not a strip too wide to see."""
    _, graph = imported["multi"]
    assert set(graph.positions) == set(graph.node_ids())
    for call in graph.calls.values():
        for ref in call.inputs:
            assert graph.positions[ref.node][1] < graph.positions[call.id][1]
    assert len(set(graph.positions.values())) == len(graph.positions)
    _, chain = imported["mlp"]
    assert len({x for x, _ in chain.positions.values()}) == 1  # a chain is one straight column


# ---------------------------------------------------------------------------- refused models
def _refused(model) -> TflabError:
    with pytest.raises(TflabError) as caught:
        graph_from_model(model)
    return caught.value


class Tower(keras.Model):
    """A subclassed model: its computation is Python code."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)

    def call(self, x):
        return self.dense(x)


class Doubler(layers.Layer):
    """A custom layer class: not part of keras.layers."""

    def call(self, x):
        return x * 2


def test_refuses_what_tflab_cannot_rebuild():
    x = keras.Input((3,), name="x")
    assert "never built" in str(_refused(keras.Sequential([layers.Dense(2)], name="unbuilt")))
    err = _refused(keras.Model(x, layers.Lambda(lambda t: t * 2, name="twice")(x)))
    assert "'twice'" in err.en and "Lambda" in err.en and "'twice'" in err.zh
    assert "Doubler" in _refused(keras.Model(x, Doubler(name="dbl")(x))).en
    assert "subclassed" in _refused(keras.Model(x, Tower(name="inner")(x))).en
    err = _refused(keras.Model(x, keras.ops.sin(layers.Dense(3)(x))))
    assert "'sin'" in err.en and "add, subtract, multiply, divide" in err.hint_en
    assert "training=True" in _refused(keras.Model(x, layers.Dropout(0.5)(x, training=True))).en
    with warnings.catch_warnings():  # Keras warns that a lambda is being serialized
        warnings.simplefilter("ignore")
        err = _refused(keras.Model(x, layers.Dense(2, activation=lambda t: t, name="odd")(x)))
    assert "'odd'" in err.en and "lambda" in err.en


# ---------------------------------------------------------------------------- refused files
def test_lambda_file_is_refused_without_running_its_code(tmp_path):
    marker = tmp_path / "ran.txt"
    where = str(marker)
    x = keras.Input((3,))
    run = lambda t: (open(where, "w").close(), t * 2)[1]
    keras.Model(x, layers.Lambda(run)(x)).save(tmp_path / "lambda.keras")
    marker.unlink()
    with pytest.raises(TflabError, match="Lambda"):
        import_keras_file(tmp_path / "lambda.keras")
    assert not marker.exists()


def test_custom_class_file_is_refused_by_name(tmp_path):
    x = keras.Input((3,))
    keras.Model(x, Doubler()(x)).save(tmp_path / "custom.keras")
    with pytest.raises(TflabError) as caught:
        import_keras_file(tmp_path / "custom.keras")
    assert "'Doubler'" in caught.value.en and "'Doubler'" in caught.value.zh


@pytest.mark.parametrize("kind", ["h5", "h5-named-keras", "garbage", "truncated", "no-model",
                                  "missing", "savedmodel", "folder"])
def test_bad_files_are_refused_with_a_message(tmp_path, mlp_file, kind):
    raw = mlp_file.read_bytes()
    hdf5 = b"\x89HDF\r\n\x1a\n" + bytes(200)
    path = tmp_path / "model.keras"
    if kind == "h5":
        path = tmp_path / "model.h5"
        path.write_bytes(hdf5)
    elif kind == "h5-named-keras":
        path.write_bytes(hdf5)
    elif kind == "garbage":
        path.write_bytes(np.random.default_rng(1).bytes(400))
    elif kind == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif kind == "no-model":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "not a model")
    elif kind == "savedmodel":
        path = tmp_path / "exported"
        path.mkdir()
        (path / "saved_model.pb").write_bytes(b"")
    elif kind == "folder":
        path.mkdir()
    with pytest.raises(TflabError) as caught:
        import_keras_file(path)
    err = caught.value
    assert str(path) in err.en and str(path) in err.zh
    assert err.zh != err.en
    if kind.startswith("h5") or kind == "savedmodel":
        assert ".keras" in err.hint_en


# ---------------------------------------------------------------------------- command line
def test_cli_writes_a_project_that_loads_back(mlp_file, tmp_path, capsys):
    out = tmp_path / "mlp.tflab"
    assert cli.main(["import", str(mlp_file), "-o", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert "3 layers" in line and "1 input" in line and "stack" in line
    assert load_project(out).graph == import_keras_file(mlp_file)
    messages.set_language("zh")
    assert cli.main(["import", str(mlp_file), "-o", str(out)]) == 0
    assert "已导入" in capsys.readouterr().out


def test_cli_never_writes_over_the_model_file(mlp_file, tmp_path, capsys):
    before = mlp_file.read_bytes()
    assert cli.main(["import", str(mlp_file), "-o", str(mlp_file)]) == 1
    assert ".tflab" in capsys.readouterr().err
    assert mlp_file.read_bytes() == before


def test_cli_failure_exits_1_and_leaves_the_project_alone(tmp_path):
    x = keras.Input((3,))
    keras.Model(x, layers.Lambda(lambda t: t + 1)(x)).save(tmp_path / "lambda.keras")
    out = tmp_path / "existing.tflab"
    out.write_text("my old project", encoding="utf-8")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "LANG": "en_US.UTF-8", "LANGUAGE": ""}
    done = subprocess.run([sys.executable, "-m", "tflab", "import", str(tmp_path / "lambda.keras"),
                           "-o", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "Lambda" in done.stderr and "Traceback" not in done.stderr
    assert out.read_text(encoding="utf-8") == "my old project"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_architecture_is_imported_without_reading_the_weights(mlp_file, tmp_path):
    """The editor needs the layers, not their weights: a big model opens in the time its
    description takes to read, and a file whose weights are damaged still opens."""
    damaged = tmp_path / "no_weights.keras"
    with zipfile.ZipFile(mlp_file) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"not an HDF5 file" if item.filename.endswith(".h5") else data)
    assert import_keras_file(damaged).to_json() == import_keras_file(mlp_file).to_json()


def test_a_refusal_lists_every_reason_grouped_with_the_hint_that_fits():
    """Math tflab has no operation for, math with an array, and a nested model: every
    reason is named, grouped; the math it does rebuild (x / sqrt(h * h + 1.0)) is no reason."""
    x = keras.Input((8,), name="x")
    h = layers.Dense(8, name="d1")(x)
    waves = keras.ops.sin(keras.ops.cos(h))
    ratio = layers.Dense(8, name="d2")(waves) / keras.ops.sqrt(h * h + 1.0)
    shifted = ratio + np.ones(8, "float32")  # an array, not a plain number
    err = _refused(keras.Model(x, Tower(name="head")(shifted)))
    assert "for 4 reasons in 4 group(s)" in err.en and "4 个原因" in err.zh
    lines = err.en.splitlines()[1:]
    assert any("Sin" in line and "add, subtract, multiply, divide" in line and "sqrt" in line for line in lines)
    assert any("Cos" in line for line in lines)
    assert any("Add" in line and "keras.ops.add" in line and "array" in line for line in lines)
    assert any("'head'" in line and "subclassed" in line for line in lines)
    assert not any("TrueDivide" in line or "Sqrt" in line for line in lines)


def test_keras_own_classes_outside_keras_layers_are_named_as_such():
    from keras.src.legacy.layers import ThresholdedReLU

    x = keras.Input((4,), name="x")
    err = _refused(keras.Model(x, ThresholdedReLU(1.0, name="thresholded")(x)))
    assert "'thresholded'" in err.en and "keras.legacy" in err.en and "not in keras.layers" in err.en
    assert "custom" not in err.en


def _same_outputs(original, rebuilt, shape):
    by_name = {layer.name: layer for layer in original.layers}  # a nested model: all its weights
    for layer in rebuilt.layers:
        if layer.weights:
            layer.set_weights(by_name[layer.name].get_weights())
    data = np.random.default_rng(0).random((2, *shape)).astype("float32") * 4 - 2
    np.testing.assert_allclose(np.asarray(rebuilt(data, training=False)),
                               np.asarray(original(data, training=False)), rtol=1e-5, atol=1e-6)


def test_math_on_tensors_imports_as_tensor_operations_written_as_keras_ops_calls():
    """Each operation is a node of its own, with its number where it had one, and every
    style writes it as the keras.ops call; the outputs are the original's."""
    from tflab.codegen import generate

    x = keras.Input((6,), name="x")
    h = layers.Dense(6, name="d")(x)
    y = ((3.0 - h) * 0.5 + x) / 4.0 - (h * x) + keras.ops.divide(h, x) + (h - 1.0)
    y = keras.ops.maximum(-y, keras.ops.sqrt(keras.ops.abs(h)) ** 2.0)
    original = keras.Model(x, y, name="math")
    graph = graph_from_model(original)
    operations = [(layer.class_name, layer.config) for layer in graph.layers.values() if layer.class_name != "Dense"]
    assert operations == [
        ("ops.subtract", {"x1": 3.0}), ("ops.multiply", {"x2": 0.5}), ("ops.add", {}),
        ("ops.divide", {"x2": 4.0}), ("ops.multiply", {}), ("ops.subtract", {}), ("ops.divide", {}),
        ("ops.add", {}), ("ops.subtract", {"x2": 1.0}), ("ops.abs", {}), ("ops.add", {}), ("ops.sqrt", {}),
        ("ops.negative", {}), ("ops.power", {"x2": 2.0}), ("ops.maximum", {}),
    ]
    report = infer_shapes(graph)
    assert all(report.calls[c].output_shapes == [(None, 6)] and report.calls[c].params == 0
               for c in graph.calls if graph.layer_of(c).class_name.startswith("ops."))
    _same_outputs(original, build_model(graph), (6,))
    for style in ("functional", "subclass"):
        code = generate(graph, style)
        assert "tf.keras.ops.subtract(3.0, d)" in code and "tf.keras.ops.divide(d, " in code
        namespace: dict = {}
        exec(compile(code, f"math_{style}.py", "exec"), namespace)
        _same_outputs(original, namespace["build_model"](), (6,))
    with pytest.raises(CodegenError, match="tensor operation"):
        generate(graph, "sequential")


#: One model of each keras.applications family, and the smallest input it takes.
APPLICATIONS = {
    "ConvNeXtTiny": 32, "DenseNet121": 32, "EfficientNetB0": 32, "EfficientNetV2B0": 32,
    "InceptionResNetV2": 75, "InceptionV3": 75, "MobileNet": 32, "MobileNetV2": 32,
    "MobileNetV3Small": 32, "NASNetMobile": 32, "ResNet50": 32, "ResNet50V2": 32, "VGG16": 32,
    "Xception": 71,
}


@pytest.mark.parametrize("name", list(APPLICATIONS))
def test_applications_import_from_keras_files_and_their_code_rebuilds_them_in_every_style(name, tmp_path):
    """Each family as a teacher brings it: saved as .keras (weights=None), imported, written
    in every style that applies, run, and compared with the original with the same weights.
    MobileNetV3 is written with math on tensors; EfficientNet starts with a Normalization
    layer whose constants a subclassed model must make on real tensors; ConvNeXt nests
    Sequential blocks and scales with LayerScale; Inception-ResNet-V2 sums with
    CustomScaleLayer."""
    from tflab.codegen import generate

    size = APPLICATIONS[name]
    shape = (size, size, 3)
    original = getattr(keras.applications, name)(weights=None, input_shape=shape)
    path = tmp_path / f"{name}.keras"
    original.save(path)
    graph = import_keras_file(path)
    assert read(path) is not None  # read without Keras, and as Keras reads it:
    assert graph.to_json() == through_keras(path).to_json()
    assert same_as_keras(graph)  # and its shapes and parameters worked out without Keras too
    nested = [layer.name for layer in graph.layers.values() if layer.class_name == "Model"]
    assert nested == [layer.name for layer in original.layers if isinstance(layer, keras.Model)]
    assert len(nested) == (4 if name == "ConvNeXtTiny" else 0)  # its stem and 3 downsampling blocks
    _same_outputs(original, build_model(graph), shape)
    styles = ["functional", "subclass"] + (["sequential"] if graph.is_stack() else [])
    for style in styles:
        code = generate(graph, style)
        assert all(f"def build_{block}():" in code for block in nested)  # each a model of its own
        namespace: dict = {}
        exec(compile(code, f"{name}_{style}.py", "exec"), namespace)
        _same_outputs(original, namespace["build_model"](), shape)


def test_a_model_used_as_a_layer_is_imported_as_one_node_shared_by_its_calls(tmp_path):
    """A Siamese network calls one tower on two inputs; ConvNeXt nests Sequential blocks.
    The tower is one nested model node, called twice with the same weights; its layers
    keep their names (the outer model's "dense" is another layer). Its ``.keras`` file is
    read so without Keras, and every style writes the tower as a model of its own."""
    from tflab.codegen import generate
    from tflab.importer import read_saved_config
    from tflab.saved_config import graph_from_config

    seeded = [keras.initializers.GlorotUniform(seed=i) for i in range(4)]
    left, right = keras.Input((8,), name="left"), keras.Input((8,), name="right")
    tower = keras.Sequential([keras.Input((8,)), layers.Dense(6, "relu", kernel_initializer=seeded[0], name="dense"),
                              layers.Dense(4, kernel_initializer=seeded[1], name="emb")], name="tower")
    difference = layers.Subtract(name="diff")([tower(left), tower(right)])
    head = layers.Dense(1, kernel_initializer=seeded[2], name="dense")(difference)  # "dense" again
    original = keras.Model([left, right], head, name="siamese")
    graph = graph_from_model(original)
    assert sorted(graph.layers) == ["dense", "diff", "tower"]
    assert graph.layers["tower"].class_name == "Model" and len(graph.calls_of_layer("tower")) == 2
    inner = inner_graph(graph.layers["tower"])
    assert inner.name == "tower" and list(inner.layers) == ["dense", "emb"] and len(inner.calls) == 2
    original.save(tmp_path / "siamese.keras")
    assert graph_from_config(read_saved_config(tmp_path / "siamese.keras")).to_json() == graph.to_json()
    data = [np.random.default_rng(i).random((2, 8)).astype("float32") for i in range(2)]
    expected = np.asarray(original(data))
    rebuilt = [build_model(graph)]
    for style in ("functional", "subclass"):
        namespace: dict = {}
        code = generate(graph, style)
        assert "def build_tower():" in code and code.count("build_tower()") == 2  # made once
        exec(compile(code, f"siamese_{style}.py", "exec"), namespace)
        rebuilt.append(namespace["build_model"]())
    for model in rebuilt:  # seeded initializers: the same weights without copying them
        assert model.count_params() == original.count_params()
        assert [layer.name for layer in model.get_layer("tower").layers[1:]] == ["dense", "emb"]
        np.testing.assert_allclose(np.asarray(model(data)), expected, rtol=1e-5, atol=1e-6)


def test_the_keras_io_timeseries_transformer_imports_and_rebuilds_in_every_style():
    """keras.io's "Timeseries classification with a Transformer model", smaller: attention
    called on (x, x), residual sums written x + inputs, Conv1D feed-forward blocks."""
    from tflab.codegen import generate

    def encoder(inputs):
        x = layers.MultiHeadAttention(key_dim=8, num_heads=2, dropout=0.1)(inputs, inputs)
        x = layers.Dropout(0.1)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        res = x + inputs
        x = layers.Conv1D(filters=4, kernel_size=1, activation="relu")(res)
        x = layers.Dropout(0.1)(x)
        x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        return x + res

    inputs = keras.Input(shape=(20, 1))
    x = encoder(encoder(inputs))
    x = layers.GlobalAveragePooling1D(data_format="channels_last")(x)
    x = layers.Dense(16, activation="relu")(x)
    original = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
    graph = graph_from_model(original)
    assert sum(layer.class_name == "ops.add" for layer in graph.layers.values()) == 4
    _same_outputs(original, build_model(graph), (20, 1))
    for style in ("functional", "subclass"):
        namespace: dict = {}
        exec(compile(generate(graph, style), f"transformer_{style}.py", "exec"), namespace)
        _same_outputs(original, namespace["build_model"](), (20, 1))


def test_an_imported_model_is_freed_at_once_not_by_the_garbage_collector(tmp_path, monkeypatch):
    """Python's cyclic collection runs on the window's thread: the Keras model an import
    made and dropped held the window for 86-141 ms (NASNetMobile). Its cycles are broken
    as soon as its graph is made."""
    import gc
    import weakref

    from tflab import importer

    x = keras.Input((6,), name="x")
    h = layers.BatchNormalization(name="norm")(layers.Dense(4, name="dense")(x))
    keras.Model(x, layers.Add(name="add")([h, layers.Dense(4, name="other")(x)])).save(tmp_path / "m.keras")
    made = []
    real = importer.graph_from_model
    monkeypatch.setattr(importer, "graph_from_model", lambda model: made.append(weakref.ref(model)) or real(model))
    monkeypatch.setattr(importer, "graph_from_config", lambda config: None)  # as for a model only Keras reads
    gc.collect()
    gc.disable()
    try:
        graph = import_keras_file(tmp_path / "m.keras")
        assert made and made[0]() is None  # gone with its last reference, no collection needed
    finally:
        gc.enable()
    assert [graph.layer_of(c).class_name for c in graph.calls] == ["Dense", "BatchNormalization", "Dense", "Add"]


def test_keras_io_transfer_learning_imports_its_frozen_base_as_a_nested_model(tmp_path):
    """keras.io's transfer learning recipe: a base model frozen (``trainable = False``) and
    called with ``training=False`` under a new head. The base is one nested model node whose
    weights stay non-trainable; every style rebuilds the same outputs and the same counts."""
    from tflab.codegen import generate
    from tflab.shape_rules import quick_report

    base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.35)
    base.trainable = False
    inputs = keras.Input((32, 32, 3), name="image")
    x = base(inputs, training=False)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    original = keras.Model(inputs, layers.Dense(3, name="head")(x), name="transfer")
    path = tmp_path / "transfer.keras"
    original.save(path)
    graph = import_keras_file(path)
    assert [(layer.name, layer.class_name) for layer in graph.layers.values()] == [
        (base.name, "Model"), ("pool", "GlobalAveragePooling2D"), ("head", "Dense")]
    assert read(path) is not None and graph.to_json() == through_keras(path).to_json()
    report = quick_report(graph)  # without Keras, as Keras counts them
    assert (report.total_params, report.trainable_params) == (original.count_params(), 3 * 1280 + 3)
    _same_outputs(original, build_model(graph), (32, 32, 3))
    for style in ("sequential", "functional", "subclass"):
        namespace: dict = {}
        exec(compile(generate(graph, style), f"transfer_{style}.py", "exec"), namespace)
        model = namespace["build_model"]()
        assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 3 * 1280 + 3
        _same_outputs(original, model, (32, 32, 3))
