"""A project file never runs code, reads other files or reaches the network.

The layer classes a project may name are an allow-list (tflab/allowlist.py); values are
plain data. Each entry point (project load, every command, import) is tried with a
project that names TFSMLayer, whose construction would load a SavedModel and run its
operations, and with values that would make Keras build such a class indirectly.
"""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.homes import fresh_home
from tflab import allowlist
from tflab.graph import ModelGraph
from tflab.project import Project, ProjectError, load_project, loads, save_project

ROOT = Path(__file__).resolve().parent.parent

TFSM = {"class_name": "TFSMLayer", "module": "layers",
        "config": {"filepath": "/tmp/tflab-no-such-savedmodel", "call_endpoint": "serve"}}


def _project_json(layers_config: list[tuple[str, dict]]) -> dict:
    graph = ModelGraph.sequential((4,), [("Dense", {"units": 2})])
    data = Project(graph).to_json()
    layer = data["graph"]["layers"][0]
    layer["class_name"], layer["config"] = layers_config[0]
    return data


HOSTILE = {
    "TFSMLayer itself": ("TFSMLayer", {"filepath": "/tmp/x", "call_endpoint": "serve"}),
    "Lambda": ("Lambda", {"function": "print"}),
    "InputLayer": ("InputLayer", {"shape": [4]}),
    "TorchModuleWrapper": ("TorchModuleWrapper", {}),
    "wrapped in Bidirectional": ("Bidirectional", {"layer": TFSM}),
    "wrapped in TimeDistributed, keras. module": (
        "TimeDistributed", {"layer": {**TFSM, "module": "keras.layers"}}),
    "an initializer that is a layer": ("Dense", {"units": 2, "kernel_initializer": TFSM}),
    "a dtype Keras would deserialize": (
        "Dense", {"units": 2, "dtype": {"class_name": "TFSMLayer", "module": "keras.layers",
                                        "config": TFSM["config"]}}),
    "a class deep inside plain data": (
        "BatchNormalization", {"renorm_clipping": {"rmax": {"inner": [TFSM]}}}),
    "an object of a module Keras imports": (
        "Dense", {"units": 2, "bias_initializer": {"class_name": "Zeros",
                                                   "module": "keras.src.export.tfsm_layer"}}),
    "a lambda in Keras's own encoding": (
        "Dense", {"units": 2, "kernel_regularizer": {"class_name": "__lambda__", "config": {}}}),
    "a vocabulary file": ("StringLookup", {"vocabulary": "/etc/passwd"}),
    "a vocabulary file inside a wrapper": (
        "TimeDistributed", {"layer": {"class_name": "IntegerLookup", "module": "layers",
                                      "config": {"vocabulary": "gs://bucket/vocab.txt"}}}),
}


def test_every_keras_layer_class_is_reviewed():
    """A Keras upgrade that adds a layer class fails here until it is put in one list."""
    import keras

    classes = {name for name in dir(keras.layers)
               if isinstance(getattr(keras.layers, name), type)
               and issubclass(getattr(keras.layers, name), keras.layers.Layer)}
    assert classes - allowlist.SAFE_LAYERS - set(allowlist.REFUSED_LAYERS) == set()
    assert allowlist.SAFE_LAYERS - classes == set()  # every allowed name is a real class
    assert allowlist.SAFE_LAYERS.isdisjoint(allowlist.REFUSED_LAYERS)
    for module, names in allowlist.SAFE_OBJECTS.items():
        assert names <= set(dir(getattr(keras, module))), module


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_project_naming_what_could_run_code_is_refused_on_load(case):
    data = _project_json([HOSTILE[case]])
    with pytest.raises(ProjectError) as info:
        loads(json.dumps(data))
    assert "allow" in info.value.en or "file path" in info.value.en or "not one tflab" in info.value.en
    assert info.value.zh != info.value.en  # said in Chinese too


def test_refusal_says_why_in_words():
    data = _project_json([HOSTILE["TFSMLayer itself"]])
    with pytest.raises(ProjectError) as info:
        loads(json.dumps(data))
    assert "loads a saved model" in info.value.en and "TFSMLayer" in info.value.en


