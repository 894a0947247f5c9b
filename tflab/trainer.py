"""The training engine: a ``tf.GradientTape`` loop driven as a generator of events.

A :class:`Trainer` trains a Keras model on :class:`~tflab.datasets.Splits` with a
:class:`TrainConfig`. ``trainer.run()`` returns a generator of events
(:class:`Started`, :class:`Steps`, :class:`EpochEnd`, :class:`Finished`,
:class:`Paused`, :class:`Resumed`, :class:`Stopped`, :class:`Failed`) so that a
caller -- the command line, or a Qt worker thread -- decides what to show. Between
chunks of steps the loop honours :meth:`Trainer.request_stop`,
:meth:`Trainer.request_pause` and :meth:`Trainer.resume`, which are safe to call from
another thread.

Speed: the training steps run inside ONE ``tf.function`` per trainer, created once;
each call runs a chunk of steps in a ``tf.range`` loop and returns every step's loss and
the number of correct predictions, so Python runs once per chunk instead of once per
step. A chunk lasts about :data:`CHUNK_SECONDS` (its step count follows the measured
speed), so pause and stop answer within that time whatever the model's size. Training
data up to :data:`FUSED_MAX_BYTES` is held as tensors and each batch is gathered by index
(the "fused" path: no ``tf.data`` iterator in the hot loop); the indices follow exactly
the order that the ``tf.data`` pipeline shown to students (:func:`~tflab.datasets.
pipeline_code`) would give. Bigger data, and training on several devices, go through
that pipeline.

Devices: a trainer runs under a ``tf.distribute`` strategy, the default one (one
device, a GPU when there is one) unless it is given another, e.g. a
``MirroredStrategy`` over several GPUs (see :mod:`tflab.devices`). Each replica's loss is
divided by the number of replicas, as in ``model.fit``, because the optimizer sums the
replicas' gradients; the step losses reported are the replicas' sum: the batch's loss.

Failures never escape as tracebacks: a model that does not fit the data is refused
before training (:func:`check_compatibility`), and a loss that becomes NaN or infinite,
or any error while training, ends the run with a :class:`Failed` event carrying a
bilingual :class:`~tflab.messages.TflabError`.

TensorFlow is imported lazily, so :class:`TrainConfig` can be used without it.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from tflab import ondisk, tfload
from tflab.datasets import (
    CLASSIFICATION,
    NAMED,
    REGRESSION,
    Dataset,
    Splits,
    Subset,
    make_order_pipeline,
    make_pipeline,
    pipeline_code,
)
from tflab.messages import TflabError
from tflab.named_data import expected_arrays, model_ports, output_activation

OPTIMIZERS = ("sgd", "adam", "rmsprop", "adagrad")
LOSSES = (
    "sparse_categorical_crossentropy",
    "categorical_crossentropy",
    "binary_crossentropy",
    "mse",
    "mae",
    "huber",
)
CLASSIFICATION_LOSSES = LOSSES[:3]
METRICS = ("accuracy", "auc", "precision", "recall", "mae")
CLASS_METRICS = ("accuracy", "auc", "precision", "recall")

FUSED_MAX_BYTES = 256 * 2**20
"""Training data (features and labels of the training part) up to this size is copied
into tensors once and gathered batch by batch (the fast path); bigger data is streamed
through ``tf.data``, so that memory holds it once, not twice."""

CHUNK_SECONDS = 0.1
"""How long one compiled call trains before Python looks at pause and stop requests."""

FIRST_CHUNK = 8
"""Steps of the first chunk of a run, before the speed is known (it includes tracing)."""


# --------------------------------------------------------------------------- configuration


@dataclass
class TrainConfig:
    """Everything that decides how a model is trained; JSON-safe via to_dict/from_dict.

    ``momentum`` applies to ``"sgd"``. ``from_logits=None`` detects it from the model's
    last layer (softmax or sigmoid: probabilities; anything else: logits).
    ``validation`` and ``test`` are the fractions used to split the data.
    ``steps_per_call`` fixes the number of steps per compiled call; ``None`` (the default)
    sizes each call to last about :data:`CHUNK_SECONDS`.
    ``logdir`` (optional) receives TensorBoard logs under ``logdir/<run_name>``; an
    empty ``run_name`` means a time stamp.

    ``outputs`` sets each output of a model trained on named arrays
    (:mod:`tflab.named_data`): ``{name: {"loss": ..., "weight": ..., "metrics": [...]}}``,
    as ``compile(loss={...}, loss_weights={...}, metrics={...})`` does; ``loss`` and
    ``metrics`` above are then not used. An output left out gets the usual loss and
    metrics for its labels and weight 1.
    """

    optimizer: str = "adam"
    learning_rate: float = 0.001
    momentum: float = 0.0
    loss: str = "sparse_categorical_crossentropy"
    from_logits: bool | None = None
    metrics: list[str] = field(default_factory=lambda: ["accuracy"])
    epochs: int = 10
    batch_size: int = 32
    seed: int = 0
    steps_per_call: int | None = None
    validation: float = 0.2
    test: float = 0.1
    shuffle: bool = True
    logdir: str | None = None
    run_name: str = ""
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def validate(self) -> None:
        """Raise :class:`TflabError` naming the first setting that is not valid."""
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _number("learning_rate", self.learning_rate, 0.0, 10.0, low_inclusive=False)
        _number("momentum", self.momentum, 0.0, 1.0, high_inclusive=False)
        _choice("loss", self.loss, LOSSES)
        if self.from_logits not in (None, True, False):
            _invalid("from_logits", self.from_logits, "true, false or null (detect)", "true、false 或 null（自动检测）")
        _metric_list(self.metrics)
        _integer("epochs", self.epochs, 1, 100_000)
        _integer("batch_size", self.batch_size, 1, 1_000_000)
        _integer("seed", self.seed, 0, 2**31 - 1)
        if self.steps_per_call is not None:
            _integer("steps_per_call", self.steps_per_call, 1, 10_000)
        _number("validation", self.validation, 0.0, 1.0, high_inclusive=False)
        _number("test", self.test, 0.0, 1.0, high_inclusive=False)
        if self.validation + self.test >= 1.0:
            _invalid("validation + test", self.validation + self.test, "below 1", "小于 1")
        if not isinstance(self.shuffle, bool):
            _invalid("shuffle", self.shuffle, "true or false", "true 或 false")
        if self.logdir is not None and (not isinstance(self.logdir, str) or not self.logdir.strip()):
            _invalid("logdir", self.logdir, "a folder path or null", "文件夹路径或 null")
        if not _plain_name(self.run_name):
            banned = '/ \\ : * ? " < > |'
            _invalid("run_name", self.run_name, f"a plain name without {banned}", f"不含 {banned} 的名称")
        _output_settings(self.outputs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe copy of the settings."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainConfig:
        """Settings from a dict (e.g. parsed JSON); missing keys keep their defaults.

        Unknown keys and invalid values raise :class:`TflabError`.
        """
        if not isinstance(data, Mapping):
            raise TflabError(
                "Training settings must be a JSON object (key: value pairs).",
                "训练设置必须是一个 JSON 对象（键值对）。",
            )
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise TflabError(
                f"Unknown training setting(s): {', '.join(unknown)}. Known settings: {', '.join(sorted(known))}.",
                f"未知的训练设置：{', '.join(unknown)}。可用的设置：{', '.join(sorted(known))}。",
            )
        values = dict(data)
        if isinstance(values.get("metrics"), (list, tuple)):
            values["metrics"] = list(values["metrics"])
        if isinstance(values.get("outputs"), Mapping):
            values["outputs"] = {
                name: {key: list(v) if key == "metrics" and isinstance(v, (list, tuple)) else v
                       for key, v in settings.items()} if isinstance(settings, Mapping) else settings
                for name, settings in values["outputs"].items()
            }
        config = cls(**values)
        config.validate()
        return config


def _plain_name(name: Any) -> bool:
    """Whether ``name`` can be a folder name on every system (empty: a time stamp is used)."""
    return isinstance(name, str) and not any(c in name for c in '/\\:*?"<>|') and name not in (".", "..")


def _invalid(name: str, value: Any, expected_en: str, expected_zh: str) -> None:
    raise TflabError(
        f"Invalid training setting {name} = {value!r}: expected {expected_en}.",
        f"训练设置 {name} = {value!r} 无效：应为{expected_zh}。",
    )


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        _invalid(name, value, "one of " + ", ".join(choices), "以下之一：" + "、".join(choices))


def _number(
    name: str, value: Any, low: float, high: float, *, low_inclusive: bool = True, high_inclusive: bool = True
) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value >= low if low_inclusive else value > low) and (value <= high if high_inclusive else value < high)
    if not ok:
        left, right = "[" if low_inclusive else "(", "]" if high_inclusive else ")"
        interval = f"{left}{low:g}, {high:g}{right}"
        _invalid(name, value, f"a number in {interval}", f"区间 {interval} 内的数")


def _integer(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _invalid(name, value, f"a whole number from {low} to {high}", f"{low} 到 {high} 之间的整数")


def _metric_list(metrics: Any, name: str = "metrics") -> None:
    if not isinstance(metrics, list) or len(set(map(str, metrics))) != len(metrics) or any(
        m not in METRICS for m in metrics
    ):
        _invalid(
            name, metrics, "a list without repeats drawn from " + ", ".join(METRICS),
            "由以下各项组成且不重复的列表：" + "、".join(METRICS),
        )


OUTPUT_KEYS = ("loss", "weight", "metrics")


def _output_settings(outputs: Any) -> None:
    if not isinstance(outputs, dict) or not all(isinstance(name, str) and name for name in outputs):
        _invalid("outputs", outputs, "an object of output names and their settings", "以输出名称为键的设置对象")
    for name, settings in outputs.items():
        if not isinstance(settings, dict) or set(settings) - set(OUTPUT_KEYS):
            _invalid(f"outputs.{name}", settings, "an object with loss, weight and metrics",
                     "包含 loss、weight 和 metrics 的对象")
        if "loss" in settings:
            _choice(f"outputs.{name}.loss", settings["loss"], LOSSES)
        if "weight" in settings:
            _number(f"outputs.{name}.weight", settings["weight"], 0.0, 1000.0)
        if "metrics" in settings:
            _metric_list(settings["metrics"], f"outputs.{name}.metrics")


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Started:
    """The run began: ``epochs`` epochs of ``steps_per_epoch`` steps; logs go to ``log_dir``.

    ``replicas`` is the number of devices training together (1 unless a strategy spreads
    the batches over several).
    """

    epochs: int
    steps_per_epoch: int
    run_name: str
    log_dir: str | None
    replicas: int = 1


@dataclass(frozen=True)
class Steps:
    """A chunk of steps finished: ``losses`` holds one loss per step of the chunk.

    ``step`` counts the steps done in this epoch, ``global_step`` those done in this run.
    """

    epoch: int
    step: int
    steps_per_epoch: int
    global_step: int
    losses: np.ndarray


@dataclass(frozen=True)
class EpochEnd:
    """An epoch finished: metrics on the training batches and on the validation data."""

    epoch: int
    train: dict[str, float]
    validation: dict[str, float]
    elapsed: float


@dataclass(frozen=True)
class Paused:
    """The run is paused before the next chunk; the generator waits for resume or stop."""

    epoch: int
    step: int


@dataclass(frozen=True)
class Resumed:
    """The run goes on after a pause."""

    epoch: int
    step: int


@dataclass(frozen=True)
class Stopped:
    """The run stopped on request; the model keeps the weights it had reached."""

    epoch: int
    step: int
    global_step: int


@dataclass(frozen=True)
class Finished:
    """All epochs done: the last epoch's metrics and the test metrics (empty without test data)."""

    train: dict[str, float]
    validation: dict[str, float]
    test: dict[str, float]
    elapsed: float


