"""The Sequential / Functional examples and the default training settings, checked with Keras."""

from __future__ import annotations

import numpy as np

from tflab.datasets import load_dataset
from tflab.keras_build import build_model
from tflab.labs.compile_fit_evaluate import default_training
from tflab.labs.sequential_vs_functional import example_graphs
from tflab.trainer import TrainConfig


def test_first_example_is_a_stack_and_second_shares_a_layer():
    stack, functional = example_graphs()
    assert stack.not_a_stack_reason() is None
    assert functional.not_a_stack_reason() is not None
    assert functional.shared_layers() == ["encoder"]
    assert [node.name for node in functional.inputs] == ["left", "right"]


def test_examples_build_real_keras_models():
    stack, functional = example_graphs()
    digits = build_model(stack)
    assert tuple(digits.output.shape) == (None, 10)
    siamese = build_model(functional)
    assert len(siamese.inputs) == 2 and tuple(siamese.output.shape) == (None, 1)
    encoder, score = siamese.get_layer("encoder"), siamese.get_layer("score")
    # One encoder object: its weights are counted once although it is called twice.
    assert len(encoder.weights) == 2
    assert siamese.count_params() == encoder.count_params() + score.count_params()
    assert score.kernel.shape == (2 * encoder.units, 1)


def test_default_training_is_valid_for_the_trainer_and_fresh_each_time():
    settings = default_training()
    assert settings["dataset"] == "mnist"
    TrainConfig.from_dict({k: v for k, v in settings.items() if k != "dataset"}).validate()
    settings["metrics"].append("auc")
    assert default_training()["metrics"] == ["accuracy"]


def test_default_training_settings_train_keras_on_mnist():
    import tensorflow as tf

    settings = default_training()
    data = load_dataset(settings["dataset"])
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        tf.keras.Input(shape=data.input_shape),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    optimizer = tf.keras.optimizers.get({"class_name": settings["optimizer"],
                                         "config": {"learning_rate": settings["learning_rate"]}})
    model.compile(optimizer=optimizer, loss=settings["loss"], metrics=settings["metrics"])
    model.fit(data.x[:512], data.y[:512], epochs=1, batch_size=settings["batch_size"], verbose=0)
    loss, accuracy = model.evaluate(data.x[:256], data.y[:256], verbose=0)
    probabilities = model.predict(data.x[:256], verbose=0)
    expected = tf.keras.losses.sparse_categorical_crossentropy(data.y[:256], probabilities)
    np.testing.assert_allclose(loss, float(tf.reduce_mean(expected)), rtol=1e-4)
    np.testing.assert_allclose(accuracy, np.mean(probabilities.argmax(axis=1) == data.y[:256]), atol=1e-6)
