"""The Training tab: real (short) training runs driven through the panel's buttons."""

from __future__ import annotations

import csv
import gc
import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tflab.graph import ModelGraph
from tflab.project import Project
from tflab.session import contour_segments
from tflab.trainer import Started, TrainConfig
from tflab.training_code import compile_code
from ui.app.main_window import MainWindow
from ui.core.document import Document
from ui.training.panel import TrainingPanel

WAIT = 180_000  # ms; only a guard against a hang on a busy machine, never a speed requirement
TRAIN_KEYS = set(TrainConfig.__dataclass_fields__)


def mlp(units: int = 2, activation: str = "softmax", hidden: int = 8, inputs: tuple = (2,)) -> ModelGraph:
    return ModelGraph.sequential(inputs, [("Dense", {"units": hidden, "activation": "tanh"}),
                                          ("Dense", {"units": units, "activation": activation})])


XOR = {"dataset": "xor", "data_options": {"n_samples": 200, "noise": 0.1, "seed": 0},
       "epochs": 2, "batch_size": 16, "learning_rate": 0.05}


def run_to_end(qtbot, panel: TrainingPanel) -> str:
    """Click Start and wait for the run to end and the panel to be idle (the past runs
    listed again, on the log lane); returns how it ended."""
    with qtbot.waitSignal(panel.sigRunEnded, timeout=WAIT) as ended:
        qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "idle" and not panel.listing_runs(), timeout=WAIT)
    return ended.args[0]


def start_long_run(qtbot, panel: TrainingPanel) -> None:
    """Click Start and wait until this run's first steps have arrived."""
    before = panel.curves.step_count()
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.curves.step_count() > before and panel.state == "running", timeout=WAIT)


def stop_run(qtbot, panel: TrainingPanel) -> None:
    with qtbot.waitSignal(panel.sigRunEnded, timeout=WAIT) as ended:
        qtbot.mouseClick(panel.stop_button, Qt.LeftButton)
    assert ended.args == ["stopped"]
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=WAIT)


def curve(item) -> tuple[np.ndarray, np.ndarray]:
    """A curve's points; none before the plot's timer first draws it (pyqtgraph says None)."""
    x, y = item.getData()
    return np.asarray(x if x is not None else []), np.asarray(y if y is not None else [])


# ---------------------------------------------------------------------------- a whole run
def test_a_short_run_draws_every_step_and_epoch_and_evaluates_on_the_test_data(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    with qtbot.waitSignal(panel.sigEvaluated, timeout=WAIT) as evaluated:
        assert run_to_end(qtbot, panel) == "finished"
    steps_per_epoch = math.ceil(140 / 16)  # 200 points: 70 % train
    qtbot.waitUntil(lambda: len(curve(panel.curves.step_items["loss"])[1]) == 2 * steps_per_epoch, timeout=WAIT)

    x, losses = curve(panel.curves.step_items["loss"])
    assert list(x) == list(range(1, 2 * steps_per_epoch + 1))
    assert np.isfinite(losses).all() and (losses > 0).all()
    mean_x, means = curve(panel.curves.step_items["mean"])
    assert list(mean_x) == list(x) and means[0] == pytest.approx(losses[0])
    assert means[-1] == pytest.approx(losses[-20:].mean())
    for key in ("train/loss", "validation/loss", "train/accuracy", "validation/accuracy"):
        epochs, values = curve(panel.curves.epoch_items[key])
        assert list(epochs) == [1, 2] and np.isfinite(values).all(), key

    assert panel.progress.value() == panel.progress.maximum() == 2 * steps_per_epoch
    assert "Epoch 2/2" in panel.progress_label.text()
    assert set(evaluated.args[0]) == {"loss", "accuracy"}
    assert panel.evaluation.isVisible()
    assert "model.evaluate(x_test, y_test)" in panel.evaluation.text() and "accuracy" in panel.evaluation.text()
    assert panel.boundary.grid is not None and panel.boundary.grid.shape == (120, 120)

    # Evaluate on demand gives the same numbers: the weights did not change since the end.
    panel.evaluation.setText("")
    with qtbot.waitSignal(panel.sigEvaluated, timeout=WAIT) as again:
        qtbot.mouseClick(panel.evaluate_button, Qt.LeftButton)
    assert again.args[0] == pytest.approx(evaluated.args[0])
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=WAIT)
    assert "accuracy" in panel.evaluation.text()


