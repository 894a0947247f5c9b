"""Training speed: tflab's Trainer against Keras ``model.fit`` and a hand-fused loop.

Two workloads, each trained by every contestant from the same initial weights on the
same samples, batch 32, shuffled each epoch, Adam, sparse categorical cross-entropy,
accuracy reported, no validation:

* the digits MLP: 64 -> 64 relu -> 10 softmax on the 1,797 bundled 8x8 digits;
* the course MLP: 28x28 -> Flatten -> 100 relu -> 10 softmax on 8,192 MNIST digits.

Each contestant is timed after a warm-up epoch (tracing excluded) and reports training
steps per second:

* ``model.fit`` with default settings, and with ``steps_per_execution=64``;
* a plain loop calling a ``tf.function`` train step once per batch;
* the hand-fused loop: ONE ``tf.function`` per epoch over the training set held as
  tensors, a fresh ``stateless_shuffle`` permutation each epoch, each batch
  ``tf.gather``-ed in a ``tf.range`` loop, the losses in a ``TensorArray`` and the
  correct predictions counted in a tensor (the fastest loop written by hand here);
* tflab's :class:`~tflab.trainer.Trainer`, chunks sized by time (the default).

It prints, per workload, Trainer / hand-fused loop (goal >= 0.8) and Trainer /
``model.fit``; then how fast a pause answers: another thread asks the Trainer to pause
at random moments while it trains, and the time until the ``Paused`` event arrives is
measured (the Trainer checks between compiled calls sized to last ``CHUNK_SECONDS``). Run: ``python benchmarks/bench_trainer.py [--epochs 10] [--repeats 3]``;
with ``--repeats`` each figure is the best of that many timings (the machine may be busy).
The exit status is 0 when both ratios reach the goal.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras
import numpy as np
import tensorflow as tf

from tflab.datasets import Splits, Subset, load_dataset, make_pipeline, split
from tflab.trainer import CHUNK_SECONDS, EpochEnd, Finished, Paused, TrainConfig, Trainer

BATCH = 32
GOAL = 0.8


@dataclass
class Workload:
    name: str
    build: Callable[[], keras.Model]
    splits: Splits

    @property
    def x(self) -> np.ndarray:
        return self.splits.train.x

    @property
    def y(self) -> np.ndarray:
        return self.splits.train.y

    def model(self) -> keras.Model:
        keras.utils.set_random_seed(0)
        return self.build()


def digits_mlp() -> keras.Model:
    return keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


def course_mlp() -> keras.Model:
    return keras.Sequential([
        keras.Input((28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


def workloads() -> list[Workload]:
    digits = split(load_dataset("digits"), validation=0.0, test=0.0, seed=0)
    mnist = split(load_dataset("mnist"), validation=0.0, test=0.0, seed=0)
    first = Subset(mnist.train.x[:8192], mnist.train.y[:8192])
    mnist = Splits(first, mnist.validation, mnist.test, mnist.dataset)
    return [Workload("digits MLP 64-64-10", digits_mlp, digits), Workload("course MLP 28x28-100-10", course_mlp, mnist)]


def bench_fit(work: Workload, epochs: int, steps_per_execution: int = 1) -> float:
    """Steps per second of ``model.fit`` (after a one-epoch warm-up call)."""
    model = work.model()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    model.fit(work.x, work.y, batch_size=BATCH, epochs=1, verbose=0)
    began = time.perf_counter()
    model.fit(work.x, work.y, batch_size=BATCH, epochs=epochs, verbose=0)
    return epochs * math.ceil(len(work.x) / BATCH) / (time.perf_counter() - began)


def bench_one_step(work: Workload, epochs: int) -> float:
    """Steps per second of a Python loop calling a ``tf.function`` step once per batch."""
    model = work.model()
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

    data = make_pipeline(work.x, work.y, BATCH, shuffle=True, seed=0)

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


def bench_fused(work: Workload, epochs: int) -> float:
    """Steps per second of the hand-fused loop: one ``tf.function`` call per epoch."""
    model = work.model()
    optimizer = keras.optimizers.Adam(1e-3)
    optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    x, y = tf.constant(work.x), tf.constant(work.y)
    n = len(work.x)
    steps = math.ceil(n / BATCH)

    @tf.function
    def epoch(seed):
        order = tf.random.experimental.stateless_shuffle(tf.range(n), seed=seed)
        losses = tf.TensorArray(tf.float32, size=steps)
        correct = tf.constant(0, tf.int32)
        for i in tf.range(steps):
            batch = order[i * BATCH:tf.minimum((i + 1) * BATCH, n)]
            xb, yb = tf.gather(x, batch), tf.gather(y, batch)
            with tf.GradientTape() as tape:
                outputs = model(xb, training=True)
                loss = loss_fn(yb, outputs)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            losses = losses.write(i, loss)
            correct += tf.reduce_sum(tf.cast(tf.equal(tf.argmax(outputs, -1, tf.int32), yb), tf.int32))
        return losses.stack(), correct

    def run(number: int) -> None:
        losses, correct = epoch(tf.constant([0, number]))
        losses.numpy(), int(correct)

    run(0)
    began = time.perf_counter()
    for number in range(1, epochs + 1):
        run(number)
    return epochs * steps / (time.perf_counter() - began)


def bench_trainer(work: Workload, epochs: int, steps_per_call: int | None = None) -> float:
    """Steps per second of the Trainer, timed from the end of its first (warm-up) epoch;
    ``steps_per_call`` None: chunks sized by time, as the app and the CLI train."""
    config = TrainConfig(optimizer="adam", learning_rate=1e-3, loss="sparse_categorical_crossentropy",
                         metrics=["accuracy"], epochs=epochs + 1, batch_size=BATCH,
                         steps_per_call=steps_per_call, validation=0.0, test=0.0)
    trainer = Trainer(work.model(), work.splits, config)
    began = None
    for event in trainer.run():
        if isinstance(event, EpochEnd) and event.epoch == 1:
            began = time.perf_counter()
        elif isinstance(event, Finished):
            return epochs * trainer.steps_per_epoch / (time.perf_counter() - began)
    raise RuntimeError("the trainer did not finish")


def pause_latencies(work: Workload, pauses: int = 20) -> list[float]:
    """Seconds from ``request_pause`` (at a random moment, from another thread) to the
    ``Paused`` event, as the desktop app's worker would see it."""
    config = TrainConfig(metrics=["accuracy"], epochs=10_000, batch_size=BATCH, validation=0.0, test=0.0)
    trainer = Trainer(work.model(), work.splits, config)
    paused = threading.Event()
    asked = [0.0]
    latencies: list[float] = []

    def consume() -> None:
        for event in trainer.run():
            if isinstance(event, Paused):
                latencies.append(time.perf_counter() - asked[0])
                paused.set()

    thread = threading.Thread(target=consume)
    thread.start()
    rng = random.Random(0)
    time.sleep(1.0)  # past tracing
    for _ in range(pauses):
        time.sleep(rng.uniform(0.05, 0.3))
        paused.clear()
        asked[0] = time.perf_counter()
        trainer.request_pause()
        paused.wait()
        trainer.resume()
    trainer.request_stop()
    thread.join()
    return latencies


