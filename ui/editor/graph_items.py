"""The items of the graph view (node boxes, ports, wires) and what they show.

Items only draw what they are told. :class:`GraphDescriber` turns the graph and the
last shape report into a :class:`NodeSpec` per node (plain, comparable data, in the
user's language) and wire tooltips; the :class:`~ui.editor.graph_view.GraphView` hands each
spec to the node's :class:`NodeItem`, which is only repainted when its spec
changes. Items never change the graph.

A node's position is its *centre* in scene units (as stored in
:attr:`tflab.graph.ModelGraph.positions`). Input ports sit on the top edge, output
ports on the bottom edge, so data flows from the top to the bottom.

Layer classes outside the curated catalog are described without their catalog entry
until Keras is loaded (looking one up would import Keras on the GUI thread).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPicture,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from tflab import catalog
from tflab.catalog import LayerEntry, operations
from tflab.graph import MODEL_CLASS, GraphError, Layer, ModelGraph, TensorRef, model_input_count, model_layer_count
from tflab.messages import language
from tflab.shapes import CallResult, ShapeReport, format_shape
from ui.core.text import fill
from ui.editor.palette import category_color

#: Below this zoom a box's texts would be under 4 pixels high: they are not drawn.
TEXT_LOD = 0.35
#: Size of a node box, in scene units.
NODE_WIDTH = 220.0
NODE_HEIGHT = 72.0
#: Extra height of the box of a shared layer's call (for its "shared" tag).
SHARED_ROW = 22.0
PORT_RADIUS = 6.0
#: Distance from a port's centre within which a press or a drop hits it.
PORT_HIT_RADIUS = 11.0

ERROR_COLOR = QColor("#d32f2f")
WARNING_COLOR = QColor("#e08600")
OUTPUT_COLOR = QColor("#2e7d32")
VALID_COLOR = QColor("#2e7d32")

#: Colour tags of shared layers (one per shared layer, in turn).
SHARED_COLORS = ("#ef6c00", "#0097a7", "#ad1457", "#558b2f", "#4527a0", "#6d4c41")


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark theme (dark base colour)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _palette(widget: QWidget | None) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


class _Paints:
    """What boxes and ports are drawn with in one palette, made once and replayed.

    The parts of a box or port that do not depend on its text (its outline, fill and
    colour stripe; a port's dot) are recorded once per look as a :class:`QPicture`,
    which Qt replays in one call. Opening NASNetMobile drew some 400 boxes and ports in
    Python, each making its colours, pens and paths anew.
    """

    def __init__(self, palette: QPalette):
        self.base = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.dark = is_dark(palette)
        self.muted = mix(self.text, self.base, 0.45)
        self._pictures: dict[tuple, QPicture] = {}

    def _record(self, key: tuple, draw: Callable[[QPainter], None]) -> QPicture:
        picture = self._pictures.get(key)
        if picture is None:
            picture = QPicture()
            painter = QPainter(picture)
            draw(painter)
            painter.end()
            self._pictures[key] = picture
        return picture

    def port(self, mark: str, hover: bool, connected: bool, plus: bool) -> QPicture:
        """A port's dot: ``mark`` "ok" or "bad" while a wire is dragged over it, ``plus``
        for a free input (hollow, with a plus sign)."""
        def draw(painter: QPainter) -> None:
            color = {"ok": VALID_COLOR, "bad": ERROR_COLOR}.get(
                mark, self.highlight if hover else mix(self.text, self.base, 0.3))
            radius = PORT_RADIUS + (2.0 if hover or mark else 0.0)
            painter.setPen(QPen(color, 2.0))
            painter.setBrush(QBrush(color if connected else self.base))
            painter.drawEllipse(QPointF(0, 0), radius, radius)
            if plus:
                painter.setPen(QPen(color, 1.6))
                arm = radius - 2.5
                painter.drawLine(QPointF(-arm, 0), QPointF(arm, 0))
                painter.drawLine(QPointF(0, -arm), QPointF(0, arm))

        return self._record(("port", mark, hover, connected, plus), draw)

    def box(self, color: str, is_input: bool, state: str, selected: bool, height: float) -> QPicture:
        """A box's outline, fill and colour stripe (its text is drawn on top)."""
        def draw(painter: QPainter) -> None:
            box = QRectF(-NODE_WIDTH / 2, -height / 2, NODE_WIDTH, height)
            fill = mix(self.base, QColor(color), 0.10 if is_input else 0.03)
            border = {"error": ERROR_COLOR, "warning": WARNING_COLOR}.get(state, mix(self.text, self.base, 0.6))
            width = 2.5 if state in ("error", "warning") else 1.2
            if selected:
                border, width = self.highlight, 3.0
            painter.setPen(QPen(border, width))
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 8, 8)
            stripe = QPainterPath()
            stripe.addRoundedRect(QRectF(box.left(), box.top(), 12, box.height()), 8, 8)
            clip = QPainterPath()
            clip.addRect(QRectF(box.left(), box.top(), 6, box.height()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.drawPath(stripe.intersected(clip))

        return self._record(("box", color, is_input, state, selected, height), draw)


_PAINTS: dict[int, _Paints] = {}


def _paints(widget: QWidget | None) -> _Paints:
    """The :class:`_Paints` of ``widget``'s palette."""
    palette = _palette(widget)
    paints = _PAINTS.get(palette.cacheKey())
    if paints is None:
        if len(_PAINTS) > 8:  # palettes come and go (a theme switch): keep the recent ones
            _PAINTS.clear()
        paints = _PAINTS[palette.cacheKey()] = _Paints(palette)
    return paints


class _Fonts:
    """The fonts of a box's text, from the view's font, with their metrics and the
    texts they elided (a box is drawn again at each zoom: its texts are cut once)."""

    def __init__(self, base: QFont):
        self.base = QFont(base)
        self.title = QFont(base)
        self.title.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(max(6.0, base.pointSizeF() * 0.88))
        self._metrics = {id(font): QFontMetricsF(font) for font in (self.base, self.title, self.small)}
        self._elided: dict[tuple, str] = {}

    def metrics(self, font: QFont) -> QFontMetricsF:
        return self._metrics[id(font)]

    def elided(self, font: QFont, text: str, width: float) -> str:
        key = (id(font), text, width)
        elided = self._elided.get(key)
        if elided is None:
            if len(self._elided) > 20_000:
                self._elided.clear()
            elided = self._elided[key] = self.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
        return elided


_FONTS: dict[str, _Fonts] = {}


def _fonts(font: QFont) -> _Fonts:
    """The :class:`_Fonts` made from ``font``."""
    key = font.key()
    fonts = _FONTS.get(key)
    if fonts is None:
        if len(_FONTS) > 8:
            _FONTS.clear()
        fonts = _FONTS[key] = _Fonts(font)
    return fonts


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


# ----------------------------------------------------------------------------- specs
@dataclass(frozen=True)
class PortRef:
    """One port: ``kind`` is ``"in"`` (an input slot of a call) or ``"out"`` (an output)."""

    node: str
    kind: str
    index: int


@dataclass(frozen=True)
class PortSpec:
    """How one port looks: connected or free, and its tooltip."""

    connected: bool
    tooltip: str


@dataclass(frozen=True)
class BadgeSpec:
    """A model-output badge under an output port (``explicit`` False: chosen automatically)."""

    output_index: int
    text: str
    explicit: bool


@dataclass(frozen=True)
class NodeSpec:
    """Everything a node box shows. Two equal specs draw the same box.

    ``state`` is ``"ok"``, ``"error"``, ``"warning"``, ``"blocked"`` (an input has an
    error) or ``"unknown"`` (no shape report yet).
    """

    node_id: str
    is_input: bool
    title: str
    subtitle: str
    status: str
    params: str
    color: str
    state: str
    tooltip: str
    in_ports: tuple[PortSpec, ...]
    out_ports: tuple[PortSpec, ...]
    badges: tuple[BadgeSpec, ...] = ()
    shared_text: str = ""
    shared_color: str = ""


def node_height(spec: NodeSpec) -> float:
    """Height of a node box: one more row for the tag of a shared layer."""
    return NODE_HEIGHT + SHARED_ROW if spec.shared_text else NODE_HEIGHT


def _port_xs(count: int) -> list[float]:
    """Centres of ``count`` ports spread along an edge of a node."""
    if count <= 1:
        return [0.0] * count
    step = min(40.0, (NODE_WIDTH - 40.0) / (count - 1))
    return [(i - (count - 1) / 2) * step for i in range(count)]


# ----------------------------------------------------------------------------- ports
class _Hovered:
    """For a graph item drawn highlighted while the mouse is over it (``self._hover``)."""

    _hover = False

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._hover = True
        self._hover_changed()

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._hover = False
        self._hover_changed()

    def _hover_changed(self) -> None:
        self.update()  # drawn again, in its hover look or not


_PORT_RECT = QRectF(-PORT_HIT_RADIUS, -PORT_HIT_RADIUS, 2 * PORT_HIT_RADIUS, 2 * PORT_HIT_RADIUS)


class PortItem(_Hovered, QGraphicsEllipseItem):
    """A dot on the edge of a node where wires start and end.

    A free input of a merge layer is drawn hollow with a plus sign. During a wire drag
    the view marks the port under the mouse as a valid (green) or refused (red) end.

    Its area and shape are Qt's own (an ellipse item without a pen) and its drawing is
    kept in a pixmap: Qt asks for a box's area again and again while the window draws,
    and every answer given in Python waits its turn while a worker thread runs Python
    (a NASNetMobile view repainted with some 900 such calls).
    """

    def __init__(self, parent: NodeItem, ref: PortRef, spec: PortSpec):
        super().__init__(_PORT_RECT, parent)
        self.ref = ref
        self.spec = spec
        self._mark = ""  # "", "ok" or "bad"
        self.setPen(Qt.PenStyle.NoPen)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setToolTip(spec.tooltip)
        self.setZValue(1)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def set_spec(self, spec: PortSpec) -> None:
        """Say ``spec`` (connected or free, its tooltip) in the same place."""
        self.spec = spec
        self.setToolTip(spec.tooltip)
        self.update()

    def set_mark(self, mark: str) -> None:
        """Highlight as a wire end: ``"ok"``, ``"bad"`` or ``""`` (none)."""
        if mark != self._mark:
            self._mark = mark
            self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.drawPicture(0, 0, _paints(widget).port(
            self._mark, self._hover, self.spec.connected, not self.spec.connected and self.ref.kind == "in"))


# ----------------------------------------------------------------------------- nodes
class NodeItem(QGraphicsRectItem):
    """A box for a model input or a layer call, with its ports as children.

    ``on_moved(node_id)`` is called whenever the box moves (to re-route its wires).
    """

    def __init__(self, spec: NodeSpec, on_moved: Callable[[str], None]):
        super().__init__()
        self.spec = spec
        self._on_moved = on_moved
        self.in_ports: list[PortItem] = []
        self.out_ports: list[PortItem] = []
        # Its area is a rectangle item's, Qt's own: no call into Python each time Qt asks
        # (see PortItem). It is drawn in Python, into a pixmap kept until it changes.
        self.setPen(Qt.PenStyle.NoPen)
        self.setRect(self._bounds_of(spec))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._make_ports()
        self.setToolTip(spec.tooltip)

    @property
    def node_id(self) -> str:
        return self.spec.node_id

    # ---------------------------------------------------------------- spec and ports
    def set_spec(self, spec: NodeSpec) -> None:
        """Show ``spec``; ports are rebuilt only when they changed."""
        if spec is self.spec or spec == self.spec:
            return
        same_places = ((len(spec.in_ports), len(spec.out_ports), node_height(spec))
                       == (len(self.spec.in_ports), len(self.spec.out_ports), node_height(self.spec)))
        if same_places:  # the ports stay where they are: only what they say may change
            for port, port_spec in zip(self.in_ports + self.out_ports, spec.in_ports + spec.out_ports):
                if port.spec != port_spec:
                    port.set_spec(port_spec)
        if node_height(spec) != node_height(self.spec) or spec.badges != self.spec.badges:
            self.prepareGeometryChange()
        self.spec = spec
        self.setRect(self._bounds_of(spec))
        if not same_places:
            for port in self.in_ports + self.out_ports:
                port.setParentItem(None)
                if port.scene() is not None:
                    port.scene().removeItem(port)
            self._make_ports()
        self.setToolTip(spec.tooltip)
        self.update()

    def _make_ports(self) -> None:
        top, bottom = -node_height(self.spec) / 2, node_height(self.spec) / 2
        self.in_ports = []
        for i, (x, port_spec) in enumerate(zip(_port_xs(len(self.spec.in_ports)), self.spec.in_ports)):
            port = PortItem(self, PortRef(self.node_id, "in", i), port_spec)
            port.setPos(x, top)
            self.in_ports.append(port)
        self.out_ports = []
        for i, (x, port_spec) in enumerate(zip(_port_xs(len(self.spec.out_ports)), self.spec.out_ports)):
            port = PortItem(self, PortRef(self.node_id, "out", i), port_spec)
            port.setPos(x, bottom)
            self.out_ports.append(port)

    def geometry_key(self) -> tuple:
        """What the box's scene rectangle and port positions follow from: its place, its
        height, its ports and its badges (equal keys: nothing about them moved)."""
        return (self.x(), self.y(), node_height(self.spec), len(self.in_ports), len(self.out_ports),
                bool(self.spec.badges))

    def port(self, kind: str, index: int) -> PortItem | None:
        ports = self.in_ports if kind == "in" else self.out_ports
        return ports[index] if 0 <= index < len(ports) else None

    def port_scene_pos(self, kind: str, index: int) -> QPointF:
        """Scene position of a port (the nearest edge centre if there is no such port)."""
        port = self.port(kind, index)
        if port is not None:
            return port.scenePos()
        box = self.box()
        return self.mapToScene(QPointF(0, box.top() if kind == "in" else box.bottom()))

    def free_in_port(self) -> PortItem | None:
        """The first input port with no wire, if any."""
        return next((p for p in self.in_ports if not p.spec.connected), None)

    # ---------------------------------------------------------------- geometry
    def box(self) -> QRectF:
        height = node_height(self.spec)
        return QRectF(-NODE_WIDTH / 2, -height / 2, NODE_WIDTH, height)

    @staticmethod
    def _bounds_of(spec: NodeSpec) -> QRectF:
        """The box of ``spec`` and its margin, with room below for output badges."""
        height = node_height(spec)
        rect = QRectF(-NODE_WIDTH / 2 - 3, -height / 2 - 3, NODE_WIDTH + 6, height + 6)
        if spec.badges:
            rect.setBottom(height / 2 + 34)
        return rect

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.box(), 8, 8)
        return path

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):  # noqa: N802 - Qt's name
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._on_moved(self.node_id)
        return super().itemChange(change, value)

    # ---------------------------------------------------------------- painting
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        paints = _paints(widget)
        spec = self.spec
        box = self.box()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.drawPicture(0, 0, paints.box(spec.color, spec.is_input, spec.state, selected, box.height()))
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LOD:
            return  # zoomed out so far that no text could be read: boxes only, drawn fast

        text, muted = paints.text, paints.muted
        left, right = box.left() + 14, box.right() - 10
        fonts = _fonts(painter.font())
        params_width = fonts.metrics(fonts.small).horizontalAdvance(spec.params) + 4 if spec.params else 0.0
        if spec.params:
            self._text(painter, fonts, fonts.small, muted, spec.params,
                       QRectF(right - params_width, box.top() + 6, params_width, 20),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        title_width = right - left - (params_width + 6 if spec.params else 0.0)
        self._text(painter, fonts, fonts.title, text, spec.title, QRectF(left, box.top() + 5, title_width, 20))
        self._text(painter, fonts, fonts.small, muted, spec.subtitle, QRectF(left, box.top() + 26, right - left, 18))
        status_color = {"error": ERROR_COLOR if not paints.dark else QColor("#ff6b6b"),
                        "warning": WARNING_COLOR, "blocked": muted, "unknown": muted}.get(spec.state, text)
        self._text(painter, fonts, fonts.base, status_color, spec.status,
                   QRectF(left, box.top() + 46, right - left, 18))
        if spec.shared_text:
            self._paint_pill(painter, fonts.small, spec.shared_text, QColor(spec.shared_color),
                             left, box.top() + 68)
        output_color = QColor("#66bb6a") if paints.dark else OUTPUT_COLOR
        for badge in spec.badges:
            self._paint_badge(painter, fonts.small, badge, output_color, paints.base)

    @staticmethod
    def _text(painter: QPainter, fonts: _Fonts, font: QFont, color: QColor, text: str, rect: QRectF,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) -> None:
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(rect, align, fonts.elided(font, text, rect.width()))

    @staticmethod
    def _paint_pill(painter: QPainter, font: QFont, text: str, color: QColor,
                    left: float, top: float) -> None:
        """A filled pill with white text starting at (``left``, ``top``)."""
        metrics = QFontMetricsF(font)
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, NODE_WIDTH - 40)
        rect = QRectF(left, top, metrics.horizontalAdvance(text) + 14, 17)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 8.5, 8.5)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_badge(self, painter: QPainter, font: QFont, badge: BadgeSpec, color: QColor,
                     base: QColor) -> None:
        """An "output N" pill just under its output port (outlined when automatic)."""
        port = self.port("out", badge.output_index)
        x = port.pos().x() if port is not None else 0.0
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(badge.text) + 14
        rect = QRectF(x - width / 2, self.box().bottom() + 12, width, 18)
        if badge.explicit:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
        else:
            pen = QPen(color, 1.3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(base)
        painter.drawRoundedRect(rect, 9, 9)
        painter.setFont(font)
        painter.setPen(QColor("white") if badge.explicit else color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, badge.text)


# ----------------------------------------------------------------------------- wires
def wire_path(start: QPointF, end: QPointF, detour_x: float | None = None) -> QPainterPath:
    """A smooth curve leaving ``start`` downwards and entering ``end`` from above.

    With ``detour_x`` the wire runs down the column at that x instead of straight
    across (to go around the boxes between its ends).
    """
    path = QPainterPath(start)
    if detour_x is not None and end.y() - start.y() > 160:
        upper, lower = QPointF(detour_x, start.y() + 70), QPointF(detour_x, end.y() - 70)
        path.cubicTo(QPointF(start.x(), start.y() + 45), QPointF(detour_x, upper.y() - 45), upper)
        path.lineTo(lower)
        path.cubicTo(QPointF(detour_x, lower.y() + 45), QPointF(end.x(), end.y() - 45), end)
        return path
    reach = max(40.0, abs(end.y() - start.y()) * 0.5)
    if end.y() < start.y() + 20:  # going back up: loop around
        reach = max(80.0, (start.y() - end.y()) * 0.5 + 60)
    path.cubicTo(QPointF(start.x(), start.y() + reach), QPointF(end.x(), end.y() - reach), end)
    return path


def stroke(path: QPainterPath, width: float) -> QPainterPath:
    """The area a line along ``path`` of ``width`` covers."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    return stroker.createStroke(path)


_WIRE_PENS: dict[tuple[int, str], QPen] = {}


def wire_pen(palette: QPalette, look: str) -> QPen:
    """The pen of a wire that is ``"normal"``, ``"hover"`` (under the mouse) or
    ``"selected"``, in ``palette``'s colours (made once per palette and look)."""
    key = (palette.cacheKey(), look)
    pen = _WIRE_PENS.get(key)
    if pen is None:
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        if look == "selected":
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 3.5)
        else:
            hover = look == "hover"
            pen = QPen(mix(text, base, 0.15 if hover else 0.4), 2.6 if hover else 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if len(_WIRE_PENS) > 60:  # palettes come and go (a theme switch): keep the recent ones
            _WIRE_PENS.clear()
        _WIRE_PENS[key] = pen
    return pen


class SelectedWires(QGraphicsPathItem):
    """The selected wires, drawn in the highlight colour over them: one item the view
    owns (a child item per selected wire came and went with each click)."""

    def __init__(self, palette: QPalette):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(-0.5)  # over the wires (-1), under the boxes
        self.set_palette(palette)

    def trace(self, wires: Iterable[WireItem]) -> None:
        """Draw over ``wires`` (their paths now)."""
        path = QPainterPath()
        for wire in wires:
            path.addPath(wire.path())
        self.setPath(path)

    def set_palette(self, palette: QPalette) -> None:
        self.setPen(wire_pen(palette, "selected"))


class WireItem(_Hovered, QGraphicsPathItem):
    """A wire from output ``source`` (a tensor) into input ``slot`` of call ``target``.

    Qt draws it, from its pen, with no call into Python: a NASNetMobile view repainted
    900 wires, and each wire drawn in Python waited its turn while a worker thread ran
    Python (a 54-74 ms repaint, 10-16 ms without). Its pen changes when the mouse comes
    or goes. Selected (the view calls :meth:`restyle`), it draws nothing itself (Qt
    would add a dashed box around it): the view's :class:`SelectedWires` draws it in
    the highlight colour.
    """

    def __init__(self, source_node: str, source_index: int, target: str, slot: int, tooltip: str,
                 palette: QPalette | None = None):
        super().__init__()
        #: The port positions the wire was last routed between (the view routes it again
        #: only when they or the boxes in its way change).
        self.routed_ends: tuple[QPointF, QPointF] | None = None
        self.routed_keys: tuple | None = None  # the boxes' geometry keys then
        self.straight_rect = QRectF()  # around the straight way between those ends (kept: cheap to test)
        self.tooltip_key: tuple | None = None  # what the tooltip says (GraphDescriber.wire_key)
        self.source_node = source_node
        self.source_index = source_index
        self.target = target
        self.slot = slot
        self._palette = palette if palette is not None else QApplication.palette()
        self.setPen(wire_pen(self._palette, "normal"))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)
        self.setToolTip(tooltip)

    def set_path(self, path: QPainterPath) -> None:
        """Run along ``path`` (a :func:`wire_path`). Its area is Qt's own, worked out once
        per path from :meth:`shape` (see PortItem)."""
        self.setPath(path)

    def set_palette(self, palette: QPalette) -> None:
        """Draw in ``palette``'s colours (the view's theme changed)."""
        self._palette = palette
        self.restyle()

    def shape(self) -> QPainterPath:
        return stroke(self.path(), 12)

    def look(self) -> str:
        """How it is drawn now: ``"normal"``, ``"hover"`` or ``"selected"`` (by the view's
        :class:`SelectedWires`, while it draws nothing itself)."""
        if self.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents:
            return "selected"
        return "hover" if self._hover else "normal"

    def restyle(self) -> None:
        """Take the look of its state now (the view calls this when the selection changes)."""
        pen = wire_pen(self._palette, "hover" if self._hover else "normal")
        if pen != self.pen():
            self.setPen(pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self.isSelected())

    def _hover_changed(self) -> None:
        self.restyle()  # a pen of its hover look or not (Qt draws it)


