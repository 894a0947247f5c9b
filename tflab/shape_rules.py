"""Output shapes and parameter counts of the common layers, worked out without Keras.

``python -m tflab summary`` prints each call's output shape and parameters. Asking Keras
means importing TensorFlow first (4.5 s). For the layers most models are made of (dense,
convolution, pooling, normalization, reshaping, merging, recurrent layers, their
wrappers, attention and the tensor operations: every classroom layer of the palette,
every layer of the ``keras.applications`` models, PReLU, group and RMS normalization,
masking, the noise and spatial dropout layers, image augmentation and resizing, Dot
and the two attention layers), the
arithmetic is written out here,
as Keras's own ``compute_output_shape`` and weight shapes do it. :func:`quick_report` gives the same
:class:`~tflab.shapes.ShapeReport` as :func:`tflab.shapes.infer_shapes` for a graph made
only of such layers, and None for anything else: a class without a rule, a setting a
rule does not cover, a project's own layer, or any call Keras might refuse (its error
and hint are Keras's to give). ``tests/test_shape_rules.py`` compares both on the
corpus, every ``keras.applications`` family and generated layer settings.

Imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from tflab.allowlist import APPLICATION_LAYERS, OPERATION_LAYERS
from tflab.catalog import ACTIVATIONS, ParamSpec, curated_names, validate_config
from tflab.catalog.operations import tensors_taken
from tflab.graph import MODEL_CLASS, Layer, ModelGraph, inner_graph
from tflab.keras_defaults import layer_defaults
from tflab.messages import TflabError
from tflab.shapes import CallResult, Shape, ShapeReport, _model_problems, uses_rnn, warning_for
from tflab.superseded import check as check_superseded

Rule = Callable[[dict, list[Shape]], "tuple[list[Shape], int, int]"]


class _NoRule(Exception):
    """A call this module leaves to Keras."""


def quick_report(graph: ModelGraph) -> ShapeReport | None:
    """The shape report of ``graph`` without Keras, or None where only Keras can tell."""
    if graph.custom_code:
        return None
    report = ShapeReport({}, {}, [], _model_problems(graph))
    try:
        report.order = graph.topological_calls()
    except TflabError:
        return None
    shapes: dict[str, list[Shape]] = {}
    for node in graph.inputs:
        shapes[node.id] = [(node.batch_size, *node.shape)]
        report.input_shapes[node.id] = shapes[node.id][0]
    has_rnn = uses_rnn(graph)
    seen: dict[str, list[Shape]] = {}  # layer -> the input shapes of its first call
    try:
        for call_id in report.order:
            check_superseded()
            call = graph.calls[call_id]
            layer = graph.layers[call.layer]
            if not call.inputs:
                return None
            ins = [shapes[ref.node][ref.index] for ref in call.inputs]
            first = call.layer not in seen
            if not first and seen[call.layer] != ins:
                return None  # a shared layer called on other shapes: Keras decides
            seen.setdefault(call.layer, ins)
            ruled = rule_call(layer, ins)
            if ruled is None:
                return None
            outs, params, trainable = ruled
            shapes[call_id] = outs
            result = CallResult(call_id, layer.name, layer.class_name, output_shapes=outs, first_call=first)
            if first:
                result.params, result.trainable_params = params, trainable
            result.warning = warning_for(layer.class_name, ins, has_rnn)
            report.calls[call_id] = result
    except (KeyError, IndexError):
        return None
    return report


def rule_call(layer: Layer, ins: list[Shape]) -> tuple[list[Shape], int, int] | None:
    """One call of ``layer`` on tensors of the shapes ``ins`` (float32), worked out without
    Keras: (output shapes, parameters, trainable parameters), or None where only Keras can
    tell (a class without a rule, a value or a call Keras might refuse). Keras's shape
    check asks this first for each call (:meth:`tflab.shapes.ShapeInference.infer`)."""
    if layer.class_name == MODEL_CLASS:
        return _nested_model(layer, ins)
    rule = RULES.get(layer.class_name)
    if rule is None:
        return None
    try:
        settings = _settings(layer.class_name, layer.config)
        outs, params, trainable = rule(settings, ins)
    except (_NoRule, TflabError, KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return None
    if settings.get("trainable") is False:  # its weights are all non-trainable
        trainable = 0
    if any(d is not None and (not isinstance(d, int) or d <= 0) for shape in outs for d in shape[1:]):
        return None  # an empty or impossible output: Keras's error says why
    return outs, params, trainable


def inner_report(layer: Layer, ins: list[Shape] | None = None) -> tuple[ModelGraph, ShapeReport | None]:
    """The inner graph of a nested model node and its shape report without Keras, on the
    shapes ``ins`` of a call (as Keras runs a Functional model again on the tensors it is
    called on), else on its own inputs. The report is None where only Keras can tell: an
    inner layer without a rule, or shapes the model's inputs do not accept (Keras refuses
    them)."""
    inner = inner_graph(layer)
    if ins is not None:
        if len(ins) != len(inner.inputs):
            return inner, None
        for node, shape in zip(inner.inputs, ins):
            wanted = (node.batch_size, *node.shape)
            if node.dtype != "float32" or len(shape) != len(wanted) or any(
                    w is not None and w != d for w, d in zip(wanted, shape)):
                return inner, None
            node.shape, node.batch_size = tuple(shape[1:]), shape[0]
    return inner, quick_report(inner)


def _nested_model(layer: Layer, ins: list[Shape]) -> tuple[list[Shape], int, int] | None:
    """A call of a nested model (see :func:`inner_report`)."""
    try:
        inner, report = inner_report(layer, ins)
    except TflabError:
        return None
    if report is None or not report.ok:
        return None
    outs = [report.shape_of(ref) for ref in inner.effective_outputs()]
    return outs, report.total_params, report.trainable_params


def _settings(class_name: str, config: dict) -> dict:
    """The config, its values checked as Keras would check them, with Keras's defaults
    filled in (:mod:`tflab.keras_defaults`: a value that copies or follows another
    argument is not filled in, the rule works it out). A layer dtype other than float32
    is left to Keras.

    A layer the catalog describes without Keras (a classroom layer, one of
    ``keras.applications``, a tensor operation) has its values checked by the catalog,
    which refuses what Keras refuses; any other layer may hold, besides the settings its
    rule reads and checks, only defaults, known activations, initializers, regularizers
    and constraints, and booleans: anything else is left to Keras."""
    if class_name in OPERATION_LAYERS:
        validate_config(class_name, config)
        return config
    class_name = ALIASES.get(class_name, class_name)
    table = layer_defaults(class_name)
    if table is None or config.get("dtype", "float32") != "float32":
        raise _NoRule
    if class_name in curated_names() or class_name in APPLICATION_LAYERS:
        validate_config(class_name, config)
    else:
        _check_values(config, table["defaults"], _OWN.get(class_name, frozenset()))
    derived = set(table["copies"]) | set(table["follows"])
    return {**{k: v for k, v in table["defaults"].items() if k not in derived}, **config}


#: Settings the rules of layers outside the classroom set read and check themselves.
_READ = frozenset({"filters", "kernel_size", "strides", "padding", "dilation_rate", "data_format",
                   "depth_multiplier", "pool_size", "cropping", "size", "axis", "mean", "variance", "dtype"})
_OBJECT_KINDS = {"_initializer": "initializer", "_regularizer": "regularizer", "_constraint": "constraint"}


#: Settings that a rule below reads and checks itself, by class.
_OWN: dict[str, frozenset] = {
    "ActivityRegularization": frozenset({"l1", "l2"}),
    **{name: frozenset({"rate", "seed"}) for name in ("GaussianDropout", "SpatialDropout1D", "SpatialDropout2D",
                                                      "SpatialDropout3D")},
    "AlphaDropout": frozenset({"rate", "seed", "noise_shape"}),
    "GaussianNoise": frozenset({"stddev", "seed"}),
    "Masking": frozenset({"mask_value"}),
    "PReLU": frozenset({"shared_axes"}),
    "GroupNormalization": frozenset({"groups", "epsilon", "center", "scale"}),
    "RMSNormalization": frozenset({"epsilon"}),
    "RandomFlip": frozenset({"mode", "seed"}),
    "RandomRotation": frozenset({"factor", "fill_mode", "interpolation", "seed", "fill_value"}),
    **{name: frozenset({"height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value"})
       for name in ("RandomZoom", "RandomTranslation")},
    **{name: frozenset({"factor", "seed"}) for name in ("RandomContrast", "RandomBrightness")},
    "Resizing": frozenset({"height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio",
                           "fill_mode", "fill_value", "antialias"}),
    "CenterCrop": frozenset({"height", "width"}),
    "RandomCrop": frozenset({"height", "width", "seed"}),
    "Dot": frozenset({"axes", "normalize"}),
    "Attention": frozenset({"use_scale", "score_mode", "dropout", "seed"}),
    "AdditiveAttention": frozenset({"use_scale", "dropout", "seed"}),
}


def _check_values(config: dict, defaults: dict, own: frozenset) -> None:
    for key, value in config.items():
        if key in _READ or key in own or (key in defaults and defaults[key] == value):
            continue
        if key == "activation":
            if value not in ACTIVATIONS:
                raise _NoRule
        elif key in ("use_bias", "keepdims", "invert", "trainable"):
            if not isinstance(value, bool):
                raise _NoRule
        else:
            kind = next((k for suffix, k in _OBJECT_KINDS.items() if key.endswith(suffix)), None)
            if kind is None:
                raise _NoRule
            ParamSpec(key, kind, nullable=True).validate(value)  # raises TflabError


# ---------------------------------------------------------------------------- helpers
def _tuple(value: Any, rank: int) -> tuple:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    value = tuple(value)
    if len(value) != rank or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        raise _NoRule
    return value


def _spatial(c: dict, ins: list[Shape], rank: int) -> tuple[Shape, str | None, list, Any]:
    """(input shape, data format, spatial sizes, channels) of the one input of a ``rank``-D
    layer (a 2-D convolution's is 4-D)."""
    (shape,) = ins
    data_format = c.get("data_format")
    if len(shape) != rank + 2:
        raise _NoRule
    if data_format in (None, "channels_last"):
        return shape, data_format, list(shape[1:-1]), shape[-1]
    if data_format == "channels_first":
        return shape, data_format, list(shape[2:]), shape[1]
    raise _NoRule


def _assemble(batch: Any, spatial: list, channels: Any, data_format: str | None) -> Shape:
    if data_format == "channels_first":
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _window(size: Any, kernel: int, stride: int, dilation: int, padding: str) -> Any:
    """The output length of a sliding window (Keras's ``compute_conv_output_shape``)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - ((kernel - 1) * dilation + 1)) // stride + 1
    if padding == "same":
        return (size + stride - 1) // stride
    raise _NoRule


def _known(*values: Any) -> None:
    if any(v is None for v in values):
        raise _NoRule  # a weight shape Keras cannot make: its error says why


def _bias(config: dict, count: int) -> int:
    return count if config["use_bias"] else 0


# ---------------------------------------------------------------------------- rules
def _dense(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    if len(shape) < 2 or c.get("lora_rank"):
        raise _NoRule
    _known(shape[-1])
    params = shape[-1] * c["units"] + _bias(c, c["units"])
    return [(*shape[:-1], c["units"])], params, params


def _conv(rank: int, kind: str) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        shape, fmt, sizes, channels = _spatial(c, ins, rank)
        _known(channels)
        kernel = _tuple(c["kernel_size"], rank)
        strides, dilation = _tuple(c["strides"], rank), _tuple(c["dilation_rate"], rank)
        if any(s > 1 for s in strides) and any(d > 1 for d in dilation):
            raise _NoRule  # Keras refuses this pair
        padding = str(c["padding"]).lower()
        out = [_window(n, k, s, d, padding) for n, k, s, d in zip(sizes, kernel, strides, dilation)]
        area = math.prod(kernel)
        if kind == "conv":
            groups = c["groups"]
            if channels % groups or c["filters"] % groups:
                raise _NoRule
            filters = c["filters"]
            params = area * (channels // groups) * filters + _bias(c, filters)
        elif kind == "depthwise":
            filters = channels * c["depth_multiplier"]
            params = area * filters + _bias(c, filters)
        else:  # separable
            inner = channels * c["depth_multiplier"]
            filters = c["filters"]
            params = area * inner + inner * filters + _bias(c, filters)
        return [_assemble(shape[0], out, filters, fmt)], params, params
    return rule


def _conv_transpose(rank: int) -> Rule:
    """Keras's ``compute_conv_transpose_output_shape``; a kernel of (kernel..., filters,
    channels) and a bias of filters."""
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        shape, fmt, sizes, channels = _spatial(c, ins, rank)
        _known(channels)
        kernel = _tuple(c["kernel_size"], rank)
        strides, dilation = _tuple(c["strides"], rank), _tuple(c["dilation_rate"], rank)
        extra = c.get("output_padding")
        extra = (None,) * rank if extra is None else tuple(
            (extra,) * rank if isinstance(extra, int) and not isinstance(extra, bool) else extra)
        padding = str(c["padding"]).lower()
        if (len(extra) != rank or padding not in ("valid", "same")
                or any(e is not None and not (isinstance(e, int) and 0 <= e < s) for e, s in zip(extra, strides))
                or (max(strides) > 1 and max(dilation) > 1)):
            raise _NoRule  # Keras refuses these
        out = []
        for n, k, s, d, e in zip(sizes, kernel, strides, dilation, extra):
            k = (k - 1) * d + 1
            if n is None:
                out.append(None)
            elif padding == "valid":
                out.append((n - 1) * s + k + (max(k, s) - k if e is None else e))
            else:
                out.append(n * s if e is None else (n - 1) * s + k % 2 + e)
        filters = c["filters"]
        params = math.prod(kernel) * filters * channels + _bias(c, filters)
        return [_assemble(shape[0], out, filters, fmt)], params, params
    return rule


def _pool(rank: int) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        shape, fmt, sizes, channels = _spatial(c, ins, rank)
        pool = _tuple(c["pool_size"], rank)
        strides = _tuple(c["strides"], rank) if c.get("strides") is not None else pool  # None: pool_size
        padding = str(c["padding"]).lower()
        out = [_window(n, p, s, 1, padding) for n, p, s in zip(sizes, pool, strides)]
        return [_assemble(shape[0], out, channels, fmt)], 0, 0
    return rule


def _global_pool(rank: int) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        shape, fmt, sizes, channels = _spatial(c, ins, rank)
        if c["keepdims"]:
            return [_assemble(shape[0], [1] * len(sizes), channels, fmt)], 0, 0
        return [(shape[0], channels)], 0, 0
    return rule


def _same(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    return [shape], 0, 0


def _flatten(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    if c["data_format"] == "channels_first" or len(shape) < 1:
        raise _NoRule
    rest = shape[1:]
    return [(shape[0], None if None in rest else math.prod(rest))], 0, 0


def _reshape(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    target = list(c["target_shape"])
    if not all(isinstance(d, int) and not isinstance(d, bool) and (d > 0 or d == -1) for d in target):
        raise _NoRule
    known = math.prod(d for d in target if d != -1)
    size = None if None in shape[1:] else math.prod(shape[1:])
    if target.count(-1) > 1 or size is None:
        raise _NoRule
    if -1 in target:
        if size % known:
            raise _NoRule
        target[target.index(-1)] = size // known
    elif known != size:
        raise _NoRule
    return [(shape[0], *target)], 0, 0


def _batch_norm(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    axis = c["axis"]
    if not isinstance(axis, int) or isinstance(axis, bool) or c["renorm"] or not -len(shape) <= axis < len(shape):
        raise _NoRule
    channels = shape[axis]
    _known(channels)
    trainable = channels * (bool(c["scale"]) + bool(c["center"]))
    return [shape], trainable + 2 * channels, trainable


def _layer_norm(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    axes = c["axis"]
    axes = [axes] if isinstance(axes, int) else list(axes)
    if c["rms_scaling"] or not axes or not all(isinstance(a, int) and -len(shape) <= a < len(shape) for a in axes):
        raise _NoRule
    size = [shape[a] for a in sorted({a % len(shape) for a in axes})]
    _known(*size)
    params = math.prod(size) * (bool(c["scale"]) + bool(c["center"]))
    return [shape], params, params


def _merge(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Add, Multiply...: Keras's ``Merge.compute_output_shape`` (an unknown size stays
    unknown; a size of 1 takes the other's)."""
    if len(ins) < 2:
        raise _NoRule
    batches = {shape[0] for shape in ins} - {None}
    if len(batches) > 1:
        raise _NoRule
    out = tuple(ins[0][1:])
    for shape in ins[1:]:
        longer, shorter = (out, tuple(shape[1:])) if len(out) >= len(shape) - 1 else (tuple(shape[1:]), out)
        merged = list(longer[:len(longer) - len(shorter)])
        for i, j in zip(longer[len(longer) - len(shorter):], shorter):
            if i is None or j is None:
                merged.append(None)
            elif i == 1 or j == 1:
                merged.append(j if i == 1 else i)
            elif i != j:
                raise _NoRule
            else:
                merged.append(i)
        out = tuple(merged)
    return [(batches.pop() if batches else None, *out)], 0, 0


