"""Pictures too many for memory: decoded once into a file on disk, read in batches.

A folder of images whose decoded pixels would take more than :data:`IN_MEMORY_MAX_BYTES`
is decoded once into a NumPy memory map in a temporary folder (:func:`disk_array`): the
"cache" of the ``tf.data`` path, on disk instead of in memory, which the operating system
pages in as batches are read. A part of such data after a split is a :class:`Rows` (the
memory map and the indices of its samples), never a copy: :func:`tflab.datasets.make_pipeline`
feeds it batch by batch (a shuffled ``tf.data`` range of indices, each batch gathered from
the file, prefetched), in the same order as in-memory data with the same seed.
Asking a :class:`Rows` for a few samples (``rows[:100]``, ``rows[5]``) gives arrays.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

import numpy as np

from tflab.messages import TflabError

#: Decoded pictures up to this size stay in memory; more go to a file on disk.
IN_MEMORY_MAX_BYTES = 512 * 2**20


def disk_array(shape: tuple[int, ...], what_en: str, what_zh: str) -> np.memmap:
    """A zeroed ``float32`` array of ``shape`` in a file of a new temporary folder, which is
    removed with the array. Refused, in words, when the disk lacks the room."""
    needed = int(np.prod(shape)) * 4
    folder = Path(tempfile.mkdtemp(prefix="tflab-pictures-"))
    free = shutil.disk_usage(folder).free
    if needed > free * 0.9:
        shutil.rmtree(folder, ignore_errors=True)
        raise TflabError(
            f"{what_en} need {needed / 2**30:.1f} GB on disk while training, but only "
            f"{free / 2**30:.1f} GB is free in {folder.parent}.",
            f"{what_zh}在训练时需要 {needed / 2**30:.1f} GB 磁盘空间，但 {folder.parent} 只有 "
            f"{free / 2**30:.1f} GB 空闲。",
            hint_en="Use smaller pictures (Image size) or fewer of them, or free some disk space.",
            hint_zh="请使用更小的图片（图片大小）或更少的图片，或者释放一些磁盘空间。",
        )
    array = np.lib.format.open_memmap(folder / "pictures.npy", mode="w+", dtype=np.float32, shape=shape)
    weakref.finalize(array, shutil.rmtree, folder, True)
    return array


def on_disk(x) -> bool:
    """Whether ``x`` lives in a file (a memory map, or rows of one)."""
    return isinstance(x, (Rows, np.memmap))


class Rows:
    """Samples ``indices`` of the array ``base`` (a memory map), without copying them."""

    def __init__(self, base: np.ndarray, indices: np.ndarray):
        self.base = base
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.indices)

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.indices), *self.base.shape[1:])

    @property
    def dtype(self) -> np.dtype:
        return self.base.dtype

    @property
    def nbytes(self) -> int:
        """What the samples would take in memory (they are not there)."""
        return len(self.indices) * int(np.prod(self.base.shape[1:])) * self.base.dtype.itemsize

    def __getitem__(self, key) -> np.ndarray:
        """Samples as an array (``rows[5]``, ``rows[:100]``, ``rows[[3, 1]]``), read in file order."""
        chosen = self.indices[key]
        if np.ndim(chosen) == 0:
            return np.asarray(self.base[int(chosen)])
        return self.gather(chosen)

    def take(self, rows: np.ndarray) -> Rows:
        """Some of these samples, still on disk."""
        return Rows(self.base, self.indices[np.asarray(rows, dtype=np.int64)])

    def gather(self, indices: np.ndarray) -> np.ndarray:
        """Samples of ``base`` at ``indices`` (in that order), read in file order."""
        order = np.argsort(indices, kind="stable")
        out = np.empty((len(indices), *self.base.shape[1:]), dtype=self.base.dtype)
        out[order] = self.base[np.asarray(indices)[order]]
        return out

    def __array__(self, dtype=None, copy=None):
        raise TflabError(
            f"These {len(self)} pictures are kept on disk ({self.nbytes / 2**20:.0f} MB decoded) and are "
            "read in batches; they are not copied into memory at once.",
            f"这 {len(self)} 张图片保存在磁盘上（解码后 {self.nbytes / 2**20:.0f} MB），按批读取，"
            "不会一次全部复制到内存中。",
        )
