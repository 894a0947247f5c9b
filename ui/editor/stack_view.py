"""The stack editor: a Sequential model as a column of cards, from the input down.

The model input is the first card; then one card per layer in stack order, with
the layer's class and name, its key parameters ("100 units, relu"), and from the
last shape report its output shape and parameter count. When Keras rejects a
layer its card turns red with Keras's message and a plain-language hint; a
warning (accepted by Keras, but probably not meant) turns it amber.

Gestures, each one undoable step through :meth:`Document.edit`:

- drop a layer from the palette: a line shows where it will land (top, between two
  layers, bottom); the layer starts with the catalog's ``initial_config``;
- drag a card to move it; Alt+Up / Alt+Down moves the selected one;
- Delete (or Backspace) removes the selected layer; Up / Down move the selection;
- double-click or Enter in the palette appends a layer (:meth:`StackView.append_layer`).

A model that Sequential cannot express (branches, several inputs, shared layers)
is not shown as cards: the view says why and offers the graph view.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tflab import catalog
from tflab.catalog import LayerEntry
from tflab.graph import MODEL_CLASS, ModelGraph, model_layer_count
from tflab.messages import TflabError, tr
from tflab.shapes import CallResult, ShapeReport, format_shape
from ui.core.document import Document, DrawnWhenShown
from ui.core.text import fill
from ui.editor.edits import Edits
from ui.editor.graph_items import layer_count_text
from ui.editor.palette import category_color, layer_from_mime
from ui.widgets.param_widgets import format_value

#: The drag-and-drop type of a card being moved within the stack (its index, as text).
MOVE_MIME = "application/x-tflab-stack-move"

ERROR_COLOR = QColor("#d32f2f")
WARNING_COLOR = QColor("#f9a825")

#: Vertical space between two cards (the drop line is drawn in its middle).
CARD_GAP = 16


def move_mime(index: int) -> QMimeData:
    """The drag data of the card at stack position ``index``."""
    mime = QMimeData()
    mime.setData(MOVE_MIME, str(index).encode("ascii"))
    return mime


def move_from_mime(mime: QMimeData) -> int | None:
    """The stack position a card drag carries, or None."""
    if not mime.hasFormat(MOVE_MIME):
        return None
    text = bytes(mime.data(MOVE_MIME).data()).decode("ascii", "replace")
    return int(text) if text.isdigit() else None


def _sizes(spec_length: int | None, value: object) -> str:
    """``3`` -> ``3×3`` for a 2-D size; ``[2, 3]`` -> ``2×3``."""
    if isinstance(value, list):
        return "×".join(str(v) for v in value)
    if isinstance(value, int) and spec_length:
        return "×".join([str(value)] * spec_length)
    return str(value)


def key_params_text(entry: LayerEntry, config: dict) -> str:
    """The card line of a layer's key parameters: ``100 units, relu``."""
    parts: list[str] = []
    for name in entry.key_params:
        try:
            spec = entry.param(name)
        except TflabError:
            continue
        value = config.get(name, spec.default)
        if value is None or value is False:
            continue
        if name in ("units", "filters"):
            parts.append(fill(QCoreApplication.translate("StackView", "%1 units") if name == "units"
                          else QCoreApplication.translate("StackView", "%1 filters"), str(value)))
        elif name in ("kernel_size", "pool_size"):
            word = (QCoreApplication.translate("StackView", "kernel") if name == "kernel_size"
                    else QCoreApplication.translate("StackView", "pool"))
            parts.append(f"{word} {_sizes(spec.length, value)}")
        elif spec.kind == "activation":
            parts.append(str(value))
        elif value is True:
            parts.append(name)
        elif spec.kind == "layer" and isinstance(value, dict):
            inner = value.get("config") or {}
            size = inner.get("units")
            parts.append(f"{value.get('class_name')}({size})" if size else str(value.get("class_name")))
        elif isinstance(value, list) and spec.kind == "shape":
            parts.append(f"{name} ({format_value(spec, value)})")
        else:
            parts.append(f"{name} {format_value(spec, value).rstrip(',')}")
    return ", ".join(parts)


def _blend(base: QColor, tint: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (tint.red() - base.red()) * amount),
        round(base.green() + (tint.green() - base.green()) * amount),
        round(base.blue() + (tint.blue() - base.blue()) * amount),
    )


def muted_color(palette: QPalette) -> QColor:
    """A grey between the text and the background, for secondary text in rich text."""
    return _blend(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.5)


