"""What every lab page shares: the context it runs in, a background runner, a code box.

A lab page never imports TensorFlow on the GUI thread: it calls an engine lab
function through :class:`LabRunner`, which runs it on a thread-pool worker and
delivers the result (or the :class:`~tflab.messages.TflabError`) back on the GUI
thread by signal.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from tflab import tfload
from tflab.labs._common import LabError
from tflab.messages import TflabError
from ui.widgets.code import PythonHighlighter
from ui.widgets.code import monospace_font as monospace  # the pages' one fixed-width font

TIMEOUT_MS = 120_000
#: Pause after an edit before a lab page computes again, in milliseconds.
DEBOUNCE_MS = 200

_log = logging.getLogger(__name__)


def import_tensorflow_aside() -> None:
    """Import TensorFlow (once) on a short-lived thread of its own, and wait for it.

    Errors are left for the lab itself to meet and explain when it imports TensorFlow.
    """
    if tfload.is_loaded():
        return

    def load() -> None:
        try:
            tfload.load()
        except Exception:  # noqa: BLE001 - the lab's own import reports it in words
            _log.exception("TensorFlow could not be imported")

    thread = threading.Thread(target=load, name="tflab-labs-import")
    thread.start()
    thread.join()


class _AfterImport(QRunnable):
    """Runs a lab's job once TensorFlow is imported (see :class:`LabPool`)."""

    def __init__(self, job: QRunnable):
        super().__init__()
        self._job = job

    def run(self) -> None:
        import_tensorflow_aside()
        self._job.run()


class LabPool(QThreadPool):
    """The labs' worker: one job at a time, TensorFlow imported aside before the first.

    TensorFlow's bindings (pybind11) remember the Python thread state of the thread
    that imports TensorFlow. A pool thread gets a fresh thread state for every job,
    so on the thread that imported TensorFlow the remembered state goes stale: a later
    job there deadlocks or crashes. Importing on a thread that then ends avoids it.
    One job at a time also keeps two labs' TensorFlow work from ever overlapping.
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setMaxThreadCount(1)

    def start(self, runnable: QRunnable, priority: int = 0) -> None:
        super().start(_AfterImport(runnable), priority)


@functools.cache
def lab_pool() -> LabPool:
    """The one pool all labs share (created on first use)."""
    return LabPool()




@dataclass
class LabContext:
    """How a lab page reaches the rest of the app (all optional: tests pass fakes).

    ``open_graph(graph)`` shows a ModelGraph in the editor; ``open_training(settings)``
    opens the training panel prefilled; ``open_image_tool()`` switches to the image tool;
    ``project_custom_code()`` is the open project's custom layer code ("" for none) and
    ``use_custom_code(source)`` makes ``source`` that code (raising TflabError when it cannot).
    """

    open_graph: Callable[[Any], None] | None = None
    open_training: Callable[[dict], None] | None = None
    open_image_tool: Callable[[], None] | None = None
    project_custom_code: Callable[[], str] | None = None
    use_custom_code: Callable[[str], None] | None = None
    pool: QThreadPool = field(default_factory=lambda: lab_pool())


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, ticket: int, function: Callable[[], Any], signals: _Signals):
        super().__init__()
        self._ticket = ticket
        self._function = function
        self._signals = signals

    def run(self) -> None:  # runs on a worker thread
        try:
            result = self._function()
        except TflabError as err:
            self._signals.failed.emit(self._ticket, err)
        except Exception as err:  # noqa: BLE001 - shown to the user, never a crash
            self._signals.failed.emit(self._ticket, TflabError(
                f"The lab failed unexpectedly: {type(err).__name__}: {err}",
                f"实验意外失败：{type(err).__name__}：{err}",
            ))
        else:
            self._signals.done.emit(self._ticket, result)


class LabRunner(QObject):
    """Runs lab computations off the GUI thread; only the latest request's answer counts.

    Signals:
        sigResult(object): the result of the latest request.
        sigError(object): the TflabError of the latest request.
        sigBusy(bool): a request is running / all done.
    """

    sigResult = Signal(object)
    sigError = Signal(object)
    sigBusy = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = pool or lab_pool()
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._ticket = 0
        self._running = 0

    def run(self, function: Callable[[], Any]) -> None:
        """Run ``function()`` on a worker; its answer arrives as sigResult or sigError."""
        self._ticket += 1
        self._running += 1
        self.sigBusy.emit(True)
        self._pool.start(_Job(self._ticket, function, self._signals))

    def wait(self, msecs: int = TIMEOUT_MS) -> bool:
        """Wait for running jobs (used on shutdown and by tests)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _on_done(self, ticket: int, result: Any) -> None:
        self._finish()
        if ticket == self._ticket:
            self.sigResult.emit(result)

    @Slot(int, object)
    def _on_failed(self, ticket: int, error: TflabError) -> None:
        self._finish()
        if ticket == self._ticket:
            self.sigError.emit(error)

    def _finish(self) -> None:
        self._running -= 1
        if self._running == 0:
            self.sigBusy.emit(False)


