"""GradientTape lab: the safe formula language refuses everything outside it, and the
gradients are the ones TensorFlow computes, with None explained."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.labs._common import LabError
from tflab.labs.gradient_tape import expression_code, parse_expression, tape_lab
from tflab.messages import TflabError


def run(code: str) -> dict:
    namespace: dict = {}
    exec(compile(code, "<lab code>", "exec"), namespace)
    return namespace


def test_gradients_are_tensorflows_and_the_code_reproduces_them():
    import tensorflow as tf

    result = tape_lab("c * x ** 2 + sin(w) * exp(-x)", {"x": 2.0, "w": 0.5}, {"c": 3.0}, watch={"c"})
    x, w, c = tf.Variable(2.0), tf.Variable(0.5), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * x ** 2 + tf.sin(w) * tf.exp(-x)
    grads = tape.gradient(y, [x, w, c])
    assert result.value == pytest.approx(float(y))
    assert result.gradients == pytest.approx({"x": float(grads[0]), "w": float(grads[1]), "c": float(grads[2])})
    assert result.notes == ()
    namespace = run(result.code)
    assert float(namespace["y"]) == result.value
    assert float(namespace["dy_dx"]) == result.gradients["x"]
    assert float(namespace["dy_dc"]) == result.gradients["c"]


def test_unwatched_constant_and_unused_variable_get_none_with_reasons():
    result = tape_lab("x * c", {"x": 2.0, "unused": 1.0}, {"c": 3.0})
    assert result.gradients["x"] == pytest.approx(3.0)
    assert result.gradients["c"] is None and result.gradients["unused"] is None
    notes = " ".join(note.en for note in result.notes)
    assert "tape.watch(c)" in notes and "does not depend on unused" in notes
    assert all(note.zh for note in result.notes)
    namespace = run(result.code)
    assert namespace["dy_dc"] is None and namespace["dy_dunused"] is None


def test_persistent_tape_answers_two_targets():
    import tensorflow as tf

    result = tape_lab("x * x", {"x": 3.0}, persistent=True, second_expr="y * y")
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
        z = y * y
    assert result.gradients["x"] == float(tape.gradient(y, x))
    assert result.second_gradients["x"] == float(tape.gradient(z, x))
    assert result.second_value == float(z)
    namespace = run(result.code)
    assert float(namespace["dz_dx"]) == result.second_gradients["x"]


def test_non_persistent_tape_used_twice_gives_tensorflows_error_explained():
    with pytest.raises(LabError) as info:
        tape_lab("x * x", {"x": 3.0}, second_expr="y * y")
    err = info.value
    assert "non-persistent GradientTape can only be used to compute one set of gradients" in err.en
    assert "persistent=True" in err.hint_en and "persistent=True" in err.hint_zh
    with pytest.raises(RuntimeError, match="non-persistent"):
        run(err.code)


def test_tensors_matmul_and_chosen_sources():
    import tensorflow as tf

    a_value, b_value = [[1.0, 2.0], [3.0, 4.0]], [[0.5], [-1.0]]
    result = tape_lab("reduce_sum(matmul(a, b))", {"a": a_value}, {"b": b_value}, watch=["b"], sources=["b"])
    a, b = tf.Variable(a_value), tf.constant(b_value)
    with tf.GradientTape() as tape:
        tape.watch(b)
        y = tf.reduce_sum(tf.matmul(a, b))
    assert list(result.gradients) == ["b"]
    np.testing.assert_allclose(result.gradients["b"], tape.gradient(y, b).numpy())
    vector = tape_lab("square(v)", {"v": [1.0, 2.0]})
    assert vector.gradients["v"] == [2.0, 4.0]
    assert any("sum" in note.en for note in vector.notes)


def test_shape_errors_are_explained_with_tensorflows_text():
    with pytest.raises(LabError) as info:
        tape_lab("matmul(a, b)", {"a": [[1.0, 2.0]], "b": [[1.0, 2.0]]})
    assert "matmul" in info.value.hint_en and "TensorFlow" in info.value.en


@pytest.mark.parametrize("text, construct", [
    ("x.real", "attribute"), ("x[0]", "indexing"), ("(lambda: x)()", "function"),
    ("[x for x in y]", "comprehension"), ("'x'", "strings"), ("__import__('os')", "'__'"),
    ("x.__class__", "attribute"), ("foo(x)", "Unknown function 'foo'"), ("x ** 1000", "exponent"),
    ("x ** -(10 ** 9)", "exponent"), ("x // 2", "//"), ("x @ x", "@"), ("x if x else x", "if"),
    ("x < 1", "comparison"), ("sin", "is a function"), ("sin(x, x)", "takes 1"),
    ("sin(x=x)", "keyword"), ("q + x", "Unknown name 'q'"), ("True + x", "True"), ("1 + 2", "no variable"),
    ("", "empty"), ("x +", "not valid"), ("x" + " + x" * 200, "longer"), ("[x]", "lists"),
    ("(x := 2)", ":="), ("not x", "not"), ("x and x", "and"), ("f'{x}'", "strings"),
])
def test_the_parser_refuses_what_is_outside_the_language(text, construct):
    with pytest.raises(TflabError) as info:
        parse_expression(text, {"x"})
    assert construct in info.value.en
    assert info.value.zh != info.value.en and info.value.hint_en


def test_parse_and_code_of_an_allowed_formula():
    tree = parse_expression("-log(x) / sqrt(abs(x)) + tanh(x) * sigmoid(x) - reduce_mean(cos(x)) ** 2", {"x"})
    assert expression_code(tree) == (
        "-tf.math.log(x) / tf.sqrt(tf.abs(x)) + tf.tanh(x) * tf.sigmoid(x) - tf.reduce_mean(tf.cos(x)) ** 2")


@pytest.mark.parametrize("variables, constants", [
    ({"tf": 1.0}, {}), ({"sin": 1.0}, {}), ({"x": "1"}, {}), ({"x": 1.0}, {"x": 2.0}), ({}, {}),
    ({"dy_dx": 1.0}, {}), ({"x": float("nan")}, {}), ({"x": [[1.0], [1.0, 2.0]]}, {}), ({"for": 1.0}, {}),
])
def test_bad_declarations_are_refused(variables, constants):
    with pytest.raises(TflabError):
        tape_lab("1", variables, constants)


def test_watch_and_sources_must_be_declared():
    with pytest.raises(TflabError):
        tape_lab("x", {"x": 1.0}, watch={"c"})
    with pytest.raises(TflabError):
        tape_lab("x", {"x": 1.0}, sources=["x", "x"])
