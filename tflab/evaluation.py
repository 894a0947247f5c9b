"""What a classifier learned: its predictions on data it did not train on, counted.

:func:`predict_probabilities` runs a model on a part of the data and gives class
probabilities (softmax or sigmoid applied when the model outputs logits).
:class:`Predictions` holds them with the true classes and answers what a teacher asks:
the confusion matrix (:meth:`Predictions.confusion`), the accuracy of each class, which
samples landed in one cell, and the mistakes, most confident first.

:func:`digit_from_drawing` prepares a drawing the way the MNIST digits were prepared, so
that a model trained on them can read a digit drawn with the mouse. Only numpy and
Pillow here; the model is called by whoever passes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tflab.messages import TflabError

#: Samples predicted at once (keeps memory small for big images).
PREDICT_BATCH = 512


def to_probabilities(outputs: np.ndarray, from_logits: bool) -> np.ndarray:
    """Class probabilities ``(n, classes)`` from a model's outputs ``(n, classes)`` or
    ``(n, 1)`` (one sigmoid unit: two classes). Logits go through softmax or sigmoid."""
    outputs = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    if outputs.shape[1] == 1:
        p = outputs[:, 0]
        if from_logits:
            p = 1.0 / (1.0 + np.exp(-p))
        p = np.clip(np.nan_to_num(p, nan=0.5), 0.0, 1.0)
        return np.stack([1.0 - p, p], axis=1)
    if from_logits:
        outputs = np.exp(outputs - outputs.max(axis=1, keepdims=True))
        outputs /= outputs.sum(axis=1, keepdims=True)
    return np.nan_to_num(outputs, nan=0.0)


def predict_probabilities(call: Callable[[np.ndarray], object], x: np.ndarray, from_logits: bool,
                          batch: int = PREDICT_BATCH) -> np.ndarray:
    """``call(x_batch)`` (a model called with ``training=False``) over ``x`` in batches,
    as class probabilities (see :func:`to_probabilities`)."""
    parts = [np.asarray(call(x[start:start + batch])) for start in range(0, len(x), batch)]
    if not parts:
        return np.zeros((0, 0))
    return to_probabilities(np.concatenate(parts), from_logits)


@dataclass(frozen=True)
class Predictions:
    """A model's class probabilities for some samples, with their true classes.

    ``x`` are the samples (for pictures of them), ``y`` the true class indices,
    ``probabilities[i, c]`` the probability of class ``c`` for sample ``i``;
    ``class_names[c]`` names class ``c``; ``epoch`` is when they were made.
    """

    x: np.ndarray
    y: np.ndarray
    probabilities: np.ndarray
    class_names: tuple[str, ...]
    part: str = "test"
    epoch: int = 0

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y) or len(self.y) != len(self.probabilities):
            raise TflabError("Predictions need one probability row and one label per sample.",
                             "每个样本都需要一行概率和一个标签。")

    def __len__(self) -> int:
        return len(self.y)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def predicted(self) -> np.ndarray:
        """The predicted class of each sample (the most probable one)."""
        return self.probabilities.argmax(axis=1) if len(self) else np.zeros(0, dtype=np.int64)

    @property
    def confidence(self) -> np.ndarray:
        """The probability the model gave its prediction."""
        return self.probabilities.max(axis=1) if len(self) else np.zeros(0)

    def accuracy(self) -> float:
        """The share of samples whose prediction is right (0 with no samples)."""
        return float((self.predicted == self.y).mean()) if len(self) else 0.0

    def confusion(self) -> np.ndarray:
        """``matrix[true, predicted]``: how many samples of each true class got each prediction."""
        n = self.num_classes
        matrix = np.zeros((n, n), dtype=np.int64)
        np.add.at(matrix, (self.y.astype(np.int64), self.predicted.astype(np.int64)), 1)
        return matrix

    def class_accuracy(self) -> np.ndarray:
        """The accuracy of each true class (NaN for a class with no sample here)."""
        matrix = self.confusion()
        totals = matrix.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)

    def in_cell(self, true: int, predicted: int) -> np.ndarray:
        """Indices of the samples of class ``true`` predicted as ``predicted``, most confident first."""
        chosen = np.flatnonzero((self.y == true) & (self.predicted == predicted))
        return chosen[np.argsort(-self.confidence[chosen], kind="stable")]

    def mistakes_first(self) -> np.ndarray:
        """Every index: the mistakes, most confident first, then the right answers, least
        confident first (the ones the model nearly got wrong)."""
        wrong = self.predicted != self.y
        confidence = self.confidence
        mistakes = np.flatnonzero(wrong)
        right = np.flatnonzero(~wrong)
        return np.concatenate([mistakes[np.argsort(-confidence[mistakes], kind="stable")],
                               right[np.argsort(confidence[right], kind="stable")]])


def picture_shape(input_shape: tuple[int, ...]) -> tuple[int, int] | None:
    """The (height, width) of a sample drawn as a grey picture: ``(H, W)``, ``(H, W, 1)``, or a
    flat square ``(H*H,)`` of at least 16 values; None for samples that are not pictures."""
    if len(input_shape) == 2 or (len(input_shape) == 3 and input_shape[2] in (1, 3)):
        return int(input_shape[0]), int(input_shape[1])
    if len(input_shape) == 1 and input_shape[0] >= 16:
        side = int(round(input_shape[0] ** 0.5))
        if side * side == input_shape[0]:
            return side, side
    return None


def digit_from_drawing(ink: np.ndarray, side: int = 28) -> np.ndarray:
    """A drawing (grey values, ink high, any size) prepared as MNIST's digits were: the
    ink's bounding box scaled, keeping its shape, to fit a box of 20/28 of ``side``,
    then placed in a ``side`` x ``side`` picture with its centre of mass in the middle.
    Values 0..1, ``float32``; all zeros when nothing is drawn."""
    from PIL import Image

    ink = np.nan_to_num(np.asarray(ink, dtype=np.float64), nan=0.0)
    if ink.ndim != 2:
        raise TflabError("A drawing is one grey picture (two dimensions).", "画图应当是一张灰度图片（二维）。")
    if side < 4:
        raise TflabError(f"A digit needs at least 4x4 pixels, not {side}.", f"数字图片至少需要 4x4 像素，而不是 {side}。")
    out = np.zeros((side, side), dtype=np.float32)
    peak = ink.max() if ink.size else 0.0
    if peak <= 0:
        return out
    ink = np.clip(ink / peak, 0.0, 1.0)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    box = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    fit = max(1, round(side * 20 / 28))
    scale = fit / max(box.shape)
    height, width = max(1, round(box.shape[0] * scale)), max(1, round(box.shape[1] * scale))
    picture = Image.fromarray((box * 255).astype(np.uint8)).resize((width, height), Image.Resampling.LANCZOS)
    small = np.asarray(picture, dtype=np.float32) / 255.0
    mass = small.sum()
    if mass <= 0:
        return out
    ys, xs = np.indices(small.shape)
    centre_y, centre_x = (ys * small).sum() / mass, (xs * small).sum() / mass
    top = int(round((side - 1) / 2 - centre_y))
    left = int(round((side - 1) / 2 - centre_x))
    top = min(max(top, 0), side - height)
    left = min(max(left, 0), side - width)
    out[top:top + height, left:left + width] = np.clip(small, 0.0, 1.0)
    return out
