"""Shapes and parameters worked out without Keras are Keras's own.

:func:`tflab.shape_rules.quick_report` must give exactly the report (and so the summary
table) that :func:`tflab.shapes.infer_shapes` gets from Keras, or None. Compared here on
the corpus, on generated convolution and pooling settings, and (in
``tests/test_importer.py``) on every ``keras.applications`` family; ``summary`` then
never imports TensorFlow for such a model.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import corpus
from tflab.graph import ModelGraph
from tflab.shape_rules import quick_report
from tflab.shapes import infer_shapes, summary_text

ROOT = Path(__file__).resolve().parent.parent


def same_as_keras(graph: ModelGraph) -> bool:
    """True when the report without Keras is Keras's own; False when there is none."""
    quick = quick_report(graph)
    if quick is None:
        return False
    reference = infer_shapes(graph)
    assert quick.order == reference.order and quick.input_shapes == reference.input_shapes
    for call_id in reference.order:
        ours, theirs = quick.calls[call_id], reference.calls[call_id]
        assert theirs.ok, theirs.error
        assert (ours.output_shapes, ours.params, ours.trainable_params, ours.first_call) == (
            theirs.output_shapes, theirs.params, theirs.trainable_params, theirs.first_call), ours.layer
        assert (ours.warning and ours.warning.full()) == (theirs.warning and theirs.warning.full())
    assert [p.full() for p in quick.problems] == [p.full() for p in reference.problems]
    for lang in ("en", "zh"):
        assert summary_text(graph, quick, lang) == summary_text(graph, reference, lang)
    return True


@pytest.mark.parametrize("name", list(corpus.BUILDERS))
def test_corpus_shapes_are_keras_own(name):
    """Every corpus graph: stacks, two inputs and two heads, shared and wrapped layers,
    an LSTM's states, attention, awkward names."""
    assert same_as_keras(corpus.graph(name))


