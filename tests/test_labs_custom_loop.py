"""The capstone: the GradientTape loop of the lesson trains the course's MNIST model to the
very numbers model.fit gives, and the program shown is the program that ran."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.datasets import load_mnist
from tflab.labs._common import LabError
from tflab.labs.custom_loop import LOOP, METRICS, VALIDATION_SAMPLES, loop_vs_fit, program


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
    assert LOOP.format(epochs=2).splitlines()[0] in result.code
    digits = load_mnist()
    namespace = {"x": digits.x[: 640 + VALIDATION_SAMPLES], "y": digits.y[: 640 + VALIDATION_SAMPLES]}
    exec(compile(result.code, "program", "exec"), namespace)  # the whole program, as a student runs it
    assert set(METRICS) <= set(namespace["history"]) and len(namespace["history"]["loss"]) == 2


@pytest.mark.parametrize("epochs, samples", [(0, 640), (21, 640), (2, 100), (2, 0), (True, 640), (2, 10**6)])
def test_impossible_settings_are_explained(epochs, samples):
    with pytest.raises(LabError) as info:
        loop_vs_fit(epochs, samples)
    assert info.value.en and info.value.zh and info.value.zh != info.value.en
