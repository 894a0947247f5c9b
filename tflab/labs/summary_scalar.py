"""Summary lab: write a loss and an AUC per step with ``tf.summary.scalar``, then read them back.

The "model" is simulated: predictions for fixed random labels get better with every
step (plus noise), so the loss falls and the AUC (a real ``tf.keras.metrics.AUC``)
rises. Each call writes a new run folder ``run_<n>`` under ``logdir``; the event file
is then listed record by record and its scalars read back with TensorBoard's reader
(:func:`tflab.runlogs.read_scalars`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tflab import runlogs, tfload
from tflab.labs._common import is_count
from tflab.messages import TflabError

#: Number of (random) examples the loss and the AUC are computed on at each step.
EXAMPLES = 64
MAX_STEPS = 1000


@dataclass(frozen=True)
class SummaryResult:
    """Where the run went, what its event file holds, and the scalars read back.

    ``records`` has one line per record of the event file(s); ``scalars`` maps each tag
    (``"loss"``, ``"auc"``) to ``[(step, value), ...]``.
    """

    run_dir: Path
    event_files: list[Path]
    event_sizes: list[int]  # bytes of each event file, read where the run was written
    records: list[str]
    scalars: dict[str, list[tuple[int, float]]]
    code: str


def summary_lab(logdir: str | Path, steps: int = 10, seed: int = 0) -> SummaryResult:
    """Write ``steps`` steps of loss and AUC into a new run under ``logdir`` and read them back."""
    if not is_count(steps) or steps > MAX_STEPS:
        raise TflabError(f"steps must be a whole number from 1 to {MAX_STEPS} (got {steps!r}).",
                         f"steps 必须是 1 到 {MAX_STEPS} 之间的整数（收到的是 {steps!r}）。")
    if not is_count(seed, 0) or seed >= 2**31:
        raise TflabError(f"seed must be a whole number from 0 to 2**31 - 1 (got {seed!r}).",
                         f"seed 必须是 0 到 2**31 - 1 之间的整数（收到的是 {seed!r}）。")
    run_dir = _new_run_dir(Path(logdir).expanduser())
    _write(run_dir, steps, seed)
    files = sorted(p for p in run_dir.iterdir() if runlogs.EVENT_FILE_MARK in p.name)
    return SummaryResult(
        run_dir=run_dir,
        event_files=files,
        event_sizes=[path.stat().st_size for path in files],
        records=[line for path in files for line in list_records(path)],
        scalars=runlogs.read_scalars(run_dir),
        code=summary_code(run_dir, steps, seed),
    )


def _write(run_dir: Path, steps: int, seed: int) -> None:
    """The lab's writing loop: the same operations, in the same order, as :func:`summary_code`."""
    import numpy as np
    tf = tfload.tensorflow()

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=EXAMPLES).astype("float32")
    writer = tf.summary.create_file_writer(str(run_dir))
    bce = tf.keras.losses.BinaryCrossentropy()
    auc = tf.keras.metrics.AUC()
    with writer.as_default():
        for step in range(steps):
            scores = (2 * labels - 1) * 0.5 * step + rng.normal(size=EXAMPLES)
            predictions = tf.sigmoid(scores.astype("float32"))
            loss = bce(labels, predictions)
            auc.reset_state()
            auc.update_state(labels, predictions)
            tf.summary.scalar("loss", loss, step=step)
            tf.summary.scalar("auc", auc.result(), step=step)
    writer.close()


def list_records(path: Path) -> list[str]:
    """Each record of one event file as a line of text (its version, or step, tag and value)."""
    tf = tfload.tensorflow()

    lines = []
    for record in tf.data.TFRecordDataset(str(path)):
        event = tf.compat.v1.Event.FromString(record.numpy())
        if event.HasField("file_version"):
            lines.append(f"file_version: {event.file_version}")
        for value in event.summary.value:
            number = float(tf.make_ndarray(value.tensor)) if value.HasField("tensor") else value.simple_value
            lines.append(f"step {event.step}: {value.tag} = {number:.6g}")
    return lines


def summary_code(run_dir: Path, steps: int, seed: int) -> str:
    """The program that writes the same run (into ``run_dir``) and prints its records."""
    return f'''import numpy as np
import tensorflow as tf

logdir = {json.dumps(str(run_dir), ensure_ascii=False)}
rng = np.random.default_rng({seed})
labels = rng.integers(0, 2, size={EXAMPLES}).astype("float32")
writer = tf.summary.create_file_writer(logdir)
bce = tf.keras.losses.BinaryCrossentropy()
auc = tf.keras.metrics.AUC()

with writer.as_default():
    for step in range({steps}):
        # Predictions that get better with every step, plus noise.
        scores = (2 * labels - 1) * 0.5 * step + rng.normal(size={EXAMPLES})
        predictions = tf.sigmoid(scores.astype("float32"))
        loss = bce(labels, predictions)
        auc.reset_state()
        auc.update_state(labels, predictions)
        tf.summary.scalar("loss", loss, step=step)
        tf.summary.scalar("auc", auc.result(), step=step)
writer.close()

# What the event file holds: one record per event.
for path in tf.io.gfile.glob(logdir + "/events.out.tfevents.*"):
    for record in tf.data.TFRecordDataset(path):
        event = tf.compat.v1.Event.FromString(record.numpy())
        for value in event.summary.value:
            print("step", event.step, value.tag, tf.make_ndarray(value.tensor))

# Then look at the curves with: tensorboard --logdir {run_dir.parent}
'''


def _new_run_dir(logdir: Path) -> Path:
    """A new, empty folder ``logdir/run_<n>`` (the first free n)."""
    try:
        logdir.mkdir(parents=True, exist_ok=True)
        number = 1
        while (logdir / f"run_{number}").exists():
            number += 1
        run_dir = logdir / f"run_{number}"
        run_dir.mkdir()
    except OSError as err:
        raise TflabError(
            f"Cannot create a log folder in {str(logdir)!r}: {err.strerror}.",
            f"无法在 {str(logdir)!r} 中创建日志文件夹：{err.strerror}。",
            hint_en="Choose a folder you can write to.",
            hint_zh="请选择一个有写入权限的文件夹。",
        ) from None
    return run_dir
