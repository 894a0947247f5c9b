"""Weight initializers: what each one does, its arguments, checks, code and samples.

An initializer value is either a string Keras accepts (``"glorot_uniform"``) or an
object value (see :mod:`tflab.catalog`)::

    {"class_name": "RandomNormal", "module": "initializers",
     "config": {"mean": 0.0, "stddev": 0.05, "seed": 1}}

whose ``config`` is sparse: only the arguments the user set. Importing this module
does not import TensorFlow or Keras; :func:`to_keras` and :func:`sample` do, lazily.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tflab import tfload
from tflab.catalog.params import ParamSpec, _prefixed, is_object_value, register_validator, validate_arguments
from tflab.messages import TflabError, tr

if TYPE_CHECKING:
    import numpy

#: The largest number of values :func:`sample` draws (keeps a preview from eating memory).
MAX_SAMPLE_VALUES = 10_000_000


@dataclass(frozen=True)
class InitializerSpec:
    """One Keras initializer class: its arguments and the strings that name it.

    ``alias`` is the canonical string (``"glorot_uniform"``), or None where Keras
    cannot build the initializer from a string (Keras 3 fails on ``"constant"``);
    ``aliases`` lists the strings accepted for it (the class name is accepted too).
    """

    class_name: str
    alias: str | None
    aliases: tuple[str, ...]
    params: tuple[ParamSpec, ...]
    desc_en: str
    desc_zh: str

    def describe(self, lang: str | None = None) -> str:
        """The one-line description in the current (or given) language."""
        return tr(self.desc_en, self.desc_zh, lang)


_SEED = ParamSpec(
    "seed", "int", None, nullable=True, minimum=0,
    desc_en="Random seed: the same seed gives the same values; None picks one at random.",
    desc_zh="随机种子：相同的种子得到相同的数值；None 表示随机选择。",
)

_MEAN = ParamSpec("mean", "float", 0.0, desc_en="Centre (mean) of the distribution.",
                  desc_zh="分布的中心（均值）。")

_STDDEV = ParamSpec(
    "stddev", "float", 0.05, minimum=0.0, exclusive_minimum=True,
    desc_en="Spread (standard deviation) of the distribution; must be greater than 0.",
    desc_zh="分布的离散程度（标准差），必须大于 0。",
)

_GAIN = ParamSpec(
    "gain", "float", 1.0, minimum=0.0, exclusive_minimum=True,
    desc_en="Multiplier applied to the matrix; must be greater than 0.",
    desc_zh="矩阵要乘的系数，必须大于 0。",
)

_AXES = (
    ParamSpec("input_axes", "axis", None, nullable=True,
              desc_en="Advanced: axes counted as inputs (fan-in); set together with output_axes.",
              desc_zh="进阶：计为输入（fan-in）的轴；须与 output_axes 一起设置。"),
    ParamSpec("output_axes", "axis", None, nullable=True,
              desc_en="Advanced: axes counted as outputs (fan-out); set together with input_axes.",
              desc_zh="进阶：计为输出（fan-out）的轴；须与 input_axes 一起设置。"),
)


def _scaled(class_name: str, alias: str, en: str, zh: str) -> InitializerSpec:
    """A Glorot / He / LeCun initializer: a seed and the advanced fan axes."""
    return InitializerSpec(class_name, alias, (alias,), (_SEED, *_AXES), en, zh)


_SPECS: tuple[InitializerSpec, ...] = (
    InitializerSpec("Zeros", "zeros", ("zeros", "zero"), (),
                    "Every value starts at 0.", "所有值都初始化为 0。"),
    InitializerSpec("Ones", "ones", ("ones", "one"), (),
                    "Every value starts at 1.", "所有值都初始化为 1。"),
    InitializerSpec(
        "Constant", None, ("constant",),
        (ParamSpec("value", "float", 0.0, desc_en="The number every value starts at.",
                   desc_zh="所有值的初始数值。"),),
        "Every value starts at the same chosen number.", "所有值都初始化为同一个指定的数。"),
    InitializerSpec(
        "RandomNormal", "random_normal", ("random_normal", "normal"), (_MEAN, _STDDEV, _SEED),
        "Random values from a normal (bell-curve) distribution.",
        "从正态分布（钟形曲线）中随机取值。"),
    InitializerSpec(
        "RandomUniform", "random_uniform", ("random_uniform", "uniform"),
        (
            ParamSpec("minval", "float", -0.05, desc_en="Smallest possible value.",
                      desc_zh="可能取到的最小值。"),
            ParamSpec("maxval", "float", 0.05,
                      desc_en="Largest possible value; must be greater than minval.",
                      desc_zh="可能取到的最大值，必须大于 minval。"),
            _SEED,
        ),
        "Random values spread evenly between minval and maxval.",
        "在 minval 和 maxval 之间均匀地随机取值。"),
    InitializerSpec(
        "TruncatedNormal", "truncated_normal", ("truncated_normal",), (_MEAN, _STDDEV, _SEED),
        "Normal-distribution values; any more than 2 standard deviations from the mean are redrawn.",
        "按正态分布取值；偏离均值超过 2 个标准差的值会重新抽取。"),
    InitializerSpec(
        "Identity", "identity", ("identity",), (_GAIN,),
        "The identity matrix (1 on the diagonal, 0 elsewhere) times gain; 2-D weights only.",
        "单位矩阵（对角线为 1，其余为 0）乘以 gain；只适用于二维权重。"),
    _scaled("GlorotUniform", "glorot_uniform",
            "Uniform values scaled by the numbers of inputs and outputs (Xavier); the Keras default.",
            "按输入和输出个数缩放的均匀分布（Xavier 初始化）；Keras 的默认选择。"),
    _scaled("GlorotNormal", "glorot_normal",
            "Truncated normal values scaled by the numbers of inputs and outputs (Xavier).",
            "按输入和输出个数缩放的截断正态分布（Xavier 初始化）。"),
    _scaled("HeUniform", "he_uniform",
            "Uniform values scaled by the number of inputs (He); suits ReLU layers.",
            "按输入个数缩放的均匀分布（He 初始化），适合 ReLU 层。"),
    _scaled("HeNormal", "he_normal",
            "Truncated normal values scaled by the number of inputs (He); suits ReLU layers.",
            "按输入个数缩放的截断正态分布（He 初始化），适合 ReLU 层。"),
    _scaled("LecunUniform", "lecun_uniform",
            "Uniform values scaled by the number of inputs (LeCun); suits SELU layers.",
            "按输入个数缩放的均匀分布（LeCun 初始化），适合 SELU 层。"),
    _scaled("LecunNormal", "lecun_normal",
            "Truncated normal values scaled by the number of inputs (LeCun); suits SELU layers.",
            "按输入个数缩放的截断正态分布（LeCun 初始化），适合 SELU 层。"),
    InitializerSpec(
        "Orthogonal", "orthogonal", ("orthogonal",), (_GAIN, _SEED),
        "A random orthogonal matrix (rows or columns at right angles) times gain; "
        "common for recurrent weights.",
        "随机正交矩阵（行或列两两垂直）乘以 gain；常用于循环层的权重。"),
    InitializerSpec(
        "VarianceScaling", "variance_scaling", ("variance_scaling",),
        (
            ParamSpec("scale", "float", 1.0, minimum=0.0, exclusive_minimum=True,
                      desc_en="Scaling factor; must be greater than 0.",
                      desc_zh="缩放系数，必须大于 0。"),
            ParamSpec("mode", "choice", "fan_in", choices=("fan_in", "fan_out", "fan_avg"),
                      desc_en="Scale by the number of inputs, outputs or their average.",
                      desc_zh="按输入个数、输出个数还是两者平均来缩放。"),
            ParamSpec("distribution", "choice", "truncated_normal",
                      choices=("truncated_normal", "untruncated_normal", "uniform"),
                      desc_en="Shape of the random distribution.", desc_zh="随机分布的类型。"),
            _SEED,
            *_AXES,
        ),
        "Random values whose spread is scaled by the layer's size; "
        "Glorot, He and LeCun are special cases.",
        "按层的大小缩放离散程度的随机值；Glorot、He、LeCun 都是它的特例。"),
)

_BY_NAME: dict[str, InitializerSpec] = {}
for _spec in _SPECS:
    _BY_NAME[_spec.class_name] = _spec
    for _alias in _spec.aliases:
        _BY_NAME[_alias] = _spec


def initializer_names() -> list[str]:
    """The class names of the supported initializers, in display order."""
    return [spec.class_name for spec in _SPECS]


def initializer_spec(name: Any) -> InitializerSpec:
    """The spec for a class name or alias; :class:`TflabError` for an unknown name."""
    spec = _BY_NAME.get(name) if isinstance(name, str) else None
    if spec is None:
        names = ", ".join(initializer_names())
        raise TflabError(
            f"Unknown initializer {name!r}.",
            f"未知的初始化器 {name!r}。",
            hint_en=f"Known initializers: {names}.",
            hint_zh=f"可用的初始化器：{names}。",
        )
    return spec


def _check_arguments(spec: InitializerSpec, args: dict) -> dict:
    """Validate ``args`` (sparse) against ``spec``; returns them normalised, in spec order."""
    config = validate_arguments(spec.class_name, spec.params, args)
    _check_together(spec, config)
    return config


def _effective(spec: InitializerSpec, config: dict, name: str) -> Any:
    """The value of argument ``name``: the one set, else the Keras default."""
    if name in config:
        return config[name]
    return next(param.default for param in spec.params if param.name == name)


def _check_together(spec: InitializerSpec, config: dict) -> None:
    """Checks that involve two arguments: minval < maxval, and both fan axes set or
    neither (a single axis number becomes a one-item list, as Keras needs)."""
    if spec.class_name == "RandomUniform":
        low, high = _effective(spec, config, "minval"), _effective(spec, config, "maxval")
        if not low < high:
            raise TflabError(
                f"RandomUniform: minval ({low:g}) must be less than maxval ({high:g}).",
                f"RandomUniform：minval（{low:g}）必须小于 maxval（{high:g}）。",
            )
    if (config.get("input_axes") is None) != (config.get("output_axes") is None):
        raise TflabError(
            f"{spec.class_name}: input_axes and output_axes must be set together.",
            f"{spec.class_name}：input_axes 和 output_axes 必须同时设置。",
        )
    for key in ("input_axes", "output_axes"):
        if isinstance(config.get(key), int):
            config[key] = [config[key]]


def make_initializer(name: str, **args: Any) -> dict:
    """The object value for initializer ``name`` (class name or alias) with ``args``.

    Only the given arguments go into its (sparse) config; each is checked, and
    :class:`TflabError` says in both languages what is wrong.
    """
    spec = initializer_spec(name)
    return {"class_name": spec.class_name, "module": "initializers", "config": _check_arguments(spec, args)}


def normalize_initializer(value: Any) -> str | dict:
    """The canonical form of an initializer value.

    A string becomes the canonical alias (``"GlorotUniform"`` and ``"glorot_uniform"``
    -> ``"glorot_uniform"``, ``"uniform"`` -> ``"random_uniform"``), or the object
    value with an empty config where Keras cannot take a string (``"constant"``). An
    object value (``module`` ``"initializers"`` or ``"keras.initializers"``) is checked
    and returned with exactly ``class_name``, ``module`` and a checked sparse ``config``.
    """
    if isinstance(value, str):
        spec = initializer_spec(value)
        return spec.alias or make_initializer(spec.class_name)
    if is_object_value(value) and value.get("module") in ("initializers", "keras.initializers"):
        config = value.get("config") or {}
        if isinstance(config, dict):
            return make_initializer(value["class_name"], **config)
    raise TflabError(
        f"Not an initializer: {value!r}.",
        f"这不是一个初始化器：{value!r}。",
        hint_en="Use a name such as 'glorot_uniform', or an initializer object such as "
        "RandomNormal(stddev=0.05).",
        hint_zh="请使用名称（例如 'glorot_uniform'），或初始化器对象（例如 RandomNormal(stddev=0.05)）。",
    )


def _literal(value: Any) -> str:
    """``value`` written as a Python literal (strings in double quotes)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    return repr(value)