@dataclass(frozen=True)
class Failed:
    """The run ended because of ``error``."""

    error: TflabError


Event = Started | Steps | EpochEnd | Paused | Resumed | Stopped | Finished | Failed


# --------------------------------------------------------------------------- compatibility


def resolve_from_logits(model, config: TrainConfig) -> bool:
    """``config.from_logits``, or detected: outputs are logits unless the last layer is softmax/sigmoid."""
    if config.from_logits is not None:
        return config.from_logits
    return output_activation(model) not in ("softmax", "sigmoid")


def output_shape(model, dataset: Dataset) -> tuple[int, ...]:
    """The shape of one sample's output, found by running the model on two samples.

    Raises :class:`TflabError` when the model cannot take the data.
    """
    keras = tfload.keras()

    _check_inputs(model, dataset)
    try:
        outputs = model(dataset.x[:2], training=False)
    except Exception as err:  # noqa: BLE001 - any Keras/TF failure becomes a user message
        raise TflabError(
            f"The model cannot process this data: {_first_line(err)}",
            f"模型无法处理这些数据：{_first_line(err)}",
            hint_en=f"Check that the first layer takes samples of shape {dataset.input_shape}.",
            hint_zh=f"请检查第一层是否接受形状为 {dataset.input_shape} 的样本。",
        ) from None
    if not keras.ops.is_tensor(outputs):
        need_en, need_zh = expected_arrays(*model_ports(model))
        raise TflabError(
            "The model has several outputs, but the data has one array of labels (y). A model with several "
            f"outputs trains on a .npz file with one array per input and output, named after it: {need_en}.",
            "该模型有多个输出，但数据只有一个标签数组（y）。有多个输出的模型需要用 .npz 文件训练，"
            f"文件中每个输入和输出各有一个以其名称命名的数组：{need_zh}。",
            hint_en="Save the arrays with numpy.savez(path, name_of_input=..., name_of_output=...).",
            hint_zh="请用 numpy.savez(path, 输入名称=..., 输出名称=...) 保存这些数组。",
        )
    return tuple(int(d) for d in outputs.shape[1:])


