"""stack / unstack lab: join tensors along a NEW axis with ``tf.stack``, split with ``tf.unstack``.

Tensor ``i`` holds consecutive numbers starting at ``i * 100`` (0, 1, 2... then
100, 101...), so the stacked result shows where each input went.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tflab import tfload
from tflab.labs._common import LabError, check_shape, shape_text, tf_message
from tflab.messages import TflabError

#: Tensor i starts counting at i * OFFSET.
OFFSET = 100
MAX_TENSORS = 8


@dataclass(frozen=True)
class StackResult:
    """The stacked tensor's shape and values, and the shapes ``tf.unstack`` gives back."""

    stacked_shape: tuple[int, ...]
    stacked_values: list
    unstacked_shapes: list[tuple[int, ...]]
    code: str


def stack_lab(shapes: Sequence[tuple[int, ...]], axis: int = 0) -> StackResult:
    """``tf.stack`` tensors of ``shapes`` along ``axis``, then ``tf.unstack`` the result.

    Shapes that differ, or an axis outside ``[-(rank + 1), rank]``, give TensorFlow's
    own error, explained (:class:`~tflab.labs._common.LabError` with the code).
    """
    dims = _check_shapes(shapes)
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TflabError(f"The axis must be a whole number (got {axis!r}).", f"axis 必须是整数（收到的是 {axis!r}）。")
    code = stack_code(dims, axis)
    tf = tfload.tensorflow()

    tensors = [tf.reshape(tf.range(i * OFFSET, i * OFFSET + math.prod(s)), s) for i, s in enumerate(dims)]
    try:
        stacked = tf.stack(tensors, axis=axis)
    except (tf.errors.InvalidArgumentError, ValueError) as err:
        raise _stack_error(dims, axis, err, code) from None
    parts = tf.unstack(stacked, axis=axis)
    return StackResult(
        stacked_shape=tuple(stacked.shape),
        stacked_values=stacked.numpy().tolist(),
        unstacked_shapes=[tuple(p.shape) for p in parts],
        code=code,
    )


def stack_code(shapes: Sequence[tuple[int, ...]], axis: int) -> str:
    """The program that builds the tensors, stacks and unstacks them."""
    lines = ["import tensorflow as tf", ""]
    for i, shape in enumerate(shapes):
        start = i * OFFSET
        lines.append(f"t{i} = tf.reshape(tf.range({start}, {start + math.prod(shape)}), {shape_text(shape)})")
    names = ", ".join(f"t{i}" for i in range(len(shapes)))
    lines += [
        "",
        f"stacked = tf.stack([{names}], axis={axis})",
        f"parts = tf.unstack(stacked, axis={axis})",
        'print("stacked shape:", stacked.shape)',
        'print("unstacked shapes:", [p.shape for p in parts])',
        "print(stacked.numpy())",
    ]
    return "\n".join(lines) + "\n"


def _check_shapes(shapes: Any) -> list[tuple[int, ...]]:
    if not isinstance(shapes, (list, tuple)) or not 1 <= len(shapes) <= MAX_TENSORS:
        raise TflabError(
            f"Give between 1 and {MAX_TENSORS} tensor shapes to stack (got {shapes!r}).",
            f"请给出 1 到 {MAX_TENSORS} 个要堆叠的张量形状（收到的是 {shapes!r}）。",
        )
    return [check_shape(s, f"shape of tensor {i}", f"张量 {i} 的形状", extra=len(shapes))
            for i, s in enumerate(shapes)]


def _stack_error(shapes: list[tuple[int, ...]], axis: int, err: Exception, code: str) -> LabError:
    rank = len(shapes[0])
    if len(set(shapes)) > 1:
        listed = ", ".join(shape_text(s) for s in shapes)
        en = (f"tf.stack needs tensors of exactly the same shape, because it lays them side by side "
              f"along a new axis; here the shapes are {listed}.")
        zh = f"tf.stack 要求所有张量的形状完全相同，因为它沿一条新轴把它们并排放好；这里的形状分别是 {listed}。"
        hint_en, hint_zh = "Make the shapes equal, or use tf.concat to join along an existing axis.", \
            "让形状相同，或者用 tf.concat 沿已有的轴拼接。"
    elif not -(rank + 1) <= axis <= rank:
        en = (f"The result has rank {rank + 1} (the inputs' {rank} dimensions plus the new one), so axis "
              f"must be between {-(rank + 1)} and {rank}; {axis} is outside.")
        zh = (f"结果的秩为 {rank + 1}（输入的 {rank} 个维度加上新的一个），所以 axis 必须在 {-(rank + 1)} 到 "
              f"{rank} 之间；{axis} 超出了范围。")
        hint_en, hint_zh = "Negative axes count from the end: -1 is the last.", "负数的轴从末尾数起：-1 表示最后一个。"
    else:
        en, zh, hint_en, hint_zh = "TensorFlow could not stack these tensors.", "TensorFlow 无法堆叠这些张量。", "", ""
    return LabError(f"{en}\nTensorFlow says: {tf_message(err)}", f"{zh}\nTensorFlow 的报错：{tf_message(err)}",
                    hint_en=hint_en, hint_zh=hint_zh, code=code)