# --------------------------------------------------------------------------- cards


class Card(QFrame):
    """One card of the stack: a coloured stripe, a title row, a details row, a message.

    Signals:
        sigPressed(str): the card was clicked (its node id).
        sigDragStarted(str): the mouse dragged the card (its node id).
        sigMenuRequested(str, QPoint): right-click on the card (node id, global position).
    """

    sigPressed = Signal(str)
    sigDragStarted = Signal(str)
    sigMenuRequested = Signal(str, QPoint)

    def __init__(self, node_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.node_id = node_id
        self.setObjectName("stackCard")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._press: QPoint | None = None
        self._state = "normal"
        self._selected = False
        self._texts = ("", "")  # the message under the card, and while it is selected
        self._color = category_color("other")
        self._style: tuple | None = None  # what the style sheets were last set from

        self.stripe = QFrame(self)
        self.stripe.setFixedWidth(5)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.shape = QLabel(self)
        self.shape.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.details = QLabel(self)
        self.params = QLabel(self)
        self.params.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setVisible(False)
        for label in (self.details, self.params):
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        mono = self.shape.font()
        mono.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
        self.shape.setFont(mono)

        body = QVBoxLayout()
        body.setContentsMargins(8, 6, 10, 6)
        body.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.shape)
        bottom = QHBoxLayout()
        bottom.addWidget(self.details, 1)
        bottom.addWidget(self.params)
        body.addLayout(top)
        body.addLayout(bottom)
        body.addWidget(self.message)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.setSpacing(0)
        outer.addWidget(self.stripe)
        outer.addLayout(body, 1)

    # ----------------------------------------------------------------- content
    def set_content(self, class_name: str, name: str, category: str, details: str,
                    shape: str, params: str) -> None:
        """Fill the card's text."""
        muted = muted_color(QApplication.palette(self.parentWidget() or self)).name()  # not the tinted own
        self.title.setText(f"<b>{class_name}</b>&nbsp;&nbsp;<span style='color:{muted}'>{name}</span>")
        self.details.setText(details)
        self.shape.setText(shape)
        self.params.setText(params)
        self.details.setVisible(bool(details or params))
        self.params.setVisible(bool(details or params))
        self._color = category_color(category)

    def set_message(self, state: str, html: str = "", short: str = "") -> None:
        """``state`` is ``normal``, ``error``, ``warning`` or ``blocked``; ``html`` the text below;
        ``short`` what the card says instead while it is selected (the inspector beside it then
        explains the layer in full: the same words in both places read as noise)."""
        self._state = state
        self._texts = (html, short or html)
        self._show_message()
        self._restyle()

    def _show_message(self) -> None:
        html = self._texts[1] if self._selected else self._texts[0]
        if html != self.message.text():
            self.message.setText(html)
        self.message.setVisible(bool(html))

    def message_text(self) -> str:
        """The text under the card now (for tests)."""
        return self.message.text() if self.message.isVisibleTo(self) else ""

    def set_selected(self, selected: bool) -> None:
        """Highlight the card as the selection."""
        self._selected = selected
        self._show_message()
        self._restyle()

    def is_selected(self) -> bool:
        """Whether the card is highlighted as the selection."""
        return self._selected

    def state(self) -> str:
        """``normal``, ``error``, ``warning`` or ``blocked``."""
        return self._state

    def _restyle(self) -> None:
        pal = QApplication.palette(self.parentWidget() or self)  # our own is tinted by the style sheet
        base = pal.color(QPalette.ColorRole.Base)
        border = _blend(base, pal.color(QPalette.ColorRole.Text), 0.25)
        if self._state == "error":
            base, border = _blend(base, ERROR_COLOR, 0.12), ERROR_COLOR
        elif self._state == "warning":
            base, border = _blend(base, WARNING_COLOR, 0.14), WARNING_COLOR
        width = 1
        if self._selected:
            border, width = pal.color(QPalette.ColorRole.Highlight), 2
        stripe = self._color if self._state != "blocked" else _blend(base, pal.color(QPalette.ColorRole.Text), 0.3)
        style = (base.name(), width, border.name(), stripe.name())
        if style == self._style:
            return  # setting a style sheet re-polishes the widget: only when it changes
        self._style = style
        self.setStyleSheet(
            f"QFrame#stackCard {{ background: {base.name()}; border: {width}px solid {border.name()};"
            " border-radius: 6px; }")
        self.stripe.setStyleSheet(
            f"background: {stripe.name()}; border: none; border-top-left-radius: 5px;"
            " border-bottom-left-radius: 5px;")

    # ----------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.sigPressed.emit(self.node_id)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if (event.position().toPoint() - self._press).manhattanLength() >= QApplication.startDragDistance():
                self._press = None
                self.sigDragStarted.emit(self.node_id)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._press = None
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        self.sigPressed.emit(self.node_id)
        self.sigMenuRequested.emit(self.node_id, event.globalPos())


