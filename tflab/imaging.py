"""Load pictures and crop them with ``tf.image.crop_to_bounding_box``.

The lesson behind this module: TensorFlow crops an image tensor of shape
``[height, width, channels]`` (or ``[batch, height, width, channels]``) with::

    tf.image.crop_to_bounding_box(image, offset_height, offset_width,
                                  target_height, target_width)

which is **y first** (rows, then columns), while a screen rectangle such as Qt's
``QRect(x, y, w, h)`` is **x first**. :class:`BoundingBox` holds the TensorFlow
order and converts from and to the screen order; :func:`crop` runs the real
TensorFlow call; :func:`slice_crop` does the same with a plain NumPy slice, and
:func:`call_code` / :func:`slice_code` show both as code.

Loading and saving use Pillow only: importing this module, loading and validating
pictures never import TensorFlow (only :func:`crop` and :func:`crop_batch` do).
Every problem a user can act on is a :class:`~tflab.messages.TflabError` in English
and Chinese.
"""

from __future__ import annotations

import io
import numbers
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from tflab import tfload
from tflab.fileio import atomic_write_bytes
from tflab.messages import TflabError, tr
from tflab.resources import resource_path

#: The largest picture accepted, in pixels (width × height): 50 megapixels, far
#: more than any classroom picture (a 12-megapixel phone photo is 4000 × 3000) and
#: small enough that decoding it cannot exhaust a school computer's memory.
MAX_PIXELS = 50_000_000

#: Formats :func:`load_image` reads (Pillow's format names).
READ_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "WEBP", "TIFF")

#: File extensions :func:`save_image` writes, and the format each one means.
SAVE_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}

_JPEG_QUALITY = 95

#: How a picture is named in messages: (English, Chinese).
_Label = tuple[str, str]
_BOX_FIELDS = ("offset_height", "offset_width", "target_height", "target_width")


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class LoadedImage:
    """A decoded picture, ready to become a tensor.

    ``array`` is ``uint8`` with shape ``[height, width, channels]`` and 1 (gray),
    3 (RGB) or 4 (RGBA) channels; ``mode`` is its Pillow mode (``"L"``, ``"RGB"``
    or ``"RGBA"``) and ``source_mode`` the mode stored in the file. ``size`` is
    ``(width, height)``, x first like Pillow and Qt. ``path`` is ``None`` for a
    picture loaded from bytes. ``format`` is the file format, e.g. ``"PNG"``.
    """

    array: np.ndarray
    mode: str
    size: tuple[int, int]
    path: Path | None
    format: str
    source_mode: str

    @property
    def height(self) -> int:
        return int(self.array.shape[0])

    @property
    def width(self) -> int:
        return int(self.array.shape[1])

    @property
    def channels(self) -> int:
        return int(self.array.shape[2])

    @property
    def shape(self) -> tuple[int, int, int]:
        """The tensor shape ``(height, width, channels)``."""
        return (self.height, self.width, self.channels)


def load_image(path: str | os.PathLike[str]) -> LoadedImage:
    """Read the picture at ``path`` (PNG, JPEG, BMP, GIF, WebP or TIFF).

    Palette pictures become RGB (RGBA when they have transparency), 16-bit and
    floating-point pictures become 8-bit, grayscale stays one channel. GIF and TIFF
    files give their first frame. An EXIF orientation tag (as phones write) is
    applied, so a photo is upright as in a photo viewer.
    """
    file = Path(path)
    label = str(file)
    if not file.exists():
        raise TflabError(
            f"The picture {label} does not exist.",
            f"图片 {label} 不存在。",
            hint_en="Check the file name and folder.",
            hint_zh="请检查文件名和所在文件夹。",
        )
    if file.is_dir():
        raise TflabError(
            f"{label} is a folder, not a picture.",
            f"{label} 是一个文件夹，不是图片。",
            hint_en="Choose a picture file inside it.",
            hint_zh="请选择文件夹中的某个图片文件。",
        )
    try:
        with open(file, "rb") as stream:
            return _decode(stream, (label, label), file)
    except OSError as exc:  # opening or reading the file itself failed
        raise TflabError(
            f"The picture {label} cannot be read: {exc.strerror or exc}.",
            f"无法读取图片 {label}：{exc.strerror or exc}。",
            hint_en="Check that the file is not locked and that you may read it.",
            hint_zh="请检查文件是否被占用，以及是否有读取权限。",
        ) from exc


