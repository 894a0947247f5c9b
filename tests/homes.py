"""Empty home folders for the command-line tests' child processes.

Each child gets its own home (no settings, runs or recovery files shared with the user or
with other tests); all of them live under one temporary folder removed when the test
session ends, so repeated runs leave nothing behind.
"""

from __future__ import annotations

import tempfile

_PARENT = tempfile.TemporaryDirectory(prefix="tflab-test-homes-")


def fresh_home() -> str:
    """The path of a new, empty home folder."""
    return tempfile.mkdtemp(prefix="home-", dir=_PARENT.name)
