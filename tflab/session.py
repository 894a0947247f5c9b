"""A training session: the data, model and trainer kept from one run to the next.

What the Training tab runs (on its worker thread) and what ``python -m tflab train``
runs are the same steps: load the data, build the model from the graph after seeding
(so its initial weights repeat), fill in the usual loss and metrics for the data
(:func:`training_config`), split, and make a :class:`~tflab.trainer.Trainer`.
:class:`Session` keeps them between runs while they do not change; :class:`RunControl`
stops, pauses and resumes a run from another thread; :meth:`Session.boundary` gives the
model's decision boundary on 2-D data (:class:`BoundaryGrid`, :func:`contour_segments`).
"""

from __future__ import annotations

import gc
import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tflab import devices, named_data, tfload, weights
from tflab.activations import Activations, Probe
from tflab.datasets import CLASSIFICATION, NAMED, Dataset, load_dataset, split
from tflab.evaluation import Predictions, predict_probabilities
from tflab.fileio import atomic_write_bytes
from tflab.messages import TflabError
from tflab.trainer import TrainConfig, Trainer, suggest_loss, suggest_metrics

#: Grid points per side of the decision boundary image.
BOUNDARY_RESOLUTION = 120
#: The most samples whose predictions are shown (confusion matrix, gallery).
MAX_PREDICTIONS = 5000

_TRAIN_KEYS = frozenset(TrainConfig.__dataclass_fields__)
_LOG_KEYS = ("logdir", "run_name")


def boundary_extent(x: np.ndarray) -> tuple[float, float, float, float]:
    """The area shown around 2-D points: ``(x0, x1, y0, y1)``, 10 % wider than the data."""
    low, high = x.min(axis=0).astype(float), x.max(axis=0).astype(float)
    pad = np.maximum((high - low) * 0.1, 0.1)
    return low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1]


def has_boundary(dataset: Dataset) -> bool:
    """Whether the model's decision boundary can be drawn: two classes of 2-D points."""
    return dataset.task == CLASSIFICATION and dataset.num_classes == 2 and dataset.input_shape == (2,)


@dataclass(frozen=True)
class RunRequest:
    """What to train: the editor's graph, the data and the settings.

    ``config`` holds :class:`TrainConfig` keys; without ``loss`` or ``metrics`` the usual
    ones for the model and data are chosen. ``weights`` (a project's :mod:`tflab.weights`
    section) are the weights a new model starts from when they were trained for this graph.
    """

    graph: dict
    dataset: str
    data_options: dict
    config: dict
    weights: dict | None = None


@dataclass(frozen=True)
class Prepared:
    """A run is about to start: the settings it uses and whether the model is new.

    ``fresh`` is True when the model was (re)built from the graph with new weights,
    False when training goes on from the weights an earlier run reached. ``restored`` is
    True when a new model took the weights kept in the project (after ``epochs`` epochs).
    """

    fresh: bool
    config: TrainConfig
    from_logits: bool
    dataset: Dataset
    sizes: tuple[int, int, int]
    restored: bool = False
    epochs: int = 0
    #: For named arrays, whether each output gives logits (by output name).
    output_from_logits: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class BoundaryGrid:
    """The model's probability of class 1 on a grid, and where it crosses 0.5.

    ``values[row, column]`` are samples at evenly spaced points from ``(x0, y0)`` to
    ``(x1, y1)`` (``extent = (x0, x1, y0, y1)``); ``segments`` (shape ``(n, 2, 2)``) are
    the pieces of the 0.5 line: the decision boundary, in data coordinates.
    """

    values: np.ndarray
    extent: tuple[float, float, float, float]
    segments: np.ndarray


