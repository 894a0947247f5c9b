"""Every change the editor makes to a model: one undoable document step per gesture.

A view turns what the user did (a drop, a drag between two ports, a key, a typed value)
into one call here; this module alone says how the graph changes and what the step is
called in Edit > Undo. The document applies the step (:meth:`ui.core.document.Document.edit`),
the graph changes, the document announces it, and every view redraws from the graph.
So there is one way for edits::

    gesture (view) -> Edits.<command> -> Document.edit -> ModelGraph -> sigChanged -> views

Each command raises :class:`~tflab.messages.TflabError` when the graph refuses the change
(the graph is then exactly as before); with ``report`` left True the document also sends
the error to the status bar. A command that makes a node selects it, as a user expects.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject

from tflab.graph import ModelGraph, TensorRef
from tflab.messages import TflabError
from ui.core.document import Document
from ui.core.text import fill

Point = tuple[float, float]


class Edits(QObject):
    """The editor's commands on ``document`` (see the module docstring)."""

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document

    # ------------------------------------------------------------------ adding
    def add_input(self, shape: list[int], point: Point | None = None) -> str:
        """A new model input of ``shape`` (at ``point`` in the graph), selected; returns its id."""

        def change(graph: ModelGraph) -> str:
            node_id = graph.add_input(shape)
            if point is not None:
                graph.positions[node_id] = point
            return node_id

        return self._select(self.document.edit(self.tr("Add input"), change))

    def add_layer(self, class_name: str, config: dict, inputs: list[TensorRef],
                  point: Point | None = None, report: bool = True) -> str:
        """A new ``class_name`` layer called on ``inputs`` (none: left unconnected), at
        ``point`` in the graph, selected; returns its call's id."""

        def change(graph: ModelGraph) -> str:
            node_id = graph.add_layer_call(class_name, config, inputs)
            if point is not None:
                graph.positions[node_id] = point
            return node_id

        return self._select(self.document.edit(fill(self.tr("Add %1"), class_name), change, report=report))

    def insert_in_stack(self, index: int, class_name: str, config: dict,
                        input_shape: list[int] | None = None) -> str:
        """A new ``class_name`` layer at stack position ``index``, selected (with
        ``input_shape``, a blank model gets its input first); returns its call's id."""

        def change(graph: ModelGraph) -> str:
            if input_shape is not None:
                graph.add_input(input_shape)
            return graph.stack_insert(index, class_name, config)

        return self._select(self.document.edit(fill(self.tr("Add %1"), class_name), change))

    def call_again(self, node_id: str, point: Point) -> str:
        """Another, unconnected call of the layer of call ``node_id`` (shared weights),
        at ``point``, selected; returns the new call's id."""

        def change(graph: ModelGraph) -> str:
            new_id = graph.add_call(graph.calls[node_id].layer, [])
            graph.positions[new_id] = point
            return new_id

        return self._select(self.document.edit(self.tr("Call layer again"), change))

    # ------------------------------------------------------------------ wiring
    def connect(self, source: TensorRef, target: str, report: bool = True) -> None:
        """Wire ``source`` into the next free input of call ``target``."""
        self.document.edit(self.tr("Connect"), lambda g: g.connect(source, target), report=report)

    def mark_as_output(self, refs: list[TensorRef]) -> None:
        """Add ``refs`` to the outputs the user set (automatic ones are dropped)."""

        def change(graph: ModelGraph) -> None:
            graph.set_outputs(graph.outputs + [r for r in refs if r not in graph.outputs])

        self.document.edit(self.tr("Mark as model output"), change)

    def remove_from_outputs(self, node_id: str) -> None:
        """Remove the outputs of node ``node_id`` from the model's outputs."""
        self.document.edit(self.tr("Remove from outputs"), lambda g: g.set_outputs(
            [r for r in g.outputs if r.node != node_id]))

    # ------------------------------------------------------------------ removing and moving
    def delete(self, nodes: Iterable[str] = (), wires: Iterable[tuple[str, int]] = ()) -> None:
        """Remove ``nodes`` (with their wires) and ``wires``, given as (target call, input
        slot), as one step (none if there is nothing to remove)."""
        nodes = list(dict.fromkeys(nodes))
        # later slots first, so that removing one wire does not renumber the next
        wires = sorted({w for w in wires if w[0] not in nodes}, key=lambda w: (w[0], -w[1]))

        def change(graph: ModelGraph) -> None:
            for target, slot in wires:
                graph.disconnect(target, slot)
            for node_id in nodes:
                graph.remove_node(node_id)

        if nodes or wires:
            self.document.edit(self.tr("Delete"), change)

    def remove_from_stack(self, index: int) -> None:
        """Remove the layer at stack position ``index``."""
        name = self.document.graph.calls[self._stack()[index]].layer
        self.document.edit(fill(self.tr("Delete %1"), name), lambda g: g.stack_remove(index))

    def move_in_stack(self, old_index: int, new_index: int) -> None:
        """Move the layer at stack position ``old_index`` to ``new_index``."""
        name = self.document.graph.calls[self._stack()[old_index]].layer
        self.document.edit(fill(self.tr("Move %1"), name), lambda g: g.stack_move(old_index, new_index))

    def place(self, positions: dict[str, Point], merge_key: str | None = None) -> None:
        """Store where boxes stand in the graph (nodes gone meanwhile are skipped)."""
        self.document.place(self.tr("Move"), positions, merge_key)

    def lay_out(self, positions: dict[str, Point]) -> None:
        """Replace every stored position with ``positions`` (Auto-layout)."""
        self.document.place(self.tr("Auto-layout"), positions, replace=True)

    # ------------------------------------------------------------------ settings
    def rename(self, node_id: str, name: str) -> None:
        """Give the layer of call ``node_id`` (or the input ``node_id``) the name ``name``."""
        current = node_name(self.document.graph, node_id)
        self.document.edit(fill(self.tr("Rename %1 to %2"), current, name),
                           lambda g: rename_node(g, node_id, name), f"rename:{node_id}")

    def set_input(self, node_id: str, argument: str, value: object) -> None:
        """Change one argument (shape, dtype...) of the model input ``node_id``."""
        changes = {argument: value}
        self.document.edit(fill(self.tr("Change %1 of the input"), argument),
                           lambda g: g.set_input(node_id, **changes), f"input:{node_id}:{argument}")

    def set_config(self, layer: str, argument: str, config: dict) -> None:
        """Give layer ``layer`` the checked ``config`` (its ``argument`` was edited)."""
        self.document.edit(fill(self.tr("Change %1 of %2"), argument, layer),
                           lambda g: g.set_config(layer, config), f"param:{layer}:{argument}")

    def ungroup(self, node_id: str) -> list[str]:
        """Put the layers of the nested model called at ``node_id`` in its place (at each of
        its calls); the first of them is selected. Returns the new calls."""
        name = self.document.graph.calls[node_id].layer
        made = self.document.edit(fill(self.tr("Ungroup %1"), name), lambda g: g.ungroup(name))
        if made:
            self.document.select(made[0])
        return made

    # ------------------------------------------------------------------ helpers
    def _select(self, node_id: object) -> str:
        self.document.select(str(node_id))
        return str(node_id)

    def _stack(self) -> list[str]:
        order, why_en, why_zh = self.document.graph.stack_order()
        if order is None:
            raise TflabError(why_en, why_zh)
        return order


def node_name(graph: ModelGraph, node_id: str) -> str:
    """The name the user gave node ``node_id``: its layer's for a call, else the input's."""
    return graph.calls[node_id].layer if node_id in graph.calls else graph.input_node(node_id).name


def rename_node(graph: ModelGraph, node_id: str, name: str) -> None:
    """Rename the layer of call ``node_id``, or the input ``node_id``, in ``graph``."""
    if node_id in graph.calls:
        graph.rename_layer(graph.calls[node_id].layer, name)
    else:
        graph.set_input(node_id, name=name)
