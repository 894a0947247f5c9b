"""Load TensorFlow and Keras in the background, so the window opens at once.

``import tensorflow`` takes seconds. The window must never wait for it: the
:class:`TfLoader` imports TensorFlow and Keras on its own thread, and tells the
application when they are ready (or why they failed). Everything that needs
TensorFlow (shape inference, importing ``.keras`` files, training) either waits
for :attr:`TfLoader.sigReady` or runs on a worker thread of its own.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QDeadlineTimer, QObject, QThread, Signal, Slot

from tflab import tfload
from tflab.messages import TflabError
from ui.core.workers import Lane, Requests


def _import() -> str:
    """Import tensorflow and keras (on the loader's lane); the TensorFlow version."""
    try:
        tfload.load()  # quietly: no start-up notices on the terminal
        return str(tfload.tensorflow().__version__)
    except Exception as err:
        raise _failure(err) from err


def _failure(err: BaseException) -> TflabError:
    """What to tell the user when TensorFlow cannot be imported."""
    return TflabError(
        f"TensorFlow could not be loaded ({type(err).__name__}: {err}).",
        f"无法加载 TensorFlow（{type(err).__name__}：{err}）。",
        hint_en="Shape checks, importing models and training are unavailable. "
                "Reinstall tflab, or check that this computer's processor supports TensorFlow.",
        hint_zh="形状检查、导入模型和训练都无法使用。请重新安装 tflab，"
                "或检查这台电脑的处理器是否支持 TensorFlow。",
    )


class TfLoader(QObject):
    """Imports TensorFlow once, on a background thread.

    Call :meth:`start` after the window is shown; :meth:`shutdown` before quitting
    (it waits for the import thread, which cannot be interrupted).

    Signals:
        sigReady(): TensorFlow and Keras are imported and usable from any thread.
        sigFailed(str): TensorFlow could not be imported; the text says why.
    """

    sigReady = Signal()
    sigFailed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._requests: Requests | None = None
        self._ready = False
        self._failure: TflabError | None = None
        self.version = ""

    def start(self) -> None:
        """Begin importing (once; later calls do nothing)."""
        if self._requests is not None:
            return
        # TensorFlow's start-up log lines are for developers, not for students.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        lane = Lane("tensorflow-import", priority=QThread.Priority.LowPriority)
        self._requests = Requests(lane, self)
        self._requests.sigResult.connect(self._on_imported)
        self._requests.sigError.connect(self._on_failed)
        self._requests.run(_import)

    def is_started(self) -> bool:
        return self._requests is not None

    def is_ready(self) -> bool:
        """True once TensorFlow is imported."""
        return self._ready

    def error(self) -> str:
        """Why TensorFlow failed to load, in the language now chosen ("" if it did not fail)."""
        return self._failure.full() if self._failure is not None else ""

    def shutdown(self, deadline: QDeadlineTimer | None = None) -> None:
        """Wait for the import thread to end (call before the application quits); with a
        ``deadline``, an import still running then is left (see :func:`ui.core.workers.wait_or_leave`)."""
        if self._requests is not None:
            self._requests.lane.shutdown(deadline)

    @Slot(object)
    def _on_imported(self, version: str) -> None:
        self.version = version
        self._ready = True
        self.sigReady.emit()

    @Slot(object)
    def _on_failed(self, error: TflabError) -> None:
        self._failure = error
        self.sigFailed.emit(self.error())
