"""Training on several devices through tf.distribute, and the fast in-memory path.

A machine without GPUs checks the multi-device path as the command line offers it:
``--strategy mirrored --replicas N`` splits the CPU into N logical devices. Logical
devices can only be made before TensorFlow starts, so those checks run in new processes.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest

import tflab.trainer as trainer_module
from tests.homes import fresh_home
from tflab import messages
from tflab.datasets import load_dataset, split
from tflab.devices import make_strategy
from tflab.messages import TflabError
from tflab.project import save_project, starter_project
from tflab.trainer import EpochEnd, Finished, Steps, TrainConfig, Trainer

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3",
            "HOME": fresh_home(), "PYTHONPATH": str(ROOT)}


def _python(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env or _env(), capture_output=True, text=True)


def mlp(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(16, activation="tanh", kernel_regularizer=keras.regularizers.L2(0.01)),
        keras.layers.Dense(2, activation="softmax"),
    ])


# --------------------------------------------------------------------------- several replicas

TWO_REPLICAS = textwrap.dedent("""
    import json, sys
    import numpy as np
    from tflab.devices import make_strategy
    strategy = make_strategy("mirrored", 2)  # before TensorFlow starts: two logical CPUs
    sys.path.insert(0, "tests")
    from test_distribute import mlp
    from tflab.datasets import load_dataset, split
    from tflab.trainer import Finished, Started, TrainConfig, Trainer

    # 192 training samples: batches of 32 split evenly, 16 per replica.
    splits = split(load_dataset("spiral", n_samples=256, noise=0.05), 0.125, 0.125, 0)
    assert len(splits.train) == 192
    config = lambda: TrainConfig(epochs=3, learning_rate=0.02, metrics=["accuracy", "auc"],
                                 validation=0.125, test=0.125)
    with strategy.scope():
        spread = mlp()
    alone = mlp()
    runs = [list(Trainer(model, splits, config(), strategy=s).run())
            for model, s in ((spread, strategy), (alone, None))]
    # The Training tab's session trains the starter project on every device it is given.
    from tflab.project import starter_project
    from tflab.session import RunRequest, Session
    session = Session(strategy)
    settings = {**starter_project().training, "epochs": 1}
    prepared = session.prepare(RunRequest(starter_project().graph.to_json(), "mnist", {}, settings))
    session_run = list(session.trainer.run())
    print(json.dumps({
        "session": [session.trainer.replicas, session_run[-1].test["accuracy"]],
        "replicas": [run[0].replicas for run in runs],
        "finished": [run[-1].train | {"test_" + k: v for k, v in run[-1].test.items()} for run in runs],
        "weights_differ": max(float(np.max(np.abs(a - b)))
                              for a, b in zip(spread.get_weights(), alone.get_weights())),
    }))
