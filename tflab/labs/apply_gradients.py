"""Optimizer lab: one ``optimizer.apply_gradients`` step at a time on a 2-D problem.

Each :class:`OptimizerLab` holds two ``tf.Variable`` parameters and ONE Keras
optimizer, created once, so optimizers with a memory (momentum, Adam, RMSprop,
Adagrad) behave exactly as in a training loop. :meth:`OptimizerLab.step` computes the
gradients with a ``tf.GradientTape`` and applies them once; :attr:`OptimizerLab.path`
keeps every position for drawing, :meth:`OptimizerLab.loss_surface` the contours.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tflab import tfload
from tflab.labs._common import is_count
from tflab.messages import TflabError, tr

#: Data of the linear-regression problem: points near y = 2x + 1.
REGRESSION_X = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
REGRESSION_Y = (-0.9, 0.1, 1.1, 1.9, 3.1, 3.9)


@dataclass(frozen=True)
class Problem:
    """A loss of two parameters: names, where to start, what to draw, and the loss as code.

    ``loss_code`` is the body of ``def loss_fn(<params>)``; it broadcasts, so the
    same code computes one loss or a whole grid of them. ``setup_code`` defines
    what the body needs (data).
    """

    name: str
    title_en: str
    title_zh: str
    params: tuple[str, str]
    start: tuple[float, float]
    bounds: tuple[float, float, float, float]
    minimum: tuple[float, float]
    loss_code: str
    setup_code: str = ""

    def title(self, lang: str | None = None) -> str:
        return tr(self.title_en, self.title_zh, lang)


PROBLEMS: dict[str, Problem] = {
    "bowl": Problem(
        "bowl", "Quadratic bowl (long and narrow)", "二次碗形（窄长）", ("x", "y"),
        (-4.0, 1.5), (-5.0, 5.0, -2.0, 2.0), (0.0, 0.0),
        "return 0.5 * (x ** 2 + 10.0 * y ** 2)",
    ),
    "rosenbrock": Problem(
        "rosenbrock", "Rosenbrock valley (banana-shaped)", "Rosenbrock 山谷（香蕉形）", ("x", "y"),
        (-1.5, 2.0), (-2.0, 2.0, -1.0, 3.0), (1.0, 1.0),
        "return (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2",
    ),
    "regression": Problem(
        "regression", "Linear regression y = w * x + b (mean squared error)",
        "线性回归 y = w * x + b（均方误差）", ("w", "b"),
        (-2.0, -2.0), (-3.0, 5.0, -3.0, 4.0), (2.0, 1.0),
        "prediction = w[..., None] * data_x + b[..., None]\n"
        "return tf.reduce_mean((prediction - data_y) ** 2, axis=-1)",
        f"data_x = tf.constant({list(REGRESSION_X)})\ndata_y = tf.constant({list(REGRESSION_Y)})",
    ),
}

#: Optimizer choices: name -> (Keras class, extra constructor arguments as code).
OPTIMIZERS: dict[str, tuple[str, str]] = {
    "sgd": ("SGD", ""),
    "momentum": ("SGD", ", momentum=0.9"),
    "rmsprop": ("RMSprop", ""),
    "adagrad": ("Adagrad", ""),
    "adam": ("Adam", ""),
}


@dataclass(frozen=True)
class StepResult:
    """The state after a step: step number, parameter values, loss, and the gradients used."""

    step: int
    values: tuple[float, float]
    loss: float
    gradients: tuple[float, float]


@dataclass(frozen=True)
class Surface:
    """Loss values on a grid: ``loss[i, j]`` is the loss at ``(xs[j], ys[i])``."""

    xs: np.ndarray
    ys: np.ndarray
    loss: np.ndarray


class OptimizerLab:
    """One problem, two variables and one optimizer; :meth:`step` moves them once."""

    def __init__(self, problem: str = "bowl", optimizer: str = "sgd", learning_rate: float = 0.1,
                 start: tuple[float, float] | None = None):
        self.problem = _check_problem(problem)
        self.optimizer_name = _check_optimizer(optimizer)
        self.learning_rate = _check_learning_rate(learning_rate)
        self.start = self.problem.start if start is None else _check_start(start)
        tf = tfload.tensorflow()

        self._tf = tf
        self._loss_fn = _compile_loss(self.problem, tf)
        self._variables = [tf.Variable(value, dtype=tf.float32, name=n)
                           for n, value in zip(self.problem.params, self.start)]
        class_name, _ = OPTIMIZERS[self.optimizer_name]
        extra = {"momentum": 0.9} if self.optimizer_name == "momentum" else {}
        self._optimizer = getattr(tf.keras.optimizers, class_name)(learning_rate=self.learning_rate, **extra)
        self.steps = 0
        self.path: list[tuple[float, float]] = [self.values]
        self.losses: list[float] = [float(self._loss_fn(*self._variables))]

    @property
    def values(self) -> tuple[float, float]:
        """The current values of the two parameters."""
        return tuple(float(v.numpy()) for v in self._variables)  # type: ignore[return-value]

    def step(self) -> StepResult:
        """Compute the gradients and call ``optimizer.apply_gradients`` ONCE."""
        with self._tf.GradientTape() as tape:
            loss = self._loss_fn(*self._variables)
        grads = tape.gradient(loss, self._variables)
        self._optimizer.apply_gradients(zip(grads, self._variables))
        self.steps += 1
        values = self.values
        new_loss = float(self._loss_fn(*self._variables))
        self.path.append(values)
        self.losses.append(new_loss)
        return StepResult(self.steps, values, new_loss, (float(grads[0]), float(grads[1])))

    def diverged(self) -> bool:
        """True when the loss is no longer a finite number (the step size is too large)."""
        return not math.isfinite(self.losses[-1])

    def loss_surface(self, grid: int = 60, bounds: tuple[float, float, float, float] | None = None) -> Surface:
        """The loss on a ``grid`` x ``grid`` mesh over ``bounds`` (x0, x1, y0, y1), for contours."""
        if not is_count(grid, 2) or grid > 400:
            raise TflabError(f"The grid size must be between 2 and 400 (got {grid!r}).",
                             f"网格大小必须在 2 到 400 之间（收到的是 {grid!r}）。")
        x0, x1, y0, y1 = self.problem.bounds if bounds is None else bounds
        xs = np.linspace(x0, x1, grid, dtype=np.float32)
        ys = np.linspace(y0, y1, grid, dtype=np.float32)
        mesh_x, mesh_y = np.meshgrid(xs, ys)
        loss = self._loss_fn(self._tf.constant(mesh_x), self._tf.constant(mesh_y))
        return Surface(xs, ys, np.asarray(loss))

    @property
    def code(self) -> str:
        """The training loop that takes the same steps (as many as taken so far)."""
        first, second = self.problem.params
        class_name, extra = OPTIMIZERS[self.optimizer_name]
        setup = self.problem.setup_code + "\n\n" if self.problem.setup_code else ""
        return (
            "import tensorflow as tf\n\n"
            f"{setup}"
            f"def loss_fn({first}, {second}):\n"
            f"{_indent(self.problem.loss_code)}\n\n"
            f"{first} = tf.Variable({self.start[0]!r})\n"
            f"{second} = tf.Variable({self.start[1]!r})\n"
            f"optimizer = tf.keras.optimizers.{class_name}(learning_rate={self.learning_rate!r}{extra})\n\n"
            f"for step in range({self.steps}):\n"
            "    with tf.GradientTape() as tape:\n"
            f"        loss = loss_fn({first}, {second})\n"
            f"    grads = tape.gradient(loss, [{first}, {second}])\n"
            f"    optimizer.apply_gradients(zip(grads, [{first}, {second}]))\n\n"
            f'print("{first} =", {first}.numpy(), "{second} =", {second}.numpy(), '
            f'"loss =", loss_fn({first}, {second}).numpy())\n'
        )


def _indent(body: str) -> str:
    return "\n".join("    " + line for line in body.splitlines())


def _compile_loss(problem: Problem, tf: Any) -> Callable:
    """The problem's loss as a Python function, written with TensorFlow operations."""
    if problem.name == "bowl":
        return lambda x, y: 0.5 * (x ** 2 + 10.0 * y ** 2)
    if problem.name == "rosenbrock":
        return lambda x, y: (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2
    data_x, data_y = tf.constant(REGRESSION_X), tf.constant(REGRESSION_Y)

    def regression(w: Any, b: Any) -> Any:
        prediction = w[..., None] * data_x + b[..., None]
        return tf.reduce_mean((prediction - data_y) ** 2, axis=-1)

    return regression


def _check_problem(name: Any) -> Problem:
    if name not in PROBLEMS:
        raise TflabError(f"Unknown problem {name!r}; choose one of {', '.join(PROBLEMS)}.",
                         f"未知的问题 {name!r}；可选：{', '.join(PROBLEMS)}。")
    return PROBLEMS[name]


def _check_optimizer(name: Any) -> str:
    if name not in OPTIMIZERS:
        raise TflabError(f"Unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}.",
                         f"未知的优化器 {name!r}；可选：{', '.join(OPTIMIZERS)}。")
    return name


def _check_learning_rate(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 10:
        raise TflabError(
            f"The learning rate must be a number greater than 0 and at most 10 (got {value!r}).",
            f"学习率必须是大于 0、不超过 10 的数（收到的是 {value!r}）。",
        )
    return float(value)


def _check_start(start: Any) -> tuple[float, float]:
    if (not isinstance(start, (list, tuple)) or len(start) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in start)):
        raise TflabError(f"The start must be two numbers, such as (-1.5, 2.0) (got {start!r}).",
                         f"起点必须是两个数，例如 (-1.5, 2.0)（收到的是 {start!r}）。")
    return float(start[0]), float(start[1])
