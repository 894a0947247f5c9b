"""tf.data lab: the elements are TensorFlow's, the code shown builds the same pipeline,
and bad data or operations are explained in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.labs._common import LabError
from tflab.labs.tf_data import INFINITE, MAX_ELEMENTS, ArraySpec, from_tensor_slices_lab, make_data
from tflab.messages import TflabError


def built_dataset(code: str):
    """The ``ds`` the lab's program builds, not yet iterated.

    The program's printing loop is left out: a shuffled dataset gives a new order each
    time it is iterated, so the test must see its first iteration, as the lab did.
    """
    namespace: dict = {}
    building = code.split('\nprint("element_spec:"')[0]
    assert building != code
    exec(compile(building, "<lab code>", "exec"), namespace)
    return namespace["ds"]


def listed(ds, count: int) -> list:
    import tensorflow as tf

    return [tf.nest.map_structure(lambda t: t.numpy().tolist(), e) for e in ds.take(count)]


def test_single_array_slices_rows():
    result = from_tensor_slices_lab(ArraySpec((4, 2), start=5))
    assert result.values == np.arange(5, 13).reshape(4, 2).tolist()
    assert result.elements[0] == "[5, 6]"
    assert result.cardinality == 4
    assert "shape=(2,)" in result.element_spec and "int32" in result.element_spec


def test_tuple_pipeline_matches_tensorflow_and_code():
    import tensorflow as tf

    spec = (ArraySpec((6, 2)), ArraySpec((6,), start=10))
    ops = [("shuffle", 6, 1), ("map", "square"), ("batch", 4, False), ("repeat", 2)]
    result = from_tensor_slices_lab(spec, ops)
    features, labels = make_data(spec)
    ds = (tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(6, seed=1)
          .map(lambda a, b: (a * a, b * b)).batch(4).repeat(2))
    assert result.values == listed(ds, 100)
    assert result.cardinality == int(ds.cardinality()) == 4
    assert [len(v[1]) for v in result.values] == [4, 2, 4, 2]
    assert result.values == listed(built_dataset(result.code), 100)
    assert result.element_spec == str(ds.element_spec)
    # Each element keeps its pair: the label squared belongs to the row squared.
    for rows, squares in result.values:
        for row, square in zip(rows, squares):
            assert np.sqrt(square) - 10 == np.sqrt(row[0]) / 2


def test_drop_remainder_drops_the_short_batch():
    result = from_tensor_slices_lab(ArraySpec((5,)), [("batch", 2, True)])
    assert result.values == [[0, 1], [2, 3]] and result.cardinality == 2


def test_dict_with_normalize_and_endless_repeat():
    import tensorflow as tf

    spec = {"age": ArraySpec((3,)), "pixels": ArraySpec((3, 2), dtype="float32")}
    result = from_tensor_slices_lab(spec, [("map", "normalize"), ("repeat", None)])
    assert result.cardinality == INFINITE
    assert len(result.values) == MAX_ELEMENTS
    data = make_data(spec)
    ds = tf.data.Dataset.from_tensor_slices(data).map(
        lambda f: {k: tf.cast(v, tf.float32) / 255.0 for k, v in f.items()}).repeat()
    assert result.values == listed(ds, MAX_ELEMENTS)
    assert result.values == listed(built_dataset(result.code), MAX_ELEMENTS)
    assert "ds.take(40)" in result.code
    assert any("repeat()" in note.en for note in result.notes)
    assert result.elements[1].startswith("{'age': ")


def test_mismatched_first_dimensions_give_tensorflows_error_explained():
    with pytest.raises(LabError) as info:
        from_tensor_slices_lab((ArraySpec((4, 2)), ArraySpec((3,))))
    err = info.value
    assert "Dimensions 4 and 3 are not compatible" in err.en and "4, 3" in err.zh
    with pytest.raises(ValueError, match="not compatible"):
        built_dataset(err.code)


def test_a_single_number_cannot_be_sliced():
    with pytest.raises(LabError) as info:
        from_tensor_slices_lab(ArraySpec(()))
    assert "rank >= 1" in info.value.en and "形状为 ()" in info.value.zh


@pytest.mark.parametrize("ops", [[("sort",)], [("shuffle", 0, 1)], [("batch", 2)], [("batch", 2, "no")],
                                 [("repeat", 0)], [("map", "print")], ["batch"]])
def test_bad_operations_are_refused(ops):
    with pytest.raises(TflabError) as info:
        from_tensor_slices_lab(ArraySpec((4,)), ops)
    assert "shuffle" in info.value.hint_en and "shuffle" in info.value.hint_zh


@pytest.mark.parametrize("spec", [[], {}, ArraySpec((4,), fill="random"), {"": ArraySpec((2,))}, [(4,)]])
def test_bad_data_is_refused(spec):
    with pytest.raises(TflabError):
        from_tensor_slices_lab(spec)