def load_image_bytes(data: bytes, name: str | None = None) -> LoadedImage:
    """Decode a picture from bytes (drag and drop, clipboard), like :func:`load_image`.

    ``name`` is only used in messages; ``path`` of the result is ``None``.
    """
    label = (name, name) if name else ("(pasted data)", "（粘贴的数据）")
    return _decode(io.BytesIO(bytes(data)), label, None)


def _decode(stream: BinaryIO, label: _Label, path: Path | None) -> LoadedImage:
    """Open, check and fully decode a picture from ``stream``."""
    with _open(stream, label) as image:
        _check_pixels(image.width * image.height, label)
        file_format, source_mode = str(image.format), image.mode
        try:
            image.load()
        except Image.DecompressionBombError as exc:
            raise _too_large_error(label, _pixels_from_message(str(exc))) from exc
        except Exception as exc:
            raise _damaged_error(label) from exc
        _apply_orientation(image)
        array, mode = _to_uint8(image)
    return LoadedImage(
        array=array,
        mode=mode,
        size=(int(array.shape[1]), int(array.shape[0])),
        path=path,
        format=file_format,
        source_mode=source_mode,
    )


def _open(stream: BinaryIO, label: _Label) -> Image.Image:
    """``Image.open`` limited to :data:`READ_FORMATS`, with its errors translated."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; our stricter check follows.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(stream, formats=list(READ_FORMATS))
    except Image.DecompressionBombError as exc:
        raise _too_large_error(label, _pixels_from_message(str(exc))) from exc
    except UnidentifiedImageError as exc:
        raise TflabError(
            f"The file {label[0]} is not a picture tflab can read.",
            f"文件 {label[1]} 不是 tflab 能读取的图片。",
            hint_en="Use a PNG, JPEG, BMP, GIF, WebP or TIFF picture.",
            hint_zh="请使用 PNG、JPEG、BMP、GIF、WebP 或 TIFF 格式的图片。",
        ) from exc
    except Exception as exc:
        raise _damaged_error(label) from exc


def _apply_orientation(image: Image.Image) -> None:
    """Turn a photo upright by its EXIF orientation tag, in place.

    The orientation only changes how the picture is shown, so an unreadable tag is
    ignored rather than refusing a picture whose pixels decoded fine.
    """
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # noqa: BLE001 - malformed EXIF data can fail in many ways
        return


def _check_pixels(pixels: int, label: _Label) -> None:
    if pixels > MAX_PIXELS:
        raise _too_large_error(label, pixels)


def _pixels_from_message(text: str) -> int | None:
    """The pixel count in a decompression-bomb message, when it gives one."""
    found = re.search(r"\((\d+) pixels\)", text)
    return int(found.group(1)) if found else None


def _too_large_error(label: _Label, pixels: int | None) -> TflabError:
    limit = f"{MAX_PIXELS:,}"
    if pixels is None:
        count_en, count_zh = "more pixels than", "像素数超过"
    else:
        count_en, count_zh = f"{pixels:,} pixels, more than", f"{pixels:,} 个像素，超过了"
    return TflabError(
        f"The picture {label[0]} is too large: {count_en} the limit of {limit} pixels.",
        f"图片 {label[1]} 太大：{count_zh}上限 {limit} 个像素。",
        hint_en="Scale the picture down (for example to 4000 × 3000 or smaller) and try again.",
        hint_zh="请先把图片缩小（例如缩到 4000 × 3000 或更小）再试。",
    )


def _damaged_error(label: _Label) -> TflabError:
    return TflabError(
        f"The picture {label[0]} is damaged or incomplete (truncated), so it cannot be decoded.",
        f"图片 {label[1]} 已损坏或不完整（文件被截断），无法解码。",
        hint_en="Copy or download the picture again, or open and re-save it in an image editor.",
        hint_zh="请重新复制或下载该图片，或用图像编辑软件打开后重新保存。",
    )


def _to_uint8(image: Image.Image) -> tuple[np.ndarray, str]:
    """Convert a decoded picture to a ``uint8`` ``[H, W, C]`` array and its mode."""
    mode = image.mode
    if mode in ("L", "RGB", "RGBA"):
        converted = image
    elif mode == "1":
        converted = image.convert("L")
    elif mode == "P":
        converted = image.convert("RGBA" if image.has_transparency_data else "RGB")
    elif mode in ("LA", "La", "PA", "RGBa"):
        converted = image.convert("RGBA")
    elif mode in ("I", "F") or mode.startswith("I;16"):
        return _gray_to_uint8(np.asarray(image))[:, :, np.newaxis], "L"
    else:  # CMYK, YCbCr, LAB, HSV, RGBX ...
        converted = image.convert("RGB")
    array = np.array(converted, dtype=np.uint8)
    if array.ndim == 2:
        array = array[:, :, np.newaxis]
    return np.ascontiguousarray(array), converted.mode


def _gray_to_uint8(values: np.ndarray) -> np.ndarray:
    """Map 16-bit, 32-bit integer or floating-point gray levels to 0..255.

    Floats in 0..1 are scaled by 255; 16-bit data by 255/65535; 32-bit integers and
    floats already in 0..255 are kept, those in 0..65535 are treated as 16-bit;
    anything else is stretched from its minimum to its maximum.
    """
    data = np.nan_to_num(values.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(data.min()), float(data.max())
    is_16_bit = values.dtype.kind in "iu" and values.dtype.itemsize == 2
    if values.dtype.kind == "f" and low >= 0.0 and high <= 1.0:
        scaled = data * 255.0
    elif low >= 0.0 and high <= 255.0 and not is_16_bit:
        scaled = data
    elif low >= 0.0 and high <= 65535.0:
        scaled = data * (255.0 / 65535.0)
    elif high > low:
        scaled = (data - low) * (255.0 / (high - low))
    else:
        scaled = np.zeros_like(data)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------- bounding box


def _as_int(name: str, value: object) -> int:
    """``value`` as a Python int, or a TflabError naming the argument ``name``."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        if float(value).is_integer():
            return int(value)
    raise TflabError(
        f"{name} must be a whole number of pixels, got {value!r} ({type(value).__name__}).",
        f"{name} 必须是整数个像素，但得到的是 {value!r}（{type(value).__name__}）。",
        hint_en="Pixel positions and sizes count whole pixels: use an integer such as 10.",
        hint_zh="像素位置和大小按整像素计数：请使用整数，例如 10。",
    )


