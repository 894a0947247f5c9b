"""A saved model's description (a ``.keras`` file's ``config.json``) read as a model graph
without TensorFlow or Keras.

Importing through Keras means importing TensorFlow (4.5 s) and making the whole model
from its description (NASNetMobile: 3 s). Most models are plain: a Sequential or
Functional model of ``keras.layers`` classes, the layers of ``keras.applications``
(ConvNeXt's LayerScale...), wrappers of them (TimeDistributed, Bidirectional) and
tensor operations. A shared layer is one graph layer, called again; a model used as a
layer inside it (ConvNeXt's Sequential blocks, a Siamese network's tower) is one nested
model node holding its own graph, called again where it is shared. The calls come in
the order Keras keeps them, so the graph is the one Keras's own import gives. Such a description is read
here directly (NASNetMobile: 0.13 s), and each layer's config is made sparse with
:mod:`tflab.keras_defaults` (what Keras writes for each argument left out). Every
``keras.applications`` model is read so.

:func:`graph_from_config` answers None for anything else (a Bidirectional layer given a
backward layer of its own, a call with keyword arguments, an unknown class or module, a
value that is not plain data, a layer Keras does not list with these keys);
:mod:`tflab.importer` then asks Keras, which imports those models too, or says why not.
Both ways give the same graph: ``tests/test_saved_config.py`` and
``tests/test_importer.py`` compare them model by model.

Nothing from the file is ever run or made: it is read as JSON data only.
"""

from __future__ import annotations

from typing import Any

from tflab import allowlist
from tflab.catalog import curated_names, validate_config
from tflab.catalog.operations import BY_KERAS_CLASS, from_call
from tflab.graph import MODEL_CLASS, GraphError, ModelGraph, TensorRef
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
    except (_Unsupported, GraphError, TflabError, AttributeError, KeyError, TypeError, ValueError, IndexError,
            RecursionError):
        # malformed data: Keras reads it, or says why it cannot
        return None
    graph.positions = auto_layout(graph)  # top to bottom, as the graph view draws
    return graph


# ---------------------------------------------------------------------------- structure
#: Where the outputs of each saved layer call went in the graph, by (layer name, call
#: number): a graph node id (its outputs are that node's; a nested model is a node too).
_Key = tuple[str, int]
_Wires = dict[_Key, str]
#: The graph layer made for each saved layer (by the identity of its description): a
#: shared layer, or a model used twice, is called again, not made again.
_Names = dict[int, str]


def _read_model(graph: ModelGraph, item: dict) -> list[TensorRef]:
    """Add a saved Sequential or Functional model to ``graph`` (its inputs become the
    graph's); returns its outputs' wires. A model used as a layer inside it is one nested
    model node (:data:`~tflab.graph.MODEL_CLASS`), read the same way, as
    :func:`tflab.importer.graph_from_model` imports it (called twice, as a Siamese network
    calls its tower, the node is called twice)."""
    kind = (item.get("module"), item.get("class_name"))
    body = item.get("config")
    names: _Names = {}
    if not isinstance(body, dict):
        raise _Unsupported
    if kind == _SEQUENTIAL:
        return _read_sequential(graph, body, names)
    if kind == _FUNCTIONAL:
        return _read_functional(graph, body, names)
    raise _Unsupported


def _read_sequential(graph: ModelGraph, body: dict, names: _Names) -> list[TensorRef]:
    layers = _list(body.get("layers"))
    if not layers or not _is_input(layers[0]):
        raise _Unsupported
    given = [TensorRef(_add_input(graph, layers[0]["config"]["name"], layers[0]), 0)]
    for item in layers[1:]:
        if not isinstance(item, dict) or "inbound_nodes" in item:
            raise _Unsupported
        node = _call(graph, item, item["config"].get("name"), given, names)
        layer = graph.layer_of(node)
        if layer.class_name == MODEL_CLASS and len(layer.config["graph"]["outputs"]) != 1:
            raise _Unsupported  # a Sequential's layers give one tensor each
        given = [TensorRef(node, 0)]
    return given


