"""The layer palette: categories, search in both languages, activation, drag data."""

import sys

import pytest
from PySide6.QtCore import Qt

from tflab import catalog, messages
from ui.editor.palette import LAYER_MIME, Palette, layer_from_mime, layer_mime


@pytest.fixture
def palette(qtbot):
    widget = Palette()
    qtbot.addWidget(widget)
    widget.resize(300, 600)
    widget.show()
    return widget


def _top_level(palette: Palette) -> list[str]:
    tree = palette.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_curated_layers_grouped_by_category_without_tensorflow(palette):
    groups = _top_level(palette)
    assert groups[:4] == ["Input", "Core", "Convolution", "Pooling"]
    assert groups[-1] == "All layers"
    assert palette.visible_layers() == [e.class_name for e in sorted(
        catalog.curated_entries() + catalog.operation_entries(), key=lambda e: catalog.CATEGORIES.index(e.category))]
    item = palette.item_for("Dense")
    assert item.parent().text(0) == "Core"
    assert "Fully connected layer" in item.toolTip(0)
    assert "units = 100, activation = relu" in item.toolTip(0)
    everything = palette.tree.topLevelItem(palette.tree.topLevelItemCount() - 1)
    assert everything.child(0).text(0).startswith("Available once TensorFlow")


def test_tensor_operations_are_a_group_of_their_own(palette):
    """keras.ops.add and its kin, next to the layers, found by their Python operator too."""
    item = palette.item_for("ops.add")
    assert item.parent().text(0) == "Tensor operations"
    assert [item.parent().child(i).text(0) for i in range(item.parent().childCount())] == [
        "ops.add", "ops.subtract", "ops.multiply", "ops.divide", "ops.power", "ops.maximum", "ops.minimum",
        "ops.negative", "ops.abs", "ops.square", "ops.sqrt", "ops.exp", "ops.log"]
    assert "keras.ops.add" in item.toolTip(0) and "No weights" in item.toolTip(0)
    palette.set_filter("x1 / x2")
    assert palette.visible_layers() == ["ops.divide"]


def test_palette_does_not_import_tensorflow():
    import subprocess

    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from ui.editor.palette import Palette; Palette(); "
            "print(any(m.split('.')[0] in ('tensorflow', 'keras') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}, cwd=str(_root()))
    assert out.stdout.strip() == "False"


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


def test_search_matches_names_and_descriptions_in_both_languages(palette):
    palette.set_filter("conv")
    assert palette.visible_layers() == ["Conv1D", "Conv2D", "Conv2DTranspose"]
    palette.set_filter("展平")                                   # "flatten" in Chinese descriptions
    assert palette.visible_layers() == ["Flatten"]
    palette.set_filter("fully connected")
    assert palette.visible_layers() == ["Dense"]
    palette.set_filter("batch_normalization")                   # Keras's snake-case name
    assert palette.visible_layers() == ["BatchNormalization"]
    palette.set_filter("zzz no such layer")
    assert palette.visible_layers() == []
    palette.set_filter("")
    assert len(palette.visible_layers()) == len(catalog.curated_entries() + catalog.operation_entries())


def test_typing_in_the_search_box_filters_and_enter_adds_the_first_match(palette, qtbot):
    qtbot.keyClicks(palette.search, "dropout")
    assert palette.visible_layers() == ["Dropout"]
    with qtbot.waitSignal(palette.sigActivated) as signal:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert signal.args == ["Dropout"]


def test_double_click_and_enter_emit_activated(palette, qtbot):
    item = palette.item_for("Conv2D")
    palette.tree.scrollToItem(item)
    rect = palette.tree.visualItemRect(item)
    qtbot.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(palette.sigActivated) as signal:
        qtbot.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == ["Conv2D"]
    palette.tree.setCurrentItem(palette.item_for("LSTM"))
    palette.tree.setFocus()
    with qtbot.waitSignal(palette.sigActivated) as signal:
        qtbot.keyClick(palette.tree, Qt.Key.Key_Return)
    assert signal.args == ["LSTM"]


def test_category_rows_are_not_layers(palette, qtbot):
    activated = []
    palette.sigActivated.connect(activated.append)
    palette.tree.itemActivated.emit(palette.tree.topLevelItem(1), 0)
    assert activated == []


def test_drag_data_carries_the_class_name(palette):
    mime = palette.tree.mimeData([palette.item_for("MaxPooling2D")])
    assert mime.hasFormat(LAYER_MIME)
    assert layer_from_mime(mime) == "MaxPooling2D"
    assert layer_from_mime(layer_mime("Dense")) == "Dense"
    assert palette.item_for("Dense").flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert not palette.tree.topLevelItem(1).flags() & Qt.ItemFlag.ItemIsDragEnabled


def test_descriptions_in_chinese(qtbot):
    messages.set_language("zh")
    widget = Palette()
    qtbot.addWidget(widget)
    item = widget.item_for("Dense")
    assert "全连接层" in item.toolTip(0)
    assert item.parent().text(0) == "核心"


def test_all_layers_once_keras_is_loaded(palette):
    palette.load_all_layers()
    everything = palette.tree.topLevelItem(palette.tree.topLevelItemCount() - 1)
    groups = [everything.child(i).text(0) for i in range(everything.childCount())]
    assert "Preprocessing" in groups
    assert palette.item_for("GaussianNoise") is not None
    assert palette.item_for("Dense").parent().text(0) == "Core"  # curated layers listed once
    palette.set_filter("gaussian noise")
    assert "GaussianNoise" in palette.visible_layers()
    assert not everything.isHidden() and everything.isExpanded()
