"""The editor with a 100-layer model: from an edit to updated shapes, cards and code.

Runs the real main window (offscreen) with a 100-layer stack, then changes one
layer's parameter in the middle many times, as a student typing in the inspector
would. For each edit it measures, on the GUI thread's clock:

- how long the edit itself blocks the GUI thread (undo step, stack cards, inspector
  and the code view's regeneration, all synchronous);
- how long until the new shapes and parameter counts are on screen, minus the
  editor's deliberate quiet time after a keystroke (``DEBOUNCE_MS``): the shape
  check runs on a worker thread.

The obvious alternative, measured in the same run, is to rebuild the full Keras
model for every edit (``keras.Model`` of the same 100 layers, on the GUI thread).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.bench_editor_engine import hundred_layers
from tflab.keras_build import build_model
from tflab.project import Project
from ui.core.shape_service import DEBOUNCE_MS

EDITS = 20


def wait_for(signal, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def main() -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/tflab-bench-settings")
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("tflab-bench")
    from ui.app.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    if not window.tf_loader.is_ready():
        wait_for(window.tf_loader.sigReady)
    graph = hundred_layers()
    window.document.replace_project(Project(graph), None)
    wait_for(window.shapes.sigReport)
    app.processEvents()

    blocked, visible = [], []
    for i in range(EDITS):
        units = 40 + i % 7
        start = time.perf_counter()
        window.document.edit("Edit units", lambda g, u=units: g.set_config("dense_40", {
            "units": u, "activation": "relu"}), merge_key="bench")
        app.processEvents()
        blocked.append((time.perf_counter() - start) * 1000)
        wait_for(window.shapes.sigReport)
        app.processEvents()  # the views draw the new report
        visible.append((time.perf_counter() - start) * 1000 - DEBOUNCE_MS)
        assert window.shapes.report.ok

    rebuild = []
    for _ in range(3):
        start = time.perf_counter()
        build_model(window.document.graph)
        rebuild.append((time.perf_counter() - start) * 1000)

    window.shutdown()
    med_block, max_block = statistics.median(blocked), max(blocked)
    med_visible = statistics.median(visible)
    med_rebuild = statistics.median(rebuild)
    print(f"100-layer model in the editor, {EDITS} edits, TensorFlow loaded")
    print(f"  GUI thread blocked by one edit (median / max):   {med_block:7.1f} / {max_block:.1f} ms")
    print(f"  edit -> new shapes on screen, after the {DEBOUNCE_MS} ms quiet time: {med_visible:6.1f} ms")
    print(f"  alternative: rebuild the Keras model per edit:   {med_rebuild:7.1f} ms on the GUI thread")
    print(f"ratio rebuild / GUI-thread time per edit: {med_rebuild / med_block:6.1f}x")


if __name__ == "__main__":
    main()
