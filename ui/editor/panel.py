"""The Editor tab: layer palette | the model as a stack or a graph | layer inspector.

Below the model, the :class:`~ui.editor.code_view.CodeView` shows its live Keras code and
summary. A Stack/Graph switch above the model picks the view:

- a *stack* (what ``tf.keras.Sequential`` builds) can always be seen as a graph,
  without losing anything;
- a graph that is still a stack can be seen as a stack again; otherwise the Stack
  button is disabled and its tooltip says why.

When the project carries custom layer code that may not run yet (it came from another
computer), a :class:`~ui.editor.custom_code.CustomCodeBar` above the model says so and opens
the code for the user to read and allow (:meth:`Editor.review_custom_code`).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tflab.graph import TensorRef
from tflab.messages import TflabError, tr
from tflab.shapes import ShapeReport
from ui.core.document import Document
from ui.core.settings import Settings
from ui.core.text import fill
from ui.editor.code_view import CodeView
from ui.editor.custom_code import CustomCodeBar, CustomCodeDialog
from ui.editor.edits import Edits
from ui.editor.graph_view import GraphView
from ui.editor.inspector import Inspector
from ui.editor.palette import Palette
from ui.editor.stack_view import StackView

MODES = ("stack", "graph")
#: A project saved without a view opens as a stack up to this many layers, else as a graph
#: (a card per layer: two thousand of them take seconds to build, and nobody scrolls them).
STACK_CARDS = 300


class Editor(QWidget):
    """The layer editor. See the module docstring.

    Signals:
        sigModeChanged(str): the view switched to "stack" or "graph".
    """

    sigModeChanged = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self._document = document
        self._edits = Edits(document, self)
        self._mode = "stack"
        self._fit_graph = True
        self._stack_reason: tuple | None = None  # (graph, revision, reason): see stack_reason

        self.layer_palette = Palette(self)
        self.stack_view = StackView(document, self)
        self.graph_view = GraphView(document, self)
        self.inspector = Inspector(document, self)
        self.code_view = CodeView(document, self)

        self.views = QStackedWidget(self)
        self.views.addWidget(self.stack_view)
        self.views.addWidget(self.graph_view)

        center = QWidget(self)
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(0)
        center_layout.addLayout(self._build_switch())
        self.custom_bar = CustomCodeBar(self)
        center_layout.addWidget(self.custom_bar)
        center_layout.addWidget(self.views, 1)
        self.custom_dialog: CustomCodeDialog | None = None

        self.center_splitter = QSplitter(Qt.Vertical, self)
        self.center_splitter.addWidget(center)
        self.center_splitter.addWidget(self.code_view)
        self.center_splitter.setStretchFactor(0, 1)
        self.center_splitter.setStretchFactor(1, 1)
        self.center_splitter.setSizes([420, 340])
        self.center_splitter.setChildrenCollapsible(False)

        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.addWidget(_with_margins(self.layer_palette, 6, 6, 0, 6))
        self.splitter.addWidget(self.center_splitter)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([230, 700, 320])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.layer_palette.sigActivated.connect(self.add_layer)
        self.stack_view.sigGraphViewRequested.connect(lambda: self.set_mode("graph"))
        document.sigProjectReplaced.connect(self._on_project_replaced)
        document.sigChanged.connect(self._on_changed)
        document.sigCustomCodeChanged.connect(self._on_custom_code_changed)
        self.custom_bar.sigReview.connect(self.review_custom_code)
        self._on_custom_code_changed()
        self.project_loaded()
        self._retranslate()

    def _build_switch(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.setSpacing(0)
        self.mode_group = QButtonGroup(self)
        self.mode_group.setExclusive(True)
        self.stack_button = QToolButton(self)
        self.graph_button = QToolButton(self)
        for index, button in enumerate((self.stack_button, self.graph_button)):
            button.setCheckable(True)
            button.setMinimumWidth(80)
            self.mode_group.addButton(button, index)
            bar.addWidget(button)
        self.mode_group.idClicked.connect(lambda index: self.set_mode(MODES[index]))
        bar.addSpacing(12)
        self.mode_hint = QLabel(self)
        self.mode_hint.setEnabled(False)  # drawn in the muted text colour
        self.mode_hint.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # clipped when narrow
        bar.addWidget(self.mode_hint, 1)
        # The graph's own tools, where a student looks (they are also on its right-click menu).
        self.graph_tools: list[QToolButton] = []
        for action in (self.graph_view.act_add_input, self.graph_view.act_auto_layout,
                       self.graph_view.act_fit_all):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            bar.addWidget(button)
            self.graph_tools.append(button)
        return bar

    def _retranslate(self) -> None:
        self.stack_button.setText(self.tr("Stack"))
        self.graph_button.setText(self.tr("Graph"))
        self.graph_button.setToolTip(
            self.tr("Show the model as a graph of layers and wires (Functional API)"))
        self._update_switch()  # the stack button's tooltip and the hint

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ mode
    def mode(self) -> str:
        """The view shown: "stack" or "graph"."""
        return self._mode

    def stack_reason(self) -> str:
        """Why the model cannot be shown as a stack ("" when it can)."""
        graph, revision = self._document.graph, self._document.revision
        if not graph.inputs and not graph.calls:
            return ""  # an empty model becomes a stack with its first layer
        known = self._stack_reason
        if known is None or known[0] is not graph or known[1] != revision:
            # asked by several views per edit: a model of 2,000 layers is walked once
            known = self._stack_reason = (graph, revision, graph.not_a_stack_reason())
        return tr(*known[2]) if known[2] else ""

    def set_mode(self, mode: str) -> None:
        """Show the model as a "stack" or a "graph" (a stack only if it is one)."""
        if mode == "stack" and self.stack_reason():
            mode = "graph"
        changed = mode != self._mode
        self._mode = mode
        self.stack_view.set_active(mode == "stack")  # the view not shown waits until it is
        self.graph_view.set_active(mode == "graph")
        self.views.setCurrentWidget(self.stack_view if mode == "stack" else self.graph_view)
        if mode == "graph" and self._fit_graph:
            self._fit_graph = False  # the first look at a project's graph shows all of it
            QTimer.singleShot(0, self.graph_view, self.graph_view.fit_all)
        self._update_switch()
        if changed:
            self.sigModeChanged.emit(mode)

    def project_loaded(self) -> None:
        """Pick the view for a newly opened project (its saved view, else by its shape)."""
        self._fit_graph = True
        self._mode = ""  # so that set_mode announces the mode of the new project
        self.set_mode(self._mode_for_project())

    def _mode_for_project(self) -> str:
        saved = self._document.project.meta.get("view")
        big = len(self._document.graph.calls) > STACK_CARDS
        return saved if saved in MODES else "graph" if big else "stack"

    @Slot()
    def _on_project_replaced(self) -> None:
        """Before the views hear of a new project: only the one that will show it draws it."""
        mode = self._mode_for_project()
        if mode == "stack" and self.stack_reason():
            mode = "graph"
        self.stack_view.set_active(mode == "stack")
        self.graph_view.set_active(mode == "graph")

    @Slot()
    def _on_changed(self) -> None:
        if self._mode == "stack" and self.stack_reason():
            self.set_mode("graph")
        else:
            self._update_switch()

    def _update_switch(self) -> None:
        reason = self.stack_reason()
        self.stack_button.setEnabled(not reason)
        self.stack_button.setToolTip(
            fill(self.tr("This model cannot be shown as a stack: %1"), reason) if reason
            else self.tr("Show the model as a stack of layers, run from top to bottom (Sequential)"))
        (self.stack_button if self._mode == "stack" else self.graph_button).setChecked(True)
        if self._mode == "stack":
            hint = self.tr("Drag layers from the left into the stack; drag cards to reorder.")
        else:
            hint = self.tr("Drag layers into the graph; drag from an output port to an input "
                           "to wire them.")
        self.mode_hint.setText(hint)
        for button in self.graph_tools:
            button.setVisible(self._mode == "graph")

    # ------------------------------------------------------------------ custom layers
    @Slot()
    def _on_custom_code_changed(self) -> None:
        self.layer_palette.set_custom_entries(self._document.custom_entries())
        self.custom_bar.show_for(self._document.graph.custom_code)

    @Slot()
    def review_custom_code(self) -> None:
        """Show the project's custom code; "Run this code" lets it run (window-modal, not blocking)."""
        source = self._document.graph.custom_code
        if not source:
            return
        if self.custom_dialog is not None:
            self.custom_dialog.close()
        self.custom_dialog = CustomCodeDialog(source, self)
        self.custom_dialog.accepted.connect(
            lambda: self._document.allow_custom_code() if self._document.graph.custom_code == source else None)
        self.custom_dialog.open()

    # ------------------------------------------------------------------ edits
    @Slot(str)
    def add_layer(self, class_name: str) -> None:
        """Add a ``class_name`` layer (palette double-click or Enter).

        In the stack it goes right after the selected layer (or at the bottom); in
        the graph it is wired to the output of the selected node (or left free).
        """
        if self._mode == "stack":
            order = self.stack_view.stack_order()
            selected = self._document.selected
            self.stack_view.insert_layer(order.index(selected) + 1 if selected in order else len(order),
                                         class_name)
        elif class_name == "Input":
            self.graph_view.add_input()
        else:
            self._add_wired(class_name)

    def _add_wired(self, class_name: str) -> None:
        try:
            config = self._document.entry(class_name).fresh_config()
        except TflabError as err:
            self._document.sigError.emit(err)
            return
        selected = self._document.selected
        source = [TensorRef(selected)] if self._document.graph.has_node(selected) else []
        try:
            self._edits.add_layer(class_name, config, source)
        except TflabError:
            return  # the document has told the user why

    @Slot()
    def delete_selected(self) -> None:
        """Edit > Delete: delete the selection of the view shown."""
        if self._mode == "stack":
            graph = self._document.graph
            if not self.stack_view.remove_selected() and graph.input_node(self._document.selected):
                text = self.tr("The input at the top of a stack cannot be deleted: change its shape "
                               "in the inspector instead.")
                self._document.sigError.emit(TflabError(text, text))
        else:
            self.graph_view.delete_selection()

    # ------------------------------------------------------------------ outside input
    @Slot(object)
    def set_report(self, report: ShapeReport) -> None:
        """Show a fresh shape report in every view."""
        self.stack_view.set_report(report)
        self.graph_view.set_report(report)
        self.inspector.set_report(report)
        self.code_view.set_report(report)

    def tf_ready(self) -> None:
        """TensorFlow is loaded: list every Keras layer in the palette too."""
        self.layer_palette.load_all_layers()

    def save_state(self, settings: Settings) -> None:
        settings.setValue("editor/splitter", self.splitter.saveState())
        settings.setValue("editor/center_splitter", self.center_splitter.saveState())

    def restore_state(self, settings: Settings) -> None:
        for key, splitter in (("editor/splitter", self.splitter),
                              ("editor/center_splitter", self.center_splitter)):
            state = settings.value(key, QByteArray(), type=QByteArray)
            if not state.isEmpty():
                splitter.restoreState(state)


def _with_margins(widget: QWidget, left: int, top: int, right: int, bottom: int) -> QWidget:
    """``widget`` inside a plain container with the given margins."""
    box = QWidget(widget.parentWidget())
    layout = QVBoxLayout(box)
    layout.setContentsMargins(left, top, right, bottom)
    layout.addWidget(widget)
    return box