def initializer_code(value: Any) -> str:
    """Python code for an initializer value, for the generated program.

    ``"glorot_uniform"`` -> ``'"glorot_uniform"'``; an object value ->
    ``tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=1)``
    (arguments in Keras's order).
    """
    canonical = normalize_initializer(value)
    if isinstance(canonical, str):
        return _literal(canonical)
    args = ", ".join(f"{key}={_literal(item)}" for key, item in canonical["config"].items())
    return f"tf.keras.initializers.{canonical['class_name']}({args})"


def to_keras(value: Any) -> Any:
    """The Keras initializer object for ``value`` (imports Keras)."""
    keras = tfload.keras()

    canonical = normalize_initializer(value)
    if isinstance(canonical, str):
        return keras.initializers.get(canonical)
    return getattr(keras.initializers, canonical["class_name"])(**canonical["config"])


def _check_shape(shape: Any) -> tuple[int, ...]:
    if (
        not isinstance(shape, (list, tuple))
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in shape)
    ):
        raise TflabError(
            f"The shape to fill must be a list of whole numbers of at least 1, such as [3, 4] (got {shape!r}).",
            f"要填充的形状必须是由不小于 1 的整数组成的列表，例如 [3, 4]（收到的是 {shape!r}）。",
        )
    if math.prod(shape) > MAX_SAMPLE_VALUES:
        raise TflabError(
            f"The shape {list(shape)} holds {math.prod(shape):,} values: more than the "
            f"{MAX_SAMPLE_VALUES:,} a preview may draw.",
            f"形状 {list(shape)} 包含 {math.prod(shape):,} 个值，超过了预览允许的 {MAX_SAMPLE_VALUES:,} 个。",
            hint_en="Use a smaller shape.",
            hint_zh="请使用更小的形状。",
        )
    return tuple(shape)