def suggest_loss(model, dataset: Dataset) -> str:
    """The usual loss for this model and data (``mse`` for regression)."""
    if dataset.task == REGRESSION:
        return "mse"
    shape = output_shape(model, dataset)
    return "binary_crossentropy" if shape in ((), (1,)) else "sparse_categorical_crossentropy"


def suggest_metrics(dataset: Dataset) -> list[str]:
    """The usual metrics: accuracy for classes, mean absolute error for numbers."""
    return ["accuracy"] if dataset.task == CLASSIFICATION else ["mae"]


def check_compatibility(model, dataset: Dataset, config: TrainConfig) -> None:
    """Refuse, with the reason, a model, data set and settings that cannot train together.

    Checks the settings, the input shape, the number of outputs against the classes or
    targets, the loss against the labels, the metrics against the task and the output
    activation against ``from_logits``.
    """
    config.validate()
    if dataset.task == NAMED:
        _check_named(model, dataset, config)
        return
    shape = output_shape(model, dataset)
    targets = math.prod(dataset.y.shape[1:])
    _check_loss_and_outputs(shape, dataset.task, dataset.num_classes, targets, config.loss)
    _check_metrics(dataset.task, config.metrics)
    _check_activation(output_activation(model), shape, dataset.task, config.from_logits)


def _check_named(model, dataset: Dataset, config: TrainConfig) -> None:
    """Named arrays (matched to the model by :func:`tflab.named_data.bind`): each output
    against its labels, loss, metrics and activation."""
    if not dataset.outputs:
        raise TflabError("The named arrays have not been matched to the model's inputs and outputs.",
                         "这些命名数组还没有与模型的输入和输出对应起来。")
    try:
        model({name: array[:2] for name, array in dataset.x.items()}, training=False)
    except Exception as err:  # noqa: BLE001 - any Keras/TF failure becomes a user message
        raise TflabError(f"The model cannot process this data: {_first_line(err)}",
                         f"模型无法处理这些数据：{_first_line(err)}") from None
    for port in model_ports(model)[1]:
        labels, settings = dataset.outputs[port.name], config.outputs.get(port.name, {})
        shape = tuple(d or 1 for d in port.shape)
        try:
            _check_loss_and_outputs(shape, labels.task, labels.num_classes,
                                    math.prod(dataset.y[port.name].shape[1:]), settings.get("loss", ""))
            _check_metrics(labels.task, settings.get("metrics", []))
            _check_activation(port.activation, shape, labels.task, config.from_logits)
        except TflabError as err:
            raise TflabError(f"Output {port.name!r}: {err.en}", f"输出 {port.name!r}：{err.zh}",
                             hint_en=err.hint_en, hint_zh=err.hint_zh) from None


def _check_inputs(model, dataset: Dataset) -> None:
    inputs = getattr(model, "inputs", None) or []
    if len(inputs) > 1:
        need_en, need_zh = expected_arrays(*model_ports(model))
        raise TflabError(
            f"The model has {len(inputs)} inputs, but the data has one array of features (x). A model with "
            f"several inputs trains on a .npz file with one array per input and output, named after it: {need_en}.",
            f"该模型有 {len(inputs)} 个输入，但数据只有一个特征数组（x）。有多个输入的模型需要用 .npz 文件训练，"
            f"文件中每个输入和输出各有一个以其名称命名的数组：{need_zh}。",
            hint_en="Save the arrays with numpy.savez(path, name_of_input=..., name_of_output=...).",
            hint_zh="请用 numpy.savez(path, 输入名称=..., 输出名称=...) 保存这些数组。",
        )
    if not inputs:
        return
    expected = tuple(inputs[0].shape[1:])
    actual = dataset.input_shape
    if len(expected) == len(actual) and all(e is None or e == a for e, a in zip(expected, actual)):
        return
    shown = tuple(e if e is not None else "any" for e in expected)
    if math.prod(actual) == math.prod(d or 0 for d in expected):
        hint_en = f"Add a Reshape (or Flatten) layer, or set the model's Input shape to {actual}."
        hint_zh = f"请添加 Reshape（或 Flatten）层，或把模型的 Input 形状设为 {actual}。"
    else:
        hint_en = f"Set the model's Input shape to {actual}."
        hint_zh = f"请把模型的 Input 形状设为 {actual}。"
    raise TflabError(
        f"The model expects samples of shape {shown}, but the data's samples have shape {actual}.",
        f"模型需要形状为 {shown} 的样本，但数据中的样本形状是 {actual}。",
        hint_en=hint_en,
        hint_zh=hint_zh,
    )


def _check_loss_and_outputs(shape: tuple[int, ...], task: str, num_classes: int, targets: int, loss: str) -> None:
    if len(shape) > 1:
        raise TflabError(
            f"The model gives an output of shape {shape} per sample; it should give one vector.",
            f"模型对每个样本输出形状为 {shape} 的结果；应当输出一个向量。",
            hint_en="Add a Flatten layer before the last Dense layer.",
            hint_zh="请在最后一个全连接层（Dense）之前添加 Flatten 层。",
        )
    units = shape[0] if shape else 1
    if task == CLASSIFICATION:
        _check_classifier(units, num_classes, loss)
        return
    if loss in CLASSIFICATION_LOSSES:
        raise TflabError(
            f"The labels are numbers to predict (regression), but {loss} is a loss for classes.",
            f"标签是要预测的数值（回归），但 {loss} 是用于分类的损失函数。",
            hint_en="Use mse, mae or huber.",
            hint_zh="请使用 mse、mae 或 huber。",
        )
    if units != targets:
        raise TflabError(
            f"The last layer has {units} outputs, but each sample has {targets} target value(s).",
            f"最后一层有 {units} 个输出，但每个样本有 {targets} 个目标值。",
            hint_en=f"Set the units of the last Dense layer to {targets}.",
            hint_zh=f"请把最后一个全连接层（Dense）的 units 设为 {targets}。",
        )


