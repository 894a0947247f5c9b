"""The capstone: the GradientTape loop of the lesson trains the course's MNIST model to the
very numbers model.fit gives, and the program shown is the program that ran."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.datasets import load_mnist
from tflab.labs._common import LabError
from tflab.labs.custom_loop import LOOP, METRICS, VALIDATION_SAMPLES, example_loop, loop_vs_fit, program


@pytest.fixture(scope="module")
def result():
    return loop_vs_fit(epochs=2, train_samples=640)


def test_the_loop_gives_the_numbers_fit_gives(result):
    for metric in METRICS:
        assert len(result.loop[metric]) == len(result.fit[metric]) == 2
        assert np.allclose(result.loop[metric], result.fit[metric], atol=1e-5), metric
    assert result.largest_difference() < 1e-5


def test_both_learn_the_digits(result):
    assert result.loop["loss"][1] < result.loop["loss"][0]
    assert result.loop["val_accuracy"][-1] > 0.6  # ten classes: chance is 0.1


def test_the_program_shown_is_the_one_that_ran_and_runs_as_plain_python(result):
    assert result.code == program(2, 640)
    assert "tape.gradient(loss, model.trainable_variables)" in result.code
    assert "metric.reset_state()" in result.code and "validation_data=" in result.code
    assert LOOP.format().splitlines()[0] in result.code
    digits = load_mnist()
    namespace = {"x": digits.x[: 640 + VALIDATION_SAMPLES], "y": digits.y[: 640 + VALIDATION_SAMPLES]}
    exec(compile(result.code, "program", "exec"), namespace)  # the whole program, as a student runs it
    assert set(METRICS) <= set(namespace["history"]) and len(namespace["history"]["loss"]) == 2


@pytest.mark.parametrize("epochs, samples", [(0, 640), (21, 640), (2, 100), (2, 0), (True, 640), (2, 10**6)])
def test_impossible_settings_are_explained(epochs, samples):
    with pytest.raises(LabError) as info:
        loop_vs_fit(epochs, samples)
    assert info.value.en and info.value.zh and info.value.zh != info.value.en


def test_a_loop_of_your_own_is_run_and_compared(result):
    """The student's loop replaces the example: here without resetting the metrics each
    epoch, a classic mistake; its numbers differ from fit's after the first epoch, and the
    note says so instead of saying they agree."""
    own = example_loop("en").replace("        metric.reset_state()  # each epoch starts counting again\n",
                                     "        pass  # no reset: the mistake\n")
    assert own != example_loop("en")
    mine = loop_vs_fit(2, 640, loop=own)
    assert mine.fit == result.fit  # fit is untouched
    assert mine.loop["loss"][0] == pytest.approx(result.loop["loss"][0], abs=1e-6)  # first epoch alike
    assert abs(mine.loop["val_accuracy"][1] - result.fit["val_accuracy"][1]) > 1e-4  # then apart
    assert "differ" in mine.notes[0].en and "不同" in mine.notes[0].zh
    assert "no reset: the mistake" in mine.code  # the program shown is the one that ran


@pytest.mark.parametrize("loop, words", [
    ("for epoch in range(epochs)\n    pass\n", "syntax error on line 1"),
    ("model = build_model()\nhistory = {}\nx = undefined_name\n", "line 3: NameError"),
    ("history = [1, 2]\n", "dict named history"),
    ('history = {"loss": [1.0], "accuracy": [1.0], "val_loss": [1.0], "val_accuracy": [1.0]}\n',
     'history["loss"] must hold one number per epoch (2)'),
])
def test_a_loop_of_your_own_that_fails_is_explained(loop, words):
    with pytest.raises(LabError) as info:
        loop_vs_fit(2, 640, loop=loop)
    assert words in info.value.en and info.value.zh != info.value.en