def _check_rank(class_name: str, shape: tuple[int, ...]) -> None:
    if class_name == "Identity" and len(shape) != 2:
        raise TflabError(
            f"Identity only makes 2-D matrices (rows × columns), but the shape {list(shape)} "
            f"has {len(shape)} dimension(s).",
            f"Identity 只能生成二维矩阵（行 × 列），但形状 {list(shape)} 有 {len(shape)} 个维度。",
            hint_en="Use it for a Dense layer's kernel, or pick another initializer.",
            hint_zh="请把它用于全连接层（Dense）的 kernel，或换一个初始化器。",
        )
    if class_name == "Orthogonal" and len(shape) < 2:
        raise TflabError(
            f"Orthogonal needs a shape with at least 2 dimensions (got {list(shape)}).",
            f"Orthogonal 需要至少二维的形状（收到的是 {list(shape)}）。",
        )


def sample(value: Any, shape: Any) -> numpy.ndarray:
    """Draw the initial values ``value`` gives a weight of ``shape``, with Keras itself.

    The same seed gives the same values. Returns a float32 NumPy array.
    """
    canonical = normalize_initializer(value)
    dims = _check_shape(shape)
    spec = initializer_spec(canonical if isinstance(canonical, str) else canonical["class_name"])
    _check_rank(spec.class_name, dims)
    initializer = to_keras(canonical)
    keras = tfload.keras()

    try:
        values = initializer(dims, dtype="float32")
    except (ValueError, TypeError, IndexError) as err:
        raise TflabError(
            f"{spec.class_name} cannot fill the shape {list(dims)}: {err}",
            f"{spec.class_name} 无法填充形状 {list(dims)}：{err}",
        ) from None
    return keras.ops.convert_to_numpy(values)


def _v_initializer(spec: ParamSpec, value: Any) -> Any:
    try:
        return normalize_initializer(value)
    except TflabError as err:
        raise _prefixed(spec.name, err) from None


register_validator("initializer", _v_initializer)