def _check_classifier(units: int, classes: int, loss: str) -> None:
    if loss not in CLASSIFICATION_LOSSES:
        raise TflabError(
            f"The data has {classes} classes, but {loss} is a loss for predicting numbers.",
            f"数据有 {classes} 个类别，但 {loss} 是用于预测数值的损失函数。",
            hint_en="Use sparse_categorical_crossentropy (or binary_crossentropy for two classes).",
            hint_zh="请使用 sparse_categorical_crossentropy（两个类别时也可用 binary_crossentropy）。",
        )
    if loss == "binary_crossentropy":
        if classes != 2:
            raise TflabError(
                f"binary_crossentropy is for two classes, but the data has {classes}.",
                f"binary_crossentropy 只适用于两个类别，但数据有 {classes} 个类别。",
                hint_en=f"Use sparse_categorical_crossentropy with {classes} output units.",
                hint_zh=f"请使用 sparse_categorical_crossentropy，并设置 {classes} 个输出单元。",
            )
        if units != 1:
            raise TflabError(
                "binary_crossentropy needs 1 output unit (the probability of class 1), "
                f"but the last layer has {units}.",
                f"binary_crossentropy 需要 1 个输出单元（类别 1 的概率），但最后一层有 {units} 个。",
                hint_en="Set the units of the last Dense layer to 1, or use sparse_categorical_crossentropy.",
                hint_zh="请把最后一个全连接层（Dense）的 units 设为 1，或改用 sparse_categorical_crossentropy。",
            )
    elif units != classes:
        raise TflabError(
            f"The last layer has {units} output unit(s), but the data has {classes} classes.",
            f"最后一层有 {units} 个输出单元，但数据有 {classes} 个类别。",
            hint_en=f"Set the units of the last Dense layer to {classes} (one per class).",
            hint_zh=f"请把最后一个全连接层（Dense）的 units 设为 {classes}（每个类别一个）。",
        )


def _check_metrics(task: str, metrics: list[str]) -> None:
    if task == CLASSIFICATION and "mae" in metrics:
        raise TflabError(
            "The mae metric measures errors of predicted numbers; this data has classes.",
            "mae 评估指标衡量预测数值的误差；而这些数据是类别。",
            hint_en="Use accuracy, auc, precision or recall.",
            hint_zh="请使用 accuracy、auc、precision 或 recall。",
        )
    wrong = [m for m in metrics if m in CLASS_METRICS]
    if task == REGRESSION and wrong:
        raise TflabError(
            f"The metric(s) {', '.join(wrong)} need classes; this data has numbers to predict.",
            f"评估指标 {', '.join(wrong)} 需要类别；而这些数据是要预测的数值。",
            hint_en="Use the mae metric.",
            hint_zh="请使用 mae 评估指标。",
        )


def _check_activation(activation: str | None, shape: tuple[int, ...], task: str, from_logits: bool | None) -> None:
    if task != CLASSIFICATION:
        return
    if activation == "softmax" and shape in ((), (1,)):
        raise TflabError(
            "The last layer applies softmax to a single output, which is always 1: the model cannot learn.",
            "最后一层对单个输出使用 softmax，结果永远是 1：模型无法学习。",
            hint_en="Use the sigmoid activation for one output unit.",
            hint_zh="单个输出单元请使用 sigmoid 激活函数。",
        )
    if from_logits is True and activation in ("softmax", "sigmoid"):
        raise TflabError(
            f"from_logits is true, but the last layer already applies {activation}: it would be applied twice.",
            f"from_logits 为 true，但最后一层已经使用了 {activation}：它会被应用两次。",
            hint_en="Set from_logits to automatic (null) or false.",
            hint_zh="请把 from_logits 设为自动（null）或 false。",
        )
    if from_logits is False and activation not in ("softmax", "sigmoid"):
        raise TflabError(
            "from_logits is false, but the last layer gives raw scores (no softmax or sigmoid).",
            "from_logits 为 false，但最后一层输出的是原始分数（没有 softmax 或 sigmoid）。",
            hint_en="Set from_logits to automatic (null) or true, or give the last layer a softmax activation.",
            hint_zh="请把 from_logits 设为自动（null）或 true，或者给最后一层加上 softmax 激活函数。",
        )


def _first_line(err: BaseException, limit: int = 300) -> str:
    text = str(err).strip().splitlines()
    line = text[0] if text else type(err).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --------------------------------------------------------------------------- the trainer


