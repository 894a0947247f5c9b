"""The core promise of the code view: the code rebuilds exactly the graph's model.

For every corpus graph and every style that can write it, the generated module is
run on its own (one Python process per style, which imports every module of that
style, builds each model and records it), then compared with the reference model
``tflab.keras_build.build_model(graph)`` built here: same layer classes, names and
configs, same parameter counts, and the same outputs once the reference has the
rebuilt model's weights (copied layer by layer, by name).
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests import corpus
from tflab import catalog, codegen
from tflab.keras_build import build_model

ROOT = Path(__file__).resolve().parent.parent
GRAPHS = corpus.corpus()
CASES = [(name, style) for name, graph in GRAPHS.items() for style in codegen.STYLES
         if style != "sequential" or graph.is_stack()]
#: Graphs whose layers are all seeded (or not random): their fresh weights must match too.
SEEDED = ("initializers",)
#: TensorFlow refuses names like 'it's "quoted"' as name scopes, which a subclassed model
#: opens for every layer it calls: such a model is only made, not built, and compared
#: on its layers' classes, names and configs.
MADE_NOT_BUILT = {("hostile", "subclass")}

RUNNER = r'''
"""Import generated modules, build each model and record what it is."""
import importlib.util
import json
import sys
import traceback

import numpy as np
import tensorflow as tf


def jsonable(value):
    return json.loads(json.dumps(value, default=repr))


def record(model, inputs, arrays, key):
    layers = [layer for layer in model.layers if not isinstance(layer, tf.keras.layers.InputLayer)]
    info = {"params": model.count_params(), "layers": []}
    for index, layer in enumerate(layers):
        weights = layer.get_weights()
        for number, weight in enumerate(weights):
            arrays[f"{key}_w_{index}_{number}"] = weight
        info["layers"].append({
            "name": layer.name,
            "class": type(layer).__name__,
            "config": jsonable(layer.get_config()),
            "params": layer.count_params(),
            "weights": len(weights),
        })
    model_inputs = getattr(model, "inputs", None)
    if model_inputs:
        info["inputs"] = [[t.name, list(t.shape), str(t.dtype)] for t in model_inputs]
    outputs = tf.nest.flatten(model(inputs[0] if len(inputs) == 1 else inputs, training=False))
    for number, output in enumerate(outputs):
        arrays[f"{key}_out_{number}"] = np.asarray(output)
    info["outputs"] = len(outputs)
    return info


def main(job_file, result_file, arrays_file):
    with open(job_file, encoding="utf-8") as handle:
        job = json.load(handle)
    results, arrays = {}, {}
    for key, entry in job.items():
        try:
            spec = importlib.util.spec_from_file_location(f"generated_{key}", entry["module"])
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            if "make" in entry:
                model = getattr(module, entry["make"])()
                results[key] = {"layers": [
                    {"name": layer.name, "class": type(layer).__name__,
                     "config": jsonable(layer.get_config())} for layer in model.layers
                ]}
                continue
            model = module.build_model()
            data = np.load(entry["inputs"])
            inputs = [data[f"x{i}"] for i in range(len(data.files))]
            results[key] = record(model, inputs, arrays, key)
        except Exception:
            results[key] = {"error": traceback.format_exc()}
    np.savez(arrays_file, **arrays)
    with open(result_file, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


main(*sys.argv[1:])
'''


def _normalise(value):
    """Configs compared as JSON data: tuples and lists alike, nothing else ignored."""
    return json.loads(json.dumps(value, default=repr))


def _inputs_for(graph, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = []
    for node in graph.inputs:
        shape = (node.batch_size or 3, *(d or 5 for d in node.shape))
        if node.dtype.startswith("int"):
            arrays.append(rng.integers(0, corpus.VOCABULARY, size=shape).astype(node.dtype))
        else:
            arrays.append(rng.normal(size=shape).astype(node.dtype))
    return arrays


INPUTS = {name: _inputs_for(graph, seed) for seed, (name, graph) in enumerate(GRAPHS.items())}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> dict:
    """Run every generated module, one process per style: {(graph, style): (info, arrays)}."""
    folder = tmp_path_factory.mktemp("codegen_roundtrip")
    runner = folder / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    for name, arrays in INPUTS.items():
        np.savez(folder / f"{name}_inputs.npz", **{f"x{i}": a for i, a in enumerate(arrays)})
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
    jobs = {}
    for style in codegen.STYLES:
        job = {}
        for name, graph_style in CASES:
            if graph_style != style:
                continue
            module = folder / f"{style}_{name}.py"
            module.write_text(codegen.generate(GRAPHS[name], style), encoding="utf-8")
            job[name] = {"module": str(module), "inputs": str(folder / f"{name}_inputs.npz")}
            if (name, style) in MADE_NOT_BUILT:
                job[name]["make"] = codegen.subclass_name(GRAPHS[name])
        (folder / f"{style}.json").write_text(json.dumps(job), encoding="utf-8")
        files = [str(folder / f"{style}{suffix}") for suffix in (".json", "_result.json", "_arrays.npz")]
        jobs[style] = (files, subprocess.Popen([sys.executable, str(runner), *files], env=env,
                                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = {}
    for style, (files, process) in jobs.items():
        out, err = process.communicate()
        assert process.returncode == 0, f"the {style} runner failed:\n{out}\n{err}"
        infos = json.loads(Path(files[1]).read_text(encoding="utf-8"))
        arrays = dict(np.load(files[2]))
        for name, info in infos.items():
            results[(name, style)] = (info, arrays)
    return results


@pytest.fixture(scope="module")
def references() -> dict:
    """The reference model of every corpus graph, with its fresh weights."""
    models = {}
    for name, graph in GRAPHS.items():
        model = build_model(graph)
        models[name] = (model, {layer.name: layer.get_weights() for layer in model.layers})
    return models


def _layers(model) -> list:
    import keras

    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


@pytest.mark.parametrize("name,style", CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_generated_code_rebuilds_the_same_model(name, style, rebuilt, references):
    info, arrays = rebuilt[(name, style)]
    assert "error" not in info, info.get("error")
    reference, fresh = references[name]
    ref_layers = _layers(reference)

    got = {layer["name"]: layer for layer in info["layers"]}
    assert sorted(got) == sorted(layer.name for layer in ref_layers)
    for layer in ref_layers:
        mine = got[layer.name]
        assert mine["class"] == type(layer).__name__, layer.name
        assert mine["config"] == _normalise(layer.get_config()), layer.name
    if (name, style) in MADE_NOT_BUILT:
        return
    for layer in ref_layers:
        assert got[layer.name]["params"] == layer.count_params(), layer.name
    assert info["params"] == reference.count_params()
    if style != "subclass":
        expected_inputs = [[t.name, list(t.shape), str(t.dtype)] for t in reference.inputs]
        assert info["inputs"] == _normalise(expected_inputs)

    for index, layer in enumerate(info["layers"]):
        weights = [arrays[f"{name}_w_{index}_{n}"] for n in range(layer["weights"])]
        if name in SEEDED:  # seeded initializers give the same fresh weights
            for mine, theirs in zip(weights, fresh[layer["name"]], strict=True):
                np.testing.assert_array_equal(mine, theirs)
        reference.get_layer(layer["name"]).set_weights(weights)
    inputs = INPUTS[name]
    expected = _flatten(reference(inputs[0] if len(inputs) == 1 else inputs, training=False))
    assert info["outputs"] == len(expected)
    for number, output in enumerate(expected):
        np.testing.assert_allclose(arrays[f"{name}_out_{number}"], output, rtol=1e-6, atol=1e-6)


def _flatten(outputs) -> list[np.ndarray]:
    items = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(item) for item in items]


# --------------------------------------------------------------------------- scripts

#: (graph, style): one script per style, covering several inputs, several outputs,
#: whole-number inputs and a bundled dataset's name.
SCRIPTS = (("cnn", "sequential"), ("two_heads", "functional"), ("recurrent", "functional"),
           ("two_inputs", "subclass"), ("lstm_states", "subclass"))


def test_generated_scripts_train_offline(tmp_path):
    from tflab.trainer import TrainConfig

    training = {"epochs": 1, "batch_size": 4, "dataset": "digits"}
    trainer_settings = TrainConfig(optimizer="sgd", momentum=0.5, loss="binary_crossentropy",
                                   epochs=1, batch_size=4).to_dict()
    paths = []
    for number, (name, style) in enumerate(SCRIPTS):
        settings = trainer_settings if name == "recurrent" else training
        path = tmp_path / f"script_{number}.py"
        path.write_text(codegen.generate(GRAPHS[name], style, script=True, training=settings),
                        encoding="utf-8")
        paths.append(str(path))
    program = ("import runpy, sys\n"
               "for path in sys.argv[1:]:\n"
               "    sys.argv = [path]  # each script reads its own options\n"
               "    runpy.run_path(path, run_name='__main__')\n"
               "    print('finished', path)\n")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", program, *paths], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert out.stdout.count("finished") == len(SCRIPTS)
    assert "val_loss" in out.stdout


# --------------------------------------------------------------------------- what codegen assumes


def test_positional_arguments_open_the_keras_signatures():
    import keras

    for class_name, names in codegen.POSITIONAL.items():
        cls = getattr(keras.layers, class_name)
        params = list(inspect.signature(cls.__init__).parameters)[1:1 + len(names)]
        assert tuple(params) == names, class_name


def test_layers_taking_a_list_are_known_without_keras():
    for class_name in catalog.all_layer_names():
        from_catalog = catalog.get_entry(class_name).input_mode == "list"
        assert (codegen._input_mode(class_name) == "list") == from_catalog, class_name


def test_subclass_attributes_avoid_every_model_attribute():
    import keras

    class Probe(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    model = Probe()
    model(keras.Input(shape=(2,)))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((2, 2)), np.zeros((2, 1)), epochs=1, verbose=0)
    model.predict(np.zeros((1, 2)), verbose=0)
    model.evaluate(np.zeros((2, 2)), np.zeros((2, 1)), verbose=0)
    public = {name for name in dir(model) if not name.startswith("_")} - {"dense"}
    assert public <= codegen.MODEL_ATTRIBUTES
