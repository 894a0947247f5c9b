"""What each layer makes of one sample: the outputs inside a model."""

from __future__ import annotations

import keras
import numpy as np

from tflab.activations import layer_outputs
from tflab.graph import ModelGraph
from tflab.session import RunRequest, Session
from tflab.trainer import Finished


def conv_graph() -> ModelGraph:
    return ModelGraph.sequential((8, 8, 1), [("Conv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"}),
                                             ("MaxPooling2D", {}), ("Flatten", {}),
                                             ("Dense", {"units": 10, "activation": "softmax"})])


def test_each_layer_gives_what_a_model_ending_at_that_layer_gives():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    x = np.random.default_rng(0).random((1, 8, 8, 1), dtype=np.float32)
    outputs = layer_outputs(model, x)
    assert [(o.class_name, o.values.shape) for o in outputs] == [("Conv2D", (6, 6, 4)), ("Flatten", (144,)),
                                                                  ("Dense", (10,))]
    for layer, output in zip(model.layers, outputs):
        alone = keras.Model(model.inputs[0], layer.output)
        np.testing.assert_allclose(output.values, np.asarray(alone(x))[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outputs[-1].values.sum(), 1.0, rtol=1e-5)


def test_the_session_shows_a_test_sample_through_the_trained_model():
    session = Session(strategy=None)
    request = RunRequest(conv_graph().to_json(), "digits", {"as_images": True}, {"epochs": 1, "seed": 1})
    assert session.activations() is None  # nothing built yet
    session.prepare(request)
    for event in session.trainer.run():
        if isinstance(event, Finished):
            break
    seen = session.activations(index=5, epoch=1)
    test = session.trainer.splits.test
    assert seen.part == "test" and seen.count == len(test) and seen.index == 5 and seen.epoch == 1
    assert seen.label == str(int(test.y[5])) and np.array_equal(seen.x, test.x[5])
    assert [o.class_name for o in seen.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    assert seen.layers[0].values.shape == (6, 6, 4) and seen.layers[-1].values.shape == (10,)
    # The last layer's output is the model's prediction for that sample.
    model = session._model
    np.testing.assert_allclose(seen.layers[-1].values, np.asarray(model(test.x[5:6], training=False))[0],
                               rtol=1e-5, atol=1e-6)
    assert session.activations(index=10_000).index == len(test) - 1  # past the end: the last one
