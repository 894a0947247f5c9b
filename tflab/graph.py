"""The model graph: the one data model of tflab.

A :class:`ModelGraph` is plain data:

- **inputs**: the ordered model inputs (``tf.keras.Input(shape, dtype, name)``);
- **layers**: Keras layers, each a class name plus a *sparse* config (only the
  arguments the user set), one object per layer, so a layer called twice shares
  its weights;
- **calls**: one node per call of a layer, wired output-to-input: each call lists
  the tensors it consumes (:class:`TensorRef`: a node id and an output index);
- **outputs**: the ordered model outputs (tensor references);
- **positions**: editor positions of nodes (inputs and calls), in scene units;
- **custom_code**: the project's own layer classes, as Python source (optional; see
  :mod:`tflab.custom_layers`). A layer whose class the code defines uses it.

Inputs and calls share one namespace of node ids. The graph is JSON in and out
(:meth:`ModelGraph.to_json` / :meth:`ModelGraph.from_json`), versioned, and
validated on load: bad structure is a :class:`GraphError` naming the problem.

Work in progress is allowed: a layer with no input yet, or a model whose outputs are
not set, is a *model problem* that shape inference and code generation report; it
does not make the graph invalid. Structural errors (a wire to a node that does not
exist, a cycle, an unknown layer class, duplicate names) do.

This module does not import TensorFlow or Keras.
"""

from __future__ import annotations

import copy
import keyword
import math
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tflab import allowlist  # here, not per layer: in the app each import statement runs Qt's hook
from tflab.catalog.models import MAX_NESTING, MODEL_CLASS
from tflab.catalog.params import ParamSpec, register_validator
from tflab.messages import TflabError
from tflab.superseded import check as check_superseded

FORMAT = "tflab-graph"
VERSION = 1

DTYPES = ("float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool", "string")


class GraphError(TflabError):
    """A structural problem in a model graph (bad file, dangling wire, cycle, ...)."""


@dataclass(frozen=True)
class TensorRef:
    """One tensor in the graph: output ``index`` of node ``node`` (an input or a call)."""

    node: str
    index: int = 0

    def to_json(self) -> str:
        return self.node if self.index == 0 else f"{self.node}:{self.index}"

    @classmethod
    def parse(cls, value: Any) -> TensorRef:
        if isinstance(value, TensorRef):
            return value
        if not isinstance(value, str) or not value:
            raise GraphError(
                f"A wire must name a node (a string like 'n3' or 'n3:1'), got {value!r}.",
                f"连线必须指向一个节点（如 'n3' 或 'n3:1' 的字符串），实际为 {value!r}。",
            )
        node, sep, index = value.partition(":")
        if not sep:
            return cls(node, 0)
        if not index.isdigit():
            raise GraphError(
                f"Bad wire {value!r}: the part after ':' must be an output number.",
                f"连线 {value!r} 有误：':' 后面必须是输出编号。",
            )
        return cls(node, int(index))

    def __str__(self) -> str:
        return self.to_json()


@dataclass
class InputNode:
    """A model input: ``tf.keras.Input(shape=..., dtype=..., name=...)``."""

    id: str
    name: str
    shape: tuple[int | None, ...]
    dtype: str = "float32"
    batch_size: int | None = None

    def to_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "name": self.name, "shape": list(self.shape)}
        if self.dtype != "float32":
            data["dtype"] = self.dtype
        if self.batch_size is not None:
            data["batch_size"] = self.batch_size
        return data


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, tuples and plain values), a few times
    faster than :func:`copy.deepcopy`: a graph's snapshot is taken at every edit, and a
    big model's configs hold tens of thousands of values."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    if isinstance(value, tuple):
        return tuple(copy_json(item) for item in value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    return copy.deepcopy(value)


@dataclass
class Layer:
    """A Keras layer object: class name, unique name, sparse constructor config."""

    name: str
    class_name: str
    config: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"name": self.name, "class_name": self.class_name, "config": copy_json(self.config)}


@dataclass
class Call:
    """One call of a layer on the tensors ``inputs`` (a node of the graph)."""

    id: str
    layer: str
    inputs: list[TensorRef] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "layer": self.layer, "inputs": [r.to_json() for r in self.inputs]}


_SNAKE_1 = re.compile(r"(.)([A-Z][a-z]+)")
_SNAKE_2 = re.compile(r"([a-z])([A-Z])")


def snake_case(class_name: str) -> str:
    """Keras's default layer name for a class: ``Conv2D`` -> ``conv2d``,
    ``BatchNormalization`` -> ``batch_normalization``; a tensor operation is named after
    its function, as Keras does: ``ops.add`` -> ``add``."""
    class_name = class_name.rpartition(".")[2]
    name = _SNAKE_1.sub(r"\1_\2", class_name)
    name = _SNAKE_2.sub(r"\1_\2", name).lower()
    return name or "layer"


