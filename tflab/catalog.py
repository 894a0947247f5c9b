"""The layer catalog: what each Keras layer is, which arguments it takes, and checks.

A layer in the model graph is a ``class_name`` (a ``keras.layers`` class name) and a
*sparse* ``config``: a dict holding only the constructor arguments the user set
(everything absent takes the Keras default). Values are JSON data -- numbers,
strings, bools, ``None``, lists (tuples become lists) -- plus *object values* for
Keras objects::

    {"class_name": "RandomNormal", "module": "initializers",
     "config": {"mean": 0.0, "stddev": 0.05, "seed": 1}}

where ``module`` is one of ``"initializers"``, ``"regularizers"``, ``"constraints"``
or ``"layers"`` (a wrapped layer, e.g. ``Bidirectional(layer=...)``, whose config is
sparse too). Activations are plain strings (``"relu"``).

About forty classroom layers are *curated*: their arguments are written out here by
hand (defaults are Keras 3's real defaults; a test checks them against Keras), with
one-line English and Chinese descriptions written for students. Any other class of
``keras.layers`` gets an entry built from Keras itself on request.

Importing this module does not import TensorFlow or Keras; only the functions that
must look at Keras (:func:`get_entry` for a non-curated name, :func:`all_layer_names`)
import it, lazily.
"""

from __future__ import annotations

import copy
import difflib
import functools
import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tflab import allowlist, tfload
from tflab.messages import TflabError, tr

KINDS = (
    "int", "float", "bool", "str", "choice", "shape", "int_or_tuple", "activation",
    "initializer", "regularizer", "constraint", "layer", "dtype", "axis", "any",
)

CATEGORIES = (
    "input", "core", "convolution", "pooling", "recurrent", "normalization",
    "regularization", "merge", "reshape", "activation", "preprocessing", "attention",
    "other", "custom",
)

_CATEGORY_LABELS = {
    "input": ("Input", "输入"),
    "core": ("Core", "核心"),
    "convolution": ("Convolution", "卷积"),
    "pooling": ("Pooling", "池化"),
    "recurrent": ("Recurrent", "循环"),
    "normalization": ("Normalization", "归一化"),
    "regularization": ("Regularization", "正则化"),
    "merge": ("Merge", "合并"),
    "reshape": ("Reshape", "变形"),
    "activation": ("Activation", "激活"),
    "preprocessing": ("Preprocessing", "预处理"),
    "attention": ("Attention", "注意力"),
    "other": ("Other", "其他"),
    "custom": ("This project", "本项目"),
}

INPUT_MODES = ("single", "list", "positional")

#: The activation names Keras 3 accepts as strings, the common ones first.
ACTIVATIONS = (
    "relu", "sigmoid", "softmax", "tanh", "linear", "leaky_relu", "elu", "selu", "gelu",
    "swish", "silu", "softplus", "softsign", "exponential", "hard_sigmoid", "hard_silu",
    "hard_swish", "relu6", "mish", "celu", "glu", "log_sigmoid", "log_softmax",
    "hard_shrink", "soft_shrink", "tanh_shrink", "hard_tanh", "sparse_plus",
    "sparse_sigmoid", "sparsemax", "squareplus", "threshold",
)

#: Data types a layer can compute in (the ``mixed_*`` ones are mixed-precision policies).
LAYER_DTYPES = ("float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16")

#: Data types a model input can hold.
INPUT_DTYPES = (
    "float32", "float16", "bfloat16", "float64", "int8", "int16", "int32", "int64",
    "uint8", "bool", "string",
)

#: Every data type name accepted for a non-curated layer's ``dtype``.
ALL_DTYPES = tuple(dict.fromkeys(LAYER_DTYPES + INPUT_DTYPES))

#: Layers a Bidirectional wrapper accepts.
RECURRENT_LAYERS = ("SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")


# --------------------------------------------------------------------------- values


def to_json(value: Any) -> Any:
    """``value`` as JSON data: tuples become lists (recursively).

    Raises :class:`TypeError` for anything that is not plain data (numbers, strings,
    bools, ``None``, lists/tuples, dicts with string keys).
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {key: to_json(item) for key, item in value.items()}
    raise TypeError(f"not JSON data: {type(value).__name__}")


def is_object_value(value: Any) -> bool:
    """Whether ``value`` looks like an object value (a dict with class_name and module)."""
    return isinstance(value, dict) and "class_name" in value and "module" in value


def _is_whole(value: Any) -> bool:
    """An int (not a bool), or a float with a whole value."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _fmt(number: float) -> str:
    return f"{number:g}"


def _quoted(values: tuple | list) -> str:
    return ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)


def _close_match(word: Any, options: list[str] | tuple[str, ...]) -> tuple[str, str]:
    """A (hint_en, hint_zh) pair suggesting the option closest to ``word``, or empties."""
    if not isinstance(word, str):
        return "", ""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if not matches:
        return "", ""
    return f"Did you mean {matches[0]!r}?", f"你是不是想写 {matches[0]!r}？"


# --------------------------------------------------------------------------- ParamSpec


@dataclass(frozen=True)
class ParamSpec:
    """One constructor argument of a layer (or initializer): its kind, default and limits.

    ``minimum``/``maximum`` bound numbers (for ``shape``, ``int_or_tuple`` and ``axis``
    they bound each whole number in it); ``exclusive_minimum``/``exclusive_maximum``
    make those bounds strict. ``length`` fixes how many numbers a tuple value holds;
    ``nested`` lets an ``int_or_tuple`` hold pairs (``[[1, 1], [2, 2]]``, as for
    padding and cropping); ``item_nullable`` lets a ``shape`` hold ``None`` for a size
    that is not fixed. ``choices`` lists the allowed values of a ``choice`` (and
    narrows ``dtype`` and ``layer``).
    """

    name: str
    kind: str
    default: Any = None
    required: bool = False
    nullable: bool = False
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    desc_en: str = ""
    desc_zh: str = ""
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    length: int | None = None
    nested: bool = False
    item_nullable: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r} for {self.name!r}")

    def describe(self, lang: str | None = None) -> str:
        """The one-line description in the current (or given) language."""
        return tr(self.desc_en, self.desc_zh, lang)

    def requirement(self) -> tuple[str, str]:
        """What a valid value is, as (English, Chinese) phrases (used in messages)."""
        en, zh = _REQUIREMENTS[self.kind](self)
        if self.nullable:
            en, zh = f"{en}, or None", f"{zh}，或 None（不设置）"
        return en, zh

    def error(self, value: Any, hint_en: str = "", hint_zh: str = "") -> TflabError:
        """The error saying that ``value`` is not a valid value of this parameter."""
        en, zh = self.requirement()
        return TflabError(
            f"{self.name} must be {en} (got {value!r}).",
            f"{self.name} 必须是{zh}（收到的是 {value!r}）。",
            hint_en=hint_en,
            hint_zh=hint_zh,
        )

    def validate(self, value: Any) -> Any:
        """``value`` normalised (tuples become lists, whole floats become ints for int
        kinds, ...), or :class:`TflabError` saying in both languages what is wrong."""
        if value is None:
            if self.nullable:
                return None
            raise self.error(value)
        return _VALIDATORS[self.kind](self, value)


# --------------------------------------------------------------------------- requirements


def _bounds(spec: ParamSpec) -> tuple[str, str]:
    """The bounds of ``spec`` as phrases: (" of at least 1", "不小于 1 的")."""
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and hi is not None and not spec.exclusive_minimum and not spec.exclusive_maximum:
        return f" between {_fmt(lo)} and {_fmt(hi)}", f"介于 {_fmt(lo)} 和 {_fmt(hi)} 之间的"
    en: list[str] = []
    zh: list[str] = []
    if lo is not None:
        en.append(f"greater than {_fmt(lo)}" if spec.exclusive_minimum else f"of at least {_fmt(lo)}")
        zh.append(f"大于 {_fmt(lo)}" if spec.exclusive_minimum else f"不小于 {_fmt(lo)}")
    if hi is not None:
        en.append(f"less than {_fmt(hi)}" if spec.exclusive_maximum else f"at most {_fmt(hi)}")
        zh.append(f"小于 {_fmt(hi)}" if spec.exclusive_maximum else f"不大于 {_fmt(hi)}")
    if not en:
        return "", ""
    return " " + " and ".join(en), "且".join(zh) + " 的"


def _within(spec: ParamSpec, number: float) -> bool:
    if spec.minimum is not None:
        if number < spec.minimum or (spec.exclusive_minimum and number == spec.minimum):
            return False
    if spec.maximum is not None:
        if number > spec.maximum or (spec.exclusive_maximum and number == spec.maximum):
            return False
    return True


def _req_int(spec: ParamSpec) -> tuple[str, str]:
    en, zh = _bounds(spec)
    return f"a whole number{en}", f"{zh}整数"


def _req_float(spec: ParamSpec) -> tuple[str, str]:
    en, zh = _bounds(spec)
    return f"a number{en}", f"{zh}数"


