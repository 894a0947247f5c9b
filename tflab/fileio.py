"""Atomic file writes: a temporary file beside the target, flushed, then renamed.

A crash, a full disk or a locked folder never leaves a half-written file: either
the new content is in place, or the previous file is exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tflab.messages import TflabError


class FileWriteError(TflabError):
    """A file that could not be written; the previous file (if any) is untouched."""


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, keeping an existing file's permissions."""
    target = Path(path)
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
    except OSError as err:
        Path(temp_name).unlink(missing_ok=True)
        raise FileWriteError(
            f"Cannot save {str(target)!r}: {err.strerror or err}.",
            f"无法保存 {str(target)!r}：{err.strerror or err}。",
            hint_en="Choose a folder you may write to, and check that the disk is not full.",
            hint_zh="请选择有写入权限的文件夹，并检查磁盘空间是否已满。",
        ) from None


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 ``text`` (with ``\\n`` line ends) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _default_file_mode() -> int:
    """The permissions a newly created file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