def python_identifier(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique Python identifier derived from ``name`` (for generated code)."""
    ident = re.sub(r"\W", "_", name, flags=re.ASCII).strip("_") or "x"
    if ident[0].isdigit():
        ident = "_" + ident
    if keyword.iskeyword(ident) or ident in {"tf", "self", "model", "inputs", "outputs"}:
        ident += "_"
    taken = set(taken)
    candidate, i = ident, 1
    while candidate in taken:
        candidate = f"{ident}_{i}"
        i += 1
    return candidate


#: The farthest an editor position may lie from the origin, in scene units (a thousand
#: layers side by side take about 250,000).
MAX_COORDINATE = 1_000_000.0

#: The largest fixed batch size an input may have.
MAX_BATCH_SIZE = 1_000_000

#: What TensorFlow accepts as a name scope, without its "/" and ">" separators.
_TF_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-]*$")


def _check_name(name: Any, what_en: str, what_zh: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise GraphError(f"The {what_en} needs a non-empty name.", f"{what_zh}需要一个非空的名称。")
    if not _TF_NAME.match(name):
        raise GraphError(
            f"The name {name!r} of the {what_en} cannot be used: TensorFlow names may only contain "
            "English letters, digits, '_', '.' and '-', and must not start with '_' or '-'.",
            f"{what_zh}的名称 {name!r} 不能使用：TensorFlow 的名称只能包含英文字母、数字、'_'、'.' 和 '-'，"
            "并且不能以 '_' 或 '-' 开头。",
            hint_en="For example: dense_2, encoder.output, block-1.",
            hint_zh="例如：dense_2、encoder.output、block-1。",
        )
    return name


def _check_shape(shape: Any, where: str) -> tuple[int | None, ...]:
    if not isinstance(shape, (list, tuple)):
        raise GraphError(
            f"The shape of input {where!r} must be a list of sizes, got {shape!r}.",
            f"输入 {where!r} 的形状必须是尺寸列表，实际为 {shape!r}。",
        )
    dims: list[int | None] = []
    for dim in shape:
        if dim is None:
            dims.append(None)
        elif isinstance(dim, int) and not isinstance(dim, bool) and dim > 0:
            dims.append(dim)
        else:
            raise GraphError(
                f"The shape {list(shape)!r} of input {where!r} has a bad size {dim!r}: "
                "each size must be a whole number of at least 1 (or None for any size).",
                f"输入 {where!r} 的形状 {list(shape)!r} 中的尺寸 {dim!r} 无效："
                "每个尺寸必须是至少为 1 的整数（或 None 表示任意大小）。",
            )
    return tuple(dims)


class ModelGraph:
    """A Keras model as plain data. See the module docstring."""

    def __init__(self, name: str = "model"):
        self.name = name
        self.inputs: list[InputNode] = []
        self.layers: dict[str, Layer] = {}
        self.calls: dict[str, Call] = {}
        self.outputs: list[TensorRef] = []
        self.positions: dict[str, tuple[float, float]] = {}
        self.custom_code = ""
        self._next_id = 1

    # ------------------------------------------------------------------ lookups
    def input_node(self, node_id: str) -> InputNode | None:
        for node in self.inputs:
            if node.id == node_id:
                return node
        return None

    def has_node(self, node_id: str) -> bool:
        return node_id in self.calls or self.input_node(node_id) is not None

    def node_ids(self) -> list[str]:
        return [n.id for n in self.inputs] + list(self.calls)

    def layer_of(self, call_id: str) -> Layer:
        return self.layers[self.calls[call_id].layer]

    def calls_of_layer(self, layer_name: str) -> list[str]:
        return [c.id for c in self.calls.values() if c.layer == layer_name]

    def shared_layers(self) -> list[str]:
        """Names of layers called more than once (shared weights)."""
        counts: dict[str, int] = {}
        for call in self.calls.values():
            counts[call.layer] = counts.get(call.layer, 0) + 1
        return [name for name, n in counts.items() if n > 1]

    def consumers(self, node_id: str) -> list[str]:
        """Ids of the calls that take an output of ``node_id`` as input."""
        return [c.id for c in self.calls.values() if any(r.node == node_id for r in c.inputs)]

    def consumer_map(self) -> dict[str, list[str]]:
        """:meth:`consumers` of every node at once (one pass over the wires)."""
        result: dict[str, list[str]] = {node_id: [] for node_id in self.node_ids()}
        for call in self.calls.values():
            for node in dict.fromkeys(r.node for r in call.inputs):
                result[node].append(call.id)
        return result

    def node_label(self, node_id: str) -> str:
        """A human name for a node: the input's or the layer's name."""
        node = self.input_node(node_id)
        if node is not None:
            return node.name
        call = self.calls.get(node_id)
        if call is None:
            return node_id
        return call.layer

    # ------------------------------------------------------------------ ids and names
    def new_id(self) -> str:
        while True:
            node_id = f"n{self._next_id}"
            self._next_id += 1
            if not self.has_node(node_id):
                return node_id

    def used_names(self) -> set[str]:
        return set(self.layers) | {n.name for n in self.inputs}

    def unique_name(self, base: str) -> str:
        """``base``, or ``base_1``, ``base_2``... whichever is not used yet."""
        taken = self.used_names()
        if base not in taken:
            return base
        i = 1
        while f"{base}_{i}" in taken:
            i += 1
        return f"{base}_{i}"

    # ------------------------------------------------------------------ edits
    def add_input(self, shape: Iterable[int | None], name: str | None = None,
                  dtype: str = "float32", batch_size: int | None = None,
                  node_id: str | None = None) -> str:
        name = name or self.unique_name("input")
        self._check_new_name(name)
        shape_t = _check_shape(shape, name)
        if dtype not in DTYPES:
            raise GraphError(
                f"Unknown dtype {dtype!r} for input {name!r}; use one of {', '.join(DTYPES)}.",
                f"输入 {name!r} 的数据类型 {dtype!r} 未知；可用：{', '.join(DTYPES)}。",
            )
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                       or not 1 <= batch_size <= MAX_BATCH_SIZE):
            raise GraphError(
                f"The batch size {batch_size!r} of input {name!r} must be a whole number from 1 to "
                f"{MAX_BATCH_SIZE:,}, or empty (any batch size).",
                f"输入 {name!r} 的批次大小 {batch_size!r} 必须是 1 到 {MAX_BATCH_SIZE:,} 之间的整数，"
                "或者留空（任意批次大小）。",
            )
        node_id = node_id or self.new_id()
        self.inputs.append(InputNode(node_id, name, shape_t, dtype, batch_size))
        return node_id

    def add_layer(self, class_name: str, config: dict | None = None, name: str | None = None) -> str:
        """Add a layer object (not yet called). Returns its (unique) name."""
        name = name or self.unique_name(snake_case(class_name))
        self._check_new_name(name)
        self.layers[name] = Layer(name, class_name, dict(config or {}))
        return name

    def add_call(self, layer: str, inputs: Iterable[TensorRef | str] = (),
                 node_id: str | None = None) -> str:
        """Call ``layer`` on ``inputs``; returns the new call's node id."""
        if layer not in self.layers:
            raise GraphError(f"There is no layer named {layer!r}.", f"没有名为 {layer!r} 的层。")
        refs = [TensorRef.parse(r) for r in inputs]
        for ref in refs:
            self._check_ref(ref, "the new call")
        node_id = node_id or self.new_id()
        if self.has_node(node_id):
            raise GraphError(f"The node id {node_id!r} is used twice.", f"节点编号 {node_id!r} 重复。")
        self.calls[node_id] = Call(node_id, layer, refs)
        return node_id

    def add_layer_call(self, class_name: str, config: dict | None = None,
                       inputs: Iterable[TensorRef | str] = (), name: str | None = None) -> str:
        """Add a layer and call it once; returns the call's node id."""
        layer = self.add_layer(class_name, config, name)
        return self.add_call(layer, inputs)

    def connect(self, source: TensorRef | str, target: str, slot: int | None = None) -> None:
        """Wire tensor ``source`` into call ``target`` (appended, or at input ``slot``).

        Refuses a wire that would make a cycle, with the reason.
        """
        ref = TensorRef.parse(source)
        self._check_ref(ref, target)
        call = self._call(target)
        if ref.node == target or target in self.ancestors(ref.node):
            raise GraphError(
                f"Wiring {self.node_label(ref.node)!r} into {call.layer!r} would make a cycle: "
                "a layer cannot depend on its own output.",
                f"把 {self.node_label(ref.node)!r} 连到 {call.layer!r} 会形成环：层不能依赖自己的输出。",
            )
        if slot is None or slot >= len(call.inputs):
            call.inputs.append(ref)
        else:
            call.inputs[slot] = ref

    def disconnect(self, target: str, slot: int) -> None:
        call = self._call(target)
        if not 0 <= slot < len(call.inputs):
            raise GraphError(
                f"{call.layer!r} has no input number {slot}.", f"{call.layer!r} 没有第 {slot} 个输入。"
            )
        del call.inputs[slot]

    def remove_node(self, node_id: str) -> None:
        """Remove an input or a call, and every wire to it (and from the outputs).

        A layer left with no call is removed too.
        """
        node = self.input_node(node_id)
        if node is not None:
            self.inputs.remove(node)
        else:
            call = self._call(node_id)
            del self.calls[node_id]
            if not self.calls_of_layer(call.layer):
                del self.layers[call.layer]
        for other in self.calls.values():
            other.inputs = [r for r in other.inputs if r.node != node_id]
        self.outputs = [r for r in self.outputs if r.node != node_id]
        self.positions.pop(node_id, None)

    def ungroup(self, layer_name: str) -> list[str]:
        """Replace the nested model ``layer_name`` by its layers, called where each of its
        calls was (a model called twice gives layers called twice: shared, as before, so the
        model computes the same). Its inner layers' names get a suffix where the outer model
        uses them. Returns the new calls' ids, in order."""
        layer = self.layers.get(layer_name)
        if layer is None or layer.class_name != MODEL_CLASS:
            raise GraphError(f"{layer_name!r} is not a nested model.", f"{layer_name!r} 不是嵌套模型。")
        inner = inner_graph(layer)
        calls = self.calls_of_layer(layer_name)
        for call_id in calls:
            if len(self.calls[call_id].inputs) != len(inner.inputs):
                raise GraphError(
                    f"The model {layer_name!r} takes {len(inner.inputs)} inputs; wire every one of them "
                    "before ungrouping it.",
                    f"模型 {layer_name!r} 需要 {len(inner.inputs)} 个输入；请先连好每一个输入再拆开它。",
                )
        layers: dict[str, Layer] = {}
        renamed: dict[str, str] = {}
        taken = self.used_names() - {layer_name}
        for name, own in self.layers.items():
            if name != layer_name:
                layers[name] = own
                continue
            for item in inner.layers.values():
                new = item.name
                i = 0
                while new in taken:
                    i += 1
                    new = f"{item.name}_{i}"
                taken.add(new)
                renamed[item.name] = new
                layers[new] = Layer(new, item.class_name, copy_json(item.config))
        order = inner.topological_calls()
        placed = [inner.positions[c] for c in order if c in inner.positions]
        anchor = placed[0] if placed else (0.0, 0.0)
        made: list[str] = []
        replaced: dict[tuple[str, int], TensorRef] = {}
        new_calls: dict[str, Call] = {}
        for call_id, call in list(self.calls.items()):
            if call.layer != layer_name:
                new_calls[call_id] = call
                continue
            where = self.positions.pop(call_id, None)
            if where is not None and placed:  # what stood below the box moves down to make room
                room = max(y for _x, y in placed) - anchor[1]
                for node_id, (x, y) in self.positions.items():
                    if y > where[1] and node_id not in made:
                        self.positions[node_id] = (x, y + room)
            given = {node.id: ref for node, ref in zip(inner.inputs, call.inputs)}
            ids: dict[str, str] = {}

            def outer(ref: TensorRef, given=given, ids=ids) -> TensorRef:
                return given[ref.node] if ref.node in given else TensorRef(ids[ref.node], ref.index)

            for inner_id in order:
                item = inner.calls[inner_id]
                new_id = self.new_id()
                while new_id in new_calls:
                    new_id = self.new_id()
                ids[inner_id] = new_id
                new_calls[new_id] = Call(new_id, renamed[item.layer], [outer(r) for r in item.inputs])
                made.append(new_id)
                if where is not None and inner_id in inner.positions:
                    x, y = inner.positions[inner_id]
                    self.positions[new_id] = (where[0] + x - anchor[0], where[1] + y - anchor[1])
            for index, ref in enumerate(inner.effective_outputs()):
                replaced[(call_id, index)] = outer(ref)
        for call in new_calls.values():
            call.inputs = [replaced.get((r.node, r.index), r) for r in call.inputs]
        self.outputs = [replaced.get((r.node, r.index), r) for r in self.outputs]
        self.layers, self.calls = layers, new_calls
        return made

    def set_outputs(self, refs: Iterable[TensorRef | str]) -> None:
        parsed = [TensorRef.parse(r) for r in refs]
        for ref in parsed:
            self._check_ref(ref, "the model outputs")
        self.outputs = parsed

    def rename_layer(self, old: str, new: str) -> None:
        if old == new:
            return
        if old not in self.layers:
            raise GraphError(f"There is no layer named {old!r}.", f"没有名为 {old!r} 的层。")
        self._check_new_name(new)
        layer = self.layers.pop(old)
        layer.name = new
        self.layers = {**self.layers, new: layer}
        for call in self.calls.values():
            if call.layer == old:
                call.layer = new

    def set_config(self, layer: str, config: dict) -> None:
        if layer not in self.layers:
            raise GraphError(f"There is no layer named {layer!r}.", f"没有名为 {layer!r} 的层。")
        self.layers[layer].config = dict(config)

    def set_input(self, node_id: str, *, name: str | None = None,
                  shape: Iterable[int | None] | None = None, dtype: str | None = None) -> None:
        """Change the name, shape or dtype of input ``node_id`` (the arguments given)."""
        node = self.input_node(node_id)
        if node is None:
            raise GraphError(f"There is no input {node_id!r}.", f"没有输入 {node_id!r}。")
        if name is not None and name != node.name:
            self._check_new_name(name)
        new_shape = _check_shape(list(shape), name or node.name) if shape is not None else node.shape
        if dtype is not None and dtype not in DTYPES:
            raise GraphError(
                f"Unknown dtype {dtype!r} for input {node.name!r}; use one of {', '.join(DTYPES)}.",
                f"输入 {node.name!r} 的数据类型 {dtype!r} 未知；可用：{', '.join(DTYPES)}。",
            )
        node.name = name or node.name
        node.shape = new_shape
        node.dtype = dtype or node.dtype

    # ------------------------------------------------------------------ structure
    def ancestors(self, node_id: str) -> set[str]:
        """All nodes whose outputs flow into ``node_id``."""
        seen: set[str] = set()
        stack = [node_id]
        while stack:
            call = self.calls.get(stack.pop())
            if call is None:
                continue
            for ref in call.inputs:
                if ref.node not in seen:
                    seen.add(ref.node)
                    stack.append(ref.node)
        return seen

    def topological_calls(self) -> list[str]:
        """Call ids in an order where every call comes after the calls it consumes.

        Ties keep insertion order, so the result is deterministic. A cycle raises
        :class:`GraphError` naming the layers on it.
        """
        order: list[str] = []
        state: dict[str, int] = {}  # 1 = visiting, 2 = done

        def visit(start: str) -> None:
            stack: list[tuple[str, Iterator[TensorRef]]] = [(start, iter(self.calls[start].inputs))]
            state[start] = 1
            while stack:
                node, it = stack[-1]
                advanced = False
                for ref in it:
                    if ref.node not in self.calls:
                        continue
                    if state.get(ref.node) == 1:
                        cycle = [n for n, _ in stack]
                        cycle = cycle[cycle.index(ref.node):]
                        names = " -> ".join(self.calls[n].layer for n in cycle + [ref.node])
                        raise GraphError(
                            f"The graph has a cycle: {names}. A layer cannot depend on its own output.",
                            f"图中有环：{names}。层不能依赖自己的输出。",
                        )
                    if ref.node not in state:
                        state[ref.node] = 1
                        stack.append((ref.node, iter(self.calls[ref.node].inputs)))
                        advanced = True
                        break
                if not advanced:
                    stack.pop()
                    state[node] = 2
                    order.append(node)

        for call_id in self.calls:
            if call_id not in state:
                visit(call_id)
        return order

    def stack_order(self) -> tuple[list[str] | None, str, str]:
        """The call ids from input to output if the graph is a *stack*.

        A stack is what ``tf.keras.Sequential`` can build: one input, one output,
        a straight chain of single-input calls, every layer used once. Returns
        ``(order, "", "")`` for a stack, else ``(None, reason_en, reason_zh)``.
        """
        why = self.not_a_stack_reason()
        if why:
            return None, why[0], why[1]
        consumers = self.consumer_map()
        order: list[str] = []
        current = self.inputs[0].id
        while consumers[current]:
            current = consumers[current][0]
            order.append(current)
        return order, "", ""

    def not_a_stack_reason(self) -> tuple[str, str] | None:
        """Why Sequential cannot build this graph, as (English, Chinese); None for a stack."""
        if len(self.inputs) != 1:
            return (
                f"Sequential needs exactly one input; this model has {len(self.inputs)}. "
                "Sequential can only stack layers from top to bottom: use the Functional API.",
                f"Sequential 只能有一个输入；这个模型有 {len(self.inputs)} 个。"
                "Sequential 只能从上到下堆叠层：请使用函数式 API。",
            )
        shared = self.shared_layers()
        if shared:
            return (
                f"The layer {shared[0]!r} is used more than once (shared weights); Sequential "
                "uses every layer exactly once. Use the Functional API.",
                f"层 {shared[0]!r} 被使用了不止一次（共享权重）；Sequential 中每层只能用一次。"
                "请使用函数式 API。",
            )
        from tflab.catalog.operations import function_name, is_operation

        for layer in self.layers.values():
            if is_operation(layer.class_name):
                function = function_name(layer.class_name)
                return (
                    f"{layer.name!r} is a tensor operation (keras.ops.{function}), not a layer; "
                    "Sequential holds only layers. Use the Functional API.",
                    f"{layer.name!r} 是张量运算（keras.ops.{function}），不是层；Sequential 只能容纳层。"
                    "请使用函数式 API。",
                )
        for call in self.calls.values():
            if len(call.inputs) != 1:
                return (
                    f"The layer {call.layer!r} takes {len(call.inputs)} inputs; in Sequential every "
                    "layer takes exactly the output of the layer above it. Use the Functional API.",
                    f"层 {call.layer!r} 有 {len(call.inputs)} 个输入；Sequential 中每层只接收上一层的"
                    "输出。请使用函数式 API。",
                )
            if call.inputs[0].index != 0:
                return (
                    f"The layer {call.layer!r} takes the second output of another layer; "
                    "Sequential passes only single outputs. Use the Functional API.",
                    f"层 {call.layer!r} 使用了另一层的第二个输出；Sequential 只传递单个输出。"
                    "请使用函数式 API。",
                )
        consumers = self.consumer_map()
        for node_id in self.node_ids():
            fan_out = consumers[node_id]
            if len(fan_out) > 1:
                return (
                    f"The output of {self.node_label(node_id)!r} goes to {len(fan_out)} layers "
                    "(a branch); Sequential can only stack layers from top to bottom. "
                    "Use the Functional API.",
                    f"{self.node_label(node_id)!r} 的输出连到了 {len(fan_out)} 个层（分支）；"
                    "Sequential 只能从上到下堆叠层。请使用函数式 API。",
                )
        ends = [n for n in self.node_ids() if not consumers[n]]
        if len(ends) != 1:
            return (
                "The layers do not form one chain from the input (some are not connected). "
                "Sequential needs a single chain.",
                "这些层没有从输入连成一条链（有的没有连接）。Sequential 需要一条单链。",
            )
        if len(self.outputs) > 1:
            return (
                f"Sequential has one output; this model has {len(self.outputs)}. "
                "Use the Functional API.",
                f"Sequential 只有一个输出；这个模型有 {len(self.outputs)} 个。请使用函数式 API。",
            )
        if self.outputs and self.outputs[0] != TensorRef(ends[0]):
            return (
                "The model output is not the last layer of the chain; Sequential always "
                "outputs its last layer.",
                "模型输出不是链上的最后一层；Sequential 总是输出最后一层。",
            )
        return None

    def is_stack(self) -> bool:
        return self.not_a_stack_reason() is None

    def effective_outputs(self) -> list[TensorRef]:
        """The model outputs: those set, or else every call output nobody consumes."""
        if self.outputs:
            return list(self.outputs)
        consumers = self.consumer_map()
        ends = [cid for cid in self.topological_calls() if not consumers[cid]]
        return [TensorRef(cid) for cid in ends]

    # ------------------------------------------------------------------ stack edits
    def stack_insert(self, index: int, class_name: str, config: dict | None = None,
                     name: str | None = None) -> str:
        """Insert a layer into a stack at position ``index`` (0 = right after the input).

        Returns the new call's id. The model output follows the end of the chain.
        """
        order = self._stack_or_raise()
        index = max(0, min(index, len(order)))
        source = self.inputs[0].id if index == 0 else order[index - 1]
        new_call = self.add_layer_call(class_name, config, [TensorRef(source)], name)
        if index < len(order):
            self.calls[order[index]].inputs = [TensorRef(new_call)]
        self._stack_fix_outputs()
        return new_call

    def stack_move(self, old_index: int, new_index: int) -> None:
        """Move the call at ``old_index`` of a stack to ``new_index``."""
        order = self._stack_or_raise()
        if not (0 <= old_index < len(order)):
            raise GraphError(f"No layer at position {old_index}.", f"位置 {old_index} 没有层。")
        new_index = max(0, min(new_index, len(order) - 1))
        moved = order.pop(old_index)
        order.insert(new_index, moved)
        self._relink_stack(order)

    def stack_remove(self, index: int) -> None:
        order = self._stack_or_raise()
        if not (0 <= index < len(order)):
            raise GraphError(f"No layer at position {index}.", f"位置 {index} 没有层。")
        removed = order.pop(index)
        call = self.calls.pop(removed)
        if not self.calls_of_layer(call.layer):
            del self.layers[call.layer]
        self.positions.pop(removed, None)
        self._relink_stack(order)

    def _relink_stack(self, order: list[str]) -> None:
        source = self.inputs[0].id
        for cid in order:
            self.calls[cid].inputs = [TensorRef(source)]
            source = cid
        self._stack_fix_outputs()

    def _stack_fix_outputs(self) -> None:
        self.outputs = []  # a stack's output is always the end of its chain
        order, _, _ = self.stack_order()
        if order is not None:
            self.outputs = [TensorRef(order[-1])] if order else []

    def _stack_or_raise(self) -> list[str]:
        if not self.calls and len(self.inputs) == 1:
            return []
        order, en, zh = self.stack_order()
        if order is None:
            raise GraphError("This model is not a stack: " + en, "这个模型不是一个层堆栈：" + zh)
        return order

    # ------------------------------------------------------------------ constructors
    @classmethod
    def sequential(cls, input_shape: Iterable[int | None], layers: Iterable[tuple[str, dict]],
                   name: str = "model", input_name: str = "input") -> ModelGraph:
        """A stack: one input of ``input_shape`` then ``layers`` as (class_name, config)."""
        graph = cls(name)
        source = graph.add_input(input_shape, input_name)
        for class_name, config in layers:
            source = graph.add_layer_call(class_name, config, [source])
        if graph.calls:
            graph.outputs = [TensorRef(source)]
        return graph

    def copy(self) -> ModelGraph:
        return ModelGraph.from_json(self.to_json())

    # ------------------------------------------------------------------ JSON
    def to_json(self) -> dict:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "inputs": [n.to_json() for n in self.inputs],
            "layers": [layer.to_json() for layer in self.layers.values()],
            "calls": [call.to_json() for call in self.calls.values()],
            "outputs": [r.to_json() for r in self.outputs],
        }
        if self.positions:
            data["positions"] = {k: [float(v[0]), float(v[1])] for k, v in self.positions.items()}
        if self.custom_code:
            data["custom_code"] = self.custom_code
        return data

    @classmethod
    def from_json(cls, data: Any) -> ModelGraph:
        """Build and validate a graph from its JSON form, without importing Keras.

        Every layer class is one of the allow-list (:mod:`tflab.allowlist`) or of the
        graph's own custom code, and every value is plain data.
        """
        if not isinstance(data, dict):
            raise GraphError(
                "This is not a tflab model graph (expected a JSON object).",
                "这不是 tflab 模型图（应为 JSON 对象）。",
            )
        if data.get("format") != FORMAT:
            raise GraphError(
                f"This is not a tflab model graph (format is {data.get('format')!r}, expected {FORMAT!r}).",
                f"这不是 tflab 模型图（格式为 {data.get('format')!r}，应为 {FORMAT!r}）。",
            )
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION or version < 1:
            raise GraphError(
                f"This model graph has format version {version!r}; this tflab reads versions up to {VERSION}. "
                "It may come from a newer tflab.",
                f"该模型图的格式版本为 {version!r}；此版本的 tflab 只能读取 {VERSION} 及以下版本，"
                "它可能来自更新的 tflab。",
            )
        graph = cls(str(data.get("name") or "model"))
        custom = data.get("custom_code", "") or ""
        if not isinstance(custom, str):
            raise GraphError("The custom layer code must be text.", "自定义层的代码必须是文本。")
        if custom:
            from tflab.custom_layers import parse

            try:
                parse(custom)
            except TflabError as err:
                raise GraphError(err.en, err.zh, hint_en=err.hint_en, hint_zh=err.hint_zh) from None
        graph.custom_code = custom
        try:
            for item in _list(data, "inputs"):
                _require(item, ("id", "name", "shape"), "input")
                graph._check_new_id(item["id"])
                graph.add_input(item["shape"], item["name"], item.get("dtype", "float32"),
                                item.get("batch_size"), node_id=item["id"])
            for item in _list(data, "layers"):
                check_superseded()  # a snapshot no longer shown is not read to the end
                _require(item, ("name", "class_name"), "layer")
                config = item.get("config", {})
                if not isinstance(config, dict):
                    raise GraphError(
                        f"The config of layer {item['name']!r} must be an object.",
                        f"层 {item['name']!r} 的配置必须是对象。",
                    )
                if not isinstance(item["class_name"], str):
                    raise GraphError(
                        f"The class of layer {item['name']!r} must be a name.",
                        f"层 {item['name']!r} 的类必须是名称。",
                    )
                graph.add_layer(item["class_name"], config, item["name"])
            raw_calls = _list(data, "calls")
            for item in raw_calls:  # first the nodes, then the wires (any order in the file)
                _require(item, ("id", "layer"), "call")
                graph._check_new_id(item["id"])
                graph.add_call(item["layer"], (), node_id=item["id"])
            for item in raw_calls:
                inputs = item.get("inputs", [])
                if not isinstance(inputs, list):
                    raise GraphError(
                        f"The inputs of call {item['id']!r} must be a list.",
                        f"调用 {item['id']!r} 的输入必须是列表。",
                    )
                refs = [TensorRef.parse(r) for r in inputs]
                for ref in refs:
                    graph._check_ref(ref, graph.calls[item["id"]].layer)
                graph.calls[item["id"]].inputs = refs
            graph.set_outputs(_list(data, "outputs"))
            positions = data.get("positions", {}) or {}
            if not isinstance(positions, dict):
                raise GraphError("Editor positions must be an object.", "编辑器位置必须是对象。")
            for node_id, pos in positions.items():
                if graph.has_node(node_id) and _is_point(pos):
                    graph.positions[node_id] = (float(pos[0]), float(pos[1]))
        except (TypeError, KeyError, AttributeError) as err:  # malformed pieces
            raise GraphError(
                f"The model graph is malformed ({type(err).__name__}: {err}).",
                f"模型图格式错误（{type(err).__name__}：{err}）。",
            ) from None
        graph.topological_calls()  # raises on a cycle
        graph.check_safe()
        return graph

    def custom_layers(self):
        """The parsed :attr:`custom_code` (a :class:`tflab.custom_layers.CustomCode`), or None."""
        if not self.custom_code:
            return None
        from tflab.custom_layers import parse

        return parse(self.custom_code)

    def set_custom_code(self, source: str) -> None:
        """Replace the project's custom layer code ("" for none).

        Refused (:class:`GraphError`, the graph unchanged) when the code cannot be read
        or no longer defines a class that a layer of the model uses.
        """
        from tflab.custom_layers import parse

        source = source if source.strip() else ""
        try:
            names = set(parse(source).names()) if source else set()
        except TflabError as err:
            raise GraphError(err.en, err.zh, hint_en=err.hint_en, hint_zh=err.hint_zh) from None
        old = self.custom_layers()
        lost = sorted({layer.class_name for layer in self.layers.values()
                       if old is not None and layer.class_name in old and layer.class_name not in names})
        if lost:
            used = ", ".join(lost)
            raise GraphError(
                f"The model uses {used}, which this code does not define: keep the class, or delete "
                "the layers that use it first.",
                f"模型用到了 {used}，而这段代码没有定义它：请保留这个类，或者先删除用到它的层。",
            )
        self.custom_code = source

    def check_safe(self) -> None:
        """Raise :class:`GraphError` for a layer a project may not name: a class outside
        the allow-list, or a value Keras would turn into an object or a file read (see
        :mod:`tflab.allowlist`). The project's own classes are checked for their values
        only: their code runs only with the user's consent. Needs no Keras."""
        custom = self.custom_layers()
        for layer in self.layers.values():
            check_superseded()
            try:
                check_layer_safe(layer, custom)
            except TflabError as err:
                raise GraphError(err.en, err.zh, hint_en=err.hint_en, hint_zh=err.hint_zh) from None

    # ------------------------------------------------------------------ helpers
    def _call(self, call_id: str) -> Call:
        call = self.calls.get(call_id)
        if call is None:
            raise GraphError(f"There is no layer call {call_id!r}.", f"没有层调用 {call_id!r}。")
        return call

    def _check_ref(self, ref: TensorRef, where: str) -> None:
        if not self.has_node(ref.node):
            raise GraphError(
                f"A wire into {where!r} comes from {ref.node!r}, which does not exist (a dangling wire).",
                f"连到 {where!r} 的连线来自不存在的节点 {ref.node!r}（悬空连线）。",
            )
        if ref.index < 0 or (self.input_node(ref.node) is not None and ref.index != 0):
            raise GraphError(
                f"A wire into {where!r} uses output {ref.index} of {self.node_label(ref.node)!r}, "
                "which has no such output.",
                f"连到 {where!r} 的连线使用了 {self.node_label(ref.node)!r} 的第 {ref.index} 个输出，"
                "但它没有这个输出。",
            )

    def _check_new_name(self, name: str) -> None:
        _check_name(name, "layer or input", "层或输入")
        # Not used_names(), a new set per call: reading thousands of layers was quadratic.
        if name in self.layers or any(n.name == name for n in self.inputs):
            raise GraphError(
                f"The name {name!r} is used twice: every layer and input needs its own name.",
                f"名称 {name!r} 重复：每个层和输入都需要自己的名称。",
            )

    def _check_new_id(self, node_id: Any) -> None:
        if not isinstance(node_id, str) or not node_id or ":" in node_id:
            raise GraphError(f"Bad node id {node_id!r}.", f"节点编号 {node_id!r} 无效。")
        if self.has_node(node_id):
            raise GraphError(f"The node id {node_id!r} is used twice.", f"节点编号 {node_id!r} 重复。")
        match = re.fullmatch(r"n(\d+)", node_id)
        if match:
            self._next_id = max(self._next_id, int(match.group(1)) + 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModelGraph) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return (f"ModelGraph({self.name!r}, inputs={len(self.inputs)}, layers={len(self.layers)}, "
                f"calls={len(self.calls)}, outputs={len(self.outputs)})")


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise GraphError(f"{key!r} must be a list.", f"{key!r} 必须是列表。")
    return value


