"""The course's own model on real MNIST digits: File > New trains it as the notes do."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tflab.project import load_project, save_project, starter_project

ROOT = Path(__file__).resolve().parent.parent
#: model.fit with Adam, batch 32 and 10 epochs reaches about 0.935 on a 70/15/15 split.
REQUIRED_TEST_ACCURACY = 0.92


def test_the_starter_project_is_the_course_model_on_mnist_split_as_the_notes_do():
    project = starter_project()
    graph = project.graph
    assert [node.shape for node in graph.inputs] == [(28, 28)]
    layers = [graph.layers[graph.calls[call].layer] for call in graph.stack_order()[0]]
    assert [(layer.class_name, layer.config) for layer in layers] == [
        ("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"}),
        ("Dense", {"units": 10, "activation": "softmax"})]
    training = project.training
    assert training["dataset"] == "mnist"
    assert (training["validation"], training["test"]) == (0.15, 0.15)
    assert (training["optimizer"], training["epochs"], training["batch_size"]) == ("adam", 10, 32)
    assert starter_project() is not project and starter_project().training == training


def test_the_starter_project_trains_on_mnist_from_the_command_line(tmp_path):
    path = tmp_path / "course.tflab"
    save_project(starter_project(), path)
    assert load_project(path).training["dataset"] == "mnist"
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3",
           "HOME": tempfile.mkdtemp(prefix="tflab-home-")}
    result = subprocess.run([sys.executable, "-m", "tflab", "train", str(path), "--json"], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["test"]["accuracy"] >= REQUIRED_TEST_ACCURACY, report
    assert "Epoch 10/10" in result.stderr or "10/10" in result.stderr
