"""Sequential and Functional models: two example graphs the editor can open.

The first is a stack (what ``tf.keras.Sequential`` builds); the second has two inputs
and one layer called on both of them, which only the Functional API can express.
"""

from __future__ import annotations

from tflab.graph import ModelGraph


def stack_example() -> ModelGraph:
    """A digit classifier as a stack: Flatten, Dense, Dropout, Dense."""
    return ModelGraph.sequential(
        (28, 28),
        [
            ("Flatten", {}),
            ("Dense", {"units": 128, "activation": "relu"}),
            ("Dropout", {"rate": 0.2}),
            ("Dense", {"units": 10, "activation": "softmax"}),
        ],
        name="sequential_digits",
        input_name="image",
    )


def shared_layer_example() -> ModelGraph:
    """Two inputs encoded by ONE shared Dense layer, joined, then scored.

    ``encoder`` is a single layer called twice, so both inputs use the same weights
    (a "siamese" model): it is not a stack, and Sequential cannot build it.
    """
    graph = ModelGraph("functional_shared")
    left = graph.add_input((8,), "left")
    right = graph.add_input((8,), "right")
    encoder = graph.add_layer("Dense", {"units": 4, "activation": "relu"}, "encoder")
    left_code = graph.add_call(encoder, [left])
    right_code = graph.add_call(encoder, [right])
    joined = graph.add_layer_call("Concatenate", {}, [left_code, right_code], "concatenate")
    score = graph.add_layer_call("Dense", {"units": 1, "activation": "sigmoid"}, [joined], "score")
    graph.set_outputs([score])
    return graph


def example_graphs() -> tuple[ModelGraph, ModelGraph]:
    """The two example models: ``(stack, two inputs with a shared layer)``."""
    return stack_example(), shared_layer_example()
