"""``pip install .`` (a wheel) carries every bundled resource, and tflab finds them there."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tflab import resources

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_every_resource_file(tmp_path):
    source = tmp_path / "src"  # a copy: building must not leave files in the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path / "dist"), str(source)], check=True, capture_output=True, timeout=600)
    wheel = next((tmp_path / "dist").glob("tflab-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {path.relative_to(ROOT / "resources").as_posix()
              for path in (ROOT / "resources").rglob("*") if path.is_file()}
    data = next(name.split("/data/")[0] for name in names if ".data/data/" in name)
    missing = {name for name in wanted if f"{data}/data/share/tflab/resources/{name}" not in names}
    assert not missing
    assert "tflab/resources.py" in names and "ui/app/main.py" in names


def test_an_installed_copy_finds_its_resources_under_the_prefix(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "tflab"
    package.mkdir(parents=True)
    installed = tmp_path / "prefix" / "share" / "tflab" / "resources"
    (installed / "datasets").mkdir(parents=True)
    (installed / "datasets" / "iris.csv").write_text("x\n", encoding="utf-8")
    monkeypatch.setattr(resources, "__file__", str(package / "resources.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert resources.resources_root() == installed
    assert resources.resource_path("datasets/iris.csv") == (installed / "datasets" / "iris.csv").resolve()
    monkeypatch.setattr(resources, "__file__", str(ROOT / "tflab" / "resources.py"))
    assert resources.resources_root() == ROOT / "resources"  # a checkout uses its own folder
