"""How long the editor waits for shapes and code after an edit, on a 100-layer model.

Measured side by side in one run, after TensorFlow is loaded:

- tflab's shape inference (symbolic Keras calls in a stateless scope, cached per
  call): cold (a new graph) and after one edit in the middle;
- code generation in the three styles;
- the obvious alternative: building the full Keras model for every edit
  (``keras.Model`` of the same 100 layers, weights allocated);
- Keras's bare ``compute_output_spec`` walk (shapes only, no parameter counts).

Prints each time (median of several runs) and the ratios.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras

from tflab.codegen import generate
from tflab.graph import ModelGraph
from tflab.keras_build import build_model
from tflab.shapes import ShapeInference

N_LAYERS = 100
REPEATS = 7


def hundred_layers() -> ModelGraph:
    """A 100-layer stack with varied layers, so no two calls are alike."""
    layers = []
    for i in range(N_LAYERS):
        if i % 10 == 9:
            layers.append(("Dropout", {"rate": 0.1 + i / 1000}))
        elif i % 10 == 4:
            layers.append(("LayerNormalization", {}))
        else:
            layers.append(("Dense", {"units": 32 + i, "activation": "relu"}))
    return ModelGraph.sequential((64,), layers, name="hundred")


def median_ms(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def edit_middle(graph: ModelGraph, step: list[int]) -> None:
    step[0] += 1
    graph.set_config("dense_40", {"units": 40 + step[0] % 7, "activation": "relu"})


def main() -> None:
    graph = hundred_layers()
    assert len(graph.calls) == N_LAYERS

    cold = median_ms(lambda: ShapeInference().infer(graph))

    inference = ShapeInference()
    inference.infer(graph)
    step = [0]

    def one_edit() -> None:
        edit_middle(graph, step)
        report = inference.infer(graph)
        assert report.ok

    warm_edit = median_ms(one_edit)

    def codegen_all() -> None:
        for style in ("sequential", "functional", "subclass"):
            generate(graph, style)

    code = median_ms(codegen_all)
    code_one = code / 3

    full_build = median_ms(lambda: build_model(graph), repeats=3)

    def output_spec_walk() -> None:
        x = keras.KerasTensor((None, 64))
        for cid in graph.stack_order()[0]:
            layer = graph.layer_of(cid)
            obj = getattr(keras.layers, layer.class_name)(**layer.config)
            x = obj.compute_output_spec(x)

    spec_walk = median_ms(output_spec_walk)

    edit_total = warm_edit + code_one
    print(f"100-layer model, median of {REPEATS} runs, TensorFlow already loaded")
    print(f"  shape inference, cold (new graph):        {cold:8.1f} ms")
    print(f"  shape inference after one edit:           {warm_edit:8.1f} ms")
    print(f"  code generation, one style:               {code_one:8.1f} ms")
    print(f"  edit -> shapes + code (what the editor pays): {edit_total:5.1f} ms")
    print(f"  alternative: full keras.Model build:      {full_build:8.1f} ms")
    print(f"  Keras compute_output_spec walk (no params): {spec_walk:6.1f} ms")
    print(f"ratio full build / (edit -> shapes + code): {full_build / edit_total:6.1f}x")
    print(f"ratio full build / cold shape inference:    {full_build / cold:6.1f}x")
    print(f"ratio spec walk / cold shape inference:     {spec_walk / cold:6.2f}x")


if __name__ == "__main__":
    main()
