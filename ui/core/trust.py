"""Which custom layer code may run: the code this installation's user wrote or approved.

A project can carry Python code that defines layer classes
(:attr:`tflab.graph.ModelGraph.custom_code`). Reading it never runs it; shape inference
and training do, so they only get to once the code is allowed
(:func:`tflab.custom_layers.allow`). Code the user wrote here (the custom layers lab) or
agreed to run (:mod:`ui.editor.custom_code`) is *trusted*: this installation remembers a
digest of its exact text (:func:`trust`), so the project opens without a question next time.

Only digests are stored, never a token that a file could copy: a file can only claim
trust for text the user has already approved, word for word.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, Signal

from tflab import custom_layers
from tflab.messages import TflabError
from ui.core.settings import settings as app_settings

# QSettings key: digests of the custom code texts this installation trusts, newest first.
TRUST_SETTING = "custom_code/trusted"
MAX_TRUSTED = 500


class TrustEvents(QObject):
    """Signals:
        sigTrusted(str): the digest of code the user has just written or approved
            (documents showing that code refresh its shapes and hide their bar)."""

    sigTrusted = Signal(str)


@functools.cache
def trust_events() -> TrustEvents:
    """The one :class:`TrustEvents` of the application (made on first use)."""
    return TrustEvents()


def _trusted() -> list[str]:
    value = app_settings().value(TRUST_SETTING, [], type=list)
    return [item for item in value if isinstance(item, str)]


def is_trusted(source: str) -> bool:
    """Whether the user wrote or approved exactly this code on this computer."""
    return bool(source) and custom_layers.digest(source) in _trusted()


def trust(source: str) -> None:
    """Remember that the user wrote or approved this code, and let it run now."""
    if not source:
        return
    key = custom_layers.digest(source)
    app_settings().setValue(TRUST_SETTING, ([key] + [d for d in _trusted() if d != key])[:MAX_TRUSTED])
    custom_layers.allow(source)
    trust_events().sigTrusted.emit(key)


def allow_if_trusted(source: str) -> bool:
    """Let trusted code run in this session; returns whether the code may run."""
    if source and is_trusted(source):
        custom_layers.allow(source)
    return bool(source) and custom_layers.is_allowed(source)


def class_list(source: str) -> str:
    """The layer classes the code defines, comma-separated ("" if it cannot be read)."""
    try:
        return ", ".join(custom_layers.parse(source).names())
    except TflabError:
        return ""