class Trainer:
    """Trains ``model`` on ``splits`` as ``config`` says; see the module documentation.

    Each :meth:`run` trains ``config.epochs`` epochs, continuing from the weights the
    model has; :meth:`reset_weights` goes back to the weights it had when the trainer
    was made (and a fresh optimizer state). Each run first seeds TensorFlow's global
    random generator with ``config.seed``, so the shuffled order of the batches -- and
    hence a run after a reset -- repeats exactly. Only one run may be in progress at a
    time; :meth:`reset_weights` and :meth:`evaluate` are refused while one is. A paused
    run waits until :meth:`resume` or :meth:`request_stop`: whoever pauses must call one
    of them, or the thread consuming the events keeps waiting.

    ``strategy`` (a ``tf.distribute.Strategy``; ``None``: the default one) spreads each
    batch over its replicas; the model must have been built in ``strategy.scope()``.
    """

    def __init__(self, model, splits: Splits, config: TrainConfig, strategy=None):
        tf = tfload.tensorflow()

        check_compatibility(model, splits.dataset, config)
        self.model = model
        self.splits = splits
        self.config = config
        self.strategy = strategy if strategy is not None else tf.distribute.get_strategy()
        self.replicas = int(self.strategy.num_replicas_in_sync)
        if strategy is not None:
            _check_built_in_scope(model, self.strategy)
        self.from_logits = resolve_from_logits(model, config)
        self.steps_per_epoch = math.ceil(len(splits.train) / config.batch_size)
        train = splits.train
        self.fused = (strategy is None and not ondisk.on_disk(train.x)
                      and _nbytes(train.x) + _nbytes(train.y) <= FUSED_MAX_BYTES)
        if splits.dataset.task == NAMED:
            self._objective = _Outputs(model, splits.dataset, config)
        else:
            self._objective = _Objective(config, splits.dataset.num_classes, self.from_logits)
        with self.strategy.scope():
            self._optimizer = _make_optimizer(config)
            self._optimizer.build(model.trainable_variables)
            self._train_metrics = self._objective.metrics(training=True)
        self._eval_metrics = self._objective.metrics(training=False)
        self._initial_model = [v.numpy() for v in model.variables]
        self._initial_optimizer = [v.numpy() for v in self._optimizer.variables]
        if self.fused:
            self._x = tf.nest.map_structure(tf.constant, train.x)
            self._y = tf.nest.map_structure(tf.constant, train.y)
            self._train_fn = tf.function(self._fused_steps)
        else:
            self._train_fn = tf.function(self._pipeline_steps)
        self._eval_fn = tf.function(self._eval_steps)
        self._stop = threading.Event()
        self._go = threading.Event()
        self._go.set()
        self._run_lock = threading.Lock()

    # ----- control, safe from any thread

    def request_stop(self) -> None:
        """Stop the run before its next chunk of steps (wakes a paused run)."""
        self._stop.set()
        self._go.set()

    def request_pause(self) -> None:
        """Pause the run before its next chunk; the generator then blocks until resume or stop."""
        self._go.clear()

    def resume(self) -> None:
        """Let a paused run go on."""
        self._go.set()

    @property
    def running(self) -> bool:
        """Whether a run is in progress."""
        return self._run_lock.locked()

    # ----- state

    def reset_weights(self) -> None:
        """Restore the model's weights as they were when the trainer was made, and a fresh optimizer."""
        self._refuse_while_running()
        for variable, value in zip(self.model.variables, self._initial_model):
            variable.assign(value)
        for variable, value in zip(self._optimizer.variables, self._initial_optimizer):
            variable.assign(value)

    def evaluate(self, split: str = "test") -> dict[str, float]:
        """Loss and metrics of the model on the ``"train"``, ``"validation"`` or ``"test"`` part."""
        self._refuse_while_running()
        part = self.splits.part(split)
        if len(part) == 0:
            raise TflabError(
                f"There is no {split} data to evaluate on (its fraction is 0).",
                f"没有可用于评估的 {split} 数据（其比例为 0）。",
            )
        return self._evaluate(part)

    @property
    def output_from_logits(self) -> dict[str, bool]:
        """For named arrays, whether each output gives logits (by output name); else empty."""
        heads = getattr(self._objective, "heads", [])
        return {head.name: head.labels.from_logits for head in heads}

    def pipeline_code(self) -> str:
        """The source of the ``tf.data`` pipeline that feeds the training batches."""
        return pipeline_code(self.config.batch_size, self.config.shuffle, self.config.seed)

    # ----- the run

    def run(self) -> Iterator[Event]:
        """Train ``config.epochs`` epochs, yielding events; clears earlier stop and pause requests."""
        self._stop.clear()
        self._go.set()
        return self._events()

    def _events(self) -> Iterator[Event]:
        if not self._run_lock.acquire(blocking=False):
            yield Failed(_already_running())
            return
        logs = None
        try:
            logs = _Logs.open(self.config, bool(len(self.splits.validation)))
            yield from self._epochs(logs)
        except TflabError as err:
            yield Failed(err)
        except Exception as err:  # noqa: BLE001 - a run never ends in a traceback
            yield Failed(_training_error(err))
        finally:
            if logs is not None:
                logs.close()
            self._run_lock.release()

    def _epochs(self, logs: _Logs | None) -> Iterator[Event]:
        tf = tfload.tensorflow()

        config = self.config
        tf.random.set_seed(config.seed)
        batches = self._batches()
        yield Started(config.epochs, self.steps_per_epoch, logs.run_name if logs else "",
                      logs.run_dir if logs else None, self.replicas)
        clock = _Clock()
        chunks = _ChunkSizer(config.steps_per_call)
        global_step = 0
        train_results: dict[str, float] = {}
        val_results: dict[str, float] = {}
        for epoch in range(1, config.epochs + 1):
            epoch_start = clock.now()
            self._train_metrics.reset()
            tally = _Tally(len(self.splits.train), config.batch_size)
            source = next(batches)
            step = 0
            while step < self.steps_per_epoch:
                if not self._go.is_set():
                    yield Paused(epoch, step)
                    clock.wait(self._go)
                    if not self._stop.is_set():
                        yield Resumed(epoch, step)
                if self._stop.is_set():
                    yield Stopped(epoch, step, global_step)
                    return
                count = chunks.next(self.steps_per_epoch - step)
                began = time.perf_counter()
                losses, correct = self._train_chunk(source, step, count)
                chunks.took(count, time.perf_counter() - began)
                bad = np.flatnonzero(~np.isfinite(losses))
                if bad.size:
                    yield Failed(_diverged(epoch, step + int(bad[0]) + 1, losses[bad[0]], config))
                    return
                tally.add(step, losses, correct)
                if logs:
                    logs.step_losses(global_step, losses)
                step += count
                global_step += count
                yield Steps(epoch, step, self.steps_per_epoch, global_step, losses)
            train_results = {**tally.results(self._objective.count_accuracy), **self._train_metrics.results()}
            val_results = self._evaluate(self.splits.validation) if len(self.splits.validation) else {}
            if logs:
                logs.epoch(epoch, train_results, val_results)
            yield EpochEnd(epoch, train_results, val_results, clock.now() - epoch_start)
        test_results = self._evaluate(self.splits.test) if len(self.splits.test) else {}
        yield Finished(train_results, val_results, test_results, clock.now())

    def _batches(self) -> Iterator[Any]:
        """Each epoch's source of batches: the order of the samples (fused path) or an
        iterator over the (distributed) ``tf.data`` pipeline. Made after seeding, so the
        order repeats from run to run."""
        tf = tfload.tensorflow()

        config, train = self.config, self.splits.train
        if not self.fused:
            data = make_pipeline(train.x, train.y, config.batch_size, config.shuffle, config.seed)
            data = self.strategy.experimental_distribute_dataset(data)
            while True:
                yield iter(data)
        if not config.shuffle:
            order = tf.range(len(train), dtype=tf.int32)
            while True:
                yield order
        # The same order as the pipeline's ``shuffle`` with this seed (checked by the tests).
        orders = iter(make_order_pipeline(len(train), config.seed))
        while True:
            yield tf.cast(next(orders), tf.int32)

    def _train_chunk(self, source, step: int, count: int) -> tuple[np.ndarray, int]:
        tf = tfload.tensorflow()

        if self.fused:
            losses, correct = self._train_fn(source, tf.constant(step, tf.int32), tf.constant(count, tf.int32))
        else:
            losses, correct = self._train_fn(source, tf.constant(count, tf.int32))
        return losses.numpy(), int(correct)

    # ----- compiled parts (traced once per trainer)

    def _fused_steps(self, order, start, steps):
        """Run ``steps`` training steps from step ``start`` of an epoch whose samples come
        in ``order``; return each step's loss and the correct predictions."""
        tf = tfload.tensorflow()

        size = self.config.batch_size
        n = len(self.splits.train)  # a Python number: a dynamic one made the loop 12% slower
        losses = tf.TensorArray(tf.float32, size=steps)
        correct = tf.zeros((), tf.int32)
        for i in tf.range(steps):
            first = (start + i) * size
            batch = order[first:tf.minimum(first + size, n)]
            loss, right = self._train_step(_gather(self._x, batch), _gather(self._y, batch))
            losses = losses.write(i, loss)
            correct += right
        return losses.stack(), correct

    def _pipeline_steps(self, iterator, steps):
        """Run ``steps`` training steps on batches from the (distributed) ``iterator``."""
        tf = tfload.tensorflow()

        strategy = self.strategy
        total = tf.distribute.ReduceOp.SUM
        losses = tf.TensorArray(tf.float32, size=steps)
        correct = tf.zeros((), tf.int32)
        for i in tf.range(steps):
            x, y = next(iterator)
            loss, right = strategy.run(self._train_step, args=(x, y))
            losses = losses.write(i, strategy.reduce(total, loss, axis=None))
            correct += strategy.reduce(total, right, axis=None)
        return losses.stack(), correct

    def _train_step(self, x, y):
        tf = tfload.tensorflow()

        variables = self.model.trainable_variables
        with tf.GradientTape() as tape:
            outputs = self.model(x, training=True)
            loss, parts = self._total_loss(y, outputs, self.replicas)
        gradients = tape.gradient(loss, variables)
        self._optimizer.apply_gradients(zip(gradients, variables))
        self._train_metrics.update(y, outputs, loss, _batch_size(x), parts)
        right = self._objective.correct(y, outputs) if self._objective.count_accuracy else tf.zeros((), tf.int32)
        return tf.cast(loss, tf.float32), right

    def _eval_steps(self, iterator, steps):
        """Accumulate the evaluation metrics over ``steps`` batches from ``iterator``."""
        tf = tfload.tensorflow()

        for _ in tf.range(steps):
            x, y = next(iterator)
            outputs = self.model(x, training=False)
            loss, parts = self._total_loss(y, outputs)
            self._eval_metrics.update(y, outputs, loss, _batch_size(x), parts)

    def _total_loss(self, y, outputs, replicas: int = 1):
        """The loss and any regularization, and each output's loss (``None`` for one
        output). On one of several replicas, both are divided by their number, because the
        optimizer sums the replicas' gradients: Keras's loss does so itself inside
        ``strategy.run``, the regularization is divided here."""
        tf = tfload.tensorflow()

        loss, parts = self._objective.loss(y, outputs)
        if self.model.losses:
            extra = tf.add_n([tf.cast(extra, loss.dtype) for extra in self.model.losses])
            loss = loss + (extra / replicas if replicas > 1 else extra)
        return loss, parts

    def _evaluate(self, part: Subset) -> dict[str, float]:
        tf = tfload.tensorflow()

        self._eval_metrics.reset()
        data = make_pipeline(part.x, part.y, self.config.batch_size, shuffle=False)
        self._eval_fn(iter(data), tf.constant(math.ceil(len(part) / self.config.batch_size), tf.int32))
        return self._eval_metrics.results()

    def _refuse_while_running(self) -> None:
        if self.running:
            raise _already_running()


