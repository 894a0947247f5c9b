"""The engine stays apart from the interface, and light to import."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_engine_never_imports_qt_or_ui():
    offenders = {}
    for path in sorted((ROOT / "tflab").rglob("*.py")):
        bad = _imports(path) & {"PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "ui"}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_graph_and_codegen_do_not_import_tensorflow():
    for module in ("tflab.graph", "tflab.project", "tflab.codegen", "tflab.catalog", "tflab.catalog.initializers"):
        loaded = _modules_after_import(module)
        assert module in loaded
        heavy = {m for m in loaded if m.split(".")[0] in {"tensorflow", "keras", "PySide6"}}
        assert heavy == set(), f"importing {module} pulled in {sorted(heavy)[:5]}"


def test_whole_engine_package_imports_without_qt():
    code = (
        "import sys, importlib, pkgutil, tflab\n"
        "for m in pkgutil.walk_packages(tflab.__path__, 'tflab.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(any(k.split('.')[0] == 'PySide6' for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_tensorflow_and_keras_are_imported_only_through_tfload():
    """One way into TensorFlow: a direct `import keras` on one thread while the loader
    imports TensorFlow on another deadlocks in Python's import locks (or sees a half-made
    module). Every module asks tflab.tfload, which imports both under one lock, in order."""
    offenders = []
    for path in sorted([*(ROOT / "tflab").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]):
        if path.name == "tfload.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                if name.split(".")[0] not in ("keras", "tensorflow"):
                    continue
                if isinstance(node, ast.ImportFrom) and _after_tfload(path, node.lineno):
                    continue  # a submodule, once tfload.load() has run just above
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert offenders == []


def _after_tfload(path: Path, line: int) -> bool:
    """Whether the lines just above ``line`` call tfload (load, keras or tensorflow)."""
    above = path.read_text(encoding="utf-8").splitlines()[max(0, line - 4):line - 1]
    return any("tfload." in text for text in above)
