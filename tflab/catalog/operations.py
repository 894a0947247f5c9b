"""Tensor operations as nodes of the graph: ``keras.ops`` calls, with no weights.

Real models compute on tensors between their layers: MobileNetV3's hard sigmoid is
``ReLU(6.0)(x + 3.0) * (1.0 / 6.0)``, a transformer block adds ``x + inputs``. In the graph
each such operation is a node of its own, whose class name is ``ops.`` and the function
(``ops.add``). It takes two values, ``x1`` and ``x2`` (the names of ``keras.ops``): each
is a tensor wired into the node, or a number set in its config (``{"x2": 3.0}`` for
``x + 3.0``; ``{"x1": 1.0}`` for ``1.0 - x``). Two tensors broadcast as NumPy's do.

tflab builds a node by calling the function itself (``keras.ops.add(x, 3.0)``), and the
code of every style writes that call (``tf.keras.ops.add(x, 3.0)``); a Sequential model
cannot hold one. An operation has no weights and no settings but its numbers. This module
imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

from typing import Any

from tflab.catalog.params import LayerEntry, ParamSpec

#: Graph class name -> (the ``keras.ops`` function, its Python operator, English, Chinese).
OPERATIONS: dict[str, tuple[str, str, str, str]] = {
    "ops.add": ("add", "+", "Adds x1 and x2 (x1 + x2).", "把 x1 与 x2 相加（x1 + x2）。"),
    "ops.subtract": ("subtract", "-", "Subtracts x2 from x1 (x1 - x2).", "从 x1 中减去 x2（x1 - x2）。"),
    "ops.multiply": ("multiply", "*", "Multiplies x1 by x2 (x1 * x2).", "把 x1 乘以 x2（x1 * x2）。"),
    "ops.divide": ("divide", "/", "Divides x1 by x2 (x1 / x2).", "用 x1 除以 x2（x1 / x2）。"),
}

#: The two values an operation takes, in the order of its function's arguments.
OPERANDS = ("x1", "x2")

_BROADCAST_EN = ("Two tensors must have the same shape, or sizes of 1 where they differ "
                 "(they broadcast as in NumPy); a number applies to every element.")
_BROADCAST_ZH = "两个张量的形状必须相同，或者在不同处大小为 1（按 NumPy 的规则广播）；数字作用于每个元素。"


def is_operation(class_name: Any) -> bool:
    """Whether ``class_name`` names a tensor operation node (``ops.add``...)."""
    return isinstance(class_name, str) and class_name in OPERATIONS


def function_name(class_name: str) -> str:
    """The ``keras.ops`` function of an operation node: ``ops.add`` -> ``add``."""
    return OPERATIONS[class_name][0]


def tensors_taken(config: dict) -> int:
    """How many tensors an operation with ``config`` takes: two, less its numbers."""
    return len(OPERANDS) - sum(config.get(name) is not None for name in OPERANDS)


def arguments(config: dict, tensors: list) -> list | None:
    """The function's positional arguments: the numbers of ``config`` (``x1``/``x2``) in
    their places and ``tensors`` (the wired inputs, in order) in the others; None when they
    do not make exactly two values."""
    args: list = []
    wired = list(tensors)
    for name in OPERANDS:
        if config.get(name) is not None:
            args.append(config[name])
        elif wired:
            args.append(wired.pop(0))
        else:
            return None
    return args if not wired else None


def operands_error(class_name: str, name: str, wired: int, config: dict) -> tuple[str, str, str, str]:
    """(English, Chinese, hint English, hint Chinese) for an operation node ``name`` whose
    ``wired`` tensors and numbers do not make its two values."""
    numbers = [key for key in OPERANDS if config.get(key) is not None]
    function = function_name(class_name)
    en = (f"{class_name} {name!r} takes two values, x1 and x2: it has {wired} wired "
          f"{'tensor' if wired == 1 else 'tensors'} and {len(numbers)} "
          f"{'number' if len(numbers) == 1 else 'numbers'} ({', '.join(numbers) or 'none'}).")
    zh = (f"{class_name} {name!r} 需要两个值 x1 和 x2：现在连了 {wired} 个张量，设置了 {len(numbers)} 个数字"
          f"（{', '.join(numbers) or '无'}）。")
    if wired + len(numbers) < 2:
        hint_en = f"Wire a second tensor into it, or set x2 to a number (keras.ops.{function}(x, 2.0))."
        hint_zh = f"请再连一个张量，或者把 x2 设为一个数字（keras.ops.{function}(x, 2.0)）。"
    else:
        hint_en = "Clear the number of x1 or x2, or remove a wire."
        hint_zh = "请清除 x1 或 x2 的数字，或者去掉一条连线。"
    return en, zh, hint_en, hint_zh


def _entry(class_name: str) -> LayerEntry:
    function, operator, en, zh = OPERATIONS[class_name]
    number_en = "A number in place of a tensor (leave empty to wire a tensor in)."
    number_zh = "代替张量的数字（留空则连入一个张量）。"
    return LayerEntry(
        class_name, "operations", False,
        f"keras.ops.{function}: {en} {_BROADCAST_EN} No weights.",
        f"keras.ops.{function}：{zh}{_BROADCAST_ZH}没有权重。",
        (
            ParamSpec("x1", "float", None, nullable=True, desc_en=f"The first value ({operator}'s left side). "
                      + number_en, desc_zh=f"第一个值（{operator} 的左边）。" + number_zh),
            ParamSpec("x2", "float", None, nullable=True, desc_en=f"The second value ({operator}'s right side). "
                      + number_en, desc_zh=f"第二个值（{operator} 的右边）。" + number_zh),
        ),
        "positional", 1, 2,
        initial_config={},
        key_params=("x1", "x2"),
    )


#: The catalog entries of the operations, by class name (no base arguments: an operation
#: has no dtype policy, no trainable flag and no weights).
OPERATION_ENTRIES: dict[str, LayerEntry] = {name: _entry(name) for name in OPERATIONS}


def operation_entries() -> list[LayerEntry]:
    """The tensor operations, in palette order."""
    return list(OPERATION_ENTRIES.values())