def _nbytes(data) -> int:
    return sum(array.nbytes for array in data.values()) if isinstance(data, dict) else data.nbytes


def _gather(data, rows):
    tf = tfload.tensorflow()

    return tf.nest.map_structure(lambda tensor: tf.gather(tensor, rows), data)


def _batch_size(x):
    tf = tfload.tensorflow()

    return tf.shape(tf.nest.flatten(x)[0])[0]


def _check_built_in_scope(model, strategy) -> None:
    # A Keras variable wraps TensorFlow's, which knows the strategy it was made under.
    if not all(strategy.extended.variable_created_in_scope(getattr(v, "value", v)) for v in model.variables):
        raise TflabError(
            "The model was built outside the training strategy's scope, so its weights cannot "
            "be shared between the devices.",
            "模型不是在训练策略（strategy）的作用域内构建的，其权重无法在各设备之间共享。",
            hint_en="Build the model inside `with strategy.scope():`.",
            hint_zh="请在 `with strategy.scope():` 中构建模型。",
        )


class _ChunkSizer:
    """How many steps the next compiled call runs: ``fixed`` if given, else enough for
    about :data:`CHUNK_SECONDS` at the speed of the last chunk."""

    def __init__(self, fixed: int | None):
        self._fixed = fixed
        self._rate: float | None = None

    def next(self, remaining: int) -> int:
        if self._fixed is not None:
            wanted = self._fixed
        elif self._rate is None:
            wanted = FIRST_CHUNK
        else:
            wanted = int(self._rate * CHUNK_SECONDS)
        return max(1, min(remaining, wanted))

    def took(self, steps: int, seconds: float) -> None:
        self._rate = steps / max(seconds, 1e-6)


class _Tally:
    """The mean loss (weighted by batch size, as Keras's ``Mean``) and the accuracy of one
    epoch's training batches, counted from what each chunk returns."""

    def __init__(self, samples: int, batch_size: int):
        self._samples, self._batch = samples, batch_size
        self._loss = 0.0
        self._seen = 0
        self._correct = 0

    def add(self, first_step: int, losses: np.ndarray, correct: int) -> None:
        starts = (first_step + np.arange(len(losses))) * self._batch
        sizes = np.minimum(self._batch, self._samples - starts)
        self._loss += float(np.dot(losses.astype(np.float64), sizes))
        self._seen += int(sizes.sum())
        self._correct += correct

    def results(self, accuracy: bool) -> dict[str, float]:
        seen = max(self._seen, 1)
        values = {"loss": self._loss / seen}
        if accuracy:
            values["accuracy"] = self._correct / seen
        return values


