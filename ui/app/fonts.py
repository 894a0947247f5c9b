"""A font for Chinese text, so it never shows as empty boxes ("tofu").

Desktops with Chinese support have such a font, and Qt finds it. A bundled tflab
started where Qt's font database comes up without one (a minimal Linux system, a
fontconfig set-up the bundle cannot read) would draw every Chinese character as a
box. :func:`ensure_cjk_font` then registers a CJK font file found in the usual
font folders with the application, and makes it the fallback of the default font.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

#: Font files that cover Simplified Chinese, best first (Linux, Windows, macOS).
CJK_FONT_FILES = (
    "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf",
    "NotoSansSC-Regular.ttf", "SourceHanSansSC-Regular.otf", "SourceHanSans-Regular.ttc",
    "wqy-microhei.ttc", "wqy-zenhei.ttc", "DroidSansFallbackFull.ttf",
    "msyh.ttc", "simhei.ttf", "simsun.ttc", "PingFang.ttc", "Hiragino Sans GB.ttc",
)


def font_folders() -> list[Path]:
    """The folders fonts are usually installed in, on this system."""
    home = Path.home()
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data_home / "fonts",
            home / ".fonts", windows, Path("/System/Library/Fonts"), Path("/Library/Fonts"),
            home / "Library" / "Fonts"]


def find_cjk_font_files(folders: list[Path] | None = None) -> list[Path]:
    """The font files of :data:`CJK_FONT_FILES` in ``folders`` (and below), best first."""
    found: dict[str, list[Path]] = {}
    for folder in folders if folders is not None else font_folders():
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.name in CJK_FONT_FILES:
                found.setdefault(path.name, []).append(path)
    return [path for name in CJK_FONT_FILES for path in sorted(found.get(name, []))]


def chinese_families() -> list[str]:
    """The font families Qt knows that cover Simplified Chinese."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def ensure_cjk_font(folders: list[Path] | None = None) -> str:
    """Make sure Qt can draw Chinese; call once a QGuiApplication exists.

    Does nothing when Qt already knows a font for Simplified Chinese. Otherwise
    registers the first usable file of :func:`find_cjk_font_files` and makes its family
    the substitute of the default font's family. Returns a family that covers Chinese,
    or "" when the system has none (the text then shows as boxes: nothing else helps).
    """
    known = chinese_families()
    if known:
        return _simplified_first(known)
    for path in find_cjk_font_files(folders):
        families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))
        if families:
            family = _simplified_first(families)
            QFont.insertSubstitution(QGuiApplication.font().family(), family)
            return family
    return ""


def _simplified_first(families: list[str]) -> str:
    """The family drawn in mainland China's glyph style if there is one ("... SC"), else the first.

    One file often holds the Japanese, Korean and both Chinese styles of a font."""
    return next((family for family in families if family.endswith(" SC")), families[0])
