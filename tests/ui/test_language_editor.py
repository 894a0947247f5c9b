"""The Editor tab switches language in place: every text reads as in an editor built in the
new language, and nothing the user did is lost (selection, typed values, search, scroll,
code style, shapes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_code_view import branch_graph
from tests.ui.texts import differences, switch_language, visible_texts
from tflab import messages
from tflab.codegen import generate
from tflab.graph import ModelGraph
from tflab.labs.custom import LAYER_TEMPLATE
from tflab.project import Project, starter_project
from tflab.shapes import ShapeInference
from ui.app import language
from ui.core.document import Document
from ui.editor.code_view import STYLES, CodeView
from ui.editor.custom_code import CustomCodeBar, CustomCodeDialog
from ui.editor.inspector import Inspector
from ui.editor.panel import Editor
from ui.editor.stack_view import StackView


def _same_texts(switched, fresh) -> None:
    found = differences(visible_texts(switched), visible_texts(fresh))
    assert not found, "\n".join(found[:20])


@pytest.fixture
def make_editor(qtbot):
    """An editor on ``project`` in a user's state: the last layer selected (its "More
    parameters" open), a search typed in the palette and a layer picked there, the
    Functional code chosen, and the shapes of the model known."""

    def make(project: Project, mode: str = "stack") -> Editor:
        document = Document(project)
        editor = Editor(document)
        qtbot.addWidget(editor)
        editor.resize(1300, 760)
        editor.show()
        qtbot.waitExposed(editor)
        editor.set_mode(mode)
        editor.set_report(ShapeInference().infer(document.graph))
        document.select(list(document.graph.calls)[-1])
        editor.inspector.show_more(True)
        qtbot.keyClicks(editor.layer_palette.search, "dense")
        editor.layer_palette.tree.setCurrentItem(editor.layer_palette.item_for("Dense"))
        editor.code_view.set_code_style("functional")
        editor.code_view.tabs.setCurrentIndex(1)  # the summary
        return editor

    return make


@pytest.mark.parametrize("mode", ["stack", "graph"])
def test_the_editor_switches_language_in_place_and_keeps_what_the_user_did(qapp, make_editor, mode):
    editor = make_editor(starter_project(), mode)
    document = editor.inspector.document
    selected, units = document.selected, editor.inspector.field("units")
    picked, listed = editor.layer_palette.tree.currentItem(), editor.layer_palette.visible_layers()
    graph = document.graph.to_json()

    switch_language(qapp, language.CHINESE)
    _same_texts(editor, make_editor(starter_project(), mode))
    # nothing was rebuilt or lost
    assert editor.mode() == mode and document.selected == selected and document.graph.to_json() == graph
    assert editor.inspector.field("units") is units and units.value() == document.graph.layer_of(selected).config["units"]
    assert editor.layer_palette.tree.currentItem() is picked and editor.layer_palette.search.text() == "dense"
    assert editor.layer_palette.visible_layers() == listed
    assert editor.code_view.code_style() == "functional" and editor.code_view.tabs.currentIndex() == 1
    assert editor.code_view.code() == generate(document.graph, "functional", comments="zh")
    assert "参数总数" in editor.code_view.summary.toPlainText()  # the summary in Chinese, from the same shapes
    assert "Dense" in editor.stack_view.card(selected).title.text() or mode == "graph"

    switch_language(qapp, language.ENGLISH)
    _same_texts(editor, make_editor(starter_project(), mode))
    assert editor.code_view.code() == generate(document.graph, "functional")
    assert "Total params" in editor.code_view.summary.toPlainText()


def test_a_model_that_is_not_a_stack_explains_itself_in_the_new_language(qapp, make_editor, qtbot):
    editor = make_editor(Project(branch_graph()), "graph")
    editor.code_view.set_code_style("sequential")  # the code view says why Sequential cannot
    assert editor.code_view.reason() and editor.stack_view.is_showing_reason()
    switch_language(qapp, language.CHINESE)
    fresh = make_editor(Project(branch_graph()), "graph")
    fresh.code_view.set_code_style("sequential")
    _same_texts(editor, fresh)
    assert "Sequential" in editor.code_view.reason_label.text() and "层" in editor.code_view.reason_label.text()
    assert editor.stack_view.reason_label.text() == fresh.stack_view.reason_label.text()
    assert editor.stack_button.toolTip() == fresh.stack_button.toolTip() and not editor.stack_button.isEnabled()


def test_shapes_that_came_while_a_view_was_hidden_wait_for_it(qapp, qtbot):
    """The hidden view tells what it showed in the new language, and shows the newer
    shapes when it is shown again."""
    document = Document(starter_project())
    editor = Editor(document)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_mode("stack")
    editor.set_report(ShapeInference().infer(document.graph))  # the graph view, hidden, waits
    switch_language(qapp, language.CHINESE)
    fresh = Editor(Document(starter_project()))
    qtbot.addWidget(fresh)
    fresh.show()
    fresh.set_mode("stack")
    fresh.set_report(ShapeInference().infer(fresh.graph_view.document.graph))
    _same_texts(editor, fresh)
    dense = next(n for n, c in document.graph.calls.items() if c.layer == "dense")
    assert editor.graph_view.node_item(dense).spec.params == ""  # as drawn: before the shapes
    editor.set_mode("graph")
    assert editor.graph_view.node_item(dense).spec.params != ""  # shown: with them


def test_a_refused_value_keeps_its_text_and_says_why_in_the_new_language(qapp, qtbot, make_inspector):
    def inspector() -> Inspector:
        view = make_inspector()
        box = view.field("units").editor.box.text_field()
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, "abc")
        return view

    view = inspector()
    field = view.field("units")
    assert "units must be a whole number of at least 1" in field.error()
    switch_language(qapp, language.CHINESE)
    fresh = inspector()
    _same_texts(view, fresh)
    assert view.field("units") is field and field.editor.box.text_field().text() == "abc"
    assert field.error() == fresh.field("units").error() != ""
    assert "units must be" not in field.error()
    switch_language(qapp, language.ENGLISH)
    assert "units must be a whole number of at least 1" in field.error()


def test_a_keras_error_on_a_card_and_in_the_inspector_follows_the_language(qapp, qtbot):
    def views() -> tuple[StackView, Inspector]:
        graph = ModelGraph.sequential([28, 28], [("Conv2D", {"filters": 8, "kernel_size": 3})])
        document = Document(Project(graph))
        stack, inspector = StackView(document), Inspector(document)
        for view in (stack, inspector):
            qtbot.addWidget(view)
            view.show()
        report = ShapeInference().infer(graph)
        stack.set_report(report)
        inspector.set_report(report)
        document.select(next(iter(graph.calls)))
        return stack, inspector

    stack, inspector = views()
    assert "Put a Reshape before it" in inspector.problem_text()
    switch_language(qapp, language.CHINESE)
    fresh_stack, fresh_inspector = views()
    _same_texts(stack, fresh_stack)
    _same_texts(inspector, fresh_inspector)
    assert inspector.problem_text() == fresh_inspector.problem_text() and "Put a Reshape" not in inspector.problem_text()


@pytest.mark.parametrize("style", STYLES)
def test_each_code_style_is_written_again_with_comments_in_the_new_language(qapp, qtbot, style):
    def view() -> CodeView:
        document = Document(Project(ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 10})])))
        code = CodeView(document)
        qtbot.addWidget(code)
        code.show()
        code.set_code_style(style)
        code.script_box.setChecked(True)
        code.set_report(ShapeInference().infer(document.graph))
        code.tabs.setCurrentIndex(1)  # the summary is written when its tab is shown
        return code

    code = view()
    graph = code._document.graph
    switch_language(qapp, language.CHINESE)
    fresh = view()
    _same_texts(code, fresh)
    assert code.code_style() == style and code.script_box.isChecked()
    assert code.code() == generate(graph, style, script=True, comments="zh") == fresh.code()
    assert code.editor.toPlainText() == code.code()
    assert code.summary.toPlainText() == fresh.summary.toPlainText()
    assert code.english_action.isVisible()  # English comments can be asked for now
    code.english_box.setChecked(True)
    assert code.code() == generate(graph, style, script=True)
    code.english_box.setChecked(False)
    switch_language(qapp, language.ENGLISH)
    assert code.code() == generate(graph, style, script=True) and not code.english_action.isVisible()


def test_the_summary_waiting_for_tensorflow_says_so_in_the_new_language(qapp, qtbot):
    def view() -> CodeView:
        code = CodeView(Document(starter_project()))
        qtbot.addWidget(code)
        return code

    code = view()
    switch_language(qapp, language.CHINESE)
    assert code.summary.toPlainText() == view().summary.toPlainText() != ""
    assert "TensorFlow is ready" not in code.summary.toPlainText()


def test_the_custom_code_bar_and_dialog_follow_the_language(qapp, qtbot):
    source = LAYER_TEMPLATE + "\nTIP = '\u202e'\n"  # not allowed here, with a hidden character

    def views() -> tuple[CustomCodeBar, CustomCodeDialog]:
        bar = CustomCodeBar()
        qtbot.addWidget(bar)
        bar.show_for(source)
        dialog = CustomCodeDialog(source)
        qtbot.addWidget(dialog)
        dialog.show()
        return bar, dialog

    bar, dialog = views()
    assert dialog.run_button is not None and dialog.hidden_label.text()
    switch_language(qapp, language.CHINESE)
    fresh_bar, fresh_dialog = views()
    _same_texts(bar, fresh_bar)
    _same_texts(dialog, fresh_dialog)
    assert dialog.windowTitle() == fresh_dialog.windowTitle() != ""
    assert messages.language() == "zh" and dialog.isVisible() and dialog.run_button.text() != "Run this code"
    switch_language(qapp, language.ENGLISH)
    assert dialog.run_button.text() == "Run this code"
    assert dialog.windowTitle() == "Custom layer code of this project"


def test_the_palette_keeps_what_is_open_and_picked(qapp, qtbot):
    editor = Editor(Document(starter_project()))
    qtbot.addWidget(editor)
    palette = editor.layer_palette
    root = palette.tree.invisibleRootItem()
    groups = [root.child(i) for i in range(root.childCount())]
    groups[0].setExpanded(False)  # the user closed the first group
    item = palette.item_for("Conv2D")
    palette.tree.setCurrentItem(item)
    switch_language(qapp, language.CHINESE)
    assert [root.child(i) for i in range(root.childCount())] == groups
    assert not groups[0].isExpanded() and palette.tree.currentItem() is item
    fresh = Editor(Document(starter_project()))
    qtbot.addWidget(fresh)
    fresh_item = fresh.layer_palette.item_for("Conv2D")
    assert item.toolTip(0) == fresh_item.toolTip(0) and item.parent().text(0) == fresh_item.parent().text(0)
    assert item.data(0, Qt.ItemDataRole.UserRole + 2) == fresh_item.data(0, Qt.ItemDataRole.UserRole + 2)
