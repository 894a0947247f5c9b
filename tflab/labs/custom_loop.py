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

from tflab.labs._common import LabError, Note, compile_shown, is_count, localise_comments, tf_message

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
epochs = {epochs}
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
for epoch in range(epochs):
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
fitted = model.fit(make_dataset(x_train, y_train, shuffle=True), epochs=epochs,
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


def example_loop(comments: str | None = None) -> str:
    """The loop the lab starts with (what ``fit`` does, written out), for the student to
    change: it trains ``model`` for ``epochs`` and fills ``history`` (see :func:`loop_vs_fit`)."""
    return localise_comments(LOOP.format(), COMMENTS_ZH, comments)


def program(epochs: int, train_samples: int, seed: int = 0, comments: str | None = None,
            loop: str | None = None) -> str:
    """The whole program the lab runs, as a student would write it (data loading aside):
    ``loop`` (default: :func:`example_loop`) between the set-up and ``fit``; ``comments``
    in ``"en"`` or ``"zh"`` (default: the messages' language)."""
    values = {"epochs": epochs, "train": train_samples, "val": VALIDATION_SAMPLES, "seed": seed,
              "batch": BATCH_SIZE}
    loop = example_loop(comments) if loop is None else loop
    return (localise_comments(SETUP.format(**values) + "\n\n# ---- your own loop ----\n", COMMENTS_ZH, comments)
            + loop.rstrip("\n") + "\n"
            + localise_comments("\n\n# ---- the same with model.fit ----\n" + FIT.format(**values),
                                COMMENTS_ZH, comments))


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
                progress: Callable[[float], None] | None = None, comments: str | None = None,
                loop: str | None = None) -> LoopVsFit:
    """Train the course's model with a loop and with ``fit``; see the module docstring.

    ``loop`` is the student's own loop (default: :func:`example_loop`), run after the
    set-up with ``model`` to build, ``x_train``... ``make_dataset``, ``build_model`` and
    ``epochs`` defined; it must fill ``history`` with one number per epoch for each of
    :data:`METRICS`. The student typed it here: it runs in this process, as code typed in
    the app does. An error in it (or a ``history`` that does not hold what ``fit``'s
    does) is a :class:`LabError` naming the line or the key."""
    _check(epochs, train_samples)
    import numpy as np

    from tflab.datasets import load_mnist

    digits = load_mnist()
    order = np.random.default_rng(seed).permutation(len(digits))
    values = {"epochs": epochs, "train": train_samples, "val": VALIDATION_SAMPLES, "seed": seed,
              "batch": BATCH_SIZE}
    histories = {}
    own = loop is not None
    loop = example_loop(comments) if loop is None else loop
    setup = localise_comments(SETUP.format(**values), COMMENTS_ZH, comments)
    fit = localise_comments(FIT.format(**values), COMMENTS_ZH, comments)
    for done, (name, part) in enumerate((("loop", loop), ("fit", fit))):
        namespace: dict[str, object] = {"x": digits.x[order], "y": digits.y[order]}
        exec(compile_shown(setup, "<tflab: setup>"), namespace)  # noqa: S102 - the lab's own code
        if name == "loop" and own:
            _run_own_loop(part, namespace)
        else:
            exec(compile_shown(part, f"<tflab: {name}>"), namespace)  # noqa: S102
        histories[name] = _history(namespace.get("history"), epochs)
        if progress is not None:
            progress((done + 1) / 2)
    notes = (
        Note("Both trainers start from the same weights (keras.utils.set_random_seed before building) "
             "and see the batches in the same order (a shuffle with a seed), so their numbers agree to "
             "rounding: the loop is what fit does.",
             "两种训练从相同的权重开始（构建前调用 keras.utils.set_random_seed），并以相同的顺序看到各个批次"
             "（带种子的 shuffle），所以它们的数字只差舍入误差：这个循环就是 fit 所做的事。"),
    )
    if own and max(abs(a - b) for m in METRICS for a, b in zip(histories["loop"][m], histories["fit"][m])) > 1e-3:
        notes = (Note(
            "Your loop's numbers differ from fit's (largest difference in the table's last column): "
            "a loop that does what fit does (same order of batches, optimizer, loss and metrics, reset "
            "each epoch) agrees to rounding. Compare yours with the example (Reset) to find why.",
            "你的循环和 fit 的数字不同（最大差值见表格最后一列）：与 fit 做同样事情的循环（相同的批次顺序、"
            "优化器、损失函数和评估指标，每个轮次重置）只会差舍入误差。和示例（重置）比较，找出原因。"),)
    return LoopVsFit(histories["loop"], histories["fit"], program(epochs, train_samples, seed, comments, loop),
                     epochs, train_samples, notes)


#: The file name errors in the student's loop name.
OWN_LOOP_FILE = "<your loop>"


def _run_own_loop(source: str, namespace: dict[str, object]) -> None:
    """Run the student's loop; an error becomes a message naming its line."""
    import sys
    import traceback

    try:
        code = compile_shown(source, OWN_LOOP_FILE)
    except SyntaxError as err:
        error = LabError(f"Your loop has a syntax error on line {err.lineno}: {err.msg}.",
                         f"你的循环第 {err.lineno} 行有语法错误：{err.msg}。")
        error.line = err.lineno
        raise error from None
    try:
        exec(code, namespace)  # noqa: S102 - code the student typed into this lab
    except Exception as err:  # noqa: BLE001 - any error of the student's code is explained
        frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if f.filename == OWN_LOOP_FILE]
        line = frames[-1].lineno if frames else None
        where = line if line is not None else "?"
        error = LabError(f"Your loop stopped on line {where}: {type(err).__name__}: {tf_message(err)}",
                         f"你的循环在第 {where} 行停止：{type(err).__name__}：{tf_message(err)}")
        error.line = line
        raise error from None


def _history(history: object, epochs: int) -> dict[str, list[float]]:
    """``history`` as fit gives it (one number per epoch for each of METRICS), or a LabError."""
    if not isinstance(history, dict):
        raise LabError("Your loop must leave a dict named history, as the example does: "
                       'history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}.',
                       "你的循环必须留下一个名为 history 的字典，就像示例那样："
                       'history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}。')
    result = {}
    for metric in METRICS:
        values = history.get(metric)
        try:
            numbers = [float(v) for v in values] if isinstance(values, (list, tuple)) else None
        except (TypeError, ValueError):
            numbers = None
        if numbers is None or len(numbers) != epochs:
            found = f"{len(values)}" if isinstance(values, (list, tuple)) else "—"
            raise LabError(
                f'history["{metric}"] must hold one number per epoch ({epochs}), as fit\'s does; found: {found}.',
                f'history["{metric}"] 必须为每个轮次保存一个数（共 {epochs} 个），与 fit 的相同；实际：{found}。')
        result[metric] = numbers
    return result

