"""Tensor operations as nodes of the graph: ``keras.ops`` calls, with no weights.

Real models compute on tensors between their layers: MobileNetV3's hard sigmoid is
``ReLU(6.0)(x + 3.0) * (1.0 / 6.0)``, a transformer block adds ``x + inputs``. In the graph
each such operation is a node of its own, whose class name is ``ops.`` and the function
(``ops.add``).

An operation of two values (add, subtract, multiply, divide, power, maximum, minimum)
takes ``x1`` and ``x2``, the names of ``keras.ops``: each is a tensor wired into the node,
or a number set in its config (``{"x2": 3.0}`` for ``x + 3.0``; ``{"x1": 1.0}`` for
``1.0 - x``). Two tensors broadcast as NumPy's do. An operation of one value (negative,
abs, square, sqrt, exp, log) takes one wired tensor, ``x``.

tflab builds a node by calling the function itself (``keras.ops.add(x, 3.0)``), and the
code of every style writes that call (``tf.keras.ops.add(x, 3.0)``); a Sequential model
cannot hold one. An operation has no weights and no settings but its numbers. This module
imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tflab.catalog.params import LayerEntry, ParamSpec


@dataclass(frozen=True)
class Operation:
    """One ``keras.ops`` function the graph has a node for."""

    function: str               # its name in keras.ops
    operands: tuple[str, ...]   # its arguments: ("x1", "x2") or ("x",)
    keras_classes: tuple[str, ...]  # Keras's operation classes a model file names it by
    desc_en: str
    desc_zh: str
    #: The x2 a new node from the palette starts with, so that it works on the one tensor
    #: it is wired to in a stack (clear it to wire a second tensor in).
    start: float | None = None


_BINARY = ("x1", "x2")
_UNARY = ("x",)

#: Graph class name -> the operation, in palette order.
OPERATIONS: dict[str, Operation] = {
    "ops.add": Operation("add", _BINARY, ("Add",), "Adds x1 and x2 (x1 + x2).", "把 x1 与 x2 相加（x1 + x2）。",
                         1.0),
    "ops.subtract": Operation("subtract", _BINARY, ("Subtract",), "Subtracts x2 from x1 (x1 - x2).",
                              "从 x1 中减去 x2（x1 - x2）。", 1.0),
    "ops.multiply": Operation("multiply", _BINARY, ("Multiply",), "Multiplies x1 by x2 (x1 * x2).",
                              "把 x1 乘以 x2（x1 * x2）。", 2.0),
    "ops.divide": Operation("divide", _BINARY, ("TrueDivide", "Divide"), "Divides x1 by x2 (x1 / x2).",
                            "用 x1 除以 x2（x1 / x2）。", 2.0),
    "ops.power": Operation("power", _BINARY, ("Power",), "Raises x1 to the power x2 (x1 ** x2).",
                           "求 x1 的 x2 次幂（x1 ** x2）。", 2.0),
    "ops.maximum": Operation("maximum", _BINARY, ("Maximum",), "The larger of x1 and x2, element by element "
                             "(with x2 = 0: a ReLU).", "逐元素取 x1 与 x2 中较大的一个（x2 = 0 时就是 ReLU）。", 0.0),
    "ops.minimum": Operation("minimum", _BINARY, ("Minimum",), "The smaller of x1 and x2, element by element "
                             "(with x2 = 6: a cap at 6).", "逐元素取 x1 与 x2 中较小的一个（x2 = 6 时即上限为 6）。", 6.0),
    "ops.negative": Operation("negative", _UNARY, ("Negative",), "Changes the sign of x (-x).",
                              "改变 x 的符号（-x）。"),
    "ops.abs": Operation("abs", _UNARY, ("Absolute",), "The absolute value of x (|x|).", "x 的绝对值（|x|）。"),
    "ops.square": Operation("square", _UNARY, ("Square",), "x squared (x * x).", "x 的平方（x * x）。"),
    "ops.sqrt": Operation("sqrt", _UNARY, ("Sqrt",), "The square root of x (NaN where x is negative).",
                          "x 的平方根（x 为负数处得到 NaN）。"),
    "ops.exp": Operation("exp", _UNARY, ("Exp",), "e to the power x.", "e 的 x 次幂。"),
    "ops.log": Operation("log", _UNARY, ("Log",), "The natural logarithm of x (-inf at 0, NaN below 0).",
                         "x 的自然对数（0 处为 -inf，负数处为 NaN）。"),
}

#: Keras's operation class name -> the graph's class name (for imported models).
BY_KERAS_CLASS: dict[str, str] = {cls: name for name, op in OPERATIONS.items() for cls in op.keras_classes}

_BROADCAST_EN = ("Two tensors must have the same shape, or sizes of 1 where they differ "
                 "(they broadcast as in NumPy); a number applies to every element.")
_BROADCAST_ZH = "两个张量的形状必须相同，或者在不同处大小为 1（按 NumPy 的规则广播）；数字作用于每个元素。"


def is_operation(class_name: Any) -> bool:
    """Whether ``class_name`` names a tensor operation node (``ops.add``...)."""
    return isinstance(class_name, str) and class_name in OPERATIONS


def function_name(class_name: str) -> str:
    """The ``keras.ops`` function of an operation node: ``ops.add`` -> ``add``."""
    return OPERATIONS[class_name].function


def operands(class_name: str) -> tuple[str, ...]:
    """The arguments of an operation node's function: ("x1", "x2") or ("x",)."""
    return OPERATIONS[class_name].operands


