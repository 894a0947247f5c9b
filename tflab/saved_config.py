"""A saved model's description (a ``.keras`` file's ``config.json``) read as a model graph
without TensorFlow or Keras.

Importing through Keras means importing TensorFlow (4.5 s) and making the whole model
from its description (NASNetMobile: 3 s). Most models are plain: a Sequential or
Functional model of ``keras.layers`` classes, the layers of ``keras.applications``
(ConvNeXt's LayerScale...) and tensor operations, each layer called once; a model used
once as a layer inside it (ConvNeXt's Sequential blocks) is its layers, called in place.
Such a description is read here directly (NASNetMobile: 0.13 s), and each layer's config
is made sparse with :mod:`tflab.keras_defaults` (what Keras writes for each argument left
out). Every ``keras.applications`` model is read so.

:func:`graph_from_config` answers None for anything else (a wrapper layer, a layer or
model called twice, an unknown class or module, a value that is not plain data, a
layer Keras does not list with these keys); :mod:`tflab.importer` then asks Keras, which
imports those models too, or says why not. Both ways give the same graph:
``tests/test_saved_config.py`` and ``tests/test_importer.py`` compare them model by model.

Nothing from the file is ever run or made: it is read as JSON data only.
"""

from __future__ import annotations

from typing import Any

from tflab import allowlist
from tflab.catalog import curated_names, validate_config
from tflab.catalog.operations import BY_KERAS_CLASS, from_call
from tflab.graph import GraphError, ModelGraph, TensorRef
from tflab.keras_defaults import layer_defaults, plain
from tflab.layout import auto_layout
from tflab.messages import TflabError

#: Keras modules of object values, and their tflab names (layer values are a wrapper's).
OBJECT_MODULES = {
    "keras.initializers": "initializers",
    "keras.regularizers": "regularizers",
    "keras.constraints": "constraints",
}
_FUNCTIONAL = ("keras.src.models.functional", "Functional")
_SEQUENTIAL = ("keras", "Sequential")
_OPERATIONS_MODULE = "keras.src.ops."
_UNSET = object()


class _Unsupported(Exception):
    """A description this reader leaves to Keras."""


def graph_from_config(config: Any) -> ModelGraph | None:
    """The model graph of a ``.keras`` file's ``config.json`` (parsed JSON), or None where
    only Keras can tell (see the module's description)."""
    try:
        if not isinstance(config, dict):
            raise _Unsupported
        body = config.get("config")
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise _Unsupported
        graph = ModelGraph(body["name"])
        graph.set_outputs(_read_model(graph, config))
        graph.check_safe()
    except (_Unsupported, GraphError, TflabError, AttributeError, KeyError, TypeError, ValueError, IndexError):
        # malformed data: Keras reads it, or says why it cannot
        return None
    graph.positions = auto_layout(graph)  # top to bottom, as the graph view draws
    return graph


# ---------------------------------------------------------------------------- structure
#: Where the outputs of each saved layer went in the graph, by the layer's name: a graph
#: node id (its outputs are that node's), or the wires a model input or a nested model gives.
_Wires = dict[str, "str | list[TensorRef]"]


def _read_model(graph: ModelGraph, item: dict, given: list[TensorRef] | None = None) -> list[TensorRef]:
    """Add a saved Sequential or Functional model to ``graph``; returns its outputs' wires.

    ``given`` is None for the model itself (its inputs become the graph's), else the
    wires a nested model is called on: its layers are then called in place, as
    :func:`tflab.importer.graph_from_model` imports a model used as a layer."""
    kind = (item.get("module"), item.get("class_name"))
    body = item.get("config")
    if not isinstance(body, dict):
        raise _Unsupported
    if kind == _SEQUENTIAL:
        return _read_sequential(graph, body, given)
    if kind == _FUNCTIONAL:
        return _read_functional(graph, body, given)
    raise _Unsupported


def _read_sequential(graph: ModelGraph, body: dict, given: list[TensorRef] | None) -> list[TensorRef]:
    layers = _list(body.get("layers"))
    if not layers or not _is_input(layers[0]) or (given is not None and len(given) != 1):
        raise _Unsupported
    if given is None:
        given = [TensorRef(_add_input(graph, layers[0]["config"]["name"], layers[0]), 0)]
    for item in layers[1:]:
        if not isinstance(item, dict) or "inbound_nodes" in item:
            raise _Unsupported
        wires = _call(graph, item, item["config"].get("name"), given)
        given = [TensorRef(wires, 0)] if isinstance(wires, str) else wires
        if len(given) != 1:
            raise _Unsupported
    return given


