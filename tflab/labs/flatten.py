"""Flatten lab: what ``tf.keras.layers.Flatten`` does to a real tensor.

The input holds 0, 1, 2, ... in order, so the output shows exactly where each value
went. The batch dimension (the first one) is never flattened.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tflab import tfload
from tflab.labs._common import check_shape, is_count, shape_text
from tflab.messages import TflabError, tr

DATA_FORMATS = ("channels_last", "channels_first")


@dataclass(frozen=True)
class FlattenResult:
    """Shapes and values before and after Flatten (values as nested lists of ints)."""

    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    values_in: list
    values_out: list
    code: str


def flatten_lab(shape: tuple[int, ...], batch: int = 2,
                data_format: str = "channels_last", comments: str | None = None) -> FlattenResult:
    """Flatten a batch of ``batch`` samples of ``shape`` (the shape of ONE sample).

    With ``data_format="channels_first"`` Keras first moves the channel axis (the
    second one) to the end, which changes the order of the values when a sample has
    two or more axes (the shape stays the same).
    """
    _check_batch(batch)
    dims = check_shape(shape, "sample shape", "样本形状", extra=batch)
    if data_format not in DATA_FORMATS:
        raise TflabError(
            f"data_format must be 'channels_last' or 'channels_first' (got {data_format!r}).",
            f"data_format 必须是 'channels_last' 或 'channels_first'（收到的是 {data_format!r}）。",
        )
    tf = tfload.tensorflow()

    full = (batch, *dims)
    x = tf.reshape(tf.range(math.prod(full)), full)
    y = tf.keras.layers.Flatten(data_format=data_format)(x)
    return FlattenResult(
        input_shape=tuple(x.shape),
        output_shape=tuple(y.shape),
        values_in=x.numpy().tolist(),
        values_out=y.numpy().tolist(),
        code=flatten_code(full, data_format, comments),
    )


def flatten_code(full_shape: tuple[int, ...], data_format: str = "channels_last",
                 comments: str | None = None) -> str:
    """The program that builds the input (batch included in ``full_shape``) and flattens it;
    its comment in ``comments`` (``"en"``, ``"zh"``; default: the messages' language)."""
    argument = "" if data_format == "channels_last" else f'data_format="{data_format}"'
    count, shape = full_shape[0], shape_text(full_shape[1:])
    comment = tr(f"{count} samples of shape {shape}, holding 0, 1, 2, ...",
                 f"{count} 个形状为 {shape} 的样本，依次存放 0, 1, 2, ...", comments)
    return (
        "import tensorflow as tf\n\n"
        f"# {comment}\n"
        f"x = tf.reshape(tf.range({math.prod(full_shape)}), {shape_text(full_shape)})\n"
        f"y = tf.keras.layers.Flatten({argument})(x)\n"
        'print("input shape:", x.shape)\n'
        'print("output shape:", y.shape)\n'
        "print(y.numpy())\n"
    )


def _check_batch(batch: Any) -> None:
    if not is_count(batch):
        raise TflabError(
            f"The batch size must be a whole number of at least 1 (got {batch!r}).",
            f"批次大小必须是不小于 1 的整数（收到的是 {batch!r}）。",
        )
