"""Predict, then run: questions that check a lesson was understood.

Each lesson has a few exercises in ``resources/lessons/exercises/<lesson id>.json``, a
list of objects::

    {"id": "flatten-shape",
     "kind": "shape",
     "question_en": "What shape does Flatten give for a batch of shape (32, 28, 28)?",
     "question_zh": "...",
     "code": ["import tensorflow as tf",
              "answer = tf.keras.layers.Flatten()(tf.zeros((32, 28, 28))).shape"],
     "explain_en": "Flatten keeps the batch axis and multiplies the rest: 28 x 28 = 784.",
     "explain_zh": "..."}

The student types a prediction; the app then runs ``code`` (TensorFlow computes the
true ``answer``: nothing is written down in advance), compares and explains. Kinds:

- ``shape``: a shape such as ``(32, 784)``; ``None`` for an unknown axis;
- ``int``: a whole number (a parameter count);
- ``number``: a real number, right within ``tolerance`` (relative, default 1e-3);
- ``choice``: one of ``choices_en`` / ``choices_zh``; ``answer`` is the index of the
  right one.

Importing this module does not import TensorFlow; :meth:`Exercise.solve` does, so the
UI calls it on a worker thread.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from tflab.labs._common import compile_shown
from tflab.messages import TflabError, tr
from tflab.resources import resource_path

KINDS = ("shape", "int", "number", "choice")


@dataclass(frozen=True)
class Verdict:
    """The comparison of a prediction with what TensorFlow computed."""

    correct: bool
    truth: str
    message_en: str
    message_zh: str

    def message(self, lang: str | None = None) -> str:
        """The explanation, in the current (or given) language."""
        return tr(self.message_en, self.message_zh, lang)


@dataclass(frozen=True)
class Exercise:
    """One "predict, then run" question. See the module docstring for the fields."""

    id: str
    lesson: str
    kind: str
    question_en: str
    question_zh: str
    code: str
    explain_en: str
    explain_zh: str
    choices_en: tuple[str, ...] = ()
    choices_zh: tuple[str, ...] = ()
    tolerance: float = 1e-3

    def question(self, lang: str | None = None) -> str:
        return tr(self.question_en, self.question_zh, lang)

    def choices(self, lang: str | None = None) -> tuple[str, ...]:
        return self.choices_zh if tr("en", "zh", lang) == "zh" else self.choices_en

    def solve(self) -> object:
        """Run the exercise's code and return its ``answer``, normalised for its kind
        (a shape becomes a tuple of ints and ``None``). Imports TensorFlow."""
        namespace: dict[str, object] = {"__name__": "__exercise__"}
        exec(compile_shown(self.code, f"<exercise {self.id}>"), namespace)  # noqa: S102 - bundled code
        if "answer" not in namespace:
            raise TflabError(f"The exercise {self.id} computes no answer.", f"练习 {self.id} 没有算出答案。")
        return _normalise(self.kind, namespace["answer"])

    def parse(self, text: str) -> object:
        """The student's prediction as a value of this kind; :class:`TflabError` saying
        how to write it when it cannot be read."""
        text = text.strip()
        if self.kind == "shape":
            return parse_shape(text)
        if self.kind == "int":
            try:
                return int(text.replace(",", "").replace("_", "").replace(" ", ""))
            except ValueError:
                raise TflabError("Write a whole number, such as 78500.", "请写一个整数，例如 78500。") from None
        if self.kind == "number":
            try:
                value = float(text)
            except ValueError:
                raise TflabError("Write a number, such as 0.5.", "请写一个数，例如 0.5。") from None
            if not math.isfinite(value):
                raise TflabError("Write a finite number, such as 0.5.", "请写一个有限的数，例如 0.5。")
            return value
        for choices in (self.choices(), self.choices_en, self.choices_zh):  # the language may have changed
            if text in choices:
                return choices.index(text)
        raise TflabError("Pick one of the answers.", "请选择一个答案。")

    def format(self, value: object, lang: str | None = None) -> str:
        """A value of this kind as the student would write it."""
        if self.kind == "shape":
            assert isinstance(value, tuple)
            inner = ", ".join("None" if axis is None else str(axis) for axis in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        if self.kind == "choice":
            assert isinstance(value, int)
            return self.choices(lang)[value]
        if self.kind == "number":
            assert isinstance(value, float)
            return f"{value:.6g}"
        return str(value)

    def check(self, text: str, truth: object) -> Verdict:
        """Compare the prediction ``text`` with ``truth`` (from :meth:`solve`) and explain."""
        guess = self.parse(text)
        if self.kind == "number":
            assert isinstance(guess, float) and isinstance(truth, float)
            correct = math.isclose(guess, truth, rel_tol=self.tolerance, abs_tol=self.tolerance)
        else:
            correct = guess == truth
        said_en, said_zh = self.format(guess, "en"), self.format(guess, "zh")
        truth_en, truth_zh = self.format(truth, "en"), self.format(truth, "zh")
        if correct:
            head_en, head_zh = f"Right: TensorFlow gives {truth_en}.", f"正确：TensorFlow 给出 {truth_zh}。"
        else:
            head_en = f"Not quite: you said {said_en}, TensorFlow gives {truth_en}."
            head_zh = f"不对：你的答案是 {said_zh}，TensorFlow 给出 {truth_zh}。"
        return Verdict(correct, tr(truth_en, truth_zh), f"{head_en} {self.explain_en}", f"{head_zh}{self.explain_zh}")


def parse_shape(text: str) -> tuple[int | None, ...]:
    """A shape written as ``(32, 784)``, ``[32, 784]``, ``32, 784`` or ``(None, 10)``."""
    inner = text.strip().strip("()[]").strip()
    parts = [part.strip() for part in re.split(r"[,\s×xX*]+", inner) if part.strip()]
    shape: list[int | None] = []
    for part in parts:
        if part.lower() == "none":
            shape.append(None)
        elif part.isdigit():
            shape.append(int(part))
        else:
            raise TflabError(
                "Write a shape as numbers between brackets, such as (32, 784); None for an unknown size.",
                "请把形状写成括号里的数字，例如 (32, 784)；大小未知时写 None。",
            )
    if not shape and inner:
        raise TflabError("Write a shape such as (32, 784).", "请写出形状，例如 (32, 784)。")
    return tuple(shape)


def _normalise(kind: str, value: object) -> object:
    if kind == "shape":
        dims = value.as_list() if hasattr(value, "as_list") else list(value)  # type: ignore[attr-defined]
        return tuple(None if axis is None else int(axis) for axis in dims)
    if kind in ("int", "choice"):
        return int(value)  # type: ignore[arg-type]
    return float(value)  # type: ignore[arg-type]


def exercises(lesson_id: str) -> list[Exercise]:
    """The exercises of a lesson, in order (an empty list when it has none)."""
    try:
        path = resource_path(f"lessons/exercises/{lesson_id}.json")
    except TflabError:
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for item in items:
        code = item["code"]
        found.append(Exercise(
            id=item["id"], lesson=lesson_id, kind=item["kind"],
            question_en=item["question_en"], question_zh=item["question_zh"],
            code="\n".join(code) if isinstance(code, list) else code,
            explain_en=item["explain_en"], explain_zh=item["explain_zh"],
            choices_en=tuple(item.get("choices_en", ())), choices_zh=tuple(item.get("choices_zh", ())),
            tolerance=float(item.get("tolerance", 1e-3)),
        ))
    return found
