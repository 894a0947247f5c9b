"""The Training tab: choose data, compile, fit, and watch the model learn.

The left column holds the settings the course names: the data (:class:`DataPanel`),
``model.compile(optimizer, loss, metrics)`` as a small group that shows the equivalent
line of code, the ``fit`` settings (epochs, batch size) and the folder for the
training logs. They are saved in the project (``document.project.training``).

The right side has the controls (Start, Pause / Resume, Stop, Reset weights,
Evaluate), a progress bar with the time left, the live curves, the decision boundary
for 2-D data, the ``tf.data`` pipeline and the list of past runs to lay over the
curves.

The model is built from the editor's graph and trained on a worker thread
(:mod:`ui.training.worker`); the window only draws. A model that cannot train on the
data is refused before starting, with the reason; a loss that turns NaN stops the run
with advice. Start after Stop goes on from the weights reached; Reset weights goes
back to the initial ones.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDeadlineTimer,
    QElapsedTimer,
    QEvent,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent, QColor, QFontDatabase, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tflab import named_data, weights
from tflab.datasets import CLASSIFICATION, NAMED, Dataset
from tflab.messages import TflabError
from tflab.runlogs import list_runs, read_scalars, tensorboard_command
from tflab.session import BoundaryGrid, Prepared, RunControl, RunRequest, has_boundary
from tflab.trainer import (
    CLASS_METRICS,
    CLASSIFICATION_LOSSES,
    LOSSES,
    METRICS,
    OPTIMIZERS,
    EpochEnd,
    Failed,
    Finished,
    Paused,
    Resumed,
    Started,
    Steps,
    Stopped,
    TrainConfig,
)
from tflab.training_code import compile_code, fit_code, loop_code
from ui.core import code_comments
from ui.core.code_comments import comments_language
from ui.core.document import Document
from ui.core.settings import settings as app_settings
from ui.core.text import fill
from ui.core.tf_loader import TfLoader
from ui.core.workers import Lane, Requests, WorkerThread
from ui.training.curves import BoundaryView, CurvesView
from ui.training.data_panel import DataPanel
from ui.training.drawing import TryView
from ui.training.inside import InsideView
from ui.training.learned import LearnedView
from ui.training.outputs import OutputsTable
from ui.training.worker import TrainingWorker
from ui.widgets.code import PythonHighlighter, is_dark, monospace_font, show_code
from ui.widgets.messages import Message

_TRAIN_KEYS = frozenset(TrainConfig.__dataclass_fields__)
SETTINGS_LOGDIR = "training/logdir"
SETTINGS_MODEL_DIR = "training/model_dir"


def default_logdir() -> str:
    """Where training logs go unless the user picks another folder: ``<data>/tflab/runs``
    (e.g. ``~/.local/share/tflab/runs``; Qt's own application folder would name tflab twice)."""
    return str(Path(QStandardPaths.writableLocation(QStandardPaths.GenericDataLocation)) / "tflab" / "runs")


def run_name(dataset: str) -> str:
    """A folder name for a new run: the time and the data's name."""
    stem = re.sub(r"[^\w.-]+", "_", Path(dataset).stem or dataset)
    return f"{datetime.now():%Y%m%d-%H%M%S}-{stem}"


def metrics_text(values: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.4f}" for name, value in values.items())


def _same_output(chosen: dict, used: dict | None) -> bool:
    """Whether an output's settings shown (no loss: automatic) are those a run used."""
    return used is not None and chosen.get("weight", 1.0) == used.get("weight") and \
        chosen.get("loss", used.get("loss")) == used.get("loss")


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _swatch(colour: QColor | None) -> QIcon:
    """A small square of ``colour`` (no icon for None)."""
    if colour is None:
        return QIcon()
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class RateBox(QDoubleSpinBox):
    """A learning-rate field: shows 0.001 rather than 0.001000, steps by decimal place."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(7)
        self.setRange(1e-7, 10.0)
        self.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return f"{value:g}"


class TrainingPanel(QWidget):
    """The Training tab; see the module docstring.

    ``state`` is ``"idle"``, ``"preparing"`` (building the model), ``"running"``,
    ``"paused"``, ``"stopping"`` or ``"busy"`` (evaluating or resetting).

    Signals:
        sigStateChanged(str): the state changed.
        sigRunEnded(str): a run ended: "finished", "stopped", "failed" or "refused".
        sigEvaluated(object): test metrics are shown (dict name -> value).
        sigStatus(str): a short message for the window's status bar.
        sigRunsListed(): the past runs list shows what the log folder holds now.
    """

    sigStateChanged = Signal(str)
    sigRunEnded = Signal(str)
    sigEvaluated = Signal(object)
    sigStatus = Signal(str)
    sigRunsListed = Signal()

    def __init__(self, document: Document, tf_loader: TfLoader | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._tf = tf_loader
        self._project = document.project
        self._control = RunControl()
        self._worker = TrainingWorker()
        self._training_thread = WorkerThread(self._worker, "training", self, self._control.request_stop)
        self._log_lane = Lane("run-log-reader", self)
        self._log_reader = self._log_lane.worker
        # The log folder is listed on the same lane: it may be on a network share that is slow
        # to answer, and the tab asks each time it is shown.
        self._run_lister = Requests(self._log_lane, self, doing=("listing past runs", "列出以往的运行"))
        self._run_lister.sigResult.connect(self._show_runs)
        self._run_lister.sigError.connect(self._on_runs_error)
        self._prepared: Prepared | None = None
        self._trained = False
        self._waiting_for_tf = False
        self._showing_settings = False
        self._shut_down = False
        self._epoch_offset = 0
        self._evaluated: tuple[dict, int] | None = None  # the last evaluation shown (values, samples)
        self._model_digest: str | None = None  # the structure of the model trained last (tflab.weights)
        self._epochs_done = 0
        self._total_steps = 0
        self._run_dir: str | None = None
        self._current: Steps | None = None
        self._run_colours: dict[str, QColor] = {}  # the colour of each run laid over the curves
        self._elapsed = QElapsedTimer()
        self._elapsed_before = 0.0
        self.state = "idle"
        self.settings = app_settings()
        self.logdir = self.settings.value(SETTINGS_LOGDIR, default_logdir(), type=str)

        self.data_panel = DataPanel(tf_loader, self)
        self.curves = CurvesView(self)
        self.boundary = BoundaryView(self)
        self.learned = LearnedView(self)
        self.loop_view = QPlainTextEdit(self)
        self.loop_view.setReadOnly(True)
        self.loop_view.setFont(monospace_font())
        self.loop_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._loop_highlighter = PythonHighlighter(self.loop_view.document(), is_dark(self.palette()))
        self.try_view = TryView(self)
        self.inside = InsideView(self)
        self._build_settings_column()
        self._build_controls()
        self._build_tabs()
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(self._settings_scroll)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addLayout(self._controls_layout)
        right_layout.addWidget(self.tabs, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self.data_panel.sigChanged.connect(self._settings_changed)
        self.data_panel.sigLoaded.connect(self._on_data_loaded)
        code_comments.notifier().sigChanged.connect(self._update_code)  # "English comments" ticked
        self.curves.sigStatus.connect(self.sigStatus)
        document.sigChanged.connect(self._on_document_changed)
        document.sigChanged.connect(self._on_graph_edited)
        document.sigTrainingChanged.connect(self._on_training_changed)
        worker = self._worker
        worker.sigRefused.connect(self._on_refused)
        worker.sigPrepared.connect(self._on_prepared)
        worker.sigEvent.connect(self._on_event)
        worker.sigBoundary.connect(self._on_boundary)
        worker.sigPredictions.connect(self.learned.set_predictions)
        worker.sigPredicted.connect(self.try_view.show_probabilities)
        worker.sigActivations.connect(self.inside.set_activations)
        self.inside.sigSampleChosen.connect(worker.show_sample)
        worker.sigSaved.connect(self._on_saved)
        worker.sigWeights.connect(self._on_weights)
        worker.sigRestored.connect(self._on_restored)
        self.data_panel.sigLoaded.connect(self._maybe_restore)  # a slot, not a lambda: no reference cycle
        if tf_loader is not None:
            tf_loader.sigReady.connect(self._maybe_restore)
        self._restore_pending = document.project.weights is not None
        self.try_view.sigPredict.connect(worker.predict)
        worker.sigEvaluated.connect(self._show_evaluation)
        worker.sigError.connect(self._on_job_error)
        worker.sigDone.connect(self._on_job_ended)
        self._log_reader.sigResult.connect(self._on_run_read)
        self._log_reader.sigError.connect(self._on_run_error)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(500)
        self._clock_timer.timeout.connect(self._show_progress)
        self.show_settings(document.project.training)
        self._sync_ports()
        self._set_state("idle")
        self._retranslate()

    # ------------------------------------------------------------------ building
    def _build_settings_column(self) -> None:
        data_box = self._data_box = QGroupBox(self)
        QVBoxLayout(data_box).addWidget(self.data_panel)

        self.optimizer = QComboBox(self)
        for key in OPTIMIZERS:
            self.optimizer.addItem("", key)  # named in _retranslate
        self.learning_rate = RateBox(self)
        self.momentum = QDoubleSpinBox(self)
        self.momentum.setRange(0.0, 0.99)
        self.momentum.setSingleStep(0.1)
        self.loss = QComboBox(self)
        self.loss.addItem("", None)  # "automatic": named in _retranslate
        for key in LOSSES:
            self.loss.addItem(key, key)
        self.metric_checks: dict[str, QCheckBox] = {}
        metrics_grid = QGridLayout()
        for index, key in enumerate(METRICS):
            check = QCheckBox(key, self)
            check.toggled.connect(self._settings_changed)
            self.metric_checks[key] = check
            metrics_grid.addWidget(check, index // 3, index % 3)
        self.outputs_table = OutputsTable(self)
        self.outputs_table.sigChanged.connect(self._settings_changed)
        self.outputs_label = QLabel(self)
        self.compile_label = self._code_label()
        compile_box = self._compile_box = QGroupBox(self)
        form = QFormLayout(compile_box)
        #: The labels of the form rows, named in _retranslate.
        self._row_labels = {name: QLabel(self) for name in (
            "optimizer", "learning_rate", "momentum", "loss", "metrics", "epochs", "batch_size")}
        form.addRow(self._row_labels["optimizer"], self.optimizer)
        form.addRow(self._row_labels["learning_rate"], self.learning_rate)
        form.addRow(self._row_labels["momentum"], self.momentum)
        form.addRow(self._row_labels["loss"], self.loss)
        form.addRow(self._row_labels["metrics"], metrics_grid)
        form.addRow(self.outputs_label, self.outputs_table)
        form.addRow(self.compile_label)
        self._compile_form = form
        self._metrics_grid = metrics_grid
        self._show_named(False)

        self.epochs = QSpinBox(self)
        self.epochs.setRange(1, 100_000)
        self.batch_size = QSpinBox(self)
        self.batch_size.setRange(1, 1_000_000)
        self.fit_label = self._code_label()
        fit_box = self._fit_box = QGroupBox(self)
        form = QFormLayout(fit_box)
        form.addRow(self._row_labels["epochs"], self.epochs)
        form.addRow(self._row_labels["batch_size"], self.batch_size)
        form.addRow(self.fit_label)
        for widget in (self.optimizer, self.loss):
            widget.activated.connect(self._settings_changed)
        for widget in (self.learning_rate, self.momentum, self.epochs, self.batch_size):
            widget.valueChanged.connect(self._settings_changed)

        self.logdir_label = QLabel(self.logdir, self)
        self.logdir_label.setWordWrap(True)
        self.logdir_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        change = self._change_logdir_button = QPushButton(self)
        change.clicked.connect(self._choose_logdir)
        logs_box = self._logs_box = QGroupBox(self)
        logs_layout = QVBoxLayout(logs_box)
        row = QHBoxLayout()
        row.addWidget(self.logdir_label, 1)
        row.addWidget(change)
        logs_layout.addLayout(row)
        self.tensorboard_label = QLabel(self)
        self.tensorboard_label.setWordWrap(True)
        self.tensorboard_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        logs_layout.addWidget(self.tensorboard_label)
        # The command on one line, to copy whole (wrapped in the text it broke inside paths).
        self.tensorboard_command = QLineEdit(self)
        self.tensorboard_command.setReadOnly(True)
        self.tensorboard_command.setFont(monospace_font())
        logs_layout.addWidget(self.tensorboard_command)
        self._show_tensorboard_command()

        column = QWidget(self)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 4, 0)
        for box in (data_box, compile_box, fit_box, logs_box):
            column_layout.addWidget(box)
        column_layout.addStretch(1)
        self._setting_boxes = (data_box, compile_box, fit_box, logs_box)
        self._settings_scroll = QScrollArea(self)
        self._settings_scroll.setWidgetResizable(True)
        self._settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self._settings_scroll.setWidget(column)
        self._fit_settings_column()

    def _fit_settings_column(self) -> None:
        """Keep the settings column at least as wide as what it shows (the code written
        there grows with the settings), so nothing is cut off at its right edge."""
        column = self._settings_scroll.widget()
        self._settings_scroll.setMinimumWidth(column.minimumSizeHint().width() + 24)

    def _code_label(self) -> QLabel:
        label = QLabel(self)
        label.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def _build_controls(self) -> None:
        # Named in _retranslate (the pause button in _set_state: Pause or Resume).
        self.start_button = QPushButton(self)
        self.pause_button = QPushButton(self)
        self.stop_button = QPushButton(self)
        self.reset_button = QPushButton(self)
        self.evaluate_button = QPushButton(self)
        self.save_model_button = QPushButton(self)
        self.save_model_button.clicked.connect(self.save_model_dialog)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self._toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset_weights)
        self.evaluate_button.clicked.connect(self.evaluate)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button, self.reset_button,
                       self.evaluate_button, self.save_model_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_label = QLabel(self)
        self.message = Message(self)
        self.evaluation = self._code_label()
        self.evaluation.hide()
        self._controls_layout = QVBoxLayout()
        self._controls_layout.addLayout(buttons)
        self._controls_layout.addWidget(self.progress)
        self._controls_layout.addWidget(self.progress_label)
        self._controls_layout.addWidget(self.message)
        self._controls_layout.addWidget(self.evaluation)

    def _build_tabs(self) -> None:
        self.runs_list = QListWidget(self)
        self.runs_list.itemChanged.connect(self._on_run_item_changed)
        refresh = self._refresh_button = QPushButton(self)
        refresh.clicked.connect(self.refresh_runs)
        runs_note = self._runs_note = QLabel(self)
        runs_note.setWordWrap(True)
        runs_box = self._runs_box = QGroupBox(self)
        runs_layout = QVBoxLayout(runs_box)
        runs_layout.addWidget(self.runs_list, 1)
        runs_layout.addWidget(runs_note)
        runs_layout.addWidget(refresh)
        curves_page = QSplitter(Qt.Horizontal, self)
        curves_page.addWidget(self.curves)
        curves_page.addWidget(runs_box)
        curves_page.setStretchFactor(0, 1)
        curves_page.setSizes([800, 200])
        self.tabs = QTabWidget(self)
        for page in (curves_page, self.boundary, self.data_panel.preview_widget, self.loop_view,
                     self.learned, self.try_view, self.inside):
            self.tabs.addTab(page, "")  # named in _retranslate

    def _retranslate(self) -> None:
        """Every text of the panel in the language now chosen (its parts name their own)."""
        self._data_box.setTitle(self.tr("Data"))
        names = (self.tr("SGD (with momentum)"), self.tr("Adam"), self.tr("RMSprop"), self.tr("Adagrad"))
        for index, text in enumerate(names):
            self.optimizer.setItemText(index, text)
        self.learning_rate.setToolTip(self.tr("How big a step the optimizer takes down the gradient"))
        self.momentum.setToolTip(self.tr("SGD only: how much of the previous step is kept"))
        self.loss.setItemText(0, self.tr("automatic (from the model and the data)"))
        self.outputs_label.setText(self.tr("Outputs:"))
        self._compile_box.setTitle(self.tr("Compile"))
        rows = self._row_labels
        rows["optimizer"].setText(self.tr("Optimizer:"))
        rows["learning_rate"].setText(self.tr("Learning rate:"))
        rows["momentum"].setText(self.tr("Momentum:"))
        rows["loss"].setText(self.tr("Loss:"))
        rows["metrics"].setText(self.tr("Metrics:"))
        rows["epochs"].setText(self.tr("Epochs:"))
        rows["batch_size"].setText(self.tr("Batch size:"))
        self.epochs.setToolTip(self.tr("How many times the training goes through all the training data"))
        self.batch_size.setToolTip(self.tr("How many samples each training step uses"))
        self._fit_box.setTitle(self.tr("Fit"))
        self._change_logdir_button.setText(self.tr("Change..."))
        self._change_logdir_button.setToolTip(
            self.tr("Choose the folder where training logs (tf.summary files) are written"))
        self._logs_box.setTitle(self.tr("Training logs"))
        self._show_tensorboard_command()

        self.start_button.setText(self.tr("Start"))
        self.start_button.setToolTip(self.tr("Build the model from the editor and train it"))
        self.pause_button.setText(self.tr("Resume") if self.state == "paused" else self.tr("Pause"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop after the current steps; Start goes on from there"))
        self.reset_button.setText(self.tr("Reset weights"))
        self.reset_button.setToolTip(self.tr("Go back to the weights the model started with"))
        self.evaluate_button.setText(self.tr("Evaluate"))
        self.evaluate_button.setToolTip(self.tr("Measure the loss and metrics on the test data"))
        self.save_model_button.setText(self.tr("Save model..."))
        self.save_model_button.setToolTip(self.tr(
            "Save the trained model (architecture and weights) as a .keras file"))
        self._show_progress()
        if self._evaluated is not None:
            self._write_evaluation(*self._evaluated, show=False)

        self.runs_list.setToolTip(self.tr("Tick a run to lay its curves over the current ones"))
        self._refresh_button.setText(self.tr("Refresh"))
        self._runs_note.setText(self.tr("Ticked runs are drawn in their colour: dotted for training, "
                                        "dash-dotted for validation."))
        self._runs_box.setTitle(self.tr("Past runs"))
        titles = (self.tr("Curves"), self.tr("Decision boundary"), self.tr("Data pipeline"),
                  self.tr("Training loop"), self.tr("What it learned"), self.tr("Try it"),
                  self.tr("Inside the model"))
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        # Measured once the whole column speaks the new language (children hear of it after).
        QTimer.singleShot(0, self, self._fit_settings_column)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._update_code()  # the comments of the code shown follow the language
        super().changeEvent(event)

    # ------------------------------------------------------------------ settings
    def training_settings(self) -> dict:
        """The settings as saved in the project: TrainConfig keys plus ``dataset`` and ``data_options``."""
        values = dict(self.document.project.training)
        values.update(self.data_panel.settings())
        values.update({
            "optimizer": self.optimizer.currentData(),
            "learning_rate": self.learning_rate.value(),
            "momentum": round(self.momentum.value(), 4),
            "metrics": [key for key, check in self.metric_checks.items() if check.isChecked()],
            "epochs": self.epochs.value(),
            "batch_size": self.batch_size.value(),
        })
        values.pop("loss", None)
        if self.loss.currentData() is not None:
            values["loss"] = self.loss.currentData()
        if self._named():
            values["outputs"] = self.outputs_table.settings()
        return values

    def _named(self) -> bool:
        """Whether the data is named arrays (each output its own loss and metrics)."""
        dataset = self.data_panel.dataset
        return dataset is not None and dataset.task == NAMED

    def _sync_ports(self) -> None:
        """The editor's model inputs and outputs, for matching named arrays to them."""
        inputs, outputs = named_data.graph_ports(self.document.project.graph)
        self.data_panel.set_ports(inputs, outputs)
        self.outputs_table.set_outputs([port.name for port in outputs])

    def _show_named(self, named: bool) -> None:
        """Named arrays: a loss and weight per output, each output with the usual metrics for
        its labels (accuracy for classes, mae for numbers); the single loss and metrics go."""
        form = self._compile_form
        form.setRowVisible(self.outputs_table, named)
        form.setRowVisible(self.loss, not named)
        form.setRowVisible(self._metrics_grid, not named)

    def show_settings(self, training: dict) -> None:
        """Show a project's settings; values that are not valid give way to the defaults."""
        self._showing_settings = True
        try:
            try:
                config = TrainConfig.from_dict({k: v for k, v in training.items() if k in _TRAIN_KEYS})
            except TflabError as err:
                config = TrainConfig()
                self.message.show_message("error", lambda err=err: fill(
                    self.tr("The project's training settings were reset: %1"),
                    err.full(),
                ))
            self.data_panel.set_settings({**training, **config.to_dict()})
            self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
            self.learning_rate.setValue(config.learning_rate)
            self.momentum.setValue(config.momentum)
            self.loss.setCurrentIndex(self.loss.findData(training.get("loss")) if "loss" in training else 0)
            for key, check in self.metric_checks.items():
                check.setChecked(key in config.metrics)
            self.epochs.setValue(config.epochs)
            self.batch_size.setValue(config.batch_size)
            self.outputs_table.show_settings(config.outputs)
        finally:
            self._showing_settings = False
        self._update_code()

    @Slot()
    def _settings_changed(self) -> None:
        if self._showing_settings:
            return
        self.document.set_training(self.training_settings(), self.tr("Change training settings"))
        self._update_code()

    def _update_code(self) -> None:
        config = self.training_settings()
        self.momentum.setEnabled(config["optimizer"] == "sgd")
        prepared = self._prepared
        if self._named():
            self._update_named_code(config, prepared)
            return
        loss = config.get("loss")
        from_logits = None
        if prepared is not None and loss in (None, prepared.config.loss):
            loss, from_logits = prepared.config.loss, prepared.from_logits
        code = compile_code(config, loss, from_logits)
        if config.get("loss") is None:
            note = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# loss: automatic, to suit the model's output"))
            code = f"{note}\n{code}"
        self.compile_label.setText(code)
        self.fit_label.setText(fit_code(config))
        show_code(self.loop_view, self._loop_text(config, loss, from_logits, code))
        self.data_panel.set_batching(config["batch_size"], config.get("shuffle", True) is not False)

    def _update_named_code(self, config: dict, prepared: Prepared | None) -> None:
        """compile with a loss, weight and metrics per output; the loop once they are known."""
        chosen = config.get("outputs", {})
        known = prepared is not None and bool(prepared.output_from_logits) and all(
            _same_output(value, prepared.config.outputs.get(name)) for name, value in chosen.items())
        if known:
            outputs = prepared.config.outputs
            code = compile_code(config, None, None, outputs=outputs)
            shown = {name: {**o, "from_logits": prepared.output_from_logits.get(name)} for name, o in outputs.items()}
            loop = loop_code(config, "", None, comments=comments_language(), outputs=shown)
        else:
            outputs = {name: {"loss": value.get("loss"), "weight": value.get("weight", 1.0), "metrics": ["..."]}
                       for name, value in chosen.items()}
            code = compile_code(config, None, None, outputs=outputs).replace('["..."]', "[...]")
            code = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# automatic losses and metrics: chosen to suit each output's labels")) + "\n" + code
            loop = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# The loss is chosen to suit the model's output when training starts;\n"
                           "# the loop appears here then.")) + "\n"
        note = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# x_train, y_train: dicts of arrays, by input and by output name"))
        self.compile_label.setText(code)
        self.fit_label.setText(fit_code(config))
        self._fit_settings_column()
        same = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# The same training with compile, fit and evaluate:"))
        show_code(self.loop_view, f"{loop}\n\n{same}\n{note}\n{code}\n{fit_code(config)}\n"
                                  f"model.evaluate(x_test, y_test)\n")
        self.data_panel.set_batching(config["batch_size"], config.get("shuffle", True) is not False)

    def _comment(self, text: str) -> str:
        """A comment of the code shown here: in the interface's language, unless English
        comments are asked for (the same setting as the Code tab's)."""
        return text if comments_language() == "en" else QCoreApplication.translate("TrainingPanel", text)

    def _loop_text(self, config: dict, loss: str | None, from_logits: bool | None, compile_text: str) -> str:
        """The loop the trainer runs, as code, then the same training with compile and fit."""
        if loss is None:
            loop = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# The loss is chosen to suit the model's output when training starts;\n"
                           "# the loop appears here then.")) + "\n"
        else:
            loop = loop_code(config, loss, from_logits, comments=comments_language())
        same = self._comment(QT_TRANSLATE_NOOP("TrainingPanel", "# The same training with compile, fit and evaluate:"))
        return (f"{loop}\n\n{same}\n{compile_text}\n{fit_code(config)}\n"
                f"model.evaluate(x_test, y_test)\n")

    @Slot(object)
    def _on_data_loaded(self, dataset: Dataset) -> None:
        """Show 2-D points; metrics and a loss that do not suit the data's task give way to the usual ones."""
        self.try_view.set_data(dataset)
        named = dataset.task == NAMED
        self._show_named(named)
        if named:
            self.boundary.set_points(None, None)
            self._sync_ports()
            self._update_code()
            return
        if has_boundary(dataset):
            self.boundary.set_points(dataset.x, dataset.y)
        else:
            self.boundary.set_points(None, None)
        classes = dataset.task == CLASSIFICATION
        chosen = [key for key, check in self.metric_checks.items() if check.isChecked()]
        changed = any((key in CLASS_METRICS) != classes for key in chosen)
        if changed:
            self._showing_settings = True
            for key, check in self.metric_checks.items():
                check.setChecked(key == ("accuracy" if classes else "mae"))
            self._showing_settings = False
        loss = self.loss.currentData()
        if loss is not None and (loss in CLASSIFICATION_LOSSES) != classes:
            self.loss.setCurrentIndex(0)
            changed = True
        if changed:
            self._settings_changed()

    @Slot()
    def _on_training_changed(self) -> None:
        """Undo and redo of a settings change show the settings they restore."""
        if self.document.project.training != self.training_settings():
            self.show_settings(self.document.project.training)

    @Slot()
    def _on_document_changed(self) -> None:
        if self.document.project is not self._project:
            self._project = self.document.project
            self._forget_results()  # another project: the curves and results shown were not its
            self.show_settings(self._project.training)
            self._restore_pending = self._project.weights is not None
            QTimer.singleShot(0, self._maybe_restore)

    @Slot()
    @Slot(object)
    def _maybe_restore(self, _loaded: object = None) -> None:
        """Load the trained weights the project file keeps (once TensorFlow and the data
        are ready), so that it can be tried, evaluated or trained on at once."""
        project = self.document.project
        if not self._restore_pending or self.state != "idle" or self._shut_down:
            return
        if (self._tf is not None and not self._tf.is_ready()) or self.data_panel.dataset is None:
            return  # tried again when TensorFlow is ready and when the data has loaded
        self._restore_pending = False
        if not weights.fits(project.weights, project.graph):
            return
        settings = self.training_settings()
        config = {k: v for k, v in settings.items() if k in _TRAIN_KEYS}
        request = RunRequest(project.graph.to_json(), settings["dataset"],
                             dict(settings.get("data_options") or {}), config, project.weights)
        self._model_digest = weights.graph_digest(project.graph)
        self._set_state("busy")
        self._worker.restore(request)

    @Slot(object)
    def _on_restored(self, prepared: Prepared) -> None:
        # Unlike a run's preparation, this leaves the curves as they are.
        self._prepared = prepared
        dataset = prepared.dataset
        self.try_view.set_data(dataset)
        self._update_code()
        if prepared.restored:
            self._trained = True
            self.message.show_message("info", lambda: fill(self.tr(
                "The trained weights kept in the project are loaded (%1 epochs): try the model, "
                "evaluate it, or train on from them."), str(prepared.epochs)))

    def _forget_results(self) -> None:
        self.curves.clear()
        self.boundary.set_boundary(None)
        self.learned.set_predictions(None)
        self.try_view.show_probabilities(None)
        self.inside.set_activations(None)
        self.evaluation.hide()
        self.progress.setValue(0)
        self.progress_label.clear()
        self._current = None
        self.message.clear_message()
        self._epoch_offset = 0
        self._model_digest = None
        self._trained = False  # Evaluate, Reset, Save model and Try it wait for this project's model
        self._prepared = None
        self._set_state(self.state)

    @Slot()
    def _on_graph_edited(self) -> None:
        """Say so when the editor's model is no longer the one trained (moving boxes aside)."""
        self._sync_ports()
        if self._model_digest is None or not self._trained and self.state == "idle":
            return
        if weights.graph_digest(self.document.graph) == self._model_digest:
            return
        if self.state in ("preparing", "running", "paused"):
            self.message.show_message("info", lambda: self.tr(
                "The model was changed in the editor: this run goes on training the model as it was "
                "when it started. Stop, then Start, to train the changed model."))
        elif self.state == "idle":
            self.message.show_message("info", lambda: self.tr(
                "The model was changed in the editor: the results shown are those of the model before "
                "the change. Start trains the changed model afresh."))

    @Slot(object)
    def _on_weights(self, record: dict | None) -> None:
        self.document.set_weights(record)

    def _show_tensorboard_command(self) -> None:
        self.tensorboard_label.setText(self.tr(
            "See every run in TensorBoard: where TensorBoard is installed (pip install tensorboard), "
            "run this command in a terminal, then open http://localhost:6006 in a browser:"))
        self.tensorboard_command.setText(tensorboard_command(self.logdir))
        self.tensorboard_command.setCursorPosition(0)

    @Slot()
    def _choose_logdir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder for Training Logs"), self.logdir)
        if path:
            self.set_logdir(path)

    def set_logdir(self, path: str) -> None:
        """Write the logs of the next runs under ``path`` (remembered for the next session)."""
        self.logdir = path
        self.settings.setValue(SETTINGS_LOGDIR, path)
        self.logdir_label.setText(path)
        self._show_tensorboard_command()
        self.refresh_runs()

    # ------------------------------------------------------------------ state
    def _set_state(self, state: str) -> None:
        self.state = state
        idle = state == "idle"
        active = state in ("preparing", "running", "paused")
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        self.stop_button.setEnabled(active)
        self.reset_button.setEnabled(idle and self._trained)
        self.try_view.set_trained(idle and self._trained)
        self.save_model_button.setEnabled(idle and self._trained)
        test_data = self._prepared is not None and self._prepared.sizes[2] > 0
        self.evaluate_button.setEnabled(idle and self._trained and test_data)
        for box in self._setting_boxes:
            box.setEnabled(idle)
        if state in ("running", "preparing"):
            self._clock_timer.start()
        else:
            self._clock_timer.stop()
        self.sigStateChanged.emit(state)

    def is_running(self) -> bool:
        """Whether a job (a run, an evaluation or a reset) is in progress."""
        return self.state != "idle"

    def has_trained(self) -> bool:
        """Whether the model in this panel has been trained (its curves show steps)."""
        return self.curves.step_count() > 0

    # ------------------------------------------------------------------ commands
    @Slot()
    def start(self) -> None:
        """Build the model from the editor's graph (or reuse it) and train it."""
        if self.state != "idle" or self._shut_down:
            return
        if self._tf is not None and not self._tf.is_ready():
            self._wait_for_tf()
            return
        settings = self.training_settings()
        if not settings["dataset"]:
            self.message.show_message("error", lambda: self.tr("Choose the data to train on first."))
            return
        config = {k: v for k, v in settings.items() if k in _TRAIN_KEYS}
        config.update(logdir=self.logdir, run_name=run_name(settings["dataset"]))
        request = RunRequest(self.document.graph.to_json(), settings["dataset"],
                             dict(settings.get("data_options") or {}), config, self.document.project.weights)
        self._restore_pending = False  # the run starts from the project's weights itself
        self._model_digest = weights.graph_digest(self.document.graph)  # the model this run trains
        self._control.begin()
        self.message.show_message("info", lambda: self.tr("Building the model from the editor's graph..."))
        self._run_dir = None
        self._set_state("preparing")
        self._worker.train(request, self._control)

    def _wait_for_tf(self) -> None:
        self.message.show_message("info", lambda: self.tr(
            "TensorFlow is still loading; training starts when it is ready."))
        if not self._waiting_for_tf:
            self._waiting_for_tf = True
            self._tf.sigReady.connect(self._on_tf_ready)

    @Slot()
    def _on_tf_ready(self) -> None:
        self._tf.sigReady.disconnect(self._on_tf_ready)
        self._waiting_for_tf = False
        self.start()

    @Slot()
    def _toggle_pause(self) -> None:
        if self.state == "paused":
            self.resume()
        else:
            self.pause()

    @Slot()
    def pause(self) -> None:
        """Pause the run before its next chunk of steps."""
        if self.state == "running":
            self._control.request_pause()
            self.pause_button.setEnabled(False)

    @Slot()
    def resume(self) -> None:
        """Let a paused run go on."""
        if self.state == "paused":
            self._control.resume()
            self.pause_button.setEnabled(False)

    @Slot()
    def stop(self) -> None:
        """Stop the run after the steps in progress; its weights are kept."""
        if self.state in ("preparing", "running", "paused"):
            self._control.request_stop()
            self._set_state("stopping")
            self.message.show_message("info", lambda: self.tr("Stopping..."))

    @Slot()
    def reset_weights(self) -> None:
        """Go back to the initial weights (and a fresh optimizer); clears the curves."""
        if self.state != "idle" or not self._trained:
            return
        self._set_state("busy")
        self.curves.clear()
        self.boundary.set_boundary(None)
        self._epoch_offset = 0
        self.progress.setValue(0)
        self.progress_label.setText("")
        self._current = None  # no progress to write again
        self.evaluation.hide()
        self.message.show_message("info", lambda: self.tr("The weights are back to their initial values."))
        self._worker.reset()

    @Slot()
    def evaluate(self) -> None:
        """Measure the loss and metrics on the test data: ``model.evaluate(x_test, y_test)``."""
        if self.state != "idle" or not self._trained:
            return
        self._set_state("busy")
        self._worker.evaluate()

    @Slot()
    def save_model_dialog(self) -> None:
        """Ask where to save the trained model, then save it (``model.save("name.keras")``)."""
        if self.state != "idle" or not self._trained:
            return
        folder = self.settings.value(SETTINGS_MODEL_DIR, str(Path.home()), type=str)
        name = (self.document.graph.name or "model") + ".keras"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Trained Model"), str(Path(folder) / name),
                                              self.tr("Keras models (*.keras)"))
        if path:
            self.save_model(path)

    def save_model(self, path: str) -> None:
        """Save the trained model to ``path`` (``.keras`` added when missing) on the worker."""
        if self.state != "idle" or not self._trained:
            return
        if not path.lower().endswith(".keras"):
            path += ".keras"
        self.settings.setValue(SETTINGS_MODEL_DIR, str(Path(path).parent))
        self._set_state("busy")
        self._worker.save_model(path)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.message.show_message("info", lambda: fill(self.tr(
            "Saved the trained model to %1. Open it with File > Import Keras Model, or in Python with "
            "tf.keras.models.load_model."), path))

    # ------------------------------------------------------------------ worker signals
    @Slot(object)
    def _on_refused(self, err: TflabError) -> None:
        failed = self.data_panel.load_error
        if failed is not None and failed.full() == err.full():  # already written under the data
            self.message.show_message("error", lambda: self.tr(
                "Training cannot start: the data could not be loaded (the reason is written under "
                "the data settings)."))
        else:
            self.message.show_message("error", lambda: fill(self.tr("Training cannot start. %1"), err.full()))
        self.sigRunEnded.emit("refused")

    @Slot(object)
    def _on_prepared(self, prepared: Prepared) -> None:
        self._prepared = prepared
        dataset = prepared.dataset
        self.try_view.set_data(dataset)
        if prepared.fresh:
            self.curves.clear()
            self.boundary.set_boundary(None)
            self.learned.set_predictions(None)
            self._epoch_offset = 0
            self.evaluation.hide()
        self._update_code()

    @Slot(object)
    def _on_event(self, event) -> None:
        if isinstance(event, Steps):
            self.curves.add_steps(event.losses)
            self.progress.setValue((event.epoch - 1) * event.steps_per_epoch + event.step)
            self._current = event
            self._show_progress()
        elif isinstance(event, EpochEnd):
            self._epochs_done = event.epoch
            self.curves.add_epoch(self._epoch_offset + event.epoch, event.train, event.validation)
        elif isinstance(event, Started):
            self._on_started(event)
        elif isinstance(event, Paused):
            self._elapsed_before += self._elapsed.elapsed() / 1000
            self._elapsed.invalidate()
            self._set_state("paused")
            self.message.show_message("info", lambda: self.tr("Paused. Resume to go on, or Stop."))
        elif isinstance(event, Resumed):
            self._elapsed.start()
            self._set_state("running")
            self.message.clear_message()
        elif isinstance(event, (Stopped, Finished, Failed)):
            self._on_run_end(event)

    def _on_started(self, event: Started) -> None:
        self._trained = True
        self._run_dir = event.log_dir
        self._epochs_done = 0
        self._current = None
        self._total_steps = event.epochs * event.steps_per_epoch
        self._elapsed_before = 0.0
        self._elapsed.start()
        self.progress.setRange(0, max(1, self._total_steps))
        self.progress.setValue(0)
        if self.state == "preparing":
            self._set_state("running")
        if event.replicas > 1:
            self.message.show_message("info", lambda: fill(self.tr(
                "Training on %1 devices at once: each takes its share of every batch."), str(event.replicas)))
        else:
            self.message.clear_message()
        self._show_progress()

    def _on_run_end(self, event) -> None:
        self._epoch_offset += self._epochs_done
        if self._elapsed.isValid():
            self._elapsed_before += self._elapsed.elapsed() / 1000
            self._elapsed.invalidate()
        if isinstance(event, Finished):
            self.progress.setValue(self.progress.maximum())
            self.message.show_message("info", lambda: fill(self.tr("Finished in %1."), _clock(event.elapsed)))
            if event.test:
                self._show_evaluation(event.test)
            self.sigRunEnded.emit("finished")
        elif isinstance(event, Stopped):
            self.message.show_message("info", lambda: fill(
                self.tr(
                    "Stopped at epoch %1, step %2. Start goes on from these weights; Reset weights starts over."),
                str(event.epoch),
                str(event.step),
            ))
            self.sigRunEnded.emit("stopped")
        else:
            self.message.show_error(event.error)
            self.sigRunEnded.emit("failed")
        self._show_progress()

    @Slot(object)
    def _on_boundary(self, grid: BoundaryGrid) -> None:
        if self.boundary.has_points():
            self.boundary.set_boundary(grid)

    @Slot(object)
    def _show_evaluation(self, values: dict) -> None:
        count = self._prepared.sizes[2] if self._prepared is not None else 0
        self._write_evaluation(values, count)
        self.sigEvaluated.emit(values)

    def _write_evaluation(self, values: dict, count: int, show: bool = True) -> None:
        self._evaluated = (values, count)
        self.evaluation.setText(fill(
            self.tr("model.evaluate(x_test, y_test)  \u2192  %1   (%2 test samples)"),
            metrics_text(values),
            str(count),
        ))
        if show:
            self.evaluation.show()

    @Slot(object)
    def _on_job_error(self, err: TflabError) -> None:
        self.message.show_error(err)

    @Slot()
    def _on_job_ended(self) -> None:
        if self._shut_down:
            return
        self._set_state("idle")
        if self._run_dir:
            self._run_dir = None
            self.refresh_runs()

    def _show_progress(self) -> None:
        """Epoch, step, time spent and time left, under the progress bar."""
        event = self._current
        if event is None or not self._total_steps:
            return
        done = self.progress.value()
        spent = self._elapsed_before + (self._elapsed.elapsed() / 1000 if self._elapsed.isValid() else 0.0)
        text = fill(
            self.tr("Epoch %1/%2, step %3/%4"),
            str(event.epoch),
            str(self._total_steps // event.steps_per_epoch),
            str(event.step),
            str(event.steps_per_epoch),
        )
        text += "   " + fill(self.tr("%1 elapsed"), _clock(spent))
        if 0 < done < self._total_steps:
            left = spent / done * (self._total_steps - done)
            text += ", " + fill(self.tr("about %1 left"), _clock(left))
        self.progress_label.setText(text)

    # ------------------------------------------------------------------ past runs
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh_runs()

    @Slot()
    def refresh_runs(self) -> None:
        """List the runs under the log folder, newest first (ticked runs stay ticked): the
        folder is read on the log lane, and the list follows (:attr:`sigRunsListed`)."""
        logdir = self.logdir
        self._run_lister.run(lambda: sorted(list_runs(logdir), key=lambda r: r.modified, reverse=True))

    def listing_runs(self) -> bool:
        """Whether the log folder is being listed (the past runs list follows)."""
        return self._run_lister.busy()

    @Slot(object)
    def _on_runs_error(self, err: TflabError) -> None:
        self.message.show_error(err)
        self.sigRunsListed.emit()

    @Slot(object)
    def _show_runs(self, runs: list) -> None:
        ticked = {self.runs_list.item(i).text() for i in range(self.runs_list.count())
                  if self.runs_list.item(i).checkState() == Qt.Checked}
        self.runs_list.blockSignals(True)
        self.runs_list.clear()
        for run in runs:
            item = QListWidgetItem(run.name, self.runs_list)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if run.name in ticked else Qt.Unchecked)
            if run.name in ticked:
                item.setIcon(_swatch(self._run_colours.get(run.name)))
            item.setData(Qt.UserRole, str(run.path))
            item.setToolTip(str(run.path))
        self.runs_list.blockSignals(False)
        for name in set(self.curves.overlay_names()) - ticked:
            self.curves.remove_overlay(name)
        self.sigRunsListed.emit()

    @Slot(QListWidgetItem)
    def _on_run_item_changed(self, item: QListWidgetItem) -> None:
        name = item.text()
        if item.checkState() != Qt.Checked:
            self.curves.remove_overlay(name)
            self.runs_list.blockSignals(True)
            item.setIcon(QIcon())
            self.runs_list.blockSignals(False)
            return
        path = item.data(Qt.UserRole)
        self._log_reader.call(name, lambda: read_scalars(path))

    @Slot(object, object)
    def _on_run_error(self, name: object, err: TflabError) -> None:
        if isinstance(name, str):  # a run's log (the list's answers carry keys of their own)
            self.message.show_error(err)

    @Slot(object, object)
    def _on_run_read(self, name: object, scalars: dict) -> None:
        if not isinstance(name, str):
            return  # the list of runs, answered on the same lane
        items = self.runs_list.findItems(name, Qt.MatchExactly)
        if items and items[0].checkState() == Qt.Checked:
            colour = self._run_colours[name] = self.curves.set_overlay(name, scalars)
            self.runs_list.blockSignals(True)
            items[0].setIcon(_swatch(colour))
            self.runs_list.blockSignals(False)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, deadline: QDeadlineTimer | None = None) -> None:
        """Stop a run and wait for every worker thread to end (call before the window
        closes); a data set still loading is waited for until ``deadline`` only."""
        if self._shut_down:
            return
        self._shut_down = True
        self._clock_timer.stop()
        self.data_panel.shutdown(deadline)
        self._training_thread.shutdown()
        self._log_lane.shutdown()
