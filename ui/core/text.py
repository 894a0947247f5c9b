"""Filling translated texts: Qt's ``%1``, ``%2``... placeholders, in one place."""

from __future__ import annotations

import functools
import re

_PLACEHOLDER = re.compile(r"%(\d)")


@functools.lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[str | int, ...]:
    """``template`` cut at its placeholders: text, then (number, text) pairs; the texts of a
    window are few, and the editor fills some of them thousands of times."""
    parts = _PLACEHOLDER.split(template)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def fill(template: str, *values: object) -> str:
    """``template`` with ``%1``, ``%2``... replaced by ``values`` (Qt's placeholder style).

    All at once, so a value that itself holds ``%2`` is shown as it is; a placeholder
    without a value stays as it is."""
    pieces = _pieces(template)
    out = [pieces[0]]
    for index in range(1, len(pieces), 2):
        number = pieces[index]
        out.append(str(values[number - 1]) if 0 < number <= len(values) else f"%{number}")
        out.append(pieces[index + 1])
    return "".join(out)
