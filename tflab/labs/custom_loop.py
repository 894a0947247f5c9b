"""The capstone lab: your own training loop for the course's MNIST model, beside ``model.fit``.

:func:`loop_vs_fit` trains the course's model (``Input(28, 28) -> Flatten ->
Dense(100, relu) -> Dense(10, softmax)``, Adam 0.001, batches of 32) twice on the same
bundled MNIST digits, from the same initial weights and in the same batch order: once
with ``model.fit(..., validation_data=...)`` and once with the GradientTape loop of
:data:`LOOP`, which is exactly the code the lab shows (it is executed, not paraphrased).
It returns both histories, epoch by epoch, so the curves can be overlaid and the final
numbers compared: they agree to rounding, because the loop does what ``fit`` does.

The training and validation parts are whole numbers of batches, so the mean of the
batch losses (what the loop's ``keras.metrics.Mean`` gives) equals the per-sample mean
``fit`` reports. Imports TensorFlow only when called.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tflab.labs._common import LabError, Note, compile_shown, is_count, localise_comments

BATCH_SIZE = 32
#: The validation part: 30 batches of 32 digits.
VALIDATION_SAMPLES = 960
#: The training part's size may be chosen in whole batches, up to what the 10,000 digits leave.
MAX_TRAIN_SAMPLES = (10_000 - VALIDATION_SAMPLES) // BATCH_SIZE * BATCH_SIZE
MAX_EPOCHS = 20
METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")

#: The data and the model both trainers start from (shown with the loop).
SETUP = '''\
import numpy as np
import tensorflow as tf
import keras

# x: digits of shape (n, 28, 28) scaled to 0-1, y: their classes 0-9
x_train, y_train = x[:{train}], y[:{train}]
x_val, y_val = x[{train}:{train} + {val}], y[{train}:{train} + {val}]


def make_dataset(x, y, shuffle):
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        # one shuffled order, kept for every epoch: both trainers then see the same batches
        ds = ds.shuffle(len(x), seed={seed}, reshuffle_each_iteration=False)
    return ds.batch({batch})


def build_model():
    keras.utils.set_random_seed({seed})  # the same initial weights every time
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
'''

#: What model.fit does, written out: the code the lab runs for "Your loop".
LOOP = '''\
model = build_model()
train_ds = make_dataset(x_train, y_train, shuffle=True)
val_ds = make_dataset(x_val, y_val, shuffle=False)

optimizer = keras.optimizers.Adam(learning_rate=0.001)
loss_fn = keras.losses.SparseCategoricalCrossentropy()
train_loss = keras.metrics.Mean()
train_accuracy = keras.metrics.SparseCategoricalAccuracy()
val_loss = keras.metrics.Mean()
val_accuracy = keras.metrics.SparseCategoricalAccuracy()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss.update_state(loss)
    train_accuracy.update_state(y, predictions)


@tf.function
def val_step(x, y):
    predictions = model(x, training=False)
    val_loss.update_state(loss_fn(y, predictions))
    val_accuracy.update_state(y, predictions)


history = {{"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}}
for epoch in range({epochs}):
    for metric in (train_loss, train_accuracy, val_loss, val_accuracy):
        metric.reset_state()  # each epoch starts counting again
    for x_batch, y_batch in train_ds:
        train_step(x_batch, y_batch)
    for x_batch, y_batch in val_ds:
        val_step(x_batch, y_batch)
    history["loss"].append(float(train_loss.result()))
    history["accuracy"].append(float(train_accuracy.result()))
    history["val_loss"].append(float(val_loss.result()))
    history["val_accuracy"].append(float(val_accuracy.result()))
'''

#: The same training with compile and fit.
FIT = '''\
model = build_model()
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),
              loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
fitted = model.fit(make_dataset(x_train, y_train, shuffle=True), epochs={epochs},
                   validation_data=make_dataset(x_val, y_val, shuffle=False), verbose=0)
history = fitted.history
'''


@dataclass(frozen=True)
class LoopVsFit:
    """Both histories (metric -> one value per epoch), the code that produced them, notes."""

    loop: dict[str, list[float]]
    fit: dict[str, list[float]]
    code: str
    epochs: int
    train_samples: int
    notes: tuple[Note, ...]

    def largest_difference(self) -> float:
        """The largest |loop - fit| over every metric and epoch."""
        return max(abs(a - b) for name in METRICS for a, b in zip(self.loop[name], self.fit[name]))


#: The program's comments in Chinese (see :func:`program`).
COMMENTS_ZH = {
    "x: digits of shape (n, 28, 28) scaled to 0-1, y: their classes 0-9":
        "x：形状为 (n, 28, 28) 的手写数字，缩放到 0-1；y：它们的类别 0-9",
    "one shuffled order, kept for every epoch: both trainers then see the same batches":
        "只打乱一次，每个轮次都用这个顺序：两种训练方式看到的批次完全相同",
    "the same initial weights every time": "每次都得到相同的初始权重",
    "each epoch starts counting again": "每个轮次重新开始计数",
    "---- your own loop ----": "---- 你自己的训练循环 ----",
    "---- the same with model.fit ----": "---- 用 model.fit 做同样的训练 ----",
}


def program(epochs: int, train_samples: int, seed: int = 0, comments: str | None = None) -> str:
    """The whole program the lab runs, as a student would write it (data loading aside);
    ``comments`` in ``"en"`` or ``"zh"`` (default: the messages' language)."""
    values = {"epochs": epochs, "train": train_samples, "val": VALIDATION_SAMPLES, "seed": seed,
              "batch": BATCH_SIZE}
    return localise_comments(
        SETUP.format(**values) + "\n\n# ---- your own loop ----\n" + LOOP.format(**values)
        + "\n\n# ---- the same with model.fit ----\n" + FIT.format(**values), COMMENTS_ZH, comments)


def _check(epochs: object, train_samples: object) -> None:
    if not is_count(epochs) or epochs > MAX_EPOCHS:
        raise LabError(f"Epochs must be a whole number from 1 to {MAX_EPOCHS}.",
                       f"轮次必须是 1 到 {MAX_EPOCHS} 之间的整数。")
    if not is_count(train_samples, BATCH_SIZE) or train_samples > MAX_TRAIN_SAMPLES or train_samples % BATCH_SIZE:
        raise LabError(
            f"The training part must be a multiple of {BATCH_SIZE} digits, from {BATCH_SIZE} to "
            f"{MAX_TRAIN_SAMPLES}.",
            f"训练部分必须是 {BATCH_SIZE} 的倍数，在 {BATCH_SIZE} 到 {MAX_TRAIN_SAMPLES} 之间。")


def loop_vs_fit(epochs: int = 3, train_samples: int = 3200, seed: int = 0,
                progress: Callable[[float], None] | None = None, comments: str | None = None) -> LoopVsFit:
    """Train the course's model with :data:`LOOP` and with ``fit``; see the module docstring."""
    _check(epochs, train_samples)
    import numpy as np

    from tflab.datasets import load_mnist

    digits = load_mnist()
    order = np.random.default_rng(seed).permutation(len(digits))
    values = {"epochs": epochs, "train": train_samples, "val": VALIDATION_SAMPLES, "seed": seed,
              "batch": BATCH_SIZE}
    histories = {}
    for done, (name, part) in enumerate((("loop", LOOP), ("fit", FIT))):
        namespace: dict[str, object] = {"x": digits.x[order], "y": digits.y[order]}
        shown = (localise_comments(text.format(**values), COMMENTS_ZH, comments) for text in (SETUP, part))
        exec(compile_shown(next(shown), "<tflab: setup>"), namespace)  # noqa: S102 - the lab's own code
        exec(compile_shown(next(shown), f"<tflab: {name}>"), namespace)  # noqa: S102
        history = namespace["history"]
        assert isinstance(history, dict)
        histories[name] = {metric: [float(v) for v in history[metric]] for metric in METRICS}
        if progress is not None:
            progress((done + 1) / 2)
    notes = (
        Note("Both trainers start from the same weights (keras.utils.set_random_seed before building) "
             "and see the batches in the same order (a shuffle with a seed), so their numbers agree to "
             "rounding: the loop is what fit does.",
             "两种训练从相同的权重开始（构建前调用 keras.utils.set_random_seed），并以相同的顺序看到各个批次"
             "（带种子的 shuffle），所以它们的数字只差舍入误差：这个循环就是 fit 所做的事。"),
    )
    return LoopVsFit(histories["loop"], histories["fit"], program(epochs, train_samples, seed, comments),
                     epochs, train_samples, notes)
