"""The image tool and the parameter editors switch language in place.

After View > Language each reads exactly as one built in the new language from the start,
in the same state (a picture and its box, an impossible box and its message, a crop and its
note, a refused parameter value...), and keeps that state.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget

from tests.ui.texts import differences, switch_language, visible_texts
from tflab import imaging, messages
from tflab.catalog import ParamSpec, get_entry, initializers
from tflab.imaging import BoundingBox
from ui.app import language
from ui.imaging import panel
from ui.imaging.panel import ImageTool
from ui.widgets.param_widgets import ObjectEditor, ParamField

BOX = BoundingBox(offset_height=50, offset_width=40, target_height=120, target_width=80)
#: A box past the right edge of the 451-pixel-wide chelsea sample.
TOO_WIDE = BoundingBox(offset_height=50, offset_width=40, target_height=120, target_width=9999)
#: Safety net for a crop on the tool's worker thread (a hang guard only).
CROP_TIMEOUT_MS = 20_000


@pytest.fixture
def no_tensorflow(monkeypatch):
    """Crops slice with NumPy instead of loading TensorFlow: the same pixels, in milliseconds."""
    def crop(request: panel.CropRequest) -> panel.CropResult:
        array = imaging.slice_crop(request.arrays[0], request.box)
        return panel.CropResult(request, array, tuple(request.arrays[0].shape), tuple(array.shape))
    monkeypatch.setattr(panel, "run_crop", crop)


def assert_reads_as_fresh(qtbot, qapp, switched: QWidget, build: Callable[[], QWidget]) -> None:
    """``switched`` (in a state, then switched to the language now chosen) reads as ``build()``
    makes it in that language from the start."""
    fresh = build()
    qtbot.addWidget(fresh)
    assert differences(visible_texts(switched), visible_texts(fresh)) == []


def both_ways(qtbot, qapp, widget: QWidget, build: Callable[[], QWidget]) -> None:
    """Switch ``widget`` to Chinese, then back to English, comparing each time with a fresh one."""
    before = visible_texts(widget)
    switch_language(qapp, language.CHINESE)
    assert messages.language() == "zh"
    assert visible_texts(widget) != before
    assert_reads_as_fresh(qtbot, qapp, widget, build)
    switch_language(qapp, language.ENGLISH)
    assert_reads_as_fresh(qtbot, qapp, widget, build)
    assert visible_texts(widget) == before


# --------------------------------------------------------------------------- image tool


def image_tool(qtbot, box: BoundingBox | None = BOX) -> ImageTool:
    tool = ImageTool()
    tool.resize(1200, 800)
    qtbot.addWidget(tool)
    assert tool.open_sample("chelsea")
    if box is not None:
        tool.set_box(box)
    return tool


def crop(qtbot, tool: ImageTool) -> None:
    with qtbot.waitSignal(tool.sigCropped, timeout=CROP_TIMEOUT_MS):
        tool.crop()


def test_a_picture_and_its_box_read_as_a_fresh_tool_and_stay(qtbot, qapp, no_tensorflow):
    tool = image_tool(qtbot)
    crop(qtbot, tool)
    moved = BoundingBox(offset_height=51, offset_width=40, target_height=120, target_width=80)
    assert tool.set_box(moved)                       # the result is now stale: a note says so

    def build() -> ImageTool:
        fresh = image_tool(qtbot)
        crop(qtbot, fresh)
        fresh.set_box(moved)
        return fresh

    switch_language(qapp, language.CHINESE)
    assert "crop_to_bounding_box" in tool.code_panel.code()
    assert tool.code_panel.lesson.text() == imaging.code_lesson(moved, "zh")
    assert tool.result_panel.note.text() != "The box changed: press Crop again to update the result."
    assert_reads_as_fresh(qtbot, qapp, tool, build)
    switch_language(qapp, language.ENGLISH)
    assert tool.result_panel.note.text() == "The box changed: press Crop again to update the result."
    assert_reads_as_fresh(qtbot, qapp, tool, build)
    assert tool.image_name() == "chelsea" and tool.selection() == moved
    assert tool.result() is not None and tool.result().request.box == BOX
    assert tool.result_panel.picture_count() == 1


def test_an_impossible_box_keeps_its_message_in_the_new_language(qtbot, qapp):
    tool = image_tool(qtbot)
    assert not tool.set_box(TOO_WIDE)
    assert "past the right edge" in tool.box_editor.message.text()

    def build() -> ImageTool:
        fresh = image_tool(qtbot)
        fresh.set_box(TOO_WIDE)
        return fresh

    switch_language(qapp, language.CHINESE)
    assert "超出图片右边缘" in tool.box_editor.message.text()
    assert_reads_as_fresh(qtbot, qapp, tool, build)
    switch_language(qapp, language.ENGLISH)
    assert "past the right edge" in tool.box_editor.message.text()
    assert_reads_as_fresh(qtbot, qapp, tool, build)
    assert tool.selection() == BOX and not tool.crop_button.isEnabled()


def test_a_picture_that_failed_to_open_is_explained_in_the_new_language(qtbot, qapp, tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"this is not a picture")

    def build() -> ImageTool:
        fresh = image_tool(qtbot)
        assert not fresh.open_path(bad)
        return fresh

    tool = build()
    assert "not a picture" in tool.message.text()
    both_ways(qtbot, qapp, tool, build)
    assert tool.image_name() == "chelsea" and tool.selection() == BOX


def test_a_failed_crop_is_explained_in_the_new_language(qtbot, qapp, monkeypatch):
    def broken(request):
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(panel, "run_crop", broken)

    def build() -> ImageTool:
        fresh = image_tool(qtbot)
        with qtbot.waitSignal(fresh.sigCropFailed, timeout=CROP_TIMEOUT_MS):
            fresh.crop()
        return fresh

    tool = build()
    assert "out of cheese" in tool.message.text()
    both_ways(qtbot, qapp, tool, build)
    assert "out of cheese" in tool.message.text()


def test_the_move_tooltip_on_the_box_follows_the_language(qtbot, qapp):
    tool = image_tool(qtbot)
    tool.show()
    qtbot.waitExposed(tool)
    tool.view.set_zoom(4.0)
    tool.view.centerOn(110, 90)
    inside = tool.view.mapFromScene(100, 80)
    qtbot.mouseMove(tool.view.viewport(), pos=inside)
    english = tool.view.viewport().toolTip()
    assert "Ctrl+drag" in english
    switch_language(qapp, language.CHINESE)
    chinese = tool.view.viewport().toolTip()
    assert chinese and chinese != english
    qtbot.mouseMove(tool.view.viewport(), pos=inside + type(inside)(1, 0))   # as moving would write it
    assert tool.view.viewport().toolTip() == chinese
    switch_language(qapp, language.ENGLISH)
    assert tool.view.viewport().toolTip() == english


# --------------------------------------------------------------------------- parameter editors


def activation_field(qtbot) -> ParamField:
    """Dense's activation as the inspector shows it: tflab starts it at relu (Keras: None)."""
    spec = get_entry("Dense").param("activation")
    field = ParamField(spec)
    qtbot.addWidget(field)
    field.set_starting_value("relu")
    field.set_value("relu", True)
    return field


