"""Import a Keras model (a live model or a ``.keras`` file) into a :class:`ModelGraph`.

:func:`graph_from_model` walks a built Sequential or Functional model call by call,
in the model's own order: one graph :class:`~tflab.graph.Layer` per Keras layer
object (so a shared layer stays shared), one :class:`~tflab.graph.Call` per call,
wires that keep the output index of multi-output layers. Layer configs are made
*sparse*: only the arguments that differ from what Keras would use by default are
kept, in tflab's value encoding (see :mod:`tflab.keras_layers`).

:func:`import_keras_file` loads a ``.keras`` file safely (``safe_mode=True``: no
Python code from the file is ever run) and imports it. Every problem, from a
missing file to a layer tflab cannot rebuild, is a :class:`ImportModelError` with
a message in English and Chinese.

Keras is imported lazily, inside the functions.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tflab import allowlist, limits, tfload
from tflab.catalog.operations import BY_KERAS_CLASS, OPERATIONS, from_call, function_name, operands
from tflab.graph import DTYPES, MODEL_CLASS, ModelGraph, TensorRef
from tflab.keras_defaults import plain
from tflab.keras_layers import layer_class, symbolic_scope
from tflab.layout import auto_layout
from tflab.messages import TflabError
from tflab.saved_config import OBJECT_MODULES, all_none, graph_from_config

#: Keras modules of object values, and their tflab names (a wrapped layer's too).
_OBJECT_MODULES = {**OBJECT_MODULES, "keras.layers": "layers"}

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_RESAVE_EN = "Open it in the Keras that made it and save it again with model.save('model.keras')."
_RESAVE_ZH = "请在创建它的 Keras 中打开，并用 model.save('model.keras') 重新保存。"
# Parts of Keras's loading errors: an unknown class or function, the class being loaded.
_UNKNOWN_OBJECT = re.compile(r"Could not (?:locate|deserialize) (class|function) '([^']+)'")
_KIND_ZH = {"class": "类", "function": "函数"}
_DESERIALIZING = re.compile(r"Error when deserializing class '([^']+)'")


class ImportModelError(TflabError):
    """A Keras model (or file) that tflab cannot import."""


# ---------------------------------------------------------------------------- live models
def graph_from_model(model: Any) -> ModelGraph:
    """The model graph of a built Keras Sequential or Functional ``model``.

    Raises :class:`ImportModelError` for what tflab cannot rebuild: a Sequential
    that was never built, a subclassed model (also one used inside another), a Lambda
    or custom layer, a tensor operation no layer computes, a call with extra arguments;
    every reason at once (:func:`_refusal`). A Sequential or Functional model used as a
    layer is a nested model node (:data:`~tflab.graph.MODEL_CLASS`), its calls sharing it.
    """
    with _remembered_configs():
        return _graph_from_model(model)


def _graph_from_model(model: Any) -> ModelGraph:
    functional = _functional_of(model)
    graph = ModelGraph(model.name)
    node_ids: _Wires = {}
    for tensor in functional.inputs:
        operation = _input_layer_of(tensor)
        node_ids[(id(operation), 0)] = _add_input(graph, operation, tensor)
    _add_calls(graph, functional, node_ids, {})
    graph.set_outputs(_ref(t, node_ids) for t in functional.outputs)
    graph.check_safe()  # what a project could not hold is not imported either
    graph.positions = auto_layout(graph)  # top to bottom, as the graph view draws
    return graph


#: Where the outputs of each Keras call went in the graph, by (operation, call number):
#: a graph node id (its outputs are that node's; a nested model is a node too).
_Wires = dict[tuple[int, int], str]


def _add_calls(graph: ModelGraph, functional: Any, node_ids: _Wires, names: dict[int, str]) -> None:
    """Add the calls of ``functional`` to ``graph``.

    ``names`` gives the graph layer of each Keras layer (or model used as a layer) already
    added: a shared layer is called again, as a Siamese network calls its tower twice."""
    keras = tfload.keras()

    for node in _ordered_nodes(functional):
        operation = node.operation
        key = (id(operation), operation._inbound_nodes.index(node))
        if isinstance(operation, keras.Model):  # a model used as a layer: a nested model node
            name = names.get(id(operation))
            if name is None:  # its first call: the model, read whole (its calls share it)
                name = graph.unique_name(operation.name)
                graph.add_layer(MODEL_CLASS, {"graph": _graph_from_model(operation).to_json()}, name)
                names[id(operation)] = name
            node_ids[key] = graph.add_call(name, [_ref(t, node_ids) for t in _call_tensors(node)])
            continue
        as_node = _operation_node(node)
        if as_node is not None:  # math on tensors, as a tensor operation node
            class_name, config, tensors = as_node
            name = graph.unique_name(operation.name)
            graph.add_layer(class_name, config, name)
        else:
            name = names.get(id(operation))
            if name is None:
                name = graph.unique_name(operation.name)  # a nested model's layer may share a name
                graph.add_layer(type(operation).__name__, sparse_config(operation), name)
                names[id(operation)] = name
            tensors = _call_tensors(node)
        refs = [_ref(t, node_ids) for t in tensors]
        node_ids[key] = graph.add_call(name, refs)


def _functional_of(model: Any) -> Any:
    """The Functional graph behind ``model`` (a Sequential's is built inside it)."""
    keras = tfload.keras()
    from keras.src.models.functional import Functional

    if type(model) is keras.Sequential:
        functional = model._functional if model.built else None
        if functional is None:
            raise ImportModelError(
                f"The Sequential model {model.name!r} was never built, so its input shape is "
                "unknown and it cannot be imported.",
                f"Sequential 模型 {model.name!r} 从未构建过，输入形状未知，无法导入。",
                hint_en="Start it with keras.Input(shape=...) (or call model.build(input_shape)) "
                        "and save it again.",
                hint_zh="请以 keras.Input(shape=...) 开头（或调用 model.build(input_shape)），"
                        "然后重新保存。",
            )
        return functional
    if type(model) is Functional:
        return model
    if isinstance(model, keras.Model):
        raise ImportModelError(
            f"The model {model.name!r} is a subclassed model (class {type(model).__name__}): "
            "its computation is Python code, which tflab cannot read.",
            f"模型 {model.name!r} 是子类化模型（类 {type(model).__name__}）：它的计算是 Python "
            "代码，tflab 无法读取。",
            hint_en="tflab imports models built with Sequential or the Functional API.",
            hint_zh="tflab 只能导入用 Sequential 或函数式 API 构建的模型。",
        )
    raise ImportModelError(
        f"This is not a Keras model (it is a {type(model).__name__}).",
        f"这不是 Keras 模型（而是 {type(model).__name__}）。",
    )


def _input_layer_of(tensor: Any) -> Any:
    """The InputLayer that makes model input ``tensor``."""
    tfload.load()
    from keras.layers import InputLayer

    operation = tensor._keras_history.operation
    if not isinstance(operation, InputLayer):
        raise ImportModelError(
            f"A model input comes from the layer {operation.name!r} instead of an Input; "
            "tflab imports models whose inputs are keras.Input tensors.",
            f"有一个模型输入来自层 {operation.name!r}，而不是 Input；tflab 只能导入以 "
            "keras.Input 张量为输入的模型。",
        )
    return operation


def _add_input(graph: ModelGraph, operation: Any, tensor: Any) -> str:
    """Add model input ``tensor`` (made by InputLayer ``operation``) to ``graph``."""
    name = operation.name
    for flag in ("sparse", "ragged", "optional"):
        if getattr(operation, flag, False):
            raise ImportModelError(
                f"The input {name!r} is {flag}; tflab supports only ordinary (dense, required) inputs.",
                f"输入 {name!r} 是 {flag} 输入；tflab 只支持普通（稠密、必需）输入。",
            )
    dtype = str(tensor.dtype)
    if dtype not in DTYPES:
        raise ImportModelError(
            f"The input {name!r} has dtype {dtype!r}; tflab supports {', '.join(DTYPES)}.",
            f"输入 {name!r} 的数据类型为 {dtype!r}；tflab 支持 {', '.join(DTYPES)}。",
        )
    shape = tuple(tensor.shape)
    return graph.add_input(shape[1:], name, dtype, shape[0])


def _ordered_nodes(functional: Any) -> list[Any]:
    """The layer calls the outputs need, inputs first, in Keras's own order.

    Only tensors passed as call arguments are followed: masks that Keras computes
    and passes along by itself are recomputed by Keras when the model is rebuilt.
    Raises for an operation that is not a layer tflab can rebuild.
    """
    keras = tfload.keras()
    needed: dict[int, Any] = {}
    problems: list[_Problem] = []
    stack = list(functional.outputs)
    while stack:
        history = stack.pop()._keras_history
        node = history.operation._inbound_nodes[history.node_index]
        if id(node) in needed or node.is_input:
            continue
        needed[id(node)] = node
        if _operation_node(node) is not None:
            stack.extend(_tensors_in(node))
            continue
        if isinstance(node.operation, keras.Model):  # a nested model: its own layers, checked
            try:
                _ordered_nodes(_functional_of(node.operation))
            except ImportModelError as err:
                problems.append(_Problem.of(node, err))
            try:
                stack.extend(_call_tensors(node))
            except ImportModelError as err:
                problems.append(_Problem.of(node, err, call=True))
                stack.extend(_tensors_in(node))
            continue
        try:  # every reason is collected, so that the refusal can list them all
            _check_layer(node.operation)
        except ImportModelError as err:
            problems.append(_Problem.of(node, err))
            stack.extend(_tensors_in(node))  # its arguments are its own business: one reason
            continue
        try:
            stack.extend(_call_tensors(node))
        except ImportModelError as err:
            problems.append(_Problem.of(node, err, call=True))
            stack.extend(_tensors_in(node))
    if problems:
        raise _refusal(problems)
    # Keras counts depth from the outputs: the deepest calls come first; then the
    # model's layer order, then a shared layer's call order.
    depth = {id(n): d for d, nodes in functional._nodes_by_depth.items() for n in nodes}
    rank = {id(op): i for i, op in enumerate(functional.operations)}
    return sorted(needed.values(), key=lambda n: (-depth[id(n)], rank[id(n.operation)],
                                                  n.operation._inbound_nodes.index(n)))


def _call_tensors(node: Any) -> list[Any]:
    """The tensors a layer call takes: ``layer(x)``, ``layer([a, b])`` or ``layer(a, b)``.

    Raises for a call tflab cannot represent: extra keyword arguments, nested or
    non-tensor arguments.
    """
    tfload.load()
    from keras import KerasTensor

    args, kwargs = node.arguments.args, node.arguments.kwargs
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    extra = [k for k, v in kwargs.items() if not _automatic_argument(k, v, items)]
    if extra or not items or not all(isinstance(t, KerasTensor) for t in items):
        name = node.operation.name
        given = ", ".join(f"{k}={_describe(kwargs[k])}" for k in extra)
        raise ImportModelError(
            f"The layer {name!r} is called with {given or 'arguments that are not tensors'}: "
            "tflab can only represent a layer called on its input tensors.",
            f"层 {name!r} 的调用带有{given or '非张量参数'}：tflab 只能表示在输入张量上直接调用的层。",
        )
    return items


def _operation_node(node: Any) -> tuple[str, dict[str, Any], list[Any]] | None:
    """The tensor operation node that computes what a tensor operation of ``node``
    computes, as (class name, config, input tensors), or None when there is none.

    Models written with math on tensors (MobileNetV3's ``x + 3.0`` and ``x * (1 / 6)``,
    a residual ``x + inputs``) then import: ``a + b`` becomes ``ops.add`` on two wired
    tensors, ``x + 3.0`` becomes ``ops.add`` with ``x2`` = 3.0, ``1.0 - x`` becomes
    ``ops.subtract`` with ``x1`` = 1.0; likewise the other operations of
    :mod:`tflab.catalog.operations` (``-x``, ``x ** 2``, ``keras.ops.sqrt(x)``...). A
    number must be a plain finite one.
    """
    keras = tfload.keras()

    operation = node.operation
    if isinstance(operation, keras.layers.Layer) or node.arguments.kwargs:
        return None
    class_name = BY_KERAS_CLASS.get(type(operation).__name__)
    made = None if class_name is None else from_call(
        class_name, list(node.arguments.args), lambda a: isinstance(a, keras.KerasTensor))
    return None if made is None else (class_name, *made)


def _tensors_in(node: Any) -> list[Any]:
    """Every Keras tensor among a call's arguments (to look further up the graph)."""
    tfload.load()
    from keras import KerasTensor

    values = list(node.arguments.args) + list(node.arguments.kwargs.values())
    found = []
    while values:
        value = values.pop()
        if isinstance(value, KerasTensor):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            values.extend(value)
        elif isinstance(value, dict):
            values.extend(value.values())
    return found


@dataclass(frozen=True)
class _Problem:
    """One reason a model cannot be imported: its group, the operation's name, the error."""

    group: tuple[str, str]
    name: str
    error: ImportModelError

    @classmethod
    def of(cls, node: Any, error: ImportModelError, call: bool = False) -> _Problem:
        keras = tfload.keras()

        operation = node.operation
        kind = type(operation).__name__
        if call:
            group = ("call", "")
        elif isinstance(operation, keras.Model):
            group = ("model", "")
        elif not isinstance(operation, keras.layers.Layer):
            constant = any(not isinstance(v, keras.KerasTensor) for v in node.arguments.args)
            group = ("operation", kind + (":constant" if constant else ""))
        else:
            group = ("layer", kind)
        return cls(group, operation.name, error)


def _operation_advice(kind: str) -> tuple[str, str]:
    """What to say about a tensor operation of class ``kind`` that does not import."""
    if kind in BY_KERAS_CLASS and len(operands(BY_KERAS_CLASS[kind])) == 1:
        function = function_name(BY_KERAS_CLASS[kind])
        return (f"it imports as keras.ops.{function} on one tensor; this one is called with other arguments",
                f"对一个张量的运算会导入为 keras.ops.{function}；这里调用时带有别的参数")
    if kind in BY_KERAS_CLASS:
        function = function_name(BY_KERAS_CLASS[kind])
        return (f"it imports as keras.ops.{function} on two tensors, or on a tensor and a plain number; "
                "this one has another kind of operand (such as an array)",
                f"两个张量之间、或张量与普通数之间的运算会导入为 keras.ops.{function}；"
                "这里的操作数是别的类型（例如数组）")
    names = ", ".join(function_name(name) for name in OPERATIONS)
    return (f"the tensor operations tflab rebuilds are {names}; rebuild the model without this one, "
            "or with layers that compute it",
            f"tflab 能重建的张量运算只有 {names}；请去掉这个运算，或改用能算出它的层重新构建模型")


def _refusal(problems: list[_Problem]) -> ImportModelError:
    """One error that lists every reason, grouped, each group with the hint that fits it."""
    if len(problems) == 1:
        return problems[0].error
    groups: dict[tuple[str, str], list[_Problem]] = {}
    for problem in reversed(problems):  # found from the outputs back: list them from the inputs on
        groups.setdefault(problem.group, []).append(problem)
    lines_en, lines_zh = [], []
    for (kind, detail), members in groups.items():
        names = ", ".join(repr(p.name) for p in members[:6]) + (", ..." if len(members) > 6 else "")
        first = members[0].error
        if kind == "operation":
            operation, _, constant = detail.partition(":")
            hint_en, hint_zh = _operation_advice(operation)
            lines_en.append(f"- {len(members)} tensor operation(s) {operation}"
                            f"{' with a constant' if constant else ''} ({names}): {hint_en}.")
            lines_zh.append(f"- {len(members)} 个张量运算 {operation}{'（带常数）' if constant else ''}"
                            f"（{names}）：{hint_zh}。")
        else:
            lines_en.append(f"- {first.en}")
            lines_zh.append(f"- {first.zh}")
            if len(members) > 1:
                others = ", ".join(repr(p.name) for p in members[1:6]) + (", ..." if len(members) > 6 else "")
                lines_en[-1] += f" The same for {len(members) - 1} more ({others})."
                lines_zh[-1] += f"另有 {len(members) - 1} 个相同（{others}）。"
            if first.hint_en:
                lines_en[-1] += f" {first.hint_en}"
                lines_zh[-1] += f"{first.hint_zh}"
    head_en = f"tflab cannot rebuild this model, for {len(problems)} reasons in {len(groups)} group(s):"
    head_zh = f"tflab 无法重建这个模型，共有 {len(problems)} 个原因，分为 {len(groups)} 类："
    return ImportModelError("\n".join([head_en, *lines_en]), "\n".join([head_zh, *lines_zh]))


def _describe(value: Any) -> str:
    """A short text for a call argument: tensors by kind, other values as written."""
    tfload.load()
    from keras import KerasTensor

    return "<tensor>" if isinstance(value, KerasTensor) else repr(value)[:40]


def _automatic_argument(key: str, value: Any, tensors: list[Any]) -> bool:
    """True for call keywords Keras adds by itself in a symbolic call.

    ``training=False`` is recorded for every layer with a ``training`` argument.
    A ``mask`` is passed along by Keras when the input tensors carry one (made by
    a layer such as ``Embedding(mask_zero=True)``); the rebuilt model passes it
    along again. A model used as a layer on several tensors records a list of no masks.
    """
    if value is None:
        return True
    if key == "training":
        return value is False
    if key == "mask":
        return all_none(value) or any(getattr(t, "_keras_mask", None) is not None for t in tensors)
    return False


def _ref(tensor: Any, node_ids: _Wires) -> TensorRef:
    """The graph wire for a Keras tensor."""
    operation, node_index, tensor_index = tensor._keras_history
    return TensorRef(node_ids[(id(operation), node_index)], tensor_index)


def _check_layer(operation: Any) -> None:
    """Raise unless ``operation`` is a standard Keras layer tflab can rebuild."""
    keras = tfload.keras()

    name, class_name = operation.name, type(operation).__name__
    if not isinstance(operation, keras.layers.Layer):
        advice_en, advice_zh = _operation_advice(class_name)
        raise ImportModelError(
            f"The model uses the tensor operation {name!r} ({class_name}), written as math or a "
            "keras.ops call on tensors, which tflab cannot rebuild.",
            f"模型使用了张量运算 {name!r}（{class_name}），它是直接对张量写的运算或 keras.ops 调用，"
            "tflab 无法重建它。",
            hint_en=advice_en[:1].upper() + advice_en[1:] + ".",
            hint_zh=advice_zh + "。",
        )
    _check_layer_class(name, type(operation))


def _check_layer_class(name: str, cls: type) -> None:
    """Raise unless ``cls`` (the class of layer ``name``) is a standard layer tflab can rebuild."""
    keras = tfload.keras()

    from tflab import catalog

    class_name = cls.__name__
    refusal = allowlist.layer_refusal(class_name)
    if refusal is not None:
        raise ImportModelError(f"{name!r}: {refusal.en}", f"{name!r}：{refusal.zh}",
                               hint_en=refusal.hint_en, hint_zh=refusal.hint_zh)
    if class_name in allowlist.APPLICATION_LAYERS and layer_class(class_name) is cls:
        return  # Keras's own layer of keras.applications (ConvNeXt's LayerScale...)
    if getattr(keras.layers, class_name, None) is not cls and cls.__module__.startswith("keras."):
        where = cls.__module__.removeprefix("keras.src.").rsplit(".", 1)[0]
        raise ImportModelError(
            f"The layer {name!r} is a {class_name}, a class Keras defines for keras.{where} but not "
            "in keras.layers; tflab cannot rebuild it yet.",
            f"层 {name!r} 是 {class_name}，这是 Keras 为 keras.{where} 定义的类，不在 keras.layers 中；"
            "tflab 目前还无法重建它。",
        )
    if getattr(keras.layers, class_name, None) is not cls or not catalog.is_known_layer(class_name):
        raise ImportModelError(
            f"The layer {name!r} has the custom class {class_name!r}, which is not part of "
            "keras.layers; tflab can only rebuild standard Keras layers.",
            f"层 {name!r} 使用了自定义类 {class_name!r}，它不属于 keras.layers；"
            "tflab 只能重建标准 Keras 层。",
        )


# ---------------------------------------------------------------------------- sparse configs
def sparse_config(layer: Any) -> dict[str, Any]:
    """The arguments of ``layer`` that differ from Keras's defaults, in tflab's encoding.

    An argument is left out when the layer made without it has exactly the same
    config (tuples and lists alike, dtype policies by name): the name (it is the
    graph layer's name), ``trainable=True``, the default dtype, every argument
    equal to its default, and values Keras derives from the others. What is kept
    always rebuilds the same layer.
    """
    cls = type(layer)
    actual = plain(layer.get_config())
    actual.pop("name", None)
    kept = _constructor_arguments(layer, actual)
    if _config_of(cls, kept) != actual:
        raise ImportModelError(
            f"The layer {layer.name!r} ({cls.__name__}) cannot be made again from its settings: "
            "one of them may hold Python code (such as a lambda function), which tflab cannot store.",
            f"层 {layer.name!r}（{cls.__name__}）无法根据其参数重新创建：某个参数可能包含 Python "
            "代码（例如 lambda 函数），tflab 无法保存。",
        )
    for key in list(kept):
        trial = {k: v for k, v in kept.items() if k != key}
        if _config_of(cls, trial) == actual:
            kept = trial
    return {key: _encode(value, layer.name, key) for key, value in kept.items()}


def _constructor_arguments(layer: Any, config: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments that make ``layer`` again, from its plain ``config``.

    They are the config itself, except for what Bidirectional changes in the layer
    it is given: it renames it ``forward_<name>`` and sets its
    ``zero_output_for_mask`` from ``return_sequences``. The argument is the layer
    as the user made it.
    """
    keras = tfload.keras()

    arguments = copy.deepcopy(config)
    if isinstance(layer, keras.layers.Bidirectional):
        inner = arguments["layer"]["config"]
        inner["name"] = inner["name"].removeprefix("forward_")
        if inner.get("zero_output_for_mask") == inner.get("return_sequences"):
            inner.pop("zero_output_for_mask", None)
    return arguments


def _config_of(cls: type, arguments: dict[str, Any]) -> dict[str, Any]:
    """The plain config (without name) of a ``cls`` layer made from ``arguments``, not to
    be changed by the caller.

    Made in safe mode: a setting that holds code is refused, never run. The answers are
    remembered for the import under way (:func:`_remembered_configs`): a big model asks
    the same question for many of its layers (every BatchNormalization alike).
    """
    memo = _CONFIGS.get()
    if memo is None:
        return _make_config(cls, arguments)
    try:
        key = (cls, json.dumps(arguments, sort_keys=True))
    except (TypeError, ValueError):  # not JSON data: ask Keras every time
        return _make_config(cls, arguments)
    if key not in memo:
        memo[key] = _make_config(cls, arguments)
    return memo[key]  # read only: sparse_config compares it


#: The configs made during one import, by (class, arguments as JSON); None outside one.
_CONFIGS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("importer_configs", default=None)


@contextlib.contextmanager
def _remembered_configs():
    """Remember :func:`_config_of`'s answers while the block runs (one import)."""
    token = _CONFIGS.set({})
    try:
        yield
    finally:
        _CONFIGS.reset(token)


def _make_config(cls: type, arguments: dict[str, Any]) -> dict[str, Any]:
    tfload.load()
    from keras.src.saving.serialization_lib import SafeModeScope

    try:
        with SafeModeScope(True):
            made = cls.from_config(copy.deepcopy(arguments))
    except Exception:  # noqa: BLE001 - a layer that cannot be made from these arguments
        return {}
    config = plain(made.get_config())
    config.pop("name", None)
    return config


def _encode(value: Any, layer: str, key: str) -> Any:
    """A plain Keras config value in tflab's value encoding (object values)."""
    if isinstance(value, list):
        return [_encode(v, layer, key) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        return {k: _encode(v, layer, key) for k, v in value.items()}
    module = _OBJECT_MODULES.get(value.get("module"))
    class_name = value["class_name"]
    if module is None or value.get("registered_name") not in (None, class_name):
        # A function is stored as {"class_name": "function", "config": its name}.
        what = value["config"] if isinstance(value.get("config"), str) else class_name
        raise ImportModelError(
            f"The setting {key!r} of layer {layer!r} holds the custom object {what!r}; tflab can "
            "only store standard Keras activations, initializers, regularizers, constraints and layers.",
            f"层 {layer!r} 的参数 {key!r} 使用了自定义对象 {what!r}；tflab 只能保存标准的 Keras "
            "激活函数、初始化器、正则化器、约束和层。",
        )
    if module == "layers":
        return {"class_name": class_name, "module": module, "config": _wrapped_config(value, layer)}
    return {"class_name": class_name, "module": module, "config": value.get("config") or {}}


def _wrapped_config(value: dict[str, Any], wrapper: str) -> dict[str, Any]:
    """The sparse config, with its name, of a layer given to the wrapper layer ``wrapper``."""
    keras = tfload.keras()
    from keras.src.saving.serialization_lib import SafeModeScope

    name = value["config"].get("name", "")
    cls = getattr(keras.layers, value["class_name"], None)
    if not isinstance(cls, type):
        raise ImportModelError(
            f"The layer {wrapper!r} wraps the unknown layer class {value['class_name']!r}.",
            f"层 {wrapper!r} 包装了未知的层类 {value['class_name']!r}。",
        )
    _check_layer_class(name, cls)
    with SafeModeScope(True):
        inner = keras.layers.deserialize(copy.deepcopy(value))
    config = sparse_config(inner)
    config["name"] = name
    return config


# ---------------------------------------------------------------------------- files
def import_keras_file(path: str | os.PathLike) -> ModelGraph:
    """Load a ``.keras`` file safely and import its model.

    The file is loaded without its training setup and in safe mode, so no Python
    code stored in it runs. Legacy ``.h5`` files and SavedModel folders are refused
    (they can carry code); every failure is an :class:`ImportModelError`.

    The graph needs the architecture, not the weights. A plain model's description is
    read without Keras (:mod:`tflab.saved_config`): nothing is made or allocated, and
    TensorFlow is not imported. Any other model is made from its description without
    allocating or reading its weights (NASNetMobile: 2.4 s instead of 5.2 s), and where
    Keras cannot make it so, the full load says why.
    """
    path = Path(path)
    _check_file(path)
    config = read_saved_config(path)
    graph = graph_from_config(config)
    if graph is not None:
        return graph
    model = _check_saved_config(config)
    model = model if model is not None else _load(path)
    graph = graph_from_model(model)
    _let_go(model)
    return graph


def _let_go(model: Any) -> None:
    """Break the reference cycles of a Keras model no longer needed, so that it is freed at
    once instead of by Python's cyclic garbage collection.

    That collection runs on the window's thread (``ui/core/collector.py``): the 122,000
    objects of an imported NASNetMobile held the window 86-141 ms in one collection. Its
    layers, their call nodes and tensors and their attribute trackers are emptied here;
    48,600 objects are left to the collector (23-45 ms). Nothing here may fail an import.
    """
    tfload.load()  # loaded already: Keras made the model
    from keras.src.backend.common.keras_tensor import KerasTensor
    from keras.src.ops import node, operation
    from keras.src.utils import tracking

    owned = (operation.Operation, node.Node, KerasTensor, tracking.Tracker, tracking.TrackedList,
             tracking.TrackedSet, tracking.TrackedDict)
    try:
        todo, seen = [model], set()
        while todo:
            obj = todo.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            state = getattr(obj, "__dict__", None)
            values = list(state.values()) if isinstance(state, dict) else []
            if isinstance(obj, dict):
                values += list(obj.values())
            elif isinstance(obj, (list, set)):
                values += list(obj)
            while values:
                value = values.pop()
                if isinstance(value, owned):
                    todo.append(value)
                elif isinstance(value, (list, tuple, set, frozenset)):
                    values.extend(value)
                elif isinstance(value, dict):
                    values.extend(value.values())
            if isinstance(state, dict):
                state.clear()
            for kind in (dict, list, set):  # the tracked containers' own contents
                if isinstance(obj, kind):
                    kind.clear(obj)
    except Exception:  # noqa: BLE001 - the collector frees what is left
        pass


def load_keras_file(path: str | os.PathLike) -> Any:
    """The Keras model of a ``.keras`` file, loaded only after every check: no legacy
    ``.h5`` or SavedModel, no layer that runs code, no file paths, nothing too large for
    this computer's memory; then ``keras.saving.load_model`` in safe mode."""
    path = Path(path)
    _check_file(path)
    _check_saved_config(read_saved_config(path))
    return _load(path)


def _check_file(path: Path) -> None:
    """Refuse, before loading anything, what is not a readable ``.keras`` file."""
    where = str(path)
    if path.is_dir():
        if (path / "saved_model.pb").exists():
            raise ImportModelError(
                f"{where!r} is a SavedModel folder; tflab imports only .keras files, because a "
                "SavedModel can carry code that tflab cannot check.",
                f"{where!r} 是 SavedModel 文件夹；tflab 只能导入 .keras 文件，因为 SavedModel "
                "可能包含 tflab 无法检查的代码。",
                hint_en=_RESAVE_EN, hint_zh=_RESAVE_ZH,
            )
        raise ImportModelError(f"{where!r} is a folder, not a .keras model file.",
                               f"{where!r} 是文件夹，不是 .keras 模型文件。")
    if not path.exists():
        raise ImportModelError(f"There is no file {where!r}.", f"文件 {where!r} 不存在。")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_HDF5_SIGNATURE))
    except OSError as err:
        raise ImportModelError(f"Cannot read {where!r}: {err.strerror}.",
                               f"无法读取 {where!r}：{err.strerror}。") from None
    if path.suffix.lower() in (".h5", ".hdf5") or head == _HDF5_SIGNATURE:
        raise ImportModelError(
            f"{where!r} is in the legacy HDF5 (.h5) format, which tflab does not open: it can "
            "carry code that runs when the model is loaded.",
            f"{where!r} 是旧的 HDF5（.h5）格式，tflab 不打开这种文件：加载时其中可能有代码被执行。",
            hint_en=_RESAVE_EN, hint_zh=_RESAVE_ZH,
        )
    if path.suffix.lower() != ".keras":
        raise ImportModelError(
            f"{where!r} is not a .keras file; tflab imports Keras models saved as .keras.",
            f"{where!r} 不是 .keras 文件；tflab 只能导入保存为 .keras 的 Keras 模型。",
            hint_en=_RESAVE_EN, hint_zh=_RESAVE_ZH,
        )
    if not zipfile.is_zipfile(path):
        raise ImportModelError(
            f"{where!r} is not a valid .keras file: it is damaged, incomplete, or not a Keras model.",
            f"{where!r} 不是有效的 .keras 文件：文件已损坏、不完整，或者不是 Keras 模型。",
        )


#: The largest ``config.json`` read from a ``.keras`` file (a model's architecture; the
#: weights are elsewhere in the archive). NASNetLarge's is about 2 MB.
MAX_CONFIG_BYTES = 64 * 2**20


def read_saved_config(path: Path) -> Any:
    """Read the model's ``config.json`` before Keras does, and refuse a layer that runs code
    or loads an outside model, or a vocabulary given as a file path (Keras would read that
    file while loading, safe mode or not), or an archive larger unpacked than this
    computer's memory. Returns the description (JSON data)."""
    where = str(path)
    damaged = ImportModelError(
        f"{where!r} is damaged or incomplete and cannot be read as a Keras model.",
        f"{where!r} 已损坏或不完整，无法作为 Keras 模型读取。",
    )
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > MAX_CONFIG_BYTES:
                raise ImportModelError(
                    f"{where!r}: the model's description (config.json) is "
                    f"{info.file_size / 2**20:.0f} MB, more than tflab reads "
                    f"({MAX_CONFIG_BYTES // 2**20} MB).",
                    f"{where!r}：模型的描述（config.json）有 {info.file_size / 2**20:.0f} MB，"
                    f"超过了 tflab 读取的上限（{MAX_CONFIG_BYTES // 2**20} MB）。",
                )
            config = json.loads(archive.read(info).decode("utf-8"))
            unpacked = sum(member.file_size for member in archive.infolist())
    except (KeyError, ValueError, zipfile.BadZipFile, EOFError, RecursionError, OSError):
        raise damaged from None
    _scan_saved_config(config, where)
    limits.check_data_bytes(unpacked, f"The model file {where!r}, unpacked,", f"模型文件 {where!r} 解压后")
    return config


def _check_saved_config(config: Any) -> Any:
    """The model made from its description (:func:`read_saved_config`) in safe mode, without
    its weights (None where Keras cannot make it so), refused when it has more weights
    than this computer holds."""
    model = _described_model(config)
    limits.check_parameters(int(model.count_params()) if model is not None else 0, training=False)
    return model


def _described_model(config: dict) -> Any:
    """The saved model made from its description, in safe mode, without allocating its
    weights (None where Keras cannot make it: loading then says why)."""
    keras = tfload.keras()
    from keras.src.saving.serialization_lib import SafeModeScope

    try:
        with SafeModeScope(True), symbolic_scope():
            model = keras.saving.deserialize_keras_object(config, safe_mode=True)
            model.count_params()
            return model
    except Exception:  # noqa: BLE001 - keras.saving.load_model reports it, explained by _load_error
        return None


def _scan_saved_config(root: Any, where: str) -> None:
    stack = [root]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            class_name = value.get("class_name")
            if class_name in allowlist.RUNS_CODE:
                refusal = allowlist.layer_refusal(class_name)
                raise ImportModelError(f"{where!r}: {refusal.en}", f"{where!r}：{refusal.zh}",
                                       hint_en=refusal.hint_en, hint_zh=refusal.hint_zh)
            config = value.get("config")
            for name in allowlist.FILE_ARGUMENTS.get(class_name, ()):
                if isinstance(config, dict) and isinstance(config.get(name), str):
                    raise ImportModelError(
                        f"{where!r}: the {class_name} layer's {name} is a file path, which would be "
                        "read while the model loads; tflab opens only models that carry their "
                        "values themselves.",
                        f"{where!r}：{class_name} 层的 {name} 是文件路径，加载模型时会去读取它；"
                        "tflab 只打开自带这些值的模型。",
                    )
            stack.extend(value.values())


def _load(path: Path) -> Any:
    """``keras.saving.load_model`` in safe mode, its errors explained."""
    keras = tfload.keras()

    where = str(path)
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as err:  # noqa: BLE001 - Keras reports bad files in many ways
        raise _load_error(where, err) from None
    if not isinstance(model, keras.Model):
        raise ImportModelError(f"{where!r} does not hold a Keras model.",
                               f"{where!r} 中保存的不是 Keras 模型。")
    return model


def _load_error(where: str, err: Exception) -> ImportModelError:
    """A plain explanation of why Keras could not load ``where``."""
    text = str(err)
    if "Lambda" in text and "safe_mode" in text:
        return ImportModelError(
            f"{where!r} contains a Lambda layer, which holds Python code. tflab never runs code "
            "from a model file, so it cannot import this model.",
            f"{where!r} 包含 Lambda 层，其中有 Python 代码。tflab 从不运行模型文件里的代码，"
            "因此无法导入这个模型。",
            hint_en="Replace the Lambda layer with standard Keras layers and save the model again.",
            hint_zh="请用标准 Keras 层代替 Lambda 层，然后重新保存模型。",
        )
    unknown = _UNKNOWN_OBJECT.search(text)
    if unknown:
        kind, name = unknown.groups()
        return ImportModelError(
            f"{where!r} uses the custom {kind} {name!r}, which is not part of Keras; tflab can "
            "only rebuild standard Keras layers (and never runs code from a model file).",
            f"{where!r} 使用了不属于 Keras 的自定义{_KIND_ZH.get(kind, kind)} {name!r}；tflab "
            "只能重建标准 Keras 层（也从不运行模型文件里的代码）。",
            hint_en="Replace it with standard Keras layers and save the model again.",
            hint_zh="请用标准 Keras 层代替它，然后重新保存模型。",
        )
    if isinstance(err, (zipfile.BadZipFile, EOFError, KeyError)):
        return ImportModelError(
            f"{where!r} is damaged or incomplete and cannot be read as a Keras model.",
            f"{where!r} 已损坏或不完整，无法作为 Keras 模型读取。",
        )
    reason = _keras_reason(text)
    return ImportModelError(
        f"Keras could not load {where!r}: {reason}",
        f"Keras 无法加载 {where!r}：{reason}",
    )


def _keras_reason(text: str, limit: int = 300) -> str:
    """The innermost reason in a Keras loading error, shortened, with the layer class it
    concerns (Keras nests errors and appends whole configs)."""
    reason = text.rsplit("Exception encountered:", 1)[-1].strip() or "unknown error"
    reason = reason.splitlines()[0].split(" Full object config:")[0]
    if len(reason) > limit:
        reason = reason[: limit - 1] + "…"
    classes = _DESERIALIZING.findall(text)
    return f"{reason} ({classes[-1]})" if classes else reason
