"""Sizes a file decides are checked before memory is allocated, each refusal in words."""

import json
import resource
import zipfile

import numpy as np
import pytest

from tflab import limits
from tflab.datasets import MAX_CSV_ROWS, load_dataset
from tflab.graph import ModelGraph
from tflab.messages import TflabError

HUGE = 10**9


def _peak_mb() -> float:
    from tflab import tfload

    tfload.load()  # importing TensorFlow itself is not what is measured
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_model_too_large_to_train_is_refused_before_it_is_built():
    from tflab.keras_build import build_model

    graph = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": HUGE})])
    before = _peak_mb()
    with pytest.raises(limits.TooLargeError) as info:
        build_model(graph)
    assert _peak_mb() - before < 500  # refused, not allocated (the weights alone: 3 TB)
    assert f"{784 * HUGE + HUGE:,} parameters" in info.value.en
    assert "fewer units" in info.value.hint_en and info.value.zh != info.value.en


def test_an_ordinary_model_is_built():
    from tflab.keras_build import build_model

    graph = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100})])
    assert build_model(graph).count_params() == 78_500


def test_the_training_command_refuses_a_huge_model(tmp_path):
    from tests.test_cli import tflab as cli
    from tflab.project import Project, save_project

    path = tmp_path / "huge.tflab"
    save_project(Project(ModelGraph.sequential((4,), [("Dense", {"units": HUGE})])), path)
    out = cli("train", str(path), "--data", "iris", "--epochs", "1")
    assert out.returncode == 1 and "parameters" in out.stderr and "Traceback" not in out.stderr


def test_a_tiny_keras_file_asking_for_a_huge_layer_allocates_nothing(tmp_path, monkeypatch):
    """Read as data, the huge layer is only a number: the graph imports, and building it
    is refused before anything is allocated. Where Keras must read the file, the model is
    refused before Keras loads it."""
    import keras

    from tflab import importer
    from tflab.keras_build import check_size

    small = tmp_path / "small.keras"
    keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)]).save(small)
    with zipfile.ZipFile(small) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"][1]["config"]["units"] = HUGE
    members["config.json"] = json.dumps(config).encode()
    huge = tmp_path / "huge.keras"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert huge.stat().st_size < 20_000
    before = _peak_mb()
    graph = importer.import_keras_file(huge)
    assert [layer.config for layer in graph.layers.values()] == [{"units": HUGE}]
    with pytest.raises(limits.TooLargeError, match="parameters"):
        check_size(graph)  # what the editor's shapes and training ask first
    monkeypatch.setattr(importer, "graph_from_config", lambda config: None)  # as for a model only Keras reads
    with pytest.raises((limits.TooLargeError, importer.ImportModelError), match="parameters"):
        importer.import_keras_file(huge)
    assert _peak_mb() - before < 500


def test_an_archive_that_expands_past_memory_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: 40 * 2**20)  # a computer with 40 MB free
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, x=np.zeros((6000, 1000), np.float32), y=np.zeros(6000, np.int64))
    assert path.stat().st_size < 1_000_000  # 24 MB of zeros, packed small
    with pytest.raises(limits.TooLargeError, match="bomb.npz"):
        load_dataset(path)


def test_a_csv_with_too_many_rows_says_what_to_do(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "1,0\n" * (MAX_CSV_ROWS + 5), encoding="utf-8")
    with pytest.raises(TflabError) as info:
        load_dataset(path)
    assert f"{MAX_CSV_ROWS:,} rows" in info.value.en and ".npz" in info.value.hint_en


def test_an_object_array_in_an_npz_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, x=np.array([{"a": 1}, {"b": 2}], dtype=object), y=np.array([0, 1]))
    with pytest.raises(TflabError, match="holds Python objects"):
        load_dataset(path)


def test_available_memory_is_a_positive_number():
    assert limits.available_memory() > 0 and limits.memory_budget() > 0
