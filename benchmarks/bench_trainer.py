"""Training speed: tflab's Trainer against Keras ``model.fit`` and a one-step loop.

All contestants train the same digits-sized MLP (64 -> 64 relu -> 10 softmax, Adam,
sparse categorical cross-entropy, accuracy) from the same initial weights on the same
1797 digits, batch 32, shuffled, no validation. Each is timed after a warm-up epoch
(tracing excluded) and reports training steps per second:

* ``model.fit`` with default settings (one step per call);
* ``model.fit`` with ``steps_per_execution`` 16 and 64 (the best one is compared);
* a plain loop calling a ``tf.function`` train step once per batch;
* tflab's :class:`~tflab.trainer.Trainer` (``steps_per_call`` steps per call).

Run: ``python benchmarks/bench_trainer.py [--epochs 20] [--repeats 3]``; with
``--repeats`` each figure is the best of that many timings (the machine may be busy).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras
import numpy as np
import tensorflow as tf

from tflab.datasets import load_dataset, make_pipeline, split
from tflab.trainer import EpochEnd, Finished, TrainConfig, Trainer

BATCH = 32


def make_model(initial: list[np.ndarray] | None = None) -> keras.Model:
    """The benchmark MLP, with the given initial weights."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    if initial is not None:
        model.set_weights(initial)
    return model


def bench_fit(x: np.ndarray, y: np.ndarray, epochs: int, steps_per_execution: int = 1) -> float:
    """Steps per second of ``model.fit`` (after a one-epoch warm-up call)."""
    model = make_model()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    began = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0)
    return epochs * math.ceil(len(x) / BATCH) / (time.perf_counter() - began)


def bench_one_step(x: np.ndarray, y: np.ndarray, epochs: int) -> float:
    """Steps per second of a Python loop calling a ``tf.function`` step once per batch."""
    model = make_model()
    optimizer = keras.optimizers.Adam(1e-3)
    optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    accuracy = keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            outputs = model(xb, training=True)
            loss = loss_fn(yb, outputs)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        accuracy.update_state(yb, outputs)
        return loss

    data = make_pipeline(x, y, BATCH, shuffle=True, seed=0)

    def epoch() -> int:
        steps = 0
        for xb, yb in data:
            step(xb, yb).numpy()
            steps += 1
        return steps

    epoch()
    began = time.perf_counter()
    steps = sum(epoch() for _ in range(epochs))
    return steps / (time.perf_counter() - began)


def bench_trainer(splits, epochs: int, steps_per_call: int) -> float:
    """Steps per second of the Trainer, timed from the end of its first (warm-up) epoch."""
    config = TrainConfig(
        optimizer="adam",
        learning_rate=1e-3,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        epochs=epochs + 1,
        batch_size=BATCH,
        steps_per_call=steps_per_call,
        validation=0.0,
        test=0.0,
    )
    trainer = Trainer(make_model(), splits, config)
    began = None
    for event in trainer.run():
        if isinstance(event, EpochEnd) and event.epoch == 1:
            began = time.perf_counter()
        elif isinstance(event, Finished):
            return epochs * trainer.steps_per_epoch / (time.perf_counter() - began)
    raise RuntimeError("the trainer did not finish")


def best_of(repeats: int, measure) -> float:
    return max(measure() for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--steps-per-call", type=int, default=16)
    args = parser.parse_args()

    splits = split(load_dataset("digits"), validation=0.0, test=0.0, seed=0)
    x, y = splits.train.x, splits.train.y
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, devices: "
          f"{[d.device_type for d in tf.config.list_physical_devices()]}")
    print(f"{len(x)} samples, batch {BATCH}, {math.ceil(len(x) / BATCH)} steps per epoch, {args.epochs} epochs\n")

    results = {}
    for name, measure in (
        ("model.fit (default)", lambda: bench_fit(x, y, args.epochs)),
        ("model.fit steps_per_execution=16", lambda: bench_fit(x, y, args.epochs, 16)),
        ("model.fit steps_per_execution=64", lambda: bench_fit(x, y, args.epochs, 64)),
        ("tf.function, one step per call", lambda: bench_one_step(x, y, args.epochs)),
        (f"tflab Trainer (steps_per_call={args.steps_per_call})",
         lambda: bench_trainer(splits, args.epochs, args.steps_per_call)),
    ):
        results[name] = best_of(args.repeats, measure)
        print(f"{name:<42} {results[name]:8.0f} steps/s", flush=True)

    ours = results[f"tflab Trainer (steps_per_call={args.steps_per_call})"]
    fit_default = results["model.fit (default)"]
    fit_best = max(v for k, v in results.items() if "steps_per_execution" in k)
    one_step = results["tf.function, one step per call"]
    print()
    print(f"Trainer / model.fit default:             {ours / fit_default:5.2f}x  (goal >= 2)")
    print(f"Trainer / best model.fit steps_per_exec: {ours / fit_best:5.2f}x  (goal > 1)")
    print(f"Trainer / one step per call:             {ours / one_step:5.2f}x")
    met = ours >= 2 * fit_default and ours > fit_best
    print("goal met" if met else "goal NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
