"""A model with the project's own layer trains like any Keras model: the training loop
(several steps in one tf.function over the student's ``call``) gives ``model.fit``'s losses."""

from __future__ import annotations

import keras
import numpy as np

from tflab import custom_layers
from tflab.datasets import load_dataset, split
from tflab.graph import ModelGraph
from tflab.keras_build import build_model
from tflab.trainer import EpochEnd, TrainConfig, Trainer

#: A layer of the student's own, with weights of two kinds.
CODE = '''import tensorflow as tf


class GatedDense(tf.keras.layers.Layer):
    """Dense, then the negative half of the outputs scaled by a learned gate."""

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                      initializer="glorot_uniform")
        self.gate = self.add_weight(name="gate", shape=(), initializer="ones")

    def call(self, inputs):
        y = tf.matmul(inputs, self.kernel)
        return tf.where(y < 0, self.gate * y, y)
'''


def graph_with_custom_layer() -> ModelGraph:
    graph = ModelGraph("gated")
    source = graph.add_input((2,), "x")
    hidden = graph.add_layer_call("Dense", {"units": 8, "activation": "tanh"}, [source], name="hidden")
    graph.set_custom_code(CODE)
    out = graph.add_layer_call("GatedDense", {"units": 2}, [hidden], name="gated")
    graph.set_outputs([out])
    return graph


def test_a_custom_layer_trains_like_model_fit():
    graph = graph_with_custom_layer()
    custom_layers.allow(CODE)
    keras.utils.set_random_seed(0)
    model = build_model(graph)
    twin = build_model(graph)
    twin.set_weights(model.get_weights())
    assert type(model.get_layer("gated")).__name__ == "GatedDense"

    splits = split(load_dataset("spiral", n_samples=96, noise=0.05, seed=0), validation=0.2, test=0.0, seed=0)
    config = TrainConfig(optimizer="adam", learning_rate=0.02, loss="sparse_categorical_crossentropy",
                         metrics=[], epochs=3, batch_size=10, shuffle=False, steps_per_call=4)
    ours = [e.train["loss"] for e in Trainer(model, splits, config).run() if isinstance(e, EpochEnd)]
    twin.compile(optimizer=keras.optimizers.Adam(0.02),
                 loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = twin.fit(splits.train.x, splits.train.y, batch_size=10, epochs=3, shuffle=False, verbose=0)

    np.testing.assert_allclose(ours, history.history["loss"], rtol=1e-5)
    assert ours[-1] < ours[0]
    for mine, theirs in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