def _req_shape(spec: ParamSpec) -> tuple[str, str]:
    minimum = 1 if spec.minimum is None else spec.minimum
    count_en = f"{spec.length} " if spec.length else ""
    count_zh = f"{spec.length} 个" if spec.length else ""
    en = f"a list of {count_en}whole numbers of at least 1, such as [28, 28, 1]"
    zh = f"由{count_zh}不小于 1 的整数组成的列表，例如 [28, 28, 1]"
    if minimum < 0:
        en += " (one of them may be -1: 'whatever size fits')"
        zh += "（其中一个可以是 -1，表示“自动推算”）"
    if spec.item_nullable:
        en += " (None for a size that may vary)"
        zh += "（大小不固定的维度写 None）"
    return en, zh


def _req_int_or_tuple(spec: ParamSpec) -> tuple[str, str]:
    en, zh = _bounds(spec)
    count_en = f"{spec.length} " if spec.length else ""
    count_zh = f" {spec.length} 个" if spec.length else ""
    en_text = f"a whole number{en} or a list of {count_en}such numbers"
    zh_text = f"{zh}整数，或由{count_zh}这样的整数组成的列表"
    if spec.nested:
        en_text += " (or of [before, after] pairs)"
        zh_text += "（或由 [前, 后] 数对组成的列表）"
    return en_text, zh_text


def _req_choice(spec: ParamSpec) -> tuple[str, str]:
    return f"one of: {_quoted(spec.choices)}", f"以下之一：{_quoted(spec.choices)}"


def _req_dtype(spec: ParamSpec) -> tuple[str, str]:
    names = _quoted(spec.choices or ALL_DTYPES)
    return f"a data type, one of: {names}", f"数据类型，以下之一：{names}"


def _req_layer(spec: ParamSpec) -> tuple[str, str]:
    if spec.choices:
        names = _quoted(spec.choices)
        return f"a layer, one of: {names}", f"一个层，以下之一：{names}"
    return "a layer", "一个层"


_REQUIREMENTS: dict[str, Callable[[ParamSpec], tuple[str, str]]] = {
    "int": _req_int,
    "float": _req_float,
    "bool": lambda spec: ("true or false", "布尔值（true 或 false）"),
    "str": lambda spec: ("text", "文本"),
    "choice": _req_choice,
    "shape": _req_shape,
    "int_or_tuple": _req_int_or_tuple,
    "activation": lambda spec: (
        "the name of an activation function, such as 'relu', 'sigmoid', 'softmax', 'tanh' or 'linear'",
        "激活函数的名称，例如 'relu'、'sigmoid'、'softmax'、'tanh' 或 'linear'",
    ),
    "initializer": lambda spec: (
        "an initializer, such as 'glorot_uniform' or RandomNormal(stddev=0.05)",
        "初始化器，例如 'glorot_uniform' 或 RandomNormal(stddev=0.05)",
    ),
    "regularizer": lambda spec: (
        "a regularizer: 'l1', 'l2', 'l1l2' or L1(l1=...), L2(l2=...), L1L2(l1=..., l2=...)",
        "正则化器：'l1'、'l2'、'l1l2' 或 L1(l1=...)、L2(l2=...)、L1L2(l1=..., l2=...)",
    ),
    "constraint": lambda spec: (
        "a constraint: 'max_norm', 'min_max_norm', 'non_neg', 'unit_norm' or MaxNorm(max_value=...)",
        "约束：'max_norm'、'min_max_norm'、'non_neg'、'unit_norm' 或 MaxNorm(max_value=...)",
    ),
    "layer": _req_layer,
    "dtype": _req_dtype,
    "axis": lambda spec: (
        "an axis: a whole number such as -1, or a list of them",
        "轴：一个整数（例如 -1），或由整数组成的列表",
    ),
    "any": lambda spec: (
        "plain data (numbers, text, true/false, lists)",
        "普通数据（数字、文本、布尔值、列表）",
    ),
}


# --------------------------------------------------------------------------- validators


def _v_int(spec: ParamSpec, value: Any) -> int:
    if not _is_whole(value) or not _within(spec, value):
        raise spec.error(value)
    return int(value)


def _v_float(spec: ParamSpec, value: Any) -> float:
    if not _is_number(value) or not _within(spec, value):
        raise spec.error(value)
    return float(value)


def _v_bool(spec: ParamSpec, value: Any) -> bool:
    if not isinstance(value, bool):
        raise spec.error(value)
    return value