def _require(item: Any, keys: tuple[str, ...], what: str) -> None:
    if not isinstance(item, dict):
        raise GraphError(f"Each {what} must be an object, got {item!r}.", f"每个 {what} 必须是对象，实际为 {item!r}。")
    missing = [k for k in keys if k not in item]
    if missing:
        raise GraphError(
            f"A {what} entry is missing {', '.join(missing)}: {item!r}.",
            f"某个 {what} 条目缺少 {', '.join(missing)}：{item!r}。",
        )


def _is_point(value: Any) -> bool:
    """A pair of finite numbers within :data:`MAX_COORDINATE` (a position of 1e9, Infinity
    or NaN sent the editor's background into an endless loop)."""
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                    and math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in value))


# ---------------------------------------------------------------------------- nested models
_nesting = threading.local()


def check_layer_safe(layer: Layer, custom: Any = None) -> None:
    """Raise :class:`TflabError` for a layer a project may not name (see
    :meth:`ModelGraph.check_safe`); a nested model's inner graph is read and checked whole."""
    if layer.class_name == MODEL_CLASS:
        from tflab.catalog import validate_config

        validate_config(MODEL_CLASS, layer.config)
        return
    allowlist.check_graph_layer(layer, custom)


def model_input_count(layer: Layer) -> int:
    """How many inputs the model of a nested model node takes (read, not checked)."""
    inputs = (layer.config.get("graph") or {}).get("inputs")
    return len(inputs) if isinstance(inputs, list) else 1