@pytest.mark.parametrize("class_name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("sequences", [False, True])
def test_a_recurrent_layers_states_are_keras_own(class_name, sequences):
    """With return_state, its output then its states (LSTM's h and c, one for the others)."""
    graph = ModelGraph("states")
    x = graph.add_input([7, 3], "x")
    call = graph.add_layer_call(class_name, {"units": 4, "return_state": True, "return_sequences": sequences}, [x])
    graph.set_outputs([f"{call}:{i}" for i in range(3 if class_name == "LSTM" else 2)])
    assert same_as_keras(graph)


sizes = st.integers(1, 12)
windows = st.one_of(st.integers(1, 4), st.lists(st.integers(1, 4), min_size=2, max_size=2))


@settings(max_examples=60, deadline=None)
@given(height=sizes, width=sizes, channels=st.integers(1, 6), kernel=windows, strides=windows,
       padding=st.sampled_from(["valid", "same"]), dilation=st.sampled_from([1, 2]),
       kind=st.sampled_from(["Conv2D", "SeparableConv2D", "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D",
                             "Conv2DTranspose"]),
       channels_first=st.booleans(), use_bias=st.booleans(), output_padding=st.sampled_from([None, 0, 1]))
def test_generated_windows_are_keras_own(height, width, channels, kernel, strides, padding, dilation, kind,
                                         channels_first, use_bias, output_padding):
    """Every output size a sliding window gives, padding and strides and dilation mixed;
    a setting Keras refuses (an empty output) is left to Keras."""
    config: dict = {"padding": padding, "strides": strides}
    if kind.endswith("Pooling2D"):
        config["pool_size"] = kernel
    else:
        config.update(kernel_size=kernel, dilation_rate=dilation if strides == 1 else 1, use_bias=use_bias)
        if kind != "DepthwiseConv2D":
            config["filters"] = 3
        if kind == "Conv2DTranspose" and output_padding is not None:
            config["output_padding"] = output_padding
    if channels_first:
        config["data_format"] = "channels_first"
    shape = [channels, height, width] if channels_first else [height, width, channels]
    graph = ModelGraph.sequential(shape, [(kind, config)])
    if not same_as_keras(graph):
        assert quick_report(graph) is None
        reference = infer_shapes(graph)
        outputs = [s for c in reference.calls.values() for s in c.output_shapes]
        assert not reference.ok or any(d is not None and d <= 0 for s in outputs for d in s[1:])


def test_every_classroom_layer_has_its_shapes_without_keras():
    """The palette's classroom layers (all but Input) each have a rule: a model made of
    them shows its shapes while TensorFlow still loads."""
    from tflab import catalog
    from tflab.shape_rules import RULES

    assert set(catalog.curated_names()) - set(RULES) == {"Input"}


dims = st.lists(st.sampled_from([1, 3, 4, None]), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(first=dims, second=dims, kind=st.sampled_from(["Add", "Multiply", "Subtract", "Maximum", "ops.add",
                                                      "ops.multiply", "ops.power", "CustomScaleLayer"]))
def test_generated_broadcasts_are_keras_own(first, second, kind):
    """Two tensors of any shapes: a merge layer's rule (an unknown size stays unknown) and
    keras.ops broadcasting (it takes the known size) each as Keras has them."""
    graph = ModelGraph("broadcast")
    a, b = graph.add_input(first, "a"), graph.add_input(second, "b")
    config = {"scale": 0.5} if kind == "CustomScaleLayer" else {}
    graph.set_outputs([graph.add_layer_call(kind, config, [a, b])])
    if not same_as_keras(graph):
        assert quick_report(graph) is None
        assert not infer_shapes(graph).ok or (kind == "CustomScaleLayer" and len(first) != len(second))


@settings(max_examples=40, deadline=None)
@given(query=st.lists(st.integers(1, 5), min_size=2, max_size=3), value_steps=st.integers(1, 5),
       value_dim=st.integers(1, 6), key_dim=st.integers(1, 5), heads=st.integers(1, 3),
       own_value_dim=st.one_of(st.none(), st.integers(1, 4)), output=st.one_of(st.none(), st.integers(1, 4)),
       with_key=st.booleans(), use_bias=st.booleans())
def test_generated_attention_is_keras_own(query, value_steps, value_dim, key_dim, heads, own_value_dim, output,
                                          with_key, use_bias):
    """MultiHeadAttention on (query, value) or (query, value, key) of any sizes: its
    output shape and its four projections' weights as Keras has them."""
    graph = ModelGraph("attention")
    q = graph.add_input(query, "query")
    v = graph.add_input([value_steps, value_dim], "value")
    inputs = [q, v] + ([graph.add_input([value_steps, value_dim + 1], "key")] if with_key else [])
    config = {"num_heads": heads, "key_dim": key_dim, "use_bias": use_bias}
    if own_value_dim is not None:
        config["value_dim"] = own_value_dim
    if output is not None:
        config["output_shape"] = output
    graph.set_outputs([graph.add_layer_call("MultiHeadAttention", config, inputs)])
    assert same_as_keras(graph)


def test_what_keras_would_refuse_is_left_to_keras():
    """Keras's error and hint are Keras's to give: a Conv2D on a flat input, a kernel larger
    than its input, a Reshape to the wrong size, a Dense on a shape with an unknown last axis."""
    bad = [
        ModelGraph.sequential([10], [("Conv2D", {"filters": 2, "kernel_size": 3})]),
        ModelGraph.sequential([2, 2, 1], [("Conv2D", {"filters": 2, "kernel_size": 3})]),
        ModelGraph.sequential([6], [("Reshape", {"target_shape": [4, 2]})]),
        ModelGraph.sequential([None], [("Dense", {"units": 2})]),
    ]
    for graph in bad:
        assert quick_report(graph) is None
        assert not infer_shapes(graph).ok


#: Values Keras refuses when it makes the layer, most of them caught by the catalog too.
REFUSED_VALUES = [
    ("Dropout", {"rate": 1.5}), ("LeakyReLU", {"negative_slope": -1.0}), ("ReLU", {"max_value": -1.0}),
    ("Activation", {"activation": "nope"}), ("Dense", {"units": 4, "activation": "nope"}),
    ("Embedding", {"input_dim": 0, "output_dim": 3}), ("LSTM", {"units": 4, "dropout": 2.0}),
    ("Flatten", {"data_format": "nope"}), ("MaxPooling2D", {"pool_size": 2, "padding": "nope"}),
    ("GaussianNoise", {"stddev": -1.0}), ("GaussianDropout", {"rate": 1.5}), ("AlphaDropout", {"rate": 1.5}),
    ("SpatialDropout2D", {"rate": 1.5}), ("UnitNormalization", {"axis": 7}), ("ActivityRegularization", {"l1": -1.0}),
    ("Normalization", {"axis": 9}), ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "activation": "nope"}),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "depthwise_initializer": "nope"}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 0}),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "padding": "causal"}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "output_padding": 1}),
    ("TimeDistributed", {"layer": {"class_name": "Dropout", "module": "layers", "config": {"rate": 1.5}}}),
]


