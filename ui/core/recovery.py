"""Never lose work: autosave to a recovery file, offered again after a crash.

While the open project has unsaved changes, :class:`Recovery` writes it every minute
(atomically) to a recovery file of its own in the application's data folder, next to
a lock file held by the running program. Saving the project, discarding its changes
or closing the window normally deletes the file.

If the program crashes (or the computer loses power), the recovery file stays behind
and its lock becomes stale. At the next start :func:`find_orphans` finds such files
(never one whose program is still running) and the window asks "Recover unsaved
work?".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QStandardPaths, QTimer, Signal, Slot

from tflab.fileio import atomic_write_text
from tflab.messages import TflabError
from tflab.project import Project, ProjectError
from ui.core.document import Document
from ui.core.workers import QUIT_WAIT_MS, Lane, Requests

FORMAT = "tflab-recovery"
VERSION = 1
SUFFIX = ".tflab-recovery"

#: How often unsaved work is written to the recovery file, in milliseconds.
AUTOSAVE_MS = 60_000


def recovery_folder() -> Path:
    """Where recovery files live: ``recovery/`` in the application's data folder."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)) / "recovery"


def _lock_path(recovery_file: Path) -> Path:
    return recovery_file.with_suffix(".lock")


class Recovery(QObject):
    """Autosaves ``document`` while it has unsaved changes.

    Signals:
        sigSaved(str): the recovery file was written (its path).
    """

    sigSaved = Signal(str)

    def __init__(self, document: Document, folder: Path | None = None,
                 interval_ms: int = AUTOSAVE_MS, parent: QObject | None = None):
        super().__init__(parent)
        self._document = document
        self.folder = folder or recovery_folder()
        self.path = self.folder / f"{uuid.uuid4().hex}{SUFFIX}"
        self._lock = QLockFile(str(_lock_path(self.path)))  # taken by the first write (no disk until then)
        self._lock.setStaleLockTime(0)
        self._dirty = False  # changed since the last autosave
        #: A recovery file may be on disk (a write was asked for since the last discard):
        #: only then does discarding touch the disk, and only then is an unchanged
        #: document's autosave skipped. Nothing else here looks at the disk on the
        #: window's thread: the folder and the lock are made where the file is written.
        self._on_disk = False
        self._ended = False  # shutdown() ran
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._autosave_aside)
        self._writer: Requests | None = None  # writes the timer's autosaves on a lane of its own
        document.sigChanged.connect(self._on_changed)
        document.sigPlaced.connect(self._on_changed)  # a box moved: the file holds where it stands
        document.sigModifiedChanged.connect(self._on_modified_changed)

    def start(self) -> None:
        """Begin autosaving (every ``interval_ms``)."""
        self._timer.start()

    def is_running(self) -> bool:
        """Whether autosaving is on (between :meth:`start` and :meth:`shutdown`)."""
        return self._timer.isActive()

    @Slot()
    def _on_changed(self) -> None:
        self._dirty = True
        if not self._document.is_modified():
            self.discard()

    @Slot(bool)
    def _on_modified_changed(self, modified: bool) -> None:
        if modified:
            self._dirty = True  # e.g. trained weights to keep: the next autosave holds them
        else:
            self.discard()

    def mark_unsaved(self) -> None:
        """Treat the document as changed since the last autosave (e.g. recovered work)."""
        self._dirty = True

    @Slot()
    def autosave(self) -> Path | None:
        """Write the recovery file now if the document has unsaved changes.

        Returns the file written, or None. A failure (full disk, no permission) is
        not shown to the user each minute: autosave simply tries again next time.
        """
        self.wait()  # what the lane was asked to write or delete comes first
        data = self._snapshot()
        if data is None:
            return None
        try:
            _write_locked(self.folder, self._lock, self.path, data)
        except (OSError, TflabError):
            self._dirty = True
            return None
        self.sigSaved.emit(str(self.path))
        return self.path

    @Slot()
    def _autosave_aside(self) -> None:
        """The timer's autosave: the file (with trained weights it may be large) is written
        on a lane, so the window never waits for the disk."""
        if self._writer is not None and self._writer.busy():
            return  # the last one is still being written; the next tick tries again
        self.autosave_then(None)

    def autosave_then(self, after: Callable[[], object] | None) -> None:
        """Write the recovery file on the autosave lane now (if there is unsaved work), then
        run ``after()`` there, only once the file is written: recovered work opened from an
        earlier session's file is safe in this session's before that file is deleted."""
        data = self._snapshot()
        if data is None:
            return
        folder, lock, path = self.folder, self._lock, self.path

        def write() -> str:
            written = _write_locked(folder, lock, path, data)
            if after is not None:
                after()
            return written

        self._lane().run(write)

    def _lane(self) -> Requests:
        """The autosave lane (made the first time): it writes and deletes the recovery file
        in the order asked, so the window never waits for one before asking the next."""
        if self._writer is None:
            self._writer = Requests(Lane("autosave", self), self, doing=("autosaving", "自动保存"))
            self._writer.sigResult.connect(self._on_written)
            self._writer.sigError.connect(self._on_write_failed)
        return self._writer

    @Slot(object)
    def _on_written(self, path: str | None) -> None:
        if path is not None:  # None: a discard
            self.sigSaved.emit(path)

    @Slot(object)
    def _on_write_failed(self, _error: TflabError) -> None:
        self._dirty = True  # tried again at the next tick

    def _snapshot(self) -> dict | None:
        """What the recovery file should hold now (None: nothing to write); marks the work
        as written (a failed write marks it again). Looks at no file."""
        if not self._document.is_modified():
            self.discard()
            return None
        if not self._dirty and self._on_disk:
            return None
        self._dirty = False
        self._on_disk = True
        return {
            "format": FORMAT,
            "version": VERSION,
            "path": str(self._document.path) if self._document.path else None,
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "project": self._document.project.to_json(),
        }

    def wait(self, msecs: int = QUIT_WAIT_MS) -> None:
        """Wait until the writes and deletes asked of the autosave lane are done (or
        ``msecs`` pass): before a write on this thread, at the end, and in tests."""
        if self._writer is not None and self._writer.busy():
            self._writer.wait(msecs)

    def discard(self) -> None:
        """Delete the recovery file (the work was saved or deliberately dropped) on the
        autosave lane, after the writes asked before; when none was written, the disk is
        not touched (opening a project discards too)."""
        if self._on_disk:
            self._on_disk = False
            path = self.path
            self._lane().run(lambda: path.unlink(missing_ok=True))

    def shutdown(self, keep_unsaved: bool = False) -> None:
        """End of the session: stop, delete the file, release the lock.

        With ``keep_unsaved``, unsaved work is written and kept for the next start
        instead (the program ends without the user having saved or discarded it). Does
        nothing the second time.
        """
        if self._ended:
            return
        self._ended = True
        self._timer.stop()
        for signal in (self._document.sigChanged, self._document.sigPlaced):  # its work is done: a
            signal.disconnect(self._on_changed)  # later change deletes nothing it kept
        self._document.sigModifiedChanged.disconnect(self._on_modified_changed)
        if keep_unsaved and self._document.is_modified():
            self.autosave()
        else:
            self.discard()
        if self._writer is not None:
            self.wait()  # the last write or delete asked for is done before the program ends
            self._writer.lane.shutdown(QDeadlineTimer(QUIT_WAIT_MS))
        if self._lock.isLocked():
            self._lock.unlock()