def model_layer_count(layer: Layer) -> int:
    """How many layers the model of a nested model node holds (read, not checked)."""
    layers = (layer.config.get("graph") or {}).get("layers")
    return len(layers) if isinstance(layers, list) else 0


def inner_graph(layer: Layer) -> ModelGraph:
    """The inner model of a nested model node (checked)."""
    if layer.class_name != MODEL_CLASS:
        raise GraphError(f"{layer.name!r} is not a nested model.", f"{layer.name!r} 不是嵌套模型。")
    return ModelGraph.from_json(layer.config.get("graph"))


def _v_model(spec: ParamSpec, value: Any) -> dict:
    """The argument of a nested model node (:mod:`tflab.catalog.models`): the inner graph,
    checked as a project's graph is, to a depth of ``MAX_NESTING`` models; as JSON."""
    depth = getattr(_nesting, "value", 0)
    if depth >= MAX_NESTING:
        raise TflabError(
            f"Models are nested more than {MAX_NESTING} deep here; tflab opens at most {MAX_NESTING} "
            "models inside one another.",
            f"这里的模型嵌套超过 {MAX_NESTING} 层；tflab 最多打开 {MAX_NESTING} 层相互嵌套的模型。",
        )
    if isinstance(value, dict) and value.get("custom_code"):
        raise TflabError(
            "A model inside another may not carry custom layer code of its own: the project's custom "
            "code is the only code a project holds.",
            "嵌套在另一个模型中的模型不能自带自定义层代码：项目的代码只保存在一个地方。",
        )
    _nesting.value = depth + 1
    try:
        inner = ModelGraph.from_json(value)
    except GraphError as err:
        raise TflabError(f"The inner model ({spec.name}): {err.en}", f"内部模型（{spec.name}）：{err.zh}",
                         hint_en=err.hint_en, hint_zh=err.hint_zh) from None
    finally:
        _nesting.value = depth
    return inner.to_json()


register_validator("model", _v_model)
