"""Flatten, stack / unstack and initializer labs: TensorFlow's own numbers, the code
shown reproduces them, and bad inputs are explained in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.labs._common import LabError
from tflab.labs.flatten import flatten_lab
from tflab.labs.initializers import initializer_lab
from tflab.labs.stack_unstack import OFFSET, stack_lab
from tflab.messages import TflabError


def run(code: str) -> dict:
    """Execute a lab's generated program; its variables."""
    namespace: dict = {}
    exec(compile(code, "<lab code>", "exec"), namespace)
    return namespace


# --------------------------------------------------------------------------- Flatten


@pytest.mark.parametrize("shape, batch", [((), 3), ((4,), 2), ((2, 3), 2), ((2, 3, 4), 1)])
def test_flatten_keeps_batch_and_order(shape, batch):
    result = flatten_lab(shape, batch)
    x = np.arange(batch * int(np.prod(shape))).reshape((batch, *shape))
    assert result.input_shape == x.shape
    assert result.values_in == x.tolist()
    assert result.output_shape == (batch, max(1, int(np.prod(shape))))
    assert result.values_out == x.reshape(batch, -1).tolist()
    assert run(result.code)["y"].numpy().tolist() == result.values_out


def test_flatten_channels_first_moves_channels_last_as_keras_does():
    import tensorflow as tf

    result = flatten_lab((2, 3, 4), 2, data_format="channels_first")
    x = tf.reshape(tf.range(48), (2, 2, 3, 4))
    keras_out = tf.keras.layers.Flatten(data_format="channels_first")(x).numpy()
    assert result.values_out == keras_out.tolist()
    assert result.values_out != flatten_lab((2, 3, 4), 2).values_out
    assert run(result.code)["y"].numpy().tolist() == result.values_out


@pytest.mark.parametrize("shape, batch", [((0, 3), 2), ((-1,), 2), ("3x4", 2), ((2.5,), 2), ((3,), 0),
                                          ((3,), True), ((1000, 1000), 1)])
def test_flatten_bad_input_is_explained(shape, batch):
    with pytest.raises(TflabError) as info:
        flatten_lab(shape, batch)
    assert info.value.en and info.value.zh != info.value.en


# --------------------------------------------------------------------------- stack / unstack


@pytest.mark.parametrize("shapes, axis", [([(3,), (3,)], 0), ([(3,), (3,)], 1), ([(2, 3)] * 3, -1),
                                          ([()] * 4, 0), ([(2, 3), (2, 3)], 1)])
def test_stack_and_unstack_match_tensorflow(shapes, axis):
    import tensorflow as tf

    result = stack_lab(shapes, axis)
    arrays = [np.arange(i * OFFSET, i * OFFSET + int(np.prod(s))).reshape(s) for i, s in enumerate(shapes)]
    expected = np.stack(arrays, axis=axis)
    assert result.stacked_shape == expected.shape
    assert result.stacked_values == expected.tolist()
    assert result.unstacked_shapes == [tuple(t.shape) for t in tf.unstack(tf.constant(expected), axis=axis)]
    assert all(s == tuple(shapes[0]) for s in result.unstacked_shapes)
    namespace = run(result.code)
    assert namespace["stacked"].numpy().tolist() == result.stacked_values
    assert [tuple(p.shape) for p in namespace["parts"]] == result.unstacked_shapes


def test_stack_of_different_shapes_gives_tensorflows_error_explained():
    import tensorflow as tf

    with pytest.raises(LabError) as info:
        stack_lab([(2, 3), (3, 2)], 0)
    assert "Shapes of all inputs must match" in info.value.en
    assert "(2, 3), (3, 2)" in info.value.zh and "tf.concat" in info.value.hint_en
    assert "function_node" not in info.value.en
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(info.value.code)


@pytest.mark.parametrize("axis", [3, -4, 10])
def test_stack_axis_out_of_range_is_explained(axis):
    with pytest.raises(LabError) as info:
        stack_lab([(2, 3), (2, 3)], axis)
    assert "-3 and 2" in info.value.en and "-3 到 2" in info.value.zh
    assert "not in range" in info.value.en  # TensorFlow's own words are kept
    with pytest.raises(ValueError):
        run(info.value.code)


@pytest.mark.parametrize("shapes, axis", [([], 0), ([(2,)] * 9, 0), ([(2,), "x"], 0), ([(2,)], 1.0)])
def test_stack_bad_requests_are_refused(shapes, axis):
    with pytest.raises(TflabError):
        stack_lab(shapes, axis)


# --------------------------------------------------------------------------- initializers


def test_seeded_initializer_gives_keras_values_histogram_and_code():
    import tensorflow as tf

    value = {"class_name": "RandomNormal", "module": "initializers",
             "config": {"mean": 1.0, "stddev": 0.5, "seed": 3}}
    result = initializer_lab(value, (40, 50), bins=10)
    keras_values = tf.keras.initializers.RandomNormal(mean=1.0, stddev=0.5, seed=3)(shape=(40, 50)).numpy()
    np.testing.assert_array_equal(result.values, keras_values)
    np.testing.assert_array_equal(initializer_lab(value, (40, 50)).values, result.values)
    counts, edges = np.histogram(keras_values, bins=10)
    assert result.counts == counts.tolist() and sum(result.counts) == 2000
    np.testing.assert_allclose(result.edges, edges)
    assert result.mean == pytest.approx(float(keras_values.mean()))
    assert result.std == pytest.approx(float(keras_values.std()))
    assert result.notes == ()
    np.testing.assert_array_equal(run(result.code)["values"].numpy(), result.values)


def test_string_initializer_code_and_unseeded_note():
    result = initializer_lab("ones", (2, 3))
    assert result.values.tolist() == [[1.0] * 3] * 2 and result.std == 0.0
    assert "tf.keras.initializers.get(\"ones\")" in result.code
    np.testing.assert_array_equal(run(result.code)["values"].numpy(), result.values)
    unseeded = initializer_lab("glorot_uniform", (4, 4))
    assert unseeded.notes and "seed" in unseeded.notes[0].en and "seed" in unseeded.notes[0].zh


def test_identity_on_a_non_matrix_explains_its_restriction():
    with pytest.raises(TflabError) as info:
        initializer_lab("identity", (3, 3, 3))
    assert "2-D" in info.value.en and "二维" in info.value.zh


def test_initializer_bins_are_checked():
    with pytest.raises(TflabError):
        initializer_lab("zeros", (2, 2), bins=0)
