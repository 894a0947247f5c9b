"""A folder of every wheel tflab needs on one platform, to install it with no network.

    python packaging/wheelhouse.py build --platform linux --python 3.11 [--out DIR]
    python packaging/wheelhouse.py check --platform windows --python 3.12

``build`` writes ``build/wheelhouse/tflab-<version>-<platform>-py<python>/`` (or ``--out``):
``wheels/`` (tflab's own wheel and every wheel it needs, for that platform and Python),
``install.sh`` and ``install.ps1`` (a virtual environment made from those wheels alone,
and a shortcut), ``python-version`` and ``README.txt``. It downloads: run it where the
package index can be reached, then carry the folder to the classroom.

``check`` downloads nothing but the index's metadata: it resolves every requirement of
tflab for that platform and Python to a wheel (``pip install --dry-run``) and fails when
one has none. ``make wheelhouse-test`` runs it for Windows and macOS, and builds, installs
and self-tests the Linux wheelhouse with the network cut off.

Platforms: ``linux`` (manylinux x86-64), ``windows`` (win_amd64), ``macos`` (Apple silicon,
macOS 12 or newer). Pythons: 3.11 and 3.12.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12")

#: Each platform: the wheel tags pip may take, and the environment markers are judged in.
PLATFORMS = {
    "linux": {
        "tags": ["manylinux2014_x86_64"] + [f"manylinux_2_{minor}_x86_64" for minor in range(17, 40)],
        "markers": {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
                    "os_name": "posix"},
    },
    "windows": {
        "tags": ["win_amd64"],
        "markers": {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
                    "os_name": "nt"},
    },
    "macos": {
        # pip takes wheels for this macOS and older ones (universal2 too): a wheel that
        # needs a newer macOS would not install on a macOS 12 computer.
        "tags": ["macosx_12_0_arm64"],
        "markers": {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64",
                    "os_name": "posix"},
    },
}


def version() -> str:
    for line in (ROOT / "tflab" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("wheelhouse: no __version__ in tflab/__init__.py")


def own_wheel(folder: Path) -> Path:
    """tflab's own wheel (its code and the bundled resources), built into ``folder``."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), str(ROOT)],
                   check=True)
    wheels = sorted(folder.glob("tflab-*.whl"))
    if not wheels:
        raise SystemExit("wheelhouse: pip made no tflab wheel")
    return wheels[-1]


def requirements(wheel: Path, platform: str, python: str) -> list[str]:
    """tflab's requirements that apply on ``platform`` with ``python`` (markers judged
    there, not on this machine: the Linux CPU build of TensorFlow is not the Mac's)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    environment = {**PLATFORMS[platform]["markers"], "python_version": python, "python_full_version": f"{python}.0",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
    wanted = []
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        requirement = Requirement(line.split(":", 1)[1].strip())
        if requirement.marker is None or Marker(str(requirement.marker)).evaluate(environment):
            requirement.marker = None
            wanted.append(str(requirement))
    return wanted


def pip_target(platform: str, python: str) -> list[str]:
    """pip's options for wheels of another platform and Python (binary wheels only)."""
    options = ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    for tag in PLATFORMS[platform]["tags"]:
        options += ["--platform", tag]
    return options


def build(platform: str, python: str, out: Path | None) -> Path:
    out = out or ROOT / "build" / "wheelhouse" / f"tflab-{version()}-{platform}-py{python}"
    if out.exists():
        shutil.rmtree(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    wheel = own_wheel(wheels)
    wanted = requirements(wheel, platform, python)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(wheels),
                    *pip_target(platform, python), *resolved(wanted, platform, python)], check=True)
    for script in ("install.sh", "install.ps1"):
        shutil.copy2(ROOT / "packaging" / "offline" / script, out / script)
    (out / "python-version").write_text(python + "\n", encoding="utf-8")
    (out / "README.txt").write_text(README.format(version=version(), platform=platform, python=python),
                                    encoding="utf-8")
    size = sum(f.stat().st_size for f in wheels.iterdir())
    print(f"wheelhouse: {out} ({len(list(wheels.iterdir()))} wheels, {size / 2**20:.0f} MB)")
    return out


def resolved(wanted: list[str], platform: str, python: str) -> list[str]:
    """Every package (with its version) that ``wanted`` needs on that platform: pip
    resolves them there, reading the index's metadata only."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--target", str(Path(folder) / "target"), "--report", str(report),
             *pip_target(platform, python), *wanted],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"wheelhouse: the requirements do not all resolve to {platform} wheels for Python "
                             f"{python}:\n{result.stderr.strip()}")
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return [f"{item['metadata']['name']}=={item['metadata']['version']}" for item in installs]


def check(platform: str, python: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        wanted = requirements(own_wheel(Path(folder)), platform, python)
    found = resolved(wanted, platform, python)
    print(f"wheelhouse: {platform}, Python {python}: all {len(found)} requirements have wheels")


README = """tflab {version} for {platform}, Python {python}: every wheel it needs, to install offline.

Install (the computer needs Python {python}, 64-bit; no network):
  Linux, macOS:  bash install.sh              (options: --prefix DIR, --no-shortcut)
  Windows:       powershell -ExecutionPolicy Bypass -File install.ps1   (options: -Prefix DIR, -NoShortcut)

It makes a virtual environment from the wheels in wheels/ alone, with a shortcut to start
tflab; run it again with a newer wheelhouse to update (projects and settings are kept).
Check it: the shortcut's program with --self-test.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Every wheel tflab needs, for one platform and Python.")
    parser.add_argument("action", choices=("build", "check"))
    parser.add_argument("--platform", choices=sorted(PLATFORMS), default="linux")
    parser.add_argument("--python", choices=PYTHONS, default=f"{sys.version_info.major}.{sys.version_info.minor}")
    parser.add_argument("--out", type=Path, help="the folder to write (build); default under build/wheelhouse/")
    args = parser.parse_args()
    if args.action == "build":
        build(args.platform, args.python, args.out)
    else:
        check(args.platform, args.python)


if __name__ == "__main__":
    main()
