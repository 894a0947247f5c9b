"""Atomic file writes: a temporary file beside the target, flushed, then renamed.

A crash, a full disk or a locked folder never leaves a half-written file: either
the new content is in place, or the previous file is exactly as it was.
"""

from __future__ import annotations

import glob
import os
import tempfile
import time
from pathlib import Path

from tflab.messages import TflabError


class FileWriteError(TflabError):
    """A file that could not be written; the previous file (if any) is untouched."""


#: Temporary files older than this, left beside a target by a save that was killed, are
#: removed by the next save of that target.
STALE_TEMP_S = 600


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, keeping an existing file's permissions.

    A symbolic link stays a link: the file it points to is replaced. Temporary files of
    earlier saves of the same target that were killed midway are cleaned up."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else _default_file_mode()
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise FileWriteError(
            f"Cannot write into {str(folder)!r}: {err.strerror or err}.",
            f"无法写入 {str(folder)!r}：{err.strerror or err}。",
            hint_en="Choose a folder that exists and that you may write to.",
            hint_zh="请选择一个存在并且有写入权限的文件夹。",
        ) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
        _remove_stale_temps(target)
    except OSError as err:
        Path(temp_name).unlink(missing_ok=True)
        raise FileWriteError(
            f"Cannot save {str(target)!r}: {err.strerror or err}.",
            f"无法保存 {str(target)!r}：{err.strerror or err}。",
            hint_en="Choose a folder you may write to, and check that the disk is not full.",
            hint_zh="请选择有写入权限的文件夹，并检查磁盘空间是否已满。",
        ) from None


def _remove_stale_temps(target: Path) -> None:
    """Remove what killed saves of ``target`` left (``.NAME.*.tmp``, older than
    :data:`STALE_TEMP_S`: a save running now in another window is younger)."""
    cutoff = time.time() - STALE_TEMP_S
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            if leftover.is_file() and not leftover.is_symlink() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            continue


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 ``text`` (with ``\\n`` line ends) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _default_file_mode() -> int:
    """The permissions a newly created file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
