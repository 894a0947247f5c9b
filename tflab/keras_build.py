"""Turn a :class:`~tflab.graph.ModelGraph` into a real Keras model.

This is the reference translation: the code generator's output must rebuild the same
model as :func:`build_model`, and shape inference (:mod:`tflab.shapes`) calls the same
layers symbolically (both through :mod:`tflab.keras_layers`). Keras is imported lazily,
inside the functions.
"""

from __future__ import annotations

from typing import Any

from tflab import limits, tfload
from tflab.graph import Call, ModelGraph
from tflab.keras_layers import (
    BuildError,
    call_layer,
    check_complete,
    input_mode,
    make_input,
    make_layer,
    pick_output,
    walk,
)
from tflab.messages import TflabError
from tflab.shapes import ShapeInference

__all__ = ["BuildError", "build_model", "check_size"]


def check_size(graph: ModelGraph) -> None:
    """Check the model symbolically before building it (nothing is allocated): a layer
    that cannot take its input is refused with the editor's own words and hint (a
    :class:`BuildError`), a model too large to train on this computer with
    :class:`~tflab.limits.TooLargeError`."""
    report = ShapeInference().infer(graph)
    error = report.first_error()
    if error is not None:
        if isinstance(error, limits.TooLargeError):
            raise error
        raise BuildError(error.en, error.zh, hint_en=error.hint_en, hint_zh=error.hint_zh)
    limits.check_parameters(report.total_params)


def build_model(graph: ModelGraph) -> Any:
    """The Keras Functional model the graph describes, with fresh weights; refused
    (:class:`~tflab.limits.TooLargeError`) when it would not fit in memory to train."""
    keras = tfload.keras()

    check_complete(graph)
    check_size(graph)
    custom = graph.custom_layers()
    inputs = {node.id: make_input(node) for node in graph.inputs}

    def on_call(call: Call, keras_layer: Any, tensors: list) -> Any:
        layer = graph.layers[call.layer]
        mode = input_mode(layer.class_name, custom)
        try:
            return call_layer(keras_layer, mode, tensors)
        except TflabError:
            raise
        except Exception as err:  # noqa: BLE001 - Keras reports shape errors many ways
            raise BuildError(
                f"{layer.class_name} layer {layer.name!r} cannot be applied to its input: {err}",
                f"{layer.class_name} 层 {layer.name!r} 无法作用于它的输入：{err}",
            ) from None

    results = walk(graph, lambda layer: make_layer(layer, custom=custom), on_call, inputs)
    outputs = [pick_output(results[r.node], r, graph) for r in graph.effective_outputs()]
    model_inputs = [inputs[n.id] for n in graph.inputs]
    return keras.Model(
        inputs=model_inputs[0] if len(model_inputs) == 1 else model_inputs,
        outputs=outputs[0] if len(outputs) == 1 else outputs,
        name=graph.name,
    )
