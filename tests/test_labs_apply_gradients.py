"""Optimizer lab: each step is one apply_gradients of one optimizer, the path and the loss
surface are TensorFlow's, and the code shown takes the very same steps."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.labs.apply_gradients import OPTIMIZERS, PROBLEMS, REGRESSION_X, REGRESSION_Y, OptimizerLab
from tflab.messages import TflabError


def run(code: str) -> dict:
    namespace: dict = {}
    exec(compile(code, "<lab code>", "exec"), namespace)
    return namespace


def test_one_sgd_step_is_learning_rate_times_gradient():
    lab = OptimizerLab("bowl", "sgd", 0.1, start=(2.0, 1.0))
    step = lab.step()
    # Loss 0.5 * (x² + 10 y²): gradient (x, 10 y) = (2, 10).
    assert step.gradients == pytest.approx((2.0, 10.0))
    assert step.values == pytest.approx((2.0 - 0.1 * 2.0, 1.0 - 0.1 * 10.0))
    assert step.loss == pytest.approx(0.5 * (1.8 ** 2 + 10 * 0.0 ** 2))
    assert lab.path == [pytest.approx((2.0, 1.0)), pytest.approx(step.values)]


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_steps_match_a_keras_loop_and_the_code(problem, optimizer):
    lab = OptimizerLab(problem, optimizer, 0.01)
    for _ in range(5):
        lab.step()
    namespace = run(lab.code)
    first, second = lab.problem.params
    assert (float(namespace[first].numpy()), float(namespace[second].numpy())) == lab.values
    assert namespace["optimizer"].iterations.numpy() == 5 == lab.steps
    assert len(lab.path) == len(lab.losses) == 6


def test_adam_remembers_its_moments_across_steps():
    import tensorflow as tf

    lab = OptimizerLab("rosenbrock", "adam", 0.05, start=(-1.0, 1.5))
    x, y = tf.Variable(-1.0), tf.Variable(1.5)
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.05)
    for _ in range(20):
        with tf.GradientTape() as tape:
            loss = (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2
        optimizer.apply_gradients(zip(tape.gradient(loss, [x, y]), [x, y]))
        lab.step()
    assert lab.values == (float(x.numpy()), float(y.numpy()))
    assert lab.losses[-1] < lab.losses[0]


def test_regression_descends_towards_the_least_squares_line():
    lab = OptimizerLab("regression", "momentum", 0.05)
    for _ in range(300):
        lab.step()
    slope, intercept = np.polyfit(REGRESSION_X, REGRESSION_Y, 1)
    assert lab.values == pytest.approx((slope, intercept), abs=1e-3)


def test_loss_surface_is_the_loss_on_a_grid():
    lab = OptimizerLab("regression", "sgd", 0.1)
    surface = lab.loss_surface(grid=7)
    assert surface.loss.shape == (7, 7)
    i, j = 3, 5
    w, b = surface.xs[j], surface.ys[i]
    expected = np.mean((w * np.array(REGRESSION_X, "float32") + b - np.array(REGRESSION_Y, "float32")) ** 2)
    assert surface.loss[i, j] == pytest.approx(expected, rel=1e-5)
    bowl = OptimizerLab("bowl").loss_surface(grid=5, bounds=(-1.0, 1.0, -1.0, 1.0))
    assert bowl.loss[2, 2] == 0.0 and bowl.loss[0, 0] == pytest.approx(5.5)


def test_a_learning_rate_too_large_diverges():
    lab = OptimizerLab("bowl", "sgd", 0.5)
    for _ in range(10):
        lab.step()
    assert lab.losses[-1] > lab.losses[0]
    assert not lab.diverged()
    far = OptimizerLab("rosenbrock", "sgd", 1.0)
    for _ in range(10):
        far.step()
    assert far.diverged()


@pytest.mark.parametrize("args", [("cliff",), ("bowl", "lion"), ("bowl", "sgd", 0.0), ("bowl", "sgd", "fast"),
                                  ("bowl", "sgd", 0.1, (1.0,)), ("bowl", "sgd", 0.1, (1.0, float("inf")))])
def test_bad_settings_are_refused(args):
    with pytest.raises(TflabError):
        OptimizerLab(*args)
    with pytest.raises(TflabError):
        OptimizerLab().loss_surface(grid=1)
