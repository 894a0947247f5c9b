"""GUI responsiveness while a model trains in the Training panel.

A 10 ms ``QTimer`` ticks on the GUI thread; each tick records how late it came (the
time since the previous tick minus 10 ms). Its delays are measured first with the
panel shown and idle, then, in the same process and window, while a real training
runs in the panel: with the live curves shown, then (2-D data) with the decision
boundary shown as the model learns. The goal: no delay above 50 ms while training.
It also prints the process's peak memory (the whole app: Qt, TensorFlow, data, model).

Run: ``python benchmarks/bench_gui_latency.py [--seconds 10] [--data spiral|digits|mnist]``
(``mnist``: File > New's course model on the bundled MNIST digits)
(offscreen by default; set ``QT_QPA_PLATFORM`` to watch it on screen).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from tflab import tfload
from tflab.graph import ModelGraph
from tflab.project import Project, starter_project
from ui.core.document import Document
from ui.training.panel import TrainingPanel

GOAL_MS = 50.0
TICK_MS = 10

SETUPS = {
    "spiral": (
        ModelGraph.sequential((2,), [("Dense", {"units": 32, "activation": "relu"}),
                                     ("Dense", {"units": 32, "activation": "relu"}),
                                     ("Dense", {"units": 2, "activation": "softmax"})]),
        {"dataset": "spiral", "data_options": {"n_samples": 2000, "noise": 0.05, "seed": 0},
         "epochs": 100_000, "batch_size": 32, "learning_rate": 0.01},
    ),
    "digits": (
        ModelGraph.sequential((64,), [("Dense", {"units": 64, "activation": "relu"}),
                                      ("Dense", {"units": 10, "activation": "softmax"})]),
        {"dataset": "digits", "epochs": 100_000, "batch_size": 32},
    ),
    "mnist": (starter_project().graph, {**starter_project().training, "epochs": 100_000}),
}


class Probe:
    """A 10 ms timer on the GUI thread that records how late each tick comes (ms)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def measure(self, seconds: float) -> np.ndarray:
        """Tick for ``seconds`` while the event loop runs; return the delays."""
        self.delays = []
        self._clock.start()
        self._timer.start()
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        self._timer.stop()
        return np.asarray(self.delays)

    def _tick(self) -> None:
        self.delays.append(max(0.0, self._clock.nsecsElapsed() / 1e6 - TICK_MS))
        self._clock.restart()


def wait_until(condition, seconds: float = 300.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("the panel did not get there in time")
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)


def summary(name: str, delays: np.ndarray) -> str:
    return (f"{name:<26} ticks {len(delays):5d}   max {delays.max():6.1f} ms   "
            f"median {np.median(delays):5.1f} ms   p99 {np.percentile(delays, 99):5.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measurement")
    parser.add_argument("--data", choices=sorted(SETUPS), default="spiral")
    args = parser.parse_args()

    app = QApplication([sys.argv[0]])
    app.setOrganizationName("tflab-bench")
    app.setApplicationName("tflab-bench")
    tfload.load()  # as in the app, TensorFlow is loaded before training starts
    graph, training = SETUPS[args.data]
    with TemporaryDirectory() as logdir:
        panel = TrainingPanel(Document(Project(graph, dict(training))))
        panel.set_logdir(logdir)
        panel.resize(1300, 850)
        panel.show()
        wait_until(lambda: panel.data_panel.dataset is not None)
        probe = Probe()
        idle = probe.measure(args.seconds)

        panel.start()
        wait_until(lambda: panel.state == "running" and panel.curves.step_count() > 0)
        steps_before = panel.curves.step_count()
        results = {}
        views = ["curves", "boundary"] if panel.boundary.has_points() else ["curves"]
        for index, view in enumerate(views):
            panel.tabs.setCurrentIndex(index)
            results[view] = probe.measure(args.seconds)
        steps = panel.curves.step_count() - steps_before
        panel.stop()
        wait_until(lambda: panel.state == "idle")
        panel.shutdown()

    print(f"GUI timer delays, {TICK_MS} ms timer, {args.seconds:g} s each ({args.data}, "
          f"{QApplication.platformName()} platform):")
    print(summary("idle", idle))
    for view, delays in results.items():
        print(summary(f"training, {view} shown", delays))
    seconds = args.seconds * len(results)
    print(f"training: {steps} steps in {seconds:g} s, {steps / seconds:.0f} steps/s")
    worst = max(delays.max() for delays in results.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory of the process: {peak:.0f} MiB")
    verdict = "PASS" if worst < GOAL_MS else "FAIL"
    print(f"{verdict}: largest delay while training {worst:.1f} ms (goal: under {GOAL_MS:g} ms)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
