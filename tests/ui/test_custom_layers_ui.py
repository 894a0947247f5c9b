"""A project's own layers in the app: a layer checked in the custom layers lab joins the
editor's palette, the model, its shapes and its code; code from another computer runs
only after the user has read it and allowed it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from tests.ui.dnd import send_drag
from tflab import catalog, custom_layers
from tflab.graph import ModelGraph
from tflab.keras_build import build_model
from tflab.labs.custom import LAYER_TEMPLATE, CustomResult
from tflab.project import Project, save_project
from ui.app.main_window import MainWindow
from ui.core.document import Document
from ui.core.trust import is_trusted, trust
from ui.editor.palette import layer_mime
from ui.editor.panel import Editor
from ui.labs import page_custom
from ui.labs.common import LabContext

TF_TIMEOUT = 120_000

#: The template with its own units default, so each test's code is its own text.
SCALE = '''import tensorflow as tf


class MyScale(tf.keras.layers.Layer):
    """Multiplies every feature by a learned factor."""

    def build(self, input_shape):
        self.factor = self.add_weight(name="factor", shape=(input_shape[-1],), initializer="ones")

    def call(self, inputs):
        return inputs * self.factor
'''


def fake_check(source, kind, input_shape, *, consent=False):
    """The check without its Python process (the real one is tested in test_labs_pages_b)."""
    assert consent is True
    return CustomResult(kind, "MyDense", (4, 4), None, [], (), "", "# the check", source)


@pytest.fixture
def lab(qtbot, monkeypatch):
    """An editor and the custom layers lab, both on one document (as in the window)."""
    monkeypatch.setattr(page_custom, "check_custom_code", fake_check)
    document = Document(Project(ModelGraph.sequential([3], [("Dense", {"units": 8})], name="model")))
    editor = Editor(document)
    qtbot.addWidget(editor)
    page = page_custom.create(LabContext(project_custom_code=lambda: document.graph.custom_code,
                                         use_custom_code=document.set_custom_code))
    qtbot.addWidget(page)
    yield document, editor, page
    page.runner.wait()


def check(qtbot, page) -> None:
    with qtbot.waitSignal(page.runner.sigResult, timeout=10_000):
        page.run_button.click()


def test_checked_layer_joins_the_palette_and_the_code_and_undo_takes_it_out(qtbot, lab):
    document, editor, page = lab
    assert not page.use_button.isEnabled()  # not checked yet
    check(qtbot, page)
    assert page.use_button.isEnabled()
    page.editor.insertPlainText("# changed after the check\n")
    assert not page.use_button.isEnabled()  # only checked code goes into the project
    page.editor.undo()
    assert page.use_button.isEnabled()

    page.use_button.click()
    assert document.graph.custom_code == LAYER_TEMPLATE
    assert "MyDense" in page.message.text() and "This project" in page.message.text()
    assert is_trusted(LAYER_TEMPLATE) and custom_layers.is_allowed(LAYER_TEMPLATE)
    palette = editor.layer_palette
    assert palette.visible_layers()[0] == "MyDense"
    assert palette.item_for("MyDense").parent().text(0) == "This project"
    assert not editor.custom_bar.isVisibleTo(editor)  # written here: nothing to allow

    editor.add_layer("MyDense")  # a double-click in the palette
    layer = next(layer for layer in document.graph.layers.values() if layer.class_name == "MyDense")
    entry = document.entry("MyDense")
    assert entry.category == "custom" and entry.param("units").default == 4
    assert not catalog.is_known_layer("MyDense")  # the project's class, not everyone's
    code = editor.code_view.code()
    assert "class MyDense(tf.keras.layers.Layer):" in code
    assert f'MyDense(name="{layer.name}")' in code and "tf.keras.layers.MyDense" not in code

    document.undo_stack.undo()  # the layer
    document.undo_stack.undo()  # the code
    assert document.graph.custom_code == ""
    assert "MyDense" not in palette.visible_layers() and document.entry_if_ready("MyDense") is None
    document.undo_stack.redo()
    assert palette.visible_layers()[0] == "MyDense"


def test_a_layer_dragged_from_the_palette_lands_in_the_stack(qtbot, lab):
    document, editor, page = lab
    check(qtbot, page)
    page.use_button.click()
    editor.show()
    qtbot.waitExposed(editor)
    stack = editor.stack_view
    bottom = stack.rect().center()
    bottom.setY(stack.height() - 30)
    assert send_drag(stack, layer_mime("MyDense"), bottom).move_accepted
    order = stack.stack_order()
    assert document.graph.layer_of(order[-1]).class_name == "MyDense"


def test_code_that_drops_a_class_the_model_uses_is_refused(qtbot, lab):
    document, editor, page = lab
    check(qtbot, page)
    page.use_button.click()
    editor.add_layer("MyDense")
    before = document.graph.to_json()

    page.editor.replace_all(SCALE)
    check(qtbot, page)
    errors = []
    document.sigError.connect(errors.append)  # the status bar's source
    page.use_button.click()
    assert document.graph.to_json() == before
    assert "MyDense" in page.message.text() and "does not define" in page.message.text()
    assert errors == []  # said once, in the lab, not again in the status bar

    document.undo_stack.undo()  # without the MyDense layer the new code is accepted
    page.use_button.click()
    assert document.graph.custom_layers().names() == ["MyScale"]
    assert editor.layer_palette.visible_layers()[0] == "MyScale"


def test_open_the_projects_code_in_the_lab(qtbot, lab, monkeypatch):
    document, editor, page = lab
    page.project_button.click()
    assert "no custom layer code" in page.message.text()
    document.edit("code", lambda g: g.set_custom_code(SCALE))  # e.g. from a file: not trusted
    page.project_button.click()
    assert page.editor.toPlainText() == SCALE and page.kind() == "layer"
    assert editor.custom_bar.isVisibleTo(editor)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    page.run_button.click()
    assert answers == [QMessageBox.StandardButton.Yes] and "not run" in page.message.text()
    assert not custom_layers.is_allowed(SCALE)

    check(qtbot, page)  # Yes: the lab runs it, and the editor may run it too
    assert not answers and is_trusted(SCALE) and custom_layers.is_allowed(SCALE)
    assert not editor.custom_bar.isVisibleTo(editor)


# ---------------------------------------------------------------- the window


@pytest.fixture
def window(qtbot, make_window):
    """A window showing the project at ``path`` (see ``make_window`` in conftest.py)."""
    def make(path) -> MainWindow:
        window = make_window()
        with qtbot.waitSignal(window.sigProjectOpened, timeout=TF_TIMEOUT):
            window.open_file(path)
        return window

    return make


def custom_project(tmp_path):
    graph = ModelGraph.sequential([3], [("Dense", {"units": 8}), ("MyDense", {"units": 2})], name="model")
    for layer, name in zip(list(graph.layers.values()), ("dense", "mine")):
        graph.rename_layer(layer.name, name)
    graph.set_custom_code(LAYER_TEMPLATE)
    path = tmp_path / "from_a_friend.tflab"
    save_project(Project(graph), path)
    return path


def report_for(qtbot, window):
    qtbot.waitUntil(lambda: window.shapes.report is not None and not window.shapes.is_waiting(),
                    timeout=TF_TIMEOUT)
    report = window.shapes.report
    return {result.layer: result for result in report.calls.values()}


def test_code_from_another_computer_runs_only_after_the_user_allows_it(qtbot, window, tmp_path):
    win = window(custom_project(tmp_path))
    bar = win.editor.custom_bar
    assert bar.isVisible() and "MyDense" in bar.label.text()
    assert win.action_custom_code.isEnabled()
    assert win.editor.layer_palette.visible_layers()[0] == "MyDense"  # read, not run
    calls = report_for(qtbot, win)
    assert calls["dense"].ok and calls["dense"].output_shapes == [(None, 8)]
    assert isinstance(calls["mine"].error, custom_layers.NotAllowedError)
    assert not custom_layers.is_allowed(LAYER_TEMPLATE)

    win.editor.review_custom_code()  # "Do not run it" changes nothing
    dialog = win.editor.custom_dialog
    assert dialog.code_view.toPlainText() == LAYER_TEMPLATE
    default = [button.text() for button in dialog.findChildren(QPushButton) if button.isDefault()]
    assert default == ["Do not run it"]  # Enter never runs code
    dialog.reject()
    assert bar.isVisible() and not custom_layers.is_allowed(LAYER_TEMPLATE)

    win.action_custom_code.trigger()
    win.editor.custom_dialog.run_button.click()
    assert not bar.isVisible() and is_trusted(LAYER_TEMPLATE)
    qtbot.waitUntil(lambda: not win.shapes.is_waiting() and win.shapes.report.calls and
                    all(r.ok for r in win.shapes.report.calls.values()), timeout=TF_TIMEOUT)
    calls = {result.layer: result for result in win.shapes.report.calls.values()}
    model = build_model(win.document.graph)  # Keras itself, with the same class
    assert calls["mine"].output_shapes == [tuple(model.get_layer("mine").output.shape)] == [(None, 2)]
    assert calls["mine"].params == model.get_layer("mine").count_params() == 8 * 2 + 2


def test_code_written_or_allowed_here_opens_without_a_question(qtbot, window, tmp_path):
    path = custom_project(tmp_path)
    trust(LAYER_TEMPLATE)
    custom_layers.forget_allowed()  # a new session: only the remembered digest is left
    win = window(path)
    assert not win.editor.custom_bar.isVisible()
    calls = report_for(qtbot, win)
    assert calls["mine"].ok and calls["mine"].output_shapes == [(None, 2)]

    other = LAYER_TEMPLATE.replace("units=4", "units=5")  # one character changed: a new question
    assert not is_trusted(other)


def test_the_consent_dialog_shows_every_character_python_runs(qtbot):
    """A long line cannot push a payload out of view, and a right-to-left override cannot
    make a call look like part of a docstring: both show as they run."""
    from ui.editor.custom_code import CustomCodeDialog

    payload = "__import__('os').system('echo pwned')"
    source = LAYER_TEMPLATE + "\nNOTE = 'x'" + " " * 400 + "; " + payload + "\n" \
        + 'TIP = """\u202e ' + '""" ; ' + payload + " #\n" \
        + "# a comment\x0c" + payload + "\n"
    dialog = CustomCodeDialog(source)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = dialog.code_view.toPlainText()
    assert dialog.code_view.lineWrapMode() == dialog.code_view.LineWrapMode.WidgetWidth
    assert dialog.code_view.horizontalScrollBar().maximum() == 0  # nothing hides to the right
    assert "\u202e" not in shown and "\u27e6U+202E\u27e7" in shown
    assert "\u27e6U+000C\u27e7" + payload in shown  # the form feed does not start a new line
    assert shown.count(payload) == 3
    assert dialog.hidden_label.isVisible()
    assert "RIGHT-TO-LEFT OVERRIDE" in dialog.hidden_label.text()
    tip_line = source.split("\n").index(next(line for line in source.split("\n") if line.startswith("TIP"))) + 1
    assert f"line {tip_line}, column 10: U+202E" in dialog.hidden_label.text()


def test_plain_code_shows_unchanged_and_without_a_warning(qtbot):
    from ui.editor.custom_code import CustomCodeDialog

    dialog = CustomCodeDialog(LAYER_TEMPLATE + "# 中文注释\u3000也可以\n")
    qtbot.addWidget(dialog)
    assert dialog.code_view.toPlainText() == LAYER_TEMPLATE + "# 中文注释\u3000也可以\n"
    assert not dialog.hidden_label.isVisibleTo(dialog)