def _v_str(spec: ParamSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise spec.error(value)
    return value


def _v_choice(spec: ParamSpec, value: Any) -> Any:
    for choice in spec.choices:
        if value == choice and type(value) is type(choice):
            return choice
    options = [c for c in spec.choices if isinstance(c, str)]
    raise spec.error(value, *_close_match(value, options))


def _v_shape(spec: ParamSpec, value: Any) -> list:
    if not isinstance(value, (list, tuple)) or (spec.length and len(value) != spec.length):
        raise spec.error(value)
    minimum = 1 if spec.minimum is None else spec.minimum
    result = []
    for item in value:
        if item is None and spec.item_nullable:
            result.append(None)
        elif _is_whole(item) and item >= minimum and item != 0:
            result.append(int(item))
        else:
            raise spec.error(value)
    if result.count(-1) > 1:
        raise spec.error(value, "Only one size can be -1.", "只能有一个维度写 -1。")
    return result


def _whole_in_range(spec: ParamSpec, item: Any) -> bool:
    return _is_whole(item) and _within(spec, item)


def _v_int_or_tuple(spec: ParamSpec, value: Any) -> int | list:
    if _whole_in_range(spec, value):
        return int(value)
    if not isinstance(value, (list, tuple)) or not value:
        raise spec.error(value)
    if spec.length and len(value) != spec.length:
        raise spec.error(value)
    result: list = []
    for item in value:
        if _whole_in_range(spec, item):
            result.append(int(item))
        elif (
            spec.nested
            and isinstance(item, (list, tuple))
            and len(item) == 2
            and all(_whole_in_range(spec, x) for x in item)
        ):
            result.append([int(x) for x in item])
        else:
            raise spec.error(value)
    return result


def _v_activation(spec: ParamSpec, value: Any) -> str:
    if isinstance(value, str) and value in ACTIVATIONS:
        return value
    raise spec.error(value, *_close_match(value, ACTIVATIONS))


def _v_initializer(spec: ParamSpec, value: Any) -> Any:
    from tflab.initializers import normalize_initializer

    try:
        return normalize_initializer(value)
    except TflabError as err:
        raise _prefixed(spec.name, err) from None


def _v_dtype(spec: ParamSpec, value: Any) -> str:
    allowed = spec.choices or ALL_DTYPES
    if isinstance(value, str) and value in allowed:
        return value
    raise spec.error(value, *_close_match(value, allowed))


def _v_axis(spec: ParamSpec, value: Any) -> int | list:
    if _whole_in_range(spec, value):
        return int(value)
    if (
        isinstance(value, (list, tuple))
        and value
        and all(_whole_in_range(spec, item) for item in value)
        and len(set(value)) == len(value)
    ):
        return [int(item) for item in value]
    raise spec.error(value)


def _v_any(spec: ParamSpec, value: Any) -> Any:
    try:
        return to_json(value)
    except TypeError:
        raise spec.error(value) from None


def _prefixed(prefix: str, err: TflabError) -> TflabError:
    """``err`` with ``prefix: `` in front of its message (hints kept)."""
    return TflabError(
        f"{prefix}: {err.en}", f"{prefix}：{err.zh}", hint_en=err.hint_en, hint_zh=err.hint_zh
    )


# Regularizers and constraints: the few Keras classes, their string aliases and arguments.

#: The regularizer / constraint names Keras accepts as strings (class names work too).
REGULARIZER_NAMES = ("l1", "l2", "l1l2", "orthogonal_regularizer")
CONSTRAINT_NAMES = ("max_norm", "min_max_norm", "non_neg", "unit_norm")


def _penalty(name: str, default: float) -> ParamSpec:
    return ParamSpec(
        name, "float", default, minimum=0.0,
        desc_en=f"Strength of the {name.upper()} penalty (0 turns it off).",
        desc_zh=f"{name.upper()} 惩罚的强度（0 表示关闭）。",
    )


_CONSTRAINT_AXIS = ParamSpec(
    "axis", "axis", 0,
    desc_en="Axis (or axes) along which the norm is computed.",
    desc_zh="计算范数所沿的轴。",
)

#: Arguments of each regularizer / constraint class, with Keras 3 defaults.
OBJECT_PARAMS: dict[str, dict[str, tuple[ParamSpec, ...]]] = {
    "regularizers": {
        "L1": (_penalty("l1", 0.01),),
        "L2": (_penalty("l2", 0.01),),
        "L1L2": (_penalty("l1", 0.0), _penalty("l2", 0.0)),
        "OrthogonalRegularizer": (
            ParamSpec("factor", "float", 0.01, minimum=0.0,
                      desc_en="Strength of the penalty.", desc_zh="惩罚的强度。"),
            ParamSpec("mode", "choice", "rows", choices=("rows", "columns"),
                      desc_en="Whether rows or columns should be orthogonal.",
                      desc_zh="要求行还是列相互正交。"),
        ),
    },
    "constraints": {
        "MaxNorm": (
            ParamSpec("max_value", "float", 2, exclusive_minimum=True, minimum=0.0,
                      desc_en="Largest allowed norm of the weights.",
                      desc_zh="权重范数允许的最大值。"),
            _CONSTRAINT_AXIS,
        ),
        "MinMaxNorm": (
            ParamSpec("min_value", "float", 0.0, minimum=0.0,
                      desc_en="Smallest allowed norm of the weights.",
                      desc_zh="权重范数允许的最小值。"),
            ParamSpec("max_value", "float", 1.0, minimum=0.0,
                      desc_en="Largest allowed norm of the weights.",
                      desc_zh="权重范数允许的最大值。"),
            ParamSpec("rate", "float", 1.0, minimum=0.0, maximum=1.0,
                      desc_en="How strongly the norm is pulled into range (1 = fully).",
                      desc_zh="把范数拉回范围内的力度（1 表示完全拉回）。"),
            _CONSTRAINT_AXIS,
        ),
        "NonNeg": (),
        "UnitNorm": (_CONSTRAINT_AXIS,),
    },
}


def _validate_object(spec: ParamSpec, value: Any, module: str, aliases: tuple[str, ...]) -> str | dict:
    """Check a regularizer or constraint: a name string or an object value."""
    classes = OBJECT_PARAMS[module]
    if isinstance(value, str):
        if value in aliases or value in classes:
            return value
        raise spec.error(value, *_close_match(value, aliases))
    if not is_object_value(value) or value.get("module") not in (module, f"keras.{module}"):
        raise spec.error(value)
    class_name = value["class_name"]
    if class_name not in classes:
        raise spec.error(class_name, *_close_match(class_name, list(classes)))
    try:
        checked = validate_arguments(class_name, classes[class_name], value.get("config") or {})
    except TflabError as err:
        raise _prefixed(spec.name, err) from None
    return {"class_name": class_name, "module": module, "config": checked}


def _v_regularizer(spec: ParamSpec, value: Any) -> str | dict:
    return _validate_object(spec, value, "regularizers", REGULARIZER_NAMES)


def _v_constraint(spec: ParamSpec, value: Any) -> str | dict:
    return _validate_object(spec, value, "constraints", CONSTRAINT_NAMES)


def _v_layer(spec: ParamSpec, value: Any) -> dict:
    if not is_object_value(value) or value.get("module") not in ("layers", "keras.layers"):
        raise spec.error(value)
    class_name = value["class_name"]
    if spec.choices and class_name not in spec.choices:
        raise spec.error(class_name, *_close_match(class_name, spec.choices))
    if class_name == "Input" or not is_known_layer(class_name, own=False):
        if class_name in _custom_entries:  # neither built nor written inside a wrapper
            raise TflabError(
                f"{class_name} is a layer class of this project: the wrapped layer ({spec.name}) "
                "must be a layer of tf.keras.layers.",
                f"{class_name} 是本项目自己的层类：被包装的层（{spec.name}）必须是 tf.keras.layers 中的层。",
            )
        raise spec.error(class_name)
    config = value.get("config") or {}
    return {"class_name": class_name, "module": "layers", "config": validate_config(class_name, config)}


_VALIDATORS: dict[str, Callable[[ParamSpec, Any], Any]] = {
    "int": _v_int,
    "float": _v_float,
    "bool": _v_bool,
    "str": _v_str,
    "choice": _v_choice,
    "shape": _v_shape,
    "int_or_tuple": _v_int_or_tuple,
    "activation": _v_activation,
    "initializer": _v_initializer,
    "regularizer": _v_regularizer,
    "constraint": _v_constraint,
    "layer": _v_layer,
    "dtype": _v_dtype,
    "axis": _v_axis,
    "any": _v_any,
}


def validate_arguments(owner: str, specs: tuple[ParamSpec, ...], config: Any) -> dict:
    """A sparse argument dict checked against ``specs``: a new dict, in spec order.

    Unknown names, missing required arguments and bad values are :class:`TflabError`
    naming the argument and ``owner`` (a layer or initializer class name).
    """
    if not isinstance(config, dict):
        raise TflabError(
            f"The settings of {owner} must be a dict of argument names to values (got {config!r}).",
            f"{owner} 的设置必须是“参数名 → 值”的字典（收到的是 {config!r}）。",
        )
    by_name = {spec.name: spec for spec in specs}
    for key in config:
        if key not in by_name:
            names = ", ".join(by_name) or "-"
            hint_en, hint_zh = _close_match(key, list(by_name))
            raise TflabError(
                f"{owner} has no argument {key!r}.",
                f"{owner} 没有名为 {key!r} 的参数。",
                hint_en=hint_en or f"Its arguments are: {names}.",
                hint_zh=hint_zh or f"它的参数有：{names}。",
            )
    result = {}
    for spec in specs:
        if spec.name in config:
            try:
                result[spec.name] = spec.validate(config[spec.name])
            except TflabError as err:
                raise _prefixed(owner, err) from None
        elif spec.required:
            en, zh = spec.requirement()
            raise TflabError(
                f"{owner} needs a value for {spec.name}: {en}.",
                f"{owner} 需要设置 {spec.name}：{zh}。",
            )
    return result


# --------------------------------------------------------------------------- LayerEntry


@dataclass(frozen=True)
class LayerEntry:
    """What the app knows about one layer class.

    ``input_mode`` says how the layer is called: ``"single"`` on one tensor, ``"list"``
    on a list of tensors (merge layers), ``"positional"`` on several tensors given as
    positional arguments (``MultiHeadAttention(query, value)``). ``initial_config`` is
    the sparse config a freshly dropped layer gets (use :meth:`fresh_config` to get a
    copy you may change); ``key_params`` are the 1-3 arguments a layer card shows.
    """

    class_name: str
    category: str
    curated: bool
    desc_en: str
    desc_zh: str
    params: tuple[ParamSpec, ...]
    input_mode: str = "single"
    min_inputs: int = 1
    max_inputs: int | None = 1
    initial_config: dict = field(default_factory=dict)
    key_params: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r} for {self.class_name}")
        if self.input_mode not in INPUT_MODES:
            raise ValueError(f"unknown input mode {self.input_mode!r} for {self.class_name}")

    def describe(self, lang: str | None = None) -> str:
        """The one-line description in the current (or given) language."""
        return tr(self.desc_en, self.desc_zh, lang)

    def param(self, name: str) -> ParamSpec:
        """The spec of argument ``name``; :class:`TflabError` if the layer has none."""
        for spec in self.params:
            if spec.name == name:
                return spec
        raise TflabError(
            f"{self.class_name} has no argument {name!r}.",
            f"{self.class_name} 没有名为 {name!r} 的参数。",
        )

    def fresh_config(self) -> dict:
        """A new copy of :attr:`initial_config`, safe to change."""
        return copy.deepcopy(self.initial_config)


def category_label(category: str, lang: str | None = None) -> str:
    """The display name of a category (``"convolution"`` -> ``"Convolution"`` / ``"卷积"``)."""
    try:
        en, zh = _CATEGORY_LABELS[category]
    except KeyError:
        raise TflabError(f"Unknown layer category {category!r}.", f"未知的层类别 {category!r}。") from None
    return tr(en, zh, lang)


# --------------------------------------------------------------------------- shared specs


def _activation(default: str | None = None, name: str = "activation") -> ParamSpec:
    if name == "recurrent_activation":
        en, zh = "Activation used for the gates.", "门控使用的激活函数。"
    else:
        en = "Activation applied to the output; None means none (linear)."
        zh = "作用在输出上的激活函数；None 表示不使用（线性）。"
    return ParamSpec(name, "activation", default, nullable=True, desc_en=en, desc_zh=zh)


_USE_BIAS = ParamSpec(
    "use_bias", "bool", True,
    desc_en="Whether to add a learnable bias vector.", desc_zh="是否加上可学习的偏置向量。",
)

_SEED = ParamSpec(
    "seed", "int", None, nullable=True, minimum=0,
    desc_en="Random seed for reproducible randomness; None picks one at random.",
    desc_zh="随机种子，用于让随机结果可重现；None 表示随机选择。",
)

_DATA_FORMAT = ParamSpec(
    "data_format", "choice", None, nullable=True, choices=("channels_last", "channels_first"),
    desc_en="Where the channels are: last (height, width, channels) or first; None = last.",
    desc_zh="通道所在位置：最后（高, 宽, 通道）或最前；None 表示最后。",
)

