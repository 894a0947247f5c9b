"""Lane work that takes long and checks, step by step, whether it is out of date."""

from __future__ import annotations

import threading

from tflab import superseded


class LongWork:
    """A minute of steps on a lane, each a :func:`tflab.superseded.check` as the engine's
    loops make one per layer; ``started`` and ``stopped`` (by :class:`Superseded`) say
    how it went."""

    def __init__(self) -> None:
        self.started, self.stopped = threading.Event(), threading.Event()

    def run(self) -> None:
        self.started.set()
        try:
            for _ in range(60_000):
                superseded.check()
                threading.Event().wait(0.001)
        except superseded.Superseded:
            self.stopped.set()
            raise
