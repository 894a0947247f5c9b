"""Worker threads that TensorFlow can run on safely."""

from __future__ import annotations

from PySide6.QtCore import QThread


class PythonLoopThread(QThread):
    """A QThread whose event loop runs inside one Python call.

    The default ``run`` is C++: each slot call then makes and drops a Python thread
    state, and TensorFlow's pybind11 code, which keeps a thread state per thread, can
    end up using one that was dropped (a crash). Entering ``exec`` from Python keeps one
    thread state for the thread's whole life. Every worker thread that runs TensorFlow
    (shape checks, crops, training) is one of these.
    """

    def run(self) -> None:  # noqa: D102 - QThread's entry point
        self.exec()
