"""Models with several inputs or outputs train on named arrays, as Keras does with dicts."""

from __future__ import annotations

import json
from pathlib import Path

import keras
import numpy as np
import pytest

from tflab import cli, named_data, trainer
from tflab.datasets import NAMED, load_dataset, load_npz, split
from tflab.graph import ModelGraph
from tflab.keras_build import build_model
from tflab.messages import TflabError
from tflab.project import Project, save_project
from tflab.session import RunRequest, Session, training_config
from tflab.trainer import EpochEnd, Finished, TrainConfig, Trainer

N = 240


def two_way_graph() -> ModelGraph:
    """Inputs ``image`` (8,) and ``meta`` (2,); outputs ``digit`` (4 classes) and ``score`` (a number)."""
    g = ModelGraph("two_way")
    image = g.add_input((8,), "image")
    meta = g.add_input((2,), "meta")
    joined = g.add_layer_call("Concatenate", {}, [image, meta])
    hidden = g.add_layer_call("Dense", {"units": 16, "activation": "tanh"}, [joined])
    digit = g.add_layer_call("Dense", {"units": 4, "activation": "softmax"}, [hidden], name="digit")
    score = g.add_layer_call("Dense", {"units": 1}, [hidden], name="score")
    g.set_outputs([digit, score])
    return g


def arrays(n: int = N) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    image = rng.normal(size=(n, 8)).astype(np.float32)
    meta = rng.normal(size=(n, 2)).astype(np.float32)
    digit = (image[:, 0] > 0).astype(np.int64) + 2 * (meta[:, 0] > 0)
    score = (image[:, 1] + image[:, 2] + meta[:, 1]).astype(np.float32)
    return {"image": image, "meta": meta, "digit": digit, "score": score}


def npz(tmp_path: Path, **data) -> Path:
    path = tmp_path / "two_way.npz"
    np.savez(path, **data)
    return path


def model(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    return build_model(two_way_graph())


# --------------------------------------------------------------------------- reading and matching


def test_an_npz_of_named_arrays_is_read_as_named_data_and_matched_by_name(tmp_path):
    dataset = load_dataset(str(npz(tmp_path, **arrays(), notes=np.zeros(N))))
    assert dataset.task == NAMED and len(dataset) == N
    assert "image (8,)" in dataset.description_en and "notes" in dataset.description_en

    bound = named_data.bind(dataset, model())
    assert set(bound.x) == {"image", "meta"} and set(bound.y) == {"digit", "score"}
    assert bound.outputs["digit"].task == "classification" and bound.outputs["digit"].num_classes == 4
    assert bound.outputs["score"].task == "regression"
    assert bound.y["digit"].dtype == np.int32 and bound.y["score"].shape == (N, 1)

    inputs, outputs = named_data.model_ports(model())
    match = named_data.matches(dataset.x, inputs, outputs)
    assert match.complete and match.unused == ("notes",)


def test_missing_arrays_are_named_with_those_expected_and_found_before_training(tmp_path):
    data = arrays()
    data["picture"] = data.pop("image")
    dataset = load_npz(npz(tmp_path, **data))
    with pytest.raises(TflabError) as caught:
        named_data.bind(dataset, model())
    message = caught.value.en
    assert "'image'" in message and "image (8,)" in message and "meta (2,)" in message
    assert "digit, score" in message and "picture (8,)" in message
    assert "'image'" in caught.value.zh and "picture" in caught.value.zh


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(image=d["image"][:, :5]), "samples of shape (5,), but the input 'image' takes"),
    (lambda d: d.update(digit=d["digit"] + 3), "go from 3 to 6, but the output has 4 unit(s)"),
    (lambda d: d.update(score=np.stack([d["score"], d["score"]], axis=1)), "its labels have 2"),
])
def test_arrays_that_do_not_fit_their_input_or_output_are_refused_in_words(tmp_path, change, words):
    data = arrays()
    change(data)
    with pytest.raises(TflabError) as caught:
        named_data.bind(load_npz(npz(tmp_path, **data)), model())
    assert words in caught.value.en


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(score=np.where(np.arange(N) == 7, np.nan, d["score"])), "sample 7 of the array 'score'"),
    (lambda d: d.update(meta=d["meta"][:10]), "meta: 10"),
])
def test_broken_named_arrays_are_refused_when_read(tmp_path, change, words):
    data = arrays()
    change(data)
    with pytest.raises(TflabError) as caught:
        load_npz(npz(tmp_path, **data))
    assert words in caught.value.en


