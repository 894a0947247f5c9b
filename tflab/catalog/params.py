"""What a layer argument is (:class:`ParamSpec`), how its values are checked, and the
entry of one layer class (:class:`LayerEntry`); the value encoding is described in
:mod:`tflab.catalog`."""

from __future__ import annotations

import copy
import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tflab.messages import TflabError, tr

KINDS = (
    "int", "float", "bool", "str", "choice", "shape", "int_or_tuple", "activation",
    "initializer", "regularizer", "constraint", "layer", "dtype", "axis", "any", "model",
)

CATEGORIES = (
    "input", "core", "convolution", "pooling", "recurrent", "normalization",
    "regularization", "merge", "reshape", "activation", "preprocessing", "attention",
    "operations", "other", "custom",
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
    "operations": ("Tensor operations", "张量运算"),
    "other": ("Other", "其他"),
    "custom": ("This project", "本项目"),
}

INPUT_MODES = ("single", "list", "positional", "model")

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
    "model": lambda spec: (
        "a model graph, as tflab saves it",
        "tflab 保存的模型图",
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


_VALIDATORS: dict[str, Callable[[ParamSpec, Any], Any]] = {
    "int": _v_int,
    "float": _v_float,
    "bool": _v_bool,
    "str": _v_str,
    "choice": _v_choice,
    "shape": _v_shape,
    "int_or_tuple": _v_int_or_tuple,
    "activation": _v_activation,
    "regularizer": _v_regularizer,
    "constraint": _v_constraint,
    "dtype": _v_dtype,
    "axis": _v_axis,
    "any": _v_any,
}


def register_validator(kind: str, validator: Callable[[ParamSpec, Any], Any]) -> None:
    """Check the values of parameters of ``kind`` with ``validator(spec, value)``: the kinds
    whose checks need more of the catalog (``"initializer"``: :mod:`tflab.catalog.initializers`;
    ``"layer"``, a wrapped layer: :mod:`tflab.catalog.registry`) register themselves, and
    importing :mod:`tflab.catalog` imports both."""
    _VALIDATORS[kind] = validator


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
