"""Initializers lab: the starting values an initializer gives a weight, and their spread.

The values are drawn by Keras itself through :func:`tflab.catalog.initializers.sample`, so an
initializer with a seed gives the same values every time (and in the code shown). Each run makes a
new initializer object; one without a seed picks its seed when it is created, so runs differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tflab.catalog import initializers
from tflab.labs._common import Note, shape_text
from tflab.messages import TflabError


@dataclass(frozen=True)
class InitResult:
    """Values drawn for one weight, a histogram of them, and the code that draws them.

    ``counts[i]`` values fall between ``edges[i]`` and ``edges[i + 1]``.
    """

    values: np.ndarray
    counts: list[int]
    edges: list[float]
    mean: float
    std: float
    code: str
    notes: tuple[Note, ...] = ()


def initializer_lab(value: Any, shape: tuple[int, ...], bins: int = 20) -> InitResult:
    """Draw the values ``value`` (an initializer name or object value) gives a weight of ``shape``.

    Identity on a shape that is not 2-D, or any other value Keras refuses, raises
    :class:`TflabError` saying why (see :func:`tflab.catalog.initializers.sample`).
    """
    if not isinstance(bins, int) or isinstance(bins, bool) or not 1 <= bins <= 200:
        raise TflabError(
            f"The histogram needs between 1 and 200 bars (got {bins!r}).",
            f"直方图的柱数必须在 1 到 200 之间（收到的是 {bins!r}）。",
        )
    values = initializers.sample(value, shape)
    counts, edges = np.histogram(values, bins=bins)
    return InitResult(
        values=values,
        counts=[int(n) for n in counts],
        edges=[float(e) for e in edges],
        mean=float(values.mean()),
        std=float(values.std()),
        code=initializer_lab_code(value, tuple(shape)),
        notes=_notes(value),
    )


def initializer_lab_code(value: Any, shape: tuple[int, ...]) -> str:
    """The program that draws the same values (when the initializer has a seed)."""
    made = initializers.initializer_code(value)
    if not made.startswith("tf."):
        made = f"tf.keras.initializers.get({made})"
    return (
        "import tensorflow as tf\n\n"
        f"initializer = {made}\n"
        f"values = initializer(shape={shape_text(shape)})\n"
        'print("mean:", float(tf.reduce_mean(values)), "std:", float(tf.math.reduce_std(values)))\n'
        "print(values.numpy())\n"
    )


def _notes(value: Any) -> tuple[Note, ...]:
    """A note when the values differ from run to run because no seed is set."""
    canonical = initializers.normalize_initializer(value)
    name = canonical if isinstance(canonical, str) else canonical["class_name"]
    spec = initializers.initializer_spec(name)
    has_seed = any(param.name == "seed" for param in spec.params)
    seeded = isinstance(canonical, dict) and canonical["config"].get("seed") is not None
    if has_seed and not seeded:
        return (Note(
            f"{spec.class_name} has no seed here, so it picks a random seed when it is created. Each run "
            "makes a new initializer, so each run gives different values (calling the same object again "
            "would repeat its values). Set a seed to get the same values every time.",
            f"这里的 {spec.class_name} 没有设置 seed，所以它在创建时随机选一个种子。每次运行都会新建一个初始化器，"
            "所以每次得到的值都不同（再次调用同一个对象则会重复它的值）。设置 seed 就能每次得到相同的值。",
        ),)
    return ()