def _read_functional(graph: ModelGraph, body: dict, given: list[TensorRef] | None) -> list[TensorRef]:
    layers = _list(body.get("layers"))
    by_name = {}
    for item in layers:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or item["name"] in by_name:
            raise _Unsupported
        by_name[item["name"]] = item
    inputs = _triples(body.get("input_layers"))
    outputs = _triples(body.get("output_layers"))
    if given is not None and len(given) != len(inputs):
        raise _Unsupported
    needed = _needed(by_name, outputs)
    nodes: _Wires = {}
    for index, (name, _node, tensor) in enumerate(inputs):
        item = by_name.get(name)
        if item is None or not _is_input(item) or tensor != 0:
            raise _Unsupported
        nodes[name] = _add_input(graph, name, item) if given is None else [given[index]]
    for item in layers:  # Keras writes them deepest first, so every tensor is made before use
        name = item["name"]
        if name not in needed or _is_input(item):
            continue
        (node,) = _list(item.get("inbound_nodes"))  # called once: a shared layer goes to Keras
        nodes[name] = _call(graph, item, name, [_ref(t, nodes) for t in _arguments(item, node)])
    return [_ref_of(triple, nodes) for triple in outputs]


def _call(graph: ModelGraph, item: dict, name: Any, refs: list[Any]) -> str | list[TensorRef]:
    """Call the saved layer, operation or nested model ``item`` on ``refs``: the new graph
    node's id, or a nested model's output wires."""
    if (item.get("module"), item.get("class_name")) in (_SEQUENTIAL, _FUNCTIONAL):
        return _read_model(graph, item, refs)
    return _add_layer_call(graph, name, item, refs)


def _needed(by_name: dict[str, dict], outputs: list[list]) -> set[str]:
    """The names of the layers the outputs are computed from."""
    needed: set[str] = set()
    stack = [name for name, _node, _tensor in outputs]
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        item = by_name.get(name)
        if item is None:
            raise _Unsupported
        needed.add(name)
        for node in _list(item.get("inbound_nodes", [])):
            stack.extend(t["config"]["keras_history"][0] for t in _tensors(node))
    return needed


def _is_input(item: Any) -> bool:
    return isinstance(item, dict) and (item.get("module"), item.get("class_name")) == ("keras.layers", "InputLayer")


def _add_input(graph: ModelGraph, name: Any, item: dict) -> str:
    config = item["config"]
    if any(config.get(flag) for flag in ("sparse", "ragged", "optional")):
        raise _Unsupported
    shape = _list(config["batch_shape"])
    dtype = plain(config["dtype"])
    if not isinstance(name, str) or not shape or not isinstance(dtype, str):
        raise _Unsupported
    return graph.add_input(shape[1:], name, dtype, shape[0])


def _add_layer_call(graph: ModelGraph, name: Any, item: dict, refs: list[TensorRef]) -> str:
    if not isinstance(name, str):
        raise _Unsupported
    module, class_name = item.get("module"), item.get("class_name")
    if _is_operation(item):
        class_name, config, refs = _operation(class_name, item, refs)
    elif isinstance(module, str):
        config = _sparse(class_name, module, item.get("config"))
    else:
        raise _Unsupported
    layer = graph.add_layer(class_name, config, graph.unique_name(name))
    return graph.add_call(layer, refs)


# ---------------------------------------------------------------------------- calls
def _arguments(item: dict, node: dict) -> list[dict]:
    """The tensors a layer call takes: ``layer(x)``, ``layer([a, b])`` or ``layer(a, b)``."""
    args, kwargs = _list(node["args"]), node["kwargs"]
    if _is_operation(item):
        if kwargs:
            raise _Unsupported
        return args  # tensors and numbers, sorted out by _operation
    for key, value in kwargs.items():  # only what Keras records by itself: no masks, not training
        if not (all_none(value) if key == "mask" else value is None or (key == "training" and value is False)):
            raise _Unsupported
    items = args[0] if len(args) == 1 and isinstance(args[0], list) else args
    if not items or not all(_is_tensor(t) for t in items):
        raise _Unsupported
    return items


def all_none(value: Any) -> bool:
    """None, or a list of None (the masks Keras records for a call on several tensors that
    carry none)."""
    return value is None or (isinstance(value, list) and all(all_none(v) for v in value))