class _Labels:
    """How labels and outputs are shaped for the loss and for each metric."""

    def __init__(self, loss: str, num_classes: int, from_logits: bool):
        self.loss = loss
        self.num_classes = num_classes
        self.from_logits = from_logits

    def for_loss(self, y):
        """Labels as the loss wants them: indices, one-hot, a 0/1 column or target rows."""
        tf = tfload.tensorflow()

        if self.loss == "sparse_categorical_crossentropy":
            return y
        if self.loss == "categorical_crossentropy":
            return tf.one_hot(y, self.num_classes)
        return tf.reshape(tf.cast(y, tf.float32), (tf.shape(y)[0], -1))

    def dense(self, y):
        """Labels in the same layout as the outputs (one-hot for several classes)."""
        tf = tfload.tensorflow()

        if self.loss in ("sparse_categorical_crossentropy", "categorical_crossentropy"):
            return tf.one_hot(y, self.num_classes)
        return tf.reshape(tf.cast(y, tf.float32), (tf.shape(y)[0], -1))

    def probabilities(self, outputs):
        """Outputs as probabilities (softmax or sigmoid applied when they are logits)."""
        tf = tfload.tensorflow()

        if not self.from_logits or self.loss not in CLASSIFICATION_LOSSES:
            return outputs
        return tf.sigmoid(outputs) if self.loss == "binary_crossentropy" else tf.nn.softmax(outputs)

    def correct(self, y, outputs):
        """How many of the batch's predictions are right (``int32``), as Keras's accuracy
        metrics judge them: the highest score for classes, above 0.5 (logit above 0) for two."""
        tf = tfload.tensorflow()

        if self.loss == "binary_crossentropy":
            threshold = 0.0 if self.from_logits else 0.5
            predicted = tf.cast(tf.reshape(outputs, [-1]) > threshold, y.dtype)
        else:
            predicted = tf.argmax(outputs, axis=-1, output_type=y.dtype)
        return tf.reduce_sum(tf.cast(tf.equal(predicted, tf.reshape(y, [-1])), tf.int32))


class _Objective:
    """The loss, the count of right answers and the metrics of a model with one output."""

    def __init__(self, config: TrainConfig, num_classes: int, from_logits: bool):
        self.labels = _Labels(config.loss, num_classes, from_logits)
        self.count_accuracy = "accuracy" in config.metrics
        self._names = list(config.metrics)
        self._loss = _make_loss(config.loss, from_logits)

    def loss(self, y, outputs):
        return self._loss(self.labels.for_loss(y), outputs), None

    def correct(self, y, outputs):
        return self.labels.correct(y, outputs)

    def metrics(self, training: bool) -> _MetricSet:
        """Training: the metrics other than the loss and accuracy (those are counted by
        the compiled steps); evaluation: the loss and every metric."""
        if training:
            return _MetricSet([m for m in self._names if m != "accuracy"], self.labels, loss=False)
        return _MetricSet(self._names, self.labels)


class _Outputs:
    """The losses and metrics of a model trained on named arrays: one loss per output,
    weighted and summed, and metrics per output, reported as ``<output>_<name>`` beside
    the total ``loss``, as Keras's ``fit`` reports them."""

    count_accuracy = False

    def __init__(self, model, dataset: Dataset, config: TrainConfig):
        from tflab.named_data import suggest_output_loss, suggest_output_metrics

        self.heads = []
        for index, port in enumerate(model_ports(model)[1]):
            labels = dataset.outputs[port.name]
            settings = config.outputs.get(port.name, {})
            loss = settings.get("loss") or suggest_output_loss(labels, port.units)
            from_logits = (config.from_logits if config.from_logits is not None
                           else output_activation(model, index) not in ("softmax", "sigmoid"))
            self.heads.append(_Head(port.name, _Labels(loss, labels.num_classes, from_logits),
                                    _make_loss(loss, from_logits), float(settings.get("weight", 1.0)),
                                    list(settings.get("metrics", suggest_output_metrics(labels)))))

    def by_name(self, outputs) -> dict:
        if isinstance(outputs, dict):
            return outputs
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        return {head.name: output for head, output in zip(self.heads, outputs)}

    def loss(self, y, outputs):
        outputs = self.by_name(outputs)
        parts = [head.loss(head.labels.for_loss(y[head.name]), outputs[head.name]) for head in self.heads]
        total = parts[0] * self.heads[0].weight
        for head, part in zip(self.heads[1:], parts[1:]):
            total = total + part * head.weight
        return total, parts

    def correct(self, y, outputs):
        tf = tfload.tensorflow()

        return tf.zeros((), tf.int32)

    def metrics(self, training: bool) -> _OutputMetrics:
        """Training: each output's loss and metrics (the total loss is counted by the
        compiled steps); evaluation: the total loss too."""
        return _OutputMetrics(self, total=not training)


@dataclass
class _Head:
    name: str
    labels: _Labels
    loss: Any
    weight: float
    metric_names: list[str]


class _OutputMetrics:
    """Per output: a loss mean and the chosen metrics (``<output>_loss``, ``<output>_accuracy``...)."""

    def __init__(self, outputs: _Outputs, total: bool):
        keras = tfload.keras()

        self._outputs = outputs
        self.total = keras.metrics.Mean(name="loss") if total else None
        self.sets = {head.name: _MetricSet(head.metric_names, head.labels) for head in outputs.heads}

    def update(self, y, outputs, loss, batch_size, parts=None) -> None:
        if self.total is not None:
            self.total.update_state(loss, sample_weight=batch_size)
        outputs = self._outputs.by_name(outputs)
        for head, part in zip(self._outputs.heads, parts):
            self.sets[head.name].update(y[head.name], outputs[head.name], part, batch_size)

    def reset(self) -> None:
        if self.total is not None:
            self.total.reset_state()
        for metrics in self.sets.values():
            metrics.reset()

    def results(self) -> dict[str, float]:
        values = {"loss": float(self.total.result())} if self.total is not None else {}
        for name, metrics in self.sets.items():
            values.update({f"{name}_{key}": value for key, value in metrics.results().items()})
        return values


class _MetricSet:
    """A loss mean (unless ``loss`` is false) and the chosen Keras metrics, each fed the
    labels it expects."""

    def __init__(self, names: list[str], labels: _Labels, *, loss: bool = True):
        keras = tfload.keras()

        self._labels = labels
        self.loss = keras.metrics.Mean(name="loss") if loss else None
        self.metrics = {name: _make_metric(name, labels.loss) for name in names}

    def update(self, y, outputs, loss, batch_size, parts=None) -> None:
        if self.loss is not None:
            self.loss.update_state(loss, sample_weight=batch_size)
        if not self.metrics:
            return
        probabilities = self._labels.probabilities(outputs)
        dense = self._labels.dense(y)
        for name, metric in self.metrics.items():
            if name == "mae":
                metric.update_state(dense, outputs)
            elif name == "accuracy" and self._labels.loss == "sparse_categorical_crossentropy":
                metric.update_state(y, probabilities)
            else:
                metric.update_state(dense, probabilities)

    def reset(self) -> None:
        if self.loss is not None:
            self.loss.reset_state()
        for metric in self.metrics.values():
            metric.reset_state()

    def results(self) -> dict[str, float]:
        values = {"loss": float(self.loss.result())} if self.loss is not None else {}
        values.update({name: float(metric.result()) for name, metric in self.metrics.items()})
        return values


