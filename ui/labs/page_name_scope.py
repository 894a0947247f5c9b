"""Lab page "name_scope": the operations of a traced function, as a list and as a tree of scopes.

"Trace" runs :func:`tflab.labs.name_scope.name_scope_lab` on a worker: TensorFlow
traces a tiny model written with nested ``tf.name_scope`` blocks into a graph. The
page lists every operation (name and type, in creation order), shows the scopes as
a tree (expanded; a scope folds its operations like TensorBoard's graph view), and
the program that prints the same names. The first showing of the page traces at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tflab.labs.name_scope import NameScopeResult, name_scope_lab
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, monospace
from ui.widgets.messages import Message


class NameScopePage(LabPage):
    """Trace button, operation list, scope tree and code.

    Attributes for tests: ``runner``, ``code_box``, ``message``, ``run_button``,
    ``ops_table`` (name, type), ``tree`` and ``result`` (the latest
    :class:`NameScopeResult`).
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: NameScopeResult | None = None
        self.run_button = QPushButton()
        self.message = Message()
        self.ops_title = QLabel()
        self.ops_table = QTableWidget(0, 2)
        self.ops_table.setFont(monospace())
        self.ops_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.ops_table.verticalHeader().hide()
        self.ops_table.verticalHeader().setDefaultSectionSize(self.ops_table.fontMetrics().height() + 6)
        self.ops_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tree_title = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setFont(monospace())
        self.code_box = CodeBox()
        self._layout()
        self.run_button.clicked.connect(self.run)
        self._retranslate()

    @property
    def result(self) -> NameScopeResult | None:
        """The latest result (None before the first trace)."""
        return self._result

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.run_button)
        head.addWidget(self.message, 1)
        ops = QWidget()
        ops_layout = QVBoxLayout(ops)
        ops_layout.setContentsMargins(0, 0, 0, 0)
        ops_layout.addWidget(self.ops_title)
        ops_layout.addWidget(self.ops_table)
        scopes = QWidget()
        scopes_layout = QVBoxLayout(scopes)
        scopes_layout.setContentsMargins(0, 0, 0, 0)
        scopes_layout.addWidget(self.tree_title)
        scopes_layout.addWidget(self.tree)
        self.results = QSplitter(Qt.Orientation.Horizontal)
        self.results.addWidget(ops)
        self.results.addWidget(scopes)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.results)
        split.addWidget(self.code_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)

    @Slot()
    def run(self) -> None:
        """Trace the tiny model on a worker."""
        super().run()
        self.message.show_note(lambda: self.tr("Tracing…"))
        self.runner.run(name_scope_lab)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        super()._on_busy(busy)
        self.run_button.setEnabled(not busy)

    @Slot(object)
    def _show_result(self, result: NameScopeResult) -> None:
        self._result, self._error = result, None
        self.results.setEnabled(True)
        self.ops_table.setRowCount(len(result.op_names))
        for row, (name, op_type) in enumerate(zip(result.op_names, result.op_types)):
            self.ops_table.setItem(row, 0, QTableWidgetItem(name))
            self.ops_table.setItem(row, 1, QTableWidgetItem(op_type))
        self.tree.clear()
        for child in result.tree["children"]:
            self.tree.addTopLevelItem(self._tree_item(child))
        self.tree.expandAll()
        self.code_box.set_code(result.code)
        count = str(len(result.op_names))
        self.message.show_note(lambda: fill(self.tr(
            "%1 operations. Every operation made inside tf.name_scope(\"hidden\") within "
            "tf.name_scope(\"model\") is named model/hidden/…"), count))

    def _tree_item(self, node: dict) -> QTreeWidgetItem:
        """A tree item for ``node`` of :func:`tflab.labs.name_scope.scope_tree`, with its children."""
        item = QTreeWidgetItem([node["name"] + ("/" if node["children"] else ""), node["type"] or ""])
        item.setToolTip(0, node["path"])
        item.setData(0, Qt.ItemDataRole.UserRole, node["path"])
        for child in node["children"]:
            item.addChild(self._tree_item(child))
        return item

    def _retranslate(self) -> None:
        self.run_button.setText(self.tr("Trace the function"))
        self.ops_title.setText(self.tr("Operations of the graph, in the order they were made:"))
        self.tree_title.setText(self.tr("The same names as a tree of scopes:"))
        self.ops_table.setHorizontalHeaderLabels([self.tr("Operation name"), self.tr("Type")])
        self.tree.setHeaderLabels([self.tr("Scope / operation"), self.tr("Type")])
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The name_scope lab page."""
    return NameScopePage(context)
