"""A picture viewer with zoom, pan, a pixel grid and a pixel-exact crop selection.

:class:`ImageView` shows one picture (a ``uint8`` ``[height, width, channels]``
array) and keeps a selection box on it, in TensorFlow's order
(:class:`~tflab.imaging.BoundingBox`: rows first). Every gesture maps the mouse
position from view to scene to image pixels, so the box is exact at any zoom:

- dragging a rubber band selects every pixel the band touches (``floor`` of both
  corners, both ends included), clamped to the picture;
- the handles on the corners and edges resize the box, dragging inside moves it
  (with Ctrl it draws a new box there, as the tooltip inside the box says);
- arrow keys move the box by one pixel, Shift+arrow resizes it;
- the wheel zooms around the mouse, the middle button pans, and from
  :data:`GRID_ZOOM` on, a grid shows the pixel borders.

The picture has one scene unit per image pixel: pixel ``(x, y)`` covers the scene
square ``[x, x+1) × [y, y+1)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QWidget

from tflab.imaging import BoundingBox

#: Zoom steps of the zoom buttons and the wheel (1.0 is 100 %).
ZOOM_LEVELS = (1 / 32, 1 / 24, 1 / 16, 1 / 12, 1 / 8, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 2 / 3,
               1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0)
MIN_ZOOM, MAX_ZOOM = ZOOM_LEVELS[0], ZOOM_LEVELS[-1]

#: From this zoom on, a grid shows where each pixel ends.
GRID_ZOOM = 8.0

_HANDLE = 7          # handle square side, screen pixels
_GRAB = 5            # how far from an edge or corner the mouse grabs it, screen pixels
_CLICK_SLOP = 3      # a press that moves less than this (screen pixels) is a click
_CHECKER = 8         # checkerboard square behind transparent pictures, screen pixels
_BACKGROUND = QColor(72, 72, 72)
_SHADE = QColor(0, 0, 0, 110)
_GRID = QColor(128, 128, 128, 120)

_GRIP_CURSORS = {
    (-1, -1): Qt.SizeFDiagCursor, (1, 1): Qt.SizeFDiagCursor,
    (1, -1): Qt.SizeBDiagCursor, (-1, 1): Qt.SizeBDiagCursor,
    (-1, 0): Qt.SizeHorCursor, (1, 0): Qt.SizeHorCursor,
    (0, -1): Qt.SizeVerCursor, (0, 1): Qt.SizeVerCursor,
}


def qimage_from_array(array: np.ndarray) -> QImage:
    """A QImage (its own copy) of a ``uint8`` ``[height, width, 1|3|4]`` array."""
    data = np.ascontiguousarray(array, dtype=np.uint8)
    height, width, channels = data.shape
    formats = {1: QImage.Format_Grayscale8, 3: QImage.Format_RGB888, 4: QImage.Format_RGBA8888}
    image = QImage(data.data, width, height, width * channels, formats[channels])
    return image.copy()


def next_zoom(zoom: float, steps: int) -> float:
    """The zoom ``steps`` levels of :data:`ZOOM_LEVELS` above (or, if negative, below) ``zoom``."""
    for _ in range(abs(steps)):
        if steps > 0:
            zoom = next((z for z in ZOOM_LEVELS if z > zoom * 1.001), MAX_ZOOM)
        else:
            zoom = next((z for z in reversed(ZOOM_LEVELS) if z < zoom / 1.001), MIN_ZOOM)
    return zoom


def _span(anchor: int, current: int) -> tuple[int, int]:
    """``(start, length)`` of the pixels from ``anchor`` to ``current``, both included."""
    return min(anchor, current), abs(current - anchor) + 1


def _edges(low: int, high: int, limit: int) -> tuple[int, int]:
    """Two pixel borders ordered, clamped to ``0 .. limit`` and at least one pixel apart."""
    low, high = sorted((min(max(low, 0), limit), min(max(high, 0), limit)))
    if high == low:
        high, low = (low + 1, low) if low < limit else (high, high - 1)
    return low, high


@dataclass
class _Drag:
    """What the left (or middle) button is doing since it was pressed.

    ``kind`` is ``"band"`` (a new rubber band), ``"resize"`` (a handle, ``grip``
    says which), ``"move"`` or ``"pan"``. ``press`` is the press position in the
    viewport, ``scene`` in the scene; ``box`` is the selection ``(x, y, w, h)``
    when the button went down.
    """

    kind: str
    press: QPointF
    scene: QPointF
    box: tuple[int, int, int, int]
    grip: tuple[int, int] = (0, 0)
    started: bool = False


class ImageView(QGraphicsView):
    """Shows a picture and a crop selection on it; see the module docstring.

    Signals:
        sigSelectionChanged(object): the selection, a BoundingBox, whenever it changes.
        sigHover(int, int): the image pixel (x, y) under the mouse; (-1, -1) off the picture.
        sigZoomChanged(float): the zoom factor (1.0 is 100 %).
    """

    sigSelectionChanged = Signal(object)
    sigHover = Signal(int, int)
    sigZoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setShapeMode(QGraphicsPixmapItem.BoundingRectShape)
        self.scene().addItem(self._item)
        self._width = 0
        self._height = 0
        self._has_alpha = False
        self._box: tuple[int, int, int, int] | None = None   # x, y, w, h
        self._zoom = 1.0
        self._fit = True
        self._wheel_rest = 0
        self._drag: _Drag | None = None
        self._placeholder = ""
        self.setFrameShape(QFrame.NoFrame)
        self.setTransformationAnchor(QGraphicsView.NoAnchor)
        self.setResizeAnchor(QGraphicsView.NoAnchor)
        self.setDragMode(QGraphicsView.NoDrag)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self.viewport().setMouseTracking(True)
        self._checker = self._checker_brush()

    # ------------------------------------------------------------------ picture
    def set_image(self, array: np.ndarray) -> None:
        """Show ``array`` (``uint8`` ``[height, width, channels]``).

        When the new picture has the same size, the selection and the zoom stay;
        otherwise the selection becomes the middle half and the picture is fitted.
        """
        height, width = int(array.shape[0]), int(array.shape[1])
        same_size = (width, height) == (self._width, self._height)
        self._width, self._height = width, height
        self._has_alpha = array.shape[2] == 4
        self._item.setPixmap(QPixmap.fromImage(qimage_from_array(array)))
        self.setSceneRect(QRectF(0, 0, width, height))
        if not (same_size and self._box):
            self._set_box((width // 4, height // 4, max(1, width // 2), max(1, height // 2)))
            self.fit()
        self.viewport().update()

    def has_image(self) -> bool:
        return self._width > 0

    def image_size(self) -> tuple[int, int]:
        """``(width, height)`` of the picture shown, ``(0, 0)`` when there is none."""
        return self._width, self._height

    def set_placeholder(self, text: str) -> None:
        """The text shown while no picture is open."""
        self._placeholder = text
        self.viewport().update()

    # ------------------------------------------------------------------ selection
    def selection(self) -> BoundingBox | None:
        """The selection (TensorFlow's order), or None when no picture is shown."""
        return BoundingBox.from_xywh(*self._box) if self._box else None

    def set_selection(self, box: BoundingBox) -> None:
        """Select ``box``, clamped to the picture."""
        if self.has_image():
            clamped = box.clamp_to(self._height, self._width)
            self._set_box(clamped.to_xywh())

    def select_all(self) -> None:
        """Select the whole picture."""
        if self.has_image():
            self._set_box((0, 0, self._width, self._height))

    def _set_box(self, box: tuple[int, int, int, int]) -> None:
        if box == self._box:
            return
        old = self._box
        self._box = box
        self._update_box_area(old)
        self._update_box_area(box)
        self.sigSelectionChanged.emit(BoundingBox.from_xywh(*box))

    def _update_box_area(self, box: tuple[int, int, int, int] | None) -> None:
        """Repaint the part of the viewport ``box`` (with its handles) covers."""
        if box is not None:
            area = self._view_rect(box).toAlignedRect()
            margin = _HANDLE + 2
            self.viewport().update(area.adjusted(-margin, -margin, margin, margin))

    def _view_rect(self, box: tuple[int, int, int, int]) -> QRectF:
        x, y, w, h = box
        return self.viewportTransform().mapRect(QRectF(x, y, w, h))

    # ------------------------------------------------------------------ zoom
    def zoom(self) -> float:
        return self._zoom

    def is_fit(self) -> bool:
        """True while the view keeps the whole picture in sight (also when resized)."""
        return self._fit

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (clamped), keeping the scene point under ``anchor`` in place.

        ``anchor`` is a viewport position; the default is the viewport's centre.
        """
        self._fit = False
        self._apply_zoom(zoom, anchor)

    def zoom_in(self) -> None:
        self.set_zoom(next_zoom(self._zoom, 1))

    def zoom_out(self) -> None:
        self.set_zoom(next_zoom(self._zoom, -1))

    def actual_size(self) -> None:
        """Zoom to 100 %: one screen pixel per image pixel."""
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Zoom so the whole picture is in sight, and keep it so when the view is resized."""
        self._fit = True
        if self.has_image():
            area = self.viewport().rect()
            zoom = min((area.width() - 8) / self._width, (area.height() - 8) / self._height)
            self._apply_zoom(zoom, None)
            self.centerOn(QPointF(self._width / 2, self._height / 2))

    def _apply_zoom(self, zoom: float, anchor: QPointF | None) -> None:
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        anchor = QPointF(self.viewport().rect().center()) if anchor is None else anchor
        fixed = self._to_scene(anchor)
        self._zoom = zoom
        self.setTransform(QTransform.fromScale(zoom, zoom))
        moved = self.viewportTransform().map(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(moved.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(moved.y()))
        mode = Qt.SmoothTransformation if zoom < 1 else Qt.FastTransformation
        self._item.setTransformationMode(mode)
        self.viewport().update()
        self.sigZoomChanged.emit(zoom)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._fit:
            self.fit()

    # ------------------------------------------------------------------ mapping
    def _to_scene(self, pos: QPointF) -> QPointF:
        """A viewport position (fractions kept) in scene coordinates."""
        inverse, _ = self.viewportTransform().inverted()
        return inverse.map(QPointF(pos))

    def _pixel(self, scene: QPointF) -> tuple[int, int]:
        """The image pixel at a scene point, clamped to the picture."""
        x = min(max(math.floor(scene.x()), 0), self._width - 1)
        y = min(max(math.floor(scene.y()), 0), self._height - 1)
        return x, y

    def _grip_at(self, pos: QPointF) -> tuple[int, int] | None:
        """Which handle is under a viewport position: (-1|0|1, -1|0|1), or None.

        ``(0, 0)`` means inside the selection (a move); ``-1`` / ``1`` the left or
        top / right or bottom edge.
        """
        if self._box is None:
            return None
        rect = self._view_rect(self._box)
        near_x = rect.left() - _GRAB <= pos.x() <= rect.right() + _GRAB
        near_y = rect.top() - _GRAB <= pos.y() <= rect.bottom() + _GRAB
        if not (near_x and near_y):
            return None
        gx = -1 if abs(pos.x() - rect.left()) <= _GRAB else 1 if abs(pos.x() - rect.right()) <= _GRAB else 0
        gy = -1 if abs(pos.y() - rect.top()) <= _GRAB else 1 if abs(pos.y() - rect.bottom()) <= _GRAB else 0
        return gx, gy

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        if event.button() == Qt.MiddleButton:
            self._drag = _Drag("pan", pos, self._to_scene(pos), (0, 0, 0, 0))
            self.viewport().setCursor(Qt.ClosedHandCursor)
        elif event.button() == Qt.LeftButton and self.has_image() and self._box is not None:
            grip = self._grip_at(pos)
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                grip = None  # Ctrl: a new box, even where the old one is
            kind = "band" if grip is None else "move" if grip == (0, 0) else "resize"
            self._drag = _Drag(kind, pos, self._to_scene(pos), self._box, grip or (0, 0))
        else:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.MouseFocusReason)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self._hover(pos)
        if self._drag is None:
            self._update_cursor(pos)
            super().mouseMoveEvent(event)
            return
        drag = self._drag
        if not drag.started:
            moved = pos - drag.press
            drag.started = abs(moved.x()) + abs(moved.y()) >= _CLICK_SLOP or drag.kind != "band"
        if drag.started:
            self._drag_to(drag, pos)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag is None:
            super().mouseReleaseEvent(event)
            return
        if self._drag.started:
            self._drag_to(self._drag, event.position())
        self._drag = None
        self._update_cursor(event.position())
        event.accept()

    def _drag_to(self, drag: _Drag, pos: QPointF) -> None:
        scene = self._to_scene(pos)
        if drag.kind == "pan":
            moved = pos - drag.press
            drag.press = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(moved.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(moved.y()))
        elif drag.kind == "band":
            (ax, ay), (cx, cy) = self._pixel(drag.scene), self._pixel(scene)
            x, w = _span(ax, cx)
            y, h = _span(ay, cy)
            self._set_box((x, y, w, h))
        elif drag.kind == "move":
            x, y, w, h = drag.box
            dx, dy = round(scene.x() - drag.scene.x()), round(scene.y() - drag.scene.y())
            self._set_box((min(max(x + dx, 0), self._width - w),
                           min(max(y + dy, 0), self._height - h), w, h))
        else:
            self._set_box(self._resized(drag, scene))

    def _resized(self, drag: _Drag, scene: QPointF) -> tuple[int, int, int, int]:
        """The box after dragging the handle ``drag.grip`` to the scene point ``scene``."""
        x, y, w, h = drag.box
        dx, dy = round(scene.x() - drag.scene.x()), round(scene.y() - drag.scene.y())
        left, right, top, bottom = x, x + w, y, y + h
        gx, gy = drag.grip
        if gx:
            left, right = _edges(left + dx * (gx < 0), right + dx * (gx > 0), self._width)
        if gy:
            top, bottom = _edges(top + dy * (gy < 0), bottom + dy * (gy > 0), self._height)
        return left, top, right - left, bottom - top

    def _hover(self, pos: QPointF) -> None:
        if not self.has_image():
            return
        scene = self._to_scene(pos)
        x, y = math.floor(scene.x()), math.floor(scene.y())
        inside = 0 <= x < self._width and 0 <= y < self._height
        self.sigHover.emit(x if inside else -1, y if inside else -1)

    def _update_cursor(self, pos: QPointF) -> None:
        grip = self._grip_at(pos) if self.has_image() else None
        tip = ""
        if grip is None:
            self.viewport().setCursor(Qt.CrossCursor if self.has_image() else Qt.ArrowCursor)
        elif grip == (0, 0):
            self.viewport().setCursor(Qt.SizeAllCursor)
            tip = self._move_tip()
        else:
            self.viewport().setCursor(QCursor(_GRIP_CURSORS[grip]))
        if self.viewport().toolTip() != tip:
            self.viewport().setToolTip(tip)

    def _move_tip(self) -> str:
        return self.tr("Drag to move the box; Ctrl+drag to draw a new one here.")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange and self.viewport().toolTip():
            self.viewport().setToolTip(self._move_tip())   # the only tooltip it shows
        super().changeEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.sigHover.emit(-1, -1)
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        """Zoom one step per wheel notch, around the mouse (with or without Ctrl)."""
        if not self.has_image():
            return
        self._wheel_rest += event.angleDelta().y()
        steps = int(self._wheel_rest / 120)  # touchpads send fractions of a notch
        self._wheel_rest -= steps * 120
        if steps:
            self.set_zoom(next_zoom(self._zoom, steps), event.position())
        event.accept()

    # ------------------------------------------------------------------ keys
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Arrow keys move the selection one pixel; with Shift they resize it."""
        steps = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1), Qt.Key_Down: (0, 1)}
        step = steps.get(event.key())
        if step is None or self._box is None:
            super().keyPressEvent(event)
            return
        x, y, w, h = self._box
        dx, dy = step
        if event.modifiers() & Qt.ShiftModifier:
            w = min(max(w + dx, 1), self._width - x)
            h = min(max(h + dy, 1), self._height - y)
        else:
            x = min(max(x + dx, 0), self._width - w)
            y = min(max(y + dy, 0), self._height - h)
        self._set_box((x, y, w, h))
        event.accept()

    # ------------------------------------------------------------------ painting
    @staticmethod
    def _checker_brush() -> QBrush:
        tile = QPixmap(2 * _CHECKER, 2 * _CHECKER)
        tile.fill(QColor(204, 204, 204))
        painter = QPainter(tile)
        painter.fillRect(0, 0, _CHECKER, _CHECKER, QColor(255, 255, 255))
        painter.fillRect(_CHECKER, _CHECKER, _CHECKER, _CHECKER, QColor(255, 255, 255))
        painter.end()
        return QBrush(tile)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt's name
        painter.save()
        painter.resetTransform()
        painter.fillRect(self.viewport().rect(), _BACKGROUND)
        if self.has_image() and self._has_alpha:
            painter.fillRect(self._view_rect((0, 0, self._width, self._height)), self._checker)
        elif not self.has_image() and self._placeholder:
            painter.setPen(QColor(230, 230, 230))
            painter.drawText(self.viewport().rect().adjusted(24, 24, -24, -24),
                             Qt.AlignCenter | Qt.TextWordWrap, self._placeholder)
        painter.restore()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt's name
        if not self.has_image():
            return
        if self._zoom >= GRID_ZOOM:
            self._draw_grid(painter, rect)
        if self._box is not None:
            painter.save()
            painter.resetTransform()
            self._draw_selection(painter)
            painter.restore()

    def _draw_grid(self, painter: QPainter, rect: QRectF) -> None:
        """Lines on the pixel borders inside the exposed scene ``rect``."""
        area = rect.intersected(QRectF(0, 0, self._width, self._height))
        if area.isEmpty():
            return
        painter.save()
        pen = QPen(_GRID, 0)
        painter.setPen(pen)
        for x in range(math.ceil(area.left()), math.floor(area.right()) + 1):
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        for y in range(math.ceil(area.top()), math.floor(area.bottom()) + 1):
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.restore()

    def _draw_selection(self, painter: QPainter) -> None:
        """Shade the picture outside the box, outline the box and draw its handles."""
        image = self._view_rect((0, 0, self._width, self._height))
        box = self._view_rect(self._box)
        outside = QPainterPath()
        outside.addRect(image)
        inner = QPainterPath()
        inner.addRect(box)
        painter.fillPath(outside.subtracted(inner), _SHADE)
        painter.setBrush(Qt.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255), 1))
        painter.drawRect(box)
        dashes = QPen(QColor(0, 0, 0), 1, Qt.DashLine)
        painter.setPen(dashes)
        painter.drawRect(box)
        painter.setPen(QPen(QColor(0, 0, 0), 1))
        painter.setBrush(QColor(255, 255, 255))
        for point in self._handle_points(box):
            painter.drawRect(QRect(round(point.x()) - _HANDLE // 2, round(point.y()) - _HANDLE // 2,
                                   _HANDLE, _HANDLE))

    @staticmethod
    def _handle_points(box: QRectF) -> list[QPointF]:
        """Corner handles always; edge handles only when the box has room for them."""
        points = [box.topLeft(), box.topRight(), box.bottomLeft(), box.bottomRight()]
        if box.width() >= 4 * _HANDLE:
            points += [QPointF(box.center().x(), box.top()), QPointF(box.center().x(), box.bottom())]
        if box.height() >= 4 * _HANDLE:
            points += [QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y())]
        return points