class _Column(QWidget):
    """The cards, one under the other, with arrows between them and the drop line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 12, 12, 12)
        self.layout_.setSpacing(CARD_GAP)
        self.cards: list[Card] = []       # in display order, the input card first
        self.drop_y: int | None = None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        visible = [c for c in self.cards if c.isVisible()]
        painter.setPen(QPen(_blend(pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Text), 0.35), 1.5))
        for upper, lower in zip(visible, visible[1:]):
            x = upper.geometry().center().x()
            y0, y1 = upper.geometry().bottom() + 2, lower.geometry().top() - 2
            if self.drop_y is not None and y0 <= self.drop_y <= y1:
                continue  # the drop line takes this gap
            painter.drawLine(x, y0, x, y1)
            painter.drawLine(x - 4, y1 - 4, x, y1)
            painter.drawLine(x + 4, y1 - 4, x, y1)
        if self.drop_y is not None:
            color = pal.color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(color, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            left, right = 10, self.width() - 10
            painter.drawLine(left + 6, self.drop_y, right - 6, self.drop_y)
            painter.setBrush(color)
            painter.drawEllipse(QPoint(left + 4, self.drop_y), 4, 4)
            painter.drawEllipse(QPoint(right - 4, self.drop_y), 4, 4)
        painter.end()


# --------------------------------------------------------------------------- view


class StackView(DrawnWhenShown, QWidget):
    """Edits a stack model as cards (see the module docstring).

    Signals:
        sigGraphViewRequested(): the model is not a stack and the user asked for
            the graph view.
    """

    sigGraphViewRequested = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._edits = Edits(document, self)
        self._report: ShapeReport | None = None
        self._drawn_report: ShapeReport | None = None  # the report the cards show
        self._cards: dict[str, Card] = {}
        self._order: list[str] = []
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._column = _Column()
        self._input_card = Card("")
        self._wire_card(self._input_card)
        self._hint = QLabel(self._column)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)
        self._hint.setMinimumHeight(64)
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._hint.setStyleSheet("QLabel { border: 2px dashed palette(mid); border-radius: 8px; padding: 8px; }")
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._column)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self._reason_heading = QLabel()
        font = self._reason_heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._reason_heading.setFont(font)
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.graph_button = QPushButton()
        self.graph_button.clicked.connect(self.sigGraphViewRequested)
        reason_page = QWidget()
        reason_layout = QVBoxLayout(reason_page)
        reason_layout.setContentsMargins(24, 24, 24, 24)
        reason_layout.addWidget(self._reason_heading)
        reason_layout.addWidget(self.reason_label)
        reason_layout.addSpacing(8)
        reason_layout.addWidget(self.graph_button, 0, Qt.AlignmentFlag.AlignLeft)
        reason_layout.addStretch(1)

        self._pages = QStackedWidget()
        self._pages.addWidget(self._scroll)
        self._pages.addWidget(reason_page)
        self._footer = QLabel()
        self._footer.setContentsMargins(12, 4, 12, 6)
        self._footer.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self._footer)

        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(40)
        self._autoscroll.timeout.connect(self._scroll_step)
        self._autoscroll_dy = 0

        document.sigChanged.connect(self._on_document_changed)
        document.sigSelectionChanged.connect(self._show_selection)
        self._retranslate()

    # ----------------------------------------------------------------- public
    def set_report(self, report: ShapeReport | None) -> None:
        """Show shapes, parameter counts and errors from ``report``."""
        self._report = report
        if self._active:
            self._fill_cards()
        else:
            self._stale = True

    def _redraw(self) -> None:
        self.refresh()

    def stack_order(self) -> list[str]:
        """The call ids the cards show, top to bottom (empty when not a stack)."""
        return list(self._order)

    def card(self, node_id: str) -> Card | None:
        """The card of an input or call (None if it has none)."""
        if node_id and node_id == self._input_card.node_id:
            return self._input_card
        return self._cards.get(node_id)

    def is_showing_reason(self) -> bool:
        """Whether the view shows why the model is not a stack instead of cards."""
        return self._pages.currentIndex() == 1

    def append_layer(self, class_name: str) -> None:
        """Add a layer at the bottom of the stack (the palette's double-click / Enter)."""
        self.insert_layer(len(self._order), class_name)

    def insert_layer(self, index: int, class_name: str) -> bool:
        """Insert a new ``class_name`` layer at stack position ``index`` and select it."""
        try:
            entry = self.document.entry(class_name)
        except TflabError as err:
            self.document.sigError.emit(err)
            return False
        if entry.class_name == "Input" or entry.category == "input":
            text = self.tr("A stack has exactly one input, at the top: select it to change its shape. "
                      "Use the graph view for a model with several inputs.")
            self.document.sigError.emit(TflabError(text, text))
            return False
        # A blank model gets its input first, with the catalog's starting shape.
        blank = self._is_blank(self.document.graph)
        input_shape = catalog.get_entry("Input").initial_config.get("shape", [1]) if blank else None
        try:
            self._edits.insert_in_stack(index, class_name, entry.fresh_config(), input_shape)
        except TflabError:
            return False  # the document has told the user why
        return True

    def remove_selected(self) -> bool:
        """Delete the selected layer (the input cannot be deleted from a stack)."""
        node_id = self.document.selected
        if node_id not in self._order:
            return False
        index = self._order.index(node_id)
        try:
            self._edits.remove_from_stack(index)
        except TflabError:
            return False
        order = self._order
        if order:
            self.document.select(order[min(index, len(order) - 1)])
        else:
            self.document.select(self._input_card.node_id)
        return True

    def move_layer(self, old_index: int, new_index: int) -> bool:
        """Move the layer at ``old_index`` to ``new_index`` (both stack positions)."""
        if not (0 <= old_index < len(self._order)) or not (0 <= new_index < len(self._order)):
            return False
        if old_index == new_index:
            return False
        try:
            self._edits.move_in_stack(old_index, new_index)
        except TflabError:
            return False
        return True

    # ----------------------------------------------------------------- drops
    def drop_index_at(self, pos: QPoint) -> int:
        """The stack position a drop at ``pos`` (in this widget's coordinates) lands on:
        0 = right under the input, ``len(stack)`` = at the bottom."""
        y = self._column.mapFrom(self, pos).y()
        for index, call_id in enumerate(self._order):
            if y < self._cards[call_id].geometry().center().y():
                return index
        return len(self._order)

    def handle_drop(self, mime: QMimeData, index: int) -> bool:
        """Apply a drop at stack position ``index``: insert a palette layer, or move a card.

        Returns whether the model changed.
        """
        class_name = layer_from_mime(mime)
        if class_name is not None:
            return self.insert_layer(index, class_name)
        old = move_from_mime(mime)
        if old is None:
            return False
        return self.move_layer(old, index if index <= old else index - 1)

    def _accepts(self, mime: QMimeData) -> bool:
        if self.is_showing_reason():
            return False
        class_name = layer_from_mime(mime)
        if class_name is not None:
            return class_name != "Input"
        return move_from_mime(mime) is not None

    def _drop_line_y(self, index: int) -> int:
        cards = [self._cards[c] for c in self._order]
        if index < len(cards):
            return cards[index].geometry().top() - CARD_GAP // 2
        last = cards[-1] if cards else (self._input_card if self._input_card.isVisible() else None)
        if last is None:
            return self._hint.geometry().top() - CARD_GAP // 2
        return last.geometry().bottom() + CARD_GAP // 2 + 1

    def _track_drag(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event.mimeData()):
            event.ignore()
            return
        pos = event.position().toPoint()
        self._column.drop_y = self._drop_line_y(self.drop_index_at(pos))
        self._column.update()
        is_move = move_from_mime(event.mimeData()) is not None
        event.setDropAction(Qt.DropAction.MoveAction if is_move else Qt.DropAction.CopyAction)
        event.accept()
        viewport = self._scroll.viewport()
        y = viewport.mapFrom(self, pos).y()
        margin = 28
        self._autoscroll_dy = -12 if y < margin else 12 if y > viewport.height() - margin else 0
        if self._autoscroll_dy and not self._autoscroll.isActive():
            self._autoscroll.start()

    def _end_drag(self) -> None:
        self._column.drop_y = None
        self._column.update()
        self._autoscroll.stop()

    def _scroll_step(self) -> None:
        bar = self._scroll.verticalScrollBar()
        bar.setValue(bar.value() + self._autoscroll_dy)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        self._track_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        self._track_drag(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt's name
        self._end_drag()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        self._end_drag()
        if not self._accepts(event.mimeData()):
            event.ignore()
            return
        index = self.drop_index_at(event.position().toPoint())
        is_move = move_from_mime(event.mimeData()) is not None
        event.setDropAction(Qt.DropAction.MoveAction if is_move else Qt.DropAction.CopyAction)
        event.accept()
        self.handle_drop(event.mimeData(), index)
        self.setFocus()

    def drop_line_y(self) -> int | None:
        """Where the drop line is drawn now (column coordinates), None when not dragging."""
        return self._column.drop_y

    # ----------------------------------------------------------------- keyboard
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        ids = self._selectable_ids()
        current = self.document.selected
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_selected()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and alt:
            if current in self._order:
                index = self._order.index(current)
                self.move_layer(index, index + (-1 if key == Qt.Key.Key_Up else 1))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and ids:
            if current in ids:
                index = ids.index(current) + (-1 if key == Qt.Key.Key_Up else 1)
            else:
                index = 0
            self.document.select(ids[max(0, min(index, len(ids) - 1))])
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and ids:
            self.document.select(ids[0] if key == Qt.Key.Key_Home else ids[-1])
        else:
            super().keyPressEvent(event)

    def _selectable_ids(self) -> list[str]:
        first = [self._input_card.node_id] if self._input_card.node_id else []
        return first + self._order

    # ----------------------------------------------------------------- building
    @staticmethod
    def _is_blank(graph: ModelGraph) -> bool:
        return not graph.inputs and not graph.calls

    def _wire_card(self, card: Card) -> None:
        card.sigPressed.connect(self._on_card_pressed)
        card.sigDragStarted.connect(self._start_move_drag)
        card.sigMenuRequested.connect(self._show_card_menu)

    def refresh(self) -> None:
        """Rebuild the cards from the document's graph."""
        graph = self.document.graph
        order, reason_en, reason_zh = ([], "", "") if self._is_blank(graph) else graph.stack_order()
        if order is None:
            self._order = []
            self.reason_label.setText(tr(reason_en, reason_zh))
            self._pages.setCurrentIndex(1)
            self._footer.setVisible(False)
            return
        self._pages.setCurrentIndex(0)
        self._footer.setVisible(True)
        self._order = order
        for call_id in [c for c in self._cards if c not in order]:
            card = self._cards.pop(call_id)
            card.setParent(None)
            card.deleteLater()
        for call_id in order:
            if call_id not in self._cards:
                card = Card(call_id, self._column)
                self._wire_card(card)
                self._cards[call_id] = card
        layout = self._column.layout_
        while layout.count():
            layout.takeAt(0)
        self._input_card.node_id = graph.inputs[0].id if graph.inputs else ""
        self._input_card.setVisible(bool(graph.inputs))
        layout.addWidget(self._input_card)
        for call_id in order:
            layout.addWidget(self._cards[call_id])
        layout.addWidget(self._hint)
        layout.addStretch(1)
        self._set_hint_text(bool(order))  # the drop zone stays at the end: it says what it takes
        self._column.cards = [self._input_card] + [self._cards[c] for c in order]
        self._column.update()  # the arrows between the cards: none left where a card was
        self._fill_cards()

    def _fill_cards(self) -> None:
        if self.is_showing_reason():
            return
        self._drawn_report = self._report
        graph = self.document.graph
        if graph.inputs:
            node = graph.inputs[0]
            self._input_card.set_content(
                "Input", node.name, "input", node.dtype, format_shape((node.batch_size, *node.shape)), "")
            self._input_card.set_message("normal")
        for call_id in self._order:
            self._fill_card(graph, self._cards[call_id])
        self._show_selection(self.document.selected)
        report = self._report
        if report is not None and self._order and all(
                c in report.calls and report.calls[c].ok for c in self._order):
            self._footer.setText(fill(self.tr("Total params: %1"), f"{report.total_params:,}"))
        else:
            self._footer.setText("")

    def _fill_card(self, graph: ModelGraph, card: Card) -> None:
        layer = graph.layer_of(card.node_id)
        entry = catalog.entry_if_ready(layer.class_name, graph.custom_layers())
        details = key_params_text(entry, layer.config) if entry else ""
        if layer.class_name == MODEL_CLASS:
            details = layer_count_text(model_layer_count(layer))
        category = entry.category if entry else "other"
        result: CallResult | None = self._report.calls.get(card.node_id) if self._report else None
        if result is None or result.layer != layer.name:
            card.set_content(layer.class_name, layer.name, category, details, "…", "")
            card.set_message("normal")
            return
        shape = ", ".join(format_shape(s) for s in result.output_shapes) if result.ok else ""
        if not result.first_call:
            params = self.tr("shared")
        elif result.ok:
            params = fill(self.tr("%1 params"), f"{result.params:,}")
        else:
            params = ""
        card.set_content(layer.class_name, layer.name, category, details, shape, params)
        inspector = _escape(self.tr("The inspector says why and what to do."))
        if result.error is not None:
            card.set_message("error", _message_html(result.error, ERROR_COLOR),
                             f"<span style='color:{ERROR_COLOR.name()}'>{inspector}</span>")
        elif result.blocked:
            muted = muted_color(self.palette()).name()
            waiting = _escape(self.tr("Waiting for the layer above to be fixed."))
            card.set_message("blocked", f"<i style='color:{muted}'>{waiting}</i>")
        elif result.warning is not None:
            card.set_message("warning", _message_html(result.warning, QColor("#8d6e00")),
                             f"<span style='color:#8d6e00'>{inspector}</span>")
        else:
            card.set_message("normal")

    def _show_selection(self, node_id: str) -> None:
        for card in [self._input_card, *self._cards.values()]:
            card.set_selected(bool(node_id) and card.node_id == node_id)
        card = self.card(node_id)
        if card is not None and card.isVisible():
            self._scroll.ensureWidgetVisible(card, 0, CARD_GAP)

    def _set_hint_text(self, has_layers: bool) -> None:
        self._hint.setMinimumHeight(40 if has_layers else 64)
        self._hint.setText(self.tr("Drop a layer here to add it at the end.") if has_layers else
                           self.tr("Drag layers here from the palette, or double-click one to add it."))

    def _retranslate(self) -> None:
        self._set_hint_text(bool(self._order))
        self._reason_heading.setText(self.tr("This model is not a simple stack of layers"))
        self.graph_button.setText(self.tr("Show the graph view"))
        if self._active or not self._stale:
            self.refresh()
            return
        # Hidden and out of date: the cards say what they said, in the new language; the
        # shapes that came meanwhile are shown with the rest when the view is shown again.
        report, self._report = self._report, self._drawn_report
        try:
            self.refresh()
        finally:
            self._report = report

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._fill_cards()
        super().changeEvent(event)

    # ----------------------------------------------------------------- card gestures
    def _on_card_pressed(self, node_id: str) -> None:
        self.setFocus()
        if node_id:
            self.document.select(node_id)

    def _start_move_drag(self, node_id: str) -> None:
        if node_id not in self._order:
            return
        card = self._cards[node_id]
        drag = QDrag(self)
        drag.setMimeData(move_mime(self._order.index(node_id)))
        drag.setPixmap(card.grab())
        drag.setHotSpot(QPoint(24, card.height() // 2))
        drag.exec(Qt.DropAction.MoveAction)

    def _show_card_menu(self, node_id: str, global_pos: QPoint) -> None:
        if node_id not in self._order:
            return
        index = self._order.index(node_id)
        menu = QMenu(self)
        up = menu.addAction(self.tr("Move up"), lambda: self.move_layer(index, index - 1))
        up.setEnabled(index > 0)
        up.setShortcut("Alt+Up")
        down = menu.addAction(self.tr("Move down"), lambda: self.move_layer(index, index + 1))
        down.setEnabled(index < len(self._order) - 1)
        down.setShortcut("Alt+Down")
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete"), self.remove_selected)
        delete.setShortcut("Del")
        menu.exec(global_pos)


def _message_html(err: TflabError, color: QColor) -> str:
    """An error or warning for a card: the message, then the hint in bold."""
    text = _escape(err.message())
    hint = err.hint()
    html = f"<span style='color:{color.name()}'>{text}</span>"
    if hint:
        label = QCoreApplication.translate("StackView", "Hint:")
        html += f"<br><b>{_escape(label)}</b> {_escape(hint)}"
    return html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