""")


def test_two_replicas_train_to_the_same_weights_as_one_device():
    ran = _python("-c", TWO_REPLICAS)
    assert ran.returncode == 0, ran.stderr[-3000:]
    report = json.loads(ran.stdout.strip().splitlines()[-1])
    assert report["replicas"] == [2, 1]
    assert report["session"][0] == 2 and report["session"][1] > 0.85
    # Each replica's loss and regularization are divided by 2 and the gradients summed:
    # the same steps as one device taking the whole batch.
    assert report["weights_differ"] < 1e-5
    spread, alone = report["finished"]
    for name, value in alone.items():
        assert spread[name] == pytest.approx(value, abs=1e-5), name


def test_the_command_line_trains_mnist_on_two_replicas_as_well_as_on_one(tmp_path):
    project = tmp_path / "course.tflab"
    save_project(starter_project(), project)
    args = ("-m", "tflab", "train", str(project), "--epochs", "2", "--json")
    spread = _python(*args, "--strategy", "mirrored", "--replicas", "2")
    alone = _python(*args)
    assert spread.returncode == 0 and alone.returncode == 0, spread.stderr[-2000:] + alone.stderr[-2000:]
    spread_report, alone_report = json.loads(spread.stdout), json.loads(alone.stdout)
    assert (spread_report["replicas"], spread_report["strategy"]) == (2, "mirrored")
    assert (alone_report["replicas"], alone_report["strategy"]) == (1, "default")
    assert "on 2 replicas" in spread.stderr
    # 1,500 test digits: the same accuracy, to one digit.
    assert spread_report["test"]["accuracy"] == pytest.approx(alone_report["test"]["accuracy"], abs=1 / 1500)
    assert spread_report["test"]["accuracy"] > 0.9


@pytest.mark.parametrize("args, words", [
    (["--replicas", "2"], "--replicas needs --strategy mirrored"),
    (["--strategy", "mirrored", "--replicas", "0"], "from 1 to 64"),
    (["--strategy", "parallel"], "invalid choice"),
])
def test_the_command_line_explains_strategy_mistakes(args, words, tmp_path):
    project = tmp_path / "course.tflab"
    save_project(starter_project(), project)
    ran = _python("-m", "tflab", "train", str(project), *args)
    assert ran.returncode != 0 and words in ran.stderr and "Traceback" not in ran.stderr


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("localhost", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def test_the_exported_script_trains_on_two_workers_told_their_part_by_tf_config(tmp_path):
    project = starter_project()
    project.training["epochs"] = 1
    save_project(project, tmp_path / "course.tflab")
    script = tmp_path / "train.py"
    made = _python("-m", "tflab", "codegen", str(tmp_path / "course.tflab"), "--script", "-o", str(script))
    assert made.returncode == 0, made.stderr

    cluster = [f"localhost:{port}" for port in _free_ports(2)]
    workers = []
    for index in range(2):
        env = _env()
        env["TF_CONFIG"] = json.dumps({"cluster": {"worker": cluster}, "task": {"type": "worker", "index": index}})
        workers.append(subprocess.Popen([sys.executable, str(script), "--strategy", "multiworker"], cwd=tmp_path,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [worker.communicate(timeout=600) for worker in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-3000:]
        assert "training with 2 replica(s)" in out and "Epoch 1/1 - loss:" in out
    accuracies = [float(next(line for line in out.splitlines() if line.startswith("test accuracy:")).split()[-1])
                  for out, _ in outputs]
    # Both workers end with the same weights, and they learned.
    assert accuracies[0] == accuracies[1] and accuracies[0] > 0.85


# --------------------------------------------------------------------------- mistakes, in this process


def test_strategy_mistakes_are_explained_in_both_languages():
    import tensorflow as tf

    tf.constant(1.0) + 1.0  # TensorFlow is running: the CPU can no longer be split
    with pytest.raises(TflabError, match="already started"):
        make_strategy("mirrored", 3)
    with pytest.raises(TflabError, match="Unknown strategy 'parallel'"):
        make_strategy("parallel")
    with pytest.raises(TflabError, match="one device"):
        make_strategy("default", 2)
    assert make_strategy("default") is None
    messages.set_language("zh")
    try:
        with pytest.raises(TflabError, match="副本数"):
            make_strategy("mirrored", 0)
    finally:
        messages.set_language("en")


def test_a_model_built_outside_the_strategy_is_refused_with_the_fix():
    import tensorflow as tf

    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with pytest.raises(TflabError, match="outside the training strategy's scope") as refused:
        Trainer(mlp(), split(load_dataset("spiral", n_samples=64)), TrainConfig(epochs=1), strategy=strategy)
    assert "with strategy.scope():" in refused.value.hint("en")


# --------------------------------------------------------------------------- the fast path


def test_the_in_memory_path_and_the_tf_data_path_train_alike(monkeypatch):
    splits = split(load_dataset("spiral", n_samples=200, noise=0.05), 0.2, 0.1, 0)
    config = lambda: TrainConfig(epochs=3, batch_size=16, learning_rate=0.02,
                                 metrics=["accuracy", "auc", "precision", "recall"])
    fused_model, streamed_model = mlp(), mlp()
    fused = Trainer(fused_model, splits, config())
    monkeypatch.setattr(trainer_module, "FUSED_MAX_BYTES", 0)  # as if the data were too big to copy
    streamed = Trainer(streamed_model, splits, config())
    assert fused.fused and not streamed.fused
    ends = [[e for e in t.run() if isinstance(e, (EpochEnd, Finished))] for t in (fused, streamed)]
    for mine, theirs in zip(*ends):
        for part in ("train", "validation"):
            for name, value in getattr(mine, part).items():
                assert getattr(theirs, part)[name] == pytest.approx(value, rel=1e-5), (part, name)
    for a, b in zip(fused_model.get_weights(), streamed_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_chunks_are_sized_by_time_so_pause_and_stop_answer_quickly():
    sizer = trainer_module._ChunkSizer(None)
    assert sizer.next(1000) == trainer_module.FIRST_CHUNK  # speed not known yet
    sizer.took(100, 0.5)  # 200 steps a second
    assert sizer.next(1000) == round(200 * trainer_module.CHUNK_SECONDS)
    assert sizer.next(3) == 3  # never past the end of the epoch
    sizer.took(10, 10.0)  # a very slow model: one step per call
    assert sizer.next(1000) == 1
    fixed = trainer_module._ChunkSizer(4)
    fixed.took(100, 0.01)
    assert fixed.next(1000) == 4


def test_a_default_run_reports_every_step_in_chunks_of_any_size():
    splits = split(load_dataset("spiral", n_samples=400, noise=0.05), 0.0, 0.0, 0)
    trainer = Trainer(mlp(), splits, TrainConfig(epochs=4, batch_size=4, validation=0.0, test=0.0))
    events = list(trainer.run())
    chunks = [e for e in events if isinstance(e, Steps)]
    assert sum(len(e.losses) for e in chunks) == 4 * 100
    assert len(chunks[0].losses) == trainer_module.FIRST_CHUNK
    assert all(e.step <= 100 for e in chunks) and isinstance(events[-1], Finished)
    assert trainer._train_fn.experimental_get_tracing_count() == 1  # any chunk size, one trace