@dataclass(frozen=True)
class BoundingBox:
    """A crop box in TensorFlow's order: rows (y) first, then columns (x).

    The four fields are the arguments of ``tf.image.crop_to_bounding_box``. They are
    always Python ints: making a box from a bool, a string or a number with a
    fraction raises :class:`TflabError`; integral floats and NumPy integers are
    turned into ints. Whether the box fits a picture is checked by :meth:`validate`.
    """

    offset_height: int
    offset_width: int
    target_height: int
    target_width: int

    def __post_init__(self) -> None:
        for name in _BOX_FIELDS:
            object.__setattr__(self, name, _as_int(name, getattr(self, name)))

    @classmethod
    def from_xywh(cls, x: int, y: int, w: int, h: int) -> BoundingBox:
        """The box for a screen rectangle given x first, as in ``QRect(x, y, w, h)``."""
        return cls(offset_height=y, offset_width=x, target_height=h, target_width=w)

    def to_xywh(self) -> tuple[int, int, int, int]:
        """The box as a screen rectangle ``(x, y, w, h)``, x first."""
        return (self.offset_width, self.offset_height, self.target_width, self.target_height)

    def as_kwargs(self) -> dict[str, int]:
        """The four keyword arguments of ``tf.image.crop_to_bounding_box``."""
        return {name: getattr(self, name) for name in _BOX_FIELDS}

    @classmethod
    def parse(cls, text: str) -> BoundingBox:
        """Read ``"OFFSET_HEIGHT,OFFSET_WIDTH,TARGET_HEIGHT,TARGET_WIDTH"``.

        Commas (also the full-width "，") and spaces separate the four integers.
        """
        parts = [p for p in re.split(r"[,，\s]+", str(text).strip()) if p]
        if len(parts) != 4 or not all(re.fullmatch(r"[+-]?\d+", p) for p in parts):
            raise TflabError(
                f"Cannot read the box {text!r}: expected four whole numbers "
                "OFFSET_HEIGHT,OFFSET_WIDTH,TARGET_HEIGHT,TARGET_WIDTH.",
                f"无法读取裁剪框 {text!r}：需要四个整数 "
                "OFFSET_HEIGHT,OFFSET_WIDTH,TARGET_HEIGHT,TARGET_WIDTH。",
                hint_en="Example: 10,20,50,40 starts 10 rows down and 20 columns in, "
                "and keeps 50 rows and 40 columns.",
                hint_zh="例如 10,20,50,40：从第 10 行、第 20 列开始，保留 50 行、40 列。",
            )
        return cls(*(int(p) for p in parts))

    def clamp_to(self, height: int, width: int) -> BoundingBox:
        """This box moved and shrunk to lie inside a ``height`` × ``width`` picture.

        Meant for a rubber-band selection: a negative size selects towards the
        origin, parts outside the picture are cut off, and the result keeps at least
        one pixel in each direction whenever the picture has one.
        """
        top, rows = _clamp_span(self.offset_height, self.target_height, int(height))
        left, cols = _clamp_span(self.offset_width, self.target_width, int(width))
        return BoundingBox(top, left, rows, cols)

    def validate(self, height: int, width: int) -> None:
        """Raise :class:`TflabError` unless this box fits a ``height`` × ``width`` picture.

        These are the conditions ``tf.image.crop_to_bounding_box`` checks, told in
        words a learner can act on.
        """
        height, width = _as_int("height", height), _as_int("width", width)
        if height < 1 or width < 1:
            raise TflabError(
                f"The picture is empty ({height} × {width} pixels): there is nothing to crop.",
                f"图片是空的（{height} × {width} 像素）：没有可裁剪的内容。",
            )
        for name in ("offset_height", "offset_width"):
            _check_offset(name, getattr(self, name))
        for name in ("target_height", "target_width"):
            _check_target(name, getattr(self, name))
        _check_edge(self.offset_height, self.target_height, height, "height")
        _check_edge(self.offset_width, self.target_width, width, "width")


