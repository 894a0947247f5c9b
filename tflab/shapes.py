"""Shape inference with Keras as the single source of truth.

Every call of the graph is run *symbolically* by Keras itself (a ``KerasTensor``
goes in, Keras computes the output spec), inside a stateless scope so that no
weights are allocated: that gives each call's output shapes and each layer's
parameter count, or Keras's own error for the call that fails, plus a plain-language
hint for the common mistakes.

Results are cached by what determines them (layer class and config, and the input
specs of the call and of the layer's earlier calls), so after an edit only the
changed layer and the calls whose inputs changed are run again: the editor never
pays for a full model build on every keystroke. The editor also passes the rules of
:mod:`tflab.shape_rules` (Keras's own arithmetic, without Keras), which answer each
call they know; Keras then runs only the others.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tflab import tfload
from tflab.graph import ModelGraph, TensorRef
from tflab.keras_layers import call_layer, input_mode, make_layer, pick_output, symbolic_scope
from tflab.messages import TflabError, tr
from tflab.superseded import check as check_superseded

Shape = tuple  # of int | None
#: One call worked out without Keras (:func:`tflab.shape_rules.rule_call`): the layer and
#: its input shapes give (output shapes, parameters, trainable parameters), or None.
CallRule = Callable[[Any, list[Shape]], "tuple[list[Shape], int, int] | None"]


@dataclass
class CallResult:
    """What shape inference found for one call of a layer."""

    call_id: str
    layer: str
    class_name: str
    output_shapes: list[Shape] = field(default_factory=list)
    params: int = 0                 # the layer's parameters (counted once per layer)
    trainable_params: int = 0
    first_call: bool = True         # False for the 2nd, 3rd... call of a shared layer
    error: TflabError | None = None
    blocked: bool = False           # not run because an input has an error
    warning: TflabError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.blocked

    @property
    def output_shape(self) -> Shape | None:
        return self.output_shapes[0] if self.output_shapes else None


@dataclass
class ShapeReport:
    """Shape inference for a whole graph."""

    input_shapes: dict[str, Shape]
    calls: dict[str, CallResult]
    order: list[str]
    problems: list[TflabError]      # model-level problems (no input, no output, ...)

    @property
    def ok(self) -> bool:
        return not self.problems and all(c.ok for c in self.calls.values())

    @property
    def errors(self) -> list[tuple[str, TflabError]]:
        """(call id, error) for every call that failed (not the ones merely blocked)."""
        return [(cid, c.error) for cid, c in self.calls.items() if c.error is not None]

    @property
    def total_params(self) -> int:
        return sum(c.params for c in self.calls.values() if c.first_call and c.ok)

    @property
    def trainable_params(self) -> int:
        return sum(c.trainable_params for c in self.calls.values() if c.first_call and c.ok)

    @property
    def non_trainable_params(self) -> int:
        return self.total_params - self.trainable_params

    def shape_of(self, ref: TensorRef) -> Shape | None:
        """The shape of the tensor ``ref``: an input's, or an output of a call whose shapes
        are known; None otherwise."""
        result = self.calls.get(ref.node)
        if result is not None and ref.index < len(result.output_shapes):
            return result.output_shapes[ref.index]
        return self.input_shapes.get(ref.node)

    def first_error(self) -> TflabError | None:
        if self.problems:
            return self.problems[0]
        errors = self.errors
        return errors[0][1] if errors else None


def format_shape(shape: Shape | None) -> str:
    """``(None, 28, 28)`` the way Keras prints it."""
    if shape is None:
        return "?"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


# ---------------------------------------------------------------------- hints

_NDIM = re.compile(r"expected (min_|max_)?ndim=(\d+), found ndim=(\d+)")

_RANK_NEEDS = {  # class-name prefix -> what the layer needs, as (en, zh)
    "Conv1D": ("a 3-D input (batch, steps, channels)", "三维输入 (batch, steps, channels)"),
    "Conv2D": ("a 4-D input (batch, height, width, channels)", "四维输入 (batch, height, width, channels)"),
    "Conv3D": ("a 5-D input (batch, depth, height, width, channels)",
               "五维输入 (batch, depth, height, width, channels)"),
    "MaxPooling1D": ("a 3-D input (batch, steps, channels)", "三维输入 (batch, steps, channels)"),
    "AveragePooling1D": ("a 3-D input (batch, steps, channels)", "三维输入 (batch, steps, channels)"),
    "MaxPooling2D": ("a 4-D input (batch, height, width, channels)", "四维输入 (batch, height, width, channels)"),
    "AveragePooling2D": ("a 4-D input (batch, height, width, channels)",
                         "四维输入 (batch, height, width, channels)"),
    "Global": ("an input with spatial axes", "带有空间维度的输入"),
    "SimpleRNN": ("a 3-D input (batch, timesteps, features)", "三维输入 (batch, timesteps, features)"),
    "LSTM": ("a 3-D input (batch, timesteps, features)", "三维输入 (batch, timesteps, features)"),
    "GRU": ("a 3-D input (batch, timesteps, features)", "三维输入 (batch, timesteps, features)"),
    "Bidirectional": ("a 3-D input (batch, timesteps, features)", "三维输入 (batch, timesteps, features)"),
}


def _rank_hint(class_name: str, found: int, expected: int) -> tuple[str, str]:
    need = next((v for k, v in _RANK_NEEDS.items() if class_name.startswith(k)), None)
    need_en, need_zh = need or (f"a {expected}-D input", f"{expected} 维输入")
    if found < expected:
        if class_name.startswith(("Conv2D", "MaxPooling2D", "AveragePooling2D")) and found == 3:
            return (f"{class_name} needs {need_en}; it got a {found}-D input. Put a Reshape before it "
                    "to add a channels axis, e.g. (28, 28) -> (28, 28, 1).",
                    f"{class_name} 需要{need_zh}；它得到的是 {found} 维输入。请在它前面加一个 Reshape "
                    "来添加通道维，例如 (28, 28) -> (28, 28, 1)。")
        if class_name.startswith(("SimpleRNN", "LSTM", "GRU", "Bidirectional", "Conv1D")) and found == 2:
            return (f"{class_name} needs {need_en}; it got a 2-D input. Put an Embedding (for word ids), "
                    "a Reshape or a RepeatVector before it to add a time axis.",
                    f"{class_name} 需要{need_zh}；它得到的是二维输入。请在它前面加一个 Embedding（用于词编号）、"
                    "Reshape 或 RepeatVector 来添加时间维。")
        return (f"{class_name} needs {need_en}; it got a {found}-D input. Add a Reshape before it.",
                f"{class_name} 需要{need_zh}；它得到的是 {found} 维输入。请在它前面加一个 Reshape。")
    return (f"{class_name} needs {need_en}; it got a {found}-D input. Put a Flatten or a pooling "
            "layer before it to remove axes.",
            f"{class_name} 需要{need_zh}；它得到的是 {found} 维输入。请在它前面加一个 Flatten 或池化层来减少维度。")


def hint_for(class_name: str, message: str) -> tuple[str, str]:
    """A plain-language hint for a Keras error message, as (English, Chinese)."""
    match = _NDIM.search(message)
    if match:
        return _rank_hint(class_name, int(match.group(3)), int(match.group(2)))
    low = message.lower()
    merge = class_name in ("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot",
                           "CustomScaleLayer")
    if merge and ("at least 2" in low or "exactly 2" in low or "should be called on a list" in low
                  or "inputs must be a list" in low or "requires" in low and "inputs" in low and "list" in low):
        return (f"{class_name} merges several tensors: wire two or more inputs into it.",
                f"{class_name} 用于合并多个张量：请给它连接两个或更多输入。")
    if merge and ("shape" in low or "incompatible" in low or "dimensions must be equal" in low):
        axis_note_en = " except along the concatenation axis" if class_name == "Concatenate" else ""
        axis_note_zh = "（拼接轴除外）" if class_name == "Concatenate" else ""
        return (f"The inputs of {class_name} must have the same shape{axis_note_en}. "
                "Add a Dense or Reshape on one branch so the shapes match.",
                f"{class_name} 的各个输入形状必须相同{axis_note_zh}。请在某个分支上加 Dense 或 Reshape 让形状一致。")
    if "negative" in low or "too small" in low or "output size" in low and "0" in low:
        return ("The input is too small for this kernel or pool size. Use padding=\"same\", a smaller "
                "kernel/pool size, or fewer pooling layers before it.",
                "输入尺寸比卷积核或池化窗口还小。请使用 padding=\"same\"、更小的核/窗口，或减少前面的池化层。")
    if class_name == "Reshape" and ("total size" in low or "cannot reshape" in low or "target_shape" in low):
        return ("Reshape must keep the number of values: the product of target_shape must equal the "
                "product of the input's sizes (the batch axis excluded).",
                "Reshape 必须保持元素个数不变：target_shape 各维之积要等于输入各维之积（不含 batch 维）。")
    if class_name == "Embedding":
        return ("Embedding takes integer word ids, shape (batch, sequence_length).",
                "Embedding 接收整数词编号，形状为 (batch, sequence_length)。")
    return ("", "")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _clean_keras_message(err: BaseException) -> str:
    """Keras's own error text without the 'Arguments received' dump."""
    text = _ANSI.sub("", str(err)).strip()  # Keras marks words in bold for terminals
    text = text.split("\n\nArguments received")[0].split("Arguments received by")[0]
    text = text.replace(" with name 'None'", "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines)[:600] or type(err).__name__


def warning_for(class_name: str, input_shapes: list[Shape], graph_has_rnn: bool) -> TflabError | None:
    """A warning for calls Keras accepts but that are usually a mistake in class."""
    if class_name == "Dense" and input_shapes and len(input_shapes[0]) >= 3 and not graph_has_rnn:
        rank = len(input_shapes[0])
        shape = format_shape(input_shapes[0])
        return TflabError(
            f"Dense got a {rank}-D input {shape}: it acts on the last axis only.",
            f"Dense 得到的是 {rank} 维输入 {shape}：它只作用于最后一维。",
            hint_en="To classify a whole image, put a Flatten before it.",
            hint_zh="若要对整张图片分类，请在它前面加一个 Flatten。",
        )
    return None


# ---------------------------------------------------------------------- inference

_RNN_CLASSES = ("SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed", "ConvLSTM")


def uses_rnn(graph: ModelGraph) -> bool:
    """Whether the model has a recurrent layer or a wrapper (a Dense on a 3-D input is then
    expected, not a mistake: see :func:`warning_for`)."""
    return any(layer.class_name.startswith(_RNN_CLASSES) for layer in graph.layers.values())


class ShapeInference:
    """Incremental shape inference; keep one per editor (it holds a cache)."""

    def __init__(self, cache_size: int = 4096):
        self._cache: OrderedDict[tuple, tuple] = OrderedDict()
        self._cache_size = cache_size

    def clear(self) -> None:
        self._cache.clear()

    def infer(self, graph: ModelGraph, rule: CallRule | None = None) -> ShapeReport:
        """Each call of ``graph`` run by Keras; with ``rule``
        (:func:`tflab.shape_rules.rule_call`), a call on float32 tensors takes the rule's
        answer where it has one, and Keras runs only the rest: an edit that breaks one
        call of NASNetMobile had Keras make all 770 layers (130 ms of Python beside the
        window) where the rules know all but the broken one."""
        problems = _model_problems(graph)
        report = ShapeReport({}, {}, [], problems)
        try:
            order = graph.topological_calls()
        except TflabError as err:
            report.problems.append(err)
            return report
        report.order = order
        with symbolic_scope():
            self._run(graph, order, report, None if graph.custom_code else rule)
        return report

    def _run(self, graph: ModelGraph, order: list[str], report: ShapeReport, rule: CallRule | None) -> None:
        keras = tfload.keras()

        specs: dict[str, Any] = {}  # node id -> keras tensor or list of them
        for node in graph.inputs:
            tensor = keras.KerasTensor((node.batch_size, *node.shape), dtype=node.dtype, name=node.name)
            specs[node.id] = tensor
            report.input_shapes[node.id] = tuple(tensor.shape)
        has_rnn = uses_rnn(graph)
        custom = graph.custom_layers()
        layer_history: dict[str, list] = {}  # layer -> input-spec keys of its calls so far
        layer_objects: dict[str, Any] = {}
        ruled: dict[str, list] = {}  # layer -> the input tensors of its calls the rule answered
        for call_id in order:
            check_superseded()
            call = graph.calls[call_id]
            layer = graph.layers[call.layer]
            result = CallResult(call_id, layer.name, layer.class_name)
            report.calls[call_id] = result
            history = layer_history.setdefault(layer.name, [])
            result.first_call = not history
            if not call.inputs:
                result.error = TflabError(
                    f"The layer {layer.name!r} is not connected: wire an input into it or delete it.",
                    f"层 {layer.name!r} 没有连接：请给它连一个输入，或者删除它。",
                )
                continue
            if any(r.node in report.calls and not report.calls[r.node].ok for r in call.inputs):
                result.blocked = True
                continue
            try:
                tensors = [pick_output(specs[r.node], r, graph) for r in call.inputs]
            except TflabError as err:
                result.error = err
                continue
            in_key = tuple((tuple(t.shape), str(t.dtype)) for t in tensors)
            answer = None
            if rule is not None and (layer.class_name == "Embedding"  # float32 out of any input
                                     or all(dtype == "float32" for _shape, dtype in in_key)) and (
                    not history or history[0] == in_key):  # a shared layer on other shapes: Keras's
                answer = rule(layer, [shape for shape, _dtype in in_key])
            history.append(in_key)
            if answer is not None:
                shapes, params, trainable = answer
                made = [keras.KerasTensor(shape, dtype="float32") for shape in shapes]
                cached = (made[0] if len(made) == 1 else made), params, trainable, None, None
                ruled.setdefault(layer.name, []).append(tensors)
            else:
                key = (layer.class_name, json.dumps(layer.config, sort_keys=True, default=str),
                       tuple(history), _custom_key(custom, layer.class_name))
                cached = self._cache.get(key)
                if cached is None:
                    cached = self._compute(graph, layer, layer_objects.get(layer.name), tensors,
                                           ruled.pop(layer.name, []))
                    self._remember(key, cached)
                else:
                    self._cache.move_to_end(key)
            outputs, params, trainable, error, obj = cached
            if obj is not None:
                layer_objects.setdefault(layer.name, obj)
            if error is not None:
                result.error = error
                continue
            specs[call_id] = outputs
            flat = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            result.output_shapes = [tuple(t.shape) for t in flat]
            if result.first_call:
                result.params, result.trainable_params = params, trainable
            result.warning = warning_for(layer.class_name, [t[0] for t in in_key], has_rnn)

    def _compute(self, graph: ModelGraph, layer, obj: Any, tensors: list, earlier: list) -> tuple:
        """Run one call symbolically: (outputs, params, trainable, error, layer object).
        ``earlier``: the tensors of the layer's calls before it that a rule answered (the
        layer object is called on them first, as a model built by Keras would be)."""
        custom = graph.custom_layers()
        mode = input_mode(layer.class_name, custom)
        try:
            _check_call(layer, tensors)
            if obj is None:
                obj = make_layer(layer, custom=custom)
            for before in earlier:
                call_layer(obj, mode, before)
            outputs = call_layer(obj, mode, tensors)
            params = int(sum(_size(w) for w in obj.weights))
            trainable = int(sum(_size(w) for w in obj.trainable_weights))
            return outputs, params, trainable, None, obj
        except TflabError as err:
            return None, 0, 0, err, obj
        except Exception as err:  # noqa: BLE001 - Keras raises many kinds for bad calls
            message = _clean_keras_message(err)
            hint_en, hint_zh = hint_for(layer.class_name, message)
            error = TflabError(
                f"{layer.class_name} layer {layer.name!r}: {message}",
                f"{layer.class_name} 层 {layer.name!r}：{message}",
                hint_en=hint_en, hint_zh=hint_zh,
            )
            return None, 0, 0, error, obj

    def _remember(self, key: tuple, value: tuple) -> None:
        self._cache[key] = value
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def _check_call(layer, tensors: list) -> None:
    """Mistakes Keras reports only in words about its internals, said plainly first."""
    if layer.class_name == "LayerScale" and tensors and tensors[0].shape:
        channels, dim = tensors[0].shape[-1], layer.config.get("projection_dim")
        if channels is not None and isinstance(dim, int) and dim != channels:
            raise TflabError(
                f"LayerScale layer {layer.name!r}: projection_dim is {dim}, but its input has {channels} "
                "channels (its last axis); there must be one factor per channel.",
                f"LayerScale 层 {layer.name!r}：projection_dim 是 {dim}，但它的输入有 {channels} 个通道"
                "（最后一维）；每个通道需要一个系数。",
                hint_en=f"Set projection_dim to {channels}.", hint_zh=f"请把 projection_dim 设为 {channels}。",
            )
    if layer.class_name == "CustomScaleLayer" and len(tensors) == 2:
        first, second = (tuple(t.shape) for t in tensors)
        clash = len(first) != len(second) or any(
            a is not None and b is not None and a != b and 1 not in (a, b) for a, b in zip(first, second))
        if clash:
            raise TflabError(
                f"CustomScaleLayer layer {layer.name!r} adds its second input (times scale) to its first, "
                f"so their shapes must match; they are {format_shape(first)} and {format_shape(second)}.",
                f"CustomScaleLayer 层 {layer.name!r} 把第二个输入（乘以 scale）加到第一个输入上，所以两者形状必须一致；"
                f"现在分别是 {format_shape(first)} 和 {format_shape(second)}。",
                hint_en="Add a Dense or Reshape on one branch so the shapes match.",
                hint_zh="请在某个分支上加 Dense 或 Reshape 让形状一致。",
            )


def _custom_key(custom: Any, class_name: str) -> tuple:
    """What a custom layer's cached shapes depend on: its code, and whether it may run."""
    if custom is None or class_name not in custom:
        return ()
    from tflab.custom_layers import is_allowed

    return (custom.digest, is_allowed(custom.source))


def _size(variable: Any) -> int:
    total = 1
    for dim in variable.shape:
        total *= int(dim)
    return total


def _model_problems(graph: ModelGraph) -> list[TflabError]:
    problems: list[TflabError] = []
    if not graph.inputs:
        problems.append(TflabError(
            "The model has no Input: add one at the top so Keras knows the shape of the data.",
            "模型没有输入：请在最上面添加一个 Input，让 Keras 知道数据的形状。",
        ))
    elif not graph.calls:
        problems.append(TflabError(
            "The model has no layers yet: add a layer after the input.",
            "模型还没有任何层：请在输入之后添加一个层。",
        ))
    for node in graph.inputs:
        if graph.calls and not graph.consumers(node.id):
            problems.append(TflabError(
                f"The input {node.name!r} is not connected to any layer.",
                f"输入 {node.name!r} 没有连接到任何层。",
            ))
    if graph.outputs:
        used: set[str] = set()
        for ref in graph.outputs:
            used.add(ref.node)
            used |= graph.ancestors(ref.node)
        for call_id, call in graph.calls.items():
            if call_id not in used:
                problems.append(TflabError(
                    f"The layer {call.layer!r} does not lead to any model output, so the model ignores it.",
                    f"层 {call.layer!r} 没有通向任何模型输出，模型会忽略它。",
                    hint_en="Wire it towards an output, make it an output, or delete it.",
                    hint_zh="请把它连到某个输出、设为输出，或者删除它。",
                ))
    return problems


_default = ShapeInference()


def infer_shapes(graph: ModelGraph) -> ShapeReport:
    """Shape inference with a process-wide cache."""
    return _default.infer(graph)


def summary_text(graph: ModelGraph, report: ShapeReport | None = None, lang: str | None = None) -> str:
    """A table like ``model.summary()``: each call's output shape and parameters."""
    report = report or infer_shapes(graph)
    graph_mode = not graph.is_stack()
    head = [tr("Layer (type)", "层（类型）", lang), tr("Output Shape", "输出形状", lang),
            tr("Param #", "参数数量", lang)]
    if graph_mode:
        head.append(tr("Connected to", "连接到", lang))
    rows: list[list[str]] = []
    for node in graph.inputs:
        row = [f"{node.name} (InputLayer)", format_shape(report.input_shapes.get(node.id)), "0"]
        if graph_mode:
            row.append("-")
        rows.append(row)
    for call_id in report.order:
        res = report.calls[call_id]
        if res.error is not None:
            shape = tr("error", "错误", lang)
        elif res.blocked:
            shape = "?"
        else:
            shape = ", ".join(format_shape(s) for s in res.output_shapes)
        params = f"{res.params:,}" if res.first_call else tr("(shared)", "（共享）", lang)
        row = [f"{res.layer} ({res.class_name})", shape, params]
        if graph_mode:
            row.append(", ".join(
                graph.node_label(r.node) + (f"[{r.index}]" if r.index else "")
                for r in graph.calls[call_id].inputs) or "-")
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = "─" * (sum(widths) + 3 * (len(widths) - 1))

    def fmt(cells: list[str]) -> str:
        return "   ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [tr(f'Model: "{graph.name}"', f'模型："{graph.name}"', lang), line, fmt(head), line]
    out += [fmt(r) for r in rows]
    out.append(line)
    out.append(tr(f"Total params: {report.total_params:,}", f"参数总数：{report.total_params:,}", lang))
    out.append(tr(f"Trainable params: {report.trainable_params:,}",
                  f"可训练参数：{report.trainable_params:,}", lang))
    out.append(tr(f"Non-trainable params: {report.non_trainable_params:,}",
                  f"不可训练参数：{report.non_trainable_params:,}", lang))
    for problem in report.problems:
        out.append(tr("Problem: ", "问题：", lang) + problem.full(lang))
    for _call_id, err in report.errors:
        out.append(tr("Error: ", "错误：", lang) + err.full(lang))
    return "\n".join(out)
