"""A training script that runs anywhere, with the data it trains on written beside it.

:func:`export_training_script` writes ``train.py`` (plain Python: TensorFlow and NumPy,
never tflab) and, when the project names a data set (or ``data`` is given),
``train_data.npz`` beside it: the train, validation and test parts exactly as tflab
splits them (same fractions and seed), so the script trains as the Training tab does.
The command line (``python -m tflab codegen P --script -o DIR/train.py``) and the
editor's Export Code use it.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from tflab import codegen, limits, ondisk
from tflab.datasets import NAMED, load_dataset, split
from tflab.fileio import atomic_write_bytes, atomic_write_text
from tflab.messages import TflabError
from tflab.project import Project


def data_file_for(script: Path) -> Path:
    """Where the data of ``script`` goes: ``<stem>_data.npz`` beside it."""
    return script.with_name(f"{script.stem}_data.npz")


def export_training_script(project: Project, style: str, path: str | Path,
                           data: str | None = None, comments: str = "en") -> list[Path]:
    """Write the training script for ``project`` to ``path`` (and its data beside it).

    ``data`` (a built-in name or a file) replaces the project's data set; options saved
    with the project (``data_options``) apply only to the project's own data set. Without
    any data set the script trains on random data of the right shapes and says so.
    ``comments`` is the language of the script's comments (``"en"`` or ``"zh"``).
    Returns the files written, the script last (it is written once its data is there).
    """
    path = Path(path)
    training = dict(project.training or {})
    spec = data or training.get("dataset")
    if not spec:
        atomic_write_text(path, codegen.generate(project.graph, style, script=True, training=training or None,
                                                 comments=comments))
        return [path]
    options = training.get("data_options") if not data and isinstance(training.get("data_options"), dict) else {}
    dataset = load_dataset(spec, **options)
    if dataset.task == NAMED:
        dataset, training["outputs"] = _matched(project, dataset, training)
    validation, test, seed = (training.get("validation", 0.2), training.get("test", 0.1), training.get("seed", 0))
    parts = split(dataset, validation, test, seed)
    training.update({"dataset": str(spec), "validation": validation, "test": test, "seed": seed})
    target = data_file_for(path)
    code = codegen.generate(project.graph, style, script=True, training=training, data_file=target.name,
                            comments=comments)
    arrays = {}
    for name, part in (("train", parts.train), ("val", parts.validation), ("test", parts.test)):
        for letter, data in (("x", part.x), ("y", part.y)):
            if ondisk.on_disk(data):  # pictures kept on disk: written out if memory allows
                limits.check_data_bytes(data.nbytes, "The pictures written beside the script",
                                        "写在脚本旁边的图片")
                data = np.asarray(data[:]) if isinstance(data, ondisk.Rows) else np.asarray(data)
            if isinstance(data, dict):  # named arrays: one per input and output
                arrays.update({f"{letter}_{name}__{key}": value for key, value in data.items()})
            else:
                arrays[f"{letter}_{name}"] = data
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    if target.resolve() == path.resolve():
        raise TflabError(f"The script and its data would both be {path}.", f"脚本和数据会是同一个文件 {path}。")
    atomic_write_bytes(target, buffer.getvalue())
    atomic_write_text(path, code)
    return [target, path]


def _matched(project: Project, dataset, training: dict):
    """Named arrays matched to the project's model (built to learn what each output's
    labels are), and each output's loss, weight and metrics as the Training tab uses them."""
    from tflab import named_data
    from tflab.keras_build import build_model
    from tflab.session import output_settings

    model = build_model(project.graph)
    bound = named_data.bind(dataset, model)
    return bound, output_settings(training.get("outputs"), model, bound)