def _write(path: Path, data: dict) -> Path:
    """Write a recovery file atomically (on any thread)."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))
    return path


def _write_locked(folder: Path, lock: QLockFile, path: Path, data: dict) -> str:
    """Make the recovery folder, take the session's lock (the first time) and write the
    file: on the autosave lane (or at the end of the program). A lock held by another
    program (never expected: the file name is this session's own) is an error, tried
    again at the next tick."""
    folder.mkdir(parents=True, exist_ok=True)
    if not lock.isLocked() and not lock.tryLock(0):
        raise TflabError(f"The recovery file {path.name} is locked by another program.",
                         f"恢复文件 {path.name} 被另一个程序锁定。")
    return str(_write(path, data))


@dataclass
class Orphan:
    """A recovery file left behind by a session that ended without closing normally.

    The lock of the file is held by this program while the object lives, so no other
    running tflab offers the same work at the same time.
    """

    path: Path
    original: Path | None
    saved_at: datetime
    _lock: QLockFile

    def title(self) -> str:
        """The name the work had: its file's name, or ""."""
        return self.original.name if self.original else ""

    def load(self) -> Project:
        """Read the recovered project (may import Keras: call it off the GUI thread)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Project.from_json(data["project"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ProjectError(
                f"The recovered work cannot be read ({type(err).__name__}: {err}).",
                f"无法读取恢复的工作（{type(err).__name__}：{err}）。",
            ) from None

    def delete(self) -> None:
        """Remove the recovery file and its lock."""
        self.path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        """Keep the file for a later start, but let other sessions see it."""
        self._lock.unlock()


def find_orphans(folder: Path | None = None) -> list[Orphan]:
    """Recovery files whose program is no longer running, newest first.

    Unreadable files are skipped (and left alone).
    """
    folder = folder or recovery_folder()
    orphans: list[Orphan] = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        lock = QLockFile(str(_lock_path(path)))
        lock.setStaleLockTime(0)  # a running session's lock is never stale by age
        if not lock.tryLock(0):
            continue  # its program is still running
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a recovery file")
            original = Path(data["path"]) if data.get("path") else None
            saved_at = datetime.fromisoformat(data["saved_at"])
        except (OSError, ValueError, KeyError, TypeError):
            lock.unlock()
            continue
        orphans.append(Orphan(path, original, saved_at, lock))
    orphans.sort(key=lambda orphan: orphan.saved_at, reverse=True)
    return orphans
