"""Python's cyclic garbage collection, run on the GUI thread only.

CPython collects reference cycles in whatever thread happens to allocate when a
threshold is crossed. When that is a worker thread (a data set loading, a lab
computing) and the garbage holds a Qt object, the object is destroyed on the worker
while the GUI thread may be destroying another one: each waits for what the other
holds (Qt's mutex, Python's GIL) and the program hangs with no CPU used. Seen in a
test: loading a CSV on the data panel's lane while a menu was deleted.

:class:`GuiCollector` turns the automatic collection off and does the same work from a
timer on the GUI thread: the youngest generation when it is over its threshold, the
older ones as Python would. Full collections walk every live object but the ones
frozen after TensorFlow's import (:func:`tflab.tfload.load`); they are spaced at least
:data:`FULL_EVERY_S` apart, as Python spaces them by growth.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer, Slot

#: How often the GUI thread looks at the allocation counts, in milliseconds.
INTERVAL_MS = 100
#: The least time between two full collections, in seconds.
FULL_EVERY_S = 10.0


class GuiCollector(QObject):
    """Collects garbage on the thread it lives on (the GUI thread). See the module docstring."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._last_full = time.monotonic()
        self.collections = [0, 0, 0]  # per generation, since start (for tests)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    @Slot()
    def collect(self) -> None:
        """Collect what Python's thresholds ask for now, as the automatic collection would."""
        young, middle, old = gc.get_count()
        t0, t1, t2 = self._thresholds
        if young <= t0:
            return
        generation = 0
        if middle > t1:
            generation = 1
            if old > t2 and time.monotonic() - self._last_full >= FULL_EVERY_S:
                generation = 2
                self._last_full = time.monotonic()
        gc.collect(generation)
        self.collections[generation] += 1

    def stop(self) -> None:
        """Hand collection back to Python (the application is ending)."""
        self._timer.stop()
        gc.enable()


def collect_on_gui_thread(app: QObject) -> GuiCollector:
    """Install the collector for ``app`` (once) and return it."""
    existing = app.findChild(GuiCollector)
    return existing if existing is not None else GuiCollector(app)