class RubberWire(QGraphicsPathItem):
    """The dashed wire that follows the mouse while a connection is dragged."""

    def __init__(self, anchor: QPointF, from_output: bool):
        super().__init__()
        self._anchor = anchor
        self._from_output = from_output
        self.setZValue(10)
        self.set_valid(None)
        self.follow(anchor)

    def follow(self, point: QPointF) -> None:
        """Draw from the anchor port to ``point`` (the mouse)."""
        if self._from_output:
            self.setPath(wire_path(self._anchor, point))
        else:
            self.setPath(wire_path(point, self._anchor))

    def set_valid(self, valid: bool | None) -> None:
        """Colour: green over a valid end, red over a refused one, neutral elsewhere."""
        color = {True: VALID_COLOR, False: ERROR_COLOR}.get(
            valid, QApplication.palette().color(QPalette.ColorRole.Highlight))
        self.setPen(QPen(color, 2.2, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap))


def takes_several(entry: LayerEntry | None, wired: int) -> bool:
    """Whether a layer takes several input tensors (merge layers, attention)."""
    return entry.input_mode != "single" if entry is not None else wired > 1


def has_free_input(entry: LayerEntry | None, layer: Layer, wired: int) -> bool:
    """Whether a call of ``layer`` with ``wired`` inputs shows a free input port."""
    return _in_port_count(entry, layer, wired) > wired


