"""Sizes checked before memory is allocated.

A 636-byte project can ask for ``Dense(10**9)``, a 1.5 KB ``.keras`` file for the same,
a 3 MB ``.npz`` can expand to 5 GB, and a CSV can hold ten million rows. Each of them
would take the machine's memory (and the window) with it. Every size that a file decides
is checked here first, against this computer's free memory, and refused in words that
say what to do. Imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

import os
import sys

from tflab.messages import TflabError

#: Bytes per weight (float32).
BYTES_PER_PARAMETER = 4
#: While training, each weight has a gradient and (Adam, RMSprop) up to two slots more.
TRAINING_COPIES = 4
#: The share of the free memory a model, or a data set, may take.
MEMORY_SHARE = 0.5
#: Assumed free memory where the system does not say (a modest school computer).
UNKNOWN_MEMORY = 4 * 2**30


class TooLargeError(TflabError):
    """Something a file asks for that would not fit in this computer's memory."""


def available_memory() -> int:
    """Bytes of memory free for new work on this computer (an estimate)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if sys.platform == "win32":
        return _windows_available() or UNKNOWN_MEMORY
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return UNKNOWN_MEMORY


def _windows_available() -> int | None:
    import ctypes

    class MemoryStatus(ctypes.Structure):
        _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong),
                    ("total_phys", ctypes.c_ulonglong), ("avail_phys", ctypes.c_ulonglong),
                    ("total_page", ctypes.c_ulonglong), ("avail_page", ctypes.c_ulonglong),
                    ("total_virtual", ctypes.c_ulonglong), ("avail_virtual", ctypes.c_ulonglong),
                    ("avail_extended", ctypes.c_ulonglong)]

    status = MemoryStatus()
    status.length = ctypes.sizeof(MemoryStatus)
    try:
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.avail_phys)
    except (AttributeError, OSError):
        return None
    return None


def memory_budget() -> int:
    """Bytes one model or one data set may take: a share of the free memory."""
    return int(available_memory() * MEMORY_SHARE)


def _size(count: float) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{int(count)} bytes"


def check_parameters(count: int, training: bool = True) -> None:
    """Refuse a model of ``count`` weights that would not fit: its weights (and, when
    ``training``, their gradients and optimizer slots) against :func:`memory_budget`."""
    needed = count * BYTES_PER_PARAMETER * (TRAINING_COPIES if training else 1)
    budget = memory_budget()
    if needed <= budget:
        return
    doing_en, doing_zh = ("training it needs about", "训练它大约需要") if training else ("its weights take", "它的权重占用")
    raise TooLargeError(
        f"The model has {count:,} parameters: {doing_en} {_size(needed)}, more than this computer can "
        f"spare ({_size(budget)} of {_size(available_memory())} free).",
        f"模型有 {count:,} 个参数：{doing_zh} {_size(needed)}，超过了这台电脑能提供的内存"
        f"（空闲 {_size(available_memory())}，可用 {_size(budget)}）。",
        hint_en="Make the largest layers smaller (fewer units or filters), or put a pooling layer "
                "before a Dense layer.",
        hint_zh="请把最大的层改小（减少单元数或卷积核数），或在全连接层（Dense）之前加一个池化层。",
    )


def check_data_bytes(needed: int, what_en: str, what_zh: str) -> None:
    """Refuse data of ``needed`` bytes (``what``: e.g. "The array 'x' of data.npz")
    that would not fit in :func:`memory_budget`."""
    budget = memory_budget()
    if needed <= budget:
        return
    raise TooLargeError(
        f"{what_en} needs {_size(needed)} of memory, more than this computer can spare "
        f"({_size(budget)} of {_size(available_memory())} free).",
        f"{what_zh}需要 {_size(needed)} 内存，超过了这台电脑能提供的内存"
        f"（空闲 {_size(available_memory())}，可用 {_size(budget)}）。",
        hint_en="Use a smaller part of the data (fewer samples, or smaller pictures).",
        hint_zh="请使用数据的一小部分（更少的样本，或更小的图片）。",
    )
