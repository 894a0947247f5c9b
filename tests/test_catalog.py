"""The layer catalog: curated specs match Keras, values are checked and normalised,
other Keras layers get entries built from Keras itself."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tflab import allowlist, catalog
from tflab.catalog import ParamSpec, get_entry, validate_config
from tflab.messages import TflabError

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent

CURATED_NAMES = [
    "Input", "Dense", "Flatten", "Conv1D", "Conv2D", "Conv2DTranspose", "MaxPooling1D",
    "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Dropout",
    "BatchNormalization", "LayerNormalization", "Activation", "LeakyReLU", "ReLU", "Softmax",
    "Reshape", "Permute", "RepeatVector", "Embedding", "SimpleRNN", "LSTM", "GRU",
    "Bidirectional", "TimeDistributed", "Concatenate", "Add", "Subtract", "Multiply",
    "Average", "Maximum", "Rescaling", "UpSampling2D", "ZeroPadding2D", "Cropping2D",
    "MultiHeadAttention",
]

#: Keras arguments deliberately left out of the curated specs (not JSON data, or
#: only meaningful together with arguments the app does not offer).
NOT_OFFERED = {
    "Input": {"sparse", "ragged", "batch_shape", "tensor", "optional"},
    "Dense": {"quantization_config"},
    "Embedding": {"weights", "quantization_config"},
    "Bidirectional": {"weights"},
}

#: Input shapes (without batch) and dtype used to call each curated layer once.
SAMPLE_INPUTS: dict[str, tuple[list[tuple], str]] = {
    "Dense": ([(4,)], "float32"),
    "Flatten": ([(4, 4)], "float32"),
    "Conv1D": ([(10, 3)], "float32"),
    "Conv2D": ([(8, 8, 3)], "float32"),
    "Conv2DTranspose": ([(8, 8, 3)], "float32"),
    "MaxPooling1D": ([(10, 3)], "float32"),
    "MaxPooling2D": ([(8, 8, 3)], "float32"),
    "AveragePooling1D": ([(10, 3)], "float32"),
    "AveragePooling2D": ([(8, 8, 3)], "float32"),
    "GlobalAveragePooling1D": ([(10, 3)], "float32"),
    "GlobalAveragePooling2D": ([(8, 8, 3)], "float32"),
    "GlobalMaxPooling1D": ([(10, 3)], "float32"),
    "GlobalMaxPooling2D": ([(8, 8, 3)], "float32"),
    "Dropout": ([(4,)], "float32"),
    "BatchNormalization": ([(4,)], "float32"),
    "LayerNormalization": ([(4,)], "float32"),
    "Activation": ([(4,)], "float32"),
    "LeakyReLU": ([(4,)], "float32"),
    "ReLU": ([(4,)], "float32"),
    "Softmax": ([(4,)], "float32"),
    "Reshape": ([(2, 3)], "float32"),
    "Permute": ([(2, 3)], "float32"),
    "RepeatVector": ([(4,)], "float32"),
    "Embedding": ([(5,)], "int32"),
    "SimpleRNN": ([(5, 3)], "float32"),
    "LSTM": ([(5, 3)], "float32"),
    "GRU": ([(5, 3)], "float32"),
    "Bidirectional": ([(5, 3)], "float32"),
    "TimeDistributed": ([(5, 3)], "float32"),
    "Concatenate": ([(4,), (4,)], "float32"),
    "Add": ([(4,), (4,)], "float32"),
    "Subtract": ([(4,), (4,)], "float32"),
    "Multiply": ([(4,), (4,)], "float32"),
    "Average": ([(4,), (4,)], "float32"),
    "Maximum": ([(4,), (4,)], "float32"),
    "Rescaling": ([(4,)], "float32"),
    "UpSampling2D": ([(4, 4, 3)], "float32"),
    "ZeroPadding2D": ([(4, 4, 3)], "float32"),
    "Cropping2D": ([(4, 4, 3)], "float32"),
    "MultiHeadAttention": ([(5, 8), (5, 8)], "float32"),
}


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def _keras_kwargs(keras, config: dict) -> dict:
    """Turn object values of a sparse config into Keras objects (test helper)."""
    from tflab.catalog.initializers import to_keras

    def convert(value):
        if not catalog.is_object_value(value):
            return value
        module, cls_config = value["module"], value["config"]
        if module == "initializers":
            return to_keras(value)
        if module == "layers":
            return getattr(keras.layers, value["class_name"])(**_keras_kwargs(keras, cls_config))
        return getattr(getattr(keras, module), value["class_name"])(**cls_config)

    return {key: convert(value) for key, value in config.items()}


def _signature_defaults(keras, class_name: str) -> dict[str, inspect.Parameter]:
    if class_name == "Input":
        return dict(inspect.signature(keras.layers.Input).parameters)
    params = dict(inspect.signature(getattr(keras.layers, class_name).__init__).parameters)
    base = inspect.signature(keras.layers.Layer.__init__).parameters
    for name in ("name", "trainable", "dtype"):
        params.setdefault(name, base[name])
    return params


# --------------------------------------------------------------------------- import cost


def test_importing_catalog_and_initializers_does_not_import_tensorflow():
    code = (
        "import sys\n"
        "import tflab.catalog as c, tflab.catalog.initializers as i\n"
        "c.curated_entries(); c.get_entry('Dense'); c.is_known_layer('Conv2D')\n"
        "c.validate_config('Dense', {'units': 8, 'activation': 'relu',"
        " 'kernel_initializer': i.make_initializer('HeNormal', seed=1)})\n"
        "i.initializer_code('he_normal')\n"
        "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- curated entries


def test_curated_entries_list_the_classroom_layers_in_order():
    assert [entry.class_name for entry in catalog.curated_entries()] == CURATED_NAMES


@pytest.mark.parametrize("entry", catalog.curated_entries(), ids=lambda e: e.class_name)
def test_curated_entry_is_complete(entry):
    assert entry.curated
    assert entry.category in catalog.CATEGORIES
    assert entry.desc_en and entry.desc_zh and entry.desc_en != entry.desc_zh
    names = [spec.name for spec in entry.params]
    assert len(names) == len(set(names))
    assert len(entry.key_params) <= 3 and set(entry.key_params) <= set(names)
    for spec in entry.params:
        assert spec.desc_en and spec.desc_zh and spec.desc_en != spec.desc_zh, spec.name
    assert validate_config(entry.class_name, entry.initial_config) == entry.initial_config


@pytest.mark.parametrize("class_name", CURATED_NAMES, ids=str)
def test_curated_defaults_match_keras_signature(keras, class_name):
    entry = get_entry(class_name)
    params = _signature_defaults(keras, class_name)
    for spec in entry.params:
        assert spec.name in params, f"{class_name} has no argument {spec.name}"
        keras_default = params[spec.name].default
        if keras_default is inspect.Parameter.empty:
            assert spec.required, f"{class_name}.{spec.name} is required in Keras"
        else:
            assert spec.default == catalog.to_json(keras_default), f"{class_name}.{spec.name}"
            assert type(spec.default) is type(catalog.to_json(keras_default)), f"{class_name}.{spec.name}"


@pytest.mark.parametrize("class_name", CURATED_NAMES, ids=str)
def test_curated_specs_cover_every_keras_argument(keras, class_name):
    own = _signature_defaults(keras, class_name)
    offered = {spec.name for spec in get_entry(class_name).params}
    expected = {
        name for name, p in own.items()
        if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    } - NOT_OFFERED.get(class_name, set())
    assert expected == offered


@pytest.mark.parametrize("class_name", CURATED_NAMES[1:], ids=str)
def test_fresh_layer_builds_and_runs_in_keras(keras, class_name):
    entry = get_entry(class_name)
    shapes, dtype = SAMPLE_INPUTS[class_name]
    assert entry.min_inputs <= len(shapes) <= (entry.max_inputs or len(shapes))
    inputs = [keras.Input(shape=shape, dtype=dtype) for shape in shapes]
    layer = getattr(keras.layers, class_name)(**_keras_kwargs(keras, entry.fresh_config()))
    if entry.input_mode == "single":
        output = layer(inputs[0])
    elif entry.input_mode == "list":
        output = layer(inputs)
    else:
        output = layer(*inputs)
    assert output.shape[0] is None


def test_sample_inputs_cover_every_curated_layer():
    assert set(SAMPLE_INPUTS) == set(CURATED_NAMES) - {"Input"}


def test_input_entry_builds_a_keras_input(keras):
    entry = get_entry("Input")
    assert (entry.min_inputs, entry.max_inputs) == (0, 0)
    assert {spec.name for spec in entry.params} == {"shape", "dtype", "name", "batch_size"}
    config = validate_config("Input", {"shape": (None, 3), "dtype": "int32", "batch_size": 2})
    tensor = keras.Input(**config)
    assert tuple(tensor.shape) == (2, None, 3) and tensor.dtype == "int32"


def test_fresh_config_is_a_copy():
    entry = get_entry("Bidirectional")
    fresh = entry.fresh_config()
    fresh["layer"]["config"]["units"] = 99
    assert entry.initial_config["layer"]["config"]["units"] == 32


def test_merge_and_attention_input_modes():
    assert get_entry("Add").input_mode == "list"
    assert (get_entry("Subtract").min_inputs, get_entry("Subtract").max_inputs) == (2, 2)
    assert get_entry("Concatenate").max_inputs is None
    mha = get_entry("MultiHeadAttention")
    assert (mha.input_mode, mha.min_inputs, mha.max_inputs) == ("positional", 2, 3)
    assert get_entry("Dense").input_mode == "single"


def test_category_label_in_both_languages():
    assert catalog.category_label("convolution", "en") == "Convolution"
    assert catalog.category_label("convolution", "zh") == "卷积"
    for category in catalog.CATEGORIES:
        assert catalog.category_label(category, "en") != catalog.category_label(category, "zh")
    with pytest.raises(TflabError):
        catalog.category_label("nonsense")


def test_activation_names_are_exactly_keras_activations(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    keras_names = {name for name in ALL_OBJECTS_DICT if name.islower()}
    assert set(catalog.ACTIVATIONS) == keras_names


def test_regularizer_and_constraint_defaults_match_keras(keras):
    for module, classes in catalog.OBJECT_PARAMS.items():
        for class_name, specs in classes.items():
            cls = getattr(getattr(keras, module), class_name)
            params = inspect.signature(cls.__init__).parameters
            for spec in specs:
                assert params[spec.name].default == spec.default, f"{class_name}.{spec.name}"
    for name in catalog.REGULARIZER_NAMES:
        assert keras.regularizers.get(name) is not None
    for name in catalog.CONSTRAINT_NAMES:
        assert keras.constraints.get(name) is not None


# --------------------------------------------------------------------------- ParamSpec.validate


def _error(spec: ParamSpec, value) -> TflabError:
    with pytest.raises(TflabError) as info:
        spec.validate(value)
    assert spec.name in info.value.en and spec.name in info.value.zh
    return info.value


UNITS = ParamSpec("units", "int", None, required=True, minimum=1)


def test_int_rejects_text_bools_fractions_and_out_of_range():
    assert UNITS.validate(3) == 3
    assert UNITS.validate(3.0) == 3 and isinstance(UNITS.validate(3.0), int)
    err = _error(UNITS, "3")
    assert err.en == "units must be a whole number of at least 1 (got '3')."
    assert "不小于 1 的整数" in err.zh
    for bad in (True, 2.5, 0, -4, [3]):
        _error(UNITS, bad)
    _error(UNITS, None)


def test_float_bounds_inclusive_and_exclusive():
    rate = ParamSpec("rate", "float", None, minimum=0.0, maximum=1.0)
    assert rate.validate(1) == 1.0 and isinstance(rate.validate(1), float)
    assert rate.validate(0) == 0.0
    assert "between 0 and 1" in _error(rate, 1.5).en
    positive = ParamSpec("stddev", "float", 0.05, minimum=0.0, exclusive_minimum=True)
    assert "greater than 0" in _error(positive, 0.0).en
    assert "大于 0" in _error(positive, -1).zh
    below = ParamSpec("x", "float", 0.0, maximum=1.0, exclusive_maximum=True)
    assert "less than 1" in _error(below, 1.0).en
    for bad in ("0.5", float("nan"), float("inf"), False):
        _error(rate, bad)


def test_nullable_accepts_none_and_says_so():
    spec = ParamSpec("value_dim", "int", None, nullable=True, minimum=1)
    assert spec.validate(None) is None
    err = _error(spec, 0)
    assert "or None" in err.en and "None" in err.zh


def test_bool_str_and_choice():
    flag = ParamSpec("use_bias", "bool", True)
    assert flag.validate(False) is False
    _error(flag, 1)
    _error(flag, "true")
    text = ParamSpec("name", "str", None, nullable=True)
    assert text.validate("dense_1") == "dense_1"
    _error(text, 5)
    padding = ParamSpec("padding", "choice", "valid", choices=("valid", "same"))
    assert padding.validate("same") == "same"
    err = _error(padding, "samee")
    assert "'valid', 'same'" in err.en and err.hint_en == "Did you mean 'same'?"
    cudnn = ParamSpec("use_cudnn", "choice", "auto", choices=("auto", True, False))
    assert cudnn.validate(True) is True
    _error(cudnn, 1)


def test_shape_kind():
    shape = ParamSpec("shape", "shape", None, required=True, item_nullable=True)
    assert shape.validate((28, 28, 1)) == [28, 28, 1]
    assert shape.validate([None, 3]) == [None, 3]
    for bad in ([0, 3], [-1, 3], ["3"], 3, [2.5]):
        _error(shape, bad)
    target = ParamSpec("target_shape", "shape", None, required=True, minimum=-1)
    assert target.validate((-1, 4)) == [-1, 4]
    assert _error(target, [-1, -1]).hint_en == "Only one size can be -1."
    _error(target, [None, 4])
    _error(target, [0, 4])


def test_int_or_tuple_kind():
    kernel = catalog.get_entry("Conv2D").param("kernel_size")
    assert kernel.validate(3) == 3
    assert kernel.validate((3, 5)) == [3, 5]
    for bad in ((3, 3, 3), (0, 3), 0, "3", [], [[1, 1], [1, 1]]):
        _error(kernel, bad)
    padding = catalog.get_entry("ZeroPadding2D").param("padding")
    assert padding.validate(0) == 0
    assert padding.validate(((1, 2), (3, 4))) == [[1, 2], [3, 4]]
    assert padding.validate((1, 2)) == [1, 2]
    _error(padding, [[1, 2, 3], [1, 2]])
    _error(padding, -1)


def test_activation_kind_suggests_a_close_name():
    spec = catalog.get_entry("Dense").param("activation")
    assert spec.validate("softmax") == "softmax"
    err = _error(spec, "rleu")
    assert err.hint_en == "Did you mean 'relu'?" and "relu" in err.hint_zh
    _error(spec, 3)


def test_initializer_kind_normalises_aliases_and_checks_objects():
    spec = catalog.get_entry("Dense").param("kernel_initializer")
    assert spec.validate("GlorotNormal") == "glorot_normal"
    value = {"class_name": "RandomNormal", "module": "initializers", "config": {"stddev": 0.1}}
    assert spec.validate(value) == value
    _error(spec, {"class_name": "RandomNormal", "module": "initializers", "config": {"stddev": -1}})
    _error(spec, "glorot")


def test_regularizer_and_constraint_kinds():
    reg = catalog.get_entry("Dense").param("kernel_regularizer")
    assert reg.validate("l2") == "l2"
    l1l2 = {"class_name": "L1L2", "module": "regularizers", "config": {"l1": 0.01, "l2": 1}}
    assert reg.validate(l1l2)["config"] == {"l1": 0.01, "l2": 1.0}
    _error(reg, "l3")
    _error(reg, {"class_name": "L2", "module": "regularizers", "config": {"l2": -0.1}})
    err = _error(reg, {"class_name": "L2", "module": "regularizers", "config": {"l1": 0.1}})
    assert "'l1'" in err.en
    _error(reg, {"class_name": "MaxNorm", "module": "constraints", "config": {}})
    con = catalog.get_entry("Dense").param("kernel_constraint")
    assert con.validate("non_neg") == "non_neg"
    max_norm = {"class_name": "MaxNorm", "module": "constraints", "config": {"max_value": 3}}
    assert con.validate(max_norm)["config"] == {"max_value": 3.0}
    _error(con, {"class_name": "MaxNorm", "module": "constraints", "config": {"max_value": 0}})


def test_layer_dtype_axis_and_any_kinds():
    layer = catalog.get_entry("TimeDistributed").param("layer")
    dense = {"class_name": "Dense", "module": "layers", "config": {"units": 4.0}}
    assert layer.validate(dense)["config"] == {"units": 4}
    _error(layer, {"class_name": "Input", "module": "layers", "config": {"shape": [3]}})
    _error(layer, {"class_name": "Dense", "module": "initializers", "config": {}})
    _error(layer, "Dense")
    dtype = catalog.get_entry("Input").param("dtype")
    assert dtype.validate("int32") == "int32"
    _error(dtype, "int")
    axis = catalog.get_entry("LayerNormalization").param("axis")
    assert axis.validate(-1) == -1
    assert axis.validate((1, 2)) == [1, 2]
    for bad in ([], [1, 1], "1", 1.5):
        _error(axis, bad)
    anything = catalog.get_entry("BatchNormalization").param("renorm_clipping")
    assert anything.validate({"rmax": 3.0}) == {"rmax": 3.0}
    _error(anything, object())


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        ParamSpec("x", "integer")


# --------------------------------------------------------------------------- validate_config


def test_validate_config_normalises_in_catalog_order():
    config = validate_config("Conv2D", {"activation": "relu", "kernel_size": (3, 3), "filters": 16.0})
    assert config == {"filters": 16, "kernel_size": [3, 3], "activation": "relu"}
    assert list(config) == ["filters", "kernel_size", "activation"]
    json.dumps(config)


def test_validate_config_rejects_unknown_argument_naming_it_and_the_layer():
    with pytest.raises(TflabError) as info:
        validate_config("Dense", {"units": 3, "unit": 4})
    err = info.value
    assert "Dense" in err.en and "'unit'" in err.en
    assert "Dense" in err.zh and "'unit'" in err.zh
    assert err.hint_en == "Did you mean 'units'?"


def test_validate_config_requires_required_arguments():
    with pytest.raises(TflabError) as info:
        validate_config("Dense", {"activation": "relu"})
    assert "units" in info.value.en and "Dense" in info.value.zh


def test_validate_config_prefixes_bad_values_with_the_layer():
    with pytest.raises(TflabError) as info:
        validate_config("Dropout", {"rate": 2})
    assert info.value.en.startswith("Dropout: rate must be")
    assert info.value.zh.startswith("Dropout：rate 必须是")


def test_validate_config_checks_wrapped_layers():
    value = {"layer": {"class_name": "GRU", "module": "layers", "config": {"units": 8, "return_sequences": True}}}
    assert validate_config("Bidirectional", value) == value
    with pytest.raises(TflabError) as info:
        validate_config("Bidirectional", {"layer": {"class_name": "Dense", "module": "layers", "config": {"units": 3}}})
    assert "LSTM" in info.value.en
    with pytest.raises(TflabError) as info:
        validate_config("Bidirectional", {"layer": {"class_name": "LSTM", "module": "layers", "config": {"unitz": 3}}})
    assert "LSTM" in info.value.en and "'unitz'" in info.value.en


def test_permute_dims_must_be_a_permutation():
    assert validate_config("Permute", {"dims": (2, 1)}) == {"dims": [2, 1]}
    for bad in ([1, 1], [0, 1], [2, 3]):
        with pytest.raises(TflabError):
            validate_config("Permute", {"dims": bad})


def test_layer_names_cannot_contain_a_slash_or_be_blank():
    assert validate_config("Dense", {"units": 1, "name": "out"})["name"] == "out"
    for bad in ("a/b", " "):
        with pytest.raises(TflabError):
            validate_config("Dense", {"units": 1, "name": bad})


def test_validate_config_rejects_non_dict_and_unknown_layers():
    with pytest.raises(TflabError):
        validate_config("Dense", [("units", 3)])
    with pytest.raises(TflabError) as info:
        validate_config("Densse", {})
    assert info.value.hint_en == "Did you mean 'Dense'?"


# --------------------------------------------------------------------------- Keras lookups


def test_alias_of_a_curated_class_uses_the_curated_specs():
    entry = get_entry("MaxPool2D")
    assert entry.class_name == "MaxPool2D"
    assert entry.params == get_entry("MaxPooling2D").params
    assert entry.curated


def test_entry_built_from_keras_guesses_kinds(keras):
    entry = get_entry("SeparableConv2D")
    assert not entry.curated and entry.category == "convolution"
    kinds = {spec.name: spec for spec in entry.params}
    assert kinds["filters"].required and kinds["filters"].kind == "int"
    assert kinds["kernel_size"].kind == "int_or_tuple" and kinds["kernel_size"].required
    assert kinds["strides"].default == [1, 1]
    assert kinds["depthwise_initializer"].kind == "initializer"
    assert kinds["depthwise_regularizer"].kind == "regularizer"
    assert kinds["bias_constraint"].kind == "constraint"
    assert kinds["activation"].kind == "activation"
    assert kinds["use_bias"].kind == "bool"
    assert kinds["data_format"].kind == "choice"
    assert "name" in kinds and "trainable" in kinds
    first_line = inspect.getdoc(keras.layers.SeparableConv2D).splitlines()[0]
    assert entry.desc_en == first_line
    assert entry.key_params == ("filters", "kernel_size")
    layer = keras.layers.SeparableConv2D(**validate_config("SeparableConv2D", {"filters": 4, "kernel_size": (3, 3)}))
    assert layer.kernel_size == (3, 3)


def test_entry_categories_and_input_modes_from_keras():
    assert get_entry("RandomFlip").category == "preprocessing"
    assert get_entry("GaussianNoise").category == "regularization"
    dot = get_entry("Dot")
    assert (dot.category, dot.input_mode, dot.min_inputs, dot.max_inputs) == ("merge", "list", 2, 2)
    assert get_entry("Minimum").input_mode == "list"
    assert get_entry("GroupQueryAttention").input_mode == "positional"


@pytest.mark.parametrize("name", ["Layer", "InputLayer", "InputSpec", "Wrapper", "Nope", "dense", "", 3, None])
def test_unknown_or_abstract_names_are_rejected(name):
    assert not catalog.is_known_layer(name)
    with pytest.raises(TflabError):
        get_entry(name)


def test_all_layer_names(keras):
    names = catalog.all_layer_names()
    assert names[: len(CURATED_NAMES)] == CURATED_NAMES
    assert len(names) == len(set(names))
    assert {"SeparableConv2D", "Conv3D", "GRUCell", "StringLookup", "Dot"} <= set(names)
    assert not {"Layer", "InputLayer", "InputSpec", "Wrapper", "MaxPool2D", "Convolution2D"} & set(names)
    assert {"LayerScale", "StochasticDepth", "CustomScaleLayer"} <= set(names)  # keras.applications
    assert names[-13:] == [e.class_name for e in catalog.operation_entries()]  # tensor operations
    assert names[-13:-9] == ["ops.add", "ops.subtract", "ops.multiply", "ops.divide"]
    classes = [getattr(keras.layers, name) for name in names[1:]
               if name not in allowlist.APPLICATION_LAYERS | allowlist.OPERATION_LAYERS]
    assert len(classes) == len(set(classes))


def test_every_keras_entry_has_json_defaults_that_validate():
    for name in catalog.all_layer_names():
        entry = get_entry(name)
        assert entry.category in catalog.CATEGORIES
        json.dumps([spec.default for spec in entry.params])
        for spec in entry.params:
            if spec.required:
                continue
            checked = spec.validate(spec.default)
            assert spec.validate(checked) == checked, f"{name}.{spec.name}"
            if spec.kind != "initializer":  # initializer aliases become canonical ("uniform" -> "random_uniform")
                assert checked == spec.default, f"{name}.{spec.name}"


def test_is_known_layer():
    assert catalog.is_known_layer("Dense")
    assert catalog.is_known_layer("Conv3D")
    assert catalog.is_known_layer("MaxPool2D")
    assert not catalog.is_known_layer("Densse")


def _param(class_name: str, name: str) -> ParamSpec:
    return next(p for p in get_entry(class_name).params if p.name == name)


@pytest.mark.parametrize("strides", [1, 2, 3])
def test_what_the_padding_descriptions_say_is_what_keras_does(keras, strides):
    """The inspector's words on padding, checked against the shapes Keras gives (a size
    of 10 (1-D) or 5 (2-D), a window of 3)."""
    import math

    import numpy as np

    conv = _param("Conv1D", "padding")
    assert "kernel_size - 1" in conv.desc_en and "rounded up" in conv.desc_en and "'causal'" in conv.desc_en

    def length(padding):
        return keras.layers.Conv1D(1, 3, strides=strides, padding=padding)(np.zeros((1, 10, 1), "float32")).shape[1]

    assert length("valid") == math.ceil((10 - (3 - 1)) / strides)  # shrinks by kernel_size - 1, then strides
    assert length("same") == math.ceil(10 / strides)  # divided by strides, rounded up
    assert length("causal") == length("same")
    assert "(the same size for stride 1)" in _param("Conv2D", "padding").desc_en

    transpose = _param("Conv2DTranspose", "padding")
    assert "(input - 1) × strides + kernel_size" in transpose.desc_en and "input × strides" in transpose.desc_en
    assert "×" in transpose.desc_zh and "步长" in transpose.desc_zh

    def side(padding):
        layer = keras.layers.Conv2DTranspose(1, 3, strides=strides, padding=padding)
        return layer(np.zeros((1, 5, 5, 1), "float32")).shape[1]

    assert side("valid") == (5 - 1) * strides + 3
    assert side("same") == 5 * strides


def test_a_one_dimensional_window_is_not_described_as_a_square():
    assert "3×3" not in _param("Conv1D", "kernel_size").desc_en
    assert "3×3" not in _param("Conv1D", "kernel_size").desc_zh
    assert "3×3" in _param("Conv2D", "kernel_size").desc_en
