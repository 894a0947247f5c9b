"""The one way the window runs work in the background.

The GUI thread never waits for TensorFlow, a file or a child process: that work runs on
a worker thread, and its answer comes back by signal. Every background task of the app
uses the pieces of this module:

- :class:`Lane`: a thread of its own that runs functions one after the other (a
  :class:`FunctionWorker` living on a :class:`WorkerThread`). One job at a time also
  keeps two TensorFlow jobs of the same lane from ever overlapping.
- :class:`Requests`: how a screen asks a lane for work when only its latest request
  counts (a lab recomputing after each edit, a data set reloaded after each change): it
  drops the answers of requests that a newer one replaced, says when it is busy, and
  passes on progress.
- :func:`unexpected`: the one message for a failure nobody planned for. A job that raises
  a :class:`~tflab.messages.TflabError` has it shown as it is; any other exception is
  wrapped in words, never a traceback in the user's face and never a crash.
- :class:`ParallelJobs`: several threads for independent work that runs no TensorFlow
  (decoding pictures), whose futures the GUI thread collects in the order asked.
- :class:`WorkerThread` for a worker object with signals of its own (the trainer).
- :func:`wait_or_leave` and :data:`QUIT_WAIT_MS`: closing the window waits a little for
  work that cannot be interrupted, then leaves it to the end of the process.

Why Python switches threads every millisecond
---------------------------------------------
Python runs one thread at a time. The window's work calls Qt again and again (each
call lets another thread run Python); when a worker runs Python beside it, every return
from Qt waits until the worker gives way, by default after up to 5 ms. Colouring 16
lines of code took 76 ms that way while a model was checked. :func:`share_python_often`
makes the wait at most 1 ms: opening NASNetMobile froze the window 73-127 ms instead of
144-169 ms, three runs each taken in turn (``benchmarks/bench_editor_scale.py``).

Why the threads run their event loop from Python
------------------------------------------------
Qt's own ``QThread.run`` is C++: each queued slot call then makes and drops a Python
thread state, and so does a ``QThreadPool`` for each job. TensorFlow's pybind11 code keeps
a thread state per thread, and can end up using one that was dropped: a deadlock, or a
crash when the garbage collector runs inside a TensorFlow op. :class:`PythonLoopThread`
enters the event loop from one Python call, so each worker thread keeps one thread state
for its whole life. Every thread that may run TensorFlow is one of these.
"""

from __future__ import annotations

import atexit
import functools
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, Qt, QThread, Signal, Slot

from tflab.messages import TflabError

#: How long closing the window waits for work that cannot be interrupted (reading a big
#: file, importing TensorFlow or a model) before the process leaves it unfinished.
QUIT_WAIT_MS = 1500

#: Threads still running when their window closed: kept referenced (Qt aborts the process
#: when a running QThread is destroyed) until the process exits without them.
_left: list[Any] = []
#: Every WorkerThread not shut down yet: referenced here so that Python's garbage collector
#: never destroys a running QThread (its screen may be gone before it is shut down).
_alive: set[Any] = set()


#: The longest a thread running Python keeps it from another that asks, in seconds.
SWITCH_INTERVAL_S = 0.001