def _clamp_span(offset: int, size: int, limit: int) -> tuple[int, int]:
    """Clamp the span ``offset .. offset+size`` to ``0 .. limit``: ``(start, length)``."""
    if limit <= 0:
        return 0, 0
    low, high = sorted((offset, offset + size))
    start = min(max(low, 0), limit - 1)
    end = min(max(high, start + 1), limit)
    return start, end - start


def _check_offset(name: str, value: int) -> None:
    if value < 0:
        raise TflabError(
            f"{name} is {value}, but an offset cannot be negative.",
            f"{name} 为 {value}，但偏移量不能为负数。",
            hint_en=f"Set {name} to 0 or more: 0 means starting at the picture's first "
            f"{'row' if name == 'offset_height' else 'column'}.",
            hint_zh=f"请把 {name} 设为 0 或更大：0 表示从图片的第一"
            f"{'行' if name == 'offset_height' else '列'}开始。",
        )


def _check_target(name: str, value: int) -> None:
    if value <= 0:
        raise TflabError(
            f"{name} is {value}, but a size must be at least 1: a zero-size selection "
            "keeps nothing.",
            f"{name} 为 {value}，但大小至少要为 1：大小为零的选区什么也不保留。",
            hint_en=f"Set {name} to 1 or more (the number of "
            f"{'rows' if name == 'target_height' else 'columns'} to keep).",
            hint_zh=f"请把 {name} 设为 1 或更大（要保留的"
            f"{'行' if name == 'target_height' else '列'}数）。",
        )