def _in_port_count(entry: LayerEntry | None, layer: Layer, wired: int) -> int:
    """Input ports of a call of ``layer`` with ``wired`` inputs: one each, plus a free one
    while it takes more. A tensor operation takes a tensor for each value it has no number
    for (x1, x2)."""
    if catalog.is_operation(layer.class_name):
        return max(wired, operations.tensors_taken(layer.class_name, layer.config))
    if layer.class_name == MODEL_CLASS:  # one port per input of the model inside
        return max(wired, model_input_count(layer))
    if not takes_several(entry, wired):
        return max(1, wired)
    most = entry.max_inputs if entry is not None else None
    return wired + 1 if most is None or wired < most else wired


def layer_count_text(count: int) -> str:
    """"1 layer", "3 layers": the size of a nested model on its box or card."""
    if count == 1:
        return QCoreApplication.translate("GraphView", "1 layer")
    return fill(QCoreApplication.translate("GraphView", "%1 layers"), count)


def _format_value(value: Any) -> str:
    """A config value as short text for a box: ``[3, 3]`` -> ``(3, 3)``."""
    if isinstance(value, dict) and "class_name" in value:
        units = (value.get("config") or {}).get("units")
        return f"{value['class_name']}({units})" if units is not None else str(value["class_name"])
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_format_value(v) for v in value) + ")"
    return str(value)


