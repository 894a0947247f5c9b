"""The offline installs: a wheelhouse per platform, and the installers' workflow."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import wheelhouse  # noqa: E402 - packaging/ is put on the path just above


def fake_wheel(tmp_path: Path) -> Path:
    """A wheel whose METADATA lists tflab's own requirements, as pip would build it."""
    lines = []
    dependencies = re.search(r"^dependencies = \[(.*?)^\]", (ROOT / "pyproject.toml").read_text(),
                             re.S | re.M).group(1)
    for item in re.findall(r'^\s*"([^"]+)",', dependencies, re.M):
        lines.append(f"Requires-Dist: {item}")
    wheel = tmp_path / "tflab-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("tflab-0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tflab\n" + "\n".join(lines))
    return wheel


@pytest.mark.parametrize("platform, python, tensorflow, qt", [
    ("linux", "3.11", "tensorflow-cpu==2.21.*", "PySide6-Essentials<6.12,>=6.8"),
    ("windows", "3.11", "tensorflow==2.21.*", "PySide6-Essentials<6.12,>=6.8"),
    ("macos", "3.12", "tensorflow==2.21.*", "PySide6-Essentials>=6.8"),
])
def test_the_requirements_are_those_of_the_target_platform_not_of_this_machine(tmp_path, platform, python,
                                                                                tensorflow, qt):
    wanted = wheelhouse.requirements(fake_wheel(tmp_path), platform, python)
    assert tensorflow in wanted and qt in wanted
    assert not any(name.startswith("tensorflow") and name != tensorflow for name in wanted)
    assert "keras>=3.15" in wanted and "tensorboard>=2.21" in wanted


def test_the_install_scripts_are_valid_and_refuse_the_wrong_python(tmp_path):
    script = ROOT / "packaging" / "offline" / "install.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    (tmp_path / "python-version").write_text("2.7\n")
    (tmp_path / "install.sh").write_bytes(script.read_bytes())
    result = subprocess.run(["bash", str(tmp_path / "install.sh"), "--prefix", str(tmp_path / "app")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "these wheels are for Python 2.7" in result.stderr
    assert not (tmp_path / "app").exists()


def test_the_workflow_only_calls_the_projects_own_build_steps():
    workflow = (ROOT / ".github" / "workflows" / "installers.yml").read_text()
    commands = [line.strip() for line in re.findall(r"run: (.+)", workflow)]
    commands += [line.strip() for block in re.findall(r"run: \|\n((?:\s{10}.+\n)+)", workflow)
                 for line in block.splitlines()]
    allowed = ("make ", "bash packaging/", "python -m venv .venv", ".venv/Scripts/python -m pip install -e")
    assert commands and all(command == "|" or command.startswith(allowed) for command in commands), commands
    # Every action is pinned to a commit, and each job self-tests before it uploads.
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", use) for use in re.findall(r"uses: (\S+)", workflow))
    for job in re.split(r"\n  (?=\w+:\n)", workflow.split("jobs:", 1)[1])[1:]:
        assert job.index("self-test") < job.index("upload-artifact"), job[:40]