def numbers(class_name: str, config: dict) -> dict[str, Any]:
    """The numbers set in ``config`` in place of tensors, by argument name."""
    return {name: config[name] for name in operands(class_name)
            if len(operands(class_name)) > 1 and config.get(name) is not None}


def tensors_taken(class_name: str, config: dict) -> int:
    """How many tensors an operation with ``config`` takes: its values, less its numbers."""
    return len(operands(class_name)) - len(numbers(class_name, config))


def arguments(class_name: str, config: dict, tensors: list) -> list | None:
    """The function's positional arguments: the numbers of ``config`` in their places and
    ``tensors`` (the wired inputs, in order) in the others; None when they do not make
    exactly the values the function takes."""
    given = numbers(class_name, config)
    args: list = []
    wired = list(tensors)
    for name in operands(class_name):
        if name in given:
            args.append(given[name])
        elif wired:
            args.append(wired.pop(0))
        else:
            return None
    return args if not wired else None


def from_call(class_name: str, args: list, is_tensor: Callable[[Any], bool]) -> tuple[dict, list] | None:
    """The config and the tensors of an operation node for a saved or live call of its
    function on ``args``: every value a tensor, or one of two a plain finite number (``x
    + 3.0`` is ``x2`` = 3.0, ``1.0 - x`` is ``x1`` = 1.0); None for anything else."""
    if len(args) != len(operands(class_name)):
        return None
    tensors = [is_tensor(a) for a in args]
    if all(tensors):
        return {}, list(args)
    if not any(tensors):
        return None
    number = args[tensors.index(False)]
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        return None
    return {"x1" if tensors[1] else "x2": float(number)}, [args[tensors.index(True)]]


def operands_error(class_name: str, name: str, wired: int, config: dict) -> tuple[str, str, str, str]:
    """(English, Chinese, hint English, hint Chinese) for an operation node ``name`` whose
    ``wired`` tensors and numbers do not make the values its function takes."""
    function = function_name(class_name)
    if len(operands(class_name)) == 1:
        return (f"{class_name} {name!r} takes one tensor, x: it has {wired} wired.",
                f"{class_name} {name!r} 只接收一个张量 x：现在连了 {wired} 个。",
                "Wire one tensor into it." if wired == 0 else "Remove a wire: it takes one tensor.",
                "请给它连一个张量。" if wired == 0 else "请去掉一条连线：它只接收一个张量。")
    given = list(numbers(class_name, config))
    en = (f"{class_name} {name!r} takes two values, x1 and x2: it has {wired} wired "
          f"{'tensor' if wired == 1 else 'tensors'} and {len(given)} "
          f"{'number' if len(given) == 1 else 'numbers'} ({', '.join(given) or 'none'}).")
    zh = (f"{class_name} {name!r} 需要两个值 x1 和 x2：现在连了 {wired} 个张量，设置了 {len(given)} 个数字"
          f"（{', '.join(given) or '无'}）。")
    if wired + len(given) < 2:
        hint_en = f"Wire a second tensor into it, or set x2 to a number (keras.ops.{function}(x, 2.0))."
        hint_zh = f"请再连一个张量，或者把 x2 设为一个数字（keras.ops.{function}(x, 2.0)）。"
    else:
        hint_en = "Clear the number of x1 or x2, or remove a wire."
        hint_zh = "请清除 x1 或 x2 的数字，或者去掉一条连线。"
    return en, zh, hint_en, hint_zh


def _entry(class_name: str) -> LayerEntry:
    op = OPERATIONS[class_name]
    if op.operands == _UNARY:
        return LayerEntry(class_name, "operations", False,
                          f"keras.ops.{op.function}: {op.desc_en} Element by element; no weights.",
                          f"keras.ops.{op.function}：{op.desc_zh}逐元素计算；没有权重。",
                          (), initial_config={})
    number_en = "A number in place of a tensor (leave empty to wire a tensor in)."
    number_zh = "代替张量的数字（留空则连入一个张量）。"
    return LayerEntry(
        class_name, "operations", False,
        f"keras.ops.{op.function}: {op.desc_en} {_BROADCAST_EN} No weights.",
        f"keras.ops.{op.function}：{op.desc_zh}{_BROADCAST_ZH}没有权重。",
        (
            ParamSpec("x1", "float", None, nullable=True, desc_en="The first value. " + number_en,
                      desc_zh="第一个值。" + number_zh),
            ParamSpec("x2", "float", None, nullable=True, desc_en="The second value. " + number_en,
                      desc_zh="第二个值。" + number_zh),
        ),
        "positional", 1, 2,
        initial_config={"x2": op.start},
        key_params=("x1", "x2"),
    )


#: The catalog entries of the operations, by class name (no base arguments: an operation
#: has no dtype policy, no trainable flag and no weights).
OPERATION_ENTRIES: dict[str, LayerEntry] = {name: _entry(name) for name in OPERATIONS}


def operation_entries() -> list[LayerEntry]:
    """The tensor operations, in palette order."""
    return list(OPERATION_ENTRIES.values())
