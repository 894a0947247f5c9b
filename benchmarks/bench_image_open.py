"""How long opening a big photo blocks the window, in the image tool.

A 10 ms ``QTimer`` ticks on the GUI thread and records how late each tick comes. A
48-megapixel JPEG (8000 × 6000, like a good phone's photo) is opened twice in the same
process and tool: the obvious way (decode on the GUI thread, ``ImageTool.open_path``)
and the way the Open dialog and drops do it (decode on a worker,
``ImageTool.open_paths_async``, then only the display pixmap on the GUI thread).
Printed: the longest delay of each, and their ratio.

Run: ``python benchmarks/bench_image_open.py [--megapixels 48] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from ui.imaging.panel import ImageTool

TICK_MS = 10


def photo(path: Path, megapixels: float) -> Path:
    """A noisy photo-like JPEG of about ``megapixels`` (4:3)."""
    height = int((megapixels * 1e6 * 3 / 4) ** 0.5)
    width = int(height * 4 / 3)
    rng = np.random.default_rng(0)
    small = rng.integers(0, 256, (height // 8, width // 8, 3), dtype=np.uint8)
    Image.fromarray(small).resize((width, height), Image.BILINEAR).save(path, quality=90)
    return path


def longest_delay(start, finished) -> float:
    """Run ``start()`` from the event loop, tick until ``finished()``; the longest delay (ms)."""
    delays: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.PreciseTimer)
    timer.setInterval(TICK_MS)
    loop = QEventLoop()

    def tick() -> None:
        delays.append(max(0.0, clock.nsecsElapsed() / 1e6 - TICK_MS))
        clock.restart()
        if finished():
            loop.quit()

    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    QTimer.singleShot(TICK_MS // 2, start)
    QTimer.singleShot(120_000, loop.quit)  # a guard against a hang
    loop.exec()
    timer.stop()
    return max(delays)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, default=48.0)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many of each")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    tool = ImageTool()
    tool.resize(1200, 800)
    tool.show()
    with TemporaryDirectory() as folder:
        path = photo(Path(folder) / "photo.jpg", args.megapixels)
        shape = Image.open(path).size
        done = {"sync": False, "async": False}

        def sync_open() -> None:
            tool.open_path(path)
            done["sync"] = True

        def async_open() -> None:
            tool.open_paths_async([path])

        tool.sigOpenFinished.connect(lambda _ok: done.__setitem__("async", True))
        results = {"sync": [], "async": []}
        for _ in range(args.repeat):
            for kind, start in (("sync", sync_open), ("async", async_open)):
                done[kind] = False
                results[kind].append(longest_delay(start, lambda k=kind: done[k]))
        tool.shutdown()
    sync, asynchronous = min(results["sync"]), min(results["async"])
    print(f"{shape[0]} x {shape[1]} JPEG ({args.megapixels:g} MP), best of {args.repeat}, longest GUI delay:")
    print(f"  decode on the GUI thread (open_path):           {sync:7.1f} ms")
    print(f"  decode on a worker (what the user's opens do):  {asynchronous:7.1f} ms")
    print(f"ratio GUI-thread decode / worker decode:          {sync / asynchronous:7.1f}x")
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