_WEIGHTS = {
    "kernel": ("the weights (kernel)", "权重（kernel）"),
    "bias": ("the bias", "偏置"),
    "recurrent": ("the recurrent weights", "循环权重"),
    "embeddings": ("the embedding vectors", "嵌入向量"),
    "beta": ("the learned offset (beta)", "可学习的偏移（beta）"),
    "gamma": ("the learned scale (gamma)", "可学习的缩放（gamma）"),
    "moving_mean": ("the running mean", "滑动平均值"),
    "moving_variance": ("the running variance", "滑动方差"),
}


def _initializer(prefix: str, default: str) -> ParamSpec:
    en, zh = _WEIGHTS[prefix]
    return ParamSpec(
        f"{prefix}_initializer", "initializer", default,
        desc_en=f"How {en} start before training.",
        desc_zh=f"训练开始前{zh}的初始值。",
    )


def _regularizer(prefix: str) -> ParamSpec:
    if prefix == "activity":
        en, zh = "the layer's output", "层的输出"
    else:
        en, zh = _WEIGHTS[prefix]
    return ParamSpec(
        f"{prefix}_regularizer", "regularizer", None, nullable=True,
        desc_en=f"Penalty on {en} added to the loss (e.g. L2), against overfitting.",
        desc_zh=f"加到损失上的{zh}惩罚（如 L2），用来减轻过拟合。",
    )


def _constraint(prefix: str) -> ParamSpec:
    en, zh = _WEIGHTS[prefix]
    return ParamSpec(
        f"{prefix}_constraint", "constraint", None, nullable=True,
        desc_en=f"Limit applied to {en} after each update (e.g. MaxNorm).",
        desc_zh=f"每次更新后对{zh}施加的限制（如 MaxNorm）。",
    )


def _weight_params(*prefixes: str, defaults: dict[str, str] | None = None) -> tuple[ParamSpec, ...]:
    """Initializers, then regularizers (plus activity_regularizer), then constraints."""
    initial = {"kernel": "glorot_uniform", "bias": "zeros", "recurrent": "orthogonal", **(defaults or {})}
    return (
        *(_initializer(p, initial[p]) for p in prefixes),
        *(_regularizer(p) for p in prefixes),
        _regularizer("activity"),
        *(_constraint(p) for p in prefixes),
    )


def _rate(name: str, en: str, zh: str, required: bool = False) -> ParamSpec:
    return ParamSpec(
        name, "float", None if required else 0.0, required=required, minimum=0.0, maximum=1.0,
        desc_en=en, desc_zh=zh,
    )


_LORA = (
    ParamSpec("lora_rank", "int", None, nullable=True, minimum=1,
              desc_en="Advanced: rank of a LoRA low-rank update for fine-tuning; None = off.",
              desc_zh="进阶：用于微调的 LoRA 低秩更新的秩；None 表示关闭。"),
    ParamSpec("lora_alpha", "float", None, nullable=True, minimum=0.0, exclusive_minimum=True,
              desc_en="Advanced: scale of the LoRA update (lora_alpha / lora_rank).",
              desc_zh="进阶：LoRA 更新的缩放系数（lora_alpha / lora_rank）。"),
)

#: Arguments every layer accepts (from ``keras.layers.Layer``).
BASE_PARAMS = (
    ParamSpec("name", "str", None, nullable=True,
              desc_en="Name of the layer (unique in the model); None gives an automatic name.",
              desc_zh="层的名称（在模型中须唯一）；None 表示自动命名。"),
    ParamSpec("trainable", "bool", True,
              desc_en="Whether training updates this layer's weights.",
              desc_zh="训练时是否更新该层的权重。"),
    ParamSpec("dtype", "dtype", None, nullable=True, choices=LAYER_DTYPES,
              desc_en="Data type (or mixed-precision policy) of the computation; None = float32.",
              desc_zh="计算使用的数据类型（或混合精度策略）；None 表示 float32。"),
)


def _size(name: str, rank: int, default: Any, en: str, zh: str, *, required: bool = False,
          nullable: bool = False, minimum: int = 1, nested: bool = False) -> ParamSpec:
    """An int_or_tuple argument with ``rank`` numbers (kernel_size, strides, ...)."""
    return ParamSpec(
        name, "int_or_tuple", default, required=required, nullable=nullable, minimum=minimum,
        length=rank, nested=nested, desc_en=en, desc_zh=zh,
    )


def _conv_params(rank: int, transpose: bool = False) -> tuple[ParamSpec, ...]:
    one = 1 if rank == 1 else [1] * rank
    padding = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    specs = [
        ParamSpec("filters", "int", None, required=True, minimum=1,
                  desc_en="Number of filters, i.e. output channels.",
                  desc_zh="卷积核（过滤器）的个数，即输出通道数。"),
        _size("kernel_size", rank, None, "Size of the sliding window (e.g. 3 for 3×3).",
              "滑动窗口（卷积核）的大小（例如 3 表示 3×3）。", required=True),
        _activation(),
        _size("strides", rank, one, "Step the window moves each time.", "窗口每次移动的步长。"),
        ParamSpec("padding", "choice", "valid", choices=padding,
                  desc_en="'valid': no padding (output shrinks); 'same': pad so the size is kept"
                  + (" (for stride 1)." if rank > 1 else "; 'causal': only look back in time."),
                  desc_zh="'valid'：不填充（输出变小）；'same'：填充以保持大小"
                  + ("（步长为 1 时）。" if rank > 1 else "；'causal'：只看过去的时间步。")),
    ]
    if transpose:
        specs.append(_size("output_padding", rank, None,
                           "Extra size added to one side of the output; None = inferred.",
                           "在输出一侧额外增加的大小；None 表示自动推断。",
                           nullable=True, minimum=0))
    specs += [
        _DATA_FORMAT,
        _size("dilation_rate", rank, one, "Spacing between the kernel's cells (dilated convolution).",
              "卷积核各单元之间的间隔（空洞卷积）。"),
    ]
    if not transpose:
        specs.append(ParamSpec("groups", "int", 1, minimum=1,
                               desc_en="Split the channels into this many independent groups.",
                               desc_zh="把通道分成多少个相互独立的组。"))
    specs += [_USE_BIAS, *_weight_params("kernel", "bias")]
    return tuple(specs)


def _pool_params(rank: int, default_pool: Any) -> tuple[ParamSpec, ...]:
    return (
        _size("pool_size", rank, default_pool, "Size of the window each output summarises.",
              "每个输出所汇总的窗口大小。", required=default_pool is None),
        _size("strides", rank, None, "Step the window moves; None = same as pool_size.",
              "窗口移动的步长；None 表示与 pool_size 相同。", nullable=True),
        ParamSpec("padding", "choice", "valid", choices=("valid", "same"),
                  desc_en="'valid': no padding; 'same': pad so no input is left out.",
                  desc_zh="'valid'：不填充；'same'：填充，使所有输入都被覆盖。"),
        _DATA_FORMAT,
    )


_KEEPDIMS = ParamSpec(
    "keepdims", "bool", False,
    desc_en="Keep the pooled dimensions (with size 1) instead of removing them.",
    desc_zh="保留被池化的维度（大小为 1），而不是把它们去掉。",
)


def _rnn_params(kind: str) -> tuple[ParamSpec, ...]:
    weights = _weight_params("kernel", "recurrent", "bias")  # 3 initializers, then the rest
    specs = [
        ParamSpec("units", "int", None, required=True, minimum=1,
                  desc_en="Size of the hidden state (and of the output).",
                  desc_zh="隐藏状态（也就是输出）的大小。"),
        _activation("tanh"),
    ]
    if kind != "SimpleRNN":
        specs.append(_activation("sigmoid", "recurrent_activation"))
    specs += [
        ParamSpec("return_sequences", "bool", False,
                  desc_en="Output every time step (needed before another RNN) or only the last.",
                  desc_zh="输出每个时间步（后面再接循环层时需要）还是只输出最后一步。"),
        ParamSpec("return_state", "bool", False,
                  desc_en="Also return the final state(s) as extra outputs.",
                  desc_zh="同时把最终状态作为额外的输出返回。"),
        ParamSpec("go_backwards", "bool", False,
                  desc_en="Read the sequence backwards.", desc_zh="倒序读取序列。"),
        _rate("dropout", "Fraction of the inputs dropped during training.", "训练时丢弃的输入比例。"),
        _rate("recurrent_dropout", "Fraction of the recurrent state dropped during training.",
              "训练时丢弃的循环状态比例。"),
        _USE_BIAS,
        *weights[:3],
    ]
    if kind == "LSTM":
        specs.append(ParamSpec("unit_forget_bias", "bool", True,
                               desc_en="Start the forget gate's bias at 1 (helps learning).",
                               desc_zh="把遗忘门的偏置初始化为 1（有助于学习）。"))
    specs += [
        *weights[3:],
        ParamSpec("stateful", "bool", False,
                  desc_en="Carry the state over from one batch to the next.",
                  desc_zh="把状态从一个批次延续到下一个批次。"),
        ParamSpec("unroll", "bool", False,
                  desc_en="Unroll the loop: faster for short sequences, uses more memory.",
                  desc_zh="展开循环：短序列更快，但更占内存。"),
        _SEED,
    ]
    if kind == "GRU":
        specs.append(ParamSpec("reset_after", "bool", True,
                               desc_en="Apply the reset gate after the matrix multiplication (cuDNN style).",
                               desc_zh="在矩阵乘法之后应用重置门（cuDNN 风格）。"))
    if kind != "SimpleRNN":
        specs.append(ParamSpec("use_cudnn", "choice", "auto", choices=("auto", True, False),
                               desc_en="Use the fast cuDNN kernel on a GPU: 'auto', true or false.",
                               desc_zh="在 GPU 上使用更快的 cuDNN 实现：'auto'、true 或 false。"))
    return tuple(specs)


