"""Render ``resources/icons/tflab.svg`` to ``resources/icons/tflab.png`` (256 x 256) with Qt.

Run it after changing the SVG: ``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icon.py``.
The PNG is committed; the installers use it (PyInstaller turns it into .ico / .icns).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 256


def render(svg: Path, png: Path, size: int = SIZE) -> None:
    """Draw ``svg`` into a transparent ``size`` x ``size`` PNG at ``png``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"cannot write {png}")


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    render(ICONS / "tflab.svg", ICONS / "tflab.png")
    print(ICONS / "tflab.png")