def test_a_parameter_field_reads_as_a_fresh_one_with_its_value(qtbot, qapp):
    field = activation_field(qtbot)
    assert field.starting_note
    both_ways(qtbot, qapp, field, lambda: activation_field(qtbot))
    assert field.value() == "relu" and field.is_set()
    assert field.reset_button.isVisibleTo(field)


def refused_units(qtbot) -> ParamField:
    field = ParamField(get_entry("Dense").param("units"))
    qtbot.addWidget(field)
    field.set_value(10, True)
    field.editor.box.text_field().setText("-3")
    field.editor.sigEdited.emit()              # as typing does
    return field


def test_a_refused_value_keeps_its_reason_in_the_new_language(qtbot, qapp):
    field = refused_units(qtbot)
    assert field.error()
    both_ways(qtbot, qapp, field, lambda: refused_units(qtbot))
    assert field.value() == 10 and field.editor.box.text() == "-3" and field.error()


def yes_no_field(qtbot) -> ParamField:
    field = ParamField(get_entry("Dense").param("use_bias"))
    qtbot.addWidget(field)
    field.set_value(False, True)
    return field


def test_a_check_box_says_yes_or_no_in_the_new_language(qtbot, qapp):
    field = yes_no_field(qtbot)
    assert field.editor.check.text() == "No"
    both_ways(qtbot, qapp, field, lambda: yes_no_field(qtbot))
    assert field.value() is False and not field.editor.check.isChecked()


INITIALIZER = ParamSpec("initializer", "initializer", "glorot_uniform")


def initializer_editor(qtbot) -> ObjectEditor:
    editor = ObjectEditor(INITIALIZER)
    qtbot.addWidget(editor)
    editor.display(initializers.make_initializer("RandomNormal", stddev=0.5))
    return editor


def test_an_initializer_editor_describes_its_classes_in_the_new_language(qtbot, qapp):
    editor = initializer_editor(qtbot)
    about = editor._about.text()
    assert about == initializers.initializer_spec("RandomNormal").describe("en")
    both_ways(qtbot, qapp, editor, lambda: initializer_editor(qtbot))
    assert editor.candidate() == initializers.make_initializer("RandomNormal", stddev=0.5)
    switch_language(qapp, language.CHINESE)
    assert editor._about.text() == initializers.initializer_spec("RandomNormal").describe("zh")
    assert editor.argument_field("stddev").value() == 0.5
