"""Worker threads that TensorFlow can run on safely."""

from __future__ import annotations

from PySide6.QtCore import QDeadlineTimer, QThread

#: How long closing the window waits for work that cannot be interrupted (reading a big
#: file, importing TensorFlow or a model) before the process leaves it unfinished.
QUIT_WAIT_MS = 1500

#: Threads still running when their window closed: kept referenced (Qt aborts the process
#: when a running QThread is destroyed) until the process exits without them.
_left: list[QThread] = []


class PythonLoopThread(QThread):
    """A QThread whose event loop runs inside one Python call.

    The default ``run`` is C++: each slot call then makes and drops a Python thread
    state, and TensorFlow's pybind11 code, which keeps a thread state per thread, can
    end up using one that was dropped (a crash). Entering ``exec`` from Python keeps one
    thread state for the thread's whole life. Every worker thread that runs TensorFlow
    (shape checks, crops, training) is one of these.
    """

    def run(self) -> None:
        self.exec()


def wait_or_leave(thread: QThread, deadline: QDeadlineTimer | None) -> bool:
    """Wait for ``thread`` until ``deadline`` (None: as long as it takes). A thread still
    running then is left to the end of the process: it loses its parent (so it outlives
    its window) and :func:`left_running` says so. True when the thread has ended."""
    if deadline is None:
        return thread.wait()
    if thread.wait(deadline):
        return True
    thread.setParent(None)
    _left.append(thread)
    return False


def left_running() -> bool:
    """Whether a thread left by :func:`wait_or_leave` still runs: the application then
    exits without waiting for it (it only reads; nothing of the user's is lost)."""
    return any(thread.isRunning() for thread in _left)
