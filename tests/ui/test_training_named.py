"""The Training tab with a model of two inputs and two outputs, trained on named arrays."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.test_named_data import arrays, two_way_graph
from tests.ui.test_training_panel import WAIT, curve, run_to_end

NAMES = {"digit", "score"}


def named_file(tmp_path, **changes):
    data = {**arrays(400), **changes}
    path = tmp_path / "two_way.npz"
    np.savez(path, **data)
    return path


def test_the_data_panel_shows_which_array_feeds_which_input_and_output(qtbot, make_panel, tmp_path):
    panel = make_panel(two_way_graph(), {"dataset": str(named_file(tmp_path, notes=np.zeros(400)))})
    text = panel.data_panel.info.text()
    assert "400 samples in 5 named arrays" in text
    assert "image (8,) → input 'image'" in text and "meta (2,) → input 'meta'" in text
    assert "digit → labels of the output 'digit'" in text and "not used: notes" in text
    assert panel.outputs_table.isVisible() and set(panel.outputs_table.names()) == NAMES
    assert not panel.loss.isVisible() and not panel.metric_checks["accuracy"].isVisible()
    assert not panel.data_panel.task.isVisible()  # "Labels are:" is for x and y, not named arrays
    assert 'loss={"digit": ..., "score": ...}' in panel.compile_label.text()
    assert panel.document.undo_stack.isClean()  # showing the data changed nothing in the project

    # Renaming an input in the editor shows at once that no array feeds it.
    graph = panel.document.project.graph
    graph.set_input(graph.inputs[0].id, name="picture")
    panel.document.sigChanged.emit()
    assert "no array named 'picture' for the input 'picture'" in panel.data_panel.info.text()


def test_a_two_output_model_trains_with_a_weight_per_output_and_shows_each_outputs_curves(
        qtbot, make_panel, tmp_path):
    panel = make_panel(two_way_graph(), {"dataset": str(named_file(tmp_path)), "epochs": 3,
                                         "learning_rate": 0.01})
    weight = panel.outputs_table._rows["score"][2]
    weight.setValue(0.5)  # as typed: a change of the project's settings
    assert panel.document.project.training["outputs"]["score"] == {"weight": 0.5}
    panel.outputs_table.set_metrics("digit", ["accuracy", "auc"])
    assert panel.document.project.training["outputs"]["digit"] == {"weight": 1.0, "metrics": ["accuracy", "auc"]}
    assert panel.outputs_table._rows["digit"][3].text() == "accuracy, auc"
    assert panel.outputs_table._rows["score"][3].text() == "automatic"
    with qtbot.waitSignal(panel.sigEvaluated, timeout=WAIT) as evaluated:
        assert run_to_end(qtbot, panel) == "finished"
    results = evaluated.args[0]
    assert set(results) == {"loss", "digit_loss", "digit_accuracy", "digit_auc", "score_loss", "score_mae"}
    assert results["loss"] == pytest.approx(results["digit_loss"] + 0.5 * results["score_loss"], rel=1e-4)
    for key in ("train/digit_accuracy", "validation/score_mae", "train/digit_loss"):
        epochs, values = curve(panel.curves.epoch_items[key])
        assert list(epochs) == [1, 2, 3] and np.isfinite(values).all(), key
    code = panel.compile_label.text()
    assert '"digit": "sparse_categorical_crossentropy",\n        "score": "mse",' in code
    assert 'loss_weights={"digit": 1, "score": 0.5}' in code
    assert "loss_fns[name](y[name], predictions[name])" in panel.loop_view.toPlainText()
    assert "digit_accuracy" in panel.evaluation.text()

    # Undo brings the metrics back to automatic, in the table too.
    panel.document.undo_stack.undo()
    assert panel.outputs_table._rows["digit"][3].text() == "automatic"


def test_arrays_that_do_not_fit_are_refused_before_training_and_nothing_is_lost(qtbot, make_panel, tmp_path):
    data = named_file(tmp_path, digit=np.full(400, 7))
    panel = make_panel(two_way_graph(), {"dataset": str(data)})
    before = panel.document.project.graph.to_json()
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "go from 7 to 7" in panel.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=WAIT)
    assert panel.document.project.graph.to_json() == before