def test_the_settings_are_saved_in_the_project_and_the_code_follows_them(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    panel.momentum.setValue(0.9)
    panel.learning_rate.setValue(0.1)
    panel.metric_checks["auc"].setChecked(True)
    panel.batch_size.setValue(8)
    panel.data_panel.validation.setValue(25)

    saved = panel.document.project.training
    assert saved["dataset"] == "xor" and saved["data_options"]["n_samples"] == 200
    assert "loss" not in saved  # automatic: chosen from the model when training starts
    config = TrainConfig.from_dict({k: v for k, v in saved.items() if k in TRAIN_KEYS})
    assert (config.optimizer, config.momentum, config.learning_rate) == ("sgd", 0.9, 0.1)
    assert config.metrics == ["accuracy", "auc"] and config.batch_size == 8 and config.validation == 0.25
    code = panel.compile_label.text()
    assert "tf.keras.optimizers.SGD(" in code and "learning_rate=0.1, momentum=0.9)" in code
    assert "batch_size=8" in panel.fit_label.text()
    assert ".batch(8)" in panel.data_panel.preview_widget.code.toPlainText()

    panel.loss.setCurrentIndex(panel.loss.findData("sparse_categorical_crossentropy"))
    panel.loss.activated.emit(panel.loss.currentIndex())
    assert panel.document.project.training["loss"] == "sparse_categorical_crossentropy"
    assert 'loss="sparse_categorical_crossentropy"' in panel.compile_label.text()


def test_the_training_code_follows_the_english_comments_setting(qtbot, make_panel):
    """Chinese interface: the loop and the pipeline have Chinese comments, unless English
    comments are asked for (the Code tab's setting), at once."""
    from tflab import messages
    from ui.core.code_comments import set_english_comments

    def chinese(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    panel = make_panel(mlp(), {**XOR, "loss": "sparse_categorical_crossentropy"})
    messages.set_language("zh")
    panel._update_code()
    assert chinese(panel.loop_view.toPlainText())
    assert chinese(panel.data_panel.preview_widget.code.toPlainText())
    set_english_comments(True)
    assert "optimizer" in panel.loop_view.toPlainText() and not chinese(panel.loop_view.toPlainText())
    assert not chinese(panel.data_panel.preview_widget.code.toPlainText())
    set_english_comments(False)
    assert chinese(panel.loop_view.toPlainText())


def test_a_project_with_saved_settings_shows_them(qtbot, make_panel):
    training = {"dataset": "iris", "optimizer": "rmsprop", "learning_rate": 0.003, "epochs": 7,
                "batch_size": 12, "metrics": ["accuracy", "precision"], "loss": "sparse_categorical_crossentropy",
                "validation": 0.3, "test": 0.2, "seed": 5}
    panel = make_panel(mlp(units=3, inputs=(4,)), training)
    assert panel.optimizer.currentData() == "rmsprop" and panel.learning_rate.value() == pytest.approx(0.003)
    assert panel.epochs.value() == 7 and panel.batch_size.value() == 12
    assert [k for k, c in panel.metric_checks.items() if c.isChecked()] == ["accuracy", "precision"]
    assert panel.loss.currentData() == "sparse_categorical_crossentropy"
    assert (panel.data_panel.validation.value(), panel.data_panel.test.value(), panel.data_panel.seed.value()) == (
        30, 20, 5)
    assert "CC BY 4.0" in panel.data_panel.info.text()  # the licence is shown
    assert panel.document.project.training == training  # showing settings changes nothing


def test_opening_a_project_with_the_same_settings_leaves_the_shown_code_alone(qtbot, make_panel, monkeypatch):
    """Each line of code shown is highlighted by a call into Python: the training code was
    set again, unchanged, when a project opened, while the workers were busy with it. Code
    that changes is still shown."""
    from tflab.project import Project
    from ui.widgets.code import PythonHighlighter

    highlighted = []
    original = PythonHighlighter.highlightBlock
    monkeypatch.setattr(PythonHighlighter, "highlightBlock",  # (before any is made: Qt looks once)
                        lambda self, text: (highlighted.append(text), original(self, text))[1])
    training = {"dataset": "iris", "epochs": 3, "batch_size": 12}
    panel = make_panel(mlp(units=3, inputs=(4,)), training)
    loop, pipeline = panel.loop_view.toPlainText(), panel.data_panel.preview_widget.code.toPlainText()
    assert highlighted
    highlighted.clear()
    panel.document.replace_project(Project(mlp(units=3, inputs=(4,)), dict(training)), None)
    assert panel.loop_view.toPlainText() == loop and panel.data_panel.preview_widget.code.toPlainText() == pipeline
    assert highlighted == []
    panel.document.replace_project(Project(mlp(units=3, inputs=(4,)), {**training, "batch_size": 20}), None)
    assert "batch_size=20" in panel.loop_view.toPlainText() and highlighted


def test_compile_code_writes_the_loss_object_when_the_model_gives_logits():
    config = {"optimizer": "adam", "learning_rate": 0.001, "metrics": ["accuracy"]}
    code = compile_code(config, "sparse_categorical_crossentropy", from_logits=True)
    assert "tf.keras.losses.SparseCategoricalCrossentropy(\n        from_logits=True)" in code
    assert compile_code(config, "mse", from_logits=None).count('loss="mse"') == 1


def test_the_decision_line_is_where_the_probability_crosses_one_half():
    xs = np.linspace(-1.0, 1.0, 41)
    x, y = np.meshgrid(xs, xs)
    circle = contour_segments(1 / (1 + np.exp(-8 * (x**2 + y**2 - 0.25))), (-1, 1, -1, 1))
    radii = np.hypot(circle[..., 0], circle[..., 1])
    assert len(circle) > 20 and np.abs(radii - 0.5).max() < 0.01
    line = contour_segments(np.where(x > 0.3, 0.9, 0.1), (-1, 1, -1, 1))
    assert np.allclose(line[..., 0], 0.3, atol=0.05) and np.ptp(line[..., 1]) == pytest.approx(2.0)
    saddle = contour_segments(np.array([[0.9, 0.1], [0.1, 0.9]]), (0, 1, 0, 1))
    assert saddle.shape == (2, 2, 2)


# ---------------------------------------------------------------------------- control
def test_stop_mid_run_then_start_again_goes_on_from_the_weights_reached(qtbot, make_panel):
    panel = make_panel(mlp(), {**XOR, "epochs": 100_000})
    counts = []
    for _ in range(3):
        start_long_run(qtbot, panel)
        stop_run(qtbot, panel)
        assert "Stopped at epoch" in panel.message.text()
        counts.append(panel.curves.step_count())
    assert counts[0] < counts[1] < counts[2]  # each run adds to the same curves: same model
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert panel.reset_button.isEnabled()

    panel.epochs.setValue(1)
    assert run_to_end(qtbot, panel) == "finished"
    assert panel.curves.step_count() > counts[2]


def test_pause_holds_the_run_and_resume_lets_it_go_on(qtbot, make_panel):
    panel = make_panel(mlp(), {**XOR, "epochs": 100_000})
    start_long_run(qtbot, panel)
    qtbot.mouseClick(panel.pause_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "paused", timeout=WAIT)
    assert panel.pause_button.text() == "Resume"
    count = panel.curves.step_count()
    qtbot.wait(300)
    assert panel.curves.step_count() == count  # nothing trains while paused
    qtbot.mouseClick(panel.pause_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.curves.step_count() > count, timeout=WAIT)
    assert panel.state == "running"
    qtbot.mouseClick(panel.pause_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "paused", timeout=WAIT)
    stop_run(qtbot, panel)  # Stop also ends a paused run


def test_reset_weights_starts_over_from_the_same_initial_weights(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    run_to_end(qtbot, panel)
    qtbot.waitUntil(lambda: panel.curves.step_count() == 18, timeout=WAIT)
    first = curve(panel.curves.step_items["loss"])[1].copy()
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert panel.curves.step_count() == 0
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=WAIT)
    run_to_end(qtbot, panel)
    qtbot.waitUntil(lambda: panel.curves.step_count() == 18, timeout=WAIT)
    assert curve(panel.curves.step_items["loss"])[1] == pytest.approx(first, rel=1e-4)


# ---------------------------------------------------------------------------- refusals and failures
def test_a_model_that_does_not_fit_the_data_is_refused_before_starting(qtbot, make_panel):
    panel = make_panel(mlp(units=3), XOR)
    assert run_to_end(qtbot, panel) == "refused"
    assert panel.message.kind == "error"
    assert "Training cannot start" in panel.message.text()
    assert "3 output unit(s)" in panel.message.text() and "2 classes" in panel.message.text()
    assert "Set the units of the last Dense layer to 2" in panel.message.text()
    assert panel.curves.step_count() == 0 and not panel.evaluate_button.isEnabled()


def test_a_graph_with_errors_is_refused_with_the_reason(qtbot, make_panel):
    graph = ModelGraph("model")
    graph.add_input((2,), "input")
    panel = make_panel(graph, XOR)
    assert run_to_end(qtbot, panel) == "refused"
    assert "no output" in panel.message.text()


def test_a_loss_that_turns_nan_stops_the_run_with_advice(qtbot, make_panel, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2))
    y = 1000 * (x[:, 0] - 2 * x[:, 1]) + rng.normal(0, 0.1, 64)
    data = tmp_path / "line.csv"
    data.write_text("x1,x2,y\n" + "".join(f"{a:.6f},{b:.6f},{t:.6f}\n" for (a, b), t in zip(x, y)))
    training = {"dataset": str(data), "data_options": {"label_column": "y", "task": "regression"},
                "optimizer": "sgd", "learning_rate": 5.0, "loss": "mse", "metrics": [], "epochs": 100,
                "batch_size": 8, "validation": 0.0, "test": 0.0}
    panel = make_panel(mlp(units=1, activation="linear"), training)
    assert run_to_end(qtbot, panel) == "failed"
    text = panel.message.text()
    assert panel.message.kind == "error"
    assert "NaN" in text or "infinite" in text
    assert "Lower the learning rate" in text
    assert panel.start_button.isEnabled()


# ---------------------------------------------------------------------------- closing
def test_closing_the_panel_mid_run_stops_and_joins_the_thread(qtbot, make_panel):
    panel = make_panel(mlp(), {**XOR, "epochs": 100_000})
    start_long_run(qtbot, panel)
    panel.close()
    assert not panel._training_thread.is_running()


def test_closing_the_panel_while_paused_stops_and_joins_the_thread(qtbot, make_panel):
    panel = make_panel(mlp(), {**XOR, "epochs": 100_000})
    start_long_run(qtbot, panel)
    qtbot.mouseClick(panel.pause_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "paused", timeout=WAIT)
    panel.close()
    assert not panel._training_thread.is_running()


def test_a_panel_destroyed_without_closing_still_stops_its_threads(qtbot, tmp_path):
    def training_panel_threads() -> list:
        """Start a long run in a panel that nothing refers to afterwards; return its threads."""
        panel = TrainingPanel(Document(Project(mlp(), {**XOR, "epochs": 100_000})))
        panel.set_logdir(str(tmp_path / "runs"))
        panel.show()
        qtbot.waitUntil(lambda: panel.data_panel.dataset is not None, timeout=WAIT)
        start_long_run(qtbot, panel)
        return [panel._training_thread.thread, panel._log_lane.thread, panel.data_panel._lane.thread]

    threads = training_panel_threads()
    gc.collect()  # the panel goes without shutdown(): its destroyed signal joins the threads
    assert not any(thread.isRunning() for thread in threads)


def test_closing_the_window_mid_run_stops_the_training_thread(qtbot):
    window = MainWindow()
    window.document.replace_project(Project(mlp(), {**XOR, "epochs": 100_000}), None)
    window.show()
    qtbot.waitExposed(window)
    panel = window.training
    window.tabs.setCurrentWidget(panel)
    start_long_run(qtbot, panel)  # waits for TensorFlow to load, then trains
    window.close()
    assert not panel._training_thread.is_running()
    window.deleteLater()


# ---------------------------------------------------------------------------- logs, overlays, export
def test_past_runs_are_listed_and_laid_over_the_curves(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    run_to_end(qtbot, panel)
    qtbot.waitUntil(lambda: panel.runs_list.count() == 1, timeout=WAIT)  # listed on the log lane
    item = panel.runs_list.item(0)
    assert item.text().endswith("-xor")
    item.setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: panel.curves.overlay_names() == [item.text()], timeout=WAIT)
    overlays = panel.curves._overlays[item.text()]
    step_losses = [i for plot, i in overlays if plot is panel.curves.step_plot]
    assert len(step_losses) == 1
    x, y = curve(step_losses[0])
    assert len(x) == 18 and y == pytest.approx(curve(panel.curves.step_items["loss"])[1], rel=1e-5)
    assert sum(plot is panel.curves.epoch_plot for plot, _ in overlays) == 2  # train and validation loss
    item.setCheckState(Qt.Unchecked)
    assert panel.curves.overlay_names() == []

    run_to_end(qtbot, panel)
    qtbot.waitUntil(lambda: panel.runs_list.count() == 2, timeout=WAIT)
    assert panel.curves.overlay_names() == []


def test_the_log_folder_is_listed_off_the_windows_thread(qtbot, make_panel, tmp_path, monkeypatch):
    """The Training tab listed its log folder (a walk of every run, a stat of every event
    file) on the window's thread each time it was shown: a log folder on a network share
    that is slow to answer froze the window. It is listed on the log lane now."""
    import threading

    from ui.training import panel as panel_module

    listed_on = []
    real = panel_module.list_runs
    monkeypatch.setattr(panel_module, "list_runs", lambda logdir: (
        listed_on.append(threading.current_thread()), real(logdir))[1])
    panel = make_panel(mlp(), XOR)
    run_to_end(qtbot, panel)
    listed_on.clear()
    with qtbot.waitSignal(panel.sigRunsListed, timeout=WAIT):
        panel.hide()
        panel.show()  # the tab shown again: the list is read again
    assert listed_on and threading.main_thread() not in listed_on
    assert panel.runs_list.count() == 1


def test_csv_and_png_export_hold_the_curves(qtbot, make_panel, tmp_path, monkeypatch):
    """Both are written on a lane (a folder that does not answer never holds the window)."""
    import threading

    from ui.training import curves

    writers = []
    for name in ("atomic_write_text", "_save_png"):
        real = getattr(curves, name)
        monkeypatch.setattr(curves, name, lambda *a, _real=real, **k: (
            writers.append(threading.current_thread()), _real(*a, **k))[1])
    panel = make_panel(mlp(), XOR)
    run_to_end(qtbot, panel)
    qtbot.waitUntil(lambda: panel.curves.step_count() == 18, timeout=WAIT)
    target = tmp_path / "curves.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(panel.curves.sigStatus, timeout=WAIT):
        qtbot.mouseClick(panel.curves.csv_button, Qt.LeftButton)
    rows = list(csv.DictReader(target.read_text().splitlines()))
    assert len(rows) == 18
    losses = curve(panel.curves.step_items["loss"])[1]
    assert [float(r["loss"]) for r in rows] == pytest.approx(losses)
    ends = [r for r in rows if r["epoch"]]
    assert [(r["step"], r["epoch"]) for r in ends] == [("9", "1"), ("18", "2")]
    validation = curve(panel.curves.epoch_items["validation/accuracy"])[1]
    assert [float(r["validation_accuracy"]) for r in ends] == pytest.approx(validation)

    picture = tmp_path / "curves.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "curves"), ""))
    with qtbot.waitSignal(panel.curves.sigStatus, timeout=WAIT):
        qtbot.mouseClick(panel.curves.png_button, Qt.LeftButton)
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(writers) == 2 and threading.main_thread() not in writers

    shown = []  # a folder that is not there: said in a message box, in the window's language
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append((title, text)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "gone" / "c.csv"), ""))
    qtbot.mouseClick(panel.curves.csv_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
    assert shown[0][0] == "Save Curves as CSV" and "gone" in shown[0][1]


def test_log_scale_and_the_read_out_under_the_mouse(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    run_to_end(qtbot, panel)
    qtbot.waitUntil(lambda: panel.curves.step_count() == 18, timeout=WAIT)
    curves = panel.curves
    qtbot.mouseClick(curves.log_check, Qt.LeftButton)
    assert curves.step_plot.getAxis("left").logMode
    qtbot.mouseClick(curves.log_check, Qt.LeftButton)
    assert not curves.step_plot.getAxis("left").logMode

    def point_at(plot, x: float) -> QPointF:
        """The scene position of ``x`` at the middle height of ``plot``."""
        return plot.vb.mapViewToScene(QPointF(x, sum(plot.vb.viewRange()[1]) / 2))

    scene = curves.graphics.scene()
    scene.sigMouseMoved.emit(point_at(curves.step_plot, 5.2))
    losses = curve(curves.step_items["loss"])[1]
    assert curves.readout.text().startswith(f"step 5: loss {losses[4]:.4g}")
    scene.sigMouseMoved.emit(point_at(curves.epoch_plot, 1.9))
    assert curves.readout.text().startswith("epoch 2:") and "validation loss" in curves.readout.text()
    scene.sigMouseMoved.emit(point_at(curves.metric_plot, 1.1))
    assert curves.readout.text().startswith("epoch 1:") and "train accuracy" in curves.readout.text()
    scene.sigMouseMoved.emit(QPointF(-50, -50))
    assert curves.readout.text() == "Point at a plot to read its values."


# ---------------------------------------------------------------------------- data
def test_the_data_tab_shows_the_pipeline_a_preview_and_the_element_spec(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    preview = panel.data_panel.preview_widget
    qtbot.waitUntil(lambda: "TensorSpec" in preview.spec.text(), timeout=WAIT)
    assert "shape=(2,)" in preview.spec.text()
    assert preview.elements.toPlainText().count("x: ") == 3
    assert "tf.data.Dataset.from_tensor_slices((x, y))" in preview.code.toPlainText()
    assert panel.boundary.has_points()


def test_a_csv_file_offers_its_columns_as_the_label(qtbot, make_panel, tmp_path):
    data = tmp_path / "flowers.csv"
    data.write_text("kind,length,width\n" + "".join(f"{k},{i},{i % 3}\n" for i in range(30) for k in "ab"))
    panel = make_panel(mlp(units=2, inputs=(2,)), XOR)
    data_panel = panel.data_panel
    data_panel.set_path(str(data))
    qtbot.waitUntil(lambda: data_panel.label_column.count() == 3, timeout=WAIT)  # read on the loader's thread
    columns = [data_panel.label_column.itemText(i) for i in range(data_panel.label_column.count())]
    assert columns == ["kind", "length", "width"] and data_panel.label_column.currentText() == "width"
    data_panel.label_column.setCurrentIndex(0)
    data_panel.label_column.activated.emit(0)
    qtbot.waitUntil(lambda: data_panel.dataset is not None and data_panel.dataset.class_names == ["a", "b"],
                    timeout=WAIT)
    assert panel.document.project.training["data_options"] == {"label_column": "kind"}
    assert run_to_end(qtbot, panel) == "finished"


def test_data_that_cannot_be_loaded_is_explained_once(qtbot, make_panel, tmp_path):
    """The reason stands under the data settings; the pipeline preview and a press on Start
    point to it instead of repeating it."""
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    panel = make_panel(mlp(units=2, inputs=(2,)), XOR)
    data_panel = panel.data_panel
    data_panel.set_path(str(broken))
    qtbot.waitUntil(lambda: data_panel.load_error is not None, timeout=WAIT)
    reason = data_panel.load_error.full()
    assert reason in data_panel.info.text().replace("&quot;", '"').replace("&#x27;", "'")
    assert reason not in data_panel.preview_widget.elements.toPlainText()
    assert "could not be loaded" in data_panel.preview_widget.elements.toPlainText()
    assert run_to_end(qtbot, panel) == "refused"
    assert "Training cannot start" in panel.message.text() and reason not in panel.message.text()


def test_a_regression_file_switches_the_metrics_to_mae(qtbot, make_panel, tmp_path):
    data = tmp_path / "line.npz"
    np.savez(data, x=np.arange(40, dtype=np.float32).reshape(20, 2), y=np.linspace(0, 1, 20, dtype=np.float32))
    panel = make_panel(mlp(units=1, activation="linear"), {"dataset": str(data)})
    qtbot.waitUntil(lambda: panel.metric_checks["mae"].isChecked(), timeout=WAIT)
    assert not panel.metric_checks["accuracy"].isChecked()
    assert panel.document.project.training["metrics"] == ["mae"]
    assert not panel.boundary.has_points()


def test_changing_a_setting_is_an_undoable_unsaved_change(qtbot):
    from ui.core.document import Document
    from ui.training.panel import TrainingPanel

    document = Document()
    panel = TrainingPanel(document)
    qtbot.addWidget(panel)
    assert not document.is_modified()
    before = panel.epochs.value()
    panel.epochs.setValue(before + 7)
    assert document.project.training["epochs"] == before + 7
    assert document.is_modified()  # closing now asks to save
    document.undo_stack.undo()
    assert panel.epochs.value() == before
    assert document.project.training.get("epochs", before) == before
    document.undo_stack.redo()
    assert panel.epochs.value() == before + 7
    panel.shutdown()


# ---------------------------------------------------------------------------- the project's own layers
def test_a_projects_own_layer_trains_once_its_code_may_run(qtbot, make_panel):
    from tflab import custom_layers
    from tflab.labs.custom import LAYER_TEMPLATE

    source = LAYER_TEMPLATE + "\n# trained in the training panel\n"  # a text of its own
    graph = ModelGraph.sequential((2,), [("Dense", {"units": 8, "activation": "tanh"}),
                                         ("MyDense", {"units": 2, "activation": "softmax"})])
    graph.set_custom_code(source)
    panel = make_panel(graph, XOR)
    assert run_to_end(qtbot, panel) == "refused"  # from another computer: not run
    assert not panel.has_trained()
    assert "has not run" in panel.message.text()
    assert not custom_layers.is_allowed(source)

    panel.document.allow_custom_code()  # "Run this code"
    assert run_to_end(qtbot, panel) == "finished"
    epochs, losses = curve(panel.curves.epoch_items["train/loss"])
    assert list(epochs) == [1, 2] and np.isfinite(losses).all()
    assert panel.has_trained()


def test_a_million_points_are_drawn_as_a_sample_with_one_brush_per_class(qtbot):
    """A 2-D data set of a million rows blocked the window for over a minute (a brush per
    point); the view draws a sample of both classes with one brush each."""
    from ui.training.curves import MAX_POINTS, BoundaryView

    view = BoundaryView()
    qtbot.addWidget(view)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1_000_000, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    view.set_points(x, y)
    counts = [len(scatter.data) for scatter in view.scatters]
    assert sum(counts) == MAX_POINTS and min(counts) > MAX_POINTS // 3
    for label, scatter in enumerate(view.scatters):
        shown_x = scatter.data["x"]
        assert ((shown_x > 0) == bool(label)).all()  # each item holds its own class only
    view.set_points(x[:10], y[:10])
    assert sum(len(scatter.data) for scatter in view.scatters) == 10


def test_choosing_a_pipe_as_data_never_blocks_the_window(tmp_path):
    """Reading a FIFO waits for a writer forever; the data panel's column lookup looks
    only at ordinary files (and runs on the loader's thread)."""
    import os

    from ui.training.data_panel import csv_columns

    fifo = tmp_path / "live.csv"
    os.mkfifo(fifo)
    assert csv_columns(fifo) == ([], False)


def test_a_big_csv_shows_how_far_loading_has_come(qtbot, make_panel, tmp_path, monkeypatch):
    """A CSV of a million rows takes seconds: the data panel says how far it has come."""
    panel = make_panel(mlp(), XOR)
    data = panel.data_panel
    seen = []
    monkeypatch.setattr(data.info, "setText", lambda text, original=data.info.setText: (
        seen.append(text), original(text)))
    path = tmp_path / "rows.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(160_000)),
                    encoding="utf-8")
    data.set_path(str(path))
    qtbot.waitUntil(lambda: data.dataset is not None and len(data.dataset.x) == 160_000, timeout=WAIT)
    shown = [text for text in seen if text.startswith("Loading the data... ") and text.endswith("%")]
    assert shown and shown == sorted(shown, key=lambda text: int(text.split()[-1][:-1]))


def test_the_window_never_touches_the_chosen_data_path_itself(qtbot, make_panel, tmp_path, monkeypatch):
    """A path on a network share that stopped answering blocks whoever asks the disk
    about it: the data panel tells files from folders by their names and reads a CSV
    file's columns on its loader thread, never on the GUI thread."""
    import threading

    import ui.training.data_panel as data_panel_module

    panel = make_panel(mlp(units=2, inputs=(2,)), XOR)
    data = tmp_path / "flowers.csv"
    data.write_text("length,width,kind\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(60)))
    gui = threading.get_ident()
    asked_on = []
    real = data_panel_module.csv_columns
    monkeypatch.setattr(data_panel_module, "csv_columns",
                        lambda path: (asked_on.append(threading.get_ident()), real(path))[1])
    for method in ("is_dir", "is_file", "exists", "stat"):
        original = getattr(type(data), method)

        def watched(self, *args, _original=original, _name=method, **kwargs):
            assert threading.get_ident() != gui or self != data, f"{_name} of the data path on the GUI thread"
            return _original(self, *args, **kwargs)
        monkeypatch.setattr(type(data), method, watched)
    panel.data_panel.set_path(str(data))
    qtbot.waitUntil(lambda: panel.data_panel.dataset is not None and panel.data_panel.dataset.name == "flowers",
                    timeout=WAIT)
    assert asked_on and gui not in asked_on
    assert panel.data_panel.label_column.currentText() == "kind"


# ---------------------------------------------------------------------------- the course on MNIST
def test_the_new_projects_course_model_learns_real_digits_with_one_click(qtbot, make_panel):
    """File > New's model and settings, Start pressed once: the test part is evaluated
    at the end, and the model reads handwritten digits it never saw (model.fit: ~0.935)."""
    from tflab.project import starter_project

    starter = starter_project()
    panel = make_panel(starter.graph, starter.training)
    assert panel.data_panel.dataset.name == "mnist" and len(panel.data_panel.dataset) == 10_000
    with qtbot.waitSignal(panel.sigEvaluated, timeout=WAIT) as evaluated:
        assert run_to_end(qtbot, panel) == "finished"
    assert evaluated.args[0]["accuracy"] >= 0.92
    assert "Epoch 10/10" in panel.progress_label.text()
    assert panel.progress.value() == 10 * math.ceil(7000 / 32)  # 70 % of 10,000 digits, batches of 32
    assert "model.evaluate(x_test, y_test)" in panel.evaluation.text()


def test_the_panel_shows_what_the_model_learned_and_reads_a_digit_drawn_by_hand(qtbot, make_panel):
    from tflab.project import starter_project

    starter = starter_project()
    panel = make_panel(starter.graph, {**starter.training, "epochs": 3})
    assert not panel.try_view.usable()
    assert run_to_end(qtbot, panel) == "finished"
    qtbot.waitUntil(lambda: panel.learned.predictions is not None and panel.learned.predictions.epoch == 3,
                    timeout=WAIT)
    learned = panel.learned
    predictions = learned.predictions
    assert len(predictions) == 1500 and predictions.num_classes == 10
    # Filled when its tab is opened, not every second behind the curves while training.
    assert not learned.isVisible() and learned.gallery.count() == 0
    panel.tabs.setCurrentWidget(learned)
    qtbot.waitUntil(learned.isVisible, timeout=WAIT)
    matrix = learned.matrix
    assert (matrix.rowCount(), matrix.columnCount()) == (10, 11)  # ten classes and their accuracy
    counts = np.array([[int(matrix.item(r, c).text()) for c in range(10)] for r in range(10)])
    np.testing.assert_array_equal(counts, predictions.confusion())
    assert np.trace(counts) / counts.sum() > 0.9
    assert matrix.horizontalHeaderItem(10).text() == "accuracy"
    assert float(matrix.item(1, 10).text()) == pytest.approx(predictions.class_accuracy()[1], abs=0.005)
    assert "test samples right" in learned.summary.text()

    # The gallery: mistakes first, with a picture of each digit.
    first = learned.gallery.item(0)
    index = first.data(Qt.UserRole)
    assert predictions.predicted[index] != predictions.y[index]
    assert not first.icon().isNull() and "✗" in first.text()
    # A cell shows its own samples; Show all goes back.
    wrong = np.argwhere(counts - np.diag(np.diag(counts)) > 0)[0]
    learned.matrix.cellClicked.emit(int(wrong[0]), int(wrong[1]))
    shown = [learned.gallery.item(i).data(Qt.UserRole) for i in range(learned.gallery.count())]
    assert len(shown) == counts[wrong[0], wrong[1]]
    assert all(predictions.y[i] == wrong[0] and predictions.predicted[i] == wrong[1] for i in shown)
    qtbot.mouseClick(learned.all_button, Qt.LeftButton)
    assert learned.gallery.count() == 200 and learned.cell is None

    # Draw a "1": a tall bar, off-centre; the model reads it as a one.
    try_view = panel.try_view
    assert try_view.usable() and try_view.canvas.isEnabled() and len(try_view.bars) == 10
    with qtbot.waitSignal(try_view.sigPredict, timeout=WAIT) as asked:
        try_view.canvas.stroke([(200, 40), (205, 240)])
    assert asked.args[0].shape == (1, 28, 28)
    qtbot.waitUntil(lambda: try_view.probabilities is not None, timeout=WAIT)
    assert try_view.probabilities.sum() == pytest.approx(1.0, abs=1e-4)
    assert int(try_view.probabilities.argmax()) == 1
    assert try_view.bars[1].value() == max(bar.value() for bar in try_view.bars)
    try_view.canvas.clear()
    qtbot.waitUntil(lambda: try_view.probabilities is None, timeout=WAIT)


def test_drawing_is_offered_only_for_pictures_that_a_classifier_reads(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    assert not panel.try_view.canvas.isEnabled()
    assert "square grey pictures" in panel.try_view.note.text()
    assert run_to_end(qtbot, panel) == "finished"
    qtbot.waitUntil(lambda: panel.learned.predictions is not None, timeout=WAIT)
    assert panel.learned.predictions.num_classes == 2  # a 2-D data set still gets its matrix
    panel.tabs.setCurrentWidget(panel.learned)
    assert panel.learned.gallery.item(0).icon().isNull()  # ...but no pictures
    assert not panel.try_view.canvas.isEnabled()


def test_the_trained_model_is_saved_as_a_keras_file_from_the_panel(qtbot, make_panel, tmp_path, monkeypatch):
    panel = make_panel(mlp(), XOR)
    assert not panel.save_model_button.isEnabled()  # nothing trained yet
    assert run_to_end(qtbot, panel) == "finished"
    assert panel.save_model_button.isEnabled()
    target = tmp_path / "xor_model"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(panel._worker.sigSaved, timeout=WAIT) as saved:
        qtbot.mouseClick(panel.save_model_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=WAIT)
    written = tmp_path / "xor_model.keras"
    assert saved.args == [str(written)] and written.is_file()
    assert "Saved the trained model" in panel.message.text()
    from tflab.importer import load_keras_file

    model = load_keras_file(written)
    data = panel.data_panel.dataset
    expected = panel._worker.session.predict(data.x[:20])
    np.testing.assert_allclose(model.predict(data.x[:20], verbose=0), expected[:, :2], atol=1e-5)


def test_a_model_that_cannot_be_saved_says_why_and_the_panel_goes_on(qtbot, make_panel, tmp_path):
    panel = make_panel(mlp(), XOR)
    assert run_to_end(qtbot, panel) == "finished"
    with qtbot.waitSignal(panel._worker.sigError, timeout=WAIT):
        panel.save_model(str(tmp_path / "no such folder" / "m.keras"))
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=WAIT)
    assert "no such folder" in panel.message.text()
    assert panel.start_button.isEnabled()


def test_the_panel_says_how_to_open_the_runs_in_tensorboard(qtbot, make_panel, tmp_path):
    from ui.training.panel import default_logdir

    assert default_logdir().endswith(str(Path("tflab") / "runs"))
    assert "tflab/tflab" not in default_logdir().replace("\\\\", "/")  # the folder names tflab once
    panel = make_panel(mlp(), XOR)
    folder = tmp_path / "my runs"
    panel.set_logdir(str(folder))
    assert panel.tensorboard_command.text() == f'tensorboard --logdir "{folder}"'  # one line, to copy
    assert "run this command in a terminal" in panel.tensorboard_label.text()


def test_a_model_that_cannot_be_built_is_refused_with_the_editors_plain_hint(qtbot, make_panel):
    graph = ModelGraph.sequential((28, 28), [("Conv2D", {"filters": 4, "kernel_size": 3}), ("Flatten", {}),
                                             ("Dense", {"units": 10, "activation": "softmax"})])
    panel = make_panel(graph, {"dataset": "mnist", "epochs": 1})
    assert run_to_end(qtbot, panel) == "refused"
    text = panel.message.text()
    assert "Training cannot start" in text and "Put a Reshape before it" in text
    assert "(28, 28) -> (28, 28, 1)" in text


def test_editing_the_model_during_or_after_training_says_which_model_the_results_are_of(qtbot, make_panel):
    panel = make_panel(mlp(), {**XOR, "epochs": 100_000})
    start_long_run(qtbot, panel)
    document = panel.document
    document.edit("move", lambda g: g.positions.update({"n1": (5.0, 5.0)}))
    assert "changed in the editor" not in panel.message.text()  # moving a box changes no model
    document.edit("wider", lambda g: g.layers["dense"].config.update({"units": 9}))
    assert "this run goes on training the model as it was" in panel.message.text()
    stop_run(qtbot, panel)
    document.edit("wider again", lambda g: g.layers["dense"].config.update({"units": 10}))
    assert "the results shown are those of the model before the change" in panel.message.text()


def test_choosing_the_spiral_gives_it_the_noise_that_shows_it(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    data = panel.data_panel
    index = data.source.findData("spiral")
    data.source.setCurrentIndex(index)
    data.source.activated.emit(index)  # as a user's choice
    assert data.noise.value() == pytest.approx(0.03)
    qtbot.waitUntil(lambda: data.dataset is not None and data.dataset.name == "spiral", timeout=WAIT)
    assert data.options()["noise"] == pytest.approx(0.03)


def test_a_run_spread_over_several_devices_says_so(qtbot, make_panel):
    panel = make_panel(mlp(), XOR)
    panel._on_event(Started(epochs=1, steps_per_epoch=10, run_name="", log_dir=None, replicas=4))
    assert panel.message.kind == "info"
    assert "Training on 4 devices at once" in panel.message.text()
    panel._on_event(Started(epochs=1, steps_per_epoch=10, run_name="", log_dir=None))
    assert not panel.message.text()


def test_inside_the_model_shows_each_layers_output_for_a_chosen_sample(qtbot, make_panel):
    graph = ModelGraph.sequential((28, 28), [("Reshape", {"target_shape": [28, 28, 1]}),
                                             ("Conv2D", {"filters": 6, "kernel_size": 5, "strides": 2,
                                                         "activation": "relu"}),
                                             ("Flatten", {}), ("Dense", {"units": 10, "activation": "softmax"})])
    panel = make_panel(graph, {"dataset": "mnist", "epochs": 2})
    inside = panel.inside
    assert inside.activations is None and "Train the model" in inside.sample_text.text()
    panel.tabs.setCurrentWidget(inside)
    with qtbot.waitSignal(panel._worker.sigActivations, timeout=WAIT):
        assert run_to_end(qtbot, panel) == "finished"
    qtbot.waitUntil(lambda: inside.activations is not None and inside.activations.epoch == 2, timeout=WAIT)
    seen = inside.activations
    assert inside.kinds == ["maps", "maps", "bars", "bars"]
    names = [title.text().split("</b>")[0] for title, _ in inside.rows]
    assert names == ["<b>reshape", "<b>conv2d", "<b>flatten", "<b>dense"]
    assert "6 feature maps" in inside.rows[1][0].text() and "10 values" in inside.rows[3][0].text()
    answer = seen.class_names[int(np.argmax(seen.layers[-1].values))]
    assert f"the highest: <b>{answer}</b>" in inside.rows[3][0].text()
    maps = inside.rows[1][1].pixmap()
    assert maps.width() > 6 * 12 * 3 and maps.height() >= 12 * 3  # six 12x12 maps side by side, enlarged
    assert inside.sample.maximum() == seen.count - 1 and not inside.picture.pixmap().isNull()

    # Another sample: the worker answers with that sample's outputs.
    first = seen.layers[-1].values
    with qtbot.waitSignal(panel._worker.sigActivations, timeout=WAIT):
        inside.sample.setValue(7)
    qtbot.waitUntil(lambda: inside.activations.index == 7, timeout=WAIT)
    assert f"true label: {inside.activations.label}" in inside.sample_text.text()
    assert not np.array_equal(inside.activations.layers[-1].values, first)

    # While another tab is shown, new outputs wait to be drawn until the tab is shown again.
    panel.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(panel._worker.sigActivations, timeout=WAIT):
        inside.sample.setValue(8)
    qtbot.waitUntil(lambda: inside.activations.index == 8, timeout=WAIT)
    assert inside._stale
    panel.tabs.setCurrentWidget(inside)
    assert not inside._stale and len(inside.rows) == 4

    # Another project: nothing of this model is shown.
    panel.document.replace_project(Project(mlp(), dict(XOR)), None)
    qtbot.waitUntil(lambda: inside.activations is None, timeout=WAIT)
    assert inside.rows == []


def test_a_project_opened_with_the_data_already_shown_reads_none_again(qtbot, make_panel, monkeypatch):
    """Reading the same bundled or generated data again ran Python beside the opening
    model's boxes (each slowing the other): the data shown is kept, and other settings
    are read anew."""
    from ui.training import data_panel as module

    panel = make_panel(mlp(), XOR)
    shown = panel.data_panel.dataset
    reads = []
    real = module.load_dataset
    monkeypatch.setattr(module, "load_dataset", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    with qtbot.waitSignal(panel.data_panel.sigLoaded, timeout=WAIT) as loaded:
        panel.document.replace_project(Project(mlp(), dict(XOR)), None)
    assert loaded.args[0] is shown and reads == [] and not panel.data_panel.loading()
    assert panel.data_panel.info.text() and "..." not in panel.data_panel.info.text()

    other = {**XOR, "data_options": {**XOR["data_options"], "n_samples": 120}}
    with qtbot.waitSignal(panel.data_panel.sigLoaded, timeout=WAIT) as loaded:
        panel.document.replace_project(Project(mlp(), other), None)
    assert reads == ["xor"] and len(loaded.args[0].x) == 120