def _make_metric(name: str, loss: str):
    keras = tfload.keras()

    if name == "accuracy":
        kinds = {
            "sparse_categorical_crossentropy": keras.metrics.SparseCategoricalAccuracy,
            "categorical_crossentropy": keras.metrics.CategoricalAccuracy,
            "binary_crossentropy": keras.metrics.BinaryAccuracy,
        }
        return kinds[loss](name=name)
    return {
        "auc": keras.metrics.AUC,
        "precision": keras.metrics.Precision,
        "recall": keras.metrics.Recall,
        "mae": keras.metrics.MeanAbsoluteError,
    }[name](name=name)


def _make_loss(loss: str, from_logits: bool):
    keras = tfload.keras()

    if loss in CLASSIFICATION_LOSSES:
        kinds = {
            "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
            "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
            "binary_crossentropy": keras.losses.BinaryCrossentropy,
        }
        return kinds[loss](from_logits=from_logits)
    return {"mse": keras.losses.MeanSquaredError, "mae": keras.losses.MeanAbsoluteError, "huber": keras.losses.Huber}[
        loss
    ]()


def _make_optimizer(config: TrainConfig):
    keras = tfload.keras()

    rate = config.learning_rate
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=rate, momentum=config.momentum)
    kinds = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop, "adagrad": keras.optimizers.Adagrad}
    return kinds[config.optimizer](learning_rate=rate)


class _Clock:
    """Seconds since the run started, not counting time spent paused."""

    def __init__(self):
        self._start = time.perf_counter()
        self._paused = 0.0

    def now(self) -> float:
        return time.perf_counter() - self._start - self._paused

    def wait(self, event: threading.Event) -> None:
        """Block until ``event`` is set (no busy waiting); the time waited does not count."""
        began = time.perf_counter()
        event.wait()
        self._paused += time.perf_counter() - began


class _Logs:
    """TensorBoard summaries of one run: ``<logdir>/<run>/train`` and ``.../validation``."""

    def __init__(self, run_dir: Path, train, validation):
        self.run_dir = str(run_dir)
        self.run_name = run_dir.name
        self._train = train
        self._validation = validation
        self._write_losses = _loss_writer(train)

    @classmethod
    def open(cls, config: TrainConfig, with_validation: bool) -> _Logs | None:
        """Writers for a new run folder, or ``None`` when ``config.logdir`` is not set."""
        tf = tfload.tensorflow()

        if not config.logdir:
            return None
        root = Path(config.logdir).expanduser()
        base = config.run_name or datetime.now().strftime("%Y%m%d-%H%M%S")
        run_dir, number = root / base, 1
        while run_dir.exists():
            number += 1
            run_dir = root / f"{base}-{number}"
        try:
            run_dir.mkdir(parents=True)
            train = tf.summary.create_file_writer(str(run_dir / "train"))
            validation = tf.summary.create_file_writer(str(run_dir / "validation")) if with_validation else None
        except (OSError, tf.errors.OpError) as err:
            raise TflabError(
                f"Cannot write training logs to {str(root)!r}: {_first_line(err)}",
                f"无法把训练日志写入 {str(root)!r}：{_first_line(err)}",
                hint_en="Choose a log folder you can write to.",
                hint_zh="请选择一个有写入权限的日志文件夹。",
            ) from None
        return cls(run_dir, train, validation)

    def step_losses(self, done: int, losses: np.ndarray) -> None:
        """Log each step's loss as ``batch_loss`` at its step number (1-based)."""
        self._write_losses(losses, np.int64(done + 1))

    def epoch(self, epoch: int, train: dict[str, float], validation: dict[str, float]) -> None:
        """Log the epoch's loss and metrics as ``epoch_<name>`` for train and validation."""
        tf = tfload.tensorflow()

        for writer, values in ((self._train, train), (self._validation, validation)):
            if writer is None:
                continue
            with writer.as_default():
                for name, value in values.items():
                    tf.summary.scalar(f"epoch_{name}", value, step=epoch)
            writer.flush()

    def close(self) -> None:
        for writer in (self._train, self._validation):
            if writer is not None:
                writer.close()


def _loss_writer(writer):
    """A compiled function logging a chunk's losses to ``writer`` (one call per chunk, not per step)."""
    tf = tfload.tensorflow()

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int64)])
    def write(losses, first_step):
        with writer.as_default():
            for i in tf.range(tf.size(losses, out_type=tf.int64)):
                with tf.name_scope(""):  # the top scope: the tag stays "batch_loss", not "while/batch_loss"
                    tf.summary.scalar("batch_loss", losses[i], step=first_step + i)

    return write


def _diverged(epoch: int, step: int, loss: float, config: TrainConfig) -> TflabError:
    what = "NaN (not a number)" if math.isnan(loss) else "infinite"
    what_zh = "NaN（不是数字）" if math.isnan(loss) else "无穷大"
    lower = f"{config.learning_rate / 10:g}"
    return TflabError(
        f"Training stopped at epoch {epoch}, step {step}: the loss became {what}. "
        "The weights grew out of control (the training diverged).",
        f"训练在第 {epoch} 轮第 {step} 步停止：损失变成了{what_zh}。权重失控地增大（训练发散）。",
        hint_en=f"Lower the learning rate (for example to {lower}), reset the weights and train again.",
        hint_zh=f"请降低学习率（例如改为 {lower}），重置权重后再训练。",
    )


def _already_running() -> TflabError:
    return TflabError(
        "Training is in progress: stop it first.",
        "正在训练中：请先停止训练。",
    )


def _training_error(err: Exception) -> TflabError:
    tf = tfload.tensorflow()

    if isinstance(err, (tf.errors.ResourceExhaustedError, MemoryError)):
        return TflabError(
            "Training ran out of memory.",
            "训练时内存不足。",
            hint_en="Use a smaller batch size or a smaller model.",
            hint_zh="请减小批大小（batch size）或使用更小的模型。",
        )
    return TflabError(
        f"Training failed: {_first_line(err)}",
        f"训练失败：{_first_line(err)}",
        hint_en="Check that the model's last layer and the loss fit the labels.",
        hint_zh="请检查模型的最后一层和损失函数是否与标签匹配。",
    )
