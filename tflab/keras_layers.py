"""One layer, value or call of a :class:`~tflab.graph.ModelGraph` as real Keras objects.

The parts that :func:`tflab.keras_build.build_model` and shape inference
(:mod:`tflab.shapes`) share: they make the same layers and call them the same way, one
for real and one symbolically (:func:`symbolic_scope`). Keras is imported lazily,
inside the functions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from tflab import allowlist, tfload
from tflab.graph import MODEL_CLASS, Call, GraphError, Layer, ModelGraph, TensorRef, check_layer_safe, inner_graph
from tflab.messages import TflabError

OBJECT_MODULES = ("initializers", "regularizers", "constraints", "layers")


class BuildError(TflabError):
    """A layer or model that Keras refuses to build."""


def is_keras_object(value: Any) -> bool:
    """True for an object value (:func:`tflab.catalog.params.is_object_value`) of a module
    tflab builds: ``{"class_name": ..., "module": "initializers", "config": ...}``."""
    from tflab.catalog.params import is_object_value

    return is_object_value(value) and isinstance(value["class_name"], str) and value["module"] in OBJECT_MODULES


def input_mode(class_name: str, custom: Any = None) -> str:
    """How a layer takes several tensors: "single", "list" or "positional".

    ``custom`` is the graph's :class:`~tflab.custom_layers.CustomCode` (or None).
    """
    from tflab import catalog

    if custom is not None and class_name in custom:
        return custom.get(class_name).input_mode
    try:
        return catalog.get_entry(class_name).input_mode
    except TflabError:
        return "single"


def to_keras_value(value: Any) -> Any:
    """Decode one config value into what a Keras constructor takes."""
    if is_keras_object(value):
        module = value["module"]
        config = {k: to_keras_value(v) for k, v in (value.get("config") or {}).items()}
        if module == "layers":
            return make_layer(Layer(config.pop("name", None) or "", value["class_name"], config),
                              decoded=True)
        keras = tfload.keras()

        cls = getattr(getattr(keras, module), value["class_name"], None)
        if cls is None or not isinstance(cls, type):
            raise BuildError(
                f"tf.keras.{module} has no {value['class_name']!r}.",
                f"tf.keras.{module} 中没有 {value['class_name']!r}。",
            )
        try:
            return cls(**config)
        except (TypeError, ValueError) as err:
            raise BuildError(
                f"Cannot make tf.keras.{module}.{value['class_name']} from {config!r}: {err}",
                f"无法用 {config!r} 创建 tf.keras.{module}.{value['class_name']}：{err}",
            ) from None
    if isinstance(value, dict):
        return {k: to_keras_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_keras_value(v) for v in value]
    return value


def layer_class(class_name: str, custom: Any = None) -> type:
    """The Keras class of ``class_name``: the custom code's own class when ``custom``
    (the graph's :class:`~tflab.custom_layers.CustomCode`) defines it, which runs that
    code if it has not run yet (only code the user allowed runs)."""
    if custom is not None and class_name in custom:
        from tflab.custom_layers import load

        return load(custom)[class_name]
    refusal = allowlist.layer_refusal(class_name)
    if refusal is not None:
        raise BuildError(refusal.en, refusal.zh, hint_en=refusal.hint_en, hint_zh=refusal.hint_zh)
    keras = tfload.keras()

    if class_name in allowlist.APPLICATION_LAYERS:  # Keras's own, outside keras.layers
        import importlib

        from tflab.catalog.applications import KERAS_MODULES

        return getattr(importlib.import_module(KERAS_MODULES[class_name]), class_name)
    cls = getattr(keras.layers, class_name, None) if allowlist.is_safe_layer(class_name) else None
    if not isinstance(cls, type) or not issubclass(cls, keras.layers.Layer):
        raise BuildError(
            f"tf.keras.layers has no layer class {class_name!r}.",
            f"tf.keras.layers 中没有层类 {class_name!r}。",
        )
    return cls


class OperationCall:
    """A tensor operation node (:mod:`tflab.catalog.operations`) made callable like a
    layer: called on its wired tensors, it calls ``keras.ops.<function>`` on its two
    values. It has no weights."""

    weights: tuple = ()
    trainable_weights: tuple = ()

    def __init__(self, layer: Layer):
        self.layer = layer

    def __call__(self, *tensors: Any) -> Any:
        from tflab.catalog import operations

        layer = self.layer
        args = operations.arguments(layer.class_name, layer.config, list(tensors))
        if args is None:
            en, zh, hint_en, hint_zh = operations.operands_error(layer.class_name, layer.name, len(tensors),
                                                                 layer.config)
            raise BuildError(en, zh, hint_en=hint_en, hint_zh=hint_zh)
        return getattr(tfload.keras().ops, operations.function_name(layer.class_name))(*args)


def make_layer(layer: Layer, decoded: bool = False, custom: Any = None) -> Any:
    """A new Keras layer object for ``layer`` (its name and sparse config); ``custom``:
    the graph's custom code, for a layer of the project's own classes. A tensor
    operation node gives an :class:`OperationCall`.

    The class and every value are checked against :mod:`tflab.allowlist` first, whoever
    made the graph: Keras never sees a value that could read a file or make an object
    that is not allowed."""
    if not decoded:
        check_values(layer, custom)
    if layer.class_name in allowlist.OPERATION_LAYERS:
        return OperationCall(layer)
    if layer.class_name == MODEL_CLASS:
        return functional_model(inner_graph(layer), custom, layer.name)
    cls = layer_class(layer.class_name, custom)
    config = layer.config if decoded else {k: to_keras_value(v) for k, v in layer.config.items()}
    kwargs = dict(config)
    if layer.name:
        kwargs["name"] = layer.name
    try:
        return cls(**kwargs)
    except TypeError as err:
        raise BuildError(
            f"{layer.class_name} layer {layer.name!r}: {err}",
            f"{layer.class_name} 层 {layer.name!r}：{err}",
            hint_en="Check the parameter names in the inspector.",
            hint_zh="请在属性面板中检查参数名称。",
        ) from None
    except (ValueError, KeyError) as err:
        raise BuildError(
            f"{layer.class_name} layer {layer.name!r} has a bad parameter: {err}",
            f"{layer.class_name} 层 {layer.name!r} 的参数有误：{err}",
        ) from None
    except Exception as err:
        if custom is None or layer.class_name not in custom:
            raise
        raise BuildError(
            f"Creating your layer {layer.class_name} {layer.name!r} failed: {type(err).__name__}: {err}",
            f"创建你的层 {layer.class_name} {layer.name!r} 时出错：{type(err).__name__}：{err}",
            hint_en="Look at the __init__ of your class in the custom layers lab.",
            hint_zh="请在自定义层实验中检查这个类的 __init__。",
        ) from None


def check_values(layer: Layer, custom: Any = None) -> None:
    """Raise :class:`BuildError` when ``layer`` names a class or holds a value that a
    project may not (see :mod:`tflab.allowlist`)."""
    try:
        check_layer_safe(layer, custom)
    except TflabError as err:
        raise BuildError(err.en, err.zh, hint_en=err.hint_en, hint_zh=err.hint_zh) from None


def make_input(node) -> Any:
    keras = tfload.keras()

    return keras.Input(shape=tuple(node.shape), dtype=node.dtype, name=node.name,
                       batch_size=node.batch_size)


def call_layer(keras_layer: Any, mode: str, tensors: list) -> Any:
    """Call ``keras_layer`` on ``tensors`` the way its class expects."""
    if mode == "model":  # a nested model: its one input, or the list of them
        return keras_layer(tensors[0] if len(tensors) == 1 else list(tensors))
    if mode == "list":
        return keras_layer(list(tensors))
    if mode == "positional" or len(tensors) > 1:
        return keras_layer(*tensors)
    return keras_layer(tensors[0])


def pick_output(result: Any, ref: TensorRef, graph: ModelGraph) -> Any:
    """Output number ``ref.index`` of a call's result (a tensor or a list of tensors)."""
    if isinstance(result, (list, tuple)):
        if ref.index < len(result):
            return result[ref.index]
    elif ref.index == 0:
        return result
    raise GraphError(
        f"{graph.node_label(ref.node)!r} has no output number {ref.index}.",
        f"{graph.node_label(ref.node)!r} 没有第 {ref.index} 个输出。",
    )


def check_complete(graph: ModelGraph) -> None:
    """Raise for model problems that stop a model from being built at all."""
    if not graph.inputs:
        raise GraphError(
            "The model has no Input: add one at the top (tf.keras.Input) so Keras knows the data's shape.",
            "模型没有输入层：请在最上面添加一个 Input（tf.keras.Input），让 Keras 知道数据的形状。",
        )
    for call in graph.calls.values():
        if not call.inputs:
            raise GraphError(
                f"The layer {call.layer!r} is not connected to anything: wire an input into it or delete it.",
                f"层 {call.layer!r} 没有连接任何输入：请给它连线，或者删除它。",
            )
    if not graph.effective_outputs():
        raise GraphError(
            "The model has no output: add at least one layer after the input.",
            "模型没有输出：请在输入之后至少添加一个层。",
        )


def walk(graph: ModelGraph, make: Callable[[Layer], Any], on_call: Callable[[Call, Any, list], Any],
         inputs: dict[str, Any]) -> dict[str, Any]:
    """Call every layer on its inputs in topological order.

    ``make(layer)`` creates a layer object (once per layer, shared by its calls);
    ``on_call(call, keras_layer, tensors)`` returns the call's result. Returns the
    result of every node (input tensors included).
    """
    results: dict[str, Any] = dict(inputs)
    objects: dict[str, Any] = {}
    for call_id in graph.topological_calls():
        call = graph.calls[call_id]
        if call.layer not in objects:
            objects[call.layer] = make(graph.layers[call.layer])
        tensors = [pick_output(results[r.node], r, graph) for r in call.inputs]
        results[call_id] = on_call(call, objects[call.layer], tensors)
    return results


def functional_model(graph: ModelGraph, custom: Any = None, name: str | None = None) -> Any:
    """The Keras Functional model ``graph`` describes (fresh weights), named ``name`` (else
    the graph's name); ``custom``: the custom code of the project it belongs to. A call that
    fails is a :class:`BuildError` naming the layer."""
    keras = tfload.keras()

    check_complete(graph)
    inputs = {node.id: make_input(node) for node in graph.inputs}

    def on_call(call: Call, keras_layer: Any, tensors: list) -> Any:
        layer = graph.layers[call.layer]
        mode = input_mode(layer.class_name, custom)
        try:
            return call_layer(keras_layer, mode, tensors)
        except TflabError:
            raise
        except Exception as err:  # noqa: BLE001 - Keras reports shape errors many ways
            raise BuildError(
                f"{layer.class_name} layer {layer.name!r} cannot be applied to its input: {err}",
                f"{layer.class_name} 层 {layer.name!r} 无法作用于它的输入：{err}",
            ) from None

    results = walk(graph, lambda layer: make_layer(layer, custom=custom), on_call, inputs)
    outputs = [pick_output(results[r.node], r, graph) for r in graph.effective_outputs()]
    model_inputs = [inputs[n.id] for n in graph.inputs]
    return keras.Model(
        inputs=model_inputs[0] if len(model_inputs) == 1 else model_inputs,
        outputs=outputs[0] if len(outputs) == 1 else outputs,
        name=name or graph.name,
    )


@contextlib.contextmanager
def symbolic_scope() -> Iterator[None]:
    """Keras objects made inside get shapes and parameter counts, but no memory for their
    weights; the variables Keras registers for later initialisation are dropped after."""
    tfload.load()
    from keras.src.backend import StatelessScope
    from keras.src.backend.common import global_state

    pending = global_state.get_global_attribute("uninitialized_variables", None)
    before = len(pending) if pending is not None else 0
    try:
        with StatelessScope(initialize_variables=False):
            yield
    finally:
        pending = global_state.get_global_attribute("uninitialized_variables", None)
        if pending is not None:
            del pending[before:]