def _norm_params(batch: bool) -> tuple[ParamSpec, ...]:
    axis = (
        ParamSpec("axis", "int", -1, desc_en="The features axis (usually -1, the channels).",
                  desc_zh="特征所在的轴（通常是 -1，即通道）。")
        if batch else
        ParamSpec("axis", "axis", -1, desc_en="Axis (or axes) to normalise over (usually -1).",
                  desc_zh="进行归一化的轴（通常是 -1）。")
    )
    specs = [axis]
    if batch:
        specs.append(ParamSpec("momentum", "float", 0.99, minimum=0.0, maximum=1.0,
                               desc_en="How slowly the running mean and variance change.",
                               desc_zh="滑动平均值和方差变化的快慢（越大越慢）。"))
    specs += [
        ParamSpec("epsilon", "float", 0.001, minimum=0.0, exclusive_minimum=True,
                  desc_en="Small number added to the variance to avoid dividing by zero.",
                  desc_zh="加到方差上的小数，避免除以零。"),
        ParamSpec("center", "bool", True, desc_en="Learn an offset (beta).",
                  desc_zh="是否学习偏移量（beta）。"),
        ParamSpec("scale", "bool", True, desc_en="Learn a scale (gamma).",
                  desc_zh="是否学习缩放系数（gamma）。"),
        _initializer("beta", "zeros"),
        _initializer("gamma", "ones"),
    ]
    if batch:
        specs += [_initializer("moving_mean", "zeros"), _initializer("moving_variance", "ones")]
    specs += [_regularizer("beta"), _regularizer("gamma"), _constraint("beta"), _constraint("gamma")]
    if batch:
        specs += [
            ParamSpec("renorm", "bool", False, desc_en="Use batch renormalization (advanced).",
                      desc_zh="使用批重归一化（进阶）。"),
            ParamSpec("renorm_clipping", "any", None, nullable=True,
                      desc_en="Advanced: clipping limits for renorm, a dict with rmax, rmin, dmax.",
                      desc_zh="进阶：renorm 的截断范围，包含 rmax、rmin、dmax 的字典。"),
            ParamSpec("renorm_momentum", "float", 0.99, minimum=0.0, maximum=1.0,
                      desc_en="Momentum of the renorm statistics.", desc_zh="renorm 统计量的动量。"),
            ParamSpec("synchronized", "bool", False,
                      desc_en="Share statistics across devices in distributed training.",
                      desc_zh="分布式训练时在多个设备间同步统计量。"),
        ]
    return tuple(specs)


def _merge(name: str, en: str, zh: str, max_inputs: int | None = None) -> LayerEntry:
    return LayerEntry(name, "merge", True, en, zh, (), "list", 2, max_inputs)


def _wrapped(class_name: str, units: int) -> dict:
    return {"class_name": class_name, "module": "layers", "config": {"units": units}}


# --------------------------------------------------------------------------- curated layers