@pytest.mark.parametrize(("class_name", "config"), REFUSED_VALUES)
def test_a_value_keras_refuses_is_left_to_keras(class_name, config):
    """A project file may hold any value: the report without Keras never shows a shape
    where Keras shows an error (each case below had one before its check was added)."""
    shape = [6, 6, 6, 2] if class_name.endswith("3D") else [8, 8, 3]
    graph = ModelGraph.sequential(shape, [(class_name, config)])
    assert not infer_shapes(graph).ok
    assert quick_report(graph) is None


def _beyond_the_classroom() -> ModelGraph:
    return ModelGraph.sequential([8, 8, 4], [("RandomFlip", {"mode": "horizontal"}), ("RandomRotation", {"factor": 0.1}),
                                             ("GaussianNoise", {"stddev": 0.1}), ("Convolution2D", {"filters": 8,
                                             "kernel_size": 3}), ("GroupNormalization", {"groups": 4}),
                                             ("PReLU", {"shared_axes": [1, 2]}), ("SpatialDropout2D", {"rate": 0.2}),
                                             ("GlobalAvgPool2D", {}), ("Dense", {"units": 3})])


@pytest.mark.parametrize("build", [corpus.cnn, _beyond_the_classroom])
def test_summary_of_a_plain_model_never_imports_tensorflow(tmp_path, build):
    from tflab.project import Project, save_project

    path = tmp_path / "cnn.tflab"
    save_project(Project(build()), path)
    check = (
        "import sys\n"
        "from tflab import cli\n"
        f"code = cli.main(['summary', {str(path)!r}])\n"
        "print('exit', code, 'loaded', sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "exit 0 loaded []" in result.stdout, result.stderr
    assert result.stdout.split("exit 0")[0].strip() == summary_text(build(), infer_shapes(build()))


def same_report(ours, theirs) -> None:
    """Two reports say the same of every call: shapes, parameters, errors, warnings."""
    assert ours.order == theirs.order and ours.input_shapes == theirs.input_shapes
    assert [p.full() for p in ours.problems] == [p.full() for p in theirs.problems]
    for call_id in theirs.order:
        a, b = ours.calls[call_id], theirs.calls[call_id]
        assert (a.output_shapes, a.params, a.trainable_params, a.first_call, a.blocked) == (
            b.output_shapes, b.params, b.trainable_params, b.first_call, b.blocked), a.layer
        assert (a.error and a.error.full()) == (b.error and b.error.full()), a.layer
        assert (a.warning and a.warning.full()) == (b.warning and b.warning.full()), a.layer


def _broken_and_mixed() -> dict[str, ModelGraph]:
    """Graphs the rules alone cannot answer: a broken call, layers without a rule, a
    shared layer called on other shapes, a shared layer without a rule."""
    broken = corpus.residual()
    layer = next(name for name, item in broken.layers.items() if item.class_name == "Dense")
    broken.set_config(layer, {**broken.layers[layer].config, "units": 3})
    einsum = {"equation": "ab,bc->ac", "output_shape": 4}
    mixed = ModelGraph.sequential([6, 6, 3], [("Conv2D", {"filters": 4, "kernel_size": 3}),
                                              ("AutoContrast", {}), ("Flatten", {}),
                                              ("Dense", {"units": 5}), ("EinsumDense", einsum), ("Dense", {"units": 2})])
    others = ModelGraph("shared on other shapes")
    x, y = others.add_input([4], "x"), others.add_input([6], "y")
    first = others.add_layer_call("Dense", {"units": 3}, [x], name="shared")
    second = others.add_call("shared", [y])
    others.set_outputs([first, second])
    towers = ModelGraph("a shared layer without a rule")
    x, y = towers.add_input([4], "x"), towers.add_input([4], "y")
    a = towers.add_layer_call("EinsumDense", einsum, [x], name="shared")
    b = towers.add_call("shared", [y])
    towers.set_outputs([towers.add_layer_call("Concatenate", {}, [a, b])])
    return {"broken": broken, "mixed": mixed, "others": others, "towers": towers}


@pytest.mark.parametrize("name", [*corpus.BUILDERS, "broken", "mixed", "others", "towers"])
def test_keras_with_the_rules_reports_what_keras_alone_reports(name, monkeypatch):
    """The shape check once TensorFlow is loaded takes each call's answer from the rules where
    they have one and asks Keras only for the rest: an edit that broke one call of
    NASNetMobile had Keras make all 770 layers (130 ms), now the broken one (22-29 ms).
    The report is the one Keras alone gives, and Keras makes only the layers the rules
    leave to it."""
    from tflab import shapes
    from tflab.shape_rules import rule_call
    from tflab.shapes import ShapeInference

    graph = corpus.graph(name) if name in corpus.BUILDERS else _broken_and_mixed()[name]
    made = []
    make = shapes.make_layer
    monkeypatch.setattr(shapes, "make_layer", lambda layer, **k: (made.append(layer.name), make(layer, **k))[1])
    both = ShapeInference().infer(graph, rule_call)
    by_keras = set(made)
    made.clear()
    same_report(both, ShapeInference().infer(graph))
    if quick_report(graph) is not None:
        assert by_keras == set(), "Keras made layers the rules know"
    if name == "mixed":
        assert by_keras == {n for n, layer in graph.layers.items() if layer.class_name in ("AutoContrast", "EinsumDense")}
    if name == "broken":
        assert not both.ok and len(by_keras) == 1


#: Layers outside the classroom set that have rules, with settings and input shapes to try.
MORE_LAYERS = [
    ("PReLU", {}, [5]), ("PReLU", {}, [4, 4, 3]), ("PReLU", {"shared_axes": [1, 2]}, [4, 4, 3]),
    ("PReLU", {"shared_axes": 2}, [6, 3]),
    ("GroupNormalization", {"groups": 2}, [4, 4, 6]), ("GroupNormalization", {"groups": -1}, [7, 5]),
    ("GroupNormalization", {"groups": 3, "axis": 1, "center": False}, [6, 4]),
    ("GroupNormalization", {"groups": 32}, [8, 64]),
    ("RMSNormalization", {}, [4, 6]), ("RMSNormalization", {"axis": [1, 2]}, [3, 4, 5]),
    ("UnitNormalization", {}, [4, 6]), ("UnitNormalization", {"axis": [1, -1]}, [3, 4, 5]),
    ("Masking", {"mask_value": -1.0}, [7, 3]), ("Masking", {}, [4]),
    ("GaussianNoise", {"stddev": 0.1}, [8, 8, 3]), ("GaussianDropout", {"rate": 0.2, "seed": 3}, [10]),
    ("AlphaDropout", {"rate": 0.0}, [6]), ("ActivityRegularization", {"l1": 0.01, "l2": 2}, [5]),
    ("SpatialDropout1D", {"rate": 0.3}, [7, 4]), ("SpatialDropout2D", {"rate": 0.3}, [6, 6, 2]),
    ("SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, [2, 6, 6]),
    ("SpatialDropout3D", {"rate": 0.1}, [4, 4, 4, 2]),
    ("MaxPool2D", {"pool_size": 3, "strides": 1}, [8, 8, 3]), ("AvgPool1D", {"pool_size": 2}, [9, 2]),
    ("GlobalAvgPool2D", {"keepdims": True}, [5, 5, 4]), ("GlobalMaxPool1D", {}, [6, 3]),
    ("Convolution2D", {"filters": 4, "kernel_size": 3}, [8, 8, 3]),
    ("Convolution1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2}, [5, 3]),
    ("SeparableConvolution2D", {"filters": 5, "kernel_size": 3, "depth_multiplier": 2}, [8, 8, 3]),
    ("RandomFlip", {"mode": "horizontal"}, [8, 8, 3]), ("RandomRotation", {"factor": 0.1}, [8, 8, 3]),
    ("RandomRotation", {"factor": [-0.2, 0.3], "fill_mode": "constant", "fill_value": 1}, [8, 8, 3]),
    ("RandomZoom", {"height_factor": 0.2, "width_factor": [-0.1, 0.1]}, [8, 8, 3]),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.2, "interpolation": "nearest"}, [8, 8, 3]),
    ("RandomContrast", {"factor": 0.5}, [8, 8, 3]), ("RandomBrightness", {"factor": [-0.2, 0.2]}, [8, 8, 1]),
    ("Resizing", {"height": 4, "width": 6}, [8, 8, 3]),
    ("Resizing", {"height": 5, "width": 5, "crop_to_aspect_ratio": True, "data_format": "channels_first"}, [3, 8, 6]),
    ("CenterCrop", {"height": 4, "width": 2}, [8, 8, 3]), ("RandomCrop", {"height": 6, "width": 6, "seed": 1}, [8, 8, 3]),
]


@pytest.mark.parametrize(("class_name", "config", "shape"), MORE_LAYERS)
def test_more_layers_have_keras_own_shapes_without_keras(class_name, config, shape):
    """PReLU, group and RMS normalization, masking, the noise and spatial dropout layers and
    Keras's other names for the pooling and convolution layers: ``summary`` of a model with
    them no longer imports TensorFlow."""
    graph = ModelGraph.sequential(shape, [(class_name, config), ("Flatten", {}), ("Dense", {"units": 2})])
    assert same_as_keras(graph)


def test_a_frozen_layer_counts_its_weights_as_non_trainable():
    """``trainable=False``: the same parameters, none of them trainable, as Keras counts them."""
    graph = ModelGraph.sequential([6, 6, 3], [("Conv2D", {"filters": 4, "kernel_size": 3, "trainable": False}),
                                              ("BatchNormalization", {"trainable": False}), ("Flatten", {}),
                                              ("Dense", {"units": 3})])
    assert same_as_keras(graph)
    assert quick_report(graph).trainable_params == 4 * 4 * 4 * 3 + 3  # the Dense layer's alone


_values = st.one_of(st.none(), st.booleans(), st.integers(-3, 70), st.floats(-1.5, 2.5), st.just(float("nan")),
                    st.text(max_size=3), st.lists(st.integers(-4, 4), max_size=3))
_GENERATED = {
    "PReLU": ["shared_axes"], "GroupNormalization": ["groups", "axis", "epsilon", "center", "scale"],
    "RMSNormalization": ["axis", "epsilon"], "UnitNormalization": ["axis"], "Masking": ["mask_value"],
    "GaussianNoise": ["stddev", "seed"], "GaussianDropout": ["rate", "seed"], "AlphaDropout": ["rate", "noise_shape"],
    "ActivityRegularization": ["l1", "l2"], "SpatialDropout1D": ["rate"], "SpatialDropout2D": ["rate", "data_format"],
    "RandomFlip": ["mode", "seed"], "RandomRotation": ["factor", "fill_mode", "fill_value", "interpolation"],
    "RandomZoom": ["height_factor", "width_factor", "fill_mode"], "RandomContrast": ["factor", "value_range"],
    "RandomTranslation": ["height_factor", "width_factor"], "RandomBrightness": ["factor", "seed"],
    "Resizing": ["height", "width", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "interpolation", "data_format"],
    "CenterCrop": ["height", "width"], "RandomCrop": ["height", "width", "seed"],
}

#: Settings without a default: always given.
_REQUIRED = {"rate", "stddev", "factor", "height_factor", "width_factor", "height", "width"}
#: Values a layer takes, drawn as often as any other (mostly refused) values.
_LIKELY = {"rate": [0.0, 0.25, 1], "stddev": [0.1, 1], "seed": [None, 7], "groups": [-1, 1, 2, 4],
           "axis": [-1, 1, 2, [1, 2]], "epsilon": [1e-3], "center": [True, False], "scale": [True, False],
           "data_format": ["channels_first", "channels_last"], "shared_axes": [1, [1, 2]], "l1": [0.5],
           "l2": [0, 2], "mask_value": [0, -1.5], "mode": ["horizontal", "vertical", "horizontal_and_vertical"],
           "factor": [0.1, 0.9, [-0.5, 0.5], [0.2, 0.1]], "height_factor": [0.3, [-0.2, 0.4]],
           "width_factor": [None, 0.1, [0, 0.5]], "fill_mode": ["constant", "nearest", "wrap"],
           "fill_value": [0.5], "interpolation": ["nearest", "bilinear", "bicubic"], "height": [1, 3, 8],
           "width": [2, 5], "crop_to_aspect_ratio": [True, False], "pad_to_aspect_ratio": [True, False],
           "value_range": [[0, 1], [0, 255]]}


@settings(max_examples=250, deadline=None)
@given(data=st.data(), class_name=st.sampled_from(sorted(_GENERATED)),
       shape=st.lists(st.sampled_from([1, 2, 3, 4, 6, 8, None]), min_size=1, max_size=4))
def test_generated_settings_of_more_layers_are_keras_own_or_left_to_keras(data, class_name, shape):
    """Any value a file may hold for the settings these rules read: the report without Keras
    is Keras's own, or there is none and Keras decides (never a shape where Keras refuses)."""
    config = {key: data.draw(st.sampled_from(_LIKELY.get(key, [None])) if data.draw(st.integers(0, 3))
                             else _values, label=key)  # mostly likely values: else Keras decides each time
              for key in _GENERATED[class_name] if key in _REQUIRED or data.draw(st.booleans())}
    graph = ModelGraph.sequential(shape, [(class_name, config)])
    if quick_report(graph) is not None:
        assert same_as_keras(graph)


def _merged(class_name: str, config: dict, *shapes) -> ModelGraph:
    graph = ModelGraph("merged")
    inputs = [graph.add_input(shape, name) for shape, name in zip(shapes, ("query", "value", "key"))]
    graph.set_outputs([graph.add_layer_call(class_name, config, inputs)])
    return graph


@pytest.mark.parametrize(("class_name", "config", "shapes"), [
    ("Dot", {"axes": 1}, [[5], [5]]), ("Dot", {"axes": -1}, [[3, 4], [6, 4]]),
    ("Dot", {"axes": [1, 2], "normalize": True}, [[3, 4], [5, 3]]), ("Dot", {"axes": 2}, [[3, 4, 5], [3, 4, 5]]),
    ("Attention", {}, [[4, 8], [6, 8]]), ("Attention", {"use_scale": True, "score_mode": "concat"}, [[4, 8], [6, 3], [6, 8]]),
    ("AdditiveAttention", {}, [[4, 8], [6, 8]]), ("AdditiveAttention", {"use_scale": False}, [[4, 8], [6, 5], [6, 8]]),
])
def test_dot_and_attention_have_keras_own_shapes_without_keras(class_name, config, shapes):
    """keras.io's sequence-to-sequence examples join two sequences with Dot or Attention."""
    assert same_as_keras(_merged(class_name, config, *shapes))


@settings(max_examples=80, deadline=None)
@given(class_name=st.sampled_from(["Dot", "Attention", "AdditiveAttention"]),
       shapes=st.lists(st.lists(st.sampled_from([1, 2, 3, None]), min_size=1, max_size=3), min_size=2, max_size=3),
       axes=st.one_of(st.integers(-3, 3), st.lists(st.integers(-3, 3), min_size=2, max_size=2)),
       flags=st.sampled_from([{}, {"use_scale": True}, {"score_mode": "concat"}, {"normalize": True}]))
def test_generated_dot_and_attention_are_keras_own_or_left_to_keras(class_name, shapes, axes, flags):
    if class_name == "Dot":
        config = {"axes": axes, **({"normalize": True} if "normalize" in flags else {})}
        shapes = shapes[:2]
    else:
        config = {key: value for key, value in flags.items() if key != "normalize"
                  and (class_name == "Attention" or key != "score_mode")}
    graph = _merged(class_name, config, *shapes)
    if quick_report(graph) is not None:
        assert same_as_keras(graph)
