"""Shape inference of the open model, off the GUI thread, a moment after each edit.

Every change of the document restarts a short timer (:data:`DEBOUNCE_MS`); when it
fires, a JSON snapshot of the graph goes to a worker thread, which runs
:class:`tflab.shapes.ShapeInference` (Keras itself) and sends the
:class:`~tflab.shapes.ShapeReport` back. The views then show shapes, parameter
counts and errors from that report.

- A model of the common layers gets its report worked out without Keras
  (:func:`tflab.shape_rules.quick_report`): the same numbers, at once, even while
  TensorFlow loads, in milliseconds where Keras takes a fifth of a second for a big
  model and leaves garbage for the GUI thread to collect. Any other model (a layer
  without a rule, a value Keras might refuse) is checked by Keras, as soon as
  TensorFlow is loaded, and even then the rules answer every call they know: Keras
  runs only the others (a broken call, a layer without a rule).
- The lane gets one request at a time; edits made meanwhile are coalesced into
  one more request when it is free, so a fast typist never builds up a backlog.
- A report that is older than the latest edit is dropped: the views only ever see
  a report of the graph they show. A check that an edit (or another file opened) made
  out of date stops at its next layer (:mod:`tflab.superseded`): it no longer takes
  turns with the window for Python while the new model comes in.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tflab.graph import ModelGraph
from tflab.messages import TflabError
from tflab.shape_rules import quick_report, rule_call
from tflab.shapes import ShapeInference, ShapeReport
from tflab.superseded import unless_superseded
from ui.core.document import Document
from ui.core.tf_loader import TfLoader
from ui.core.workers import Lane, Requests

#: Quiet time after an edit before the graph is checked, in milliseconds.
DEBOUNCE_MS = 150


def _check(inference: ShapeInference, graph_json: dict) -> ShapeReport:
    """Shape inference of one snapshot of the graph (on the service's lane); never raises."""
    try:
        return inference.infer(ModelGraph.from_json(graph_json), rule_call)
    except TflabError as err:
        return ShapeReport({}, {}, [], [err])
    except Exception as err:  # noqa: BLE001 - the editor must always get an answer
        return ShapeReport({}, {}, [], [TflabError(
            f"The model could not be checked ({type(err).__name__}: {err}).",
            f"无法检查这个模型（{type(err).__name__}：{err}）。",
        )])


def _quick(graph_json: dict) -> ShapeReport | None:
    """The report of one snapshot worked out without Keras, or None (on the lane)."""
    try:
        return quick_report(ModelGraph.from_json(graph_json))
    except Exception:  # noqa: BLE001 - Keras checks it once it is loaded
        return None


def _report(inference: ShapeInference, graph_json: dict, keras_ready: bool) -> ShapeReport | None:
    """The report of one snapshot (on the lane): without Keras where the rules cover the
    model, else by Keras if it is loaded, else None (asked again once it is)."""
    report = _quick(graph_json)
    if report is None and keras_ready:
        report = _check(inference, graph_json)
    return report


class ShapeService(QObject):
    """Keeps a fresh :class:`ShapeReport` of the document's graph.

    Signals:
        sigReport(object): a ShapeReport of the graph as it is now.
        sigBusy(bool): True while an edit waits to be checked, False once its report came.
    """

    sigReport = Signal(object)
    sigBusy = Signal(bool)

    def __init__(self, document: Document, tf_loader: TfLoader, parent: QObject | None = None):
        super().__init__(parent)
        self._document = document
        self._tf = tf_loader
        self.report: ShapeReport | None = None
        self._generation = 0          # counts edits; a report answers one generation
        self._newest = [0]            # the same, as the lane reads it (tflab.superseded)
        self._waiting = True          # an edit has not been answered yet
        self._inference = ShapeInference()  # used on the lane only (it keeps Keras's cache there)
        self._lane = Lane("shape-inference", self)
        self._requests = Requests(self._lane, self)
        self._requests.sigResult.connect(self._on_done)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._send)
        document.sigChanged.connect(self._on_changed)
        document.sigCustomCodeChanged.connect(self._on_changed)  # e.g. allowed to run: check again
        tf_loader.sigReady.connect(self._send)  # a model only Keras can check has waited for it
        self._timer.start()

    def is_waiting(self) -> bool:
        """True while the latest edit has no report yet."""
        return self._waiting

    def checking(self) -> bool:
        """True while a snapshot of the graph is being checked on the worker thread."""
        return self._requests.busy()

    def shutdown(self) -> None:
        """Stop the worker thread (waits for a running check: milliseconds)."""
        self._timer.stop()
        self._lane.shutdown()

    @Slot()
    def _on_changed(self) -> None:
        self._generation += 1
        self._newest[0] = self._generation
        if not self._waiting:
            self._waiting = True
            self.sigBusy.emit(True)
        self._timer.start()

    @Slot()
    def _send(self) -> None:
        """Send the graph as it is now to the worker, unless it is busy or answered."""
        if self._requests.busy() or not self._waiting or not self._lane.is_running():
            return
        generation, graph_json, inference = self._generation, self._document.snapshot(), self._inference
        keras_ready = self._tf.is_ready()
        newest = self._newest
        self._requests.run(lambda: unless_superseded(  # out of date: dropped, the newest graph sent
            lambda: (generation, _report(inference, graph_json, keras_ready)),
            lambda: newest[0] != generation, (generation, None)))

    @Slot(object)
    def _on_done(self, answer: tuple[int, ShapeReport | None]) -> None:
        generation, report = answer
        if generation != self._generation:  # stale: the graph changed meanwhile
            if not self._timer.isActive():
                self._send()
            return
        if report is not None:
            self.report = report
            self._waiting = False
            self.sigBusy.emit(False)
            self.sigReport.emit(report)
        elif self._tf.is_ready():  # only Keras can tell, and it came while this was asked
            self._send()