def _read_functional(graph: ModelGraph, body: dict, names: _Names) -> list[TensorRef]:
    layers = _list(body.get("layers"))
    by_name: dict[str, dict] = {}
    for item in layers:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or item["name"] in by_name:
            raise _Unsupported
        by_name[item["name"]] = item
    inputs = _triples(body.get("input_layers"))
    outputs = _triples(body.get("output_layers"))
    nodes: _Wires = {}
    for name, node_index, tensor in inputs:
        item = by_name.get(name)
        if item is None or not _is_input(item) or node_index != 0 or tensor != 0:
            raise _Unsupported
        nodes[(name, 0)] = _add_input(graph, name, item)
    for key in _keras_order(by_name, outputs):
        name, index = key
        item = by_name[name]
        if _is_input(item):
            if key not in nodes:
                raise _Unsupported  # an Input the model does not declare
            continue
        node = _list(item.get("inbound_nodes"))[index]
        nodes[key] = _call(graph, item, name, [_ref(t, nodes) for t in _arguments(item, node)], names)
    return [_ref_of(triple, nodes) for triple in outputs]


def _keras_order(by_name: dict[str, dict], outputs: list[list]) -> list[_Key]:
    """The layer calls the outputs are computed from, in the order Keras keeps them
    (``keras.src.ops.function.map_graph``, which :func:`tflab.importer._ordered_nodes`
    follows): the deepest first (depth counted from the outputs, a shared layer's calls
    at the depth of its deepest), then the order of the saved layers, then the call
    number. With each layer called once, that is the saved order."""
    rank = {name: index for index, name in enumerate(by_name)}
    parents: dict[_Key, list[_Key]] = {}
    order: list[_Key] = []  # each call after the calls it takes tensors from (Keras's depth-first walk)
    for start in ((name, node) for name, node, _tensor in outputs):
        if start in parents:
            continue
        parents[start] = _parents(by_name, start)
        walk = [(start, iter(parents[start]))]
        on_way = {start}
        while walk:
            key, rest = walk[-1]
            following = next(rest, None)
            if following is None:
                walk.pop()
                on_way.discard(key)
                order.append(key)
            elif following in on_way:
                raise _Unsupported  # a cycle
            elif following not in parents:
                parents[following] = _parents(by_name, following)
                walk.append((following, iter(parents[following])))
                on_way.add(following)
    depth: dict[_Key, int] = {}
    layer_depth: dict[str, int] = {}
    for key in reversed(order):
        here = max(depth.setdefault(key, 0), layer_depth.get(key[0], 0))
        layer_depth[key[0]] = depth[key] = here
        for parent in parents[key]:
            depth[parent] = max(here + 1, depth.get(parent, 0))
    return sorted(order, key=lambda key: (-depth[key], rank[key[0]], key[1]))


def _parents(by_name: dict[str, dict], key: _Key) -> list[_Key]:
    """The calls whose tensors call ``key`` takes, in the order Keras flattens its
    arguments (positional, then keyword arguments by name)."""
    name, index = key
    item = by_name.get(name)
    if item is None or isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise _Unsupported
    if _is_input(item):
        if index != 0:
            raise _Unsupported
        return []
    node = _list(item.get("inbound_nodes"))[index]
    if not isinstance(node, dict):
        raise _Unsupported
    found = []
    for tensor in _flat_tensors([node.get("args"), node.get("kwargs")]):
        history = _list(tensor["config"]["keras_history"])
        if len(history) != 3 or not isinstance(history[0], str):
            raise _Unsupported
        found.append((history[0], history[1]))
    return found


def _call(graph: ModelGraph, item: dict, name: Any, refs: list[Any], names: _Names) -> str:
    """Call the saved layer, operation or nested model ``item`` on ``refs``: the new graph
    node's id."""
    if (item.get("module"), item.get("class_name")) in (_SEQUENTIAL, _FUNCTIONAL):
        layer = names.get(id(item))
        if layer is None:  # its first call: the model, read whole (its calls share it)
            if not isinstance(name, str):
                raise _Unsupported
            inner = ModelGraph(name)
            inner.set_outputs(_read_model(inner, item))
            inner.positions = auto_layout(inner)
            layer = names[id(item)] = graph.add_layer(MODEL_CLASS, {"graph": inner.to_json()},
                                                      graph.unique_name(name))
        return graph.add_call(layer, refs)
    return _add_layer_call(graph, name, item, refs, names)


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