def _check_edge(offset: int, target: int, size: int, axis: str) -> None:
    """Refuse a box that goes past the bottom (``axis="height"``) or right edge."""
    end = offset + target
    if end <= size:
        return
    offset_name, target_name = f"offset_{axis}", f"target_{axis}"
    edge_en, edge_zh = ("bottom", "下") if axis == "height" else ("right", "右")
    dim_en, dim_zh = ("high", "高") if axis == "height" else ("wide", "宽")
    if offset >= size:
        hint_en = f"Make {offset_name} at most {size - 1}."
        hint_zh = f"请把 {offset_name} 改为不超过 {size - 1}。"
    elif target > size:
        hint_en = f"Make {target_name} at most {size - offset}."
        hint_zh = f"请把 {target_name} 改为不超过 {size - offset}。"
    else:
        hint_en = (
            f"Make {target_name} at most {size - offset}, "
            f"or {offset_name} at most {size - target}."
        )
        hint_zh = (
            f"请把 {target_name} 改为不超过 {size - offset}，"
            f"或把 {offset_name} 改为不超过 {size - target}。"
        )
    raise TflabError(
        f"The box goes {end - size} pixel(s) past the {edge_en} edge: "
        f"{offset_name} + {target_name} = {offset} + {target} = {end}, "
        f"but the picture is only {size} pixels {dim_en}.",
        f"裁剪框超出图片{edge_zh}边缘 {end - size} 个像素："
        f"{offset_name} + {target_name} = {offset} + {target} = {end}，"
        f"但图片只有 {size} 像素{dim_zh}。",
        hint_en=hint_en,
        hint_zh=hint_zh,
    )


# ------------------------------------------------------------------------- cropping


@dataclass(frozen=True)
class BatchCrop:
    """The result of :func:`crop_batch`: the cropped 4-D array and the shapes."""

    array: np.ndarray
    shape_before: tuple[int, ...]
    shape_after: tuple[int, ...]


def _image_array(image: np.ndarray) -> np.ndarray:
    """``image`` as an array, refusing anything but a 3-D or 4-D image tensor."""
    array = np.asarray(image)
    if array.ndim not in (3, 4):
        raise TflabError(
            f"crop_to_bounding_box needs a 3-D [height, width, channels] or 4-D "
            f"[batch, height, width, channels] image, but this one has shape {array.shape}.",
            f"crop_to_bounding_box 需要三维 [height, width, channels] 或四维 "
            f"[batch, height, width, channels] 的图像，但这个图像的形状是 {array.shape}。",
            hint_en="A grayscale picture of shape [height, width] needs a channel axis: "
            "image[..., None] (tf.expand_dims(image, -1)).",
            hint_zh="形状为 [height, width] 的灰度图需要加上通道轴：image[..., None]"
            "（即 tf.expand_dims(image, -1)）。",
        )
    return array


def cropped_shape(shape: Sequence[int], box: BoundingBox) -> tuple[int, ...]:
    """The shape a crop of an image of ``shape`` (3-D or 4-D) with ``box`` has."""
    return (*tuple(shape)[:-3], box.target_height, box.target_width, tuple(shape)[-1])


def crop(image: np.ndarray, box: BoundingBox) -> np.ndarray:
    """Crop a 3-D or 4-D image with ``tf.image.crop_to_bounding_box``.

    The box is validated first, so TensorFlow's own errors never reach a user;
    TensorFlow is imported only after that check passes.
    """
    array = _image_array(image)
    box.validate(array.shape[-3], array.shape[-2])
    tf = tfload.tensorflow()  # lazy: seconds to import

    try:
        result = tf.image.crop_to_bounding_box(tf.convert_to_tensor(array), **box.as_kwargs())
    except Exception as exc:
        raise TflabError(
            f"TensorFlow could not crop this image of shape {array.shape} "
            f"with {box.as_kwargs()}: {exc}",
            f"TensorFlow 无法用 {box.as_kwargs()} 裁剪形状为 {array.shape} 的图像：{exc}",
        ) from exc
    return result.numpy()


