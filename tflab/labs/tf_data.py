"""tf.data lab: slice small arrays into a dataset, then shuffle, batch, repeat and map it.

The data is one array, a tuple of arrays or a dict of arrays, each an
:class:`ArraySpec` (a shape and a fill such as 0, 1, 2, ...). The operations are
tuples applied in order::

    ("shuffle", buffer_size, seed)      # seed: an int, or None for a new order each run
    ("batch", batch_size, drop_remainder)
    ("repeat", count)                   # count: an int, or None for forever
    ("map", "square" | "add_one" | "normalize")

Every element is produced by TensorFlow; the code shown builds the same pipeline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tflab import tfload
from tflab.labs._common import LabError, Note, check_shape, is_count, shape_text, tf_message
from tflab.messages import TflabError

FILLS = ("arange", "zeros", "ones")
DTYPES = ("int32", "float32")
#: The most elements a lab lists (a repeated dataset may never end).
MAX_ELEMENTS = 40
#: ``cardinality`` of a dataset that never ends.
INFINITE = -1

#: What each map function does to one tensor, as code (``x`` is the tensor).
MAP_FUNCTIONS: dict[str, str] = {
    "square": "x * x",
    "add_one": "x + 1",
    "normalize": "tf.cast(x, tf.float32) / 255.0",
}


@dataclass(frozen=True)
class ArraySpec:
    """A small NumPy array: its shape and fill (``"arange"`` counts up from ``start``)."""

    shape: tuple[int, ...]
    fill: str = "arange"
    start: int = 0
    dtype: str = "int32"


DataSpec = ArraySpec | Sequence[ArraySpec] | Mapping[str, ArraySpec]


@dataclass(frozen=True)
class DatasetResult:
    """The dataset's element spec, its first elements (as text and as lists), and its size.

    ``cardinality`` is the number of elements, or :data:`INFINITE` (-1).
    ``values[i]`` is element ``i`` with every tensor turned into (nested) lists.
    """

    element_spec: str
    elements: list[str]
    values: list[Any]
    cardinality: int
    code: str
    notes: tuple[Note, ...] = ()


def from_tensor_slices_lab(data_spec: DataSpec, ops: Sequence[tuple] = ()) -> DatasetResult:
    """Build ``tf.data.Dataset.from_tensor_slices(data)`` and apply ``ops`` in order.

    Arrays whose first dimensions differ give TensorFlow's own error, explained
    (:class:`~tflab.labs._common.LabError`, whose ``code`` reproduces it).
    """
    data = make_data(data_spec)
    steps = [_check_op(op) for op in ops]
    tf = tfload.tensorflow()

    try:
        ds = tf.data.Dataset.from_tensor_slices(data)
    except (ValueError, TypeError, tf.errors.InvalidArgumentError) as err:
        raise _slicing_error(data, err, pipeline_code(data_spec, steps, MAX_ELEMENTS)) from None
    for step in steps:
        ds = _apply(tf, ds, step)
    cardinality = int(ds.cardinality().numpy())
    listed = ds.take(MAX_ELEMENTS) if cardinality == INFINITE or cardinality > MAX_ELEMENTS else ds
    elements = list(listed)
    return DatasetResult(
        element_spec=str(ds.element_spec),
        elements=[format_element(e) for e in elements],
        values=[tf.nest.map_structure(lambda t: t.numpy().tolist(), e) for e in elements],
        cardinality=cardinality,
        code=pipeline_code(data_spec, steps, None if listed is ds else MAX_ELEMENTS),
        notes=_notes(steps),
    )


def make_data(data_spec: DataSpec) -> Any:
    """The NumPy array, tuple of arrays or dict of arrays ``data_spec`` describes."""
    if isinstance(data_spec, ArraySpec):
        return _array(data_spec)
    if isinstance(data_spec, Mapping) and data_spec:
        return {_key(key): _array(spec) for key, spec in data_spec.items()}
    if isinstance(data_spec, (list, tuple)) and data_spec:
        return tuple(_array(spec) for spec in data_spec)
    raise TflabError(
        "The data must be one array, a tuple of arrays or a dict of arrays (not empty).",
        "数据必须是一个数组、由数组组成的元组或由数组组成的字典（不能为空）。",
    )


def format_element(element: Any) -> str:
    """One dataset element as short text: ``[0, 1]``, ``([0, 1], 0)``, ``{'a': 2}``."""
    if isinstance(element, dict):
        return "{" + ", ".join(f"{key!r}: {format_element(v)}" for key, v in element.items()) + "}"
    if isinstance(element, tuple):
        return "(" + ", ".join(format_element(v) for v in element) + ")"
    text = np.array2string(element.numpy(), separator=", ")
    return " ".join(line.strip() for line in text.splitlines())


def pipeline_code(data_spec: DataSpec, steps: Sequence[tuple], take: int | None) -> str:
    """The program that builds the dataset and prints its elements (the first ``take``)."""
    lines = ["import numpy as np", "import tensorflow as tf", ""]
    lines += _data_code(data_spec)
    lines.append("ds = tf.data.Dataset.from_tensor_slices(data)")
    for step in steps:
        lines += _op_code(step, data_spec)
    lines += ["", 'print("element_spec:", ds.element_spec)', 'print("cardinality:", int(ds.cardinality()))']
    lines.append("for element in ds:" if take is None else f"for element in ds.take({take}):")
    lines.append("    print(element)")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- data


def _array(spec: Any) -> np.ndarray:
    if not isinstance(spec, ArraySpec):
        raise TflabError(
            f"Each array must be described by an ArraySpec (got {spec!r}).",
            f"每个数组都必须用 ArraySpec 描述（收到的是 {spec!r}）。",
        )
    shape = check_shape(spec.shape, "array shape", "数组形状")
    if spec.fill not in FILLS or spec.dtype not in DTYPES or not isinstance(spec.start, int):
        raise TflabError(
            f"Unknown array fill {spec.fill!r} or type {spec.dtype!r}: fills are {', '.join(FILLS)}; "
            f"types are {', '.join(DTYPES)}; start is a whole number.",
            f"未知的填充方式 {spec.fill!r} 或类型 {spec.dtype!r}：填充方式有 {', '.join(FILLS)}；"
            f"类型有 {', '.join(DTYPES)}；start 必须是整数。",
        )
    if spec.fill == "arange":
        return np.arange(spec.start, spec.start + math.prod(shape), dtype=spec.dtype).reshape(shape)
    return (np.zeros if spec.fill == "zeros" else np.ones)(shape, dtype=spec.dtype)


def _key(key: Any) -> str:
    if not isinstance(key, str) or not key.strip():
        raise TflabError(
            f"The keys of a dict of arrays must be non-empty names (got {key!r}).",
            f"数组字典的键必须是非空的名称（收到的是 {key!r}）。",
        )
    return key


def _array_code(spec: ArraySpec) -> str:
    shape = tuple(spec.shape)
    if spec.fill == "arange":
        made = f'np.arange({spec.start}, {spec.start + math.prod(shape)}, dtype="{spec.dtype}")'
        return made if len(shape) == 1 else f"{made}.reshape({shape_text(shape)})"
    return f'np.{spec.fill}({shape_text(shape)}, dtype="{spec.dtype}")'


def _data_code(data_spec: DataSpec) -> list[str]:
    if isinstance(data_spec, ArraySpec):
        return [f"data = {_array_code(data_spec)}"]
    if isinstance(data_spec, Mapping):
        items = [f"    {json.dumps(key, ensure_ascii=False)}: {_array_code(spec)}," for key, spec in data_spec.items()]
        return ["data = {", *items, "}"]
    items = [f"    {_array_code(spec)}," for spec in data_spec]
    return ["data = (", *items, ")"]


def _slicing_error(data: Any, err: Exception, code: str) -> LabError:
    tf = tfload.tensorflow()

    firsts = [a.shape[0] if a.ndim else None for a in tf.nest.flatten(data)]
    hint_en = "Give every array the same number of rows (first dimension)."
    hint_zh = "让每个数组的行数（第一个维度）相同。"
    if None in firsts:
        en = ("from_tensor_slices cuts each array along its first dimension, "
              "but a single number (shape ()) has no dimension to cut.")
        zh = "from_tensor_slices 沿每个数组的第一个维度切分，但单个数（形状为 ()）没有可切分的维度。"
        hint_en = "Give each array at least one dimension, such as shape (4,)."
        hint_zh = "让每个数组至少有一个维度，例如形状 (4,)。"
    elif len(set(firsts)) > 1:
        sizes = ", ".join(str(n) for n in firsts)
        en = (f"from_tensor_slices makes ONE element from row i of EVERY array, so all arrays need the "
              f"same first dimension; here they are {sizes}.")
        zh = f"from_tensor_slices 用每个数组的第 i 行组成一个元素，所以所有数组的第一个维度必须相同；这里分别是 {sizes}。"
    else:
        en, zh = "TensorFlow could not slice this data.", "TensorFlow 无法切分这些数据。"
    return LabError(
        f"{en}\nTensorFlow says: {tf_message(err)}",
        f"{zh}\nTensorFlow 的报错：{tf_message(err)}",
        hint_en=hint_en,
        hint_zh=hint_zh,
        code=code,
    )


# --------------------------------------------------------------------------- operations


def _bad_op(op: Any) -> TflabError:
    return TflabError(
        f"Unknown dataset operation {op!r}.",
        f"未知的数据集操作 {op!r}。",
        hint_en='Use ("shuffle", buffer_size, seed), ("batch", batch_size, drop_remainder), '
        f'("repeat", count or None) or ("map", name) with name one of {", ".join(MAP_FUNCTIONS)}.',
        hint_zh='可用操作：("shuffle", buffer_size, seed)、("batch", batch_size, drop_remainder)、'
        f'("repeat", 次数或 None)、("map", 名称)，名称可为 {", ".join(MAP_FUNCTIONS)}。',
    )


def _check_op(op: Any) -> tuple:
    """``op`` checked, as a tuple; :class:`TflabError` for a malformed one."""
    if not isinstance(op, (list, tuple)) or not op:
        raise _bad_op(op)
    name, args = op[0], tuple(op[1:])
    valid = {
        "shuffle": len(args) == 2 and is_count(args[0]) and (args[1] is None or is_count(args[1], 0)),
        "batch": len(args) == 2 and is_count(args[0]) and isinstance(args[1], bool),
        "repeat": len(args) == 1 and (args[0] is None or is_count(args[0])),
        "map": len(args) == 1 and args[0] in MAP_FUNCTIONS,
    }
    if not valid.get(name, False):
        raise _bad_op(op)
    return (name, *args)


def _map_function(tf: Any, name: str, spec: Any) -> Callable:
    """The function ``ds.map`` gets: ``name``'s formula on every tensor of an element
    (whose structure is ``spec``, the dataset's element spec)."""
    one = {
        "square": lambda x: x * x,
        "add_one": lambda x: x + 1,
        "normalize": lambda x: tf.cast(x, tf.float32) / 255.0,
    }[name]
    if isinstance(spec, Mapping):
        return lambda features: {key: one(x) for key, x in features.items()}
    if isinstance(spec, (list, tuple)):
        return lambda *parts: tuple(one(x) for x in parts)
    return one


def _apply(tf: Any, ds: Any, step: tuple) -> Any:
    name = step[0]
    if name == "shuffle":
        return ds.shuffle(step[1], seed=step[2])
    if name == "batch":
        return ds.batch(step[1], drop_remainder=step[2])
    if name == "repeat":
        return ds.repeat(step[1])
    return ds.map(_map_function(tf, step[1], ds.element_spec))


def _op_code(step: tuple, data_spec: DataSpec) -> list[str]:
    name = step[0]
    if name == "shuffle":
        return [f"ds = ds.shuffle({step[1]}, seed={step[2]})"]
    if name == "batch":
        return [f"ds = ds.batch({step[1]}, drop_remainder={step[2]})"]
    if name == "repeat":
        return ["ds = ds.repeat()" if step[1] is None else f"ds = ds.repeat({step[1]})"]
    body = MAP_FUNCTIONS[step[1]]
    if isinstance(data_spec, ArraySpec):
        head, ret = f"def {step[1]}(x):", f"    return {body}"
    elif isinstance(data_spec, Mapping):
        head, ret = f"def {step[1]}(features):", f"    return {{key: {body} for key, x in features.items()}}"
    else:
        head, ret = f"def {step[1]}(*parts):", f"    return tuple({body} for x in parts)"
    return ["", head, ret, "", f"ds = ds.map({step[1]})"]


def _notes(steps: Sequence[tuple]) -> tuple[Note, ...]:
    notes = []
    if any(step[0] == "shuffle" and step[2] is None for step in steps):
        notes.append(Note(
            "shuffle has no seed, so the order changes every time the program runs.",
            "shuffle 没有设置 seed，所以每次运行程序的顺序都会不同。",
        ))
    shuffled = next((i for i, step in enumerate(steps) if step[0] == "shuffle"), None)
    if shuffled is not None and any(step[0] == "repeat" for step in steps[shuffled + 1:]):
        notes.append(Note(
            "repeat comes after shuffle, so every pass through the data gets a new order, even with a "
            "seed (the seed makes these orders the same each time the program runs).",
            "repeat 在 shuffle 之后，所以每遍历一遍数据都会得到新的顺序，即使设置了 seed 也一样"
            "（seed 让程序每次运行时得到的这些顺序都相同）。",
        ))
    if any(step[0] == "repeat" and step[1] is None for step in steps):
        notes.append(Note(
            f"repeat() without a count never ends: only the first {MAX_ELEMENTS} elements are listed.",
            f"不带次数的 repeat() 永远不会结束：这里只列出前 {MAX_ELEMENTS} 个元素。",
        ))
    return tuple(notes)
