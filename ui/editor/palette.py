"""The layer palette: every layer a student can add, grouped, described and searchable.

The project's own layers (classes of its custom code, :meth:`Palette.set_custom_entries`)
come first, under "This project". The curated classroom layers follow, grouped by category (core, convolution,
pooling, ...) and the tensor operations (``keras.ops.add``...), each with its one-line
description in the user's language. Every
other ``keras.layers`` class is listed under "All layers" once TensorFlow has
loaded (:meth:`Palette.load_all_layers`); the curated part never needs TensorFlow,
so the palette is ready the moment the window opens.

A layer is added by dragging it onto the stack or the graph (the drag carries
:data:`LAYER_MIME`, see :func:`layer_mime`), or by double-clicking it or pressing
Enter (``sigActivated``). Typing in the search box filters by name and by
description in English and Chinese; Enter there adds the first match.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tflab import catalog
from tflab.catalog import LayerEntry
from tflab.graph import snake_case
from tflab.messages import TflabError

#: The drag-and-drop type of a layer taken from the palette (its class name, UTF-8).
LAYER_MIME = "application/x-tflab-layer"

#: One colour per layer category, shared by the palette and the layer cards.
CATEGORY_COLORS = {
    "input": "#607d8b",
    "core": "#1e88e5",
    "convolution": "#8e24aa",
    "pooling": "#00897b",
    "recurrent": "#f4511e",
    "normalization": "#3949ab",
    "regularization": "#6d4c41",
    "merge": "#c0ca33",
    "reshape": "#43a047",
    "activation": "#e53935",
    "preprocessing": "#fb8c00",
    "attention": "#d81b60",
    "operations": "#00acc1",
    "other": "#757575",
    "custom": "#f9a825",
}

_CLASS_ROLE = Qt.ItemDataRole.UserRole
_SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
_DESC_ROLE = Qt.ItemDataRole.UserRole + 2
#: What an item other than a layer is: "group:<category>", "custom", "all" or "waiting".
_KIND_ROLE = Qt.ItemDataRole.UserRole + 3


def layer_mime(class_name: str) -> QMimeData:
    """The drag data of a palette layer."""
    mime = QMimeData()
    mime.setData(LAYER_MIME, class_name.encode("utf-8"))
    mime.setText(class_name)
    return mime


def layer_from_mime(mime: QMimeData) -> str | None:
    """The layer class a drag carries, or None if it carries no palette layer."""
    if not mime.hasFormat(LAYER_MIME):
        return None
    name = bytes(mime.data(LAYER_MIME).data()).decode("utf-8", "replace").strip()
    return name or None


def category_color(category: str) -> QColor:
    """The colour of a layer category."""
    return QColor(CATEGORY_COLORS.get(category, CATEGORY_COLORS["other"]))


def _dot_icon(color: QColor, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def _haystack(entry: LayerEntry) -> str:
    """Everything a search may match for a layer, lower-cased."""
    parts = [entry.class_name, snake_case(entry.class_name), entry.desc_en, entry.desc_zh,
             catalog.category_label(entry.category, "en"), catalog.category_label(entry.category, "zh")]
    return "\n".join(parts).lower()


def _key_params_text(entry: LayerEntry) -> str:
    """``units = 32, activation`` for a tooltip: key parameters and their starting values."""
    parts = []
    for name in entry.key_params:
        if name in entry.initial_config:
            parts.append(f"{name} = {entry.initial_config[name]}")
        else:
            parts.append(name)
    return ", ".join(parts)


class _LayerDelegate(QStyledItemDelegate):
    """Draws a layer as two lines: its class name, and its description in small grey text."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        if index.data(_CLASS_ROLE):
            size.setHeight(option.fontMetrics.height() * 2 + 8)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        description = index.data(_DESC_ROLE)
        if not index.data(_CLASS_ROLE) or not description:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        text_color = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = opt.rect.adjusted(6, 3, -4, -3)
        line = opt.fontMetrics.height()
        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, index.data())
        small = QFont(opt.font)
        small.setPointSizeF(opt.font.pointSizeF() * 0.88)
        painter.setFont(small)
        if not selected:
            text_color = opt.palette.color(group, QPalette.ColorRole.PlaceholderText)
        painter.setPen(text_color)
        desc_rect = QRect(rect.left(), rect.top() + line, rect.width(), line)
        elided = painter.fontMetrics().elidedText(description, Qt.TextElideMode.ElideRight, desc_rect.width())
        painter.drawText(desc_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


class _LayerTree(QTreeWidget):
    """The palette's tree: layers can be dragged out of it, never dropped into it."""

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [LAYER_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 - Qt's name
        names = [item.data(0, _CLASS_ROLE) for item in items if item.data(0, _CLASS_ROLE)]
        return layer_mime(names[0]) if names else QMimeData()


class Palette(QWidget):
    """The searchable tree of layers.

    Signals:
        sigActivated(str): the user double-clicked a layer or pressed Enter on it
            (the class name); the editor adds that layer to the model.
    """

    sigActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # the classroom layers, then the tensor operations (keras.ops), known without Keras
        self._curated = catalog.curated_entries() + catalog.operation_entries()
        self._others: list[LayerEntry] | None = None  # None until Keras is loaded
        self._custom: list[LayerEntry] = []  # the project's own layers

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.set_filter)
        self.search.returnPressed.connect(self._activate_first_match)
        self.search.installEventFilter(self)

        self.tree = _LayerTree(self)
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setItemDelegate(_LayerDelegate(self.tree))
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        self.tree.itemActivated.connect(self._on_item_activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.setMinimumWidth(200)
        self._retranslate()

    # ----------------------------------------------------------------- public
    def load_all_layers(self, names: list[str] | None = None) -> None:
        """Fill "All layers" with every other Keras layer (call once TensorFlow is loaded).

        ``names`` defaults to :func:`tflab.catalog.all_layer_names` (which imports Keras).
        """
        names = catalog.all_layer_names() if names is None else names
        curated = {entry.class_name for entry in self._curated}
        others = []
        for name in names:
            if name in curated:
                continue
            try:
                others.append(catalog.get_entry(name))
            except TflabError:
                continue
        self._others = others
        self._fill()

    def set_custom_entries(self, entries: list[LayerEntry]) -> None:
        """Show the project's own layers (``entries``, category "custom") at the top."""
        if [(e.class_name, e.desc_en, e.params) for e in entries] == \
                [(e.class_name, e.desc_en, e.params) for e in self._custom]:
            return
        self._custom = list(entries)
        self._fill()

    def set_filter(self, text: str) -> None:
        """Show only the layers whose name or description contains every word of ``text``."""
        if self.search.text() != text:
            self.search.setText(text)
            return
        words = text.lower().split()
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            self._filter_item(root.child(i), words)
        if not words:
            self._default_expansion()

    def visible_layers(self) -> list[str]:
        """The class names the tree shows now (after filtering), top to bottom."""
        return [item.data(0, _CLASS_ROLE) for item in self._layer_items() if not self._hidden(item)]

    def item_for(self, class_name: str) -> QTreeWidgetItem | None:
        """The tree item of layer ``class_name`` (None if it is not listed)."""
        return next((item for item in self._layer_items() if item.data(0, _CLASS_ROLE) == class_name), None)

    # ----------------------------------------------------------------- building
    def _retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search layers (name or description)"))
        self.search.setToolTip(self.tr("Type to filter; Enter adds the first layer found."))
        self.tree.setToolTip("")
        if self.tree.topLevelItemCount() == 0:
            self._fill()
            return
        # The tree keeps its items (what is open, selected, scrolled to): only their words change.
        entries = {entry.class_name: entry for entry in [*self._curated, *(self._others or []), *self._custom]}
        for item in self._all_items():
            class_name = item.data(0, _CLASS_ROLE)
            if class_name:
                entry = entries.get(class_name)
                if entry is not None:
                    self._describe_layer(item, entry)
            else:
                self._describe_group(item, item.data(0, _KIND_ROLE) or "")

    def _describe_group(self, item: QTreeWidgetItem, kind: str) -> None:
        """The words of a tree item that is not a layer (see :data:`_KIND_ROLE`)."""
        if kind.startswith("group:"):
            item.setText(0, catalog.category_label(kind[len("group:"):]))
        if kind == "group:custom":
            item.setToolTip(0, self.tr("Layers this project defines in Python (the custom layers lab)."))
        elif kind == "all":
            item.setText(0, self.tr("All layers"))
            item.setToolTip(0, self.tr("Every other layer of tf.keras.layers."))
        elif kind == "waiting":
            item.setText(0, self.tr("Available once TensorFlow has loaded…"))

    def _fill(self) -> None:
        self.tree.clear()
        if self._custom:
            self._group_item(self.tree.invisibleRootItem(), "custom", self._custom)
        by_category: dict[str, list[LayerEntry]] = {}
        for entry in self._curated:
            by_category.setdefault(entry.category, []).append(entry)
        for category in catalog.CATEGORIES:
            if category in by_category:
                self._group_item(self.tree.invisibleRootItem(), category, by_category[category])

        everything = QTreeWidgetItem(self.tree)
        everything.setData(0, _KIND_ROLE, "all")
        self._describe_group(everything, "all")
        everything.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = everything.font(0)
        font.setBold(True)
        everything.setFont(0, font)
        if self._others is None:
            waiting = QTreeWidgetItem(everything)
            waiting.setData(0, _KIND_ROLE, "waiting")
            self._describe_group(waiting, "waiting")
            waiting.setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            grouped: dict[str, list[LayerEntry]] = {}
            for entry in self._others:
                grouped.setdefault(entry.category, []).append(entry)
            for category in catalog.CATEGORIES:
                if category in grouped:
                    self._group_item(everything, category, sorted(grouped[category], key=lambda e: e.class_name))
        self.set_filter(self.search.text())

    def _group_item(self, parent: QTreeWidgetItem, category: str, entries: list[LayerEntry]) -> QTreeWidgetItem:
        group = QTreeWidgetItem(parent)
        group.setData(0, _KIND_ROLE, f"group:{category}")
        self._describe_group(group, f"group:{category}")
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        group.setIcon(0, _dot_icon(category_color(category)))
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        for entry in entries:
            self._layer_item(group, entry)
        return group

    def _layer_item(self, parent: QTreeWidgetItem, entry: LayerEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [entry.class_name])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        item.setData(0, _CLASS_ROLE, entry.class_name)
        item.setData(0, _SEARCH_ROLE, _haystack(entry))
        self._describe_layer(item, entry)
        return item

    def _describe_layer(self, item: QTreeWidgetItem, entry: LayerEntry) -> None:
        """The description and tooltip of a layer's item, in the interface's language."""
        description = entry.describe()
        item.setData(0, _DESC_ROLE, description)
        tip = f"<b>{entry.class_name}</b><br>{description}"
        key = _key_params_text(entry)
        if key:
            tip += "<br><i>" + self.tr("Key parameters:") + "</i> " + key
        tip += "<br><small>" + self.tr("Drag it onto the model, or double-click to add it at the end.") + "</small>"
        item.setToolTip(0, tip)

    # ----------------------------------------------------------------- filtering
    def _all_items(self) -> list[QTreeWidgetItem]:
        """Every item of the tree, groups and layers, top to bottom."""
        items: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            for i in range(item.childCount()):
                items.append(item.child(i))
                walk(item.child(i))

        walk(self.tree.invisibleRootItem())
        return items

    def _layer_items(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            for i in range(item.childCount()):
                child = item.child(i)
                if child.data(0, _CLASS_ROLE):
                    items.append(child)
                walk(child)

        walk(self.tree.invisibleRootItem())
        return items

    @staticmethod
    def _hidden(item: QTreeWidgetItem) -> bool:
        while item is not None:
            if item.isHidden():
                return True
            item = item.parent()
        return False

    def _filter_item(self, item: QTreeWidgetItem, words: list[str]) -> bool:
        """Hide what does not match; returns whether ``item`` stays visible."""
        if item.data(0, _CLASS_ROLE):
            haystack = item.data(0, _SEARCH_ROLE) or ""
            visible = all(word in haystack for word in words)
        elif item.childCount() == 0 or not item.child(0).flags() & Qt.ItemFlag.ItemIsEnabled:
            visible = not words  # the "loading" placeholder
            for i in range(item.childCount()):
                item.child(i).setHidden(bool(words))
        else:
            visible = False
            for i in range(item.childCount()):
                visible = self._filter_item(item.child(i), words) or visible
            if words:
                item.setExpanded(visible)
        item.setHidden(not visible)
        return visible

    def _default_expansion(self) -> None:
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            group = root.child(i)
            group.setExpanded(i < root.childCount() - 1)  # curated groups open, "All layers" closed
            for j in range(group.childCount()):
                group.child(j).setExpanded(False)

    # ----------------------------------------------------------------- activation
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        class_name = item.data(0, _CLASS_ROLE)
        if class_name:
            self.sigActivated.emit(class_name)

    def _first_visible_item(self) -> QTreeWidgetItem | None:
        return next((item for item in self._layer_items() if not self._hidden(item)), None)

    def _activate_first_match(self) -> None:
        item = self._first_visible_item()
        if item is not None and self.search.text().strip():
            self.tree.setCurrentItem(item)
            self.sigActivated.emit(item.data(0, _CLASS_ROLE))

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down:
            item = self._first_visible_item()
            if item is not None:
                self.tree.setCurrentItem(item)
            self.tree.setFocus()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
