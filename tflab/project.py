"""``.tflab`` project files: a model graph plus the settings around it.

A project file is UTF-8 JSON::

    {"format": "tflab-project", "version": 1,
     "graph": {...ModelGraph JSON...},
     "training": {...TrainConfig JSON, optional...},
     "weights": {...the trained weights, optional: see tflab.weights...},
     "meta": {...free-form, e.g. the editor's view mode...}}

Saving is atomic (write a temporary file beside the target, then rename), so a
crash or a full disk never leaves a half-written project. Loading validates
everything and raises :class:`ProjectError` with a clear message; nothing is
changed on disk by a failed load.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tflab.fileio import atomic_write_text
from tflab.graph import GraphError, ModelGraph
from tflab.messages import TflabError
from tflab.weights import check as check_weights

FORMAT = "tflab-project"
VERSION = 1
SUFFIX = ".tflab"


class ProjectError(TflabError):
    """A project file that cannot be read or written."""


@dataclass
class Project:
    graph: ModelGraph = field(default_factory=ModelGraph)
    training: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    #: The trained weights (a :mod:`tflab.weights` section), or None.
    weights: dict[str, Any] | None = None

    def to_json(self) -> dict:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "graph": self.graph.to_json()}
        if self.training:
            data["training"] = self.training
        if self.weights is not None:
            data["weights"] = self.weights
        if self.meta:
            data["meta"] = self.meta
        return data

    @classmethod
    def from_json(cls, data: Any) -> Project:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProjectError(
                "This is not a tflab project file.",
                "这不是 tflab 项目文件。",
            )
        version = data.get("version")
        if not isinstance(version, int) or not 1 <= version <= VERSION:
            raise ProjectError(
                f"This project has format version {version!r}; this tflab reads versions up to {VERSION}. "
                "It may come from a newer tflab.",
                f"该项目的格式版本为 {version!r}；此版本的 tflab 只能读取 {VERSION} 及以下版本，"
                "它可能来自更新的 tflab。",
            )
        training = data.get("training", {}) or {}
        meta = data.get("meta", {}) or {}
        if not isinstance(training, dict) or not isinstance(meta, dict):
            raise ProjectError(
                "The project's 'training' and 'meta' sections must be objects.",
                "项目的 'training' 和 'meta' 部分必须是对象。",
            )
        weights = data.get("weights")
        if weights is not None:
            try:
                check_weights(weights)
            except TflabError as err:
                raise ProjectError(err.en, err.zh) from None
        return cls(ModelGraph.from_json(data.get("graph")), training, meta, weights)


def starter_project() -> Project:
    """What File > New opens: the course notes' first model, ready to train on MNIST.

    ``Input(shape=(28, 28)) -> Flatten -> Dense(100, relu) -> Dense(10, softmax)``, trained
    with Adam (learning rate 0.001), sparse categorical cross-entropy and accuracy, 10
    epochs of batches of 32, on the bundled ``mnist`` digits split 70 / 15 / 15 into
    train / validation / test (seed 0). A fresh project on every call.
    """
    graph = ModelGraph("model")
    graph.add_input((28, 28), "input")
    for index, (class_name, config) in enumerate((
        ("Flatten", {}),
        ("Dense", {"units": 100, "activation": "relu"}),
        ("Dense", {"units": 10, "activation": "softmax"}),
    )):
        graph.stack_insert(index, class_name, config)
    training = {
        "dataset": "mnist", "data_options": {},
        "optimizer": "adam", "learning_rate": 0.001, "momentum": 0.0,
        "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"],
        "epochs": 10, "batch_size": 32, "validation": 0.15, "test": 0.15, "seed": 0,
    }
    return Project(graph, training)


def dumps(project: Project) -> str:
    return json.dumps(project.to_json(), ensure_ascii=False, indent=1) + "\n"


def loads(text: str, source: str = "") -> Project:
    where = f" {source}" if source else ""
    try:
        data = json.loads(text.removeprefix("\ufeff"))  # a byte-order mark some editors write
    except json.JSONDecodeError as err:
        raise ProjectError(
            f"The project file{where} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}). "
            "It may be damaged or not a tflab project.",
            f"项目文件{where}不是有效的 JSON（第 {err.lineno} 行第 {err.colno} 列：{err.msg}）。"
            "文件可能已损坏，或者不是 tflab 项目。",
        ) from None
    except (ValueError, RecursionError) as err:  # a number too long to read, nesting too deep
        raise ProjectError(
            f"The project file{where} cannot be read: {_why(err)}. It may be damaged or not a tflab project.",
            f"无法读取项目文件{where}：{_why(err, 'zh')}。文件可能已损坏，或者不是 tflab 项目。",
        ) from None
    try:
        return Project.from_json(data)
    except RecursionError as err:
        raise ProjectError(
            f"The project file{where} cannot be read: {_why(err)}.",
            f"无法读取项目文件{where}：{_why(err, 'zh')}。",
        ) from None
    except GraphError as err:
        raise ProjectError(
            f"The project file{where} has a problem in its model: {err.en}",
            f"项目文件{where}中的模型有问题：{err.zh}",
        ) from None


def _why(err: Exception, lang: str = "en") -> str:
    if isinstance(err, RecursionError):
        return "its values are nested too deeply" if lang == "en" else "其中的值嵌套得太深"
    return ("it holds a number with too many digits" if lang == "en" else "其中有位数过多的数字")


def load_project(path: str | os.PathLike) -> Project:
    """Read and validate a ``.tflab`` file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProjectError(f"There is no file {str(path)!r}.", f"文件 {str(path)!r} 不存在。") from None
    except IsADirectoryError:
        raise ProjectError(f"{str(path)!r} is a folder, not a project file.",
                           f"{str(path)!r} 是文件夹，不是项目文件。") from None
    except OSError as err:
        raise ProjectError(f"Cannot read {str(path)!r}: {err.strerror}.",
                           f"无法读取 {str(path)!r}：{err.strerror}。") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(
            f"{str(path)!r} is not a text file: it is not a tflab project (or it is damaged).",
            f"{str(path)!r} 不是文本文件：它不是 tflab 项目（或已损坏）。",
        ) from None
    return loads(text, repr(str(path)))


def save_project(project: Project, path: str | os.PathLike) -> None:
    """Save atomically; on failure (a FileWriteError) the previous file at ``path`` is untouched."""
    atomic_write_text(path, dumps(project))