def crop_batch(
    images: Sequence[np.ndarray], box: BoundingBox, names: Sequence[str] | None = None
) -> BatchCrop:
    """Stack same-size pictures into one ``[batch, height, width, channels]`` tensor and crop it.

    ``names`` (e.g. file names) are used to say which picture does not match.
    """
    if len(images) == 0:
        raise TflabError(
            "The batch is empty: add at least one picture.",
            "批次是空的：请至少加入一张图片。",
        )
    labels = list(names) if names is not None else [f"#{i + 1}" for i in range(len(images))]
    if len(labels) != len(images):
        raise ValueError(f"{len(images)} images but {len(labels)} names")
    arrays = [np.asarray(image) for image in images]
    check_batch_shapes([array.shape for array in arrays], labels)
    stacked = np.stack(arrays)
    return BatchCrop(
        array=crop(stacked, box),
        shape_before=tuple(stacked.shape),
        shape_after=cropped_shape(stacked.shape, box),
    )


def check_batch_shapes(shapes: Sequence[tuple[int, ...]], names: Sequence[str]) -> None:
    """Raise a clear error unless every shape is the same ``[height, width, channels]``.

    ``names`` say which picture does not match (e.g. file names).
    """
    first_shape, first_name = tuple(shapes[0]), names[0]
    for name, shape in zip(names, shapes):
        shape = tuple(shape)
        if len(shape) != 3:
            raise TflabError(
                f"Picture {name} has shape {shape}, but a batch is made of "
                "[height, width, channels] pictures.",
                f"图片 {name} 的形状是 {shape}，但批次只能由 "
                "[height, width, channels] 形状的图片组成。",
            )
        if shape != first_shape:
            raise TflabError(
                f"Picture {name} has shape {shape}, but picture {first_name} has shape "
                f"{first_shape}: every picture in a batch must have the same [height, width, "
                "channels].",
                f"图片 {name} 的形状是 {shape}，而图片 {first_name} 的形状是 {first_shape}："
                "同一批次中所有图片的 [height, width, channels] 必须相同。",
                hint_en="Resize the pictures to one size (e.g. tf.image.resize) and give them "
                "the same number of channels first.",
                hint_zh="请先把图片缩放到同一尺寸（例如用 tf.image.resize），并统一通道数。",
            )


def slice_crop(image: np.ndarray, box: BoundingBox) -> np.ndarray:
    """The same crop as :func:`crop`, done with a NumPy slice (a copy)."""
    array = _image_array(image)
    box.validate(array.shape[-3], array.shape[-2])
    rows = slice(box.offset_height, box.offset_height + box.target_height)
    cols = slice(box.offset_width, box.offset_width + box.target_width)
    return array[..., rows, cols, :].copy()


# ---------------------------------------------------------------------------- code


def _variable(image_var: str | None, batch: bool) -> str:
    name = image_var or ("images" if batch else "image")
    if not name.isidentifier():
        raise TflabError(
            f"{name!r} is not a valid Python variable name.",
            f"{name!r} 不是合法的 Python 变量名。",
        )
    return name


def call_code(box: BoundingBox, batch: bool = False, image_var: str | None = None) -> str:
    """The exact TensorFlow call for ``box``, with argument names.

    ``image_var`` defaults to ``image`` (``images`` for a batch).
    """
    args = ", ".join(f"{name}={value}" for name, value in box.as_kwargs().items())
    return f"tf.image.crop_to_bounding_box({_variable(image_var, batch)}, {args})"


def slice_code(box: BoundingBox, batch: bool = False, image_var: str | None = None) -> str:
    """The slice that keeps the same pixels, e.g. ``image[10:10+50, 20:20+40]``."""
    rows = f"{box.offset_height}:{box.offset_height}+{box.target_height}"
    cols = f"{box.offset_width}:{box.offset_width}+{box.target_width}"
    prefix = ":, " if batch else ""
    return f"{_variable(image_var, batch)}[{prefix}{rows}, {cols}]"


