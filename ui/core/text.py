"""Filling translated texts: Qt's ``%1``, ``%2``... placeholders, in one place."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d)")


def fill(template: str, *values: object) -> str:
    """``template`` with ``%1``, ``%2``... replaced by ``values`` (Qt's placeholder style).

    All at once, so a value that itself holds ``%2`` is shown as it is; a placeholder
    without a value stays as it is."""
    def value(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        return str(values[index]) if 0 <= index < len(values) else match.group(0)

    return _PLACEHOLDER.sub(value, template)