def contour_segments(values: np.ndarray, extent: tuple[float, float, float, float],
                     level: float = 0.5) -> np.ndarray:
    """The line where ``values`` crosses ``level``, as segments (marching squares, vectorised).

    Each grid cell whose corners lie on both sides of ``level`` gives one segment (two
    for a saddle) between the points where its edges cross it, found by linear
    interpolation. Returns an array of shape ``(n, 2, 2)``: n segments of two (x, y) points.
    """
    v = values.astype(np.float64) - level
    rows, cols = v.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        across = v[:, :-1] / (v[:, :-1] - v[:, 1:])     # along each row: between columns j and j+1
        up = v[:-1, :] / (v[:-1, :] - v[1:, :])         # along each column: between rows i and i+1
    row, col = np.mgrid[0:rows, 0:cols].astype(np.float64)
    h_ok, h_x, h_y = v[:, :-1] * v[:, 1:] < 0, col[:, :-1] + across, row[:, :-1]
    v_ok, v_x, v_y = v[:-1, :] * v[1:, :] < 0, col[:-1, :], row[:-1, :] + up
    # The four edges of each cell: bottom, top, left, right.
    ok = np.stack([h_ok[:-1], h_ok[1:], v_ok[:, :-1], v_ok[:, 1:]], axis=-1)
    xs = np.stack([h_x[:-1], h_x[1:], v_x[:, :-1], v_x[:, 1:]], axis=-1)
    ys = np.stack([h_y[:-1], h_y[1:], v_y[:, :-1], v_y[:, 1:]], axis=-1)
    points = np.stack([xs, ys], axis=-1)                 # (rows-1, cols-1, 4, 2)
    count = ok.sum(axis=-1)
    single = points[count == 2]
    edges = np.argsort(~ok[count == 2], axis=-1, kind="stable")[:, :2]
    segments = [np.take_along_axis(single, edges[:, :, None], axis=1)]
    saddle = count == 4
    if saddle.any():
        corner = v[:-1, :-1][saddle]
        centre = (v[:-1, :-1] + v[:-1, 1:] + v[1:, :-1] + v[1:, 1:])[saddle] / 4
        cut = points[saddle]
        same = ((corner > 0) == (centre > 0))[:, None, None]
        # Cut off the two corners that the centre is not joined to.
        first = np.where(same, cut[:, [0, 3]], cut[:, [0, 2]])
        second = np.where(same, cut[:, [1, 2]], cut[:, [1, 3]])
        segments += [first, second]
    result = np.concatenate(segments)
    x0, x1, y0, y1 = extent
    scale = np.array([(x1 - x0) / (cols - 1), (y1 - y0) / (rows - 1)])
    return result * scale + np.array([x0, y0])


