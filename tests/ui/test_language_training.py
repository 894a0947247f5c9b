"""The Training tab switched to another language in place reads as one built in that
language, and keeps everything the user did: settings, data, curves, results, selections."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from tests.test_named_data import arrays, two_way_graph
from tests.ui.test_training_panel import WAIT, XOR, curve, mlp, run_to_end
from tests.ui.texts import differences, switch_language, visible_texts
from ui.app import language


@pytest.fixture
def chinese(qapp):
    """Switch the interface to Chinese in place (back to English: see ``switch_back``)."""
    def switch():
        switch_language(qapp, language.CHINESE)
    return switch


def switch_back(qapp) -> None:
    switch_language(qapp, language.ENGLISH)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def point_at(plot, x: float) -> QPointF:
    """The scene position of ``x`` at the middle height of ``plot``."""
    return plot.vb.mapViewToScene(QPointF(x, sum(plot.vb.viewRange()[1]) / 2))


def without(texts: dict[str, str], *values: str) -> dict[str, str]:
    """``texts`` less those that read ``values`` (texts of the moment: a time taken)."""
    return {key: value for key, value in texts.items() if value not in values}


def test_after_a_run_the_curves_results_and_messages_switch_and_stay(qtbot, qapp, make_panel, chinese):
    panel = make_panel(mlp(), XOR)
    assert run_to_end(qtbot, panel) == "finished"
    qtbot.waitUntil(lambda: panel.curves.step_count() == 18 and panel.learned.predictions is not None, timeout=WAIT)
    panel.tabs.setCurrentWidget(panel.learned)
    panel.learned.choose_cell(0, 0)  # the user looks at one cell's samples
    panel.tabs.setCurrentWidget(panel.curves.parentWidget())
    qtbot.waitUntil(lambda: len(curve(panel.curves.step_items["loss"])[1]) == 18, timeout=WAIT)
    scene = panel.curves.graphics.scene()
    scene.sigMouseMoved.emit(point_at(panel.curves.step_plot, 5.2))
    assert panel.curves.readout.text().startswith("step 5: loss")
    losses = curve(panel.curves.step_items["loss"])[1].copy()
    evaluated = panel._evaluated
    settings = panel.training_settings()
    gallery_first = panel.learned.gallery.item(0)
    english = visible_texts(panel)
    assert "Finished in" in panel.message.text() and "Epoch 2/2" in panel.progress_label.text()

    chinese()
    switched = visible_texts(panel)
    # Nothing the user did or got is lost: the same curves, results, settings and choices.
    assert np.array_equal(curve(panel.curves.step_items["loss"])[1], losses)
    assert panel._evaluated == evaluated and panel.evaluation.isVisible()
    assert panel.training_settings() == settings
    assert panel.learned.cell == (0, 0) and panel.learned.gallery.item(0) is gallery_first
    assert set(panel.curves.epoch_items) == {"train/loss", "validation/loss", "train/accuracy",
                                             "validation/accuracy"}
    # The texts of the moment are in Chinese too.
    for text in (panel.message.text(), panel.progress_label.text(), panel.evaluation.text(),
                 panel.curves.readout.text(), panel.learned.gallery_title.text(),
                 panel.curves.step_plot.titleLabel.text, panel.curves.step_plot.getAxis("bottom").labelText,
                 panel.curves.epoch_plot.legend.getLabel(panel.curves.epoch_items["validation/loss"]).text):
        assert has_chinese(text), text

    # It reads as a panel built in Chinese showing the same results.
    fresh = make_panel(mlp(), XOR)
    fresh._prepared = panel._prepared  # the model built (its loss is in the code shown)
    fresh._update_code()
    show_the_same_results(fresh, panel)
    fresh.tabs.setCurrentWidget(fresh.learned)
    fresh.learned.choose_cell(0, 0)
    fresh.tabs.setCurrentWidget(fresh.curves.parentWidget())
    qtbot.waitUntil(lambda: len(curve(fresh.curves.step_items["loss"])[1]) == 18, timeout=WAIT)
    qtbot.waitUntil(lambda: fresh.runs_list.count() == 1, timeout=WAIT)  # listed on the log lane
    fresh.curves.graphics.scene().sigMouseMoved.emit(point_at(fresh.curves.step_plot, 5.2))
    moment = (panel.message.text(), panel.progress_label.text(), fresh.message.text(), fresh.progress_label.text())
    assert differences(without(switched, *moment), without(visible_texts(fresh), *moment)) == []

    # And back in English it reads exactly as before.
    switch_back(qapp)
    assert differences(visible_texts(panel), english) == []


def test_data_that_cannot_be_loaded_and_the_refusal_are_explained_in_the_new_language(
        qtbot, qapp, make_panel, chinese, tmp_path):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")

    def failed_panel():
        panel = make_panel(mlp(), XOR)
        panel.data_panel.set_path(str(broken))
        qtbot.waitUntil(lambda: panel.data_panel.load_error is not None, timeout=WAIT)
        assert run_to_end(qtbot, panel) == "refused"
        return panel

    panel = failed_panel()
    english = visible_texts(panel)
    reason = panel.data_panel.load_error

    chinese()
    assert panel.data_panel.spec() == str(broken) and panel.data_panel.load_error is reason
    assert has_chinese(panel.data_panel.info.text()) and has_chinese(panel.message.text())
    assert has_chinese(panel.data_panel.preview_widget.elements.toPlainText())
    assert differences(visible_texts(panel), visible_texts(failed_panel())) == []

    switch_back(qapp)
    assert differences(visible_texts(panel), english) == []


def test_a_data_set_chosen_from_the_list_keeps_its_settings_and_reads_as_built_in_chinese(
        qtbot, qapp, make_panel, chinese):
    def spiral_panel():
        panel = make_panel(mlp(), XOR)
        data = panel.data_panel
        with qtbot.waitSignal(data.sigLoaded, timeout=WAIT):
            data.source.setCurrentIndex(data.source.findData("spiral"))
            data.source.activated.emit(data.source.currentIndex())
        with qtbot.waitSignal(data.sigLoaded, timeout=WAIT):
            data.samples.setValue(300)  # typed by the user
        return panel

    panel = spiral_panel()
    english = visible_texts(panel)
    settings = panel.training_settings()

    chinese()
    data = panel.data_panel
    assert data.source.currentData() == "spiral" and data.samples.value() == 300
    assert panel.training_settings() == settings
    assert has_chinese(data.source.currentText()) and has_chinese(data.info.text())
    assert has_chinese(panel.loop_view.toPlainText())  # the code's comments follow the language
    assert differences(visible_texts(panel), visible_texts(spiral_panel())) == []

    switch_back(qapp)
    assert differences(visible_texts(panel), english) == []


def test_named_arrays_and_each_outputs_settings_switch_in_place(qtbot, qapp, make_panel, chinese, tmp_path):
    path = tmp_path / "two_way.npz"
    np.savez(path, **arrays(400), notes=np.zeros(400))

    def named_panel():
        panel = make_panel(two_way_graph(), {"dataset": str(path)})
        panel.outputs_table.set_metrics("score", ["mse"])
        return panel

    panel = named_panel()
    english = visible_texts(panel)
    settings = panel.outputs_table.settings()

    chinese()
    assert panel.outputs_table.settings() == settings
    assert has_chinese(panel.data_panel.info.text()) and has_chinese(panel.compile_label.text())
    assert differences(visible_texts(panel), visible_texts(named_panel())) == []

    switch_back(qapp)
    assert differences(visible_texts(panel), english) == []


def show_the_same_results(fresh, panel) -> None:
    """Put on ``fresh`` the curves, results and progress ``panel`` shows (as a run would)."""
    fresh.curves.clear()
    losses, start = panel.curves._losses.values(), 0
    for index, epoch in enumerate(panel.curves._epochs):
        end = panel.curves._epoch_steps[index]
        fresh.curves.add_steps(losses[start:end])
        start = end
        parts: dict[str, dict[str, float]] = {"train": {}, "validation": {}}
        for key, series in panel.curves._epoch_values.items():
            part, _, metric = key.partition("/")
            if not math.isnan(series[index]):
                parts[part][metric] = series[index]
        fresh.curves.add_epoch(epoch, parts["train"], parts["validation"])
    fresh.curves.add_steps(losses[start:])
    fresh._epoch_offset = panel._epoch_offset
    fresh.learned.set_predictions(panel.learned.predictions)
    fresh.inside.set_activations(panel.inside.activations)
    fresh._write_evaluation(*panel._evaluated)
    fresh.progress.setRange(panel.progress.minimum(), panel.progress.maximum())
    fresh.progress.setValue(panel.progress.value())