def _key_params(entry: LayerEntry | None, config: dict) -> list[str]:
    """``name=value`` for the layer's key parameters (an activation shows just its name)."""
    if entry is None:
        names = list(config)[:2]
        defaults: dict[str, Any] = {}
    else:
        names = list(entry.key_params)
        defaults = {spec.name: spec.default for spec in entry.params}
    parts = []
    for name in names:
        value = config.get(name, defaults.get(name))
        if value is None:
            continue
        parts.append(_format_value(value) if name == "activation" else f"{name}={_format_value(value)}")
    return parts


# ----------------------------------------------------------------------------- describing a graph
def _paragraph(text: str, color: str = "") -> str:
    style = f" style='color:{color}'" if color else ""
    return f"<p{style}>{html.escape(text)}</p>"


class GraphDescriber:
    """What the boxes and wires of a graph show, given the last shape report (if any).

    Build one for each change of the graph or the report (one serves the batches of
    boxes made in between); it reads the graph and the report and returns plain specs
    and texts (in the user's language).
    """

    def __init__(self, graph: ModelGraph, report: ShapeReport | None):
        self._graph = graph
        self._report = report
        self._wired = {ref for call in graph.calls.values() for ref in call.inputs}
        self._wire_text: str | None = None
        self._whole: tuple | None = None  # see _whole_graph
        #: Specs :meth:`node_specs` left as they were (its ``limit``), to be made next time.
        self.deferred = 0

    def _result(self, node_id: str) -> CallResult | None:
        return self._report.calls.get(node_id) if self._report is not None else None

    def node_specs(self, cache: dict[str, tuple[tuple, NodeSpec]] | None = None,
                   skip: set[str] | frozenset[str] = frozenset(), limit: int | None = None,
                   only: Iterable[str] | None = None) -> dict[str, NodeSpec]:
        """The spec of every node (but those in ``skip``; with ``only``, of the inputs and
        of those calls alone), by node id.

        With ``limit``, at most that many specs of nodes that have one in ``cache`` are
        made again; the others keep their cached spec for now and are counted in
        :attr:`deferred` (the caller asks again later: a big model's boxes change a
        batch at a time, the window drawing in between).

        ``cache`` (kept by the caller from one update to the next) holds each call's spec
        with everything it was made from: a call whose layer, wiring, shape result and
        marks are unchanged keeps its spec, so an edit of one layer of a thousand redoes
        one spec. (Layer configs are replaced on edit, never changed in place.)"""
        graph = self._graph
        colors, badges, needed = self._whole_graph()
        specs = {node.id: self._input_spec(node.id, badges.get(node.id, ())) for node in graph.inputs}
        lang = language()
        self.deferred = made = 0
        for call_id in graph.calls if only is None else [n for n in only if n in graph.calls]:
            if call_id in skip:
                continue
            outputs, marks = needed.get(call_id, 1), badges.get(call_id, ())
            if cache is None:
                specs[call_id] = self._call_spec(call_id, outputs, marks, colors)
                continue
            key = self._call_key(call_id, outputs, marks, colors, lang)
            hit = cache.get(call_id)
            if hit is not None and hit[0] != key and limit is not None and made >= limit:
                self.deferred += 1  # shown as it was, for one more moment
            elif hit is None or hit[0] != key:
                hit = cache[call_id] = (key, self._call_spec(call_id, outputs, marks, colors))
                made += 1
            specs[call_id] = hit[1]
        if cache is not None and only is None:
            for gone in [node_id for node_id in cache if node_id not in graph.calls]:
                del cache[gone]
        return specs

    def _whole_graph(self) -> tuple[dict[str, str], dict[str, tuple[BadgeSpec, ...]], dict[str, int]]:
        """What every spec is made from that needs a look at the whole graph: the colours
        of the shared layers, the output badges, and the outputs each node has at least
        (from the wires and the model outputs). Worked out once per describer: a big
        model's boxes are made a batch at a time, by one describer while nothing changes."""
        if self._whole is None:
            graph = self._graph
            colors = {name: SHARED_COLORS[i % len(SHARED_COLORS)] for i, name in enumerate(graph.shared_layers())}
            needed: dict[str, int] = {}
            for ref in self._wired | set(graph.outputs):
                needed[ref.node] = max(needed.get(ref.node, 1), ref.index + 1)
            self._whole = (colors, self._badges(), needed)
        return self._whole

    @property
    def graph(self) -> ModelGraph:
        """The graph it describes."""
        return self._graph

    @property
    def report(self) -> ShapeReport | None:
        """The shape report it describes."""
        return self._report

    def _call_key(self, call_id: str, outputs: int, badges: tuple[BadgeSpec, ...],
                  shared_colors: dict[str, str], lang: str) -> tuple:
        """Everything the spec of call ``call_id`` is made from (see :meth:`node_specs`)."""
        graph = self._graph
        call = graph.calls[call_id]
        layer = graph.layers[call.layer]
        result = self._result(call_id)
        count = max(len(result.output_shapes) if result is not None else 0, outputs)
        shared = (shared_colors[call.layer], tuple(graph.calls_of_layer(call.layer))) \
            if call.layer in shared_colors else None
        return (call.layer, layer.class_name, layer.config, tuple(call.inputs),
                tuple(graph.node_label(ref.node) for ref in call.inputs), result, outputs, badges, shared,
                tuple(TensorRef(call_id, i) in self._wired for i in range(count)), lang)

    def wire_tooltip(self, ref: TensorRef, target: str, slot: int) -> str:
        """The tooltip of the wire from ``ref`` into input ``slot`` of call ``target``."""
        return self.wire_text(self.wire_key(ref, target, slot))

    def wire_key(self, ref: TensorRef, target: str, slot: int) -> tuple:
        """What the tooltip of a wire says, and in which language, before it is written out
        (cheap to compare)."""
        shape = self._report.shape_of(ref) if self._report is not None else None
        return self._graph.node_label(ref.node), self._graph.calls[target].layer, slot, shape, language()

    def wire_text(self, key: tuple) -> str:
        """The tooltip text of :meth:`wire_key`'s ``key``."""
        if self._wire_text is None:
            self._wire_text = QCoreApplication.translate(
                "GraphView", "%1 → %2 (input %3): %4\nClick to select it, press Delete to remove it.")
        source, layer, slot, shape, _language = key
        return fill(self._wire_text, source, layer, slot + 1, format_shape(shape))

    # ------------------------------------------------------------------ parts
    def _badges(self) -> dict[str, tuple[BadgeSpec, ...]]:
        """Model-output badges per node: the outputs set, or else the automatic ones."""
        explicit = bool(self._graph.outputs)
        try:
            refs = self._graph.effective_outputs()
        except GraphError:
            refs = []
        numbers: dict[TensorRef, list[int]] = {}
        for number, ref in enumerate(refs, start=1):
            numbers.setdefault(ref, []).append(number)
        result: dict[str, list[BadgeSpec]] = {}
        for ref, nums in numbers.items():
            if len(nums) == 1:
                text = fill(QCoreApplication.translate("GraphView", "output %1"), nums[0])
            else:
                text = fill(QCoreApplication.translate("GraphView", "outputs %1"), ", ".join(map(str, nums)))
            result.setdefault(ref.node, []).append(BadgeSpec(ref.index, text, explicit))
        return {node: tuple(items) for node, items in result.items()}

    @staticmethod
    def _badge_note(badges: tuple[BadgeSpec, ...]) -> str:
        if badges[0].explicit:
            return _paragraph(QCoreApplication.translate("GraphView", "This is a model output."))
        return _paragraph(QCoreApplication.translate(
            "GraphView", "No model outputs are set, so every layer that feeds no other layer is an "
            "output. Right-click a box to choose the outputs yourself."))

    def _out_ports(self, node_id: str, shapes: list, count: int) -> tuple[PortSpec, ...]:
        """Output ports: filled when a wire leaves them; the tooltip gives the shape."""
        drag = QCoreApplication.translate("GraphView", "Drag from here to a layer's input to connect them.")
        ports = []
        for i in range(count):
            shape = format_shape(shapes[i]) if i < len(shapes) else "?"
            if count > 1:
                label = fill(QCoreApplication.translate("GraphView", "Output %1"), i + 1)
            else:
                label = QCoreApplication.translate("GraphView", "Output")
            ports.append(PortSpec(TensorRef(node_id, i) in self._wired, f"{label}: {shape}\n{drag}"))
        return tuple(ports)

    def _in_ports(self, call_id: str, entry: LayerEntry | None) -> tuple[PortSpec, ...]:
        """Input ports: one per wire, plus a free one while the layer takes more."""
        inputs = self._graph.calls[call_id].inputs
        ports = [PortSpec(True, fill(QCoreApplication.translate("GraphView", "Input %1: from '%2'"),
                                     slot + 1, self._graph.node_label(ref.node)))
                 for slot, ref in enumerate(inputs)]
        free = QCoreApplication.translate("GraphView", "Free input: drag a wire here from another layer's output.")
        count = _in_port_count(entry, self._graph.layer_of(call_id), len(inputs))
        ports += [PortSpec(False, free)] * (count - len(inputs))
        return tuple(ports)

    def _input_spec(self, node_id: str, badges: tuple[BadgeSpec, ...]) -> NodeSpec:
        node = self._graph.input_node(node_id)
        shape = (node.batch_size,) + tuple(node.shape)
        explain = QCoreApplication.translate(
            "GraphView", "A model input: each sample has the shape %1. The model takes a batch of them, "
            "%2: the first axis is the batch size (None: any size).")
        sample = format_shape(tuple(node.shape))
        tooltip = f"<b>{html.escape(node.name)}</b> (Input){_paragraph(fill(explain, sample, format_shape(shape)))}"
        if badges:
            tooltip += self._badge_note(badges)
        return NodeSpec(
            node_id=node_id, is_input=True, title=node.name, subtitle=f"Input · {node.dtype}",
            status="→ " + format_shape(shape), params="", color=category_color("input").name(),
            state="ok", tooltip=tooltip, in_ports=(), out_ports=self._out_ports(node_id, [shape], 1),
            badges=badges)

    def _call_spec(self, call_id: str, outputs: int, badges: tuple[BadgeSpec, ...],
                   shared_colors: dict[str, str]) -> NodeSpec:
        call = self._graph.calls[call_id]
        layer = self._graph.layers[call.layer]
        entry = catalog.entry_if_ready(layer.class_name, self._graph.custom_layers())
        result = self._result(call_id)
        shapes = list(result.output_shapes) if result is not None else []
        state, status, params, notes = self._state(result)

        shared_text = shared_color = ""
        if call.layer in shared_colors:
            calls = self._graph.calls_of_layer(call.layer)
            shared_text = fill(QCoreApplication.translate("GraphView", "shared: %1"), call.layer)
            shared_color = shared_colors[call.layer]
            shared_note = QCoreApplication.translate(
                "GraphView", "Call %1 of %2 of the layer '%3': these calls share the same weights "
                "(they learn together).")
            notes.insert(0, _paragraph(fill(shared_note, calls.index(call_id) + 1, len(calls), call.layer)))
        if badges:
            notes.append(self._badge_note(badges))

        tooltip = f"<b>{html.escape(call.layer)}</b> ({html.escape(layer.class_name)})"
        if entry is not None:
            tooltip += _paragraph(entry.describe())
        category = entry.category if entry is not None else "other"
        return NodeSpec(
            node_id=call_id, is_input=False, title=call.layer,
            subtitle=" · ".join([layer.class_name] + (
                [layer_count_text(model_layer_count(layer))]
                if layer.class_name == MODEL_CLASS else _key_params(entry, layer.config))),
            status=status, params=params, color=category_color(category).name(), state=state,
            tooltip=tooltip + "".join(notes), in_ports=self._in_ports(call_id, entry),
            out_ports=self._out_ports(call_id, shapes, max(len(shapes), outputs)), badges=badges,
            shared_text=shared_text, shared_color=shared_color)

    @staticmethod
    def _state(result: CallResult | None) -> tuple[str, str, str, list[str]]:
        """(state, status line, parameter text, tooltip notes) of a call from its result."""
        if result is None:
            return "unknown", "→ ?", "", []
        if result.error is not None:
            error = result.error
            label = QCoreApplication.translate("GraphView", "Error:")
            notes = [f"<p style='color:{ERROR_COLOR.name()}'><b>{html.escape(label)}</b> "
                     f"{html.escape(error.message())}</p>"]
            if error.hint():
                notes.append(_paragraph(error.hint()))
            return "error", "⚠ " + (error.hint() or error.message()).splitlines()[0], "", notes
        if result.blocked:
            note = QCoreApplication.translate(
                "GraphView", "Its output shape is not known until the layers feeding it are fixed.")
            waiting = QCoreApplication.translate("GraphView", "waiting for its inputs")
            return "blocked", waiting, "", [_paragraph(note)]
        shapes = result.output_shapes
        status = "→ " + format_shape(shapes[0] if shapes else None)
        if len(shapes) > 1:
            status += "  " + fill(QCoreApplication.translate("GraphView", "(+%1 more)"), len(shapes) - 1)
        params = ""
        if not result.first_call:
            params = QCoreApplication.translate("GraphView", "shared weights")
        elif result.params:
            params = fill(QCoreApplication.translate("GraphView", "%1 params"), f"{result.params:,}")
        if result.warning is not None:
            return "warning", status, params, [_paragraph(result.warning.full(), WARNING_COLOR.name())]
        return "ok", status, params, []