def test_a_model_with_two_inputs_and_x_y_data_is_told_how_to_name_the_arrays():
    with pytest.raises(TflabError) as caught:
        Trainer(model(), split(load_dataset("spiral")), TrainConfig())
    assert "one array per input and output" in caught.value.en and "image (8,)" in caught.value.en


# --------------------------------------------------------------------------- training


def test_training_matches_model_fit_with_a_loss_per_output_weights_and_metrics(tmp_path):
    mine = model()
    twin = keras.models.clone_model(mine)
    twin.set_weights(mine.get_weights())
    bound = named_data.bind(load_npz(npz(tmp_path, **arrays())), mine)
    config = training_config({"outputs": {"score": {"weight": 0.5}}, "learning_rate": 0.01}, mine, bound)
    # Batches of 20 fill both parts exactly: Keras averages each output's loss over batches
    # without weighting a short last batch by its size; the trainer weights it (a true mean).
    config.epochs, config.batch_size, config.shuffle, config.steps_per_call = 3, 20, False, 4
    assert config.outputs == {
        "digit": {"loss": "sparse_categorical_crossentropy", "weight": 1.0, "metrics": ["accuracy"]},
        "score": {"loss": "mse", "weight": 0.5, "metrics": ["mae"]},
    }
    splits = split(bound, validation=0.25, test=0.0, seed=0)
    ends = [e for e in Trainer(mine, splits, config).run() if isinstance(e, EpochEnd)]

    twin.compile(optimizer=keras.optimizers.Adam(0.01), loss={"digit": "sparse_categorical_crossentropy",
                 "score": "mse"}, loss_weights={"digit": 1.0, "score": 0.5},
                 metrics={"digit": ["accuracy"], "score": ["mae"]})
    history = twin.fit(splits.train.x, splits.train.y, batch_size=20, epochs=3, shuffle=False, verbose=0,
                       validation_data=(splits.validation.x, splits.validation.y)).history
    for name in ("loss", "digit_loss", "digit_accuracy", "score_loss", "score_mae"):
        np.testing.assert_allclose([e.train[name] for e in ends], history[name], rtol=1e-4, err_msg=name)
        np.testing.assert_allclose([e.validation[name] for e in ends], history["val_" + name], rtol=1e-4,
                                   err_msg=name)
    for a, b in zip(mine.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_the_streamed_path_trains_to_the_same_weights_as_the_fused_one(tmp_path, monkeypatch):
    results = []
    for limit in (trainer.FUSED_MAX_BYTES, 0):
        monkeypatch.setattr(trainer, "FUSED_MAX_BYTES", limit)
        built = model()
        bound = named_data.bind(load_npz(npz(tmp_path, **arrays())), built)
        config = training_config({"epochs": 2, "seed": 3}, built, bound)
        run = Trainer(built, split(bound, 0.2, 0.1, 3), config)
        assert run.fused == (limit > 0)
        final = [e for e in run.run() if isinstance(e, Finished)][0]
        results.append((final.test, built.get_weights()))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_loss_that_does_not_suit_an_output_is_refused_with_the_outputs_name(tmp_path):
    built = model()
    bound = named_data.bind(load_npz(npz(tmp_path, **arrays())), built)
    config = training_config({"outputs": {"score": {"loss": "sparse_categorical_crossentropy"}}}, built, bound)
    with pytest.raises(TflabError) as caught:
        Trainer(built, split(bound), config)
    assert caught.value.en.startswith("Output 'score': ") and "regression" in caught.value.en
    assert caught.value.zh.startswith("输出 'score'：")


def test_output_settings_are_checked_like_every_setting():
    for bad in ({"score": {"loss": "hinge"}}, {"score": {"weight": -1}}, {"score": {"metric": ["mae"]}},
                {"score": {"metrics": ["accuracy", "accuracy"]}}):
        with pytest.raises(TflabError) as caught:
            TrainConfig.from_dict({"outputs": bad})
        assert "outputs.score" in caught.value.en
    config = TrainConfig(outputs={"score": {"loss": "mae", "weight": 2.0, "metrics": ["mae"]}})
    assert TrainConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_the_session_of_the_training_tab_trains_and_evaluates_named_data(tmp_path):
    path = npz(tmp_path, **arrays())
    session = Session(strategy=None)
    request = RunRequest(two_way_graph().to_json(), str(path), {}, {"epochs": 2})
    prepared = session.prepare(request)
    assert prepared.sizes == (168, 48, 24) and set(prepared.config.outputs) == {"digit", "score"}
    finished = [e for e in session.trainer.run() if isinstance(e, Finished)][0]
    assert set(finished.test) == {"loss", "digit_loss", "digit_accuracy", "score_loss", "score_mae"}
    assert session.evaluate() == pytest.approx(finished.test, rel=1e-5)
    assert session.predictions() is None and session.boundary() is None  # no single class output to show


# --------------------------------------------------------------------------- the command line


def test_the_command_line_trains_a_project_with_a_loss_and_weight_per_output(tmp_path, capsys):
    project = tmp_path / "two.tflab"
    save_project(Project(two_way_graph(), {"epochs": 3, "learning_rate": 0.01}), project)
    data = npz(tmp_path, **arrays(600))
    args = ["train", str(project), "--data", str(data), "--json", "--output-loss", "score=huber",
            "--loss-weight", "score=0.5", "--output-metrics", "digit=accuracy,auc"]
    assert cli.main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["test"]) == {"loss", "digit_loss", "digit_accuracy", "digit_auc", "score_loss", "score_mae"}
    assert report["test"]["digit_accuracy"] > 0.5  # four classes: chance is 0.25
    assert report["test"]["loss"] == pytest.approx(report["test"]["digit_loss"] + 0.5 * report["test"]["score_loss"],
                                                   rel=1e-4)


