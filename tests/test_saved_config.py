"""A ``.keras`` file's description read without Keras gives the graph Keras would give.

:mod:`tflab.saved_config` reads plain models from their ``config.json`` and makes each
layer's config sparse with :mod:`tflab.keras_defaults`; :mod:`tflab.importer` asks Keras
for everything else. Here both ways import the same files and must agree, the table is
made again from the pinned Keras and compared, hostile descriptions never get past the
reader, and importing a plain model never imports TensorFlow.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import corpus
from tflab import importer, keras_defaults
from tflab.graph import inner_graph
from tflab.messages import TflabError
from tflab.saved_config import graph_from_config

keras = pytest.importorskip("keras")
layers = keras.layers

ROOT = Path(__file__).resolve().parent.parent


def through_keras(path: Path):
    """The graph of ``path`` as Keras makes it (the reference)."""
    config = importer.read_saved_config(path)
    model = importer._check_saved_config(config) or importer._load(path)
    return importer.graph_from_model(model)


def read(path: Path):
    """The graph of ``path`` read without Keras, or None where the reader leaves it to Keras."""
    return graph_from_config(importer.read_saved_config(path))


def test_the_table_is_what_the_pinned_keras_writes():
    """Made again from the installed Keras, the bundled table is the same: a Keras upgrade
    that changes a default fails here (run ``python -m tflab.keras_defaults``)."""
    bundled = json.loads((ROOT / "resources" / keras_defaults.RESOURCE).read_text(encoding="utf-8"))
    assert bundled == json.loads(json.dumps(keras_defaults.make_table()))
    assert bundled["keras"] == keras.__version__
    dense = bundled["layers"]["Dense"]
    assert "units" in dense["keys"] and "units" not in dense["defaults"]  # required: always kept
    assert dense["defaults"]["activation"] == "linear" and dense["defaults"]["use_bias"] is True
    assert bundled["layers"]["MaxPooling2D"]["copies"] == {"strides": "pool_size"}
    assert bundled["layers"]["BatchNormalization"]["follows"] == {"renorm_clipping": ["renorm"]}


#: Corpus graphs the reader must read itself: all but the one whose names a project may
#: not hold (refused either way).
READ_WITHOUT_KERAS = set(corpus.BUILDERS) - {"hostile"}


@pytest.mark.parametrize("name", list(corpus.BUILDERS))
def test_every_corpus_model_reads_as_keras_imports_it(name, tmp_path):
    from tflab.keras_build import build_model

    path = tmp_path / f"{name}.keras"
    build_model(corpus.graph(name)).save(path)
    fast = read(path)
    assert (fast is not None) == (name in READ_WITHOUT_KERAS)
    try:
        reference = through_keras(path)
    except TflabError as err:  # names a project may not hold: refused either way
        assert fast is None
        with pytest.raises(type(err)):
            importer.import_keras_file(path)
        return
    if fast is not None:
        assert fast.to_json() == reference.to_json()
    assert importer.import_keras_file(path).to_json() == reference.to_json()


def test_derived_values_are_left_out_only_where_keras_would_derive_them(tmp_path):
    """A pooling layer's strides are its pool_size unless given; attention's value_dim is
    its key_dim. Kept where they differ, left out where Keras would make them anyway."""
    x = keras.Input((8, 8, 3), name="x")
    h = layers.MaxPooling2D(3, strides=2, name="pool_3_2")(x)  # strides kept
    h = layers.MaxPooling2D(2, strides=2, name="pool_2_2")(h)  # pool_size and strides left out
    h = layers.AveragePooling2D(3, strides=3, padding="same", name="avg_3_3")(h)  # strides left out
    s = layers.Reshape((1, 3), name="seq")(h)
    a = layers.MultiHeadAttention(2, key_dim=4, name="same_dims")(s, s)
    b = layers.MultiHeadAttention(2, key_dim=4, value_dim=6, name="own_value_dim")(s, s)
    c = layers.BatchNormalization(renorm=True, name="renorm")(layers.Add(name="sum")([a, b]))
    path = tmp_path / "derived.keras"
    keras.Model(x, c, name="derived").save(path)
    reference = through_keras(path)
    configs = {name: layer.config for name, layer in reference.layers.items()}
    assert configs["pool_3_2"] == {"pool_size": [3, 3], "strides": [2, 2]}
    assert configs["pool_2_2"] == {}
    assert configs["avg_3_3"] == {"pool_size": [3, 3], "padding": "same"}
    assert "value_dim" not in configs["same_dims"] and configs["own_value_dim"]["value_dim"] == 6
    # renorm changes what renorm_clipping holds: only Keras can tell, so Keras reads this file
    assert read(path) is None
    del_renorm = tmp_path / "no_renorm.keras"
    model = keras.models.load_model(path, compile=False)
    keras.Model(model.input, model.get_layer("sum").output, name="derived").save(del_renorm)
    assert read(del_renorm).to_json() == through_keras(del_renorm).to_json()


def test_a_model_used_once_as_a_layer_is_read_as_a_nested_model_node(tmp_path):
    """As ConvNeXt nests Sequential blocks: a Sequential inside a Functional model, and a
    two-input Functional model inside it, each called once, become nested model nodes
    holding their layers (names of their own: "dense" is in the block and outside)."""
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    pair = keras.Model([a, b], layers.Concatenate(name="join")([a, b]), name="pair")
    block = keras.Sequential([keras.Input((8,)), layers.Dense(3, name="dense"), layers.ReLU(name="relu")],
                             name="block")
    x, y = keras.Input((4,), name="x"), keras.Input((4,), name="y")
    h = block(pair([x, y]))
    path = tmp_path / "nested.keras"
    keras.Model([x, y], layers.Dense(2, name="dense")(h), name="outer").save(path)
    graph = read(path)
    assert graph is not None and graph.to_json() == through_keras(path).to_json()
    assert [(layer.name, layer.class_name) for layer in graph.layers.values()] == [
        ("pair", "Model"), ("block", "Model"), ("dense", "Dense")]
    pair_graph, block_graph = (inner_graph(graph.layers[name]) for name in ("pair", "block"))
    assert [n.name for n in pair_graph.inputs] == ["a", "b"] and list(pair_graph.layers) == ["join"]
    assert list(block_graph.layers) == ["dense", "relu"] and block_graph.is_stack()
    assert set(block_graph.positions) == set(block_graph.node_ids())  # laid out for the view


def _shared_models() -> dict:
    """Layers and models called more than once, in the ways that change Keras's order of
    calls: a Siamese tower, a layer shared at different depths, a shared layer inside a
    tower called twice, a layer called on its own output."""
    tower = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="t")], name="tower")
    left, right = keras.Input((4,), name="left"), keras.Input((4,), name="right")
    shared = layers.Dense(4, name="shared")
    deep = shared(layers.Dense(4, name="d2")(layers.Dense(4, name="d1")(right)))
    twice = layers.Dense(4, name="twice")
    inner_shared = layers.Dense(4, name="inner")
    a = keras.Input((4,), name="a")
    block = keras.Model(a, inner_shared(inner_shared(a)), name="block")
    return {
        "siamese": keras.Model([left, right], layers.Add(name="add")([tower(left), tower(right)]), name="m1"),
        "at two depths": keras.Model([left, right], layers.Concatenate(name="cat")([shared(left), deep]),
                                     name="m2"),
        "on its own output": keras.Model(left, twice(layers.ReLU(name="r")(twice(left))), name="m3"),
        "a block called twice": keras.Model([left, right], layers.Subtract(name="sub")([block(left), block(right)]),
                                            name="m4"),
    }


@pytest.mark.parametrize("name", ["siamese", "at two depths", "on its own output", "a block called twice"])
def test_shared_layers_and_models_used_twice_read_as_keras_imports_them(tmp_path, name):
    """A shared layer, or a model used as a layer more than once, is one graph layer called
    again: read without Keras, each call in the order Keras keeps them."""
    path = tmp_path / "shared.keras"
    _shared_models()[name].save(path)
    graph = read(path)
    assert graph is not None and graph.to_json() == through_keras(path).to_json()
    assert len(graph.calls) > len(graph.layers)  # some layer is called again


def _wrapper_models() -> dict:
    seq = keras.Input((5, 4), name="seq")
    return {
        "time": keras.Sequential([keras.Input((5, 4)), layers.TimeDistributed(layers.Dense(2, activation="relu"))]),
        "time conv": keras.Sequential([keras.Input((5, 8, 8, 3)), layers.TimeDistributed(layers.Conv2D(2, 3))]),
        "both ways": keras.Sequential([keras.Input((5, 4)),
                                       layers.Bidirectional(layers.LSTM(2, return_sequences=True, dropout=0.1)),
                                       layers.Bidirectional(layers.GRU(3), merge_mode="sum")]),
        "shared": keras.Model(seq, layers.Add()([layers.Bidirectional(layers.SimpleRNN(2), name="bi")(seq),
                                                 layers.Dense(4)(layers.Flatten()(seq))])),
        "nested": keras.Sequential([keras.Input((3, 5, 4)), layers.TimeDistributed(layers.Bidirectional(layers.LSTM(2)))]),
    }


@pytest.mark.parametrize("name", ["time", "time conv", "both ways", "shared", "nested"])
def test_wrapper_layers_read_as_keras_imports_them(tmp_path, name):
    """TimeDistributed and Bidirectional hold a layer: read as Keras's import has it (its
    sparse settings and name, ``forward_`` taken off, the backward layer Keras makes left out)."""
    path = tmp_path / "wrapper.keras"
    _wrapper_models()[name].save(path)
    graph = read(path)
    assert graph is not None and graph.to_json() == through_keras(path).to_json()


def test_models_the_reader_leaves_to_keras_still_import(tmp_path):
    """A Bidirectional layer given a backward layer of its own is read by Keras."""
    models = {
        "own backward": keras.Sequential([keras.Input((5, 4)), layers.Bidirectional(
            layers.LSTM(2), backward_layer=layers.LSTM(3, go_backwards=True))]),
    }
    for name, model in models.items():
        path = tmp_path / f"{name}.keras"
        model.save(path)
        assert read(path) is None, name
        assert importer.import_keras_file(path).to_json() == through_keras(path).to_json()


def test_another_keras_version_leaves_every_model_to_keras(tmp_path, monkeypatch):
    path = tmp_path / "mlp.keras"
    keras.Sequential([keras.Input((3,)), layers.Dense(2)]).save(path)
    assert read(path) is not None
    monkeypatch.setattr(keras_defaults, "keras_version", lambda: "3.99.0")
    assert read(path) is None
    assert importer.import_keras_file(path).to_json() == through_keras(path).to_json()


def test_importing_a_plain_model_never_imports_tensorflow(tmp_path):
    """The command line and the window import a plain model in the time its description
    takes to read: neither TensorFlow nor Keras is imported."""
    path = tmp_path / "cnn.keras"
    keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(2, 3), layers.MaxPooling2D(),
                      layers.Flatten(), layers.Dense(3, activation="softmax")]).save(path)
    out = tmp_path / "cnn.tflab"
    check = (
        "import sys\n"
        "from tflab import cli\n"
        f"code = cli.main(['import', {str(path)!r}, '-o', {str(out)!r}])\n"
        "assert code == 0, code\n"
        "loaded = sorted(m for m in ('tensorflow', 'keras') if m in sys.modules)\n"
        "print('loaded:', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "loaded: []" in result.stdout
    assert "4 layers" in result.stdout
    from tflab.project import load_project

    assert [layer.class_name for layer in load_project(out).graph.layers.values()] == [
        "Conv2D", "MaxPooling2D", "Flatten", "Dense"]


def test_importing_and_summing_up_a_model_with_a_nested_model_never_imports_tensorflow(tmp_path):
    """A Siamese network's tower is read as one nested model node from the description, and
    its summary is worked out by the rules: neither TensorFlow nor Keras is imported."""
    path, out = tmp_path / "siamese.keras", tmp_path / "siamese.tflab"
    tower = keras.Sequential([keras.Input((8,)), layers.Dense(6, "relu"), layers.Dense(4)], name="tower")
    left, right = keras.Input((8,), name="left"), keras.Input((8,), name="right")
    keras.Model([left, right], layers.Subtract()([tower(left), tower(right)]), name="siamese").save(path)
    check = (
        "import sys\n"
        "from tflab import cli\n"
        f"assert cli.main(['import', {str(path)!r}, '-o', {str(out)!r}]) == 0\n"
        f"assert cli.main(['summary', {str(out)!r}]) == 0\n"
        "loaded = sorted(m for m in ('tensorflow', 'keras') if m in sys.modules)\n"
        "print('loaded:', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "loaded: []" in result.stdout and "tower (Model)" in result.stdout


# ---------------------------------------------------------------------------- hostile files
@pytest.fixture(scope="module")
def plain_file(tmp_path_factory) -> Path:
    """A small Functional model: two Dense, a sum, a product with a number, a BatchNormalization."""
    path = tmp_path_factory.mktemp("hostile") / "base.keras"
    x = keras.Input((6,), name="x")
    h = layers.Dense(4, activation="relu", name="d")(x)
    y = layers.Add(name="add")([h, layers.Dense(4, name="e")(x)]) * 0.5
    keras.Model(x, layers.BatchNormalization(name="bn")(y), name="m").save(path)
    return path


@pytest.fixture(scope="module")
def plain_config(plain_file) -> dict:
    with zipfile.ZipFile(plain_file) as archive:
        return json.loads(archive.read("config.json"))


def _paths(value, prefix=()):
    """Every place in a JSON value, as a path of keys and indices."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