class LabPage(QWidget):
    """A lab page: runs on first show, again shortly after each edit, and follows the language.

    Subclasses build their widgets and override the hooks: :meth:`run` (call
    ``super().run()`` first, then start the lab on ``runner``), ``_show_result``,
    ``_describe`` (the texts made from the last result) and ``_retranslate`` (ending
    with :meth:`_retranslate_answer`). Inputs connect their change signals to :meth:`_later`.

    A page keeps ``busy_label`` (shown while TensorFlow computes), ``message`` (a
    :class:`MessageLabel`), ``results`` (the widgets of the answer, disabled after an
    error), ``code_box`` (a :class:`CodeBox`), ``_result`` and ``_error``: then
    :meth:`_on_busy` and :meth:`_show_error` serve it as they are.
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = LabRunner(context.pool, self)
        self.runner.sigResult.connect(self._show_result)
        self.runner.sigError.connect(self._show_error)
        self.runner.sigBusy.connect(self._on_busy)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run)
        self._ran = False

    @Slot()
    def run(self) -> None:
        """Cancel a pending re-run and note that the page has run (subclasses then start the lab)."""
        self._debounce.stop()
        self._ran = True

    @Slot()
    def _later(self) -> None:
        """Compute again after a short pause (once the page has shown a first answer)."""
        if self._ran:
            self._debounce.start()

    def _show_result(self, result: Any) -> None:
        raise NotImplementedError

    @Slot(object)
    def _show_error(self, err: TflabError) -> None:
        """Explain the error, grey out the last answer, and show the failing program."""
        self._error = err
        self.message.show_error(err)
        self.results.setEnabled(False)
        if isinstance(err, LabError) and err.code:
            self.code_box.set_code(err.code)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)

    def _describe(self) -> None:
        """Write the texts made from the last result (in the current language)."""

    def _retranslate(self) -> None:
        raise NotImplementedError

    def _retranslate_answer(self) -> None:
        """The answer's texts again, in the language now chosen (the end of ``_retranslate``)."""
        self._describe()
        if self._error is not None:
            self.message.show_error(self._error)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._ran:
            self.run()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class CodeBox(QWidget):
    """Read-only code that produced a lab's answer, with a Copy button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = QPlainTextEdit(readOnly=True)
        self.editor.setFont(monospace())
        self._highlighter = PythonHighlighter(self.editor.document())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        copy = QPushButton(self.tr("Copy code"))
        copy.clicked.connect(self.copy)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("The code that produced this:")))
        head.addStretch(1)
        head.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.editor)

    def set_code(self, code: str) -> None:
        self.editor.setPlainText(code)

    def code(self) -> str:
        return self.editor.toPlainText()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code())


class MessageLabel(QLabel):
    """Where a lab explains an error (red) or a note (plain), in the user's language."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_error(self, err: TflabError) -> None:
        self.setStyleSheet("color: #c62828;")
        self.setText(err.full())

    def show_note(self, text: str) -> None:
        self.setStyleSheet("")
        self.setText(text)

    def clear_message(self) -> None:
        self.setStyleSheet("")
        self.clear()


def note_text(notes: Any) -> str:
    """Join a lab's bilingual notes (:class:`tflab.labs._common.Note`) in the current language."""
    return "\n".join(note.text() for note in (notes or ()))