class Session:
    """The data, model and trainer kept between runs while they do not change.

    A new run with the same graph, data and settings goes on from the weights the last
    one reached; a changed graph or data builds a new model (seeded, so its initial
    weights repeat); changed settings make a new trainer for the same model, as
    ``model.compile`` does in Keras.

    Models are built and trained under :func:`tflab.devices.auto_strategy`: mirrored over
    the local GPUs when there are several (``strategy`` given: that one instead).
    """

    def __init__(self, strategy: Any = "auto") -> None:
        self._strategy = strategy
        self.dataset: Dataset | None = None
        #: The data as the model takes it: named arrays matched to its inputs and outputs.
        self.bound: Dataset | None = None
        self.trainer: Trainer | None = None
        self._model = None
        self._initial: list[np.ndarray] = []
        self._data_key: tuple | None = None
        self._model_key: tuple | None = None
        self._trainer_key: tuple | None = None
        #: Epochs the current weights have been trained (those kept in a project included).
        self.trained_epochs = 0
        self._probe: Probe | None = None  # the layers' outputs of the current model

    def prepare(self, request: RunRequest) -> Prepared:
        """Load the data, build the model and make the trainer as needed.

        Raises :class:`TflabError` with the reason when the graph has errors or the model
        does not fit the data or the settings.
        """
        from tflab.graph import ModelGraph
        from tflab.keras_build import build_model

        tfload.load()
        _freeze_long_lived_objects()

        data_key = (request.dataset, _key(request.data_options))
        if data_key != self._data_key:
            self.dataset, self._data_key = None, None
            self.dataset = load_dataset(request.dataset, **request.data_options)
            self._data_key = data_key
        seed = request.config.get("seed", 0)
        model_key = (_key(request.graph), data_key, seed)
        fresh = model_key != self._model_key
        restored = False
        if fresh:
            self._forget_model()
            graph = ModelGraph.from_json(request.graph)
            with devices.scope(self.strategy):
                self._model = seeded_model(lambda: build_model(graph), seed)
            self.bound = named_data.bind(self.dataset, self._model)
            self._initial = [v.numpy() for v in self._model.variables]
            self._model_key = model_key
            self.trained_epochs = 0
            if weights.fits(request.weights, request.graph) and weights.apply(self._model, request.weights):
                restored, self.trained_epochs = True, int(request.weights["epochs"])
        config = self._config(request.config)
        trainer_key = (model_key, _key({k: v for k, v in config.to_dict().items() if k not in _LOG_KEYS}))
        if self.trainer is None or trainer_key != self._trainer_key:
            self.trainer, self._trainer_key = None, None
            splits = split(self.bound, config.validation, config.test, config.seed)
            self.trainer = Trainer(self._model, splits, config, self.strategy)
            self._trainer_key = trainer_key
        else:
            self.trainer.config = config  # only the log folder and run name differ
        splits = self.trainer.splits
        return Prepared(fresh, config, self.trainer.from_logits, self.bound,
                        (len(splits.train), len(splits.validation), len(splits.test)),
                        restored, self.trained_epochs, self.trainer.output_from_logits)

    def _config(self, values: dict) -> TrainConfig:
        return training_config(values, self._model, self.bound)

    @property
    def strategy(self) -> Any:
        """The ``tf.distribute`` strategy models are trained under (``None``: the default)."""
        if self._strategy == "auto":
            self._strategy = devices.auto_strategy()
        return self._strategy

    def _forget_model(self) -> None:
        self._model, self.trainer, self.bound, self._probe = None, None, None, None
        self._initial = []
        self._model_key, self._trainer_key = None, None

    def weights_record(self, graph: dict) -> dict | None:
        """The current weights as a project's weights section (None: nothing trained, or
        too large to keep in a project)."""
        if self._model is None or self.trainer is None:
            return None
        return weights.pack(self._model.get_weights(), graph, self.trained_epochs)

    def reset(self) -> None:
        """Back to the weights the model was built with, and a fresh optimizer."""
        self.trained_epochs = 0
        if self.trainer is not None:
            self.trainer.reset_weights()
        if self._model is not None:
            for variable, value in zip(self._model.variables, self._initial):
                variable.assign(value)

    def evaluate(self) -> dict[str, float]:
        """The loss and metrics on the test data (``model.evaluate(x_test, y_test)``)."""
        if self.trainer is None:
            raise TflabError("Train the model first: there is nothing to evaluate yet.",
                             "请先训练模型：现在还没有可以评估的模型。")
        return self.trainer.evaluate("test")

    def predictions(self, part: str = "test", epoch: int = 0) -> Predictions | None:
        """The model's class probabilities on a part of the data (at most
        :data:`MAX_PREDICTIONS` samples); None before training or without classes."""
        if self.trainer is None or self.dataset is None or self.dataset.task != CLASSIFICATION:
            return None
        subset = self.trainer.splits.part(part)
        if not len(subset):
            return None
        x, y = subset.x[:MAX_PREDICTIONS], subset.y[:MAX_PREDICTIONS]
        model = self._model
        probabilities = predict_probabilities(lambda batch: model(batch, training=False), x,
                                              self.trainer.from_logits)
        return Predictions(x, y, probabilities, tuple(self.dataset.class_names), part, epoch)

    def activations(self, index: int = 0, epoch: int = 0) -> Activations | None:
        """Every layer's output for sample ``index`` of the test part (the validation or
        training part when there is none); None before training or for named arrays."""
        if self.trainer is None or self._model is None or self.bound is None or self.bound.task == NAMED:
            return None
        splits = self.trainer.splits
        part = next((name for name in ("test", "validation", "train") if len(splits.part(name))), "train")
        subset = splits.part(part)
        index = min(max(int(index), 0), len(subset) - 1)
        if self._probe is None:
            self._probe = Probe(self._model)
        x = subset.x[index:index + 1]
        target = subset.y[index]
        if self.bound.task == CLASSIFICATION:
            label = self.bound.class_names[int(target)]
        else:
            label = np.array2string(np.asarray(target), precision=3, separator=", ")
        classes = tuple(self.bound.class_names) if self.bound.task == CLASSIFICATION else ()
        return Activations(index, len(subset), part, x[0], label, self._probe.run(x), epoch, classes)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities of the samples ``x`` (e.g. a digit drawn with the mouse)."""
        if self.trainer is None or self._model is None:
            raise TflabError("Train the model first: it has not learned anything yet.",
                             "请先训练模型：它还什么都没学到。")
        x = np.asarray(x, dtype=np.float32)
        return predict_probabilities(lambda batch: self._model(batch, training=False), x,
                                     self.trainer.from_logits)

    def save_model(self, path: str | Path) -> Path:
        """Save the trained model as a ``.keras`` file (written atomically); its path.

        The file opens in Keras (``tf.keras.models.load_model``) and in tflab (File > Import
        Keras Model) with the weights reached."""
        if self.trainer is None or self._model is None:
            raise TflabError("Train the model first: there is no trained model to save yet.",
                             "请先训练模型：现在还没有可以保存的训练好的模型。")
        return save_keras_model(self._model, path)

    def boundary(self) -> BoundaryGrid | None:
        """The model's probability of class 1 over the data's area (None without 2-D data)."""
        if self.trainer is None or self.dataset is None or not has_boundary(self.dataset):
            return None
        extent = boundary_extent(self.dataset.x)
        xs = np.linspace(extent[0], extent[1], BOUNDARY_RESOLUTION, dtype=np.float32)
        ys = np.linspace(extent[2], extent[3], BOUNDARY_RESOLUTION, dtype=np.float32)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        outputs = np.asarray(self._model(grid, training=False), dtype=np.float64)
        outputs = outputs.reshape(len(grid), -1)
        if outputs.shape[1] == 1:
            values = outputs[:, 0]
            if self.trainer.from_logits:
                values = 1.0 / (1.0 + np.exp(-values))
        else:
            if self.trainer.from_logits:
                outputs = np.exp(outputs - outputs.max(axis=1, keepdims=True))
                outputs /= outputs.sum(axis=1, keepdims=True)
            values = outputs[:, 1]
        values = np.nan_to_num(values.reshape(len(ys), len(xs)), nan=0.5)
        return BoundaryGrid(values.astype(np.float32), extent, contour_segments(values, extent))


def _freeze_long_lived_objects() -> None:
    """Once TensorFlow is loaded, keep its objects out of Python's full garbage collections.

    A full collection walks every object the interpreter tracks -- some 300 000 once
    TensorFlow and Keras are imported -- holding the GIL for 100-200 ms, and training
    allocates enough to start one every few seconds: the window would stall each time.
    ``gc.freeze()`` moves the objects that exist now (modules, mostly) to a permanent
    generation that collections skip. Done once, on the worker, before the first model.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


