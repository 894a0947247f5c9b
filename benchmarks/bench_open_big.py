"""How long opening a 2,000-layer model blocks the window, and what routing its wires costs.

Two measurements in one process:

1. Once the window has settled, it opens a project of 2,000 Dense layers in a chain
   (as File > Open does). A 10 ms ``QTimer`` on the GUI thread records the longest delay
   of its ticks from the open until the shapes are shown and the graph view has made
   every box (it makes them a batch at a time), and for 1.5 s more: the code is written
   once the boxes are made, and coloured a few hundred lines at a time.
2. Every wire of that graph is routed around the boxes it crosses twice: the obvious
   way (``QGraphicsScene.items(path)`` per wire, as before) and the way the graph view
   does it now (an index of box rectangles in cells, kept between syncs, ``_RectIndex``).
   Printed: both times and their ratio.

Run: ``python benchmarks/bench_open_big.py [--layers 2000]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QRectF, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks import close_window, private_settings, ready_window
from tflab.graph import ModelGraph
from tflab.project import Project, load_project, save_project

TICK_MS = 10
SETTLE_MS = 1500


def open_and_measure(window, path: Path) -> tuple[float, float]:
    """(seconds until the shapes are shown, the longest GUI-thread delay in seconds)."""
    longest, last = [0.0], [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        longest[0] = max(longest[0], now - last[0] - TICK_MS / 1000)
        last[0] = now

    layers = len(load_project(path).graph.calls)  # read here before the clock starts
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(TICK_MS)
    loop = QEventLoop()

    shown = [False]
    view = window.editor.graph_view

    def reported(report) -> None:
        if len(report.calls) == layers:  # the opened model's shapes, not the previous model's
            shown[0] = True

    def check() -> None:
        if shown[0] and not view.building():  # shapes shown, and every box made
            loop.quit()

    window.shapes.sigReport.connect(reported)
    done = QTimer()
    done.timeout.connect(check)
    done.start(TICK_MS)
    start = time.perf_counter()
    last[0] = start
    window.open_file(path)
    QTimer.singleShot(300_000, loop.quit)
    loop.exec()
    elapsed = time.perf_counter() - start
    settle = QEventLoop()  # what the opening leaves for later is timed too
    QTimer.singleShot(SETTLE_MS, settle.quit)
    settle.exec()
    timer.stop()
    done.stop()
    return elapsed, longest[0]


def route_all(view, use_grid: bool) -> float:
    """Seconds to route every wire of ``view``, with the grid or with scene queries."""
    from ui.editor.graph_items import NodeItem, stroke, wire_path
    from ui.editor.graph_view import _RectIndex

    start = time.perf_counter()
    grid = _RectIndex((node_id, item.sceneBoundingRect()) for node_id, item in view._nodes.items()) \
        if use_grid else None
    for wire in view._wires.values():
        source, target = view._nodes[wire.source_node], view._nodes[wire.target]
        area = stroke(wire_path(source.port_scene_pos("out", wire.source_index),
                                target.port_scene_pos("in", wire.slot)), 4)
        if grid is not None:
            grid.crossed(area, (wire.source_node, wire.target))
        else:
            found = QRectF()
            for item in view.scene().items(area):
                if isinstance(item, NodeItem) and item not in (source, target):
                    found = found.united(item.sceneBoundingRect())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=2000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(["bench"])
    with TemporaryDirectory() as folder:
        private_settings(folder)
        path = Path(folder) / "long.tflab"
        save_project(Project(ModelGraph.sequential((8,), [("Dense", {"units": 8})] * args.layers)), path)
        window = ready_window(app)
        settle = QEventLoop()  # the window settles, as it has by the time a user opens a file
        QTimer.singleShot(500, settle.quit)
        settle.exec()
        elapsed, stall = open_and_measure(window, path)
        print(f"open {args.layers} layers: every box made, shapes shown after {elapsed:.2f} s, "
              f"longest GUI-thread delay {stall * 1000:.0f} ms")
        view = window.editor.graph_view
        old, new = route_all(view, use_grid=False), route_all(view, use_grid=True)
        print(f"route {len(view._wires)} wires: scene queries {old * 1000:.0f} ms, "
              f"grid {new * 1000:.0f} ms, ratio {old / new:.1f}x")
        close_window(window)
    return 0


if __name__ == "__main__":
    sys.exit(main())
