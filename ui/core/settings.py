"""The application's settings: read once, written on a lane of their own.

``QSettings`` reads its file whenever one is made (it asks the disk whether the file
changed), and writes it on the thread that set a value, soon after. The settings file is
in the home folder, which a school may keep on its network: each language switch, code
style, recent file or splitter move asked that disk on the window's thread.

Here one ``QSettings`` is made, on first use (at start-up, before the window shows), and
only read; values set since are kept in memory and written in order on the
``"settings"`` lane, which :meth:`Settings.sync` waits for at the end of the program.
The interface is ``QSettings``'s own: ``value(key, default, type=...)``, ``setValue``,
``sync``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from ui.core.workers import QUIT_WAIT_MS, shared_lane

_current: Settings | None = None


class Settings:
    """The settings as this program sees them (see the module docstring)."""

    def __init__(self) -> None:
        self._stored = QSettings()  # read once, here; never written through
        self._written: dict[str, Any] = {}  # set since, in memory (and on their way to the disk)

    def value(self, key: str, default: Any = None, type: type | None = None) -> Any:
        """The value of ``key`` (``default`` when unset), converted to ``type`` as
        ``QSettings.value`` does."""
        if key in self._written:
            return _converted(self._written[key], default, type)
        if type is None:
            return self._stored.value(key, default)
        return self._stored.value(key, default, type=type)

    def setValue(self, key: str, value: Any) -> None:  # noqa: N802 - QSettings's name
        """Set ``key`` now (for this program) and write it on the settings lane."""
        self._written[key] = value
        shared_lane("settings").submit(None, lambda: _write(key, value))

    def sync(self, msecs: int = QUIT_WAIT_MS) -> bool:
        """Wait until the values set so far are written (or ``msecs`` pass)."""
        return shared_lane("settings").wait(msecs)


def settings() -> Settings:
    """The application's settings (read the first time they are asked for)."""
    global _current
    if _current is None:
        _current = Settings()
    return _current


def reset() -> None:
    """Write what is pending and read the settings again at the next use (tests give each
    test a settings folder of its own)."""
    global _current
    if _current is not None:
        _current.sync()
    _current = None


def _write(key: str, value: Any) -> None:
    """On the settings lane: one value into the file."""
    stored = QSettings()
    stored.setValue(key, value)
    stored.sync()


def _converted(value: Any, default: Any, kind: type | None) -> Any:
    """A value set by this program, as ``QSettings.value(key, default, type=kind)`` gives
    it back once written and read again."""
    if value is None:
        return default
    if kind is None or isinstance(value, kind):
        return value
    if kind is list:
        return list(value) if isinstance(value, tuple) else [value]
    if kind is bool and isinstance(value, str):
        return value.lower() == "true"
    try:
        return kind(value)
    except (TypeError, ValueError):
        return default
