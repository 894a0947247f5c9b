"""The code the Training tab shows is the training that runs."""

from __future__ import annotations

import numpy as np
import pytest

from tflab.training_code import compile_code, fit_code, loop_code


def test_the_loop_shown_trains_exactly_as_the_trainer_does():
    """Run the GradientTape loop the tab shows, and the trainer, from the same weights:
    after two epochs every weight is the same."""
    from tflab import tfload
    from tflab.datasets import load_dataset, split
    from tflab.graph import ModelGraph
    from tflab.keras_build import build_model
    from tflab.session import seeded_model
    from tflab.trainer import TrainConfig, Trainer

    tf = tfload.tensorflow()
    graph = ModelGraph.sequential((64,), [("Dense", {"units": 16, "activation": "relu"}),
                                          ("Dense", {"units": 10, "activation": "softmax"})])
    parts = split(load_dataset("digits"), 0.2, 0.1, 0)
    settings = {"optimizer": "adam", "learning_rate": 0.01, "epochs": 2, "batch_size": 50, "seed": 3,
                "metrics": ["accuracy"], "loss": "sparse_categorical_crossentropy"}
    trained = seeded_model(lambda: build_model(graph), 3)
    for _ in Trainer(trained, parts, TrainConfig.from_dict(settings)).run():
        pass

    model = seeded_model(lambda: build_model(graph), 3)
    code = loop_code(settings, "sparse_categorical_crossentropy", from_logits=False)
    namespace = {"tf": tf, "model": model, "x_train": parts.train.x, "y_train": parts.train.y, "print": lambda *a: None}
    exec(compile(code, "<loop shown in the Training tab>", "exec"), namespace)
    for ours, theirs in zip(model.get_weights(), trained.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert not np.allclose(model.get_weights()[0], seeded_model(lambda: build_model(graph), 3).get_weights()[0])


def test_the_loop_names_the_course_api():
    code = loop_code({"optimizer": "sgd", "learning_rate": 0.1, "momentum": 0.9, "epochs": 5, "batch_size": 8},
                     "categorical_crossentropy", from_logits=True)
    for piece in ("with tf.GradientTape() as tape:", "tape.gradient(loss, model.trainable_variables)",
                  "optimizer.apply_gradients(zip(gradients, model.trainable_variables))",
                  "tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)",
                  "tf.keras.losses.CategoricalCrossentropy(from_logits=True)", "for epoch in range(5):",
                  ".batch(8)"):
        assert piece in code, piece
    compile(code, "<loop>", "exec")


@pytest.mark.parametrize("optimizer,name", [("adam", "Adam"), ("rmsprop", "RMSprop"), ("adagrad", "Adagrad")])
def test_compile_and_fit_calls_follow_the_settings(optimizer, name):
    code = compile_code({"optimizer": optimizer, "learning_rate": 0.002, "metrics": ["accuracy", "auc"]},
                        "sparse_categorical_crossentropy", from_logits=False)
    assert f"tf.keras.optimizers.{name}" in code and "learning_rate=0.002" in code
    assert 'loss="sparse_categorical_crossentropy"' in code and 'metrics=["accuracy", "auc"]' in code
    compile(code, "<compile>", "exec")
    assert fit_code({"epochs": 3, "batch_size": 16, "validation": 0.15}) == \
        "model.fit(x_train, y_train, epochs=3, batch_size=16, validation_data=(x_val, y_val))"
    assert "validation_data" not in fit_code({"validation": 0})
