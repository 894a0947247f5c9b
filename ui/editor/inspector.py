"""The inspector: the parameters of the selected layer (or input), as a form.

The form is generated from the catalog's :class:`~tflab.catalog.ParamSpec` list of
the layer's class: one :class:`~ui.widgets.param_widgets.ParamField` per parameter, the
common ones first and the rest (initializers, regularizers, constraints, dtype...)
under "More parameters". Above the form: the layer's class, its description, its
name (editable), and from the last shape report its output shape, parameter
count, and Keras's error with a plain-language hint when there is one.

Every value is checked as it is typed: an invalid one is refused in its field
with the reason, and the model is not touched. A valid one becomes one undoable
step (typing into a field merges into a single step). The config stays sparse: a
parameter set back to its default is removed from it.

For the model input the form holds its name, shape and dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tflab import catalog
from tflab.catalog import LayerEntry, ParamSpec
from tflab.graph import DTYPES, MODEL_CLASS, Layer, copy_json
from tflab.messages import TflabError
from tflab.shape_rules import inner_report
from tflab.shapes import CallResult, ShapeReport, format_shape
from ui.core.document import Document
from ui.core.text import fill
from ui.core.workers import Requests, shared_lane
from ui.editor.edits import Edits, node_name, rename_node
from ui.editor.palette import category_color
from ui.widgets.param_widgets import ERROR_COLOR, ParamField, same_value

_WEIGHT_KINDS = ("initializer", "regularizer", "constraint")
_BASE_NAMES = frozenset(spec.name for spec in catalog.BASE_PARAMS)


def split_params(entry: LayerEntry) -> tuple[list[ParamSpec], list[ParamSpec]]:
    """(main, more): the parameters shown at once and those under "More parameters".

    Main are the layer's own parameters up to its first initializer, regularizer or
    constraint, plus its key parameters; the rest (weights set-up, the arguments
    every layer has) go under "More". The layer name is edited apart.
    """
    main: list[ParamSpec] = []
    more: list[ParamSpec] = []
    in_more = False
    for spec in entry.params:
        if spec.name == "name":
            continue
        in_more = in_more or spec.kind in _WEIGHT_KINDS
        if spec.name in entry.key_params or not (in_more or spec.name in _BASE_NAMES):
            main.append(spec)
        else:
            more.append(spec)
    return main, more


def _with_name(spec: ParamSpec, name: str) -> ParamSpec:
    return ParamSpec(name, spec.kind, spec.default, required=True, choices=spec.choices,
                     desc_en=spec.desc_en, desc_zh=spec.desc_zh, item_nullable=spec.item_nullable)


class Inspector(QWidget):
    """Shows and edits the selected node of the document (see the module docstring)."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._edits = Edits(document, self)
        self._report: ShapeReport | None = None
        self._fields: dict[str, ParamField] = {}
        self._built_for: tuple[str, str] | None = None   # (node id, class name or "Input")
        self._show_more = False
        self._info: QLabel | None = None
        self._problem: QLabel | None = None
        self._more_button: QToolButton | None = None
        self._more_box: QWidget | None = None
        self._inside: QTreeWidget | None = None  # a nested model's layers
        self._inside_for: tuple | None = None  # (config, input shapes) the table was asked for
        self._inside_requests: Requests | None = None  # works the table out beside the window
        #: The form's own words: (what sets a text, what writes it in the interface's
        #: language), applied again when the language changes (the fields tell their own).
        self._words: list[tuple[Callable[[str], None], Callable[[], str]]] = []

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)
        self.setMinimumWidth(240)

        document.sigChanged.connect(self.refresh)
        document.sigSelectionChanged.connect(lambda _node: self.refresh())
        self._build(self._target())  # also with nothing selected: it says what it is for
        self._show_report()

    # ----------------------------------------------------------------- public
    def set_report(self, report: ShapeReport | None) -> None:
        """Show the output shape, parameters and error of the selected node from ``report``."""
        self._report = report
        if self._built_for is not None and self._built_for[1] == "":
            self.refresh()  # the layer's parameters were waiting for Keras
        self._show_report()

    def field(self, name: str) -> ParamField | None:
        """The field of parameter ``name`` (``"name"`` for the layer or input name)."""
        return self._fields.get(name)

    def problem_text(self) -> str:
        """The error, warning or waiting message shown for the node ("" for none)."""
        return self._problem.text() if self._problem is not None and not self._problem.isHidden() else ""

    def info_text(self) -> str:
        """The output shape and parameters shown for the node (rich text; "" for none)."""
        return self._info.text() if self._info is not None and not self._info.isHidden() else ""

    def node_id(self) -> str:
        """The node the form shows ("" for none)."""
        return self._built_for[0] if self._built_for else ""

    def show_more(self, show: bool) -> None:
        """Open or close the "More parameters" section."""
        self._show_more = show
        if self._more_box is not None and self._more_button is not None:
            self._more_box.setVisible(show)
            self._more_button.setChecked(show)
            self._more_button.setArrowType(Qt.ArrowType.DownArrow if show else Qt.ArrowType.RightArrow)

    def refresh(self) -> None:
        """Rebuild the form for another node, or update the values of the same one."""
        target = self._target()
        if target != self._built_for:
            self._build(target)
        else:
            self._update_values()
        self._show_report()

    def _target(self) -> tuple[str, str] | None:
        """(node id, "Input" or the layer class) of the selection; the class is "" while
        the layer's entry waits for Keras; None when nothing is selected."""
        graph = self.document.graph
        node_id = self.document.selected
        if node_id and graph.input_node(node_id) is not None:
            return node_id, "Input"
        if node_id in graph.calls:
            entry = self.document.entry_if_ready(graph.layer_of(node_id).class_name)
            return node_id, entry.class_name if entry else ""
        return None

    # ----------------------------------------------------------------- building
    def _say(self, setter: Callable[[str], None], words: Callable[[], str]) -> None:
        """``setter(words())`` now, and again whenever the language changes."""
        self._words.append((setter, words))
        setter(words())

    def _show_body(self, body: QWidget) -> None:
        """Show ``body`` in place of the form shown so far, which goes in a later turn:
        QScrollArea.setWidget deletes it at once, and a layer's form of some sixty widgets
        held the window 17-20 ms on top of the work that changed the selection (opening
        another model just after editing one of NASNetMobile's layers)."""
        old = self._scroll.takeWidget()
        self._scroll.setWidget(body)
        if old is not None:
            old.hide()
            old.deleteLater()

    def _build(self, target: tuple[str, str] | None) -> None:
        self._built_for = target
        self._fields = {}
        self._words = []
        self._info = self._problem = None
        self._more_button = self._more_box = None
        self._inside = None
        self._inside_for = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        if target is None:
            empty = QLabel()
            self._say(empty.setText, lambda: self.tr("Select a layer in the model to see and change its parameters."))
            empty.setWordWrap(True)
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addStretch(1)
            layout.addWidget(empty)
            layout.addStretch(2)
            self._show_body(body)
            return
        node_id, kind = target
        graph = self.document.graph
        if kind == "Input":
            entry = catalog.get_entry("Input")
            self._add_header(layout, "Input", "input", entry.describe)
            self._add_name_field(layout, graph.input_node(node_id).name, entry.param("name"))
            self._add_info(layout)
            shape = entry.param("shape")
            dtypes = tuple(d for d in catalog.INPUT_DTYPES if d in DTYPES)
            dtype = ParamSpec("dtype", "dtype", "float32", choices=dtypes,
                              desc_en=entry.param("dtype").desc_en, desc_zh=entry.param("dtype").desc_zh)
            for spec in (shape, dtype):
                self._add_field(layout, spec, self._on_input_value)
        else:
            layer = graph.layer_of(node_id)
            entry = self.document.entry_if_ready(layer.class_name)
            if entry is None:
                self._add_header(layout, layer.class_name, "other",
                                 lambda: self.tr("The parameters of this layer appear once TensorFlow has loaded."))
                self._add_info(layout)
            else:
                self._add_header(layout, entry.class_name, entry.category, entry.describe)
                self._add_name_field(layout, layer.name, catalog.BASE_PARAMS[0])
                self._add_info(layout)
                if layer.class_name == MODEL_CLASS:
                    self._add_inside(layout, node_id)
                    layout.addStretch(1)
                    self._show_body(body)
                    self._update_values()
                    return
                main, more = split_params(entry)
                if main:
                    layout.addWidget(self._section_label(lambda: self.tr("Parameters")))
                for spec in main:
                    field = self._add_field(layout, spec, self._on_param_value, self._on_param_reset)
                    if spec.name in entry.initial_config:  # the app's choice, not Keras's default
                        field.set_starting_value(entry.initial_config[spec.name])
                if more:
                    self._add_more(layout, more)
        layout.addStretch(1)
        self._show_body(body)
        self._update_values()

    def _add_header(self, layout: QVBoxLayout, title: str, category: str,
                    description: Callable[[], str]) -> None:
        head = QLabel(title)
        font = head.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        head.setFont(font)
        chip = QLabel()
        self._say(chip.setText, lambda: catalog.category_label(category))
        color = category_color(category)
        chip.setStyleSheet(f"color: white; background: {color.name()}; border-radius: 4px; padding: 1px 6px;")
        chip.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        about = QLabel()
        self._say(about.setText, description)
        about.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(chip)
        layout.addWidget(about)

    def _add_info(self, layout: QVBoxLayout) -> None:
        self._info = QLabel()
        self._info.setTextFormat(Qt.TextFormat.RichText)
        self._info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._problem = QLabel()
        self._problem.setWordWrap(True)
        self._problem.setTextFormat(Qt.TextFormat.RichText)
        self._problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._problem.setVisible(False)
        layout.addWidget(self._info)
        layout.addWidget(self._problem)

    def _section_label(self, text: Callable[[], str]) -> QLabel:
        label = QLabel()
        self._say(label.setText, text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setContentsMargins(0, 8, 0, 0)
        return label

    def _add_name_field(self, layout: QVBoxLayout, name: str, spec: ParamSpec) -> None:
        field = ParamField(_with_name(spec, "name"))
        self._say(field.label.setText, lambda: self.tr("Name"))
        field.description.setVisible(False)
        field.sigValueChanged.connect(self._on_name)
        self._fields["name"] = field
        field.set_value(name, False)
        layout.addWidget(field)

    def _add_field(self, layout: QVBoxLayout, spec: ParamSpec, on_value, on_reset=None) -> ParamField:
        field = ParamField(spec)
        field.sigValueChanged.connect(lambda value, s=spec: on_value(s, value))
        if on_reset is not None:
            field.sigResetRequested.connect(lambda s=spec: on_reset(s))
        self._fields[spec.name] = field
        layout.addWidget(field)
        return field

    def _add_more(self, layout: QVBoxLayout, specs: list[ParamSpec]) -> None:
        button = QToolButton()
        self._say(button.setText, lambda: fill(self.tr("More parameters (%1)"), str(len(specs))))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.toggled.connect(self.show_more)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(6)
        for spec in specs:
            self._add_field(box_layout, spec, self._on_param_value, self._on_param_reset)
        layout.addSpacing(6)
        layout.addWidget(button)
        layout.addWidget(box)
        self._more_button, self._more_box = button, box
        self.show_more(self._show_more)

    def _add_inside(self, layout: QVBoxLayout, node_id: str) -> None:
        """A nested model's layers, opened out in a table (their shapes on this call's
        inputs), and the button that puts them in its place to edit them."""
        layout.addWidget(self._section_label(lambda: self.tr("Layers inside")))
        tree = QTreeWidget()
        tree.setObjectName("inside")
        tree.setRootIsDecorated(False)
        tree.setColumnCount(3)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # names elide; tooltips say them
        tree.header().setStretchLastSection(False)
        tree.setMinimumHeight(180)
        layout.addWidget(tree)
        self._inside = tree
        ungroup = QPushButton()
        ungroup.setObjectName("ungroup")
        self._say(ungroup.setText, lambda: self.tr("Ungroup into its layers"))
        self._say(ungroup.setToolTip, lambda: self.tr(
            "Put the model's layers in its place, to edit them one by one. A model called more than "
            "once gives layers called as often: they still share their weights. Undo puts the model back."))
        ungroup.clicked.connect(lambda: self._ungroup(node_id))
        layout.addWidget(ungroup)

    def _fill_inside(self, node_id: str) -> None:
        """Ask for the nested model's layers with the shapes they give on this call's inputs:
        worked out without Keras, beside the window (a whole EfficientNet used as a layer
        has 239), once per model and shapes; "…" where only Keras can tell."""
        tree = self._inside
        if tree is None:
            return
        layer = self.document.graph.layer_of(node_id)
        ins = self._call_input_shapes(node_id)
        if self._inside_for is not None and self._inside_for[0] is layer.config and self._inside_for[1] == ins:
            return  # shown already
        self._inside_for = (layer.config, ins)
        if self._inside_requests is None:
            self._inside_requests = Requests(shared_lane("inspector"), self, doing=("reading a nested model",
                                                                                "读取嵌套模型"))
            self._inside_requests.sigResult.connect(self._show_inside)
        copy = Layer(layer.name, layer.class_name, copy_json(layer.config))
        self._inside_requests.run(lambda: _inside_rows(copy, ins))

    @Slot(object)
    def _show_inside(self, rows: list[tuple[str, str, int | None, bool]]) -> None:
        tree = self._inside
        if tree is None:
            return
        tree.setHeaderLabels([self.tr("Layer (type)"), self.tr("Output shape"), self.tr("Parameters")])
        tree.clear()
        for name, shape, params, first in rows:
            count = "" if params is None else (f"{params:,}" if first else self.tr("shared"))
            self._add_row(tree, [name, shape, count])

    @staticmethod
    def _add_row(tree: QTreeWidget, cells: list[str]) -> None:
        item = QTreeWidgetItem(cells)
        item.setToolTip(0, cells[0])
        tree.addTopLevelItem(item)

    def _call_input_shapes(self, node_id: str) -> list | None:
        """The shapes of the tensors call ``node_id`` takes, from the last shape report."""
        report = self._report
        call = self.document.graph.calls[node_id]
        if report is None or not call.inputs:
            return None
        shapes = [report.shape_of(ref) for ref in call.inputs]
        return None if None in shapes else shapes

    def _ungroup(self, node_id: str) -> None:
        if node_id not in self.document.graph.calls:
            return
        try:
            self._edits.ungroup(node_id)
        except TflabError:
            pass  # the document says why, in the status bar

    # ----------------------------------------------------------------- showing
    def _update_values(self) -> None:
        if self._built_for is None:
            return
        node_id, kind = self._built_for
        graph = self.document.graph
        if kind == "Input":
            node = graph.input_node(node_id)
            values = {"name": node.name, "shape": list(node.shape), "dtype": node.dtype}
            for name, value in values.items():
                if name in self._fields:
                    self._fields[name].set_value(value, False)
            return
        layer = graph.layer_of(node_id)
        for name, field in self._fields.items():
            if name == "name":
                field.set_value(layer.name, False)
            else:
                field.set_value(layer.config.get(name, field.spec.default), name in layer.config)

    def _result(self) -> CallResult | None:
        if self._report is None or self._built_for is None:
            return None
        node_id = self._built_for[0]
        result = self._report.calls.get(node_id)
        graph = self.document.graph
        if result is None or node_id not in graph.calls or result.layer != graph.calls[node_id].layer:
            return None
        return result

    def _show_report(self) -> None:
        if self._info is None or self._problem is None or self._built_for is None:
            return
        node_id, kind = self._built_for
        graph = self.document.graph
        rows: list[tuple[str, str]] = []
        problem = ""
        if kind == "Input":
            node = graph.input_node(node_id)
            rows.append((self.tr("Output shape"), format_shape((node.batch_size, *node.shape))))
        else:
            result = self._result()
            if result is None:
                rows.append((self.tr("Output shape"), "…"))
            else:
                if result.ok:
                    shapes = ", ".join(format_shape(s) for s in result.output_shapes)
                    rows.append((self.tr("Output shape"), shapes))
                if not result.first_call:
                    rows.append((self.tr("Parameters"), self.tr("shared with its first use")))
                elif result.ok:
                    count = f"{result.params:,}"
                    if result.trainable_params != result.params:
                        count += " " + fill(self.tr("(%1 trainable)"), f"{result.trainable_params:,}")
                    rows.append((self.tr("Parameters"), count))
                problem = self._problem_html(result)
        self._info.setText("<table cellspacing='0' cellpadding='1'>" + "".join(
            f"<tr><td>{label}:&nbsp;&nbsp;</td><td><b>{value}</b></td></tr>" for label, value in rows) + "</table>")
        self._info.setVisible(bool(rows))
        self._problem.setText(problem)
        self._problem.setVisible(bool(problem))
        if self._inside is not None:
            self._fill_inside(node_id)

    def _problem_html(self, result: CallResult) -> str:
        if result.error is not None:
            return self._box(result.error, QColor(ERROR_COLOR), self.tr("Keras cannot build this layer"))
        if result.warning is not None:
            return self._box(result.warning, QColor("#8d6e00"), self.tr("Check this"))
        if result.blocked:
            return self.tr("Its shapes are not known until the layer above it can be built: select "
                           "that layer to see what is wrong there.")
        return ""

    def _box(self, err: TflabError, color: QColor, title: str) -> str:
        def esc(text: str) -> str:
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        html = f"<p style='color:{color.name()}'><b>{esc(title)}</b><br>{esc(err.message())}</p>"
        if err.hint():
            hint = self.tr("Hint:")
            html += f"<p><b>{esc(hint)}</b> {esc(err.hint())}</p>"
        return html

    # ----------------------------------------------------------------- edits
    def _on_name(self, name: str) -> None:
        field = self._fields["name"]
        node_id = self._built_for[0]
        graph = self.document.graph
        name = name.strip()
        if name == node_name(graph, node_id):
            return
        try:
            rename_node(graph.copy(), node_id, name)  # refuse a bad name in the field, before touching the model
        except TflabError as err:
            field.show_error(err)
            return
        self._edit(field, lambda: self._edits.rename(node_id, name))

    def _on_input_value(self, spec: ParamSpec, value: Any) -> None:
        node_id = self._built_for[0]
        self._edit(self._fields[spec.name], lambda: self._edits.set_input(node_id, spec.name, value))

    def _on_param_value(self, spec: ParamSpec, value: Any) -> None:
        layer = self.document.graph.layer_of(self._built_for[0])
        config = dict(layer.config)
        if same_value(value, spec.default) and not spec.required:
            config.pop(spec.name, None)
        else:
            config[spec.name] = value
        self._set_config(spec, layer.name, layer.class_name, config)

    def _on_param_reset(self, spec: ParamSpec) -> None:
        layer = self.document.graph.layer_of(self._built_for[0])
        config = {k: v for k, v in layer.config.items() if k != spec.name}
        self._set_config(spec, layer.name, layer.class_name, config)

    def _set_config(self, spec: ParamSpec, layer: str, class_name: str, config: dict) -> None:
        field = self._fields[spec.name]
        try:
            checked = self.document.validate_config(class_name, config)
        except TflabError as err:
            field.show_error(err)
            return
        self._edit(field, lambda: self._edits.set_config(layer, spec.name, checked))

    def _edit(self, field: ParamField, command: Callable[[], None]) -> None:
        """Run one of the editor's commands; a refusal shows under ``field``."""
        try:
            command()
        except TflabError as err:
            field.show_error(err)

    def _retranslate(self) -> None:
        """The form's words in the interface's language; what was typed, opened and
        scrolled to stays (the fields write their own words, and their errors)."""
        for setter, words in self._words:
            setter(words())
        self._inside_for = None  # its table is written again, in the new words
        self._show_report()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def _inside_rows(layer: Layer, ins: list | None) -> list[tuple[str, str, int | None, bool]]:
    """The rows of a nested model's table: (layer (type), output shape, parameters or None,
    first call), on the call's input shapes where the model takes them, else on its own.
    Needs no Keras: run on a lane."""
    try:
        inner, report = inner_report(layer, ins)
        if report is None and ins is not None:
            inner, report = inner_report(layer)
    except TflabError:
        return []
    rows = [(f"{node.name} (Input)", format_shape((node.batch_size, *node.shape)), None, True)
            for node in inner.inputs]
    for call_id in inner.topological_calls():
        inner_layer = inner.layer_of(call_id)
        result = report.calls.get(call_id) if report is not None else None
        shape = ", ".join(format_shape(s) for s in result.output_shapes) if result and result.ok else "…"
        rows.append((f"{inner_layer.name} ({inner_layer.class_name})", shape,
                     None if result is None else result.params, result is None or result.first_call))
    return rows
