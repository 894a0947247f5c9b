"""Import TensorFlow and Keras once, without start-up noise on the terminal.

TensorFlow's native start-up lines (absl's "All log messages before
absl::InitializeLog()" and the oneDNN notice) are printed straight to file
descriptor 2 during ``import tensorflow``, whatever ``TF_CPP_MIN_LOG_LEVEL`` says.
Students read the command line's output: they should see tflab's messages, not
those. :func:`load` silences descriptor 2 for the import only.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator

_lock = threading.RLock()
_loaded = False  # set once both imports have finished (sys.modules holds half-imported modules)


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
    """Import ``tensorflow`` and then ``keras`` (once; later calls return at once).

    This is the one way into TensorFlow: every piece of tflab that needs it calls
    :func:`load` (or :func:`keras` / :func:`tensorflow`) first. Two threads importing
    them in different orders (``import keras`` here while ``import tensorflow`` runs
    there, and TensorFlow imports Keras) deadlock in Python's import locks, or one sees
    a half-imported module ("... has no attribute 'DatasetV2'"); under this lock, and
    with the flag set only when both are done, a second caller waits instead.
    """
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with _fd2_silenced():
            import keras  # noqa: F401
            import tensorflow  # noqa: F401
        # TensorFlow and Keras leave about a million Python objects that live as long as
        # the process. Python's cyclic garbage collector would walk all of them again at
        # each full collection (up to 0.2 s in which the window cannot answer); frozen,
        # they are left out of it. Garbage of the program's own is collected as before.
        gc.freeze()
        _loaded = True


def is_loaded() -> bool:
    """Whether TensorFlow and Keras are imported completely, so that using them costs
    nothing (a half-imported module in ``sys.modules`` does not count)."""
    return _loaded or all(_fully_imported(name) for name in ("tensorflow", "keras"))


def _fully_imported(name: str) -> bool:
    module = sys.modules.get(name)
    return module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False)


def keras():
    """The ``keras`` module, imported through :func:`load`."""
    load()
    import keras as module

    return module


def tensorflow():
    """The ``tensorflow`` module, imported through :func:`load`."""
    load()
    import tensorflow as module

    return module