def share_python_often() -> None:
    """Let the GUI thread run Python within :data:`SWITCH_INTERVAL_S` of asking, while a
    worker thread runs Python too (see the module docstring)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


class Hold:
    """GUI work that may wait a moment while a worker runs Python: a big model's boxes and
    code, made while its shapes are checked, took two to four times as long (see
    :func:`share_python_often`) and held the window that much longer.

    ``busy()`` says whether the worker runs now (the window passes "a shape check is
    running"). :meth:`waits` is asked before each piece of the work: True while ``busy()``
    and the piece has waited less than :attr:`most_s`, so a long check never stops the
    work for good. Until :meth:`set_busy` it never waits.
    """

    RETRY_MS = 5  #: how soon the work asks again, in milliseconds

    def __init__(self, most_s: float = 0.25):
        self.most_s = most_s
        self._busy: Callable[[], bool] = lambda: False
        self._since: float | None = None  # when the waiting began

    def set_busy(self, busy: Callable[[], bool]) -> None:
        self._busy = busy

    def waits(self) -> bool:
        """Whether the work should wait (and ask again in :attr:`RETRY_MS`)."""
        if not self._busy():
            self._since = None
            return False
        now = time.perf_counter()
        if self._since is None:
            self._since = now
        return now - self._since < self.most_s


def unexpected(err: BaseException, doing_en: str = "working in the background",
               doing_zh: str = "后台处理") -> TflabError:
    """An unexpected failure as a message a user can read."""
    return TflabError(f"Unexpected failure while {doing_en} ({type(err).__name__}: {err}).",
                      f"{doing_zh}时发生意外故障（{type(err).__name__}：{err}）。")


class PythonLoopThread(QThread):
    """A QThread whose event loop runs inside one Python call (see the module's notes)."""

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
    return any(thread.isRunning() for thread in _left if isinstance(thread, QThread))


class FunctionWorker(QObject):
    """Runs functions sent by :meth:`call`, one after the other, on its thread.

    Signals:
        sigCall(object, object): internal: (key, function) to run on the worker thread.
        sigResult(object, object): (key, what the function returned).
        sigError(object, object): (key, the TflabError it raised; other errors are wrapped
            by :func:`unexpected`).
        sigProgress(object, float): (key, the fraction done) from a function told :meth:`progress`.
    """

    sigCall = Signal(object, object)
    sigResult = Signal(object, object)
    sigError = Signal(object, object)
    sigProgress = Signal(object, float)

    def __init__(self) -> None:
        super().__init__()
        self._idle = threading.Condition()
        self._queued = 0
        self.sigCall.connect(self._run)

    def call(self, key: object, function: Callable[[], object]) -> None:
        """Run ``function()`` on the worker thread; the answer carries ``key``."""
        with self._idle:
            self._queued += 1
        self.sigCall.emit(key, function)

    def progress(self, key: object) -> Callable[[float], None]:
        """A function that a job may call on the worker thread to report the fraction done."""
        return lambda fraction: self.sigProgress.emit(key, float(fraction))

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Wait until every function sent has run (their answers may still be on their
        way to the GUI thread). False when ``timeout_s`` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._queued == 0, timeout_s)

    @Slot(object, object)
    def _run(self, key: object, function: Callable[[], object]) -> None:
        try:
            result = function()
        except TflabError as err:
            self.sigError.emit(key, err)
        except Exception as err:  # noqa: BLE001 - every failure must reach the user
            self.sigError.emit(key, unexpected(err))
        else:
            self.sigResult.emit(key, result)
        finally:
            with self._idle:
                self._queued -= 1
                self._idle.notify_all()


class WorkerThread:
    """A worker object living on a :class:`PythonLoopThread` of its own until :meth:`shutdown`.

    ``owner`` should call :meth:`shutdown` before it goes. Should it be destroyed first
    (Qt aborts the process when a running QThread is destroyed), its ``destroyed``
    signal shuts the thread down instead. Without an owner, whoever made it shuts it
    down. ``before_shutdown`` runs first, e.g. to ask a training run to stop.

    Workers are made once, with their screen, and reused: a Python-made QObject
    destroyed on a worker thread while the GUI thread connects signals can deadlock
    PySide (Qt's connection lock against the GIL), so none is made or deleted per job,
    and none is deleted on its own thread.
    """

    def __init__(self, worker: QObject, name: str, owner: QObject | None = None,
                 before_shutdown: Callable[[], None] | None = None,
                 priority: QThread.Priority = QThread.Priority.InheritPriority):
        self.worker = worker
        self.thread = PythonLoopThread()
        self.thread.setObjectName(name)
        self._before_shutdown = before_shutdown
        worker.moveToThread(self.thread)
        # The worker is not deleted when its thread ends: answers it sent just before (a
        # run's last weights, "done") may still wait in the GUI thread's queue, and PySide
        # refuses a signal whose sender is gone. It goes with its last Python reference,
        # on the GUI thread, once the thread has ended.
        if owner is not None:
            owner.destroyed.connect(lambda *_: self.shutdown())
        _alive.add(self)
        self.thread.start(priority)

    def shutdown(self, deadline: QDeadlineTimer | None = None) -> None:
        """Let the thread finish its current job, then end it and wait for it (until
        ``deadline``, when given: see :func:`wait_or_leave`)."""
        if not shiboken6.isValid(self.thread):  # already gone: the interpreter is exiting
            _alive.discard(self)
            return
        if self._before_shutdown is not None:
            self._before_shutdown()
        self.thread.quit()
        if not wait_or_leave(self.thread, deadline):
            _left.append(self)  # the worker object goes with its thread
        _alive.discard(self)

    def is_running(self) -> bool:
        return shiboken6.isValid(self.thread) and self.thread.isRunning()


class Lane:
    """A worker thread that runs functions one at a time.

    Answers come as the signals of :attr:`worker` (a :class:`FunctionWorker`), with the
    key given to :meth:`submit`; :class:`Requests` does that bookkeeping for a screen.
    """

    def __init__(self, name: str, owner: QObject | None = None,
                 priority: QThread.Priority = QThread.Priority.InheritPriority):
        self.name = name
        self.worker = FunctionWorker()
        self._thread = WorkerThread(self.worker, name, owner, priority=priority)

    def submit(self, key: object, function: Callable[[], object]) -> None:
        """Run ``function()`` after the jobs already sent; the answer carries ``key``."""
        self.worker.call(key, function)

    def wait(self, msecs: int | None = None) -> bool:
        """Wait until every job sent has run (None: as long as it takes)."""
        return self.worker.wait_idle(None if msecs is None else msecs / 1000)

    def shutdown(self, deadline: QDeadlineTimer | None = None) -> None:
        """Let the running job end (until ``deadline``), then end the thread."""
        self._thread.shutdown(deadline)

    def is_running(self) -> bool:
        return self._thread.is_running()

    @property
    def thread(self) -> QThread:
        """The lane's thread (for checks: its work goes through :meth:`submit`)."""
        return self._thread.thread


class Requests(QObject):
    """A screen's requests to a lane, of which only the latest one's answer counts.

    Each :meth:`run` replaces the requests before it: their answers are dropped when they
    come. :meth:`drop` does the same without a new request. Several ``Requests`` may share
    one lane; each sees only its own answers.

    Signals:
        sigResult(object): what the latest request's function returned.
        sigError(object): the TflabError of the latest request.
        sigProgress(float): the fraction of the latest request done (see :meth:`run`).
        sigBusy(bool): True when a request is sent, False once every one has answered.
    """

    sigResult = Signal(object)
    sigError = Signal(object)
    sigProgress = Signal(float)
    sigBusy = Signal(bool)

    def __init__(self, lane: Lane, parent: QObject | None = None,
                 doing: tuple[str, str] = ("working in the background", "后台处理")):
        super().__init__(parent)
        self._lane = lane
        self._doing = doing  # what an unexpected failure happened while doing (English, Chinese)
        self._token = object()  # tells this object's answers from those of others on the lane
        self._ticket = 0
        self._running = 0
        lane.worker.sigResult.connect(self._on_result)
        lane.worker.sigError.connect(self._on_error)
        lane.worker.sigProgress.connect(self._on_progress)

    @property
    def lane(self) -> Lane:
        return self._lane

    def run(self, function: Callable[..., Any], *, progress: bool = False) -> int:
        """Run ``function()`` on the lane (``function(report)`` with ``progress=True``,
        where ``report(fraction)`` sends :attr:`sigProgress`). Returns the request's number."""
        self._ticket += 1
        key = (self._token, self._ticket)
        call = functools.partial(function, self._lane.worker.progress(key)) if progress else function
        doing = self._doing

        def job() -> Any:
            try:
                return call()
            except TflabError:
                raise
            except Exception as err:
                raise unexpected(err, *doing) from err

        self._running += 1
        self.sigBusy.emit(True)
        self._lane.submit(key, job)
        return self._ticket

    def drop(self) -> None:
        """Forget the requests sent so far: their answers will not be passed on."""
        self._ticket += 1

    def is_latest(self, ticket: int) -> bool:
        """Whether ``ticket`` (from :meth:`run`) is still the request that counts."""
        return ticket == self._ticket

    def busy(self) -> bool:
        """Whether a request has not answered yet."""
        return self._running > 0

    def wait(self, msecs: int | None = None) -> bool:
        """Wait until the lane has run every job sent to it (used on shutdown and by tests)."""
        return self._lane.wait(msecs)

    def _mine(self, key: object) -> int | None:
        if isinstance(key, tuple) and len(key) == 2 and key[0] is self._token:
            return key[1]
        return None

    def _answered(self, key: object) -> bool:
        """Count an answer of this object's; True when it is the latest request's."""
        ticket = self._mine(key)
        if ticket is None:
            return False
        self._running -= 1
        if self._running == 0:
            self.sigBusy.emit(False)
        return ticket == self._ticket

    @Slot(object, object)
    def _on_result(self, key: object, result: object) -> None:
        if self._answered(key):
            self.sigResult.emit(result)

    @Slot(object, object)
    def _on_error(self, key: object, error: TflabError) -> None:
        if self._answered(key):
            self.sigError.emit(error)

    @Slot(object, float)
    def _on_progress(self, key: object, fraction: float) -> None:
        if self._mine(key) == self._ticket:
            self.sigProgress.emit(fraction)


@atexit.register
def _shut_down_the_rest() -> None:
    """At exit, end the threads whose screens never shut them down (tests, scripts)."""
    for worker_thread in list(_alive):
        worker_thread.shutdown(QDeadlineTimer(QUIT_WAIT_MS))


@functools.cache
def shared_lane(name: str) -> Lane:
    """The lane called ``name`` that the whole application shares (made on first use).

    It lives as long as the process: it ends when the application quits (waiting
    :data:`QUIT_WAIT_MS` at most for a job that is running) or at exit.
    """
    lane = Lane(name)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lambda: lane.shutdown(QDeadlineTimer(QUIT_WAIT_MS)))
    atexit.register(lambda: lane.shutdown(QDeadlineTimer(QUIT_WAIT_MS)))
    return lane