def _curated() -> tuple[LayerEntry, ...]:
    E = LayerEntry
    P = ParamSpec
    return (
        E("Input", "input", True,
          "The model's input: declares the shape of one example (without the batch).",
          "模型的输入：声明单个样本的形状（不含批次维度）。",
          (
              P("shape", "shape", None, required=True, item_nullable=True,
                desc_en="Shape of one example, without the batch size, e.g. [28, 28, 1].",
                desc_zh="单个样本的形状（不含批次大小），例如 [28, 28, 1]。"),
              P("dtype", "dtype", None, nullable=True, choices=INPUT_DTYPES,
                desc_en="Data type of the input values; None = float32.",
                desc_zh="输入数据的类型；None 表示 float32。"),
              P("name", "str", None, nullable=True,
                desc_en="Name of the input; None gives an automatic name.",
                desc_zh="输入的名称；None 表示自动命名。"),
              P("batch_size", "int", None, nullable=True, minimum=1,
                desc_en="Fixed batch size; None lets it vary (usual).",
                desc_zh="固定的批次大小；None 表示可变（通常如此）。"),
          ),
          "single", 0, 0, {"shape": [4]}, ("shape",)),
        E("Dense", "core", True,
          "Fully connected layer: each output is a weighted sum of all inputs plus a bias.",
          "全连接层：每个输出都是所有输入的加权和再加上偏置。",
          (
              P("units", "int", None, required=True, minimum=1,
                desc_en="Number of neurons, i.e. the size of the output.",
                desc_zh="神经元的个数，也就是输出的大小。"),
              _activation(), _USE_BIAS, *_weight_params("kernel", "bias"), *_LORA,
          ),
          # The course's first model, Input(28, 28) -> Flatten -> Dense(100, relu), is two drags away.
          initial_config={"units": 100, "activation": "relu"}, key_params=("units", "activation")),
        E("Flatten", "reshape", True,
          "Flattens each example into a 1-D vector (e.g. an image into a row of pixels).",
          "把每个样本展平成一维向量（例如把图片展开成一行像素）。",
          (_DATA_FORMAT,)),
        E("Conv1D", "convolution", True,
          "1-D convolution: slides small filters along a sequence to find local patterns.",
          "一维卷积：让小卷积核沿序列滑动，寻找局部模式。",
          _conv_params(1), initial_config={"filters": 16, "kernel_size": 3},
          key_params=("filters", "kernel_size", "activation")),
        E("Conv2D", "convolution", True,
          "2-D convolution: slides small filters over an image to find local features.",
          "二维卷积：让小卷积核在图像上滑动，提取局部特征。",
          _conv_params(2), initial_config={"filters": 16, "kernel_size": 3},
          key_params=("filters", "kernel_size", "activation")),
        E("Conv2DTranspose", "convolution", True,
          "Transposed 2-D convolution: learns to enlarge feature maps (upsampling).",
          "二维转置卷积：通过学习把特征图放大（上采样）。",
          _conv_params(2, transpose=True), initial_config={"filters": 16, "kernel_size": 3},
          key_params=("filters", "kernel_size", "strides")),
        E("MaxPooling1D", "pooling", True,
          "Keeps the largest value in each window of a sequence, shortening it.",
          "保留序列中每个窗口里的最大值，使序列变短。",
          _pool_params(1, 2), key_params=("pool_size",)),
        E("MaxPooling2D", "pooling", True,
          "Keeps the largest value in each window of an image, shrinking it.",
          "保留图像中每个窗口里的最大值，使图像变小。",
          _pool_params(2, [2, 2]), key_params=("pool_size",)),
        E("AveragePooling1D", "pooling", True,
          "Averages each window of a sequence, shortening it.",
          "对序列的每个窗口取平均值，使序列变短。",
          _pool_params(1, None), initial_config={"pool_size": 2}, key_params=("pool_size",)),
        E("AveragePooling2D", "pooling", True,
          "Averages each window of an image, shrinking it.",
          "对图像的每个窗口取平均值，使图像变小。",
          _pool_params(2, None), initial_config={"pool_size": [2, 2]}, key_params=("pool_size",)),
        E("GlobalAveragePooling1D", "pooling", True,
          "Averages over all time steps: one value per feature.",
          "对所有时间步取平均：每个特征得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("GlobalAveragePooling2D", "pooling", True,
          "Averages over the whole image: one value per channel.",
          "对整幅图像取平均：每个通道得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("GlobalMaxPooling1D", "pooling", True,
          "Takes the largest value over all time steps: one value per feature.",
          "在所有时间步中取最大值：每个特征得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("GlobalMaxPooling2D", "pooling", True,
          "Takes the largest value over the whole image: one value per channel.",
          "在整幅图像中取最大值：每个通道得到一个值。",
          (_DATA_FORMAT, _KEEPDIMS)),
        E("Dropout", "regularization", True,
          "During training, randomly sets a fraction of inputs to 0 to reduce overfitting.",
          "训练时随机把一部分输入置为 0，用来减轻过拟合。",
          (
              _rate("rate", "Fraction of the inputs to drop (0 to 1).", "要丢弃的输入比例（0 到 1）。",
                    required=True),
              P("noise_shape", "shape", None, nullable=True, item_nullable=True,
                desc_en="Advanced: shape of the drop mask, to drop whole rows or channels together.",
                desc_zh="进阶：丢弃掩码的形状，用来整行或整个通道一起丢弃。"),
              _SEED,
          ),
          initial_config={"rate": 0.2}, key_params=("rate",)),
        E("BatchNormalization", "normalization", True,
          "Normalises each feature using batch statistics, which often speeds up training.",
          "用批次统计量对每个特征做归一化，常常能加快训练。",
          _norm_params(batch=True)),
        E("LayerNormalization", "normalization", True,
          "Normalises the features of each example on its own (common in Transformers).",
          "对每个样本自身的特征做归一化（Transformer 中常用）。",
          _norm_params(batch=False)),
        E("Activation", "activation", True,
          "Applies an activation function, such as relu or softmax, to its input.",
          "对输入应用一个激活函数，例如 relu 或 softmax。",
          (P("activation", "activation", None, required=True,
             desc_en="The activation function to apply.", desc_zh="要应用的激活函数。"),),
          initial_config={"activation": "relu"}, key_params=("activation",)),
        E("LeakyReLU", "activation", True,
          "Like ReLU, but negative inputs keep a small slope instead of becoming 0.",
          "类似 ReLU，但负数输入保留一个小斜率，而不是变成 0。",
          (P("negative_slope", "float", 0.3, minimum=0.0,
             desc_en="Slope used for negative inputs.", desc_zh="负数输入使用的斜率。"),),
          key_params=("negative_slope",)),
        E("ReLU", "activation", True,
          "Rectified linear unit: keeps positive values and turns negatives into 0.",
          "线性整流单元：保留正数，把负数变成 0。",
          (
              P("max_value", "float", None, nullable=True, minimum=0.0,
                desc_en="Upper limit of the output; None = no limit.",
                desc_zh="输出的上限；None 表示不限制。"),
              P("negative_slope", "float", 0.0, minimum=0.0,
                desc_en="Slope used below the threshold (0 = plain ReLU).",
                desc_zh="低于阈值时使用的斜率（0 即普通 ReLU）。"),
              P("threshold", "float", 0.0,
                desc_en="Values below this count as 'negative'.",
                desc_zh="低于这个值的输入按“负数”处理。"),
          )),
        E("Softmax", "activation", True,
          "Turns scores into probabilities that sum to 1.",
          "把分数转换成总和为 1 的概率。",
          (P("axis", "axis", -1, desc_en="Axis along which the probabilities sum to 1.",
             desc_zh="概率沿哪个轴加起来等于 1。"),)),
        E("Reshape", "reshape", True,
          "Rearranges each example into a new shape with the same number of values.",
          "把每个样本重新排列成新的形状，数值个数保持不变。",
          (P("target_shape", "shape", None, required=True, minimum=-1,
             desc_en="New shape without the batch size; one size may be -1 (inferred).",
             desc_zh="新的形状（不含批次大小）；可以有一个维度写 -1（自动推算）。"),),
          initial_config={"target_shape": [-1]}, key_params=("target_shape",)),
        E("Permute", "reshape", True,
          "Reorders the axes of each example, e.g. swaps rows and columns.",
          "调换每个样本各轴的顺序，例如交换行和列。",
          (P("dims", "shape", None, required=True,
             desc_en="New order of the axes, counting from 1 (the batch axis is not counted).",
             desc_zh="各轴的新顺序，从 1 开始编号（不算批次轴）。"),),
          initial_config={"dims": [2, 1]}, key_params=("dims",)),
        E("RepeatVector", "reshape", True,
          "Repeats a vector n times, making a sequence of n steps.",
          "把一个向量重复 n 次，得到一个 n 步的序列。",
          (P("n", "int", None, required=True, minimum=1,
             desc_en="How many times to repeat.", desc_zh="重复的次数。"),),
          initial_config={"n": 3}, key_params=("n",)),
        E("Embedding", "core", True,
          "Turns whole-number word ids into learned vectors.",
          "把整数形式的词编号转换成可学习的向量。",
          (
              P("input_dim", "int", None, required=True, minimum=1,
                desc_en="Vocabulary size: the largest id + 1.", desc_zh="词表大小：最大编号 + 1。"),
              P("output_dim", "int", None, required=True, minimum=1,
                desc_en="Length of each learned vector.", desc_zh="每个学习到的向量的长度。"),
              P("mask_zero", "bool", False,
                desc_en="Treat id 0 as padding that later layers should skip.",
                desc_zh="把编号 0 当作填充，后面的层会跳过它。"),
              _initializer("embeddings", "uniform"),
              _regularizer("embeddings"),
              _constraint("embeddings"),
              *_LORA,
          ),
          initial_config={"input_dim": 1000, "output_dim": 16},
          key_params=("input_dim", "output_dim")),
        E("SimpleRNN", "recurrent", True,
          "The simplest recurrent layer: reads a sequence step by step, keeping a memory.",
          "最简单的循环层：逐步读取序列，并保留一份记忆。",
          _rnn_params("SimpleRNN"), initial_config={"units": 32},
          key_params=("units", "return_sequences")),
        E("LSTM", "recurrent", True,
          "Long short-term memory: a recurrent layer with gates that remember long sequences.",
          "长短期记忆网络：带有门控的循环层，能记住较长的序列。",
          _rnn_params("LSTM"), initial_config={"units": 32},
          key_params=("units", "return_sequences")),
        E("GRU", "recurrent", True,
          "Gated recurrent unit: a simpler, faster relative of LSTM.",
          "门控循环单元：比 LSTM 更简单、更快的循环层。",
          _rnn_params("GRU"), initial_config={"units": 32},
          key_params=("units", "return_sequences")),
        E("Bidirectional", "recurrent", True,
          "Runs a recurrent layer forwards and backwards and combines the two results.",
          "让循环层分别正向和反向读取序列，再把两个结果合并。",
          (
              P("layer", "layer", None, required=True, choices=RECURRENT_LAYERS,
                desc_en="The recurrent layer to run in both directions.",
                desc_zh="要双向运行的循环层。"),
              P("merge_mode", "choice", "concat", nullable=True,
                choices=("concat", "sum", "mul", "ave"),
                desc_en="How to combine both directions; None returns both separately.",
                desc_zh="如何合并两个方向的结果；None 表示分别返回。"),
              P("backward_layer", "layer", None, nullable=True, choices=RECURRENT_LAYERS,
                desc_en="Advanced: a different layer for the backward direction.",
                desc_zh="进阶：反向使用的另一个层。"),
          ),
          initial_config={"layer": _wrapped("LSTM", 32)}, key_params=("layer", "merge_mode")),
        E("TimeDistributed", "recurrent", True,
          "Applies the same layer to every time step of a sequence.",
          "把同一个层应用到序列的每一个时间步上。",
          (P("layer", "layer", None, required=True,
             desc_en="The layer applied at every time step.", desc_zh="在每个时间步上应用的层。"),),
          initial_config={"layer": _wrapped("Dense", 32)},
          key_params=("layer",)),
        E("Concatenate", "merge", True,
          "Joins several inputs end to end along one axis.",
          "沿某个轴把多个输入首尾拼接起来。",
          (P("axis", "int", -1, desc_en="Axis to join along (usually -1, the features).",
             desc_zh="拼接所沿的轴（通常是 -1，即特征）。"),),
          "list", 2, None, key_params=("axis",)),
        _merge("Add", "Adds its inputs element by element (e.g. a residual connection).",
               "把多个输入逐元素相加（例如残差连接）。"),
        _merge("Subtract", "Subtracts the second input from the first, element by element.",
               "逐元素地用第一个输入减去第二个输入。", max_inputs=2),
        _merge("Multiply", "Multiplies its inputs element by element.", "把多个输入逐元素相乘。"),
        _merge("Average", "Averages its inputs element by element.", "对多个输入逐元素求平均。"),
        _merge("Maximum", "Takes the element-wise maximum of its inputs.", "逐元素地取多个输入中的最大值。"),
        E("Rescaling", "preprocessing", True,
          "Multiplies the input by scale and adds offset, e.g. pixels 0-255 to 0-1.",
          "把输入乘以 scale 再加上 offset，例如把 0-255 的像素变成 0-1。",
          (
              P("scale", "float", None, required=True,
                desc_en="Number every input value is multiplied by (e.g. 1/255).",
                desc_zh="每个输入值要乘的数（例如 1/255）。"),
              P("offset", "float", 0.0, desc_en="Number added after scaling.",
                desc_zh="缩放之后再加上的数。"),
          ),
          initial_config={"scale": 1 / 255}, key_params=("scale", "offset")),
        E("UpSampling2D", "reshape", True,
          "Enlarges an image by repeating (or interpolating) its pixels.",
          "通过重复（或插值）像素把图像放大。",
          (
              _size("size", 2, [2, 2], "How many times larger: rows and columns.",
                    "放大的倍数：行和列。"),
              _DATA_FORMAT,
              P("interpolation", "choice", "nearest",
                choices=("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"),
                desc_en="How new pixels are filled in ('nearest' repeats them).",
                desc_zh="新像素的填充方式（'nearest' 表示直接重复）。"),
          ),
          key_params=("size",)),
        E("ZeroPadding2D", "reshape", True,
          "Adds rows and columns of zeros around an image.",
          "在图像四周补上几行几列的 0。",
          (
              _size("padding", 2, [1, 1], "Zeros to add: one number, [rows, cols] or "
                    "[[top, bottom], [left, right]].",
                    "要补的 0 的数量：一个数、[行, 列] 或 [[上, 下], [左, 右]]。",
                    minimum=0, nested=True),
              _DATA_FORMAT,
          ),
          key_params=("padding",)),
        E("Cropping2D", "reshape", True,
          "Cuts rows and columns off the edges of an image.",
          "从图像边缘裁掉若干行和列。",
          (
              _size("cropping", 2, [[0, 0], [0, 0]], "How much to cut: one number, [rows, cols] "
                    "or [[top, bottom], [left, right]].",
                    "要裁掉的大小：一个数、[行, 列] 或 [[上, 下], [左, 右]]。",
                    minimum=0, nested=True),
              _DATA_FORMAT,
          ),
          key_params=("cropping",)),
        E("MultiHeadAttention", "attention", True,
          "Attention with several heads: each position looks at the others (as in Transformers).",
          "多头注意力：每个位置都去关注其他位置（Transformer 的核心）。",
          (
              P("num_heads", "int", None, required=True, minimum=1,
                desc_en="Number of attention heads.", desc_zh="注意力头的个数。"),
              P("key_dim", "int", None, required=True, minimum=1,
                desc_en="Size of each head for query and key.", desc_zh="每个头中 query 和 key 的大小。"),
              P("value_dim", "int", None, nullable=True, minimum=1,
                desc_en="Size of each head for value; None = key_dim.",
                desc_zh="每个头中 value 的大小；None 表示与 key_dim 相同。"),
              _rate("dropout", "Fraction of attention weights dropped during training.",
                    "训练时丢弃的注意力权重比例。"),
              _USE_BIAS,
              P("output_shape", "int_or_tuple", None, nullable=True, minimum=1,
                desc_en="Size of the output's last axis (or axes); None = same as the query.",
                desc_zh="输出最后一个（或几个）轴的大小；None 表示与 query 相同。"),
              P("attention_axes", "axis", None, nullable=True,
                desc_en="Axes attention is applied over; None = all except batch, heads, features.",
                desc_zh="在哪些轴上做注意力；None 表示除批次、头、特征之外的所有轴。"),
              P("sliding_window", "int", None, nullable=True, minimum=1,
                desc_en="Only attend to positions closer than this; None = attend everywhere.",
                desc_zh="只关注距离小于这个值的位置；None 表示关注所有位置。"),
              P("flash_attention", "bool", None, nullable=True,
                desc_en="Use the fast flash-attention kernel; None = when available.",
                desc_zh="是否使用更快的 flash attention 实现；None 表示可用时使用。"),
              *_weight_params("kernel", "bias"),
              P("use_gate", "bool", False,
                desc_en="Advanced: add a learned gate on the attention output.",
                desc_zh="进阶：在注意力输出上加一个可学习的门控。"),
              _SEED,
          ),
          "positional", 2, 3, {"num_heads": 2, "key_dim": 16}, ("num_heads", "key_dim")),
    )