def code_lesson(box: BoundingBox, lang: str | None = None) -> str:
    """Why :func:`call_code` and :func:`slice_code` give the same pixels, for ``box``."""
    oh, ow, th, tw = (box.offset_height, box.offset_width, box.target_height, box.target_width)
    x, y, w, h = box.to_xywh()
    return tr(
        f"Both lines keep the same pixels: rows {oh} to {oh + th - 1} and columns "
        f"{ow} to {ow + tw - 1}. crop_to_bounding_box is a named, checked slice. "
        f"Its order is y first (offset_height, offset_width, target_height, "
        f"target_width), while a screen rectangle is x first: (x, y, w, h) = "
        f"({x}, {y}, {w}, {h}).",
        f"两行代码保留的像素完全相同：第 {oh} 到 {oh + th - 1} 行、第 {ow} 到 "
        f"{ow + tw - 1} 列。crop_to_bounding_box 就是带参数名和检查的切片。"
        f"它的顺序是先 y 后 x（offset_height, offset_width, target_height, "
        f"target_width），而屏幕上的矩形是先 x 后 y：(x, y, w, h) = ({x}, {y}, {w}, {h})。",
        lang,
    )


def thumbnail(array: np.ndarray, side: int) -> np.ndarray:
    """A copy of a picture scaled to fit a ``side`` × ``side`` square, aspect kept.

    ``array`` is ``uint8`` ``[height, width, 1|3|4]``; so is the result, with the same
    channels. Small pictures are enlarged to fit, large ones reduced smoothly. Pillow
    does the work without holding Python's lock, so a worker thread can make icons
    while the interface keeps running.
    """
    height, width = int(array.shape[0]), int(array.shape[1])
    scale = min(side / width, side / height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = _pil_image(array).resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    result = np.asarray(small, dtype=np.uint8)
    return np.ascontiguousarray(result[:, :, np.newaxis] if result.ndim == 2 else result)


# --------------------------------------------------------------------------- saving


def same_file(first: str | os.PathLike | None, second: str | os.PathLike | None) -> bool:
    """Whether two paths name one existing file (through links, case or ``..``)."""
    if first is None or second is None:
        return False
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def save_image(
    array: np.ndarray, path: str | os.PathLike[str], format: str | None = None
) -> Path:
    """Write a ``uint8`` ``[height, width, channels]`` array as PNG or JPEG, atomically.

    The format comes from ``format`` (``"PNG"`` / ``"JPEG"``) or else from the file
    extension. JPEG has no transparency: an RGBA picture is flattened onto white.
    The file is first written beside ``path`` and then moved into place, so a
    failure leaves any existing file untouched. Returns the path written.
    """
    target = Path(path)
    fmt = output_format(target, format)
    data = _encode(_pil_image(array), fmt)
    _check_writable_target(target)
    atomic_write_bytes(target, data)
    return target


def output_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """``"PNG"`` or ``"JPEG"``: the format :func:`save_image` would write ``path`` in.

    Raises :class:`TflabError` for any other format or extension, so a caller can
    check an output name before doing any work.
    """
    target = Path(path)
    if format is not None:
        fmt = format.upper().lstrip(".")
        fmt = "JPEG" if fmt == "JPG" else fmt
        if fmt in SAVE_EXTENSIONS.values():
            return fmt
        shown = format
    else:
        fmt = SAVE_EXTENSIONS.get(target.suffix.lower(), "")
        if fmt:
            return fmt
        shown = target.suffix or tr("(no extension)", "（无扩展名）")
    raise TflabError(
        f"Cannot save {target.name} as {shown}: pictures are saved as PNG or JPEG.",
        f"无法把 {target.name} 保存为 {shown}：图片只能保存为 PNG 或 JPEG。",
        hint_en="End the file name with .png (lossless, keeps transparency) or .jpg.",
        hint_zh="请让文件名以 .png（无损，保留透明度）或 .jpg 结尾。",
    )


def _pil_image(array: np.ndarray) -> Image.Image:
    """A Pillow image for a ``uint8`` ``[H, W]`` or ``[H, W, 1|3|4]`` array."""
    data = np.asarray(array)
    if data.ndim == 3 and data.shape[2] == 1:
        data = data[:, :, 0]
    valid_shape = data.ndim == 2 or (data.ndim == 3 and data.shape[2] in (3, 4))
    if data.dtype != np.uint8 or not valid_shape or data.size == 0:
        raise TflabError(
            f"Cannot save an array of shape {np.asarray(array).shape} and type "
            f"{np.asarray(array).dtype} as a picture: it must be uint8 with shape "
            "[height, width, channels] and 1, 3 or 4 channels.",
            f"无法把形状为 {np.asarray(array).shape}、类型为 {np.asarray(array).dtype} "
            "的数组保存为图片：它必须是 uint8，形状为 [height, width, channels]，"
            "通道数为 1、3 或 4。",
            hint_en="For a batch, save one picture at a time: images[0].",
            hint_zh="对于一个批次，请逐张保存：images[0]。",
        )
    return Image.fromarray(np.ascontiguousarray(data))


def _encode(image: Image.Image, fmt: str) -> bytes:
    """The file contents of ``image`` in ``fmt``; JPEG gets no alpha channel."""
    if fmt == "JPEG" and image.mode == "RGBA":
        white = Image.new("RGB", image.size, (255, 255, 255))
        white.paste(image, mask=image.getchannel("A"))
        image = white
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=_JPEG_QUALITY)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def _check_writable_target(target: Path) -> None:
    if target.is_dir():
        raise TflabError(
            f"Cannot save to {target}: it is a folder.",
            f"无法保存到 {target}：这是一个文件夹。",
            hint_en="Give a file name, e.g. cropped.png.",
            hint_zh="请给出文件名，例如 cropped.png。",
        )
    folder = target.parent
    if not folder.is_dir():
        raise TflabError(
            f"Cannot save to {target}: the folder {folder} does not exist.",
            f"无法保存到 {target}：文件夹 {folder} 不存在。",
            hint_en="Create the folder first or choose another one.",
            hint_zh="请先创建该文件夹，或选择其他文件夹。",
        )