def _add_layer_call(graph: ModelGraph, name: Any, item: dict, refs: list[TensorRef], names: _Names) -> str:
    if not isinstance(name, str):
        raise _Unsupported
    module, class_name = item.get("module"), item.get("class_name")
    if _is_operation(item):  # each call of an operation is a node of its own
        class_name, config, refs = _operation(class_name, item, refs)
        layer = graph.add_layer(class_name, config, graph.unique_name(name))
    elif not isinstance(module, str):
        raise _Unsupported
    elif id(item) in names:  # a shared layer, called again
        layer = names[id(item)]
    else:
        config = _sparse(class_name, module, item.get("config"))
        layer = names[id(item)] = graph.add_layer(class_name, config, graph.unique_name(name))
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
    if (not isinstance(name, str) or isinstance(node_index, bool) or not isinstance(node_index, int)
            or (name, node_index) not in nodes or isinstance(tensor_index, bool)
            or not isinstance(tensor_index, int) or tensor_index < 0):
        raise _Unsupported
    return TensorRef(nodes[(name, node_index)], tensor_index)


def _is_tensor(value: Any) -> bool:
    return isinstance(value, dict) and value.get("class_name") == "__keras_tensor__"


def _flat_tensors(value: Any) -> list[dict]:
    """Every saved tensor in ``value``, in the order Keras flattens a call's arguments
    (lists in order, dicts by key)."""
    found: list[dict] = []
    values = [value]
    while values:
        value = values.pop()
        if _is_tensor(value):
            found.append(value)
        elif isinstance(value, list):
            values.extend(reversed(value))
        elif isinstance(value, dict):
            values.extend(value[key] for key in sorted(value, reverse=True))
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
        if class_name in _WRAPPERS and key in ("layer", "backward_layer"):
            if key == "layer":
                kept[key] = _wrapped(class_name, value, actual.get("backward_layer"))
            continue
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


_WRAPPERS = ("Bidirectional", "TimeDistributed")


def _wrapped(wrapper: str, value: Any, backward: Any) -> dict[str, Any]:
    """The layer a wrapper holds, in tflab's encoding: its sparse config with its name, as
    :func:`tflab.importer.sparse_config` gives it. Bidirectional saves the layer it was
    given as ``forward_<name>``, its ``zero_output_for_mask`` set to ``return_sequences``,
    and the backward layer it made (the same, ``backward_<name>``, going the other way):
    the layer as given is kept, and a backward layer of any other kind is left to Keras."""
    if not isinstance(value, dict) or value.get("module") != "keras.layers" or not isinstance(
            value.get("config"), dict) or value.get("registered_name") not in (None, value.get("class_name")):
        raise _Unsupported
    class_name, config = value["class_name"], dict(value["config"])
    name = config.get("name")
    if not isinstance(name, str) or not isinstance(class_name, str):
        raise _Unsupported
    if wrapper == "Bidirectional":
        if backward is not None and backward != _backward_of(value):
            raise _Unsupported  # a backward layer of its own: Keras's to read
        name = name.removeprefix("forward_")
        table = layer_defaults(class_name)
        if table is not None and "zero_output_for_mask" in config and (
                config["zero_output_for_mask"] == config.get("return_sequences")):
            config["zero_output_for_mask"] = table["defaults"].get("zero_output_for_mask", False)
    elif backward is not None:
        raise _Unsupported
    return {"class_name": class_name, "module": "layers",
            "config": {**_sparse(class_name, "keras.layers", config), "name": name}}


def _backward_of(forward: dict) -> dict:
    """The backward layer Bidirectional makes of the ``forward_<name>`` layer it saves."""
    config = dict(forward["config"])
    name = config.get("name")
    if not isinstance(name, str) or not name.startswith("forward_") or not isinstance(config.get("go_backwards"), bool):
        raise _Unsupported
    config["name"] = "backward_" + name.removeprefix("forward_")
    config["go_backwards"] = not config["go_backwards"]
    return {**forward, "config": config}


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
