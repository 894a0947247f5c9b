"""The installer recipe: resources, engine sources for AutoGraph, and the frozen entry point."""

import ast
import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def spec_assignments() -> dict[str, ast.expr]:
    """The top-level ``NAME = value`` statements of packaging/tflab.spec."""
    tree = ast.parse((PACKAGING / "tflab.spec").read_text(encoding="utf-8"))
    return {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


def test_spec_bundles_the_whole_resources_folder_and_keras_metadata():
    """Keras's version (its metadata) says whether the table of its defaults holds: without
    it, a .keras file imports only through Keras."""
    datas = ast.unparse(spec_assignments()["DATAS"])
    assert datas == "[(str(ROOT / 'resources'), 'resources'), *copy_metadata('keras')]"
    for folder in ("datasets", "images", "lessons", "icons"):
        assert (ROOT / "resources" / folder).is_dir(), folder


def test_spec_collects_the_engine_with_its_sources():
    assigned = spec_assignments()
    assert ast.literal_eval(assigned["MODULE_COLLECTION_MODE"]) == {"tflab": "pyz+py"}
    hidden = ast.unparse(assigned["HIDDEN_IMPORTS"])
    assert "collect_submodules('tflab')" in hidden and "collect_submodules('ui')" in hidden
    text = (PACKAGING / "tflab.spec").read_text(encoding="utf-8")
    assert "module_collection_mode=MODULE_COLLECTION_MODE" in text
    assert "tflab_main.py" in text


def test_spec_never_excludes_what_the_app_uses():
    excluded = set(ast.literal_eval(spec_assignments()["EXCLUDES"]))
    for needed in ("tensorflow", "keras", "tensorboard", "tensorboard.summary",
                   "tensorboard.backend.event_processing", "PySide6.QtWidgets", "PySide6.QtSvg",
                   "PySide6.QtOpenGL", "pyqtgraph", "numpy", "PIL", "h5py"):
        assert not any(needed == name or needed.startswith(name + ".") for name in excluded), needed


def load_entry_point():
    spec = importlib.util.spec_from_file_location("tflab_main", PACKAGING / "tflab_main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_frozen_entry_point_recognises_python_c():
    entry = load_entry_point()
    assert entry.python_command(["-I", "-c", "print(1)"]) == ("print(1)", ["-c"])
    assert entry.python_command(["-c", "x", "a", "b"]) == ("x", ["-c", "a", "b"])
    assert entry.python_command(["--self-test"]) is None
    assert entry.python_command(["model.tflab"]) is None
    assert entry.python_command(["-I"]) is None


def test_no_network_script_cuts_the_network():
    probe = "import socket; socket.create_connection(('1.1.1.1', 443), timeout=5)"
    result = subprocess.run(["bash", str(PACKAGING / "no-network.sh"), "python3", "-c", probe],
                            capture_output=True, text=True, timeout=60)
    if "cannot create a network namespace" in result.stderr:
        pytest.skip("no network namespaces on this computer")
    assert result.returncode != 0
    assert "network cut off" in result.stderr
    assert "OSError" in result.stderr or "unreachable" in result.stderr.lower()


def test_packaging_scripts_are_executable():
    for script in ("build.sh", "no-network.sh", "package-test.sh", "linux/build-deb.sh",
                   "macos/build-app.sh"):
        path = PACKAGING / script
        assert path.is_file(), script
        assert os.access(path, os.X_OK), script
