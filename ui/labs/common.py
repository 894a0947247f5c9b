"""What every lab page shares: the context it runs in, a background runner, a code box.

A lab page never imports TensorFlow on the GUI thread: it calls an engine lab
function through :class:`LabRunner`, which runs it on the labs' lane (one worker
thread for all labs, see :mod:`ui.core.workers`) and delivers the result (or the
:class:`~tflab.messages.TflabError`) back on the GUI thread by signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from tflab.labs._common import LabError
from tflab.messages import TflabError
from ui.core.code_comments import comments_language, notifier
from ui.core.workers import Lane, Requests, shared_lane
from ui.widgets.code import PythonHighlighter
from ui.widgets.code import monospace_font as monospace  # the pages' one fixed-width font

TIMEOUT_MS = 120_000
#: Pause after an edit before a lab page computes again, in milliseconds.
DEBOUNCE_MS = 200

def lab_lane() -> Lane:
    """The one lane every lab page shares: one TensorFlow job at a time, in the order asked."""
    return shared_lane("labs")


@dataclass
class LabContext:
    """How a lab page reaches the rest of the app (all optional: tests pass fakes).

    ``open_graph(graph)`` shows a ModelGraph in the editor; ``open_training(settings)``
    opens the training panel prefilled; ``open_image_tool()`` switches to the image tool;
    ``project_custom_code()`` is the open project's custom layer code ("" for none) and
    ``use_custom_code(source, report=False)`` makes ``source`` that code (raising TflabError when
    it cannot; with ``report`` False the error is not also sent to the status bar).
    """

    open_graph: Callable[[Any], None] | None = None
    open_training: Callable[[dict], None] | None = None
    open_image_tool: Callable[[], None] | None = None
    project_custom_code: Callable[[], str] | None = None
    use_custom_code: Callable[..., None] | None = None
    lane: Lane = field(default_factory=lab_lane)


class PageError(TflabError):
    """An error a page finds in its inputs itself, before TensorFlow runs: its text is
    written by ``words`` (``lambda: self.tr(...)``), so it reads in the language now chosen
    wherever it is shown again."""

    def __init__(self, words: Callable[[], str]):
        self._words = words
        super().__init__(words())

    def message(self, lang: str | None = None) -> str:
        return self._words()

    def hint(self, lang: str | None = None) -> str:
        return ""


class LabRunner(Requests):
    """Runs a page's lab computations on a lane; only the latest request's answer counts.

    Signals (see :class:`ui.core.workers.Requests`): sigResult(object), sigError(object)
    with the TflabError of the latest request, sigBusy(bool).
    """

    def __init__(self, lane: Lane | None = None, parent: QObject | None = None):
        super().__init__(lane or lab_lane(), parent, doing=("running the lab", "运行实验"))

    def wait(self, msecs: int | None = TIMEOUT_MS) -> bool:
        """Wait for the lane's jobs (used on shutdown and by tests)."""
        return super().wait(msecs)


class LabPage(QWidget):
    """A lab page: runs on first show, again shortly after each edit, and follows the language.

    Subclasses build their widgets and override the hooks: :meth:`run` (call
    ``super().run()`` first, then start the lab on ``runner``), ``_show_result``,
    ``_describe`` (the texts made from the last result) and ``_retranslate`` (ending
    with :meth:`_retranslate_answer`). Inputs connect their change signals to :meth:`_later`.

    A page keeps ``busy_label`` (shown while TensorFlow computes), ``message`` (a
    :class:`~ui.widgets.messages.Message`), ``results`` (the widgets of the answer, disabled after an
    error), ``code_box`` (a :class:`CodeBox`), ``_result`` and ``_error``: then
    :meth:`_on_busy` and :meth:`_show_error` serve it as they are (``busy_label`` and
    ``results`` may stay None on a page without them).

    Class settings: ``RUN_ON_SHOW`` (False for a page that computes only when asked, such
    as a long training) and ``CODE_FOLLOWS_COMMENTS`` (True for a page whose code's comments
    are written in :func:`~ui.core.code_comments.comments_language`: when that language
    changes, :meth:`_comments_changed` writes the code again; by default it runs the page
    again, with the same inputs).
    """

    RUN_ON_SHOW = True
    CODE_FOLLOWS_COMMENTS = False

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = LabRunner(context.lane, self)
        self.runner.sigResult.connect(self._show_result)
        self.runner.sigError.connect(self._show_error)
        self.runner.sigBusy.connect(self._on_busy)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run)
        self._ran = False
        self._result: Any = None
        self._error: TflabError | None = None
        self.busy_label: QWidget | None = None
        self.results: QWidget | None = None
        #: The comments' language of the code shown (that of the last run).
        self._comments = comments_language()
        if self.CODE_FOLLOWS_COMMENTS:
            notifier().sigChanged.connect(self._follow_comments)

    @Slot()
    def run(self) -> None:
        """Cancel a pending re-run and note that the page has run (subclasses then start the lab)."""
        self._debounce.stop()
        self._ran = True
        self._comments = comments_language()

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
        if self.results is not None:
            self.results.setEnabled(False)
        if isinstance(err, LabError) and err.code:
            self.code_box.set_code(err.code)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        if self.busy_label is not None:
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

    def _comments_changed(self) -> None:
        """The comments' language changed: write the code shown again in it (here: run again
        with the same inputs, once the page has run). Pages that can write their code
        without TensorFlow override this."""
        if self._ran:
            self.run()

    @Slot()
    def _follow_comments(self) -> None:
        """Write the code again if the comments' language is no longer that of the code shown."""
        if self.CODE_FOLLOWS_COMMENTS and comments_language() != self._comments:
            self._comments_changed()
            self._comments = comments_language()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._ran and self.RUN_ON_SHOW:
            self.run()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._follow_comments()
        super().changeEvent(event)


class CodeBox(QWidget):
    """Read-only code that produced a lab's answer, with a Copy button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = QPlainTextEdit(readOnly=True)
        self.editor.setFont(monospace())
        self._highlighter = PythonHighlighter(self.editor.document())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy)
        self.title = QLabel()
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.editor)
        self._retranslate()

    def _retranslate(self) -> None:
        self.copy_button.setText(self.tr("Copy code"))
        self.title.setText(self.tr("The code that produced this:"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def set_code(self, code: str) -> None:
        self.editor.setPlainText(code)

    def code(self) -> str:
        return self.editor.toPlainText()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code())


def note_text(notes: Any) -> str:
    """Join a lab's bilingual notes (:class:`tflab.labs._common.Note`) in the current language."""
    return "\n".join(note.text() for note in (notes or ()))
