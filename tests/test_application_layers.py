"""Keras's own layers of keras.applications (ConvNeXt's LayerScale and StochasticDepth,
Inception-ResNet-V2's CustomScaleLayer): a project may use them, tflab builds them with
Keras's classes, and generated code defines classes that compute exactly the same."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from tflab import allowlist  # noqa: E402
from tflab.catalog import get_entry, validate_config  # noqa: E402
from tflab.catalog.applications import APPLICATION_ENTRIES, DOCS, KERAS_MODULES, SOURCES  # noqa: E402
from tflab.codegen import generate  # noqa: E402
from tflab.graph import ModelGraph  # noqa: E402
from tflab.keras_build import build_model  # noqa: E402
from tflab.messages import TflabError  # noqa: E402
from tflab.project import Project, save_project  # noqa: E402
from tflab.shapes import infer_shapes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _keras_class(name: str) -> type:
    return getattr(importlib.import_module(KERAS_MODULES[name]), name)


def _generated_class(name: str, comments: str = "en") -> type:
    """The class the generated code defines for ``name``, made by running that code."""
    import tensorflow as tf

    source = SOURCES[name].replace("@doc", DOCS[name][1 if comments == "zh" else 0])
    namespace = {"tf": tf}
    exec(compile(source, f"<{name}>", "exec"), namespace)
    return namespace[name]


def test_every_name_is_listed_once_everywhere_and_is_keras_own_class_outside_keras_layers():
    names = set(allowlist.APPLICATION_LAYERS)
    assert names == set(KERAS_MODULES) == set(SOURCES) == set(DOCS) == set(APPLICATION_ENTRIES)
    for name in names:
        cls = _keras_class(name)
        assert issubclass(cls, keras.layers.Layer) and cls.__module__ == KERAS_MODULES[name]
        assert not hasattr(keras.layers, name)
        assert allowlist.is_safe_layer(name) and name not in allowlist.SAFE_LAYERS
        # the catalog's arguments are the class's own, and the required ones are required
        signature = inspect.signature(cls.__init__).parameters
        own = [p for p in signature if p not in ("self", "kwargs")]
        entry = get_entry(name)
        assert [spec.name for spec in entry.params][:len(own)] == own
        assert all(entry.param(p).required for p in own if signature[p].default is inspect.Parameter.empty)


@pytest.mark.parametrize("name, config, inputs", [
    ("LayerScale", {"init_values": 0.5, "projection_dim": 3}, [(2, 4, 4, 3)]),
    ("StochasticDepth", {"drop_path_rate": 0.3}, [(4, 5, 3)]),
    ("CustomScaleLayer", {"scale": 0.17}, [(2, 6, 6, 4), (2, 6, 6, 4)]),
])
@pytest.mark.parametrize("comments", ["en", "zh"])
def test_the_generated_class_computes_what_keras_own_class_computes(name, config, inputs, comments):
    rng = np.random.default_rng(1)
    data = [rng.normal(size=shape).astype("float32") for shape in inputs]
    arg = data if len(data) > 1 else data[0]
    theirs, ours = _keras_class(name)(**config), _generated_class(name, comments)(**config)
    expected = np.asarray(theirs(arg))
    ours(arg)  # builds it
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    np.testing.assert_allclose(np.asarray(ours(arg)), expected)
    if theirs.weights:  # with other weights too
        new = [rng.normal(size=w.shape).astype("float32") for w in theirs.weights]
        theirs.set_weights(new)
        ours.set_weights(new)
        np.testing.assert_allclose(np.asarray(ours(arg)), np.asarray(theirs(arg)))
    assert {k: v for k, v in ours.get_config().items() if k in config} == config
    assert ours.__class__.from_config(ours.get_config()).get_config() == ours.get_config()
    if name == "StochasticDepth":  # while training, each sample is kept (scaled) or dropped whole
        x = np.ones((64, 5, 3), "float32")
        out = np.asarray(ours(x, training=True)).reshape(64, -1)
        kept = np.isclose(out, 1 / 0.7).all(axis=1)
        dropped = (out == 0).all(axis=1)
        assert (kept | dropped).all() and kept.any() and dropped.any()


def _convnext_block() -> ModelGraph:
    """A ConvNeXt block as a project: depthwise conv, norm, two Dense, LayerScale, a
    StochasticDepth on the branch, and an Inception-ResNet style scaled sum."""
    graph = ModelGraph(name="convnext_block")
    x = graph.add_input((8, 8, 4), name="image")
    steps = [("DepthwiseConv2D", {"kernel_size": 3, "padding": "same"}), ("LayerNormalization", {"epsilon": 1e-6}),
             ("Dense", {"units": 16, "activation": "gelu"}), ("Dense", {"units": 4}),
             ("LayerScale", {"init_values": 1e-6, "projection_dim": 4}), ("StochasticDepth", {"drop_path_rate": 0.1})]
    branch = x
    for class_name, config in steps:
        branch = graph.add_call(graph.add_layer(class_name, config), [branch])
    total = graph.add_call(graph.add_layer("CustomScaleLayer", {"scale": 0.5}), [x, branch])
    graph.set_outputs([total])
    return graph


def test_a_project_with_them_checks_shapes_builds_and_writes_code_in_every_style(tmp_path):
    graph = _convnext_block()
    report = infer_shapes(graph)
    assert report.ok, report.first_error()
    assert [report.calls[cid].output_shape for cid in report.order][-3:] == [(None, 8, 8, 4)] * 3
    model = build_model(graph)
    data = np.random.default_rng(0).normal(size=(2, 8, 8, 4)).astype("float32")
    expected = np.asarray(model(data, training=False))
    for style in ("functional", "subclass"):
        for comments in ("en", "zh"):
            code = generate(graph, style, comments=comments)
            assert code.count("class LayerScale(tf.keras.layers.Layer):") == 1
            assert "tf.keras.layers.LayerScale" not in code
            namespace: dict = {}
            exec(compile(code, f"block_{style}.py", "exec"), namespace)
            rebuilt = namespace["build_model"]()
            assert rebuilt.count_params() == model.count_params()
            rebuilt.set_weights(model.get_weights())
            np.testing.assert_allclose(np.asarray(rebuilt(data, training=False)), expected, rtol=1e-6)
    # the command line: summary and codegen of the saved project
    path = tmp_path / "block.tflab"
    save_project(Project(graph), path)
    out = subprocess.run([sys.executable, "-m", "tflab", "summary", str(path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "(LayerScale)" in out.stdout and "(CustomScaleLayer)" in out.stdout


def test_they_are_checked_like_any_layer_and_never_wrapped():
    with pytest.raises(TflabError, match="projection_dim"):
        validate_config("LayerScale", {"init_values": 1e-6, "projection_dim": 0})
    with pytest.raises(TflabError, match="drop_path_rate"):
        validate_config("StochasticDepth", {"drop_path_rate": 1.0})
    wrapped = {"class_name": "LayerScale", "module": "layers",
               "config": {"init_values": 1e-6, "projection_dim": 4}}
    with pytest.raises(allowlist.UnsafeError, match="cannot be wrapped"):
        allowlist.check_layer("TimeDistributed", {"layer": wrapped})
    data = Project(_convnext_block()).to_json()
    assert json.loads(json.dumps(data)) == data  # plain data, as saved


def test_a_wrong_projection_dim_or_mismatched_inputs_are_explained_plainly():
    graph = ModelGraph(name="wrong")
    x, y = graph.add_input((8, 8, 4), name="x"), graph.add_input((8, 8, 3), name="y")
    scaled = graph.add_layer_call("LayerScale", {"init_values": 1e-6, "projection_dim": 3}, [x])
    summed = graph.add_layer_call("CustomScaleLayer", {"scale": 0.5}, [x, y])
    graph.set_outputs([scaled, summed])
    report = infer_shapes(graph)
    errors = dict(report.errors)
    scale_error, sum_error = errors[scaled], errors[summed]
    assert "projection_dim is 3, but its input has 4 channels" in scale_error.en
    assert scale_error.hint_en == "Set projection_dim to 4." and "projection_dim 设为 4" in scale_error.hint_zh
    assert "(None, 8, 8, 4) and (None, 8, 8, 3)" in sum_error.en and "(None, 8, 8, 4) 和 (None, 8, 8, 3)" in sum_error.zh
    for error in (scale_error, sum_error):  # no Keras internals, no terminal colour codes
        assert "\x1b" not in error.full("en") and "compute_output_spec" not in error.full("en")
