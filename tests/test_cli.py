"""The headless command line: help for every command, errors in words, never a traceback."""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tflab.cli import COMMANDS
from tflab.graph import ModelGraph
from tflab.project import Project, save_project

ROOT = Path(__file__).resolve().parent.parent


def tflab(*args: str, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANG": lang, "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": tempfile.mkdtemp(prefix="tflab-home-")}
    return subprocess.run([sys.executable, "-m", "tflab", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_every_command_has_help():
    top = tflab("--help")
    assert top.returncode == 0
    for name in COMMANDS:
        assert name in top.stdout
        sub = tflab(name, "--help")
        assert sub.returncode == 0, sub.stderr
        assert "usage:" in sub.stdout


def test_summary_prints_shapes_and_total(tmp_path):
    path = tmp_path / "seed.tflab"
    graph = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"})])
    save_project(Project(graph), path)
    out = tflab("summary", str(path))
    assert out.returncode == 0, out.stderr
    assert "(None, 784)" in out.stdout and "Total params: 78,500" in out.stdout
    assert out.stderr == ""  # no start-up noise from TensorFlow


def test_summary_of_a_broken_model_exits_1_with_the_hint(tmp_path):
    path = tmp_path / "bad.tflab"
    save_project(Project(ModelGraph.sequential((28, 28), [("Conv2D", {"filters": 2, "kernel_size": 3})])), path)
    out = tflab("summary", str(path))
    assert out.returncode == 1
    assert "Reshape" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("content", [b"{broken", b"\x00\x01binary"])
def test_bad_project_file_is_an_error_in_the_users_language(tmp_path, content):
    path = tmp_path / "bad.tflab"
    path.write_bytes(content)
    en = tflab("summary", str(path))
    zh = tflab("summary", str(path), lang="zh_CN.UTF-8")
    assert en.returncode == zh.returncode == 1
    assert en.stderr.startswith("error:") and zh.stderr.startswith("错误：")
    assert "Traceback" not in en.stderr + zh.stderr


def test_no_command_shows_usage_and_fails():
    out = tflab()
    assert out.returncode == 2 and "usage" in out.stderr
