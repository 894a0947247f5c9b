"""Named arrays matched to a model with several inputs or outputs, as Keras does with dicts.

A model with several inputs (or outputs) trains on an NPZ file holding one array per
input and one per output, each named after it: ``numpy.savez(path, image=..., meta=...,
digit=..., score=...)`` for inputs ``image`` and ``meta`` and outputs ``digit`` and
``score``. That is Keras's own convention: ``model.fit({"image": ..., "meta": ...},
{"digit": ..., "score": ...})``. :func:`load_npz <tflab.datasets.load_npz>` reads such
a file as a data set of task :data:`~tflab.datasets.NAMED`; :func:`bind` matches it to a
model before any training, and says in words which arrays were expected and found when
they do not match. Each output's labels are classes or numbers to predict
(:func:`output_labels`), so each output gets its own loss and metrics.

:func:`expected_arrays` and :func:`matches` need only the names and shapes (no TensorFlow): the
data panel shows with them which array feeds which input while the model is being edited.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from tflab import tfload
from tflab.datasets import CLASSIFICATION, NAMED, REGRESSION, Dataset, OutputLabels
from tflab.messages import TflabError


@dataclass(frozen=True)
class Port:
    """One input or output of a model: its name and the shape of one sample (``None``: any size)."""

    name: str
    shape: tuple[int | None, ...]
    activation: str | None = None

    @property
    def units(self) -> int:
        """Values per sample (a dimension of any size counted as 1)."""
        return math.prod(d or 1 for d in self.shape)


@dataclass(frozen=True)
class Match:
    """How the arrays of a data set meet a model's inputs and outputs, by name."""

    inputs: dict[str, str | None]
    """Each input's name -> the array that feeds it (``None``: no array of that name)."""
    outputs: dict[str, str | None]
    """Each output's name -> the array of its labels (``None``: none)."""
    unused: tuple[str, ...]
    """Arrays that match no input or output (they are left out)."""

    @property
    def complete(self) -> bool:
        return None not in self.inputs.values() and None not in self.outputs.values()


def output_activation(model, index: int = 0) -> str | None:
    """The name of the activation the model's output layer (output ``index``) applies
    (``None`` if unknown)."""
    keras = tfload.keras()

    outputs = getattr(model, "outputs", None)
    history = getattr(outputs[index], "_keras_history", None) if outputs else None
    layer = history.operation if history is not None else (model.layers[-1] if model.layers else None)
    if isinstance(layer, keras.layers.Softmax):
        return "softmax"
    return getattr(getattr(layer, "activation", None), "__name__", None)


def model_ports(model) -> tuple[list[Port], list[Port]]:
    """The inputs and outputs of a built Keras model, as :class:`Port` s."""
    inputs = [Port(str(tensor.name), tuple(tensor.shape[1:])) for tensor in model.inputs]
    names = list(getattr(model, "output_names", None) or [])
    outputs = []
    for index, tensor in enumerate(model.outputs):
        name = names[index] if index < len(names) else f"output_{index}"
        outputs.append(Port(str(name), tuple(tensor.shape[1:]), output_activation(model, index)))
    return inputs, outputs


def graph_ports(graph) -> tuple[list[Port], list[Port]]:
    """The inputs and outputs of a :class:`~tflab.graph.ModelGraph` as the built model
    names them (an output is named after its layer), without building it. Output shapes
    are not known here: they are left empty."""
    inputs = [Port(node.name, tuple(node.shape)) for node in graph.inputs]
    outputs = []
    for ref in graph.effective_outputs():
        call = graph.calls.get(ref.node)
        name = call.layer if call is not None else next((n.name for n in graph.inputs if n.id == ref.node), ref.node)
        outputs.append(Port(name, ()))
    return inputs, outputs


def matches(arrays: dict[str, np.ndarray], inputs: list[Port], outputs: list[Port]) -> Match:
    """Which array goes where (names compared exactly)."""
    used = {port.name for port in inputs + outputs}
    return Match(
        inputs={port.name: port.name if port.name in arrays else None for port in inputs},
        outputs={port.name: port.name if port.name in arrays else None for port in outputs},
        unused=tuple(sorted(name for name in arrays if name not in used)),
    )


def expected_arrays(inputs: list[Port], outputs: list[Port]) -> tuple[str, str]:
    """The arrays a model needs, in words (English, Chinese): names and sample shapes."""
    def shape(port: Port) -> str:
        return "(" + ", ".join("any" if d is None else str(d) for d in port.shape) + ("," if len(port.shape) == 1 else "") + ")"

    ins = ", ".join(f"{port.name} {shape(port)}" for port in inputs)
    outs = ", ".join(port.name for port in outputs)
    return (f"inputs: {ins}; labels of the outputs: {outs}", f"输入：{ins}；输出的标签：{outs}")