def _is_operation(item: dict) -> bool:
    module = item.get("module")
    return isinstance(module, str) and module.startswith(_OPERATIONS_MODULE)


def _operation(class_name: Any, item: dict, args: list) -> tuple[str, dict, list[TensorRef]]:
    """The tensor operation node for a ``keras.ops`` call on tensors and at most one number
    (as :func:`tflab.importer._operation_node` reads a live one)."""
    node_class = BY_KERAS_CLASS.get(class_name)
    config = item.get("config")
    if node_class is None or not isinstance(config, dict) or set(config) != {"name"}:
        raise _Unsupported
    made = from_call(node_class, args, lambda a: isinstance(a, TensorRef))
    if made is None:
        raise _Unsupported
    return node_class, made[0], made[1]


def _ref(value: Any, nodes: _Wires) -> Any:
    """The graph wire of a saved tensor (a number stays a number, for an operation)."""
    if not _is_tensor(value):
        if isinstance(value, (int, float)):
            return value
        raise _Unsupported
    return _ref_of(value["config"]["keras_history"], nodes)


def _ref_of(history: Any, nodes: _Wires) -> TensorRef:
    name, node_index, tensor_index = _list(history)
    if (node_index != 0 or name not in nodes or isinstance(tensor_index, bool) or not isinstance(tensor_index, int)
            or tensor_index < 0):
        raise _Unsupported
    where = nodes[name]
    return where[tensor_index] if isinstance(where, list) else TensorRef(where, tensor_index)


def _is_tensor(value: Any) -> bool:
    return isinstance(value, dict) and value.get("class_name") == "__keras_tensor__"


def _tensors(node: Any) -> list[dict]:
    """Every saved tensor among a call's arguments."""
    found, values = [], [node]
    while values:
        value = values.pop()
        if _is_tensor(value):
            found.append(value)
        elif isinstance(value, list):
            values.extend(value)
        elif isinstance(value, dict):
            values.extend(value.values())
    return found


def _triples(value: Any) -> list[list]:
    """A model's inputs or outputs: one ``[layer, node, tensor]`` or a list of them."""
    value = _list(value)
    if len(value) == 3 and isinstance(value[0], str):
        return [value]
    if not value or not all(isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) for v in value):
        raise _Unsupported
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise _Unsupported
    return value


# ---------------------------------------------------------------------------- configs
def _sparse(class_name: Any, module: str, config: Any) -> dict[str, Any]:
    """The arguments of a saved layer config that differ from Keras's defaults, in tflab's
    encoding; the same as :func:`tflab.importer.sparse_config` gives for the live layer."""
    table = layer_defaults(class_name) if isinstance(class_name, str) else None
    if table is None or table["module"] != module or not isinstance(config, dict):
        raise _Unsupported
    if not (allowlist.is_safe_layer(class_name) or class_name in allowlist.APPLICATION_LAYERS):
        raise _Unsupported
    actual = plain(config)
    actual.pop("name", None)
    if not set(table["keys"]) <= set(actual) <= set(table["keys"]) | set(table["extra_keys"]):
        raise _Unsupported  # not what this Keras writes for the class
    defaults, copies, follows = table["defaults"], table["copies"], table["follows"]
    kept = {}
    for key, value in actual.items():
        if key in copies:  # a pooling layer's strides left out: its pool_size
            if value == actual[copies[key]]:
                continue
        elif any(actual[other] != defaults.get(other, _UNSET) for other in follows.get(key, ())):
            raise _Unsupported  # what Keras would derive here, only Keras knows
        elif key in defaults and defaults[key] == value:
            continue
        kept[key] = encode(value)
    if class_name in curated_names() or class_name in allowlist.APPLICATION_LAYERS:
        validate_config(class_name, kept)  # values a project could hold (raises otherwise)
    return kept


def encode(value: Any) -> Any:
    """A plain Keras config value in tflab's value encoding (object values), for Keras's
    own initializers, regularizers and constraints; :class:`_Unsupported` otherwise."""
    if isinstance(value, list):
        return [encode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        return {k: encode(v) for k, v in value.items()}
    module = OBJECT_MODULES.get(value.get("module"))
    class_name = value["class_name"]
    if module is None or value.get("registered_name") not in (None, class_name):
        raise _Unsupported
    inner = value.get("config") or {}
    if not isinstance(inner, dict):
        raise _Unsupported
    return {"class_name": class_name, "module": module, "config": inner}
