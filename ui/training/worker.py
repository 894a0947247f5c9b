"""Training off the GUI thread: worker objects that live on threads of their own.

The window never waits for TensorFlow. Everything that runs TensorFlow (building the
model, training, evaluating, resetting weights, previewing data, reading run logs) runs
in a worker ``QObject`` moved to a thread of its own (:class:`ui.core.workers.WorkerThread`), which the GUI
asks for work with queued signals and which answers with signals.

Workers are made once, when their panel is, and reused: a Python-made QObject that is
destroyed on a worker thread while the GUI thread connects signals can deadlock
PySide (Qt's connection lock against the GIL) or crash it, so no worker is created or
deleted while the application runs; they go with their panel, after their thread has ended.

- :class:`TrainingWorker` trains, evaluates or resets the model kept in its
  :class:`tflab.session.Session` (the engine's; the command line uses it too). It forwards the trainer's events; the per-step losses arrive in
  chunks from the engine and are coalesced further, so the GUI gets ``Steps`` events
  at most :data:`EMIT_INTERVAL_S` apart. For 2-D data it also sends the model's
  predictions on a grid (:class:`BoundaryGrid`) while it learns.
- :class:`tflab.session.RunControl` carries Stop / Pause / Resume from the GUI thread
  to a run, even before its trainer exists.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from tflab.messages import TflabError
from tflab.session import RunControl, RunRequest, Session
from tflab.trainer import EpochEnd, Failed, Finished, Steps, Stopped
from ui.core.workers import unexpected

#: The shortest time between two ``Steps`` events sent to the GUI (seconds).
EMIT_INTERVAL_S = 1 / 30
#: The shortest time between two decision boundaries at the end of epochs (seconds).
BOUNDARY_EPOCH_INTERVAL_S = 0.2
#: The shortest time between two sets of test predictions at the end of epochs (seconds).
PREDICTIONS_INTERVAL_S = 1.0
#: The longest time without a decision boundary while an epoch runs (seconds).
BOUNDARY_STEP_INTERVAL_S = 1.0
class _Latest:
    """The newest of the requests made from any thread: :meth:`put` says whether the worker
    must be told (none waits yet); the worker :meth:`take` s it once, older ones dropped.
    :attr:`value` stays readable after (the sample shown at each epoch end)."""

    def __init__(self, value: object) -> None:
        self._lock = threading.Lock()
        self.value = value
        self._waiting = False

    def put(self, value: object) -> bool:
        with self._lock:
            self.value = value
            first, self._waiting = not self._waiting, True
        return first

    def take(self) -> object:
        with self._lock:
            self._waiting = False
            return self.value


class TrainingWorker(QObject):
    """Trains, evaluates or resets the model of its :class:`Session` (one job at a time).

    The GUI starts a job with :meth:`train`, :meth:`evaluate` or :meth:`reset`; each
    job ends with ``sigDone``.

    Signals:
        sigTrain(object, object): internal: (RunRequest, RunControl) to the worker thread.
        sigEvaluate(): internal: evaluate on the worker thread.
        sigReset(): internal: reset the weights on the worker thread.
        sigRefused(object): the run cannot start; the TflabError says why.
        sigPrepared(object): a :class:`Prepared`: the run is about to start.
        sigEvent(object): a trainer event (``Started``, coalesced ``Steps``, ``EpochEnd``,
            ``Paused``, ``Resumed``, ``Stopped``, ``Finished``, ``Failed``).
        sigBoundary(object): a :class:`BoundaryGrid` of the current weights (2-D data).
        sigPredictions(object): :class:`~tflab.evaluation.Predictions` on the test part
            (classes only), at epoch ends while it learns and when the run ends.
        sigPredicted(object): the class probabilities asked for with :meth:`predict`.
        sigActivations(object): :class:`~tflab.activations.Activations`: every layer's output
            for the sample chosen with :meth:`show_sample`, when asked and at epoch ends.
        sigSaved(str): the trained model was saved to this ``.keras`` file (:meth:`save_model`).
        sigWeights(object): the weights to keep in the project (a :mod:`tflab.weights`
            section; None: none to keep), after each run and after a reset.
        sigRestored(object): a :class:`~tflab.session.Prepared`: the project's weights are
            in the model (:meth:`restore`), ready to be tried and evaluated.
        sigEvaluated(object): the test metrics (dict name -> value).
        sigError(object): evaluating or resetting failed (a TflabError).
        sigDone(): the job ended.
    """

    sigTrain = Signal(object, object)
    sigEvaluate = Signal()
    sigReset = Signal()
    sigRefused = Signal(object)
    sigPrepared = Signal(object)
    sigEvent = Signal(object)
    sigBoundary = Signal(object)
    sigPredictions = Signal(object)
    sigPredict = Signal(object)
    sigPredicted = Signal(object)
    sigActivate = Signal()
    sigActivations = Signal(object)
    sigSave = Signal(str)
    sigSaved = Signal(str)
    sigWeights = Signal(object)
    sigRestore = Signal(object)
    sigRestored = Signal(object)
    sigEvaluated = Signal(object)
    sigError = Signal(object)
    sigDone = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.session = Session()
        self._pending: list[np.ndarray] = []
        self._last_steps: Steps | None = None
        self._last_emit = 0.0
        self._last_boundary = 0.0
        self._epoch = 0
        self._run_epochs = 0  # epochs the current run has finished
        self.sigTrain.connect(self._train)
        self.sigEvaluate.connect(self._evaluate)
        self.sigReset.connect(self._reset)
        self.sigPredict.connect(self._predict)
        self.sigSave.connect(self._save)
        self.sigRestore.connect(self._restore)
        self.sigActivate.connect(self._activate)
        self._sample = _Latest(0)  # the sample whose layer outputs are shown
        self._drawing = _Latest(None)  # the newest drawing to read
        self._last_predictions = 0.0

    def train(self, request: RunRequest, control: RunControl) -> None:
        """Prepare and run a training (``control`` stops, pauses and resumes it)."""
        self.sigTrain.emit(request, control)

    def evaluate(self) -> None:
        """Measure the test metrics with the current weights."""
        self.sigEvaluate.emit()

    def reset(self) -> None:
        """Go back to the initial weights."""
        self.sigReset.emit()

    def restore(self, request: RunRequest) -> None:
        """Build the model with the project's trained weights, without training (a job)."""
        self.sigRestore.emit(request)

    def save_model(self, path: str) -> None:
        """Save the trained model as a ``.keras`` file (a job: ends with sigDone)."""
        self.sigSave.emit(path)

    def predict(self, x: np.ndarray) -> None:
        """Class probabilities of the samples ``x`` with the current weights (sigPredicted).
        Requests made while one waits replace it: only the newest drawing counts."""
        if self._drawing.put(np.asarray(x)):
            self.sigPredict.emit(None)

    def show_sample(self, index: int) -> None:
        """Every layer's output for sample ``index`` of the test part (sigActivations), now
        and at each epoch end. Requests made while one waits replace it."""
        if self._sample.put(int(index)):
            self.sigActivate.emit()

    # ----- jobs, on the worker thread
    def _answer(self, work: Callable[[], None], doing_en: str, doing_zh: str, job: bool = True) -> None:
        """Run ``work``; a failure reaches the user as sigError (in words); a job ends with sigDone."""
        try:
            work()
        except TflabError as err:
            self.sigError.emit(err)
        except Exception as err:  # noqa: BLE001 - every failure must reach the user
            self.sigError.emit(unexpected(err, doing_en, doing_zh))
        finally:
            if job:
                self.sigDone.emit()

    @Slot()
    def _evaluate(self) -> None:
        self._answer(lambda: self.sigEvaluated.emit(self.session.evaluate()), "evaluating the model", "评估模型")

    @Slot(object)
    def _restore(self, request: RunRequest) -> None:
        def restore() -> None:
            prepared = self.session.prepare(request)
            self._epoch = prepared.epochs
            self.sigRestored.emit(prepared)  # first: the panel starts afresh for a new model
            if prepared.restored:
                self._send_boundary()
                self._send_predictions(prepared.epochs)

        self._answer(restore, "loading the trained weights", "加载训练好的权重")

    @Slot(str)
    def _save(self, path: str) -> None:
        self._answer(lambda: self.sigSaved.emit(str(self.session.save_model(path))), "saving the model", "保存模型")

    @Slot(object)
    def _predict(self, _unused: object) -> None:
        x = self._drawing.take()
        if x is not None:
            self._answer(lambda: self.sigPredicted.emit(self.session.predict(x)), "reading the drawing",
                         "识别画的图", job=False)

    @Slot()
    def _activate(self) -> None:
        self._sample.take()
        self._answer(lambda: self._send_activations(self._epoch), "looking inside the model",
                     "查看模型内部", job=False)

    @Slot()
    def _reset(self) -> None:
        def reset() -> None:
            self.session.reset()
            self._epoch = 0
            self.sigWeights.emit(None)
            self._send_boundary()
            self._send_predictions(0)

        self._answer(reset, "resetting the weights", "重置权重")

    @Slot(object, object)
    def _train(self, request: RunRequest, control: RunControl) -> None:
        try:
            self._run(request, control)
        finally:
            self.sigDone.emit()

    def _run(self, request: RunRequest, control: RunControl) -> None:
        try:
            prepared = self.session.prepare(request)
        except TflabError as err:
            self.sigRefused.emit(err)
            return
        except Exception as err:  # noqa: BLE001 - every failure must reach the user
            self.sigRefused.emit(unexpected(err, "preparing the model", "准备模型"))
            return
        self.sigPrepared.emit(prepared)
        self._send_boundary()
        trainer = self.session.trainer
        events = trainer.run()  # clears earlier requests: the control passes them on again
        control.attach(trainer)
        self._pending, self._last_emit = [], time.monotonic()
        self._run_epochs = 0
        try:
            for event in events:
                self._forward(event, trainer.config.epochs)
        except Exception as err:  # noqa: BLE001 - a run never ends in a traceback
            self._flush()
            self.sigEvent.emit(Failed(unexpected(err, "training", "训练")))
        self.session.trained_epochs += self._run_epochs
        try:
            self.sigWeights.emit(self.session.weights_record(request.graph))
        except Exception:  # noqa: BLE001 - keeping them is a convenience; the run itself is done
            self.sigWeights.emit(None)

    def _forward(self, event: object, epochs: int) -> None:
        now = time.monotonic()
        if isinstance(event, Steps):
            self._pending.append(event.losses)
            self._last_steps = event
            if now - self._last_emit >= EMIT_INTERVAL_S:
                self._flush()
            if now - self._last_boundary >= BOUNDARY_STEP_INTERVAL_S:
                self._send_boundary()
            return
        self._flush()
        self.sigEvent.emit(event)
        if isinstance(event, EpochEnd):
            self._epoch = event.epoch
            self._run_epochs = event.epoch
            if event.epoch == epochs or now - self._last_boundary >= BOUNDARY_EPOCH_INTERVAL_S:
                self._send_boundary()
            if event.epoch == epochs or now - self._last_predictions >= PREDICTIONS_INTERVAL_S:
                self._send_predictions(event.epoch)
        elif isinstance(event, (Stopped, Finished)):
            self._send_boundary()
            self._send_predictions(self._epoch)

    def _flush(self) -> None:
        """Send the steps gathered so far as one ``Steps`` event."""
        if not self._pending:
            return
        losses = self._pending[0] if len(self._pending) == 1 else np.concatenate(self._pending)
        self.sigEvent.emit(replace(self._last_steps, losses=losses))
        self._pending = []
        self._last_emit = time.monotonic()

    def _send_predictions(self, epoch: int) -> None:
        predictions = self.session.predictions("test", epoch)
        self._last_predictions = time.monotonic()
        if predictions is not None:
            self.sigPredictions.emit(predictions)
        self._send_activations(epoch)

    def _send_activations(self, epoch: int) -> None:
        seen = self.session.activations(self._sample.value, epoch)
        if seen is not None:
            self.sigActivations.emit(seen)

    def _send_boundary(self) -> None:
        grid = self.session.boundary()
        self._last_boundary = time.monotonic()
        if grid is not None and math.isfinite(float(grid.values.sum())):
            self.sigBoundary.emit(grid)
