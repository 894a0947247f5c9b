"""The graph view of the layer editor: the model as boxes and wires (Functional API).

Each model input and each layer call is a box (:class:`~ui.editor.graph_items.NodeItem`)
with input ports on top and output ports at the bottom; wires run from an output
port to an input port. The user wires layers by dragging from a port to a port,
moves boxes, deletes nodes and wires, calls a layer again (shared weights), marks
model outputs, and drops new layers from the palette.

The view never changes the graph itself: every gesture becomes one
:meth:`Document.edit <ui.core.document.Document.edit>` step, and the view follows the
document's ``sigChanged`` (and ``sigPlaced``, when only where boxes stand changed).
Updates are incremental: a box is repainted only when what it shows changed, and
moving a box only re-routes its own wires and the wires it now lies across.

Nodes that have no stored position are placed by :mod:`ui.editor.autolayout` when shown;
those display-only positions are stored with the next move the user makes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from itertools import islice

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QMenu, QToolTip, QWidget

from tflab import catalog, tfload
from tflab.catalog import operations
from tflab.graph import GraphError, ModelGraph, TensorRef
from tflab.layout import COLUMN_WIDTH, auto_layout, free_spot, place_missing
from tflab.messages import TflabError
from tflab.shapes import ShapeReport
from ui.core.document import Document, DrawnWhenShown
from ui.core.text import fill
from ui.core.workers import Hold
from ui.editor.edits import Edits
from ui.editor.graph_items import (
    NODE_HEIGHT,
    NODE_WIDTH,
    GraphDescriber,
    NodeItem,
    PortItem,
    PortRef,
    RubberWire,
    SelectedWires,
    WireItem,
    has_free_input,
    mix,
    stroke,
    takes_several,
    wire_path,
)
from ui.editor.palette import layer_from_mime

ZOOM_STEP = 1.2
MIN_ZOOM = 0.15
MAX_ZOOM = 3.0
#: Spacing of the background grid, in scene units (every fifth line is darker).
GRID = 20.0
#: How far an arrow key moves the selected boxes, in scene units.
NUDGE = 10.0
#: Room around the boxes that the scroll bars let the user reach.
SCENE_MARGIN = 600.0
#: A new project with more boxes than this (old and new together) is drawn without the
#: scene's index, which is built once afterwards instead of box by box.
BULK_NODES = 200
#: New boxes are made a batch at a time, the window drawing and answering in between:
#: a model of two thousand layers fills in over a moment instead of freezing the window
#: for half a second (benchmarks/bench_open_big.py). The first batch has this many boxes;
#: each next one as many as the last one's pace fits in :data:`BUILD_SECONDS`, so a busy
#: machine (shape checking runs beside it) makes fewer at a time, not longer pauses.
BUILD_BATCH = 150
BUILD_SECONDS = 0.015
#: How long the first batch of a big model just opened waits, in milliseconds. The turn
#: that takes the file in (the document, the requests for its shapes and code, the zoom)
#: is work of its own (8-14 ms for NASNetMobile); at once after it, the first batch (25-33
#: ms) held the window 49-56 ms in one go. Waiting, the window draws and answers between.
FIRST_TURN_MS = 10
#: Boxes made at most by a pass that also visits every box (the first over a newly opened
#: model, which places every node too, or the first after its shapes came).
FIRST_BATCH = 25
#: The depth of the scene's item index (a BSP tree), fixed: Qt picks it by the number of
#: items and builds the whole index again each time that number crosses a power of two,
#: thousands of Python calls in one go while a big model fills in.
BSP_DEPTH = 10
#: Items of a model no longer shown taken out of the scene in one event-loop turn (a
#: thousand took 17-33 ms while NASNetMobile's code was still being written).
CLEAR_BATCH = 500
#: Boxes given their new shapes in one event-loop turn when a shape report comes and
#: nothing else changed. A report changes every box of a model just opened: NASNetMobile's
#: 770 boxes at once held the window 57-79 ms (a pass over every box and wire, then the
#: painting of every box it changed). This is the most; the first batch has
#: :data:`REPORT_FIRST`, and each next one as many as the last one's pace fits in
#: :data:`BUILD_SECONDS`: 120 boxes of ResNet50 took 30-45 ms while the workers ran Python.
REPORT_BATCH = 120
REPORT_FIRST = 40


def _paced(started: float, done: int, most: int) -> int:
    """How many items the next batch takes: as many as the pace of the batch that began
    at ``started`` (``perf_counter``) and did ``done`` fits in :data:`BUILD_SECONDS`,
    between 10 and ``most``."""
    pace = (time.perf_counter() - started) / max(1, done)
    return max(10, min(most, int(BUILD_SECONDS / pace)))


@dataclass
class _WireDrag:
    """A connection being dragged from the port ``start``."""

    start: PortRef
    rubber: RubberWire


# ----------------------------------------------------------------------------- view
class _RectIndex:
    """Rectangles by name in square cells: which boxes a wire crosses, which wires a
    changed box lies across.

    ``QGraphicsScene.items(path)`` for every wire cost 4 s per 1,000 wires on a big graph
    (each query walked thousands of items); a lookup here looks only at the cells a
    rectangle covers. The index is kept from one sync to the next and told only what
    changed, so a sync that adds a few boxes to a thousand does not visit the thousand."""

    CELL = 256.0

    def __init__(self, rects: Iterable[tuple[Hashable, QRectF]] = ()):
        self._cells: dict[tuple[int, int], dict[Hashable, QRectF]] = {}
        self._where: dict[Hashable, tuple[QRectF, tuple[tuple[int, int], ...]]] = {}
        for name, rect in rects:
            self.put(name, rect)

    def put(self, name: Hashable, rect: QRectF) -> None:
        """Set (or move) the rectangle of ``name``."""
        self.discard(name)
        keys = tuple(self._keys(rect))
        self._where[name] = (rect, keys)
        for key in keys:
            self._cells.setdefault(key, {})[name] = rect

    def discard(self, name: Hashable) -> None:
        """Forget ``name`` (nothing if it is not there)."""
        where = self._where.pop(name, None)
        if where is not None:
            for key in where[1]:
                cell = self._cells[key]
                del cell[name]
                if not cell:
                    del self._cells[key]

    def __contains__(self, name: Hashable) -> bool:
        return name in self._where

    def parts(self) -> tuple[dict, dict]:
        """What it holds (for letting go of it a batch at a time)."""
        return self._cells, self._where

    def overlapping(self, area: QRectF) -> set[Hashable]:
        """The names whose rectangle overlaps ``area``."""
        return {name for key in self._keys(area) for name, rect in self._cells.get(key, {}).items()
                if rect.intersects(area)}

    def crossed(self, area: QPainterPath, ignore: tuple[Hashable, ...]) -> QRectF:
        """The rectangle around every rectangle (but those of ``ignore``) that ``area`` overlaps."""
        found = QRectF()
        seen: set[Hashable] = set(ignore)
        for key in self._keys(area.boundingRect()):
            for name, rect in self._cells.get(key, {}).items():
                if name in seen:
                    continue
                seen.add(name)
                if area.intersects(rect):
                    found = found.united(rect)
        return found

    def _keys(self, rect: QRectF) -> Iterable[tuple[int, int]]:
        left, right = math.floor(rect.left() / self.CELL), math.floor(rect.right() / self.CELL)
        top, bottom = math.floor(rect.top() / self.CELL), math.floor(rect.bottom() / self.CELL)
        return ((x, y) for x in range(left, right + 1) for y in range(top, bottom + 1))


def _structure(graph: ModelGraph) -> tuple:
    """Everything the boxes and wires of ``graph`` are made from but the layers' settings
    and the boxes' places: equal structures, and only the boxes of layers whose settings
    changed (and the boxes they feed), and the boxes that stand elsewhere, need to be
    looked at again (GraphView._edited_layers, GraphView._move_boxes)."""
    return (tuple((n.id, n.name, tuple(n.shape), n.dtype, n.batch_size) for n in graph.inputs),
            tuple((call_id, call.layer, tuple(call.inputs)) for call_id, call in graph.calls.items()),
            tuple((name, layer.class_name) for name, layer in graph.layers.items()),
            tuple(graph.outputs), graph.custom_code, graph.name)


def _configs(graph: ModelGraph) -> dict[str, dict]:
    return {name: layer.config for name, layer in graph.layers.items()}


def _around(points: Iterable[tuple[float, float]]) -> QRectF:
    """A rectangle around boxes centred at ``points`` (of any height a box may have)."""
    xs, ys = zip(*points)
    return QRectF(QPointF(min(xs) - NODE_WIDTH, min(ys) - SCENE_MARGIN / 2),
                  QPointF(max(xs) + NODE_WIDTH, max(ys) + SCENE_MARGIN / 2))


class GraphView(DrawnWhenShown, QGraphicsView):
    """The model graph as boxes and wires, edited with the mouse.

    Signals:
        sigMessage(str): a short message for the status bar (why a wire was refused).

    Actions (for menus and tool bars): ``act_add_input``, ``act_auto_layout``,
    ``act_delete``, ``act_zoom_in``, ``act_zoom_out``, ``act_reset_zoom``, ``act_fit_all``.
    """

    sigMessage = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self._document = document
        self._edits = Edits(document, self)
        self._scene = QGraphicsScene(self)
        self._scene.setBspTreeDepth(BSP_DEPTH)
        self.setScene(self._scene)
        self._project = document.project
        self._report: ShapeReport | None = None
        self._drawn_report: ShapeReport | None = None  # the report the boxes show
        self._nodes: dict[str, NodeItem] = {}
        self._wires: dict[tuple[str, int, str, int], WireItem] = {}
        self._rects: dict[str, tuple[tuple, QRectF]] = {}  # each box's geometry at the last sync
        self._boxes = _RectIndex()  # the boxes' scene rectangles, by node id
        self._dragged: set[str] = set()  # boxes moved by hand since the last full sync
        self._wire_areas = _RectIndex()  # where each wire runs (and would run straight), by wire key
        self._spec_cache: dict = {}  # see GraphDescriber.node_specs
        self._wires_of: dict[str, list[WireItem]] = {}
        self._describer: GraphDescriber | None = None  # see _describer_for
        self._selected_wires: set[WireItem] = set()  # drawn selected (WireItem.restyle)
        self._selected_look = SelectedWires(self.palette())  # draws them
        self._scene.addItem(self._selected_look)
        self._doomed: list[QGraphicsItem] = []  # items of a model no longer shown, to take out (_clear)
        self._leftovers: list[dict] = []  # what the view knew of it, let go of a batch at a time
        self._placed: dict[str, tuple[float, float]] = {}   # shown positions after the last sync
        self._auto_positions: dict[str, tuple[float, float]] = {}  # shown but not stored
        self._layout_hint: tuple[object, dict[str, tuple[float, float]]] | None = None  # expect_layout
        self._syncing = False
        self._build_timer = QTimer(self)  # makes the next batch of new boxes
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_next)
        #: The next batch waits while a shape check runs (the window sets it up): made
        #: beside it, a batch took two to four times its 20 ms (see ui.core.workers.Hold).
        #: NASNetMobile's check takes 0.3-0.5 s: a hold of 0.25 s ended before it did, and
        #: the worst pause while it opened was 93-111 ms instead of 47-88 ms.
        self.build_hold = Hold(most_s=1.0)
        self._fit_when_built = False
        #: Whether anything but the making of new boxes may have changed since the last sync
        #: (an edit, new shapes, another language): then every box is looked at again.
        self._full_sync_due = True
        #: Boxes whose shape result changed with the last reports, given it a batch at a
        #: time (:data:`REPORT_BATCH`) while nothing else changed (:meth:`_show_report_some`).
        self._report_due: dict[str, None] = {}
        #: The graph changed since the last sync (an edit, undo, redo); what the last full
        #: sync saw, to tell an edit of layer settings alone from any other (:meth:`_edited_layers`).
        self._edited = True
        self._seen_structure: tuple | None = None
        self._seen_configs: dict[str, dict] = {}
        self._seen_positions: dict[str, tuple[float, float]] = {}
        self._batch = BUILD_BATCH  # new boxes the next sync makes at most (see BUILD_SECONDS)
        self._report_batch = REPORT_FIRST  # boxes given their shapes in the next turn (REPORT_BATCH)
        self._wires_retold_later = False  # wires whose tooltips the next sync brings up to date
        self._wire_drag: _WireDrag | None = None
        self._pan_from: QPoint | None = None
        self._space_held = False

        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self._make_actions()

        self._scene.selectionChanged.connect(self._on_scene_selection)
        document.sigChanged.connect(self._note_edit)  # before the redraw it may cause
        document.sigChanged.connect(self._on_document_changed)
        document.sigPlaced.connect(self._note_edit)  # a move: the boxes that stand elsewhere move
        document.sigPlaced.connect(self._on_document_changed)
        document.sigSelectionChanged.connect(self._on_document_selection)
        self._sync()

    # ------------------------------------------------------------------ actions
    def _make_actions(self) -> None:
        def action(slot: Callable[[], object], shortcut: QKeySequence | None = None) -> QAction:
            act = QAction(self)
            act.triggered.connect(lambda *_: slot())
            if shortcut is not None:
                act.setShortcut(shortcut)
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(act)
            return act

        self.act_add_input = action(self.add_input)
        self.act_auto_layout = action(self.apply_auto_layout)
        self.act_delete = action(self.delete_selection)
        self.act_zoom_in = action(self.zoom_in, QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.act_zoom_out = action(self.zoom_out, QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.act_reset_zoom = action(self.reset_zoom, QKeySequence("Ctrl+0"))
        self.act_fit_all = action(self.fit_all, QKeySequence("Ctrl+9"))
        self._retranslate()

    def _retranslate(self) -> None:
        self.act_add_input.setText(self.tr("Add input"))
        self.act_add_input.setToolTip(self.tr("Add a model input (set its shape in the inspector)"))
        self.act_auto_layout.setText(self.tr("Auto-layout"))
        self.act_auto_layout.setToolTip(self.tr("Arrange all boxes in rows, from the inputs at the top down"))
        self.act_delete.setText(self.tr("Delete"))
        self.act_zoom_in.setText(self.tr("Zoom in"))
        self.act_zoom_out.setText(self.tr("Zoom out"))
        self.act_reset_zoom.setText(self.tr("Actual size"))
        self.act_fit_all.setText(self.tr("Fit all"))
        self.act_fit_all.setToolTip(self.tr("Zoom to show the whole model (a very long one from its top)"))

    # ------------------------------------------------------------------ public API
    @property
    def document(self) -> Document:
        return self._document

    def set_report(self, report: ShapeReport | None) -> None:
        """Show shapes, parameter counts and errors from a shape report.

        When only the report changed since the last sync, the boxes whose result changed
        are given it a batch at a time (:meth:`_show_report_some`); otherwise every box is
        looked at again."""
        before, self._report = self._report, report
        if (report is None or self._full_sync_due or self._document.project is not self._project
                or before is not None and before.input_shapes != report.input_shapes):
            self._note_change()
        else:  # the boxes whose result came, changed or went (the first shapes: every box)
            old, new = (before.calls if before is not None else {}), report.calls
            inputs = report.input_shapes if before is None else {}
            self._report_due.update(dict.fromkeys(
                [*inputs, *(node_id for node_id in (*old, *new) if old.get(node_id) != new.get(node_id))]))
        self._on_document_changed()

    def _note_change(self) -> None:
        self._full_sync_due = True

    def _note_edit(self) -> None:
        self._edited = True
        self._describer = None

    def _describer_for(self, graph: ModelGraph, full: bool) -> GraphDescriber:
        """A describer of ``graph`` and the last report: the one the last sync made while
        neither changed since (the next batch of a big model's boxes), else a new one."""
        describer = self._describer
        if full or describer is None or describer.report is not self._report or describer.graph is not graph:
            describer = self._describer = GraphDescriber(graph, self._report)
        return describer

    def _redraw(self) -> None:
        if self.building():
            return  # the next batch comes soon, and brings in this change too
        self._sync()

    def expect_layout(self, project: object, positions: dict[str, tuple[float, float]]) -> None:
        """Where the boxes of ``project`` (about to be shown) go that it does not place
        itself, worked out off the window's thread (``place_missing``): laying out 2,000
        layers there held the window 25-45 ms."""
        self._layout_hint = (project, positions)

    def node_item(self, node_id: str) -> NodeItem | None:
        """The box of a node (None if there is none)."""
        return self._nodes.get(node_id)

    def wire_item(self, target: str, slot: int) -> WireItem | None:
        """The wire into input ``slot`` of call ``target`` (None if there is none)."""
        return next((w for w in self._wires.values() if (w.target, w.slot) == (target, slot)), None)

    def node_position(self, node_id: str) -> tuple[float, float] | None:
        """Where a node's box is shown (its centre, in scene units)."""
        return self._placed.get(node_id)

    def zoom(self) -> float:
        """The current zoom factor (1.0 = actual size)."""
        return self.transform().m11()

    def set_zoom(self, steps: int) -> None:
        """View > Zoom: ``steps`` zoom steps from actual size (0 = actual size)."""
        self._zoom_by(ZOOM_STEP ** steps / self.zoom())

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    def reset_zoom(self) -> None:
        """Back to actual size, keeping the centre of the view."""
        centre = self.mapToScene(self.viewport().rect().center())
        self.resetTransform()
        self.centerOn(centre)

    def fit_all(self) -> None:
        """Show every box (never magnified beyond actual size, never smaller than
        :data:`MIN_ZOOM`: a model too big for that shows as much as it can from the top,
        its inputs); while new boxes are still being made, once they all are.

        While they are made, the view already takes the zoom they will need (from where
        they will be), so each box is drawn once, at that zoom: changed at the end, every
        box of NASNetMobile was drawn again in one go (87 ms)."""
        if self.building():
            self._fit_when_built = True
            graph = self._document.graph
            positions = self._positions(graph, graph.node_ids()).values()
            if positions:  # (plain numbers: a rectangle united per box held 2,000 boxes 10 ms)
                xs, ys = [x for x, _ in positions], [y for _, y in positions]
                self._fit_rect(QRectF(min(xs) - NODE_WIDTH / 2, min(ys) - NODE_HEIGHT / 2,
                                      max(xs) - min(xs) + NODE_WIDTH, max(ys) - min(ys) + NODE_HEIGHT))
            return
        if not self._nodes:
            self.reset_zoom()
            return
        rect = QRectF()
        for item in self._nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        self._fit_rect(rect)

    def _fit_rect(self, rect: QRectF) -> None:
        """Zoom and scroll to show ``rect`` (see :meth:`fit_all`). A zoom within 1% of the
        one shown is kept: a new zoom draws every box again."""
        rect = rect.adjusted(-40, -40, 40, 40)
        view = self.viewport().rect()
        zoom = min(1.0, (view.width() - 4) / rect.width(), (view.height() - 4) / rect.height())
        centre = rect.center()
        if zoom < MIN_ZOOM:  # boxes a few pixels big tell nothing: as much as shows, from the top
            zoom = MIN_ZOOM
            centre = QPointF(centre.x(), rect.top() + view.height() / MIN_ZOOM / 2)
        if abs(self.zoom() - zoom) > zoom / 100 or self.transform().isRotating():
            self.resetTransform()
            self.scale(zoom, zoom)
        self.centerOn(centre)

    # ------------------------------------------------------------------ edits
    def add_input(self, scene_pos: QPointF | None = None) -> str:
        """Add a model input (default shape from the catalog) at ``scene_pos``, or in
        a free spot in view; returns its node id."""
        shape = list(catalog.get_entry("Input").initial_config.get("shape", [4]))
        if scene_pos is None:
            centre = self.mapToScene(self.viewport().rect().center())
            point = free_spot((centre.x(), centre.y()), list(self._placed.values()))
        else:
            point = (scene_pos.x(), scene_pos.y())

        return self._edits.add_input(shape, point)

    def drop_layer(self, class_name: str, scene_pos: QPointF) -> str | None:
        """Add a call of a new ``class_name`` layer at ``scene_pos`` (a palette drop),
        unconnected, with the catalog's initial config; returns its node id."""
        if class_name == "Input":
            return self.add_input(scene_pos)
        entry = self._document.entry_if_ready(class_name)
        if entry is None and not tfload.is_loaded():
            self._refuse(self.tr("The layer list is still loading; try again in a moment."))
            return None
        config = entry.fresh_config() if entry is not None else {}
        try:
            return self._edits.add_layer(class_name, config, [], (scene_pos.x(), scene_pos.y()))
        except TflabError as err:
            self._refuse(err.full())
            return None

    def connect_ports(self, start: PortRef, end: PortRef) -> bool:
        """Wire two ports (an output and an input, either way round) as one undoable
        step, or refuse with the reason (``sigMessage``). Returns whether
        the wire was made."""
        reason = self.wire_refusal(start, end)
        if reason:
            self._refuse(reason)
            return False
        out, into = (start, end) if start.kind == "out" else (end, start)
        try:
            self._edits.connect(TensorRef(out.node, out.index), into.node)
        except GraphError as err:
            self._refuse(err.full())
            return False
        return True

    def wire_refusal(self, start: PortRef, end: PortRef) -> str | None:
        """Why a wire between two ports cannot be made, or None if it can."""
        if start.kind == end.kind:
            if start.kind == "in":
                return self.tr("Both ends are inputs. Drag from a layer's output (the dot at the "
                               "bottom of a box) to an input (a dot at the top).")
            return self.tr("Both ends are outputs. Drag from a layer's output (the dot at the "
                           "bottom of a box) to an input (a dot at the top).")
        graph = self._document.graph
        out, into = (start, end) if start.kind == "out" else (end, start)
        if out.node == into.node:
            return self.tr("A layer cannot take its own output. Connect it to another layer.")
        call = graph.calls.get(into.node)
        if call is None or not graph.has_node(out.node):
            return self.tr("This wire has no layer at one of its ends.")
        if into.index < len(call.inputs):
            layer = graph.layers[call.layer]
            entry = self._document.entry_if_ready(layer.class_name)
            given = operations.numbers(layer.class_name, layer.config) if catalog.is_operation(layer.class_name) else {}
            if given:  # its other value is a number: no free input to drop on
                name, value = next(iter(given.items()))
                return fill(self.tr("'%1' (%2) takes one tensor: its %3 is the number %4. Clear %3 in the "
                                    "inspector to wire a second tensor in, or delete its wire first."),
                            call.layer, layer.class_name, name, f"{value:g}")
            if not takes_several(entry, len(call.inputs)):
                return fill(self.tr("'%1' (%2) takes one input, and it is already connected. "
                                    "Delete its wire first (click the wire, press Delete)."),
                            call.layer, layer.class_name)
            if has_free_input(entry, layer, len(call.inputs)):
                return fill(self.tr("This input of '%1' is already connected. Delete its wire first, "
                                    "or drop on its free input (the dot with a plus)."), call.layer)
            return fill(self.tr("This input of '%1' is already connected, and it takes no more inputs. "
                                "Delete its wire first (click the wire, press Delete)."), call.layer)
        if into.node in graph.ancestors(out.node):
            return fill(self.tr("Wiring '%1' into '%2' would make a cycle: '%2' already feeds '%1', "
                                "and a layer cannot depend on its own output."),
                        graph.node_label(out.node), call.layer)
        return None

    def call_again(self, node_id: str) -> str:
        """Add another, unconnected call of the layer of call ``node_id`` (shared weights)
        next to it; returns the new call's id."""
        x, y = self._placed.get(node_id, (0.0, 0.0))
        point = free_spot((x + COLUMN_WIDTH, y), list(self._placed.values()))
        return self._edits.call_again(node_id, point)

    def is_model_output(self, node_id: str) -> bool:
        """Whether the node is one of the outputs the user set."""
        return any(ref.node == node_id for ref in self._document.graph.outputs)

    def mark_as_output(self, node_id: str) -> None:
        """Add the node's outputs to the model outputs (the set ones; automatic ones are dropped)."""
        count = len(self._nodes[node_id].out_ports) if node_id in self._nodes else 1
        self._edits.mark_as_output([TensorRef(node_id, i) for i in range(count)])

    def remove_from_outputs(self, node_id: str) -> None:
        self._edits.remove_from_outputs(node_id)

    def delete(self, nodes: Iterable[str] = (), wires: Iterable[tuple[str, int]] = ()) -> None:
        """Remove ``nodes`` (with their wires) and ``wires``, given as (target call,
        input slot), as one undoable step."""
        self._edits.delete(nodes, wires)

    def selected_nodes(self) -> list[str]:
        """Ids of the selected boxes."""
        return [i.node_id for i in self._scene.selectedItems()
                if isinstance(i, NodeItem) and self._nodes.get(i.node_id) is i]

    def delete_selection(self) -> None:
        """Delete the selected boxes and wires (one undoable step)."""
        self.delete(self.selected_nodes(),
                    [(w.target, w.slot) for w in self._scene.selectedItems() if isinstance(w, WireItem)])

    def apply_auto_layout(self) -> None:
        """Arrange every box in rows from the inputs down (one undoable step)."""
        self._edits.lay_out(auto_layout(self._document.graph))
        self.fit_all()

    # ------------------------------------------------------------------ menus
    def node_menu(self, node_id: str) -> QMenu:
        """The context menu of a box."""
        menu = QMenu(self)
        if node_id in self._document.graph.calls:
            again = menu.addAction(self.tr("Call this layer again (shared weights)"))
            again.setToolTip(self.tr("Adds a second box for the same layer: both calls use the same weights"))
            again.triggered.connect(lambda *_: self.call_again(node_id))
            if self.is_model_output(node_id):
                menu.addAction(self.tr("Remove from outputs")).triggered.connect(
                    lambda *_: self.remove_from_outputs(node_id))
            else:
                menu.addAction(self.tr("Mark as model output")).triggered.connect(
                    lambda *_: self.mark_as_output(node_id))
            menu.addSeparator()
        selected = self.selected_nodes()
        doomed = selected if node_id in selected else [node_id]
        menu.addAction(self.tr("Delete")).triggered.connect(lambda *_: self.delete(doomed))
        return menu

    def wire_menu(self, wire: WireItem) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Delete wire")).triggered.connect(
            lambda *_: self.delete(wires=[(wire.target, wire.slot)]))
        return menu

    def background_menu(self, scene_pos: QPointF) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Add input here")).triggered.connect(lambda *_: self.add_input(scene_pos))
        menu.addSeparator()
        for act in (self.act_auto_layout, self.act_fit_all, self.act_reset_zoom):
            menu.addAction(act)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        item = self._item_at(event.pos())
        if isinstance(item, PortItem):
            item = item.parentItem()
        if isinstance(item, NodeItem):
            if not item.isSelected():
                self._scene.clearSelection()
                item.setSelected(True)
            menu = self.node_menu(item.node_id)
        elif isinstance(item, WireItem):
            menu = self.wire_menu(item)
        else:
            menu = self.background_menu(self.mapToScene(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # ------------------------------------------------------------------ drag and drop from the palette
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        self._accept_layer_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        self._accept_layer_drag(event)

    def _accept_layer_drag(self, event: QDragMoveEvent) -> None:
        if layer_from_mime(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        class_name = layer_from_mime(event.mimeData())
        if class_name is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.drop_layer(class_name, self.mapToScene(event.position().toPoint()))

    # ------------------------------------------------------------------ mouse
    def _item_at(self, pos: QPoint) -> QGraphicsItem | None:
        """The port under ``pos`` if any (ports win over the box they sit on), else the top item."""
        items = [i for i in self.items(pos) if not isinstance(i, (RubberWire, SelectedWires))]
        return next((i for i in items if isinstance(i, PortItem)), items[0] if items else None)

    def _end_port_at(self, pos: QPoint, start: PortRef) -> PortItem | None:
        """The port a wire dragged from ``start`` would end on at ``pos``: a port, or the
        matching port of the box under the mouse."""
        item = self._item_at(pos)
        if isinstance(item, NodeItem) and item.node_id != start.node:
            if start.kind == "out":
                return item.free_in_port() or (item.in_ports[0] if item.in_ports else None)
            return item.out_ports[0] if item.out_ports else None
        return item if isinstance(item, PortItem) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton and self._space_held):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button == Qt.MouseButton.LeftButton:
            item = self._item_at(event.position().toPoint())
            if isinstance(item, PortItem):
                self._start_wire(item)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position().toPoint()
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if self._wire_drag is not None:
            self._follow_wire(pos)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._pan_from is not None:
            self._pan_from = None
            self._update_pan_cursor()
            event.accept()
            return
        if self._wire_drag is not None:
            self._finish_wire(event.position().toPoint())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._commit_moves()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self._zoom_by(ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def _zoom_by(self, factor: float) -> None:
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        if not math.isclose(target, self.zoom()):
            self.scale(target / self.zoom(), target / self.zoom())

    # ------------------------------------------------------------------ keyboard
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_Escape and self._wire_drag is not None:
            self._cancel_wire()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
        elif key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held = True
                self._update_pan_cursor()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down) and self.selected_nodes():
            self._nudge(key)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self._update_pan_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self._space_held = False
        self._update_pan_cursor()
        super().focusOutEvent(event)

    def _update_pan_cursor(self) -> None:
        if self._space_held:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().unsetCursor()

    def _nudge(self, key: int) -> None:
        dx, dy = {Qt.Key.Key_Left: (-NUDGE, 0), Qt.Key.Key_Right: (NUDGE, 0),
                  Qt.Key.Key_Up: (0, -NUDGE), Qt.Key.Key_Down: (0, NUDGE)}[key]
        moved = {n: (self._nodes[n].x() + dx, self._nodes[n].y() + dy) for n in self.selected_nodes()}
        self._store_positions(moved, merge_key="graph-nudge")

    # ------------------------------------------------------------------ wiring
    def _start_wire(self, port: PortItem) -> None:
        self._scene.clearSelection()
        rubber = RubberWire(port.scenePos(), from_output=port.ref.kind == "out")
        self._scene.addItem(rubber)
        self._wire_drag = _WireDrag(port.ref, rubber)
        port.set_mark("ok")

    def _follow_wire(self, pos: QPoint) -> None:
        drag = self._wire_drag
        drag.rubber.follow(self.mapToScene(pos))
        end = self._end_port_at(pos, drag.start)
        self._clear_marks(keep=drag.start)
        if end is None or end.ref == drag.start:
            drag.rubber.set_valid(None)
            QToolTip.hideText()
            return
        reason = self.wire_refusal(drag.start, end.ref)
        end.set_mark("bad" if reason else "ok")
        drag.rubber.set_valid(reason is None)
        if reason:
            QToolTip.showText(self.viewport().mapToGlobal(pos), reason, self.viewport())
        else:
            QToolTip.hideText()

    def _finish_wire(self, pos: QPoint) -> None:
        start = self._wire_drag.start
        end = self._end_port_at(pos, start)
        self._cancel_wire()
        if end is None or end.ref == start:
            return
        self.connect_ports(start, end.ref)

    def _cancel_wire(self) -> None:
        if self._wire_drag is not None:
            self._scene.removeItem(self._wire_drag.rubber)
            self._wire_drag = None
        self._clear_marks()

    def _clear_marks(self, keep: PortRef | None = None) -> None:
        for item in self._nodes.values():
            for port in item.in_ports + item.out_ports:
                port.set_mark("ok" if port.ref == keep else "")

    def _refuse(self, reason: str) -> None:
        """Tell the user why something was not done, in the status bar, where it stays to
        be read (while a wire is dragged the same reason shows at the port, as a tooltip,
        which goes now: one place at a time, not the same words twice)."""
        QToolTip.hideText()
        self.sigMessage.emit(reason)

    # ------------------------------------------------------------------ moving
    def _commit_moves(self) -> None:
        """Store the positions of boxes the user dragged, as one undoable step."""
        moved = {node_id: (item.x(), item.y()) for node_id, item in self._nodes.items()
                 if (item.x(), item.y()) != self._placed.get(node_id)}
        if moved:
            self._store_positions(moved)

    def _store_positions(self, moved: dict[str, tuple[float, float]], merge_key: str | None = None) -> None:
        """Store new positions as one undoable step. Display-only positions of other
        boxes are stored with them, so the layout the user sees stays put."""
        self._edits.place({**self._auto_positions, **moved}, merge_key)

    def _on_node_moved(self, node_id: str) -> None:
        if not self._syncing:
            self._dragged.add(node_id)  # the next full sync puts it where the graph says
            item = self._nodes.get(node_id)
            if item is not None:  # the next sync sees its geometry key changed and looks again
                self._boxes.put(node_id, item.sceneBoundingRect())
            for wire in self._wires_of.get(node_id, ()):
                self._route(wire)

    # ------------------------------------------------------------------ selection
    def _on_scene_selection(self) -> None:
        selected = {item for item in self._scene.selectedItems() if isinstance(item, WireItem)}
        for wire in selected.symmetric_difference(self._selected_wires):
            wire.restyle()
        self._selected_wires = selected
        self._selected_look.trace(selected)
        if self._syncing:
            return
        nodes = self.selected_nodes()
        self._syncing = True
        try:
            self._document.select(nodes[0] if len(nodes) == 1 else "")
        finally:
            self._syncing = False

    def _on_document_selection(self, node_id: str) -> None:
        if self._syncing:
            return
        item = self._nodes.get(node_id)
        if self.selected_nodes() == ([node_id] if item else []):
            return
        self._syncing = True
        try:
            self._scene.clearSelection()
            if item is not None:
                item.setSelected(True)
                self.ensureVisible(item, 40, 40)
        finally:
            self._syncing = False

    # ------------------------------------------------------------------ sync with the document
    def _sync(self) -> None:
        """Bring the boxes and wires in line with the graph (only what changed)."""
        started = time.perf_counter()
        new_project = self._document.project is not self._project
        if new_project:  # New or Open: nothing shown so far belongs to it
            self._project = self._document.project
            hint, self._layout_hint = self._layout_hint, None
            self._auto_positions = dict(hint[1]) if hint is not None and hint[0] is self._project else {}
            self._report = None
            self._clear()  # its boxes are made afresh, a batch at a time (even with the same names)
            if len(self._document.graph.calls) > FIRST_BATCH:  # the first batch in a turn of its own:
                self._full_sync_due = True  # with the opening's other work, 2,000 layers held
                self._build_timer.start(FIRST_TURN_MS)  # the window 40-50 ms before anything was drawn
                return
        if (self._doomed or self._leftovers) and self._remove_some() > BUILD_BATCH:  # the old boxes of a big model go
            self._full_sync_due = True  # first, a turn at a time, the window answering in between
            self._build_timer.start()
            return
        if not new_project and not self._full_sync_due and self._edited:
            layers = self._edited_layers()
            if layers is None:  # anything but layer settings changed: every box is looked at
                self._full_sync_due = True
            else:  # their boxes and the boxes they feed (which name them), first, at once
                self._edited = False
                self._move_boxes()
                graph = self._document.graph
                calls = {call_id: None for call_id, call in graph.calls.items() if call.layer in layers}
                fed = {call_id: None for call_id, call in graph.calls.items()
                       if any(ref.node in calls for ref in call.inputs)}
                self._report_due = {**calls, **fed, **self._report_due}
        if not new_project and not self._full_sync_due and self._report_due:
            self._show_report_some()
            return
        graph = self._document.graph
        if (not new_project and not self._full_sync_due
                and len(self._nodes) == len(graph.inputs) + len(graph.calls)):
            return  # a move: done; no box to make, nothing else changed
        self._drawn_report = self._report
        self._report_due = {}
        self._edited = False
        ids = graph.node_ids()
        # Only new boxes to make (the next batch of a big model, nothing else changed):
        # the boxes and wires already shown are left alone, not visited one by one.
        full = self._full_sync_due or new_project
        if full:  # (a batch follows a sync that saw this graph: what it saw still holds)
            self._seen_structure, self._seen_configs = _structure(graph), _configs(graph)
            self._seen_positions = dict(graph.positions)
        positions = self._positions(graph, ids) if full else self._placed
        describer = self._describer_for(graph, full)
        missing = [n for n in ids if n not in self._nodes]
        if full and len(missing) > self._batch:  # a big model fills in, and this pass also visits
            self._batch = min(self._batch, FIRST_BATCH)  # every box made so far: fewer new ones
        later = set(missing[self._batch:])  # made by the next syncs, the window drawing in between
        fresh = set(missing[:self._batch])
        specs = describer.node_specs(self._spec_cache, skip=later, limit=BUILD_BATCH,
                                     only=None if full else fresh)
        self._syncing = True
        bulk = full and (new_project and len(ids) + len(self._nodes) > BULK_NODES
                         or len(missing) - len(later) > BULK_NODES // 2)
        if bulk:  # many boxes come and go: no index to keep up to date item by item
            self._set_indexed(False)
        try:
            if full:
                for node_id in [n for n in self._nodes if n not in graph.calls and graph.input_node(n) is None]:
                    self._scene.removeItem(self._nodes.pop(node_id))
            placed = {} if new_project else self._placed  # where the boxes are now
            for node_id in ids if full else [n for n in missing if n in fresh]:
                if node_id in later:
                    continue
                item = self._nodes.get(node_id)
                if item is None:
                    item = NodeItem(specs[node_id], self._on_node_moved)
                    item.setPos(QPointF(*positions[node_id]))
                    self._scene.addItem(item)
                    self._nodes[node_id] = item
                    continue
                item.set_spec(specs[node_id])
                if placed.get(node_id) != positions[node_id] or node_id in self._dragged:
                    point = QPointF(*positions[node_id])
                    if item.pos() != point:
                        item.setPos(point)
            self._placed = positions
            if full:
                self._dragged.clear()
            if full and later:  # room for the boxes still to come, made now: each time the scene
                self._update_scene_rect([_around(positions[n] for n in later)])  # rect grows, Qt rebuilds its item index
            self._sync_wires(graph, describer, None if full else fresh)
        finally:
            self._syncing = False
            if bulk:
                self._set_indexed(True)
        # The new boxes go into the scene's index now, in this batch's time: Qt would index
        # them later all at once (a timer, the next paint), a pause of its own.
        self._scene.items(QRectF(0, 0, 1, 1))
        self._on_document_selection(self._document.selected)
        if full:  # what a full sync left for later (specs, tooltips) needs full syncs again
            self._full_sync_due = bool(describer.deferred or self._wires_retold_later)
        if later:  # the next batch: as many boxes as this pace fits in BUILD_SECONDS
            self._batch = _paced(started, len(fresh), 4 * BUILD_BATCH)
        else:
            self._batch = BUILD_BATCH
        if later or describer.deferred or self._wires_retold_later:
            self._build_timer.start()
        elif self._fit_when_built:  # once the view has taken in the grown scene
            self._fit_when_built = False
            QTimer.singleShot(0, self, self.fit_all)

    def _edited_layers(self) -> set[str] | None:
        """The layers whose settings alone changed since the last full sync (an inspector
        keystroke: one; a move: none), or None when anything else changed (a wire, a name,
        the outputs), which needs a full sync."""
        graph = self._document.graph
        if self._seen_structure is None or _structure(graph) != self._seen_structure:
            return None
        seen = self._seen_configs
        changed = {name for name, layer in graph.layers.items()
                   if layer.config is not seen.get(name) and layer.config != seen.get(name)}
        for name in changed:
            seen[name] = graph.layers[name].config
        return changed

    def _move_boxes(self) -> None:
        """Put the boxes where the graph now says they stand (a move, its undo, Auto-layout),
        when nothing else about them changed: only those boxes, their wires and the wires
        they now lie across are looked at, not every box and wire of the graph."""
        graph = self._document.graph
        if graph.positions == self._seen_positions and not self._dragged:
            return
        self._seen_positions = dict(graph.positions)
        ids = graph.node_ids()
        positions = self._positions(graph, ids)
        placed, dragged = self._placed, self._dragged
        moved = [n for n in ids if positions[n] != placed.get(n) or n in dragged]
        self._placed = positions  # boxes still to be made are made there
        self._dragged = set()
        changed: list[QRectF] = []
        wires: dict[tuple[str, int, str, int], None] = {}
        self._syncing = True
        try:
            for node_id in moved:
                item = self._nodes.get(node_id)
                if item is None:
                    continue
                point = QPointF(*positions[node_id])
                if item.pos() != point:
                    item.setPos(point)
                before = self._rects.get(node_id)
                if before is not None:
                    changed.append(before[1])
                self._rects[node_id] = (item.geometry_key(), item.sceneBoundingRect())
                self._boxes.put(node_id, self._rects[node_id][1])
                changed.append(self._rects[node_id][1])
                wires.update(dict.fromkeys((w.source_node, w.source_index, w.target, w.slot)
                                           for w in self._wires_of.get(node_id, ())))
        finally:
            self._syncing = False
        for rect in changed:  # the wires a moved box left or now lies across
            wires.update(dict.fromkeys(self._wire_areas.overlapping(rect)))
        for key in wires:
            wire = self._wires.get(key)
            if wire is not None:
                self._route(wire)
        self._update_scene_rect(changed)

    def _show_report_some(self) -> None:
        """Give the next boxes due (a batch sized by the last one's pace, at most
        :data:`REPORT_BATCH`) their part of the shape report, and the wires out of them
        their tooltips; only those are visited. A box whose size or
        ports change (a layer found to have more outputs) needs a full sync instead."""
        started = time.perf_counter()
        due = list(islice(self._report_due, self._report_batch))
        for node_id in due:
            del self._report_due[node_id]
        graph = self._document.graph
        describer = self._describer_for(graph, full=False)
        shown = [node_id for node_id in due if node_id in self._nodes and graph.has_node(node_id)]
        specs = describer.node_specs(self._spec_cache, only=shown)
        for node_id in shown:
            item = self._nodes[node_id]
            before = item.geometry_key()
            item.set_spec(specs[node_id])
            if item.geometry_key() != before:
                self._full_sync_due = True
        for node_id in shown:
            for wire in self._wires_of.get(node_id, ()):
                if wire.source_node == node_id:
                    says = describer.wire_key(TensorRef(wire.source_node, wire.source_index), wire.target, wire.slot)
                    if wire.tooltip_key != says:
                        wire.setToolTip(describer.wire_text(says))
                        wire.tooltip_key = says
        if shown:  # the next batch: as many as this pace fits in BUILD_SECONDS
            self._report_batch = _paced(started, len(shown), REPORT_BATCH)
        if not self._report_due:
            self._drawn_report = self._report
        if self._report_due or self._full_sync_due or len(self._nodes) < len(graph.inputs) + len(graph.calls):
            self._build_timer.start()  # the next batch of this, or of the boxes still to make

    def _clear(self) -> None:
        """Forget every box and wire: they leave the scene a batch at a time
        (:meth:`_remove_some`), before the first box of what is shown next is made."""
        self._scene.clearSelection()
        self._doomed.extend([*self._wires.values(), *self._nodes.values()])
        # Letting go of what was known of them at once held the window 23 ms for
        # NASNetMobile (thousands of rectangles): it goes a batch at a time too.
        self._leftovers.extend([self._nodes, self._wires, self._wires_of, self._rects, self._spec_cache,
                                *self._boxes.parts(), *self._wire_areas.parts()])
        self._nodes, self._wires, self._wires_of, self._rects, self._spec_cache = {}, {}, {}, {}, {}
        self._boxes, self._wire_areas = _RectIndex(), _RectIndex()
        self._placed = {}
        self._dragged.clear()

    def _remove_some(self) -> int:
        """Take the next :data:`CLEAR_BATCH` forgotten items out of the scene (taking
        8,000 out at once held the window 50 ms), and let go of as many things known of
        them. Returns how many were waiting."""
        some, self._doomed = self._doomed[:CLEAR_BATCH], self._doomed[CLEAR_BATCH:]
        many = len(some) > BULK_NODES
        if many:  # no index to keep up to date item by item
            self._set_indexed(False)
        for item in some:
            self._scene.removeItem(item)
        if many:
            self._set_indexed(True)
        let_go = 0
        while self._leftovers and let_go < CLEAR_BATCH:
            data = self._leftovers[-1]
            while data and let_go < CLEAR_BATCH:
                data.popitem()
                let_go += 1
            if not data:
                self._leftovers.pop()
        return len(some) + len(self._doomed) + let_go + sum(len(data) for data in self._leftovers)

    def _set_indexed(self, indexed: bool) -> None:
        """Keep the scene's item index (a BSP tree of :data:`BSP_DEPTH`), or none while
        many items come or go (it is built once afterwards, not item by item)."""
        if indexed:
            self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
            self._scene.setBspTreeDepth(BSP_DEPTH)  # a new index starts at Qt's automatic depth
        else:
            self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)

    @Slot()
    def _build_next(self) -> None:
        if self.build_hold.waits():
            self._build_timer.start(Hold.RETRY_MS)
            return
        self._build_timer.setInterval(0)
        self._on_document_changed()  # not shown: made when it is

    def building(self) -> bool:
        """Whether boxes of the graph are still to be made or brought up to date (a big
        model, just opened or given its shapes)."""
        return self._build_timer.isActive()

    def _positions(self, graph: ModelGraph, ids: list[str]) -> dict[str, tuple[float, float]]:
        """Where to show each node: its stored position, or a display-only one."""
        stored = {n: graph.positions[n] for n in ids if n in graph.positions}
        self._auto_positions = {n: p for n, p in self._auto_positions.items()
                                if n not in stored and graph.has_node(n)}
        known = {**self._auto_positions, **stored}
        if len(known) < len(ids):
            self._auto_positions.update(place_missing(graph, known))
        return {n: stored[n] if n in stored else self._auto_positions[n] for n in ids}

    def _sync_wires(self, graph: ModelGraph, describer: GraphDescriber, fresh: set[str] | None = None) -> None:
        """Wires in line with the graph. A wire is routed again only when its ends moved
        or a box that changed (moved, resized, added, removed) lies across its way: an
        edit of one layer's settings reroutes nothing on a graph of a thousand wires.

        With ``fresh`` (the boxes just made, when nothing else changed) only their wires
        are made, and only the wires those boxes lie across are routed again."""
        wanted: dict[tuple[str, int, str, int], tuple] = {}
        nodes = self._nodes
        for call_id, call in graph.calls.items():
            if call_id not in nodes:
                continue  # its box is made by a later sync
            for slot, ref in enumerate(call.inputs):
                if ref.node in nodes and (fresh is None or call_id in fresh or ref.node in fresh):
                    wanted[(ref.node, ref.index, call_id, slot)] = describer.wire_key(ref, call_id, slot)
        changed: list[QRectF] = []
        if fresh is None:
            for key in [k for k in self._wires if k not in wanted]:
                self._scene.removeItem(self._wires.pop(key))
                self._wire_areas.discard(key)
            self._wires_of = {}
            rects: dict[str, tuple[tuple, QRectF]] = {}
            for node_id, item in self._nodes.items():
                key, before = item.geometry_key(), self._rects.get(node_id)
                if before is not None and before[0] == key:
                    rects[node_id] = before
                else:
                    rects[node_id] = (key, item.sceneBoundingRect())
                    self._boxes.put(node_id, rects[node_id][1])
                    changed.append(rects[node_id][1])
                    if before is not None:
                        changed.append(before[1])
            for node_id, before in self._rects.items():
                if node_id not in rects:
                    changed.append(before[1])
                    self._boxes.discard(node_id)
            self._rects = rects
            self._wires_retold_later = False
        else:
            for node_id in fresh:
                item = self._nodes[node_id]
                self._rects[node_id] = (item.geometry_key(), item.sceneBoundingRect())
                self._boxes.put(node_id, self._rects[node_id][1])
                changed.append(self._rects[node_id][1])
        # wires that a changed box lies across (looked up, not every wire tested)
        across = set().union(*(self._wire_areas.overlapping(rect) for rect in changed))
        retold = 0
        palette = self.palette()
        for key, says in wanted.items():
            wire = self._wires.get(key)
            if wire is None:
                wire = WireItem(*key, describer.wire_text(says), palette)
                self._scene.addItem(wire)
                self._wires[key] = wire
                wire.tooltip_key = says
            elif wire.tooltip_key != says:
                if retold < BUILD_BATCH:  # the others say what they said a moment longer
                    wire.setToolTip(describer.wire_text(says))
                    wire.tooltip_key = says
                retold += 1
            if key in across or self._ends_changed(wire):
                self._route(wire)
            if fresh is None or key[0] in fresh or key[2] in fresh:
                self._wires_of.setdefault(wire.source_node, []).append(wire)
                self._wires_of.setdefault(wire.target, []).append(wire)
        if fresh is None:
            self._wires_retold_later = retold > BUILD_BATCH
        else:
            for key in across.difference(wanted):
                self._route(self._wires[key])
        self._update_scene_rect(changed)

    def _ends_changed(self, wire: WireItem) -> bool:
        """Whether ``wire`` is new or a box at its ends moved or changed its ports since it
        was routed (a changed box across its way is found by :meth:`_sync_wires`)."""
        source, target = self._rects.get(wire.source_node), self._rects.get(wire.target)
        if source is None or target is None or wire.routed_ends is None:
            return True
        return wire.routed_keys != (source[0], target[0])

    def _route(self, wire: WireItem) -> None:
        """Draw a wire between its ports; one that would cross other boxes goes around them."""
        source, target = self._nodes.get(wire.source_node), self._nodes.get(wire.target)
        if source is None or target is None:
            return
        start = source.port_scene_pos("out", wire.source_index)
        end = target.port_scene_pos("in", wire.slot)
        wire.routed_ends = (start, end)
        wire.routed_keys = (source.geometry_key(), target.geometry_key())
        straight = wire_path(start, end)
        wire.straight_rect = straight.boundingRect().adjusted(-4, -4, 4, 4)
        in_the_way = self._boxes.crossed(stroke(straight, 4), (wire.source_node, wire.target))
        if in_the_way.isNull():
            wire.set_path(straight)
        else:
            middle = (start.x() + end.x()) / 2
            left, right = in_the_way.left() - 30, in_the_way.right() + 30
            wire.set_path(wire_path(start, end, left if abs(middle - left) < abs(middle - right) else right))
        self._wire_areas.put((wire.source_node, wire.source_index, wire.target, wire.slot),
                             wire.straight_rect.united(wire.sceneBoundingRect()))
        if wire in self._selected_wires:
            self._selected_look.trace(self._selected_wires)

    def _update_scene_rect(self, changed: Iterable[QRectF]) -> None:
        """Keep room around the boxes for scrolling. The rect only grows (and only when a
        box comes near its edge), so the view never jumps under the user's eyes: only
        the boxes that changed can ask for more room."""
        needed = QRectF()
        for rect in changed:
            needed = needed.united(rect)
        if needed.isNull():
            return
        needed.adjust(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        current = self._scene.sceneRect()
        if not current.contains(needed):
            anchor = self.mapToScene(QPoint(0, 0))
            self._scene.setSceneRect(current.united(needed))
            shift = self.mapFromScene(anchor)
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + shift.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + shift.y())

    # ------------------------------------------------------------------ background
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt's name
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        painter.fillRect(rect, base)
        step = GRID if GRID * self.zoom() >= 8 else GRID * 5
        minor, major = [], []
        x = math.floor(rect.left() / step) * step
        while x <= rect.right():
            (major if round(x / GRID) % 5 == 0 else minor).append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = math.floor(rect.top() / step) * step
        while y <= rect.bottom():
            (major if round(y / GRID) % 5 == 0 else minor).append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        for lines, strength in ((minor, 0.05), (major, 0.10)):
            pen = QPen(mix(base, text, strength), 0)
            painter.setPen(pen)
            painter.drawLines(lines)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._describer = None  # its texts are in the old language
            self._note_change()
            if self._active or not self._stale:
                self._sync()
            elif self._document.project is self._project:
                # Hidden and out of date: the boxes say what they said, in the new language.
                report, self._report = self._report, self._drawn_report
                try:
                    self._sync()
                finally:
                    self._report = report
                    self._note_change()  # what came meanwhile is drawn when the view is shown
            # (hidden, with another project opened meanwhile: its boxes are made when shown)
        elif event.type() == QEvent.Type.PaletteChange:
            palette = self.palette()
            self._selected_look.set_palette(palette)
            for item in self._scene.items():
                if isinstance(item, WireItem):
                    item.set_palette(palette)
                item.update()
            self.viewport().update()