@pytest.mark.parametrize("extra, words", [
    (["--output-loss", "total=mse"], "no output called total"),
    (["--loss-weight", "score=heavy"], "the weight must be a number"),
    (["--output-loss", "score"], "takes NAME=VALUE"),
])
def test_the_command_line_names_a_wrong_output_setting(tmp_path, capsys, extra, words):
    project = tmp_path / "two.tflab"
    save_project(Project(two_way_graph(), {"epochs": 1}), project)
    assert cli.main(["train", str(project), "--data", str(npz(tmp_path, **arrays())), *extra]) == 1
    assert words in capsys.readouterr().err


def test_the_messages_speak_chinese_too(tmp_path):
    data = arrays()
    del data["score"]
    with pytest.raises(TflabError) as caught:
        named_data.bind(load_npz(npz(tmp_path, **data)), model())
    assert "数据中没有名为 'score' 的数组" in caught.value.message("zh")


def test_the_graph_names_its_inputs_and_outputs_as_the_built_model_does():
    inputs, outputs = named_data.graph_ports(two_way_graph())
    built_inputs, built_outputs = named_data.model_ports(model())
    assert [p.name for p in inputs] == [p.name for p in built_inputs] == ["image", "meta"]
    assert [p.shape for p in inputs] == [p.shape for p in built_inputs]
    assert [p.name for p in outputs] == [p.name for p in built_outputs] == ["digit", "score"]


