"""Initializers: specs match Keras, values are checked, code evaluates back to the same
initializer, and samples are exactly what Keras draws."""

from __future__ import annotations

import inspect
import os

import numpy as np
import pytest

from tflab.catalog import initializers as init
from tflab.messages import TflabError

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

NAMES = [
    "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal", "Identity",
    "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal",
    "Orthogonal", "VarianceScaling",
]

#: For each initializer, arguments that differ from the defaults where it has any.
NON_DEFAULT_ARGS = {
    "Zeros": {},
    "Ones": {},
    "Constant": {"value": 0.25},
    "RandomNormal": {"mean": 1.0, "stddev": 0.5, "seed": 7},
    "RandomUniform": {"minval": -2.0, "maxval": 3.0, "seed": 7},
    "TruncatedNormal": {"mean": -1.0, "stddev": 0.2, "seed": 7},
    "Identity": {"gain": 2.5},
    "GlorotUniform": {"seed": 7},
    "GlorotNormal": {"seed": 7},
    "HeUniform": {"seed": 7},
    "HeNormal": {"seed": 7},
    "LecunUniform": {"seed": 7},
    "LecunNormal": {"seed": 7},
    "Orthogonal": {"gain": 0.5, "seed": 7},
    "VarianceScaling": {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": 7},
}


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


@pytest.fixture(scope="module")
def tf():
    import tensorflow as tf

    return tf


def _error(call, *args, **kwargs) -> TflabError:
    with pytest.raises(TflabError) as info:
        call(*args, **kwargs)
    err = info.value
    assert err.en and err.zh and err.en != err.zh
    return err


# --------------------------------------------------------------------------- specs


def test_initializer_names():
    assert init.initializer_names() == NAMES
    assert set(NON_DEFAULT_ARGS) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_spec_defaults_match_keras(keras, name):
    spec = init.initializer_spec(name)
    assert spec.desc_en and spec.desc_zh and spec.desc_en != spec.desc_zh
    params = inspect.signature(getattr(keras.initializers, name).__init__).parameters
    keras_args = {n for n, p in params.items() if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    assert {p.name for p in spec.params} == keras_args
    for param in spec.params:
        assert param.default == params[param.name].default, f"{name}.{param.name}"
        assert param.desc_en and param.desc_zh


@pytest.mark.parametrize("name", NAMES)
def test_every_alias_means_the_same_class_in_keras(keras, name):
    spec = init.initializer_spec(name)
    assert spec.alias in spec.aliases or (name == "Constant" and spec.alias is None)
    for alias in (*spec.aliases, name):
        assert init.initializer_spec(alias) is spec
        assert isinstance(init.to_keras(alias), getattr(keras.initializers, name))
    if spec.alias:
        assert isinstance(keras.initializers.get(spec.alias), getattr(keras.initializers, name))


def test_constant_alias_becomes_an_object_value_because_keras_cannot_read_it(keras):
    with pytest.raises(KeyError):  # Keras 3.15: Constant.from_config needs "value"
        keras.initializers.get("constant")
    value = init.normalize_initializer("constant")
    assert value == {"class_name": "Constant", "module": "initializers", "config": {}}
    assert init.initializer_code("constant") == "tf.keras.initializers.Constant()"


def test_keras_aliases_are_all_known(keras):
    from keras.src.initializers import ALL_OBJECTS_DICT

    keras_aliases = {n for n in ALL_OBJECTS_DICT if n.islower() and n not in ("initializer", "stft")}
    ours = {alias for name in NAMES for alias in init.initializer_spec(name).aliases}
    assert ours == keras_aliases


# --------------------------------------------------------------------------- normalising


def test_normalize_strings_to_the_canonical_alias():
    assert init.normalize_initializer("glorot_uniform") == "glorot_uniform"
    assert init.normalize_initializer("GlorotUniform") == "glorot_uniform"
    assert init.normalize_initializer("zero") == "zeros"
    assert init.normalize_initializer("uniform") == "random_uniform"
    assert init.normalize_initializer("normal") == "random_normal"


def test_normalize_object_values():
    value = {"class_name": "RandomNormal", "module": "keras.initializers",
             "config": {"seed": 1, "stddev": 1}, "registered_name": None}
    assert init.normalize_initializer(value) == {
        "class_name": "RandomNormal", "module": "initializers", "config": {"stddev": 1.0, "seed": 1},
    }
    assert init.normalize_initializer({"class_name": "Zeros", "module": "initializers"}) == {
        "class_name": "Zeros", "module": "initializers", "config": {},
    }


@pytest.mark.parametrize("bad", [
    "glorot", 3, None, ["zeros"],
    {"class_name": "RandomNormal", "module": "regularizers", "config": {}},
    {"class_name": "Nope", "module": "initializers", "config": {}},
    {"class_name": "RandomNormal", "module": "initializers", "config": [1]},
])
def test_normalize_rejects_non_initializers(bad):
    _error(init.normalize_initializer, bad)


def test_make_initializer_keeps_only_given_arguments_in_keras_order():
    value = init.make_initializer("random_normal", seed=1, mean=0.0)
    assert value == {"class_name": "RandomNormal", "module": "initializers", "config": {"mean": 0.0, "seed": 1}}
    assert list(value["config"]) == ["mean", "seed"]


# --------------------------------------------------------------------------- validation errors


@pytest.mark.parametrize("name, args, fragment", [
    ("RandomNormal", {"stddev": 0}, "stddev"),
    ("RandomNormal", {"stddev": -0.1}, "stddev"),
    ("TruncatedNormal", {"stddev": 0.0}, "stddev"),
    ("RandomNormal", {"mean": "0"}, "mean"),
    ("RandomUniform", {"minval": 1.0, "maxval": 1.0}, "minval"),
    ("RandomUniform", {"minval": 0.1}, "0.05"),
    ("RandomUniform", {"maxval": -0.1}, "-0.05"),
    ("Identity", {"gain": 0}, "gain"),
    ("Orthogonal", {"gain": -1.0}, "gain"),
    ("VarianceScaling", {"scale": 0}, "scale"),
    ("VarianceScaling", {"mode": "fan"}, "mode"),
    ("VarianceScaling", {"distribution": "normal"}, "distribution"),
    ("GlorotUniform", {"seed": 1.5}, "seed"),
    ("HeNormal", {"seed": "1"}, "seed"),
    ("HeNormal", {"seed": -1}, "seed"),
    ("HeNormal", {"seed": True}, "seed"),
    ("GlorotUniform", {"input_axes": [0]}, "output_axes"),
    ("Constant", {"value": [1, 2]}, "value"),
    ("Zeros", {"value": 1}, "'value'"),
    ("RandomNormal", {"std": 0.1}, "'std'"),
])
def test_make_initializer_rejects_bad_arguments(name, args, fragment):
    err = _error(init.make_initializer, name, **args)
    assert fragment in err.en and fragment in err.zh
    assert init.initializer_spec(name).class_name in err.en


def test_validation_messages_are_specific():
    err = _error(init.make_initializer, "RandomNormal", stddev=0)
    assert err.en == "RandomNormal: stddev must be a number greater than 0 (got 0)."
    assert err.zh == "RandomNormal：stddev 必须是大于 0 的数（收到的是 0）。"
    err = _error(init.make_initializer, "RandomUniform", minval=0.5, maxval=0.1)
    assert err.en == "RandomUniform: minval (0.5) must be less than maxval (0.1)."
    err = _error(init.make_initializer, "GlorotUniform", seed=2.5)
    assert "whole number" in err.en and "None" in err.en and "整数" in err.zh


def test_seed_may_be_none_or_whole():
    assert init.make_initializer("HeNormal", seed=None)["config"] == {"seed": None}
    assert init.make_initializer("HeNormal", seed=3.0)["config"] == {"seed": 3}


def test_unknown_name():
    err = _error(init.initializer_spec, "xavier")
    assert "GlorotUniform" in err.hint_en


# --------------------------------------------------------------------------- sampling


@pytest.mark.parametrize("name", NAMES)
def test_sample_equals_keras_directly(keras, name):
    args = NON_DEFAULT_ARGS[name]
    value = init.make_initializer(name, **args)
    direct = getattr(keras.initializers, name)(**args)((4, 5), dtype="float32")
    ours = init.sample(value, (4, 5))
    assert ours.shape == (4, 5) and ours.dtype == np.float32
    np.testing.assert_array_equal(ours, keras.ops.convert_to_numpy(direct))


@pytest.mark.parametrize("alias", ["zeros", "ones", "identity", "glorot_uniform"])
def test_sample_from_an_alias_string_has_the_keras_statistics(alias, keras):
    values = init.sample(alias, [6, 6])
    assert values.shape == (6, 6)
    if alias == "zeros":
        np.testing.assert_array_equal(values, np.zeros((6, 6)))
    elif alias == "ones":
        np.testing.assert_array_equal(values, np.ones((6, 6)))
    elif alias == "identity":
        np.testing.assert_array_equal(values, np.eye(6))
    else:
        limit = np.sqrt(6 / (6 + 6))
        assert np.all(np.abs(values) <= limit) and values.std() > 0


def test_same_seed_same_values_other_seed_other_values():
    first = init.sample(init.make_initializer("RandomNormal", seed=11), (8, 8))
    again = init.sample(init.make_initializer("RandomNormal", seed=11), (8, 8))
    other = init.sample(init.make_initializer("RandomNormal", seed=12), (8, 8))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_sample_respects_arguments():
    values = init.sample(init.make_initializer("RandomUniform", minval=2.0, maxval=3.0, seed=1), (50, 50))
    assert values.min() >= 2.0 and values.max() < 3.0
    values = init.sample(init.make_initializer("Constant", value=-1.5), (3,))
    np.testing.assert_array_equal(values, np.full((3,), -1.5))


def test_fan_axes_reach_keras(keras):
    args = {"seed": 3, "input_axes": [0], "output_axes": [1]}
    value = init.make_initializer("GlorotUniform", seed=3, input_axes=0, output_axes=1)
    assert value["config"] == args
    direct = keras.initializers.GlorotUniform(**args)((3, 4, 5), dtype="float32")
    np.testing.assert_array_equal(init.sample(value, (3, 4, 5)), keras.ops.convert_to_numpy(direct))


@pytest.mark.parametrize("shape", [(3,), (2, 2, 2), ()])
def test_identity_only_makes_2d_matrices(shape):
    err = _error(init.sample, "identity", shape)
    assert "2-D" in err.en and "二维" in err.zh


def test_orthogonal_needs_two_dimensions():
    err = _error(init.sample, init.make_initializer("Orthogonal", seed=1), (5,))
    assert "Orthogonal" in err.en and "二维" in err.zh


@pytest.mark.parametrize("shape", [(0, 3), (-1,), ("3",), 3, (2.0, 2), (True,)])
def test_sample_rejects_bad_shapes(shape):
    _error(init.sample, "zeros", shape)


def test_sample_refuses_huge_shapes():
    err = _error(init.sample, "zeros", (100_000, 100_000))
    assert "10,000,000" in err.en


# --------------------------------------------------------------------------- code and Keras objects


def test_code_for_a_string_is_a_string_literal():
    assert init.initializer_code("glorot_uniform") == '"glorot_uniform"'
    assert init.initializer_code("HeNormal") == '"he_normal"'


def test_code_for_an_object_value():
    value = init.make_initializer("RandomNormal", mean=0.0, stddev=0.05, seed=1)
    assert init.initializer_code(value) == "tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=1)"
    assert init.initializer_code(init.make_initializer("Zeros")) == "tf.keras.initializers.Zeros()"
    code = init.initializer_code(init.make_initializer("VarianceScaling", mode="fan_out"))
    assert code == 'tf.keras.initializers.VarianceScaling(mode="fan_out")'


@pytest.mark.parametrize("name", NAMES)
def test_generated_code_evaluates_to_the_same_initializer(tf, keras, name):
    value = init.make_initializer(name, **NON_DEFAULT_ARGS[name])
    built = eval(init.initializer_code(value), {"tf": tf})
    expected = getattr(keras.initializers, name)(**NON_DEFAULT_ARGS[name])
    assert type(built) is type(expected)
    assert built.get_config() == expected.get_config() == init.to_keras(value).get_config()
    for key, arg in NON_DEFAULT_ARGS[name].items():  # Identity's get_config omits gain
        assert getattr(built, key) == arg
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(built((4, 5), dtype="float32")), init.sample(value, (4, 5))
    )


@pytest.mark.parametrize("alias", ["glorot_uniform", "uniform", "orthogonal", "zero", "VarianceScaling"])
def test_code_for_an_alias_evaluates_to_what_keras_makes_of_it(tf, keras, alias):
    literal = eval(init.initializer_code(alias))
    assert type(keras.initializers.get(literal)) is type(init.to_keras(alias))


def test_to_keras(keras):
    assert isinstance(init.to_keras("he_normal"), keras.initializers.HeNormal)
    obj = init.to_keras(init.make_initializer("Constant", value=2.0))
    assert isinstance(obj, keras.initializers.Constant) and obj.get_config() == {"value": 2.0}