def _with_base_params(entry: LayerEntry) -> LayerEntry:
    """``entry`` with the arguments every layer accepts (name, trainable, dtype) appended."""
    if entry.class_name == "Input":
        return entry
    own = {spec.name for spec in entry.params}
    extra = tuple(spec for spec in BASE_PARAMS if spec.name not in own)
    return replace(entry, params=entry.params + extra)


_CURATED: dict[str, LayerEntry] = {e.class_name: _with_base_params(e) for e in _curated()}


def curated_entries() -> list[LayerEntry]:
    """The curated classroom layers, in palette order (does not import Keras)."""
    return list(_CURATED.values())


def curated_names() -> frozenset[str]:
    """The class names of the curated layers (does not import Keras)."""
    return _CURATED_NAMES


_CURATED_NAMES = frozenset(_CURATED)


# --------------------------------------------------------------------------- extra checks


def _check_permutation(config: dict) -> None:
    dims = config.get("dims")
    if dims is not None and sorted(dims) != list(range(1, len(dims) + 1)):
        raise TflabError(
            f"Permute: dims must list each axis 1..{len(dims)} exactly once (got {dims!r}).",
            f"Permute：dims 必须把 1..{len(dims)} 的每个轴恰好列出一次（收到的是 {dims!r}）。",
            hint_en="Axes are counted from 1; the batch axis is not counted.",
            hint_zh="轴从 1 开始编号，不算批次轴。",
        )


def _check_name(class_name: str, config: dict) -> None:
    name = config.get("name")
    if isinstance(name, str) and ("/" in name or not name.strip()):
        raise TflabError(
            f"{class_name}: the name {name!r} is not allowed: it must not be blank or contain '/'.",
            f"{class_name}：名称 {name!r} 不可用：不能为空白，也不能包含 '/'。",
        )


_EXTRA_CHECKS: dict[str, Callable[[dict], None]] = {"Permute": _check_permutation}


def validate_config(class_name: str, config: Any) -> dict:
    """``config`` (a sparse config of layer ``class_name``) checked and normalised.

    Returns a new dict with the arguments in the catalog's order. Raises
    :class:`TflabError` naming the argument and the layer for an unknown argument, a
    missing required one, or a bad value.
    """
    entry = get_entry(class_name)
    result = validate_arguments(class_name, entry.params, config)
    _check_name(class_name, result)
    check = _EXTRA_CHECKS.get(entry.class_name)
    if check:
        check(result)
    return result


# --------------------------------------------------------------------------- Keras lookups

_MODULE_CATEGORIES = {
    "activations": "activation",
    "attention": "attention",
    "convolutional": "convolution",
    "core": "core",
    "merging": "merge",
    "normalization": "normalization",
    "pooling": "pooling",
    "preprocessing": "preprocessing",
    "regularization": "regularization",
    "reshaping": "reshape",
    "rnn": "recurrent",
}

#: How non-curated layers that take several tensors are called: (mode, min, max).
_INPUT_MODES = {
    "Dot": ("list", 2, 2),
    "Minimum": ("list", 2, None),
    "Attention": ("list", 2, 3),
    "AdditiveAttention": ("list", 2, 3),
    "GroupQueryAttention": ("positional", 2, 3),
}


def _unknown_layer(class_name: Any) -> TflabError:
    refusal = allowlist.layer_refusal(class_name)
    if refusal is not None:
        return refusal
    hint_en, hint_zh = _close_match(class_name, list(_CURATED))
    return TflabError(
        f"Unknown layer {class_name!r}: it is not a usable layer of keras.layers.",
        f"未知的层 {class_name!r}：它不是 keras.layers 中可用的层。",
        hint_en=hint_en, hint_zh=hint_zh,
    )


def _keras_layer_class(class_name: Any) -> type | None:
    """The public ``keras.layers`` class called ``class_name``, or None (imports Keras).
    Only classes of the allow-list (:mod:`tflab.allowlist`) are ever looked up."""
    if not allowlist.is_safe_layer(class_name):
        return None
    keras = tfload.keras()

    cls = getattr(keras.layers, class_name, None)
    if not isinstance(cls, type) or not issubclass(cls, keras.layers.Layer):
        return None
    return cls


@functools.lru_cache(maxsize=1)
def _curated_by_class() -> dict[type, LayerEntry]:
    """Curated entries keyed by their Keras class (to recognise aliases like MaxPool2D)."""
    result = {}
    for name, entry in _CURATED.items():
        cls = _keras_layer_class(name)
        if cls is not None:
            result[cls] = entry
    return result


def is_known_layer(class_name: Any, *, own: bool = True) -> bool:
    """Whether ``class_name`` is a layer the app can use (curated, the open project's
    own layers, else asks Keras). ``own=False`` leaves out the open project's own layers
    (a graph carries its own custom code and checks its classes against that)."""
    if isinstance(class_name, str) and (class_name in _CURATED or (own and class_name in _custom_entries)):
        return True
    return _keras_layer_class(class_name) is not None


def get_entry(class_name: Any) -> LayerEntry:
    """The catalog entry of ``class_name``: curated, the open project's own layer (see
    :func:`set_custom_code`), else built from Keras itself.

    Raises :class:`TflabError` for a name that is not a usable ``keras.layers`` class.
    """
    if not isinstance(class_name, str):
        raise _unknown_layer(class_name)
    if class_name in _CURATED:
        return _CURATED[class_name]
    custom = _custom_entries.get(class_name)
    if custom is not None:
        return custom
    return _keras_entry(class_name)


# --------------------------------------------------------------------------- the project's own layers

