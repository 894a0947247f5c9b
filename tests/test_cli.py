"""The headless command line: help for every command, errors in words, never a traceback."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.homes import fresh_home
from tflab.cli import COMMANDS
from tflab.graph import ModelGraph
from tflab.project import Project, save_project

ROOT = Path(__file__).resolve().parent.parent


def tflab(*args: str, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANG": lang, "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": fresh_home()}
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


def _custom_project(tmp_path) -> tuple[Path, Path, ModelGraph]:
    """A project whose model uses a layer class of its own custom code; that code leaves
    a line in a marker file each time it runs."""
    from tflab.labs.custom import LAYER_TEMPLATE

    marker = tmp_path / "ran.txt"
    source = LAYER_TEMPLATE + f"\n\nwith open({str(marker)!r}, 'a') as marker:\n    marker.write('ran\\n')\n"
    graph = ModelGraph.sequential((2,), [("MyDense", {"units": 8, "activation": "relu"}),
                                         ("Dense", {"units": 2, "activation": "softmax"})])
    graph.set_custom_code(source)
    path = tmp_path / "custom.tflab"
    save_project(Project(graph), path)
    return path, marker, graph


def test_summary_and_train_refuse_custom_code_unless_allowed(tmp_path):
    path, marker, _ = _custom_project(tmp_path)
    runs = [tflab("summary", str(path)), tflab("train", str(path), "--data", "xor", "--epochs", "1")]
    zh = tflab("summary", str(path), lang="zh_CN.UTF-8")
    for out in runs:
        assert out.returncode == 1
        assert out.stderr.startswith("error:") and "Traceback" not in out.stderr
        assert "MyDense" in out.stderr and "--allow-custom-code" in out.stderr
        assert out.stdout == ""
    assert zh.returncode == 1 and zh.stderr.startswith("错误：") and "--allow-custom-code" in zh.stderr
    assert not marker.exists()  # the project's code never ran


def test_summary_with_allow_custom_code_runs_it_and_counts_like_keras(tmp_path):
    from tflab import custom_layers
    from tflab.keras_build import build_model

    path, marker, graph = _custom_project(tmp_path)
    out = tflab("summary", str(path), "--allow-custom-code")
    assert out.returncode == 0, out.stderr
    assert marker.read_text() == "ran\n"
    custom_layers.allow(graph.custom_code)
    try:
        model = build_model(graph)
    finally:
        custom_layers.forget_allowed()
    mine = model.get_layer("my_dense")
    row = next(line for line in out.stdout.splitlines() if line.startswith("my_dense (MyDense)"))
    assert re.split(r"\s{2,}", row) == ["my_dense (MyDense)", str(tuple(mine.output.shape)),
                                        f"{mine.count_params():,}"]
    assert f"Total params: {model.count_params():,}" in out.stdout


def test_train_with_allow_custom_code_trains_the_custom_layer(tmp_path):
    path, marker, _ = _custom_project(tmp_path)
    out = tflab("train", str(path), "--data", "xor", "--epochs", "1", "--json", "--allow-custom-code")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["epochs"] == 1 and "loss" in result["train"]
    assert marker.exists()


def test_codegen_writes_the_custom_classes_without_running_them(tmp_path):
    path, marker, _ = _custom_project(tmp_path)
    out = tflab("codegen", str(path), "--style", "sequential")
    assert out.returncode == 0, out.stderr
    assert "class MyDense(tf.keras.layers.Layer):" in out.stdout
    assert "MyDense(units=8, activation=\"relu\", name=\"my_dense\")" in out.stdout
    compile(out.stdout, "generated.py", "exec")
    assert not marker.exists()


@pytest.mark.parametrize("command", ["summary", "train"])
def test_allow_custom_code_is_explained_in_the_help(command):
    out = tflab(command, "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    assert "--allow-custom-code" in text and "trust" in text and "project file" in text


def test_train_model_refuses_an_h5_file_in_words(tmp_path):
    legacy = tmp_path / "old.h5"
    legacy.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    out = tflab("train", "--model", str(legacy), "--data", "iris", "--epochs", "1")
    assert out.returncode == 1 and "HDF5 (.h5)" in out.stderr and "not found" not in out.stderr.lower()


def test_train_model_reads_a_keras_file_with_the_same_checks_as_import(tmp_path):
    from tests.test_allowlist import _keras_file_with

    path = _keras_file_with(tmp_path, "StringLookup", {"vocabulary": "/etc/passwd"})
    out = tflab("train", "--model", str(path), "--data", "iris", "--epochs", "1")
    assert out.returncode == 1 and "file path" in out.stderr
