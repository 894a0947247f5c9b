"""The editor on the models teachers bring: open, type, move, undo on big imported graphs.

Builds NASNetMobile, ResNet50 and EfficientNetB0 from ``keras.applications``
(``weights=None``) in a Python process of its own, saves each as ``.keras`` and opens it in the real main window
(offscreen) as File > Open does, once the window has settled and the graph view has been
shown (its first showing is timed on its own). Then, in the graph view, as a student would:

- types a new number of filters into the inspector for a Conv2D in the middle, one key
  at a time (each key that leaves a number is an edit: shapes, boxes, code);
- moves that layer's box (one drag, stored as one undoable step);
- undoes the move.

A 5 ms ``QTimer`` on the GUI thread records how late its ticks come: the longest delay
during each action is how long the window was frozen by it. Printed per model: the
time from File > Open until the shapes are shown, the worst freeze while opening (until
every box is made and 1.5 s after, while the code is written and coloured), the
undo's freeze, and ``worst keystroke: N ms``. For comparison, the same run times the
obvious alternative for one edit: rebuilding the Keras model with ``keras.Model.from_config``.

Run: ``python benchmarks/bench_editor_scale.py [--models NASNetMobile,ResNet50]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from benchmarks import close_window, private_settings, ready_window

TICK_MS = 5
MODELS = ("NASNetMobile", "ResNet50", "EfficientNetB0")


class Watch:
    """The longest lateness of a 5 ms timer's ticks since :meth:`reset` (a frozen window)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.reset()
        self.timer.start(TICK_MS)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last - TICK_MS / 1000)
        self.last = now

    def reset(self) -> None:
        self.longest, self.last = 0.0, time.perf_counter()

    def freeze_ms(self, settle_ms: int = 60) -> float:
        """Let the window settle, then the longest freeze since the reset, in ms."""
        QTest.qWait(settle_ms)
        return self.longest * 1000


def save_models(folder: Path, names: list[str]) -> dict[str, Path]:
    """Build each model and save it as ``.keras``, in a Python process of its own, as a
    teacher's file comes: Keras objects built here would be garbage that the window's
    thread collects while the first model opens (20-40 ms more on the first open)."""
    code = ("import sys, keras\n"
            "for name in sys.argv[2:]:\n"
            "    getattr(keras.applications, name)(weights=None).save(f'{sys.argv[1]}/{name}.keras')\n")
    subprocess.run([sys.executable, "-c", code, str(folder), *names], check=True)
    return {name: folder / f"{name}.keras" for name in names}


def open_model(window, path: Path, watch: Watch) -> tuple[float, float]:
    """(seconds until the opened model's shapes are shown, the worst freeze in ms)."""
    loop = QEventLoop()
    opened = []
    window.sigProjectOpened.connect(lambda _path: opened.append(True))

    def reported(report) -> None:
        if opened and len(report.calls) == len(window.document.graph.calls):
            loop.quit()

    window.shapes.sigReport.connect(reported)
    QTimer.singleShot(600_000, loop.quit)
    watch.reset()
    start = time.perf_counter()
    window.open_file(path)
    loop.exec()
    elapsed = time.perf_counter() - start
    window.shapes.sigReport.disconnect(reported)
    while window.editor.graph_view.building():
        QTest.qWait(10)
    return elapsed, watch.freeze_ms(1500)  # what the opening leaves for later is timed too


def middle_layer(window) -> str:
    """A Conv2D call in the middle of the model (the first layer with ``filters`` past half)."""
    graph = window.document.graph
    calls = list(graph.calls)
    for call_id in calls[len(calls) // 2:] + calls:
        if "filters" in graph.layer_of(call_id).config and graph.layer_of(call_id).class_name == "Conv2D":
            return call_id
    return calls[len(calls) // 2]


def type_filters(window, node_id: str, watch: Watch, keys: str = "\b\b\b\b24\b8") -> list[float]:
    """Select ``node_id`` and type into the inspector's ``filters`` field, one key at a
    time (backspaces, then digits): every key that leaves a number changes the model.
    Returns each key's freeze."""
    window.document.select(node_id)
    QTest.qWait(500)  # the click that selects it is not a keystroke
    line = window.editor.inspector.field("filters").editor.findChild(QLineEdit)
    line.setFocus()
    line.end(False)
    freezes = []
    for char in keys:
        watch.reset()
        if char == "\b":
            QTest.keyClick(line, Qt.Key.Key_Backspace)
        else:
            QTest.keyClick(line, char)
        freezes.append(watch.freeze_ms(80))
    return freezes


def move_box(window, node_id: str, watch: Watch) -> float:
    view = window.editor.graph_view
    item = view.node_item(node_id)
    watch.reset()
    item.setPos(item.x() + 40, item.y() + 40)
    view._store_positions({node_id: (item.x(), item.y())})
    return watch.freeze_ms()


def undo(window, watch: Watch) -> float:
    watch.reset()
    window.document.undo_stack.undo()
    return watch.freeze_ms()


def rebuild_ms(path: Path) -> float:
    import keras

    model = keras.models.load_model(path, compile=False)
    config = model.get_config()
    start = time.perf_counter()
    keras.Model.from_config(config)
    elapsed = (time.perf_counter() - start) * 1000
    del model, config
    gc.collect()  # the alternative's garbage is not the editor's to collect during the next open
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    names = [name for name in args.models.split(",") if name]
    app = QApplication.instance() or QApplication(["bench"])
    with TemporaryDirectory() as folder:
        private_settings(folder)
        paths = save_models(Path(folder), names)
        window = ready_window(app, (1400, 900))
        watch = Watch()
        QTest.qWait(500)  # the window settles, as it has by the time a user opens a file
        watch.reset()
        window.editor.set_mode("graph")  # its first showing is timed on its own
        print(f"Graph view shown the first time: freeze {watch.freeze_ms(500):.0f} ms")
        for name, path in paths.items():
            elapsed, open_freeze = open_model(window, path, watch)
            layers = len(window.document.graph.calls)
            node = middle_layer(window)
            keys = type_filters(window, node, watch)
            moved = move_box(window, node, watch)
            undone = undo(window, watch)
            alternative = rebuild_ms(path)
            print(f"{name} ({layers} layers): open {elapsed:.2f} s to shapes shown, worst freeze while "
                  f"opening {open_freeze:.0f} ms; move {moved:.0f} ms; undo {undone:.0f} ms")
            print(f"  keys: {' '.join(f'{k:.0f}' for k in keys)} ms")
            print(f"  worst keystroke: {max(keys):.0f} ms (median {sorted(keys)[len(keys) // 2]:.0f} ms); "
                  f"alternative, rebuild the Keras model per edit: {alternative:.0f} ms, "
                  f"ratio {alternative / max(max(keys), 1):.1f}x")
            window.document.undo_stack.setClean()
        close_window(window)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