# ------------------------------------------------------------------- sample pictures


@dataclass(frozen=True)
class SampleImage:
    """A bundled sample picture (see ``resources/images/LICENSES.md``)."""

    name: str
    path: Path
    desc_en: str
    desc_zh: str
    licence: str

    def description(self, lang: str | None = None) -> str:
        return tr(self.desc_en, self.desc_zh, lang)


# name, file, English description, Chinese description, licence
_SAMPLES = (
    (
        "camera",
        "camera.png",
        "A photographer with a camera on a tripod (grayscale, 512 × 512).",
        "一位摄影师和三脚架上的相机（灰度，512 × 512）。",
        "CC0 (photographer: Lav Varshney)",
    ),
    (
        "astronaut",
        "astronaut.jpg",
        "Astronaut Eileen Collins (colour JPEG, 512 × 512).",
        "宇航员艾琳·柯林斯（彩色 JPEG，512 × 512）。",
        "Public domain (NASA)",
    ),
    (
        "chelsea",
        "chelsea.png",
        "Chelsea the cat (colour, 451 wide × 300 high).",
        "名叫 Chelsea 的猫（彩色，宽 451 × 高 300）。",
        "CC0 (photographer: Stefan van der Walt)",
    ),
    (
        "coffee",
        "coffee.png",
        "A cup of coffee on a wooden table (colour, 360 wide × 240 high).",
        "木桌上的一杯咖啡（彩色，宽 360 × 高 240）。",
        "CC0 (photographer: Rachel Michetti)",
    ),
    (
        "horse",
        "horse.png",
        "A horse silhouette on a transparent background (RGBA, 400 wide × 328 high).",
        "透明背景上的马的剪影（RGBA，宽 400 × 高 328）。",
        "CC0 (author: Andreas Preuss)",
    ),
)


def sample_images() -> list[SampleImage]:
    """The bundled sample pictures; a missing file raises (a broken installation)."""
    return [
        SampleImage(name, resource_path(f"images/{file}"), desc_en, desc_zh, licence)
        for name, file, desc_en, desc_zh, licence in _SAMPLES
    ]


def sample_names() -> list[str]:
    """The names of the sample pictures, without looking for their files."""
    return [entry[0] for entry in _SAMPLES]


def sample_image(name: str) -> SampleImage:
    """The sample picture called ``name`` (e.g. ``"camera"``)."""
    for sample in sample_images():
        if sample.name == name.strip().lower():
            return sample
    known = ", ".join(sample_names())
    raise TflabError(
        f"There is no sample picture called {name!r}. Samples: {known}.",
        f"没有名为 {name!r} 的示例图片。可用的示例：{known}。",
    )