def bind(dataset: Dataset, model) -> Dataset:
    """``dataset`` (named arrays) matched to ``model``: ``x`` by input, ``y`` by output.

    Raises :class:`TflabError` before any training when an input or output has no array
    of its name (listing the arrays expected and found), when an array's samples do not
    have the shape of its input, or when an output's labels do not fit it.
    """
    if dataset.task != NAMED:
        return dataset
    if dataset.outputs:  # already matched
        return dataset
    inputs, outputs = model_ports(model)
    arrays = dataset.x
    match = matches(arrays, inputs, outputs)
    if not match.complete:
        missing = [name for name, array in {**match.inputs, **match.outputs}.items() if array is None]
        need_en, need_zh = expected_arrays(inputs, outputs)
        found = ", ".join(f"{name} {arrays[name].shape[1:]}" for name in sorted(arrays))
        raise TflabError(
            f"The data has no array named {', '.join(repr(m) for m in missing)}. Each model input and output "
            f"needs an array of its name. Expected {need_en}. Found: {found}.",
            f"数据中没有名为 {'、'.join(repr(m) for m in missing)} 的数组。模型的每个输入和输出都需要一个同名数组。"
            f"需要的{need_zh}。实际包含：{found}。",
            hint_en="Rename the arrays in numpy.savez(...), or rename the model's inputs and outputs to match. "
                    "A model with one input and one output also takes arrays named x and y.",
            hint_zh="请在 numpy.savez(...) 中修改数组名称，或修改模型输入和输出的名称使之一致。"
                    "只有一个输入和一个输出的模型也可以使用名为 x 和 y 的数组。",
        )
    x = {port.name: _features(arrays[port.name], port) for port in inputs}
    y, labels = {}, {}
    for port in outputs:
        y[port.name], labels[port.name] = output_labels(arrays[port.name], port)
    return dataclasses.replace(dataset, x=x, y=y, outputs=labels)


def _features(array: np.ndarray, port: Port) -> np.ndarray:
    array = array.reshape(len(array), -1) if array.ndim == 1 else array
    actual = tuple(array.shape[1:])
    wanted = port.shape
    if len(actual) != len(wanted) or any(w is not None and w != a for w, a in zip(wanted, actual)):
        shown = tuple("any" if d is None else d for d in wanted)
        raise TflabError(
            f"The array {port.name!r} has samples of shape {actual}, but the input {port.name!r} takes "
            f"samples of shape {shown}.",
            f"数组 {port.name!r} 的样本形状是 {actual}，但输入 {port.name!r} 需要形状为 {shown} 的样本。",
            hint_en=f"Set the shape of the input {port.name!r} to {actual}, or reshape the array.",
            hint_zh=f"请把输入 {port.name!r} 的形状设为 {actual}，或改变数组的形状。",
        )
    return array.astype(np.float32)


def output_labels(array: np.ndarray, port: Port) -> tuple[np.ndarray, OutputLabels]:
    """An output's labels as the trainer takes them, and what they are.

    Classes: whole numbers, one per sample (or one-hot rows), for an output of several
    units (one per class) or of one unit with a sigmoid (two classes, 0 and 1); they
    become ``int32`` indices. Numbers to predict: anything else, ``float32``, as many per
    sample as the output has units.
    """
    units = port.units
    rows = array.reshape(len(array), -1)
    if rows.shape[1] == units > 1 and _is_one_hot(rows):
        rows = np.argmax(rows, axis=1).reshape(-1, 1)
    whole = rows.shape[1] == 1 and bool(np.all(np.equal(np.mod(rows, 1), 0)))
    integer = np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_
    binary = units == 1 and whole and bool(np.isin(rows, (0, 1)).all())
    if whole and (units > 1 or (binary and (integer or port.activation == "sigmoid"))):
        classes = units if units > 1 else 2
        labels = rows.reshape(-1).astype(np.int64)
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= classes:
            raise TflabError(
                f"The labels of the output {port.name!r} go from {low} to {high}, but the output has {units} "
                f"unit(s), which can tell apart classes 0 to {classes - 1}.",
                f"输出 {port.name!r} 的标签范围是 {low} 到 {high}，但该输出有 {units} 个单元，只能区分类别 0 到 "
                f"{classes - 1}。",
                hint_en=f"Give the output {port.name!r} {high + 1} units (one per class).",
                hint_zh=f"请给输出 {port.name!r} 设置 {high + 1} 个单元（每个类别一个）。",
            )
        return labels.astype(np.int32), OutputLabels(CLASSIFICATION, classes)
    if rows.shape[1] != units:
        raise TflabError(
            f"The output {port.name!r} gives {units} value(s) per sample, but its labels have {rows.shape[1]}.",
            f"输出 {port.name!r} 对每个样本给出 {units} 个值，但它的标签有 {rows.shape[1]} 个。",
            hint_en=f"Set the units of the layer {port.name!r} to {rows.shape[1]}.",
            hint_zh=f"请把层 {port.name!r} 的 units 设为 {rows.shape[1]}。",
        )
    return rows.astype(np.float32), OutputLabels(REGRESSION, 0)


def _is_one_hot(rows: np.ndarray) -> bool:
    return bool(np.isin(rows, (0, 1)).all() and (rows.sum(axis=1) == 1).all())


def suggest_output_loss(labels: OutputLabels, units: int) -> str:
    """The usual loss for one output: cross-entropy for classes (binary for one unit), mse for numbers."""
    if labels.task == REGRESSION:
        return "mse"
    return "binary_crossentropy" if units == 1 else "sparse_categorical_crossentropy"


def suggest_output_metrics(labels: OutputLabels) -> list[str]:
    """The usual metrics for one output: accuracy for classes, mean absolute error for numbers."""
    return ["accuracy"] if labels.task == CLASSIFICATION else ["mae"]