_frozen = False


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class RunControl:
    """Stop, pause and resume a run from any thread, also before its trainer exists.

    One control serves run after run: :meth:`begin` clears it for the next one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._trainer: Trainer | None = None
        self._stop = False
        self._paused = False

    def begin(self) -> None:
        """Forget the last run and its requests (call before sending the next run)."""
        with self._lock:
            self._trainer, self._stop, self._paused = None, False, False

    def attach(self, trainer: Trainer) -> None:
        """Pass on to ``trainer`` what was asked so far (call after ``trainer.run()``)."""
        with self._lock:
            self._trainer = trainer
            if self._stop:
                trainer.request_stop()
            elif self._paused:
                trainer.request_pause()

    def request_stop(self) -> None:
        """Stop before the next chunk of steps; wakes a paused run."""
        with self._lock:
            self._stop = True
            if self._trainer is not None:
                self._trainer.request_stop()

    def request_pause(self) -> None:
        with self._lock:
            self._paused = True
            if self._trainer is not None:
                self._trainer.request_pause()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self._trainer is not None:
                self._trainer.resume()


def save_keras_model(model: Any, path: str | Path) -> Path:
    """``model.save`` to ``path`` (which must end in ``.keras``), atomically: the model is
    saved to a temporary folder first, so a failure leaves any file there untouched."""
    path = Path(path)
    if path.suffix.lower() != ".keras":
        raise TflabError(f"A Keras model file ends in .keras, not {path.suffix or '(nothing)'}: {path}",
                         f"Keras 模型文件应以 .keras 结尾，而不是 {path.suffix or '（无后缀）'}：{path}")
    with tempfile.TemporaryDirectory(prefix="tflab-save-") as folder:
        temporary = Path(folder) / "model.keras"
        model.save(temporary)
        atomic_write_bytes(path, temporary.read_bytes())
    return path


def training_config(values: dict, model: Any, dataset: Dataset) -> TrainConfig:
    """The :class:`TrainConfig` of ``values`` (other keys are ignored), with the usual loss
    and metrics for ``model`` and ``dataset`` where ``values`` names none.

    For named arrays (matched to ``model`` by :func:`tflab.named_data.bind`) each output
    gets its loss, weight and metrics: those ``values["outputs"]`` gives, else the usual
    ones for its labels and weight 1; settings of outputs the model does not have are dropped.
    """
    values = {k: v for k, v in values.items() if k in _TRAIN_KEYS}
    if dataset.task == NAMED:
        values["outputs"] = output_settings(values.get("outputs"), model, dataset)
        values.setdefault("metrics", [])
        return TrainConfig.from_dict(values)
    if "metrics" not in values:
        values["metrics"] = suggest_metrics(dataset)
    if "loss" not in values:
        values["loss"] = suggest_loss(model, dataset)
    return TrainConfig.from_dict(values)


def output_settings(given: Any, model: Any, dataset: Dataset) -> dict[str, dict]:
    """Each output's loss, weight and metrics: from ``given`` where it says, else the usual ones."""
    given = given if isinstance(given, dict) else {}
    settings = {}
    for port in named_data.model_ports(model)[1]:
        chosen = dict(given.get(port.name) or {})
        labels = dataset.outputs[port.name]
        chosen.setdefault("loss", named_data.suggest_output_loss(labels, port.units))
        chosen.setdefault("weight", 1.0)
        chosen.setdefault("metrics", named_data.suggest_output_metrics(labels))
        settings[port.name] = chosen
    return settings


def seeded_model(build: Callable[[], Any], seed: Any) -> Any:
    """``build()`` after seeding Python, NumPy and TensorFlow with ``seed`` (0 when it is not
    a whole number >= 0): the same seed gives the same initial weights."""
    tfload.keras().utils.set_random_seed(seed if isinstance(seed, int) and not isinstance(seed, bool)
                                         and seed >= 0 else 0)
    return build()
