"""Read the TensorBoard logs of training runs, without a TensorBoard server.

The trainer writes each run to ``<logdir>/<run>/train`` and ``<logdir>/<run>/validation``
(the same layout as Keras's TensorBoard callback). :func:`list_runs` finds the runs under
a log folder; :func:`read_scalars` reads a run's scalar values with TensorBoard's own
reader (``EventAccumulator``). ``tf.summary.scalar`` stores scalars as tensors, so both
tensor and old-style scalar records are read.

Listing runs only looks at file names; reading values imports TensorBoard lazily.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tflab.messages import TflabError

EVENT_FILE_MARK = ".tfevents."
PART_FOLDERS = ("train", "validation")


def tensorboard_command(logdir: str | Path) -> str:
    """The command that shows the runs of ``logdir`` in TensorBoard (quoted for a shell)."""
    logdir = str(logdir)
    quoted = f'"{logdir}"' if any(c in logdir for c in " '&;()") else logdir
    return f"tensorboard --logdir {quoted}"


@dataclass(frozen=True)
class RunInfo:
    """A run found under a log folder: its name (path relative to the folder) and location."""

    name: str
    path: Path
    modified: float


def list_runs(logdir: str | Path) -> list[RunInfo]:
    """The runs under ``logdir``, sorted by name; an empty list when there is none (or no folder).

    A folder holding event files is a run, except ``train`` and ``validation`` folders,
    which belong to the run above them.
    """
    root = Path(logdir).expanduser()
    runs: dict[Path, float] = {}
    for folder, _dirs, files in os.walk(root):
        events = [f for f in files if EVENT_FILE_MARK in f]
        if not events:
            continue
        here = Path(folder)
        run = here.parent if here.name in PART_FOLDERS and here != root else here
        newest = max(_mtime(here / f) for f in events)
        runs[run] = max(newest, runs.get(run, 0.0))
    infos = [RunInfo(_run_name(run, root), run, modified) for run, modified in runs.items()]
    return sorted(infos, key=lambda info: info.name)


def read_scalars(run_dir: str | Path) -> dict[str, list[tuple[int, float]]]:
    """Every scalar of a run: ``{tag: [(step, value), ...]}`` sorted by step.

    Tags from the run's ``train`` / ``validation`` (or other) sub-folders are prefixed
    with the folder's name, e.g. ``"train/epoch_loss"``; tags of event files directly in
    ``run_dir`` are kept as they are.
    """
    run = Path(run_dir).expanduser()
    if not run.is_dir():
        raise TflabError(
            f"The run folder {str(run)!r} does not exist.",
            f"运行记录文件夹 {str(run)!r} 不存在。",
        )
    scalars: dict[str, list[tuple[int, float]]] = {}
    for folder in [run, *sorted(p for p in run.iterdir() if p.is_dir())]:
        if not any(EVENT_FILE_MARK in f.name for f in folder.iterdir() if f.is_file()):
            continue
        prefix = "" if folder == run else folder.name + "/"
        for tag, values in _read_folder(folder).items():
            scalars[prefix + tag] = values
    return scalars


def _read_folder(folder: Path) -> dict[str, list[tuple[int, float]]]:
    """The scalars of the event files directly in ``folder``."""
    from tensorboard.backend.event_processing import event_accumulator as ea
    from tensorboard.util import tensor_util

    accumulator = ea.EventAccumulator(str(folder), size_guidance={ea.TENSORS: 0, ea.SCALARS: 0})
    try:
        accumulator.Reload()
    except Exception as err:  # noqa: BLE001 - a damaged log file becomes a user message
        raise TflabError(
            f"The training log in {str(folder)!r} could not be read: {err}",
            f"无法读取 {str(folder)!r} 中的训练日志：{err}",
        ) from None
    tags = accumulator.Tags()
    values: dict[str, list[tuple[int, float]]] = {}
    for tag in tags.get(ea.TENSORS, []):
        points = []
        for event in accumulator.Tensors(tag):
            array = tensor_util.make_ndarray(event.tensor_proto)
            if array.size == 1 and array.dtype.kind in "fiub":
                points.append((int(event.step), float(array.reshape(()))))
        if points:
            values[tag] = sorted(points, key=lambda point: point[0])
    for tag in tags.get(ea.SCALARS, []):
        values[tag] = sorted((int(e.step), float(e.value)) for e in accumulator.Scalars(tag))
    return values


def _run_name(run: Path, root: Path) -> str:
    relative = run.relative_to(root)
    return relative.as_posix() if relative.parts else run.name


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
