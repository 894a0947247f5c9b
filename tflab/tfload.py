"""Import TensorFlow and Keras once, without start-up noise on the terminal.

TensorFlow's native start-up lines (absl's "All log messages before
absl::InitializeLog()" and the oneDNN notice) are printed straight to file
descriptor 2 during ``import tensorflow``, whatever ``TF_CPP_MIN_LOG_LEVEL`` says.
Students read the command line's output: they should see tflab's messages, not
those. :func:`load` silences descriptor 2 for the import only.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Iterator

_lock = threading.Lock()


@contextlib.contextmanager
def _fd2_silenced() -> Iterator[None]:
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr (e.g. a windowed app): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            sys.stderr.flush()
            os.dup2(devnull.fileno(), 2)
            try:
                yield
            finally:
                sys.stderr.flush()
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def load() -> None:
    """Import ``tensorflow`` and ``keras`` (once; later calls return at once)."""
    if sys.modules.get("keras") is not None and sys.modules.get("tensorflow") is not None:
        return
    with _lock:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with _fd2_silenced():
            import tensorflow  # noqa: F401
            import keras  # noqa: F401
