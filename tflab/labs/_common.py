"""Small pieces shared by the labs: bilingual notes, lab errors, shapes and TF's text.

Nothing here imports TensorFlow.
"""

from __future__ import annotations

import linecache
import math
import re
from dataclasses import dataclass
from types import CodeType
from typing import Any

from tflab.messages import TflabError, tr

#: The most values a lab tensor may hold (keeps previews small and fast).
MAX_LAB_VALUES = 100_000


@dataclass(frozen=True)
class Note:
    """A short explanation a lab returns next to its numbers, in both languages."""

    en: str
    zh: str

    def text(self, lang: str | None = None) -> str:
        """The note in the current (or given) language."""
        return tr(self.en, self.zh, lang)

    def __str__(self) -> str:
        return self.text()


class LabError(TflabError):
    """A lab input TensorFlow refuses, explained; ``code`` is the program that shows it.

    The UI can show ``code`` beside the message, so the student can run the failing
    program and read TensorFlow's own error.
    """

    def __init__(self, en: str, zh: str | None = None, *, hint_en: str = "", hint_zh: str = "",
                 code: str = ""):
        super().__init__(en, zh, hint_en=hint_en, hint_zh=hint_zh)
        self.code = code


_NOISE = re.compile(r"\{\{function_node [^}]*\}\}\s*|\x1b\[[0-9;]*m")


def clean_tf_text(text: str) -> str:
    """``text`` without TensorFlow's internal ``{{function_node ...}}`` tags and terminal colours."""
    return _NOISE.sub("", text).strip()


def tf_message(err: BaseException) -> str:
    """TensorFlow's own error text, cleaned (see :func:`clean_tf_text`)."""
    return clean_tf_text(str(err)) or type(err).__name__


def compile_shown(source: str, filename: str) -> CodeType:
    """``source`` compiled, with its text put where ``inspect`` looks for a file's lines:
    code the labs run from a string (a lesson's block, an exercise, the capstone's loop)
    may define a ``tf.function``, and AutoGraph reads its source (and warns without it)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return compile(source, filename, "exec")


def is_count(value: Any, minimum: int = 1) -> bool:
    """True for a whole number (not a bool) of at least ``minimum``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def check_shape(shape: Any, what_en: str, what_zh: str, *, allow_scalar: bool = True,
                extra: int = 1) -> tuple[int, ...]:
    """``shape`` as a tuple of sizes of at least 1, or :class:`TflabError` naming ``what``.

    ``extra`` multiplies the number of values (e.g. a batch size) for the size limit.
    """
    if not isinstance(shape, (list, tuple)) or not all(is_count(n) for n in shape):
        raise TflabError(
            f"The {what_en} must be a list of whole numbers of at least 1, such as (2, 3) (got {shape!r}).",
            f"{what_zh}必须是由不小于 1 的整数组成的列表，例如 (2, 3)（收到的是 {shape!r}）。",
        )
    if not shape and not allow_scalar:
        raise TflabError(
            f"The {what_en} needs at least one dimension.",
            f"{what_zh}至少需要一个维度。",
        )
    count = math.prod(shape) * extra
    if count > MAX_LAB_VALUES:
        raise TflabError(
            f"The {what_en} {tuple(shape)} makes {count:,} values: more than the {MAX_LAB_VALUES:,} a lab shows.",
            f"{what_zh} {tuple(shape)} 共有 {count:,} 个值，超过了实验最多显示的 {MAX_LAB_VALUES:,} 个。",
            hint_en="Use smaller sizes: a few numbers are enough to see what happens.",
            hint_zh="请使用更小的尺寸：几个数就足以看清发生了什么。",
        )
    return tuple(shape)


def shape_text(shape: tuple[int | None, ...]) -> str:
    """A shape written as Python writes a tuple: ``(2,)``, ``(2, 3)``, ``()``."""
    return repr(tuple(shape))


def localise_comments(code: str, comments: dict[str, str], lang: str | None = None,
                      docstrings: dict[str, str] | None = None) -> str:
    """``code`` with each English comment of ``comments`` (the text after ``# ``) and each
    docstring of ``docstrings`` (the text inside the quotes) replaced by its Chinese one
    when ``lang`` (default: the messages' language) is ``"zh"``.

    Only comments and docstrings change, never the code: a lab runs the code it shows."""
    if (lang or tr("en", "zh")) != "zh":
        return code
    for english, chinese in comments.items():
        code = code.replace(f"# {english}", f"# {chinese}")
    for english, chinese in (docstrings or {}).items():
        code = code.replace(f'"""{english}"""', f'"""{chinese}"""')
    return code
