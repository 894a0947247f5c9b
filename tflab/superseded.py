"""Work whose answer nobody will use stops early.

The editor checks a model's shapes and writes its code on worker threads after each
edit. When the model changes again (another keystroke, another file opened) before
that work is done, its answer will be dropped, yet it still ran to the end, and Python
runs one thread at a time: on a 2-core school computer the window waited for its
turn while a worker finished checking a model that was no longer shown.

The code that asks for the work says when it is out of date (:func:`stop_when`); the
long loops of the engine call :func:`check`, which then raises :class:`Superseded`.
Outside :func:`stop_when` (the command line, tests), :func:`check` does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

_local = threading.local()
T = TypeVar("T")


class Superseded(BaseException):
    """The work was asked for again with newer input; its answer would be dropped.

    A ``BaseException``, like ``KeyboardInterrupt``: the ``except Exception`` that turns
    a failure into a message for the user must let it through.
    """


def check() -> None:
    """Raise :class:`Superseded` when the work this thread is doing is out of date."""
    stale = getattr(_local, "stale", None)
    if stale is not None and stale():
        raise Superseded


def unless_superseded(work: Callable[[], T], stale: Callable[[], bool], instead: T) -> T:
    """``work()``, or ``instead`` when it stopped because ``stale()`` became true (see
    :func:`stop_when`): what a lane job returns, its answer being dropped anyway."""
    try:
        with stop_when(stale):
            return work()
    except Superseded:
        return instead


@contextmanager
def stop_when(stale: Callable[[], bool]) -> Iterator[None]:
    """Within the block, :func:`check` raises :class:`Superseded` once ``stale()`` is
    true. ``stale`` is called from this thread: it must only read plain values."""
    before = getattr(_local, "stale", None)
    _local.stale = stale
    try:
        yield
    finally:
        _local.stale = before