class _DoneRelay(QObject):
    """Wakes the GUI thread when a job of a :class:`ParallelJobs` has finished.

    There is one, made on the GUI thread and never deleted, so a job that finishes after
    its screen is gone still emits on a live object (the connection to the deleted screen
    is gone: nothing runs). It carries no data: each screen looks at its own futures.

    Signals:
        sigDone(): some job finished (or was cancelled).
    """

    sigDone = Signal()

    def notify(self, _future: Future | None = None) -> None:
        """A future's done-callback: runs on the worker thread (or where it was cancelled)."""
        self.sigDone.emit()


@functools.cache
def _done_relay() -> _DoneRelay:
    return _DoneRelay()


class ParallelJobs:
    """Up to ``workers`` jobs at once, for work that runs no TensorFlow (Python's own threads).

    :meth:`submit` gives a :class:`~concurrent.futures.Future`; whenever one finishes,
    the slot passed to the constructor runs on the GUI thread, where the screen looks at
    its futures (in the order it asked, usually). Make it on the GUI thread.
    """

    def __init__(self, name: str, workers: int, on_done: Callable[[], None]):
        self._name = name
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        _done_relay().sigDone.connect(on_done, Qt.ConnectionType.QueuedConnection)

    def submit(self, function: Callable[[], Any]) -> Future:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix=self._name)
        future = self._pool.submit(function)
        future.add_done_callback(_done_relay().notify)  # the job holds the relay, never the screen
        return future

    def shutdown(self) -> None:
        """Cancel the jobs not started; a running one ends on its own, its result unused."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
