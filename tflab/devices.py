"""Where training runs: one device, or several through ``tf.distribute``.

tflab trains under a ``tf.distribute`` strategy, TensorFlow's own way to spread the
work (see ``docs/devices.md``):

* ``"default"``: the default strategy, one device: the GPU when TensorFlow sees one,
  else the CPU (all its cores);
* ``"mirrored"``: a ``MirroredStrategy``, one replica per device, each batch split
  between them and the gradients summed: the local GPUs, or -- on a machine without
  GPUs -- ``replicas`` logical CPU devices made with
  ``tf.config.set_logical_device_configuration`` (how the tests check the path, and a
  way to try it on any laptop).

:func:`auto_strategy` is what the desktop app uses: mirrored over the local GPUs when
there are two or more, else the default. Logical devices can only be made before
TensorFlow starts running anything, so :func:`make_strategy` with ``replicas`` is for a
fresh process (the command line).
"""

from __future__ import annotations

import contextlib

from tflab import tfload
from tflab.messages import TflabError

STRATEGIES = ("default", "mirrored")
MAX_REPLICAS = 64


def gpu_count() -> int:
    """The number of GPUs TensorFlow can use here."""
    return len(tfload.tensorflow().config.list_physical_devices("GPU"))


def make_strategy(name: str = "default", replicas: int | None = None):
    """The strategy called ``name``; ``None`` for the default one (the trainer's own).

    ``replicas`` (mirrored only): how many devices; default all GPUs (at least 2 CPU
    devices without GPUs). Raises :class:`TflabError` for a name or number it cannot
    honour, saying why.
    """
    if name not in STRATEGIES:
        raise TflabError(
            f"Unknown strategy {name!r}: use {' or '.join(STRATEGIES)}.",
            f"未知的策略 {name!r}：请使用 {' 或 '.join(STRATEGIES)}。",
        )
    if replicas is not None and (isinstance(replicas, bool) or not isinstance(replicas, int)
                                 or not 1 <= replicas <= MAX_REPLICAS):
        raise TflabError(
            f"The number of replicas must be a whole number from 1 to {MAX_REPLICAS}, not {replicas!r}.",
            f"副本数必须是 1 到 {MAX_REPLICAS} 之间的整数，而不是 {replicas!r}。",
        )
    if name == "default":
        if replicas not in (None, 1):
            raise TflabError(
                "The default strategy trains on one device: use --strategy mirrored for several replicas.",
                "默认策略只在一个设备上训练：要使用多个副本，请用 --strategy mirrored。",
            )
        return None
    tf = tfload.tensorflow()
    gpus = gpu_count()
    if gpus:
        wanted = replicas or gpus
        if wanted > gpus:
            raise TflabError(
                f"{wanted} replicas were asked for, but this machine has {gpus} GPU(s).",
                f"要求 {wanted} 个副本，但这台机器只有 {gpus} 个 GPU。",
            )
        devices = [device.name for device in tf.config.list_logical_devices("GPU")[:wanted]]
        return tf.distribute.MirroredStrategy(devices)
    wanted = replicas or 2
    _split_cpu(tf, wanted)
    devices = [device.name for device in tf.config.list_logical_devices("CPU")[:wanted]]
    return tf.distribute.MirroredStrategy(devices, cross_device_ops=tf.distribute.ReductionToOneDevice())


def scope(strategy):
    """``strategy.scope()``, or a context that does nothing for ``None`` (the default)."""
    return strategy.scope() if strategy is not None else contextlib.nullcontext()


def auto_strategy():
    """Mirrored over the local GPUs when there are two or more, else ``None`` (the default)."""
    return make_strategy("mirrored") if gpu_count() >= 2 else None


def _split_cpu(tf, replicas: int) -> None:
    """Make ``replicas`` logical CPU devices (only possible before TensorFlow initialises)."""
    cpu = tf.config.list_physical_devices("CPU")[0]
    present = tf.config.get_logical_device_configuration(cpu)
    if present is not None and len(present) >= replicas:
        return
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(replicas)])
    except RuntimeError:
        raise TflabError(
            f"Cannot split the CPU into {replicas} devices: TensorFlow has already started in this program.",
            f"无法把 CPU 分成 {replicas} 个设备：TensorFlow 已在本程序中启动。",
            hint_en="Start a new program (for example a new `python -m tflab train`) with the strategy set.",
            hint_zh="请在新的程序中（例如重新运行 `python -m tflab train`）设置策略。",
        ) from None