def best_of(repeats: int, measure) -> float:
    return max(measure() for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, devices: "
          f"{[d.device_type for d in tf.config.list_physical_devices()]}, batch {BATCH}, "
          f"{args.epochs} timed epochs, best of {args.repeats}")
    ratios = {}
    for work in workloads():
        print(f"\n{work.name}: {len(work.x)} samples, {math.ceil(len(work.x) / BATCH)} steps per epoch")
        results = {}
        for name, measure in (
            ("model.fit (default)", lambda work=work: bench_fit(work, args.epochs)),
            ("model.fit steps_per_execution=64", lambda work=work: bench_fit(work, args.epochs, 64)),
            ("tf.function, one step per call", lambda work=work: bench_one_step(work, args.epochs)),
            ("hand-fused loop, one call per epoch", lambda work=work: bench_fused(work, args.epochs)),
            ("tflab Trainer", lambda work=work: bench_trainer(work, args.epochs)),
        ):
            results[name] = best_of(args.repeats, measure)
            print(f"  {name:<38} {results[name]:8.0f} steps/s", flush=True)
        ours = results["tflab Trainer"]
        ratios[work.name] = ours / results["hand-fused loop, one call per epoch"]
        print(f"  Trainer / hand-fused loop:      {ratios[work.name]:5.2f}  (goal >= {GOAL})")
        print(f"  Trainer / model.fit default:    {ours / results['model.fit (default)']:5.2f}x")
        print(f"  Trainer / model.fit spe=64:     {ours / results['model.fit steps_per_execution=64']:5.2f}x")
    print(f"\nPause answers (20 requests at random moments; chunks sized to {CHUNK_SECONDS:g} s):")
    for work in workloads():
        waits = pause_latencies(work)
        print(f"  {work.name:<26} median {statistics.median(waits) * 1e3:5.0f} ms, worst {max(waits) * 1e3:5.0f} ms")
    met = all(ratio >= GOAL for ratio in ratios.values())
    print("\ngoal met" if met else "\ngoal NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
