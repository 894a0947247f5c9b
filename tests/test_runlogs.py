"""TensorBoard logs: what the trainer writes is found and read back with the same values."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from tflab.datasets import load_dataset, split
from tflab.messages import TflabError
from tflab.runlogs import list_runs, read_scalars
from tflab.trainer import EpochEnd, Steps, Stopped, TrainConfig, Trainer

SPLITS = split(load_dataset("circles", n_samples=80, noise=0.05, seed=0), validation=0.25, test=0.0, seed=0)


def model() -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(2, activation="softmax")]
    )


def points(values) -> list[tuple[int, float]]:
    return [(step, pytest.approx(value, rel=1e-6)) for step, value in values]


def test_the_trainers_logs_are_read_back_with_the_same_values(tmp_path):
    config = TrainConfig(epochs=3, batch_size=16, steps_per_call=2, metrics=["accuracy", "auc"],
                         logdir=str(tmp_path), run_name="first")
    events = list(Trainer(model(), SPLITS, config).run())
    ends = [e for e in events if isinstance(e, EpochEnd)]
    losses = np.concatenate([e.losses for e in events if isinstance(e, Steps)])

    scalars = read_scalars(tmp_path / "first")
    for part in ("train", "validation"):
        for name in ("loss", "accuracy", "auc"):
            expected = [(e.epoch, getattr(e, part)[name]) for e in ends]
            assert scalars[f"{part}/epoch_{name}"] == points(expected)
    assert scalars["train/batch_loss"] == points(enumerate(losses.tolist(), start=1))


def test_runs_are_listed_by_name_and_never_overwrite_each_other(tmp_path):
    config = TrainConfig(epochs=1, logdir=str(tmp_path), run_name="lesson")
    trainer = Trainer(model(), SPLITS, config)
    for _ in range(2):
        list(trainer.run())
    runs = list_runs(tmp_path)
    assert [r.name for r in runs] == ["lesson", "lesson-2"]
    assert all(r.path.is_dir() and r.modified > 0 for r in runs)
    assert read_scalars(runs[0].path)["train/epoch_loss"] != read_scalars(runs[1].path)["train/epoch_loss"]


def test_a_stopped_run_keeps_the_logs_written_so_far(tmp_path):
    no_validation = split(load_dataset("xor", n_samples=80), validation=0.0, test=0.0)
    trainer = Trainer(model(), no_validation, TrainConfig(epochs=20, batch_size=8, steps_per_call=3,
                                                          logdir=str(tmp_path), run_name="cut"))
    run = trainer.run()
    next(run)
    first = next(run)
    trainer.request_stop()
    assert isinstance(list(run)[-1], Stopped)
    scalars = read_scalars(tmp_path / "cut")
    assert scalars == {"train/batch_loss": points(enumerate(first.losses.tolist(), start=1))}


def test_other_log_layouts_are_understood(tmp_path):
    def write(folder, tag, values):
        writer = tf.summary.create_file_writer(str(folder))
        with writer.as_default():
            for step, value in enumerate(values):
                tf.summary.scalar(tag, value, step=step)
        writer.close()

    write(tmp_path / "keras_run" / "train", "epoch_loss", [3.0, 2.0])
    write(tmp_path / "keras_run" / "validation", "epoch_loss", [3.5])
    write(tmp_path / "flat", "score", [0.25])
    write(tmp_path / "course" / "week1" / "train", "epoch_loss", [1.0])

    assert [r.name for r in list_runs(tmp_path)] == ["course/week1", "flat", "keras_run"]
    assert [r.name for r in list_runs(tmp_path / "keras_run")] == ["keras_run"]
    assert read_scalars(tmp_path / "keras_run") == {
        "train/epoch_loss": [(0, 3.0), (1, 2.0)],
        "validation/epoch_loss": [(0, 3.5)],
    }
    assert read_scalars(tmp_path / "flat") == {"score": [(0, 0.25)]}


def test_missing_folders(tmp_path):
    assert list_runs(tmp_path / "nothing") == []
    with pytest.raises(TflabError, match="does not exist"):
        read_scalars(tmp_path / "nothing")