def test_the_loop_shown_for_several_outputs_trains_exactly_as_the_trainer_does(tmp_path):
    from tflab import tfload
    from tflab.training_code import compile_code, loop_code

    tf = tfload.tensorflow()
    trained = model(3)
    bound = named_data.bind(load_npz(npz(tmp_path, **arrays())), trained)
    settings = {"optimizer": "adam", "learning_rate": 0.01, "epochs": 2, "batch_size": 25, "seed": 3,
                "outputs": {"score": {"loss": "huber", "weight": 0.5}}}
    config = training_config(settings, trained, bound)
    parts = split(bound, 0.2, 0.1, 3)
    for _ in Trainer(trained, parts, config).run():
        pass

    shown = {name: {**o, "from_logits": False} for name, o in config.outputs.items()}
    code = loop_code(settings, "", None, outputs=shown)
    assert 'loss_weights = {"digit": 1, "score": 0.5}' in code and "tf.keras.losses.Huber()" in code
    fresh = model(3)
    namespace = {"tf": tf, "model": fresh, "x_train": parts.train.x, "y_train": parts.train.y,
                 "print": lambda *a: None}
    exec(compile(code, "<loop shown in the Training tab>", "exec"), namespace)
    for ours, theirs in zip(fresh.get_weights(), trained.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)

    text = compile_code(settings, None, None, outputs=config.outputs)
    assert '"digit": "sparse_categorical_crossentropy",\n        "score": "huber",' in text
    assert 'loss_weights={"digit": 1, "score": 0.5}' in text
    assert 'metrics={\n        "digit": ["accuracy"],\n        "score": ["mae"],' in text
    again = model(3)
    exec(compile(text, "<compile>", "exec"), {"tf": tf, "model": again})  # Keras takes it as written
    assert again.loss == {"digit": "sparse_categorical_crossentropy", "score": "huber"}


def test_a_one_input_model_on_arrays_of_other_names_is_told_both_ways_to_name_them(tmp_path):
    path = npz(tmp_path, features=np.ones((3, 2)), labels=np.zeros(3))
    keras.utils.set_random_seed(0)
    small = keras.Sequential([keras.Input((2,), name="points"), keras.layers.Dense(2, name="classes")])
    with pytest.raises(TflabError) as caught:
        named_data.bind(load_dataset(str(path)), small)
    assert "points (2,)" in caught.value.en and "features (2,), labels ()" in caught.value.en
    assert "x and y" in caught.value.hint_en


@pytest.mark.parametrize("style", ["functional", "subclass"])
def test_the_exported_script_trains_on_the_named_arrays_beside_it_without_tflab(tmp_path, style):
    import subprocess
    import sys

    from tflab.script_export import export_training_script

    data = npz(tmp_path, **arrays(300))
    project = Project(two_way_graph(), {"dataset": str(data), "epochs": 3, "learning_rate": 0.01,
                                         "outputs": {"score": {"weight": 0.5, "loss": "huber"}}})
    script = tmp_path / "out" / "train.py"
    script.parent.mkdir()
    written = export_training_script(project, style, script)
    assert [p.name for p in written] == ["train_data.npz", "train.py"]
    code = script.read_text()
    assert "import tflab" not in code and "from tflab" not in code
    assert 'loss=["sparse_categorical_crossentropy", "huber"]' in code
    assert "loss_weights=[1, 0.5]" in code
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600,
                            cwd=tmp_path, env={**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-2000:]
    # Keras names a Functional model's metrics after its outputs, a subclassed model's not.
    accuracy = [line for line in result.stdout.splitlines()
                if line.startswith(("test digit_accuracy", "test accuracy"))]
    assert accuracy and float(accuracy[0].split()[-1]) > 0.4, result.stdout[-1500:]