def _subtract(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    if len(ins) != 2:
        raise _NoRule
    return _merge(c, ins)


def _broadcast(first: Shape, second: Shape) -> Shape:
    """``keras.ops`` broadcasting (``operation_utils.broadcast_shapes``)."""
    width = max(len(first), len(second))
    first = (1,) * (width - len(first)) + tuple(first)
    second = (1,) * (width - len(second)) + tuple(second)
    out = []
    for a, b in zip(first, second):
        if a == 1:
            out.append(b)
        elif a is None:
            out.append(None if b == 1 else b)
        elif b in (1, None, a):
            out.append(a)
        else:
            raise _NoRule
    return tuple(out)


def _concatenate(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    if len(ins) < 2 or len({len(s) for s in ins}) != 1:
        raise _NoRule
    rank = len(ins[0])
    axis = c["axis"]
    if not -rank < axis < rank or axis % rank == 0:
        raise _NoRule
    axis %= rank
    for index in range(1, rank):
        if index != axis and len({s[index] for s in ins}) != 1:
            raise _NoRule
    sizes = [s[axis] for s in ins]
    out = list(ins[0])
    out[axis] = None if None in sizes else sum(sizes)
    return [tuple(out)], 0, 0


def _padding(rank: int, crop: bool) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        shape, fmt, sizes, channels = _spatial(c, ins, rank)
        pairs = _pairs(c["cropping" if crop else "padding"], rank)
        sign = -1 if crop else 1
        out = [None if n is None else n + sign * (a + b) for n, (a, b) in zip(sizes, pairs)]
        return [_assemble(shape[0], out, channels, fmt)], 0, 0
    return rule


def _pairs(value: Any, rank: int) -> list[tuple[int, int]]:
    """Padding or cropping as (before, after) per axis, from ``1``, ``(1, 2)`` or ``((1, 2), (3, 4))``."""
    def whole(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if whole(value):
        return [(value, value)] * rank
    value = list(value)
    if rank == 1 and len(value) == 2 and all(whole(v) for v in value):
        return [(value[0], value[1])]
    if len(value) != rank:
        raise _NoRule
    pairs = []
    for item in value:
        if whole(item):
            pairs.append((item, item))
        elif isinstance(item, (list, tuple)) and len(item) == 2 and all(whole(v) for v in item):
            pairs.append((item[0], item[1]))
        else:
            raise _NoRule
    return pairs


def _embedding(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    if c.get("lora_rank") or c.get("sparse"):
        raise _NoRule
    params = c["input_dim"] * c["output_dim"]
    return [(*shape, c["output_dim"])], params, params


def _upsampling(rank: int) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        shape, fmt, sizes, channels = _spatial(c, ins, rank)
        size = _tuple(c["size"], rank)
        out = [None if n is None else n * s for n, s in zip(sizes, size)]
        return [_assemble(shape[0], out, channels, fmt)], 0, 0
    return rule


def _repeat(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    if len(shape) != 2:
        raise _NoRule
    return [(shape[0], c["n"], shape[1])], 0, 0


def _permute(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    dims = list(c["dims"])
    if sorted(dims) != list(range(1, len(shape))):
        raise _NoRule
    return [(shape[0], *(shape[d] for d in dims))], 0, 0


#: Weights per unit of each recurrent layer: (kernel and recurrent kernel blocks, bias blocks).
_GATES = {"SimpleRNN": (1, 1), "LSTM": (4, 4), "GRU": (3, 6)}
#: The states each gives with ``return_state`` (after its output): LSTM's h and c.
_STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}


def _recurrent(class_name: str) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        (shape,) = ins
        if len(shape) != 3:
            raise _NoRule
        _known(shape[-1])
        units = c["units"]
        blocks, bias_blocks = _GATES[class_name]
        if class_name == "GRU" and not c["reset_after"]:
            bias_blocks = 3
        params = blocks * (shape[-1] * units + units * units) + _bias(c, bias_blocks * units)
        out = (shape[0], shape[1], units) if c["return_sequences"] else (shape[0], units)
        states = [(shape[0], units)] * (_STATES[class_name] if c["return_state"] else 0)
        return [out, *states], params, params
    return rule


def _inner(value: Any) -> tuple[str, dict]:
    """The class and settings of the layer a wrapper holds (an object value)."""
    if not isinstance(value, dict) or value.get("module") != "layers":
        raise _NoRule
    class_name = value["class_name"]
    config = {k: v for k, v in (value.get("config") or {}).items() if k != "name"}
    if config.get("trainable") is False:
        raise _NoRule  # what the wrapper then counts as trainable is Keras's to tell
    return class_name, _settings(class_name, config)


def _bidirectional(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Keras's ``Bidirectional.compute_output_shape``: the recurrent layer's output, its
    last axis doubled by ``concat``; the weights of two such layers."""
    class_name, inner = _inner(c["layer"])
    if class_name not in _GATES or c.get("backward_layer") is not None or c["merge_mode"] not in (
            "concat", "sum", "ave", "mul"):
        raise _NoRule
    (out,), params, trainable = RULES[class_name](inner, ins)
    if c["merge_mode"] == "concat":
        out = (*out[:-1], out[-1] * 2)
    return [out], 2 * params, 2 * trainable


def _time_distributed(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Keras's ``TimeDistributed.compute_output_shape``: the layer on each step."""
    (shape,) = ins
    class_name, inner = _inner(c["layer"])
    rule = RULES.get(class_name)
    if rule is None or len(shape) < 3 or class_name in ("Bidirectional", "TimeDistributed"):
        raise _NoRule
    outs, params, trainable = rule(inner, [(shape[0], *shape[2:])])
    if len(outs) != 1:
        raise _NoRule
    return [(outs[0][0], shape[1], *outs[0][1:])], params, trainable


def _multi_head_attention(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Keras's MultiHeadAttention called on (query, value) or (query, value, key): the
    query's shape (its last axis ``output_shape`` if given); query, key and value
    projections to ``num_heads`` x ``key_dim`` (``value_dim``), and the output projection."""
    if len(ins) not in (2, 3) or c["attention_axes"] is not None or c.get("use_gate"):
        raise _NoRule
    query, value = ins[0], ins[1]
    key = ins[2] if len(ins) == 3 else value
    if min(len(query), len(value), len(key)) < 3 or value[1:-1] != key[1:-1]:
        raise _NoRule
    _known(query[-1], value[-1], key[-1])
    heads, key_dim = c["num_heads"], c["key_dim"]
    value_dim = c.get("value_dim") or key_dim
    size = c["output_shape"]
    if isinstance(size, list) and len(size) == 1:
        size = size[0]
    if size is not None and not (isinstance(size, int) and not isinstance(size, bool) and size > 0):
        raise _NoRule
    out_dim = size or query[-1]
    bias = 1 if c["use_bias"] else 0
    params = (query[-1] + bias) * heads * key_dim + (key[-1] + bias) * heads * key_dim
    params += (value[-1] + bias) * heads * value_dim + heads * value_dim * out_dim + bias * out_dim
    return [(*query[:-1], out_dim)], params, params


def _layer_scale(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    if shape[-1] != c["projection_dim"]:
        raise _NoRule  # tflab's own message for it comes with Keras's check
    return [shape], c["projection_dim"], c["projection_dim"]


def _operation(class_name: str) -> Rule:
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        if len(ins) != tensors_taken(class_name, c):
            raise _NoRule
        return [_broadcast(ins[0], ins[1]) if len(ins) == 2 else ins[0]], 0, 0
    return rule


def _custom_scale(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Inception-ResNet-V2's ``inputs[0] + inputs[1] * scale``."""
    first, second = ins
    if len(first) != len(second):
        raise _NoRule  # tflab's own message for it comes with Keras's check
    return [_broadcast(first, second)], 0, 0


def _normalization(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Keras's Normalization: with its mean and variance given, constants (no weights);
    without, two non-trainable weights of the kept axes' shape and a count."""
    (shape,) = ins
    axes = c["axis"]
    axes = [axes] if isinstance(axes, int) else list(axes or ())
    if not all(isinstance(a, int) and not isinstance(a, bool) and -len(shape) <= a < len(shape) for a in axes):
        raise _NoRule
    kept = [shape[a % len(shape)] for a in sorted({a % len(shape) for a in axes})]
    _known(*kept)
    mean, variance = c.get("mean"), c.get("variance")
    if mean is None and variance is None:
        size = math.prod(kept)
        return [shape], 2 * size + 1, 0
    for value in (mean, variance):
        fits = isinstance(value, (int, float)) or (isinstance(value, list) and len(kept) == 1
                                                   and len(value) == kept[0]
                                                   and all(isinstance(v, (int, float)) for v in value))
        if not fits or isinstance(value, bool):
            raise _NoRule
    return [shape], 0, 0


def _number(value: Any, low: float, high: float) -> float:
    """``value``, a number from ``low`` to ``high`` (not a bool, not NaN), or no rule."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _NoRule
    return value


def _seed(c: dict) -> None:
    if c.get("seed") is not None and (isinstance(c["seed"], bool) or not isinstance(c["seed"], int)):
        raise _NoRule


def _noise(key: str, rank: int | None = None) -> Rule:
    """Dropout and noise layers: the input's shape, no weights; ``key`` from 0 to 1 (Keras
    refuses anything else when it makes the layer), a spatial dropout's input of its rank."""
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        (shape,) = ins
        _number(c[key], 0, 1)
        _seed(c)
        if c.get("noise_shape") is not None or (rank is not None and len(shape) != rank):
            raise _NoRule
        if rank is not None and rank > 3 and c.get("data_format") not in (None, "channels_last", "channels_first"):
            raise _NoRule
        return [shape], 0, 0
    return rule


def _activity_regularization(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    for key in ("l1", "l2"):
        _number(c[key], 0, math.inf)
    return [shape], 0, 0


def _masking(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    if isinstance(c["mask_value"], bool) or not isinstance(c["mask_value"], (int, float)) or len(shape) < 2:
        raise _NoRule
    return [shape], 0, 0


def _axes(value: Any, rank: int) -> list[int]:
    """An axis or a list of axes of a ``rank``-D tensor, each counted from 0."""
    axes = [value] if isinstance(value, int) else value
    if not isinstance(axes, (list, tuple)) or not axes or not all(
            isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
        raise _NoRule
    return [a % rank for a in axes]


def _unit_normalization(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    (shape,) = ins
    _axes(c["axis"], len(shape))
    return [shape], 0, 0


def _prelu(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """One slope per value of a sample, or one along each shared axis (counted from 1)."""
    (shape,) = ins
    shared = c["shared_axes"]
    shared = [] if shared is None else [shared] if isinstance(shared, int) else shared
    if not isinstance(shared, (list, tuple)) or not all(
            isinstance(a, int) and not isinstance(a, bool) and 1 <= a < len(shape) for a in shared):
        raise _NoRule
    sizes = [1 if axis in shared else size for axis, size in enumerate(shape) if axis > 0]
    _known(*sizes)
    return [shape], math.prod(sizes), math.prod(sizes)


def _group_normalization(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """``groups`` must divide the channels (-1: one group per channel); a scale and an
    offset per channel."""
    (shape,) = ins
    (axis,) = _axes(c["axis"] if isinstance(c["axis"], int) else None, len(shape))
    groups, channels = c["groups"], shape[axis]
    _known(channels)
    if isinstance(groups, bool) or not isinstance(groups, int) or not (groups > 0 or groups == -1):
        raise _NoRule
    groups = channels if groups == -1 else groups
    if channels < groups or channels % groups:
        raise _NoRule
    if not all(isinstance(c[key], bool) for key in ("center", "scale")):
        raise _NoRule
    _number(c["epsilon"], 0, math.inf)
    weights = channels * (c["center"] + c["scale"])
    return [shape], weights, weights


def _rms_normalization(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """A scale for each position along the normalized axes."""
    (shape,) = ins
    axes = _axes(c["axis"], len(shape))
    if len(set(axes)) != len(axes):
        raise _NoRule
    _number(c["epsilon"], 0, math.inf)
    sizes = [shape[a] for a in sorted(axes)]
    _known(*sizes)
    return [shape], math.prod(sizes), math.prod(sizes)


def _image(c: dict, shape: Shape) -> None:
    """A batch of images (a 4-D input) in a data format Keras knows."""
    if len(shape) != 4 or c.get("data_format") not in (None, "channels_last", "channels_first"):
        raise _NoRule


def _factor(value: Any) -> None:
    """An augmentation's range: a number from 0 to 1, or two numbers between -1 and 1
    (what every one of them takes; anything else is Keras's to judge)."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        for number in value:
            _number(number, -0.99, 0.99)
        if value[0] > value[1]:
            raise _NoRule
    else:
        _number(value, 0, 0.99)


_FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def _augmentation(factors: tuple[str, ...], *, optional: tuple[str, ...] = (), fill: bool = False) -> Rule:
    """A random image augmentation: each image keeps its shape; no weights."""
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        (shape,) = ins
        _image(c, shape)
        _seed(c)
        for key in factors:
            _factor(c[key])
        for key in optional:
            if c.get(key) is not None:
                _factor(c[key])
        if fill:
            if c["fill_mode"] not in _FILL_MODES or c["interpolation"] not in ("nearest", "bilinear"):
                raise _NoRule
            _number(c["fill_value"], -math.inf, math.inf)
        if "mode" in c and c["mode"] not in ("horizontal", "vertical", "horizontal_and_vertical"):
            raise _NoRule
        return [shape], 0, 0
    return rule


def _resize(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Resizing, CenterCrop, RandomCrop: images of ``height`` x ``width``, channels kept."""
    (shape,) = ins
    _image(c, shape)
    _seed(c)
    height, width = c["height"], c["width"]
    for size in (height, width):
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise _NoRule
    for key in ("crop_to_aspect_ratio", "pad_to_aspect_ratio", "antialias"):
        if not isinstance(c.get(key, False), bool):
            raise _NoRule
    if c.get("crop_to_aspect_ratio") and c.get("pad_to_aspect_ratio"):
        raise _NoRule
    if c.get("interpolation", "bilinear") not in ("bilinear", "nearest") or c.get("fill_mode", "constant") != "constant":
        raise _NoRule
    _number(c.get("fill_value", 0.0), -math.inf, math.inf)
    if c.get("data_format") == "channels_first":
        return [(shape[0], shape[1], height, width)], 0, 0
    return [(shape[0], height, width, shape[3])], 0, 0


def _dot(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
    """Keras's ``Dot.compute_output_shape``: the two shapes without the axes summed over
    (and the second without its batch axis); those axes must hold one known size."""
    if len(ins) != 2 or not isinstance(c["normalize"], bool):
        raise _NoRule
    first, second = (list(shape) for shape in ins)
    axes = c["axes"]
    if isinstance(axes, int) and not isinstance(axes, bool):
        axes = [axes % len(first), axes % len(second)] if axes < 0 else [axes, axes]
    if not isinstance(axes, (list, tuple)) or len(axes) != 2 or not all(
            isinstance(a, int) and not isinstance(a, bool) for a in axes):
        raise _NoRule
    spots = [a % len(shape) if -len(shape) <= a < len(shape) else None for a, shape in zip(axes, (first, second))]
    if None in spots or 0 in spots or first[spots[0]] is None or first[spots[0]] != second[spots[1]]:
        raise _NoRule
    first.pop(axes[0])
    second.pop(axes[1])
    out = first + second[1:]
    return [tuple(out + [1] if len(out) == 1 else out)], 0, 0


def _attention(additive: bool) -> Rule:
    """Keras's Attention (Luong) and AdditiveAttention (Bahdanau) on [query, value] or
    [query, value, key], each (batch, steps, features): the query's steps with the value's
    features; a scale (and a score weight for ``score_mode="concat"``), or for the additive
    kind one scale per feature."""
    def rule(c: dict, ins: list[Shape]) -> tuple[list[Shape], int, int]:
        if len(ins) not in (2, 3) or not all(len(shape) == 3 for shape in ins):
            raise _NoRule
        query, value = ins[0], ins[1]
        key = ins[2] if len(ins) == 3 else value
        _known(query[-1], key[-1], key[-2], value[-2])
        if query[-1] != key[-1] or key[-2] != value[-2] or not isinstance(c["use_scale"], bool):
            raise _NoRule
        _number(c["dropout"], 0, 1)
        _seed(c)
        if additive:
            weights = query[-1] if c["use_scale"] else 0
        else:
            if c["score_mode"] not in ("dot", "concat"):
                raise _NoRule
            weights = int(c["use_scale"]) + int(c["score_mode"] == "concat")
        return [(*query[:-1], value[-1])], weights, weights
    return rule


#: Other names Keras gives the same classes.
ALIASES = {
    **{f"{alias}{r}D": f"{name}{r}D" for r in (1, 2, 3) for alias, name in (
        ("AvgPool", "AveragePooling"), ("MaxPool", "MaxPooling"), ("GlobalAvgPool", "GlobalAveragePooling"),
        ("GlobalMaxPool", "GlobalMaxPooling"), ("Convolution", "Conv"))},
    **{f"Convolution{r}DTranspose": f"Conv{r}DTranspose" for r in (1, 2, 3)},
    **{f"SeparableConvolution{r}D": f"SeparableConv{r}D" for r in (1, 2)},
}


RULES: dict[str, Rule] = {
    "Dense": _dense,
    **{f"Conv{r}D": _conv(r, "conv") for r in (1, 2, 3)},
    **{f"DepthwiseConv{r}D": _conv(r, "depthwise") for r in (1, 2)},
    **{f"SeparableConv{r}D": _conv(r, "separable") for r in (1, 2)},
    **{f"Conv{r}DTranspose": _conv_transpose(r) for r in (1, 2, 3)},
    **{f"{kind}Pooling{r}D": _pool(r) for kind in ("Max", "Average") for r in (1, 2, 3)},
    **{f"Global{kind}Pooling{r}D": _global_pool(r) for kind in ("Max", "Average") for r in (1, 2, 3)},
    **{name: _same for name in ("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Dropout", "Rescaling",
                                "Identity", "StochasticDepth")},
    "Flatten": _flatten,
    "Reshape": _reshape,
    "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm,
    **{name: _merge for name in ("Add", "Multiply", "Average", "Maximum", "Minimum")},
    "Subtract": _subtract,
    "Normalization": _normalization,
    "CustomScaleLayer": _custom_scale,
    "Concatenate": _concatenate,
    **{f"ZeroPadding{r}D": _padding(r, crop=False) for r in (1, 2, 3)},
    **{f"Cropping{r}D": _padding(r, crop=True) for r in (1, 2, 3)},
    "Embedding": _embedding,
    **{f"UpSampling{r}D": _upsampling(r) for r in (1, 2, 3)},
    "RepeatVector": _repeat,
    "Permute": _permute,
    **{name: _recurrent(name) for name in _GATES},
    "LayerScale": _layer_scale,
    "Bidirectional": _bidirectional,
    "TimeDistributed": _time_distributed,
    "MultiHeadAttention": _multi_head_attention,
    **{name: _operation(name) for name in OPERATION_LAYERS},
    "ActivityRegularization": _activity_regularization,
    "GaussianDropout": _noise("rate"),
    "AlphaDropout": _noise("rate"),
    "GaussianNoise": _noise("stddev"),
    **{f"SpatialDropout{r}D": _noise("rate", r + 2) for r in (1, 2, 3)},
    "Masking": _masking,
    "UnitNormalization": _unit_normalization,
    "PReLU": _prelu,
    "GroupNormalization": _group_normalization,
    "RMSNormalization": _rms_normalization,
    "RandomFlip": _augmentation(()),
    "RandomRotation": _augmentation(("factor",), fill=True),
    "RandomZoom": _augmentation(("height_factor",), optional=("width_factor",), fill=True),
    "RandomTranslation": _augmentation(("height_factor", "width_factor"), fill=True),
    "RandomContrast": _augmentation(("factor",)),
    "RandomBrightness": _augmentation(("factor",)),
    **{name: _resize for name in ("Resizing", "CenterCrop", "RandomCrop")},
    "Dot": _dot,
    "Attention": _attention(additive=False),
    "AdditiveAttention": _attention(additive=True),
}
RULES.update({alias: RULES[name] for alias, name in ALIASES.items()})