def test_safe_values_still_load():
    data = _project_json([("BatchNormalization", {"renorm": True,
                                                  "renorm_clipping": {"rmax": 3.0, "rmin": 0.3, "dmax": 5.0}})])
    assert loads(json.dumps(data)).graph.layers
    data = _project_json([("StringLookup", {"vocabulary": ["a", "b"]})])
    assert loads(json.dumps(data)).graph.layers
    data = _project_json([("Dense", {"units": 2, "kernel_initializer": {
        "class_name": "RandomNormal", "module": "initializers", "config": {"seed": 1}}})])
    assert loads(json.dumps(data)).graph.layers


def test_a_graph_made_in_code_is_refused_before_keras_builds_it(monkeypatch):
    """The build itself checks too: a graph need not come from a file."""
    import keras

    from tflab.keras_build import BuildError, build_model
    from tflab.shapes import ShapeInference

    made = []
    monkeypatch.setattr(keras.layers.TFSMLayer, "__init__", lambda *a, **k: made.append(a))
    graph = ModelGraph.sequential((4,), [("Dense", {"units": 2})])
    graph.layers["dense"].class_name = "TFSMLayer"
    graph.layers["dense"].config = dict(TFSM["config"])
    with pytest.raises(BuildError, match="TFSMLayer"):
        build_model(graph)
    report = ShapeInference().infer(graph)
    assert not report.ok and "TFSMLayer" in str(report.first_error())
    graph.layers["dense"].class_name = "Bidirectional"
    graph.layers["dense"].config = {"layer": TFSM}
    with pytest.raises(BuildError, match="TFSMLayer"):
        build_model(graph)
    assert made == []


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3",
           "HOME": fresh_home()}
    return subprocess.run([sys.executable, "-m", "tflab", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.mark.parametrize("command", [
    ["summary"], ["summary", "--allow-custom-code"], ["codegen"], ["codegen", "--script"],
    ["train", "--data", "iris", "--epochs", "1"],
])
def test_every_command_refuses_such_a_project(tmp_path, command):
    path = tmp_path / "hostile.tflab"
    path.write_text(json.dumps(_project_json([HOSTILE["wrapped in Bidirectional"]])), encoding="utf-8")
    out = _cli(command[0], str(path), *command[1:])
    assert out.returncode == 1, out.stdout + out.stderr
    assert "TFSMLayer" in out.stderr and "Traceback" not in out.stderr


def _keras_file_with(tmp_path: Path, class_name: str, config: dict) -> Path:
    """A .keras file whose config.json names ``class_name`` (never made by Keras)."""
    path = tmp_path / "hostile.keras"
    layer = {"module": "keras.layers", "class_name": class_name, "config": config,
             "registered_name": None, "name": "x", "inbound_nodes": []}
    model = {"module": "keras", "class_name": "Functional", "registered_name": "Functional",
             "config": {"name": "m", "layers": [layer], "input_layers": [], "output_layers": []}}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(model))
        archive.writestr("model.weights.h5", b"")
    return path


@pytest.mark.parametrize("class_name, config, words", [
    ("TFSMLayer", {"filepath": "/tmp/x", "call_endpoint": "serve"}, "loads a saved model"),
    ("StringLookup", {"vocabulary": "/etc/passwd"}, "file path"),
])
def test_import_reads_the_file_before_keras_and_refuses(tmp_path, monkeypatch, class_name, config, words):
    import keras

    from tflab.importer import ImportModelError, import_keras_file

    loaded = []
    monkeypatch.setattr(keras.saving, "load_model", lambda *a, **k: loaded.append(a))
    path = _keras_file_with(tmp_path, class_name, config)
    with pytest.raises(ImportModelError, match=words):
        import_keras_file(path)
    assert loaded == []  # Keras never saw the file
    out = _cli("import", str(path), "-o", str(tmp_path / "out.tflab"))
    assert out.returncode == 1 and words in out.stderr
    assert not (tmp_path / "out.tflab").exists()


def test_saved_projects_of_every_allowed_shape_round_trip(tmp_path):
    graph = ModelGraph.sequential((8, 4), [("LSTM", {"units": 3, "return_sequences": True}),
                                           ("Bidirectional", {"layer": {
                                               "class_name": "GRU", "module": "layers",
                                               "config": {"units": 2}}})])
    save_project(Project(graph), tmp_path / "ok.tflab")
    assert load_project(tmp_path / "ok.tflab").graph.to_json() == graph.to_json()


def test_a_graph_error_names_the_layer():
    data = _project_json([HOSTILE["a vocabulary file"]])
    with pytest.raises(ProjectError) as info:
        loads(json.dumps(data))
    assert "'dense'" in info.value.en