#: The layer classes of the open project's custom code (see :func:`set_custom_code`).
_custom_entries: dict[str, LayerEntry] = {}


def set_custom_code(code: Any) -> None:
    """Make the layer classes of ``code`` (a :class:`tflab.custom_layers.CustomCode`, or
    None for none) known to :func:`get_entry`: the app calls it when the open project's
    custom code changes. Builds entries from the code's syntax tree: nothing runs."""
    global _custom_entries
    _custom_entries = {cls.name: custom_entry(cls) for cls in code.classes} if code is not None else {}


def custom_entries() -> list[LayerEntry]:
    """The open project's own layers, in the order its code defines them."""
    return list(_custom_entries.values())


def custom_entry(cls: Any) -> LayerEntry:
    """The entry of one class of custom code (a :class:`tflab.custom_layers.CustomClass`)."""
    from tflab.custom_layers import describe_argument, parameter

    docs = _docstring_args(type("_Doc", (), {"__doc__": cls.doc}))
    params = []
    for name, default, has_default, text in cls.arguments:
        spec = _spec_from_parameter(parameter(name, default, has_default), docs)
        if name not in docs:
            desc_en, desc_zh = describe_argument(text, has_default)
            spec = replace(spec, desc_en=desc_en, desc_zh=desc_zh)
        params.append(spec)
    summary = (cls.doc.strip().splitlines() or [""])[0].strip()
    desc_en = summary or f"Your layer {cls.name}, from this project's custom code."
    desc_zh = summary or f"你的层 {cls.name}，来自本项目的自定义代码。"
    key = [spec.name for spec in params if spec.required]
    key += [spec.name for spec in params if not spec.required and spec.kind in ("int", "float", "activation")]
    entry = LayerEntry(
        cls.name, "custom", False, desc_en, desc_zh, tuple(params),
        cls.input_mode, cls.call_inputs, cls.call_inputs,
        key_params=tuple(key[:2]),
    )
    return _with_base_params(entry)


@functools.cache
def _keras_entry(class_name: str) -> LayerEntry:
    cls = _keras_layer_class(class_name)
    if cls is None:
        raise _unknown_layer(class_name)
    curated = _curated_by_class().get(cls)
    if curated is not None:
        return replace(curated, class_name=class_name)
    return _entry_from_keras(class_name, cls)


def all_layer_names() -> list[str]:
    """Curated layer names first, then every other public layer class of ``keras.layers``
    (each class once, under its own name when Keras exports it; imports Keras)."""
    keras = tfload.keras()

    names = list(_CURATED)
    seen = set(_curated_by_class())
    others = []
    for name in sorted(dir(keras.layers)):
        cls = _keras_layer_class(name)
        if cls is None or cls in seen:
            continue
        own = cls.__name__
        canonical = own if _keras_layer_class(own) is cls else name
        seen.add(cls)
        others.append(canonical)
    return names + sorted(others)


# --------------------------------------------------------------------------- entries from Keras

_TUPLE_NAMES = frozenset({"kernel_size", "strides", "pool_size", "dilation_rate", "size", "output_padding", "cropping"})
_ZERO_OK = frozenset({"padding", "cropping", "output_padding"})


def _docstring_summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    line = doc.strip().splitlines()[0].strip() if doc.strip() else ""
    return line or f"The Keras layer {cls.__name__}."


def _docstring_args(cls: type) -> dict[str, str]:
    """First sentence of each argument's description in the docstring's ``Args:`` section."""
    lines = (inspect.getdoc(cls) or "").splitlines()
    heading = next((i for i, line in enumerate(lines) if line.strip() in ("Args:", "Arguments:")), None)
    if heading is None:
        return {}
    base = _indent(lines[heading])
    result: dict[str, str] = {}
    arg_indent = None
    current = None
    for line in lines[heading + 1:]:
        if not line.strip():
            continue
        indent = _indent(line)
        if indent <= base:
            break
        arg = re.match(r"^\s*(\w+):\s*(.*)$", line)
        if arg and (arg_indent is None or indent == arg_indent):
            arg_indent = indent
            current = arg.group(1)
            result[current] = arg.group(2).strip()
        elif current:
            result[current] += " " + line.strip()
    return {name: _first_sentence(text) for name, text in result.items()}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?\.)(?=\s+[A-Z`\"]|$)", text)
    return (match.group(1) if match else text).strip()


#: Bilingual descriptions for arguments that many layers share.
_SHARED_DESCRIPTIONS = {spec.name: (spec.desc_en, spec.desc_zh) for spec in (*BASE_PARAMS, _DATA_FORMAT, _SEED)}

#: Non-curated arguments known by name: (kind, nullable, minimum, maximum, choices).
_NAMED_KINDS: dict[str, tuple[str, bool, float | None, float | None, tuple]] = {
    "name": ("str", True, None, None, ()),
    "seed": ("int", True, 0, None, ()),
    "data_format": ("choice", True, None, None, ("channels_last", "channels_first")),
    **{n: ("int", False, 1, None, ()) for n in ("units", "filters", "num_heads", "key_dim", "input_dim", "output_dim")},
    **{n: ("float", False, 0.0, 1.0, ()) for n in ("rate", "dropout", "recurrent_dropout")},
}


def _guess_kind(name: str, default: Any) -> str:
    """A parameter kind guessed from an argument's name and default value."""
    by_suffix = {"_initializer": "initializer", "_regularizer": "regularizer", "_constraint": "constraint"}
    for suffix, kind in by_suffix.items():
        if name.endswith(suffix) and (default is None or isinstance(default, str)):
            return kind
    if (name == "activation" or name.endswith("_activation")) and (default is None or isinstance(default, str)):
        return "activation"
    if name in ("layer", "backward_layer"):
        return "layer"
    if name == "dtype":
        return "dtype"
    if (name == "axis" or name.endswith("_axes")) and (default is None or isinstance(default, (int, list))):
        return "axis"
    if name in _TUPLE_NAMES or (name == "padding" and not isinstance(default, str)):
        if default is None or isinstance(default, int) or isinstance(default, list):
            return "int_or_tuple"
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    if isinstance(default, str):
        return "str"
    return "any"


def _spec_from_parameter(param: inspect.Parameter, docs: dict[str, str]) -> ParamSpec:
    """A ParamSpec for one argument of a non-curated Keras layer, guessed from Keras."""
    required = param.default is inspect.Parameter.empty
    try:
        default = None if required else to_json(param.default)
    except TypeError:
        default = None
    desc = docs.get(param.name) or f"The Keras argument {param.name}."
    desc_en, desc_zh = _SHARED_DESCRIPTIONS.get(param.name, (desc, desc))
    named = _NAMED_KINDS.get(param.name)
    if named and (required or default is None or _default_fits(named, default)):
        kind, nullable, low, high, choices = named
        return ParamSpec(
            param.name, kind, default, required=required, nullable=nullable and not required,
            choices=choices, minimum=low, maximum=high, desc_en=desc_en, desc_zh=desc_zh,
        )
    kind = _guess_kind(param.name, default)
    is_tuple = kind == "int_or_tuple"
    has_pairs = isinstance(default, list) and any(isinstance(x, list) for x in default)
    return ParamSpec(
        param.name, kind, default, required=required, nullable=not required and default is None,
        minimum=(0 if param.name in _ZERO_OK else 1) if is_tuple else None,
        nested=is_tuple and (has_pairs or param.name in ("padding", "cropping")),
        length=len(default) if is_tuple and isinstance(default, list) else None,
        desc_en=desc_en, desc_zh=desc_zh,
    )


def _default_fits(named: tuple, default: Any) -> bool:
    """Whether a Keras default fits the kind a known argument name suggests."""
    kind, choices = named[0], named[4]
    if kind == "int":
        return _is_whole(default)
    if kind == "float":
        return _is_number(default)
    if kind == "choice":
        return default in choices
    return isinstance(default, str)


def _category_from_module(module: str) -> str:
    parts = module.split(".")
    if "layers" in parts:
        index = parts.index("layers")
        if index + 1 < len(parts):
            return _MODULE_CATEGORIES.get(parts[index + 1], "other")
    return "other"


def _entry_from_keras(class_name: str, cls: type) -> LayerEntry:
    """An entry for a non-curated layer, built from its signature and docstring."""
    docs = _docstring_args(cls)
    params = [
        _spec_from_parameter(param, docs)
        for param in inspect.signature(cls.__init__).parameters.values()
        if param.name != "self" and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
    ]
    category = _category_from_module(cls.__module__)
    if category == "merge":
        mode, lowest, highest = "list", 2, None
    else:
        mode, lowest, highest = "single", 1, 1
    mode, lowest, highest = _INPUT_MODES.get(class_name, (mode, lowest, highest))
    summary = _docstring_summary(cls)
    entry = LayerEntry(
        class_name, category, False, summary, summary, tuple(params), mode, lowest, highest,
        key_params=tuple(p.name for p in params if p.required)[:3],
    )
    return _with_base_params(entry)
