"""The disk as the window's thread sees it: a spy for tests that nothing there waits on it.

A folder on the network that does not answer blocks whatever asks it anything, even
whether a file exists: files are looked at on lanes, never on the window's thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

#: The ``Path`` methods that ask the disk.
ASKING = ("exists", "resolve", "stat", "glob", "read_text", "unlink", "mkdir")


def files_looked_at_here(monkeypatch) -> list[Path]:
    """The paths the window's (main) thread asks the disk about from now on."""
    looked_here: list[Path] = []
    for method in ASKING:
        real = getattr(Path, method)

        def spy(self, *args, _real=real, **kwargs):
            if threading.current_thread() is threading.main_thread():
                looked_here.append(self)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Path, method, spy)
    return looked_here
