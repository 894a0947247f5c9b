"""The stack editor: drops from the palette, reordering, deleting, undo, error cards."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDragLeaveEvent
from PySide6.QtWidgets import QApplication

from tests.ui.dnd import send_drag
from tflab.graph import ModelGraph
from tflab.project import Project
from ui.core.document import Document
from ui.editor.inspector import Inspector
from ui.editor.palette import layer_mime
from ui.editor.stack_view import StackView, key_params_text, move_mime

ACTIONS = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


def _document(graph: ModelGraph) -> Document:
    return Document(Project(graph))


@pytest.fixture
def make_view(qtbot):
    def make(graph: ModelGraph) -> StackView:
        view = StackView(_document(graph))
        qtbot.addWidget(view)
        view.resize(420, 640)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


def _classes(view: StackView) -> list[str]:
    graph = view.document.graph
    return [graph.layer_of(c).class_name for c in view.stack_order()]


def _center(view: StackView, node_id: str) -> QPoint:
    card = view.card(node_id)
    return card.mapTo(view, card.rect().center())


def _below(view: StackView, node_id: str) -> QPoint:
    """A point in the gap under a card (between it and the next one)."""
    card = view.card(node_id)
    return card.mapTo(view, QPoint(card.width() // 2, card.height() + 6))


def _drag(view: StackView, mime, pos: QPoint, drop: bool = True) -> bool:
    """Send the events of a drag to ``pos`` (and a drop there); returns whether it was accepted."""
    return send_drag(view, mime, pos, drop=drop, actions=ACTIONS).move_accepted


def test_drops_land_at_top_between_and_bottom(make_view):
    view = make_view(ModelGraph.sequential([28, 28], [("Flatten", {}), ("Dense", {"units": 10})]))
    flatten, dense = view.stack_order()
    input_id = view.document.graph.inputs[0].id

    assert _drag(view, layer_mime("Dropout"), _below(view, flatten))          # between
    assert _classes(view) == ["Flatten", "Dropout", "Dense"]
    assert _drag(view, layer_mime("BatchNormalization"), _center(view, input_id))  # top
    assert _classes(view) == ["BatchNormalization", "Flatten", "Dropout", "Dense"]
    bottom = QPoint(view.width() // 2, view.height() - 40)
    assert _drag(view, layer_mime("Activation"), bottom)                       # bottom
    assert _classes(view) == ["BatchNormalization", "Flatten", "Dropout", "Dense", "Activation"]

    graph = view.document.graph
    dropout = graph.layer_of(view.stack_order()[2])
    assert dropout.config == {"rate": 0.2}                      # the catalog's initial config
    assert graph.outputs[0].node == view.stack_order()[-1]      # the output follows the end
    assert view.document.selected == view.stack_order()[-1]     # the new layer is selected
    assert view.document.undo_stack.undoText() == "Add Activation"


def test_drop_line_shows_where_the_layer_lands(make_view):
    view = make_view(ModelGraph.sequential([8], [("Dense", {"units": 4}), ("Dense", {"units": 2})]))
    first, second = view.stack_order()
    mime = layer_mime("Dropout")
    assert _drag(view, mime, _below(view, first), drop=False)
    line = view.drop_line_y()
    assert view.card(first).geometry().bottom() < line < view.card(second).geometry().top()
    assert view.drop_index_at(_below(view, first)) == 1
    QApplication.sendEvent(view, QDragLeaveEvent())
    assert view.drop_line_y() is None
    assert _classes(view) == ["Dense", "Dense"]


def test_input_is_not_dropped_into_a_stack(make_view):
    view = make_view(ModelGraph.sequential([8], [("Dense", {"units": 4})]))
    assert not _drag(view, layer_mime("Input"), _center(view, view.stack_order()[0]))
    assert _classes(view) == ["Dense"]
    assert view.drop_line_y() is None


def test_seed_gesture_gives_78500_parameters(make_view, qtbot):
    """Input(28, 28), then two drags (Flatten, Dense): the course's first model, 78,500 parameters."""
    from tflab.shapes import ShapeInference

    view = make_view(ModelGraph.sequential([28, 28], []))
    document = view.document
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    inspector.show()
    bottom = QPoint(view.width() // 2, view.height() - 40)
    assert _drag(view, layer_mime("Flatten"), bottom)
    assert _drag(view, layer_mime("Dense"), bottom)
    assert _classes(view) == ["Flatten", "Dense"]

    dense_call = view.stack_order()[1]
    graph = document.graph
    assert graph.layer_of(dense_call).config == {"units": 100, "activation": "relu"}
    report = ShapeInference().infer(graph)
    assert report.ok
    assert report.total_params == 78_500
    view.set_report(report)
    card = view.card(dense_call)
    assert card.details.text() == "100 units, relu"
    assert card.shape.text() == "(None, 100)"
    assert card.params.text() == "78,500 params"

    assert inspector.node_id() == dense_call                    # the dropped layer is inspected
    units = inspector.field("units").editor.box
    units.selectAll()
    qtbot.keyClicks(units, "10")
    activation = inspector.field("activation").editor.combo
    activation.lineEdit().selectAll()
    qtbot.keyClicks(activation.lineEdit(), "softmax")
    assert graph.layer_of(dense_call).config == {"units": 10, "activation": "softmax"}
    assert ShapeInference().infer(graph).total_params == 28 * 28 * 10 + 10


def test_reorder_by_dragging_a_card(make_view):
    view = make_view(ModelGraph.sequential([8], [("Dense", {"units": 4}), ("Dropout", {"rate": 0.5}),
                                                ("Activation", {"activation": "relu"})]))
    dense, dropout, activation = view.stack_order()
    assert _drag(view, move_mime(0), _below(view, activation))  # first card to the bottom
    assert _classes(view) == ["Dropout", "Activation", "Dense"]
    assert _drag(view, move_mime(2), _center(view, view.document.graph.inputs[0].id))  # back to the top
    assert _classes(view) == ["Dense", "Dropout", "Activation"]
    assert view.stack_order() == [dense, dropout, activation]
    view.document.undo_stack.undo()
    assert _classes(view) == ["Dropout", "Activation", "Dense"]


def test_delete_key_removes_and_undo_redo_restore(make_view, qtbot):
    view = make_view(ModelGraph.sequential([8], [("Dense", {"units": 4}), ("Dropout", {"rate": 0.5}),
                                                ("Dense", {"units": 2})]))
    before = view.document.graph.to_json()
    dropout = view.stack_order()[1]
    qtbot.mouseClick(view.card(dropout), Qt.MouseButton.LeftButton)
    assert view.document.selected == dropout
    assert view.card(dropout).is_selected()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _classes(view) == ["Dense", "Dense"]
    assert view.document.selected == view.stack_order()[1]     # the next layer is selected
    view.document.undo_stack.undo()
    assert view.document.graph.to_json() == before
    assert _classes(view) == ["Dense", "Dropout", "Dense"]
    view.document.undo_stack.redo()
    assert _classes(view) == ["Dense", "Dense"]


def test_input_cannot_be_deleted(make_view, qtbot):
    view = make_view(ModelGraph.sequential([8], [("Dense", {"units": 4})]))
    input_id = view.document.graph.inputs[0].id
    qtbot.mouseClick(view.card(input_id), Qt.MouseButton.LeftButton)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert view.document.graph.inputs[0].id == input_id
    assert _classes(view) == ["Dense"]


def test_arrow_keys_move_the_selection_and_alt_arrows_move_the_layer(make_view, qtbot):
    view = make_view(ModelGraph.sequential([8], [("Dense", {"units": 4}), ("Dropout", {"rate": 0.5})]))
    input_id = view.document.graph.inputs[0].id
    dense, dropout = view.stack_order()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.document.selected == input_id
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.document.selected == dropout
    qtbot.keyClick(view, Qt.Key.Key_Down)                      # stays on the last card
    assert view.document.selected == dropout
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.document.selected == dense
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.stack_order() == [dropout, dense]
    assert view.document.selected == dense


def test_append_layer_and_a_blank_model_gets_an_input(make_view):
    view = make_view(ModelGraph())
    assert view.stack_order() == []
    view.append_layer("Dense")
    graph = view.document.graph
    assert len(graph.inputs) == 1
    assert _classes(view) == ["Dense"]
    view.append_layer("Dropout")
    assert _classes(view) == ["Dense", "Dropout"]
    view.document.undo_stack.undo()
    view.document.undo_stack.undo()
    assert view.document.graph.inputs == []


def test_red_card_for_a_keras_error_and_blocked_layers_below(make_view):
    from tflab.shapes import ShapeInference

    view = make_view(ModelGraph.sequential([28, 28], [("Conv2D", {"filters": 8, "kernel_size": 3}),
                                                      ("Flatten", {})]))
    conv, flatten = view.stack_order()
    view.set_report(ShapeInference().infer(view.document.graph))
    card = view.card(conv)
    assert card.state() == "error"
    assert card.message.isVisible()
    assert "min_ndim=4" in card.message.text()
    assert "Reshape" in card.message.text()                    # the plain-language hint
    assert view.card(flatten).state() == "blocked"

    # Selected, the inspector beside it explains the layer: the card does not say it again.
    view.document.select(conv)
    assert "min_ndim=4" not in card.message_text() and "inspector" in card.message_text()
    view.document.select("")
    assert "min_ndim=4" in card.message_text()


def test_amber_card_for_a_warning(make_view):
    from tflab.shapes import ShapeInference

    view = make_view(ModelGraph.sequential([28, 28], [("Dense", {"units": 8})]))
    view.set_report(ShapeInference().infer(view.document.graph))
    card = view.card(view.stack_order()[0])
    assert card.state() == "warning"
    assert "Flatten" in card.message.text()


def test_a_branching_model_shows_the_reason_and_offers_the_graph_view(make_view, qtbot):
    graph = ModelGraph()
    source = graph.add_input([8])
    a = graph.add_layer_call("Dense", {"units": 4}, [source])
    b = graph.add_layer_call("Dense", {"units": 4}, [source])
    graph.add_layer_call("Add", {}, [a, b])
    view = make_view(graph)
    assert view.is_showing_reason()
    assert view.reason_label.text() == graph.not_a_stack_reason()[0]
    assert view.reason_label.isVisible()
    with qtbot.waitSignal(view.sigGraphViewRequested):
        qtbot.mouseClick(view.graph_button, Qt.MouseButton.LeftButton)
    assert not _drag(view, layer_mime("Dense"), QPoint(50, 50))


def test_key_params_text():
    from tflab import catalog

    assert key_params_text(catalog.get_entry("Dense"), {"units": 100, "activation": "relu"}) == "100 units, relu"
    assert key_params_text(catalog.get_entry("Conv2D"), {"filters": 16, "kernel_size": 3}) == "16 filters, kernel 3×3"
    assert key_params_text(catalog.get_entry("Dropout"), {"rate": 0.2}) == "rate 0.2"


def test_the_drop_zone_stays_at_the_end_of_the_stack(make_view, qtbot):
    view = make_view(ModelGraph.sequential([28, 28], [("Flatten", {}), ("Dense", {"units": 10})]))
    zone = view._hint
    assert zone.isVisible() and zone.text() == "Drop a layer here to add it at the end."
    assert _drag(view, layer_mime("Dropout"), zone.mapTo(view, zone.rect().center()))
    assert _classes(view) == ["Flatten", "Dense", "Dropout"]
    view.document.select(view.stack_order()[-1])
    assert view.remove_selected() and view.remove_selected() and view.remove_selected()
    assert view.stack_order() == [] and zone.isVisible()
    assert zone.text() == "Drag layers here from the palette, or double-click one to add it."
    assert len(view._column.cards) == 1  # the input alone: no arrow is drawn below it
