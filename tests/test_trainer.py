"""The training engine: settings, compatibility checks, the event loop, control and the CLI."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import keras
import numpy as np
import pytest

from tflab import cli, messages
from tflab.datasets import Dataset, load_dataset, split
from tflab.messages import TflabError
from tflab.trainer import (
    EpochEnd,
    Failed,
    Finished,
    Paused,
    Resumed,
    Started,
    Steps,
    Stopped,
    TrainConfig,
    Trainer,
    check_compatibility,
    resolve_from_logits,
)

ROOT = Path(__file__).resolve().parent.parent
SPIRAL = load_dataset("spiral", n_samples=96, noise=0.05, seed=0)
IRIS = load_dataset("iris")
WAIT = 120  # seconds; only a guard against a hang, never a speed requirement


def mlp(input_shape=(2,), units=2, activation="softmax", hidden=8, regularizer=None, seed=0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(input_shape),
            keras.layers.Dense(hidden, activation="tanh", kernel_regularizer=regularizer),
            keras.layers.Dense(units, activation=activation),
        ]
    )


def line_data(n: int = 64, scale: float = 1.0) -> Dataset:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = (scale * (x[:, 0] - 2 * x[:, 1]) + rng.normal(0, 0.1, n)).astype(np.float32)
    return Dataset(x, y, "line", "regression", [], (2,), 0)


def step_losses(events) -> np.ndarray:
    return np.concatenate([e.losses for e in events if isinstance(e, Steps)])


# --------------------------------------------------------------------------- TrainConfig


def test_config_round_trips_through_json():
    config = TrainConfig(optimizer="sgd", momentum=0.9, metrics=["accuracy", "auc"], from_logits=True, logdir="runs")
    again = TrainConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config
    assert TrainConfig.from_dict({}) == TrainConfig()


@pytest.mark.parametrize(
    "values, name",
    [
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"learning_rate": "0.1"}, "learning_rate"),
        ({"momentum": 1.0}, "momentum"),
        ({"loss": "hinge"}, "loss"),
        ({"from_logits": "yes"}, "from_logits"),
        ({"metrics": ["accuracy", "accuracy"]}, "metrics"),
        ({"metrics": ["f1"]}, "metrics"),
        ({"metrics": "accuracy"}, "metrics"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": True}, "epochs"),
        ({"batch_size": 1.5}, "batch_size"),
        ({"steps_per_call": 0}, "steps_per_call"),
        ({"validation": 0.6, "test": 0.4}, "validation + test"),
        ({"run_name": "../up"}, "run_name"),
    ],
)
def test_invalid_settings_are_named_in_both_languages(values, name):
    with pytest.raises(TflabError) as info:
        TrainConfig.from_dict(values)
    assert f"setting {name} =" in info.value.en and name in info.value.zh
    assert info.value.zh != info.value.en


def test_unknown_settings_are_refused():
    with pytest.raises(TflabError, match="lerning_rate"):
        TrainConfig.from_dict({"lerning_rate": 0.1})
    with pytest.raises(TflabError, match="JSON object"):
        TrainConfig.from_dict(["epochs", 3])


# --------------------------------------------------------------------------- compatibility


@pytest.mark.parametrize(
    "make_model, dataset, settings, words",
    [
        (lambda: mlp((64,), 3), IRIS, {}, ["expects samples of shape (64,)", "(4,)"]),
        (lambda: mlp((4,), 10), IRIS, {}, ["10 output unit(s)", "3 classes"]),
        (lambda: mlp((4,), 1, "sigmoid"), IRIS, {"loss": "binary_crossentropy"}, ["two classes", "has 3"]),
        (lambda: mlp((2,), 2), SPIRAL, {"loss": "binary_crossentropy"}, ["needs 1 output unit"]),
        (lambda: mlp((4,), 3), IRIS, {"loss": "mse"}, ["3 classes", "mse"]),
        (lambda: mlp((2,), 1, None), line_data(), {"loss": "sparse_categorical_crossentropy"}, ["regression"]),
        (lambda: mlp((2,), 3, None), line_data(), {"loss": "mse", "metrics": []}, ["3 outputs", "1 target"]),
        (lambda: mlp((2,), 1, None), line_data(), {"loss": "mse", "metrics": ["auc"]}, ["auc need classes"]),
        (lambda: mlp((4,), 3), IRIS, {"metrics": ["mae"]}, ["mae metric"]),
        (lambda: mlp((2,), 1, "softmax"), SPIRAL, {"loss": "binary_crossentropy"}, ["softmax to a single output"]),
        (lambda: mlp((4,), 3), IRIS, {"from_logits": True}, ["applied twice"]),
        (lambda: mlp((4,), 3, None), IRIS, {"from_logits": False}, ["raw scores"]),
    ],
)
def test_a_model_that_does_not_fit_the_data_is_refused_before_training(make_model, dataset, settings, words):
    model = make_model()
    before = [w.copy() for w in model.get_weights()]
    config = TrainConfig(**settings)
    with pytest.raises(TflabError) as info:
        check_compatibility(model, dataset, config)
    for word in words:
        assert word in info.value.en
    assert info.value.zh != info.value.en and info.value.hint_en
    with pytest.raises(TflabError):
        Trainer(model, split(dataset), config)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_a_flat_model_on_image_shaped_data_suggests_flatten():
    digits = load_dataset("digits", as_images=True)
    with pytest.raises(TflabError) as info:
        check_compatibility(mlp((64,), 10), digits, TrainConfig())
    assert "Flatten" in info.value.hint_en


def test_from_logits_is_detected_from_the_last_layer():
    assert resolve_from_logits(mlp(activation="softmax"), TrainConfig()) is False
    assert resolve_from_logits(mlp(units=1, activation="sigmoid"), TrainConfig()) is False
    assert resolve_from_logits(mlp(activation=None), TrainConfig()) is True
    assert resolve_from_logits(mlp(activation=None), TrainConfig(from_logits=True)) is True


# --------------------------------------------------------------------------- same result as model.fit


def spiral_logits_case():
    config = TrainConfig(optimizer="adam", learning_rate=0.02, loss="sparse_categorical_crossentropy")
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return mlp(activation=None), SPIRAL, config, (keras.optimizers.Adam(0.02), keras_loss)


def spiral_binary_case():
    model = mlp(units=1, activation="sigmoid", regularizer=keras.regularizers.L2(0.01))
    config = TrainConfig(optimizer="sgd", learning_rate=0.1, momentum=0.9, loss="binary_crossentropy")
    return model, SPIRAL, config, (keras.optimizers.SGD(0.1, momentum=0.9), "binary_crossentropy")


def regression_case():
    config = TrainConfig(optimizer="rmsprop", learning_rate=0.01, loss="huber", metrics=["mae"])
    return mlp(units=1, activation=None), line_data(), config, (keras.optimizers.RMSprop(0.01), "huber")


@pytest.mark.parametrize("case", [spiral_logits_case, spiral_binary_case, regression_case])
def test_training_matches_model_fit_on_the_same_weights_and_batches(case):
    model, dataset, config, (optimizer, loss) = case()
    config.epochs, config.batch_size, config.shuffle, config.steps_per_call = 4, 10, False, 3
    splits = split(dataset, validation=0.2, test=0.0, seed=0)
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights())

    ends = [e.train for e in Trainer(model, splits, config).run() if isinstance(e, EpochEnd)]
    twin.compile(optimizer=optimizer, loss=loss, metrics=config.metrics)
    history = twin.fit(splits.train.x, splits.train.y, batch_size=10, epochs=4, shuffle=False, verbose=0)

    # The loss and the metrics of the training batches, each epoch, as Keras reports them
    # (the accuracy is counted inside the compiled loop, the others are Keras metrics).
    for name in ("loss", *config.metrics):
        np.testing.assert_allclose([end[name] for end in ends], history.history[name], rtol=1e-5, err_msg=name)
    for mine, theirs in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- events


def test_a_run_reports_every_step_each_epoch_and_the_final_metrics():
    splits = split(SPIRAL, validation=0.25, test=0.125, seed=0)
    metrics = ["accuracy", "auc", "precision", "recall"]
    config = TrainConfig(epochs=3, batch_size=16, steps_per_call=3, metrics=metrics, learning_rate=0.01)
    trainer = Trainer(mlp(), splits, config)
    events = list(trainer.run())

    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    per_epoch = -(-len(splits.train) // 16)
    assert events[0].steps_per_epoch == per_epoch == trainer.steps_per_epoch
    chunks = [e for e in events if isinstance(e, Steps)]
    assert all(1 <= len(e.losses) <= 3 for e in chunks)
    assert [e.global_step for e in chunks] == list(np.cumsum([len(e.losses) for e in chunks]))
    assert len(step_losses(events)) == 3 * per_epoch
    ends = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in ends] == [1, 2, 3]
    assert set(ends[-1].train) == set(ends[-1].validation) == {"loss", *metrics}
    finished = events[-1]
    assert set(finished.test) == {"loss", *metrics}
    for name, value in trainer.evaluate("test").items():
        assert value == pytest.approx(finished.test[name], rel=1e-5)
    for name, value in trainer.evaluate("validation").items():
        assert value == pytest.approx(ends[-1].validation[name], rel=1e-5)


def test_metrics_agree_with_keras_on_the_model_predictions():
    splits = split(SPIRAL, validation=0.5, test=0.0, seed=1)
    config = TrainConfig(epochs=2, metrics=["accuracy", "auc", "precision", "recall"], learning_rate=0.05)
    model = mlp(activation=None)  # logits: the metrics must see probabilities
    trainer = Trainer(model, splits, config)
    list(trainer.run())
    probabilities = keras.ops.softmax(model.predict(splits.validation.x, verbose=0)).numpy()
    one_hot = np.eye(2)[splits.validation.y]
    expected = {"accuracy": np.mean(probabilities.argmax(1) == splits.validation.y)}
    for name, metric in (("auc", keras.metrics.AUC()), ("precision", keras.metrics.Precision()),
                         ("recall", keras.metrics.Recall())):
        metric.update_state(one_hot, probabilities)
        expected[name] = float(metric.result())
    results = trainer.evaluate("validation")
    for name, value in expected.items():
        assert results[name] == pytest.approx(value, abs=1e-5), name


def test_binary_logits_are_turned_into_probabilities_for_accuracy():
    splits = split(SPIRAL, validation=0.5, test=0.0, seed=2)
    model = mlp(units=1, activation=None)
    trainer = Trainer(model, splits, TrainConfig(epochs=1, loss="binary_crossentropy"))
    list(trainer.run())
    logits = model.predict(splits.validation.x, verbose=0)[:, 0]
    expected = np.mean((logits > 0).astype(int) == splits.validation.y)
    assert trainer.evaluate("validation")["accuracy"] == pytest.approx(expected)


def test_training_learns_an_easy_problem():
    splits = split(load_dataset("gauss", n_samples=200, noise=0.05), seed=0)
    trainer = Trainer(mlp(), splits, TrainConfig(epochs=15, learning_rate=0.05))
    ends = [e for e in trainer.run() if isinstance(e, EpochEnd)]
    assert ends[-1].train["loss"] < 0.5 * ends[0].train["loss"]
    assert ends[-1].validation["accuracy"] > 0.9


# --------------------------------------------------------------------------- failures


def test_a_diverging_loss_ends_the_run_with_advice_to_lower_the_learning_rate():
    splits = split(line_data(scale=1000.0), validation=0.0, test=0.0)
    config = TrainConfig(optimizer="sgd", learning_rate=5.0, loss="mse", metrics=[], epochs=100, batch_size=8)
    events = list(Trainer(mlp(units=1, activation=None), splits, config).run())
    assert isinstance(events[-1], Failed)
    assert not any(isinstance(e, Finished) for e in events)
    error = events[-1].error
    assert "NaN" in error.en or "infinite" in error.en
    assert "Lower the learning rate" in error.hint_en and "0.5" in error.hint_en
    assert "学习率" in error.hint_zh


def test_run_is_refused_while_another_is_in_progress():
    trainer = Trainer(mlp(), split(SPIRAL), TrainConfig(epochs=5, steps_per_call=1))
    first = trainer.run()
    next(first)
    assert trainer.running
    second = list(trainer.run())
    assert len(second) == 1 and isinstance(second[0], Failed)
    with pytest.raises(TflabError, match="in progress"):
        trainer.reset_weights()
    with pytest.raises(TflabError, match="in progress"):
        trainer.evaluate()
    assert isinstance(list(first)[-1], Finished)
    assert not trainer.running


# --------------------------------------------------------------------------- control


def test_stop_then_start_again_works_many_times_without_retracing():
    trainer = Trainer(mlp(), split(SPIRAL), TrainConfig(epochs=50, batch_size=8, steps_per_call=2))
    for _ in range(20):
        run = trainer.run()
        assert isinstance(next(run), Started)
        assert isinstance(next(run), Steps)
        trainer.request_stop()
        rest = list(run)
        assert len(rest) == 1 and isinstance(rest[0], Stopped)
        assert rest[0].global_step == 2 and not trainer.running
    trainer.config.epochs = 1
    assert isinstance(list(trainer.run())[-1], Finished)
    assert trainer._train_fn.experimental_get_tracing_count() == 1


class Consumer:
    """Runs a trainer's generator on a thread, as the desktop app's worker does."""

    def __init__(self, trainer: Trainer):
        self.events: list = []
        self._changed = threading.Condition()
        self.thread = threading.Thread(target=self._consume, args=(trainer,), daemon=True)
        self.thread.start()

    def _consume(self, trainer: Trainer) -> None:
        for event in trainer.run():
            with self._changed:
                self.events.append(event)
                self._changed.notify_all()

    def wait_for(self, kind: type, count: int = 1) -> None:
        with self._changed:
            seen = self._changed.wait_for(lambda: sum(isinstance(e, kind) for e in self.events) >= count, WAIT)
        assert seen, f"no {kind.__name__} event"


def test_pause_blocks_the_run_until_resume_and_stop_ends_a_paused_run():
    trainer = Trainer(mlp(), split(SPIRAL), TrainConfig(epochs=10_000, batch_size=8, steps_per_call=1))
    consumer = Consumer(trainer)
    consumer.wait_for(Steps)
    trainer.request_pause()
    consumer.wait_for(Paused)
    seen = len(consumer.events)
    consumer.thread.join(0.3)
    assert consumer.thread.is_alive() and len(consumer.events) == seen  # waiting, not training
    trainer.resume()
    consumer.wait_for(Resumed)
    consumer.wait_for(Steps, count=sum(isinstance(e, Steps) for e in consumer.events) + 1)
    trainer.request_pause()
    consumer.wait_for(Paused, count=2)
    trainer.request_stop()
    consumer.thread.join(WAIT)
    assert not consumer.thread.is_alive()
    kinds = [type(e) for e in consumer.events]
    assert kinds[seen - 1 : seen + 1] == [Paused, Resumed]
    assert kinds[-2:] == [Paused, Stopped]


def test_reset_weights_restores_the_start_so_a_run_repeats_exactly():
    model = mlp()
    initial = [w.copy() for w in model.get_weights()]
    trainer = Trainer(model, split(SPIRAL), TrainConfig(epochs=3, batch_size=8, learning_rate=0.05))
    first = step_losses(trainer.run())
    assert not np.allclose(model.get_weights()[0], initial[0])
    trainer.reset_weights()
    for old, new in zip(initial, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    np.testing.assert_array_equal(step_losses(trainer.run()), first)

    other_seed = Trainer(mlp(), split(SPIRAL), TrainConfig(epochs=3, batch_size=8, learning_rate=0.05, seed=1))
    assert not np.array_equal(step_losses(other_seed.run()), first)  # the shuffle follows the seed


def test_evaluate_needs_data_in_that_part():
    trainer = Trainer(mlp(), split(SPIRAL, validation=0.2, test=0.0), TrainConfig(epochs=1))
    with pytest.raises(TflabError, match="no test data"):
        trainer.evaluate("test")
    with pytest.raises(TflabError, match="Unknown data part"):
        trainer.evaluate("holdout")


# --------------------------------------------------------------------------- command line


def run_cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(LANGUAGE=lang, PYTHONIOENCODING="utf-8", TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, "-m", "tflab", "train", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture
def iris_model_file(tmp_path) -> Path:
    path = tmp_path / "iris.keras"
    mlp((4,), 3).save(path)
    return path


def test_cli_trains_a_keras_model_and_prints_json_metrics(iris_model_file):
    result = run_cli("--model", str(iris_model_file), "--data", "iris", "--epochs", "2", "--seed", "1",
                     "--metrics", "accuracy,auc", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["epochs"] == 2 and set(report["test"]) == {"loss", "accuracy", "auc"}
    assert set(report["validation"]) == {"loss", "accuracy", "auc"}
    assert "epoch 2/2" in result.stderr and "\r" not in result.stderr  # plain lines when not a terminal
    assert "Traceback" not in result.stderr


def project_file(tmp_path: Path, training: dict) -> Path:
    from tflab.graph import ModelGraph
    from tflab.project import Project, save_project

    graph = ModelGraph.sequential((2,), [("Dense", {"units": 8, "activation": "relu"}),
                                         ("Dense", {"units": 2, "activation": "softmax"})])
    path = tmp_path / "two.tflab"
    save_project(Project(graph, training=training), path)
    return path


def test_cli_trains_a_project_with_its_settings_and_repeats_with_the_same_seed(tmp_path, capsys):
    path = project_file(tmp_path, {"epochs": 2, "learning_rate": 0.01, "metrics": ["accuracy", "recall"]})
    reports = []
    for _ in range(2):
        assert cli.main(["train", str(path), "--data", "gauss", "--json", "--seed", "3"]) == 0
        report = json.loads(capsys.readouterr().out)
        report.pop("elapsed_s")
        reports.append(report)
    assert reports[0] == reports[1]
    assert reports[0]["epochs"] == 2 and set(reports[0]["train"]) == {"loss", "accuracy", "recall"}


def test_cli_takes_the_data_from_the_project_and_ignores_the_apps_own_keys(tmp_path, capsys):
    path = project_file(tmp_path, {"dataset": "xor", "epochs": 1, "panel": {"zoom": 2}})
    assert cli.main(["train", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["epochs"] == 1
    assert cli.main(["train", str(project_file(tmp_path, {}))]) == 1
    assert "--data" in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_draws_a_live_bar_on_a_terminal_and_a_final_metrics_line(tmp_path, capsys, monkeypatch):
    path = project_file(tmp_path, {})
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["train", str(path), "--data", "xor", "--epochs", "2", "--batch-size", "16"]) == 0
    shown = terminal.getvalue()
    assert "\r" in shown and "[" in shown and "epoch 2/2" in shown
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("loss ") and "val_accuracy" in last and "test_accuracy" in last


@pytest.mark.parametrize(
    "args, words",
    [
        (["--data", "iris"], "either a project file or --model"),
        (["--data", "iris", "--model", "missing.keras"], "There is no file"),
        (["--data", "digits", "--model", "{model}"], "expects samples of shape (4,)"),
        (["--data", "iris", "--model", "{model}", "--metrics", "accuracy,f1"], "metrics"),
        (["--data", "iris", "--model", "{broken}"], "not a valid .keras file"),
    ],
)
def test_cli_explains_what_is_wrong_without_a_traceback(args, words, iris_model_file, tmp_path, capsys):
    broken = tmp_path / "broken.keras"
    broken.write_text("not a model")
    args = [a.format(model=iris_model_file, broken=broken) for a in args]
    assert cli.main(["train", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and "Traceback" not in err


def test_cli_errors_speak_chinese(iris_model_file, capsys):
    messages.set_language("zh")
    assert cli.main(["train", "--model", str(iris_model_file), "--data", "iris", "--loss", "binary_crossentropy"]) == 1
    assert "只适用于两个类别" in capsys.readouterr().err
