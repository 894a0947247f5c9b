"""Folders of pictures too many for memory: decoded once to disk, trained on in batches."""

from __future__ import annotations

import gc
from collections import namedtuple
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from tflab import ondisk
from tflab.datasets import load_dataset, preview, split
from tflab.messages import TflabError
from tflab.trainer import Finished, TrainConfig, Trainer


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two classes of 8x8 pictures: dark ones and bright ones, 30 each."""
    rng = np.random.default_rng(0)
    for name, base in (("dark", 40), ("bright", 200)):
        (tmp_path / "pics" / name).mkdir(parents=True)
        for i in range(30):
            pixels = np.clip(base + rng.normal(0, 30, (8, 8)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(tmp_path / "pics" / name / f"{i}.png")
    return tmp_path / "pics"


def model() -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2, activation="softmax")])


def test_pictures_beyond_the_memory_bound_train_from_disk_exactly_as_from_memory(folder, monkeypatch):
    in_memory = load_dataset(str(folder), image_size=8)
    monkeypatch.setattr(ondisk, "IN_MEMORY_MAX_BYTES", 0)
    on_disk = load_dataset(str(folder), image_size=8)
    assert isinstance(on_disk.x, np.memmap) and not isinstance(in_memory.x, np.memmap)
    assert "kept on disk" in on_disk.description_en
    np.testing.assert_array_equal(np.asarray(on_disk.x), in_memory.x)

    config = TrainConfig(epochs=10, batch_size=8, seed=4, learning_rate=0.02)
    results = []
    for data in (in_memory, on_disk):
        parts = split(data, 0.2, 0.1, seed=4)
        built = model()
        trainer = Trainer(built, parts, config)
        assert trainer.fused == (data is in_memory)  # pictures on disk never go into one tensor
        final = [e for e in trainer.run() if isinstance(e, Finished)][0]
        results.append((final, built.get_weights(), parts))
    (memory_end, memory_weights, _), (disk_end, disk_weights, parts) = results
    assert isinstance(parts.train.x, ondisk.Rows) and len(parts.train.x) == len(parts.train.y)
    for a, b in zip(memory_weights, disk_weights):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert disk_end.test == pytest.approx(memory_end.test, rel=1e-5)
    assert disk_end.test["accuracy"] > 0.8  # dark and bright pictures told apart

    shown = preview(parts.train.x, parts.train.y, 3)
    assert len(shown.elements) == 3 and "(None, 8, 8, 1)" not in shown.element_spec  # one sample each
    assert parts.test.x[:4].shape == (4, 8, 8, 1) and parts.test.x[2].shape == (8, 8, 1)


def test_the_file_on_disk_goes_with_the_data(folder, monkeypatch):
    monkeypatch.setattr(ondisk, "IN_MEMORY_MAX_BYTES", 0)
    data = load_dataset(str(folder), image_size=8)
    where = Path(data.x.filename).parent
    assert where.exists()
    del data
    gc.collect()
    assert not where.exists()


def test_a_disk_without_room_is_said_before_any_picture_is_read(folder, monkeypatch):
    monkeypatch.setattr(ondisk, "IN_MEMORY_MAX_BYTES", 0)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(ondisk.shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(TflabError) as caught:
        load_dataset(str(folder), image_size=64)
    assert "on disk while training" in caught.value.en and "Image size" in caught.value.hint_en


def test_pictures_on_disk_are_never_copied_into_memory_all_at_once(folder, monkeypatch):
    monkeypatch.setattr(ondisk, "IN_MEMORY_MAX_BYTES", 0)
    parts = split(load_dataset(str(folder), image_size=8), 0.2, 0.1)
    with pytest.raises(TflabError) as caught:
        np.asarray(parts.train.x)
    assert "read in batches" in caught.value.en
