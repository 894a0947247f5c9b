"""Bilingual (English / Simplified Chinese) messages for the engine.

The engine cannot use Qt's translation machinery (it never imports Qt), so every
user-facing engine message is written in both languages at the place it is raised::

    raise TflabError(
        f"Layer {name!r} is not connected to any input.",
        f"层 {name!r} 没有连接到任何输入。",
    )

The language is chosen once from the environment (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``) and can be changed with :func:`set_language` (the desktop
app calls it when the user switches language).
"""

from __future__ import annotations

import os

SUPPORTED = ("en", "zh")


def _from_environment() -> str:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


_language = _from_environment()


def set_language(lang: str) -> None:
    """Set the engine's message language: ``"en"`` or ``"zh"`` (``"zh_CN"`` works too)."""
    global _language
    code = (lang or "en").lower()
    _language = "zh" if code.startswith("zh") else "en"


def language() -> str:
    """The current message language, ``"en"`` or ``"zh"``."""
    return _language


def tr(en: str, zh: str, lang: str | None = None) -> str:
    """Pick the English or Chinese text for the current (or given) language."""
    return zh if (lang or _language) == "zh" else en


class TflabError(Exception):
    """An error a user can act on, carrying its message in both languages.

    ``str(err)`` gives the message in the current language; ``err.en`` and ``err.zh``
    give each one. ``hint_en`` / ``hint_zh`` optionally say what to do about it.
    """

    def __init__(self, en: str, zh: str | None = None, *, hint_en: str = "", hint_zh: str = ""):
        self.en = en
        self.zh = zh if zh is not None else en
        self.hint_en = hint_en
        self.hint_zh = hint_zh or hint_en
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        return tr(self.en, self.zh, lang)

    def hint(self, lang: str | None = None) -> str:
        return tr(self.hint_en, self.hint_zh, lang)

    def full(self, lang: str | None = None) -> str:
        """Message and hint together, as shown to a user."""
        hint = self.hint(lang)
        return f"{self.message(lang)}\n{hint}" if hint else self.message(lang)

    def __str__(self) -> str:
        return self.message()
