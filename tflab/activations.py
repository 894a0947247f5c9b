"""What each layer makes of one sample: the outputs inside a model, for pictures and bars.

:func:`layer_outputs` runs one sample through a model and returns the output of every
layer in order, as a student would get it with ``keras.Model(model.inputs,
[layer.output for layer in model.layers])``: convolutions give feature maps (height,
width, channels), Dense layers a vector of units. :class:`Probe` keeps that second model
for a trained model, so that asking again after each epoch costs one forward pass.

Layers whose output is not one tensor (several outputs, or a layer called more than once,
whose ``output`` Keras cannot name) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tflab import tfload


@dataclass(frozen=True)
class LayerOutput:
    """One layer's output for one sample (the batch axis removed)."""

    name: str
    class_name: str
    values: np.ndarray


@dataclass(frozen=True)
class Activations:
    """Every layer's output for sample ``index`` of a part of the data.

    ``x`` is the sample as the model takes it, ``label`` its true class (or value) in
    words, ``count`` the samples of the part (to choose another), ``epoch`` the epochs
    the weights have been trained, ``class_names`` the classes of the data (none for
    numbers to predict).
    """

    index: int
    count: int
    part: str
    x: np.ndarray
    label: str
    layers: tuple[LayerOutput, ...]
    epoch: int
    class_names: tuple[str, ...] = ()


class Probe:
    """The outputs of the layers of ``model``, one sample at a time."""

    def __init__(self, model) -> None:
        keras = tfload.keras()

        self.layers = []
        outputs = []
        for layer in model.layers:
            if isinstance(layer, keras.layers.InputLayer):
                continue
            try:
                output = layer.output
            except (AttributeError, ValueError):  # called several times, or never
                continue
            if isinstance(output, (list, tuple, dict)):
                continue  # several outputs
            self.layers.append(layer)
            outputs.append(output)
        inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
        self._model = keras.Model(inputs, outputs) if outputs else None

    def run(self, x: np.ndarray) -> tuple[LayerOutput, ...]:
        """Each layer's output for the one sample ``x`` (shape ``(1, ...)``)."""
        if self._model is None:
            return ()
        values = self._model(np.asarray(x, dtype=np.float32), training=False)
        if not isinstance(values, (list, tuple)):
            values = [values]
        return tuple(LayerOutput(layer.name, type(layer).__name__, np.asarray(value)[0])
                     for layer, value in zip(self.layers, values))


def layer_outputs(model, x: np.ndarray) -> tuple[LayerOutput, ...]:
    """Each layer's output for the one sample ``x`` (shape ``(1, ...)``), in layer order."""
    return Probe(model).run(x)