HOSTILE_VALUES = st.sampled_from([
    None, True, -1, 10**12, 1e308, float("nan"), "", "Lambda", "TFSMLayer", "keras.layers", "../../x",
    "__keras_tensor__", [], {}, [None], {"class_name": "Lambda", "config": {}},
    {"class_name": "__keras_tensor__", "config": {"keras_history": ["d", 1, 0]}},
    {"module": "keras.layers", "class_name": "Lambda", "config": {"function": "print"}},
    {"module": "builtins", "class_name": "eval", "config": {}, "registered_name": "eval"},
])


def test_the_plain_description_reads_as_keras_imports_it(plain_file):
    graph = read(plain_file)
    assert [(layer.class_name, layer.config) for layer in graph.layers.values()] == [
        ("Dense", {"units": 4, "activation": "relu"}), ("Dense", {"units": 4}), ("Add", {}),
        ("ops.multiply", {"x2": 0.5}), ("BatchNormalization", {})]
    assert graph.to_json() == through_keras(plain_file).to_json()


@pytest.fixture(scope="module")
def shared_config(tmp_path_factory) -> dict:
    """A model with a tower called twice, a shared layer and both wrappers."""
    path = tmp_path_factory.mktemp("hostile") / "shared.keras"
    a = keras.Input((3, 4), name="a")
    tower = keras.Model(a, layers.TimeDistributed(layers.Dense(4, name="td"), name="time")(a), name="tower")
    left, right = keras.Input((3, 4), name="left"), keras.Input((3, 4), name="right")
    both = layers.Bidirectional(layers.LSTM(2, name="lstm"), name="bi")
    joined = layers.Add(name="add")([both(tower(left)), both(tower(right))])
    keras.Model([left, right], joined, name="m").save(path)
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def test_the_shared_description_reads_without_keras(shared_config):
    graph = graph_from_config(shared_config)
    assert [(layer.class_name, len(graph.calls_of_layer(name))) for name, layer in graph.layers.items()] == [
        ("Model", 2), ("Bidirectional", 2), ("Add", 1)]
    assert [layer.class_name for layer in inner_graph(graph.layers["tower"]).layers.values()] == ["TimeDistributed"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_changed_description_is_read_as_data_or_left_to_keras(plain_config, shared_config, data):
    """Whatever is put anywhere in the description (of a plain model, or of one with shared
    layers, a model used twice and wrappers), the reader returns a graph a project could
    hold, or None; it never raises and never names a class outside the allow-list."""
    shared = data.draw(st.booleans(), label="shared")
    config = copy.deepcopy(shared_config if shared else plain_config)
    for _ in range(data.draw(st.integers(1, 3))):
        place = data.draw(st.sampled_from([p for p in _paths(config) if p]))
        target = config
        for key in place[:-1]:
            target = target[key]
        target[place[-1]] = copy.deepcopy(data.draw(HOSTILE_VALUES))
    graph = graph_from_config(config)
    if graph is not None:
        graph.check_safe()
        layers_in = list(graph.layers.values())
        for layer in layers_in:
            if layer.class_name == "Model":  # the tower: its layers are checked too
                layers_in += inner_graph(layer).layers.values()
        for layer in layers_in:
            if shared:
                assert layer.class_name in {"Model", "TimeDistributed", "Bidirectional", "Add"}
                if layer.class_name not in ("Add", "Model"):
                    assert layer.config["layer"]["class_name"] in {"Dense", "LSTM"}
            else:
                assert layer.class_name in {"Dense", "Add", "ops.multiply", "BatchNormalization"}
