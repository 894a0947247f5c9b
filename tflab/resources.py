"""Find bundled resource files by name; fail loudly when one is missing.

Resources live in the top-level ``resources/`` folder of the project (beside the
``tflab`` package), which the installer bundles at the same place; a wheel
(``pip install .``) puts them in ``<prefix>/share/tflab/resources``. Nothing here
touches the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tflab.messages import TflabError


def resources_root() -> Path:
    """The folder that holds the bundled resources."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    beside = Path(__file__).resolve().parent.parent / "resources"
    installed = Path(sys.prefix) / "share" / "tflab" / "resources"
    return installed if not beside.is_dir() and installed.is_dir() else beside


def resource_path(name: str) -> Path:
    """The path of the resource ``name`` (e.g. ``"datasets/iris.csv"``).

    Raises :class:`TflabError` when it does not exist: a missing resource is a broken
    installation, never something to skip silently.
    """
    root = resources_root()
    path = (root / name).resolve()
    if root.resolve() not in path.parents and path != root.resolve():
        raise TflabError(f"Invalid resource name: {name!r}", f"无效的资源名称：{name!r}")
    if not path.exists():
        raise TflabError(
            f"The bundled resource {name!r} is missing from {root}: the installation is incomplete.",
            f"缺少内置资源 {name!r}（应在 {root} 中）：安装不完整。",
        )
    return path
