"""Turn a :class:`~tflab.graph.ModelGraph` into a real Keras model.

This is the reference translation: the code generator's output must rebuild the same
model as :func:`build_model`, and shape inference (:mod:`tflab.shapes`) calls the same
layers symbolically (both through :mod:`tflab.keras_layers`). Keras is imported lazily,
inside the functions.
"""

from __future__ import annotations

from typing import Any

from tflab import limits
from tflab.graph import ModelGraph
from tflab.keras_layers import BuildError, check_complete, functional_model
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
    check_complete(graph)
    check_size(graph)
    return functional_model(graph, graph.custom_layers())
