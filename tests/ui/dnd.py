"""Drag and drop for tests: send the events a real drag would send.

``QDrag.exec()`` blocks a test, so tests send the drag-enter, drag-move and drop
events themselves. Qt's constructors differ between releases (``QPoint`` or
``QPointF`` for the position); this helper hides that.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

BUTTONS = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@dataclass
class Drag:
    """What the target said to each event of a drag."""

    enter_accepted: bool
    move_accepted: bool
    drop: QDropEvent | None


def _point(pos: QPoint | QPointF) -> QPoint:
    return pos.toPoint() if isinstance(pos, QPointF) else QPoint(pos)


def _drag_event(kind: type, point: QPoint, actions: Qt.DropAction, mime: QMimeData):
    """Newer Qt releases take a QPointF (and warn for a QPoint), older ones a QPoint."""
    try:
        return kind(QPointF(point), actions, mime, BUTTONS, NO_MODIFIER)
    except TypeError:
        return kind(point, actions, mime, BUTTONS, NO_MODIFIER)


def send_drag(target: QWidget, mime: QMimeData, pos: QPoint | QPointF, *, drop: bool = True,
              actions: Qt.DropAction = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction) -> Drag:
    """Drag ``mime`` onto ``target`` at ``pos`` (widget coordinates); drop if accepted."""
    point = _point(pos)
    enter = _drag_event(QDragEnterEvent, point, actions, mime)
    QApplication.sendEvent(target, enter)
    move = _drag_event(QDragMoveEvent, point, actions, mime)
    if enter.isAccepted():
        QApplication.sendEvent(target, move)
    dropped = None
    if drop and enter.isAccepted() and move.isAccepted():
        dropped = QDropEvent(QPointF(point), actions, mime, BUTTONS, NO_MODIFIER)
        QApplication.sendEvent(target, dropped)
    return Drag(enter.isAccepted(), enter.isAccepted() and move.isAccepted(), dropped)


def send_leave(target: QWidget) -> None:
    QApplication.sendEvent(target, QDragLeaveEvent())
