"""The image-crop engine: loading pictures, bounding boxes, TensorFlow crops, saving."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from tflab import imaging
from tflab.imaging import BoundingBox
from tflab.messages import TflabError
from tflab.resources import resource_path


def assert_bilingual(err: TflabError) -> None:
    """Both languages are present and differ (the Chinese is not a copy of the English)."""
    assert err.en.strip() and err.zh.strip()
    assert err.en != err.zh


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be ``width`` × ``height`` (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------ sample pictures


def test_samples_are_bundled_small_varied_and_licensed():
    samples = imaging.sample_images()
    assert 3 <= len(samples) <= 5
    licences = resource_path("images/LICENSES.md").read_text(encoding="utf-8")
    shapes = set()
    for sample in samples:
        assert sample.path.is_file()
        assert sample.path.stat().st_size < 300_000
        assert f"`{sample.path.name}`" in licences
        assert sample.desc_en and sample.desc_zh and sample.licence
        assert sample.description("zh") == sample.desc_zh
        shapes.add(imaging.load_image(sample.path).shape)
    channels = {shape[2] for shape in shapes}
    assert channels == {1, 3, 4}
    assert len({shape[:2] for shape in shapes}) >= 3


def test_sample_lookup_by_name():
    assert imaging.sample_image("camera").path.name == "camera.png"
    assert imaging.sample_names() == [s.name for s in imaging.sample_images()]
    with pytest.raises(TflabError) as info:
        imaging.sample_image("unicorn")
    assert_bilingual(info.value)
    assert "camera" in info.value.en


# -------------------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def chelsea() -> np.ndarray:
    """An RGB photo, wider than high."""
    return imaging.load_image(imaging.sample_image("chelsea").path).array


def test_sample_modes_and_shapes():
    camera = imaging.load_image(imaging.sample_image("camera").path)
    assert (camera.shape, camera.mode, camera.format) == ((512, 512, 1), "L", "PNG")
    astronaut = imaging.load_image(imaging.sample_image("astronaut").path)
    assert (astronaut.shape, astronaut.mode, astronaut.format) == ((512, 512, 3), "RGB", "JPEG")
    horse = imaging.load_image(imaging.sample_image("horse").path)
    assert (horse.shape, horse.mode) == ((328, 400, 4), "RGBA")
    assert horse.size == (400, 328)  # width first, like Pillow and Qt
    assert horse.array.dtype == np.uint8
    assert horse.path == imaging.sample_image("horse").path


@pytest.mark.parametrize("fmt, options", [
    ("PNG", {}), ("BMP", {}), ("TIFF", {}), ("WEBP", {"lossless": True}),
])
def test_lossless_formats_round_trip_exactly(tmp_path, chelsea, fmt, options):
    path = tmp_path / f"picture.{fmt.lower()}"
    path.write_bytes(encode(Image.fromarray(chelsea), fmt, **options))
    loaded = imaging.load_image(path)
    assert loaded.format == fmt
    np.testing.assert_array_equal(loaded.array, chelsea)


def test_jpeg_loads_with_its_size(chelsea):
    loaded = imaging.load_image_bytes(encode(Image.fromarray(chelsea), "JPEG"))
    assert loaded.shape == chelsea.shape and loaded.format == "JPEG" and loaded.path is None


def test_gif_gives_the_first_frame_as_rgb():
    red = Image.new("RGB", (30, 20), (255, 0, 0))
    blue = Image.new("RGB", (30, 20), (0, 0, 255))
    data = encode(red, "GIF", save_all=True, append_images=[blue])
    loaded = imaging.load_image_bytes(data)
    assert loaded.shape == (20, 30, 3)
    assert (loaded.array == [255, 0, 0]).all()


def test_palette_becomes_rgb_or_rgba_when_transparent(chelsea):
    palette = Image.fromarray(chelsea).quantize(16)
    opaque = imaging.load_image_bytes(encode(palette, "PNG"))
    assert opaque.source_mode == "P" and opaque.mode == "RGB"
    np.testing.assert_array_equal(opaque.array, np.asarray(palette.convert("RGB")))
    palette.info["transparency"] = 0
    clear = imaging.load_image_bytes(encode(palette, "PNG", transparency=0))
    assert clear.mode == "RGBA" and clear.channels == 4
    hidden = np.asarray(palette) == 0
    assert hidden.any() and (clear.array[..., 3][hidden] == 0).all()
    assert (clear.array[..., 3][~hidden] == 255).all()


def test_grayscale_keeps_one_channel_and_two_channel_modes_become_rgba(chelsea):
    gray = Image.fromarray(chelsea).convert("L")
    loaded = imaging.load_image_bytes(encode(gray, "PNG"))
    assert loaded.shape == (300, 451, 1)
    np.testing.assert_array_equal(loaded.array[..., 0], np.asarray(gray))
    assert imaging.load_image_bytes(encode(gray.convert("LA"), "PNG")).shape == (300, 451, 4)
    bilevel = imaging.load_image_bytes(encode(gray.convert("1"), "BMP"))
    assert bilevel.shape == (300, 451, 1) and set(np.unique(bilevel.array)) <= {0, 255}
    cmyk = imaging.load_image_bytes(encode(Image.fromarray(chelsea).convert("CMYK"), "JPEG"))
    assert cmyk.shape == (300, 451, 3)


def test_sixteen_bit_and_float_pictures_become_8_bit():
    levels = np.array([[0, 257, 257 * 128], [257 * 200, 65535, 65535]], dtype=np.uint16)
    deep = imaging.load_image_bytes(encode(Image.fromarray(levels), "PNG"))
    assert deep.mode == "L" and deep.array.dtype == np.uint8
    np.testing.assert_array_equal(deep.array[..., 0], [[0, 1, 128], [200, 255, 255]])
    ramp = np.linspace(0.0, 1.0, 12, dtype=np.float32).reshape(3, 4)
    floats = imaging.load_image_bytes(encode(Image.fromarray(ramp), "TIFF"))
    np.testing.assert_array_equal(floats.array[..., 0], np.rint(ramp * 255).astype(np.uint8))
    odd = np.array([[-1.0, 0.0], [1.0, 3.0]], dtype=np.float32)  # no usual range: stretched
    stretched = imaging.load_image_bytes(encode(Image.fromarray(odd), "TIFF"))
    np.testing.assert_array_equal(stretched.array[..., 0], [[0, 64], [128, 255]])
    wide = np.array([[0, 100], [1000, 70000]], dtype=np.int32)  # 32-bit beyond 16 bits
    assert imaging.load_image_bytes(encode(Image.fromarray(wide), "TIFF")).array.max() == 255


def test_jpeg_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: shown turned a quarter turn
    data = encode(Image.new("RGB", (40, 20), (9, 9, 9)), "JPEG", exif=exif)
    assert imaging.load_image_bytes(data).shape == (40, 20, 3)


def test_bytes_and_file_load_the_same(tmp_path):
    path = imaging.sample_image("coffee").path
    from_file = imaging.load_image(path)
    from_bytes = imaging.load_image_bytes(path.read_bytes(), "coffee.png")
    np.testing.assert_array_equal(from_file.array, from_bytes.array)


# ----------------------------------------------------------------------- bad input


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(TflabError) as missing:
        imaging.load_image(tmp_path / "nope.png")
    assert_bilingual(missing.value)
    assert "nope.png" in missing.value.en and "nope.png" in missing.value.zh
    with pytest.raises(TflabError) as folder:
        imaging.load_image(tmp_path)
    assert_bilingual(folder.value)
    assert "folder" in folder.value.en


@pytest.mark.parametrize("data", [b"", b"just some text\n", b"\x89PNG\r\n\x1a\n"])
def test_not_a_picture_is_refused(tmp_path, data):
    path = tmp_path / "notes.png"
    path.write_bytes(data)
    with pytest.raises(TflabError) as info:
        imaging.load_image(path)
    assert_bilingual(info.value)
    assert str(path) in info.value.en


def test_unnamed_pasted_data_is_named_in_each_language():
    with pytest.raises(TflabError) as info:
        imaging.load_image_bytes(b"not a picture")
    assert "pasted" in info.value.en and "粘贴" in info.value.zh
    assert "粘贴" not in info.value.en


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_truncated_file_is_reported(chelsea, fmt):
    data = encode(Image.fromarray(chelsea), fmt)
    with pytest.raises(TflabError) as info:
        imaging.load_image_bytes(data[: len(data) // 2], "cut." + fmt.lower())
    assert_bilingual(info.value)
    assert "truncated" in info.value.en and "截断" in info.value.zh
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize("width, height", [
    (8000, 7000),  # over tflab's limit only
    (10_000, 10_000),  # over Pillow's warning limit too
    (100_000, 100_000),  # over Pillow's error limit too
])
def test_huge_picture_is_refused_with_pixel_count_and_limit(width, height):
    with pytest.raises(TflabError) as info:
        imaging.load_image_bytes(png_header_only(width, height), "bomb.png")
    err = info.value
    assert_bilingual(err)
    pixels = f"{width * height:,}"
    limit = f"{imaging.MAX_PIXELS:,}"
    assert pixels in err.en and limit in err.en
    assert pixels in err.zh and limit in err.zh


def test_the_limit_is_50_megapixels_and_a_picture_at_it_loads(monkeypatch):
    assert imaging.MAX_PIXELS == 50_000_000
    monkeypatch.setattr(imaging, "MAX_PIXELS", 12)
    at_limit = encode(Image.new("L", (4, 3), 7), "PNG")
    assert imaging.load_image_bytes(at_limit).shape == (3, 4, 1)
    with pytest.raises(TflabError) as info:
        imaging.load_image_bytes(encode(Image.new("L", (13, 1), 7), "PNG"))
    assert "13 pixels" in info.value.en


# --------------------------------------------------------------------- bounding box


def test_xywh_order_is_the_screen_order():
    box = BoundingBox.from_xywh(20, 10, 40, 50)
    assert box == BoundingBox(offset_height=10, offset_width=20, target_height=50, target_width=40)
    assert box.to_xywh() == (20, 10, 40, 50)
    assert box.as_kwargs() == {
        "offset_height": 10, "offset_width": 20, "target_height": 50, "target_width": 40,
    }


def test_fields_become_python_ints():
    box = BoundingBox(np.int64(1), 2.0, np.uint8(3), 4)
    assert box == BoundingBox(1, 2, 3, 4)
    assert all(type(v) is int for v in box.as_kwargs().values())


@pytest.mark.parametrize("bad", [True, 1.5, "10", None, np.float32(2.25)])
def test_non_integers_are_refused(bad):
    with pytest.raises(TflabError) as info:
        BoundingBox(0, 0, bad, 5)
    assert_bilingual(info.value)
    assert "target_height" in info.value.en


@pytest.mark.parametrize("text, expected", [
    ("10,20,50,40", (10, 20, 50, 40)),
    (" 10, 20 ,50, 40 ", (10, 20, 50, 40)),
    ("10，20，50，40", (10, 20, 50, 40)),
    ("-1,0,5,5", (-1, 0, 5, 5)),
])
def test_parse(text, expected):
    assert BoundingBox.parse(text) == BoundingBox(*expected)


@pytest.mark.parametrize("text", ["", "10,20,50", "10,20,50,40,1", "a,b,c,d", "1.5,2,3,4"])
def test_parse_refuses_bad_text(text):
    with pytest.raises(TflabError) as info:
        BoundingBox.parse(text)
    assert_bilingual(info.value)
    assert "OFFSET_HEIGHT,OFFSET_WIDTH,TARGET_HEIGHT,TARGET_WIDTH" in info.value.en


@pytest.mark.parametrize("box, field, words", [
    (BoundingBox(-1, 0, 5, 5), "offset_height", "negative"),
    (BoundingBox(0, -3, 5, 5), "offset_width", "negative"),
    (BoundingBox(0, 0, 0, 5), "target_height", "zero-size"),
    (BoundingBox(0, 0, 5, -2), "target_width", "zero-size"),
])
def test_validate_refuses_negative_offsets_and_empty_selections(box, field, words):
    with pytest.raises(TflabError) as info:
        box.validate(100, 80)
    assert_bilingual(info.value)
    assert field in info.value.en and words in info.value.en and field in info.value.zh


def test_validate_says_how_far_past_the_bottom_and_what_to_change():
    with pytest.raises(TflabError) as info:
        BoundingBox(40, 0, 100, 10).validate(128, 80)
    err = info.value
    assert_bilingual(err)
    assert "12 pixel(s) past the bottom edge" in err.en and "12 个像素" in err.zh
    assert "target_height at most 88" in err.hint_en and "offset_height at most 28" in err.hint_en
    assert "88" in err.hint_zh and "28" in err.hint_zh


def test_validate_says_how_far_past_the_right_edge():
    with pytest.raises(TflabError) as info:
        BoundingBox(0, 75, 10, 10).validate(128, 80)
    err = info.value
    assert "5 pixel(s) past the right edge" in err.en and "右" in err.zh
    assert "target_width at most 5" in err.hint_en
    with pytest.raises(TflabError) as beyond:
        BoundingBox(0, 90, 10, 10).validate(128, 80)
    assert "offset_width at most 79" in beyond.value.hint_en


def test_validate_accepts_boxes_that_touch_the_edges_and_not_one_pixel_more():
    BoundingBox(0, 0, 128, 80).validate(128, 80)
    BoundingBox(127, 79, 1, 1).validate(128, 80)
    for box in (BoundingBox(0, 0, 129, 80), BoundingBox(127, 79, 1, 2)):
        with pytest.raises(TflabError) as info:
            box.validate(128, 80)
        assert "1 pixel(s) past" in info.value.en


@pytest.mark.parametrize("box, expected", [
    ((10, 20, 30, 40), (10, 20, 30, 40)),  # inside: unchanged
    ((-5, -7, 30, 40), (0, 0, 25, 33)),  # above and left of the picture
    ((90, 70, 30, 40), (90, 70, 10, 10)),  # past the bottom-right corner
    ((50, 60, 0, 0), (50, 60, 1, 1)),  # a click: one pixel
    ((50, 60, -20, -30), (30, 30, 20, 30)),  # dragged up and left
    ((500, 500, 10, 10), (99, 79, 1, 1)),  # entirely outside: nearest pixel
])
def test_clamp_to_keeps_a_rubber_band_inside(box, expected):
    assert BoundingBox(*box).clamp_to(100, 80) == BoundingBox(*expected)


def test_clamped_boxes_always_validate():
    rng = np.random.default_rng(7)
    for _ in range(300):
        height, width = (int(v) for v in rng.integers(1, 60, size=2))
        box = BoundingBox(*(int(v) for v in rng.integers(-80, 80, size=4)))
        box.clamp_to(height, width).validate(height, width)


# ------------------------------------------------------------------------- cropping


def _variants() -> dict[str, np.ndarray]:
    """Real pictures in every channel layout: samples and conversions of them."""
    arrays = {s.name: imaging.load_image(s.path).array for s in imaging.sample_images()}
    chelsea = Image.fromarray(arrays["chelsea"])
    rgba = chelsea.convert("RGBA")
    rgba.putalpha(Image.fromarray(arrays["chelsea"][..., 0]))
    arrays["chelsea-gray"] = np.asarray(chelsea.convert("L"))[:, :, None]
    arrays["chelsea-rgba"] = np.asarray(rgba)
    arrays["camera-rgb"] = np.asarray(Image.fromarray(arrays["camera"][..., 0]).convert("RGB"))
    return arrays


VARIANTS = _variants()


def pillow_crop(array: np.ndarray, box: BoundingBox) -> np.ndarray:
    """The reference crop: Pillow's ``Image.crop((x, y, x + w, y + h))``."""
    x, y, w, h = box.to_xywh()
    squeezed = array[..., 0] if array.shape[2] == 1 else array
    cropped = np.asarray(Image.fromarray(squeezed).crop((x, y, x + w, y + h)))
    return cropped.reshape(h, w, array.shape[2])


def random_boxes(rng: np.random.Generator, height: int, width: int, count: int):
    for _ in range(count):
        top, bottom = sorted(int(v) for v in rng.choice(height + 1, size=2, replace=False))
        left, right = sorted(int(v) for v in rng.choice(width + 1, size=2, replace=False))
        yield BoundingBox(top, left, bottom - top, right - left)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_crop_matches_pillow_and_slicing_pixel_for_pixel(name):
    image = VARIANTS[name]
    height, width = image.shape[:2]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    boxes = list(random_boxes(rng, height, width, 25))
    boxes += [BoundingBox(0, 0, height, width), BoundingBox(height - 1, width - 1, 1, 1)]
    for box in boxes:
        cropped = imaging.crop(image, box)
        assert isinstance(cropped, np.ndarray) and cropped.dtype == np.uint8
        assert cropped.shape == imaging.cropped_shape(image.shape, box)
        np.testing.assert_array_equal(cropped, pillow_crop(image, box), err_msg=str(box))
        np.testing.assert_array_equal(cropped, imaging.slice_crop(image, box), err_msg=str(box))


def test_crop_batch_equals_cropping_each_picture():
    rng = np.random.default_rng(3)
    camera = VARIANTS["camera-rgb"]
    astronaut = VARIANTS["astronaut"]
    flipped = astronaut[::-1].copy()
    for box in random_boxes(rng, 512, 512, 5):
        batch = imaging.crop_batch([camera, astronaut, flipped], box)
        assert batch.shape_before == (3, 512, 512, 3)
        assert batch.shape_after == (3, box.target_height, box.target_width, 3)
        assert batch.array.shape == batch.shape_after
        for index, image in enumerate([camera, astronaut, flipped]):
            np.testing.assert_array_equal(batch.array[index], imaging.crop(image, box))
        np.testing.assert_array_equal(
            batch.array, imaging.slice_crop(np.stack([camera, astronaut, flipped]), box)
        )


def test_crop_batch_names_the_first_picture_that_differs():
    same = VARIANTS["camera"]
    gray_cat, rgb_cat = VARIANTS["chelsea-gray"], VARIANTS["chelsea"]
    box = BoundingBox(0, 0, 10, 10)
    with pytest.raises(TflabError) as size:
        imaging.crop_batch([same, same, gray_cat, rgb_cat], box, names=["a", "b", "c.png", "d"])
    assert_bilingual(size.value)
    assert "c.png" in size.value.en and "c.png" in size.value.zh
    assert "(300, 451, 1)" in size.value.en
    with pytest.raises(TflabError) as channels:
        imaging.crop_batch([rgb_cat, gray_cat], box)
    assert "#2" in channels.value.en
    with pytest.raises(TflabError) as empty:
        imaging.crop_batch([], box)
    assert_bilingual(empty.value)
    with pytest.raises(TflabError) as flat:
        imaging.crop_batch([same[..., 0], same[..., 0]], box)
    assert "#1" in flat.value.en


@pytest.mark.parametrize("shape", [(20, 30), (20,), (1, 2, 20, 30, 3)])
def test_crop_needs_a_3d_or_4d_image(shape):
    with pytest.raises(TflabError) as info:
        imaging.crop(np.zeros(shape, np.uint8), BoundingBox(0, 0, 1, 1))
    assert_bilingual(info.value)
    assert str(tuple(shape)) in info.value.en


@pytest.mark.parametrize("box", [
    BoundingBox(-1, 0, 5, 5), BoundingBox(0, 0, 0, 5), BoundingBox(0, 0, 5, 0),
    BoundingBox(0, 0, 21, 5), BoundingBox(0, 0, 5, 31), BoundingBox(20, 0, 1, 1),
])
def test_bad_boxes_give_tflab_errors_not_tensorflow_errors(box):
    for image in (np.zeros((20, 30, 3), np.uint8), np.zeros((2, 20, 30, 1), np.uint8)):
        with pytest.raises(TflabError) as info:
            imaging.crop(image, box)
        assert_bilingual(info.value)
        assert "TensorFlow could not" not in info.value.en  # caught before TensorFlow runs


def test_an_unexpected_tensorflow_error_becomes_a_tflab_error(monkeypatch):
    import tensorflow as tf

    def broken(*args, **kwargs):
        raise tf.errors.InvalidArgumentError(None, None, "simulated failure")

    monkeypatch.setattr(tf.image, "crop_to_bounding_box", broken)
    with pytest.raises(TflabError) as info:
        imaging.crop(np.zeros((4, 4, 1), np.uint8), BoundingBox(0, 0, 2, 2))
    assert_bilingual(info.value)
    assert "simulated failure" in info.value.en


# ---------------------------------------------------------------------------- code


def test_call_and_slice_code_are_exact():
    box = BoundingBox(10, 20, 50, 40)
    assert imaging.call_code(box) == (
        "tf.image.crop_to_bounding_box(image, offset_height=10, offset_width=20, "
        "target_height=50, target_width=40)"
    )
    assert imaging.call_code(box, batch=True).startswith("tf.image.crop_to_bounding_box(images, ")
    named = imaging.call_code(box, image_var="photo")
    assert named.startswith("tf.image.crop_to_bounding_box(photo, ")
    assert imaging.slice_code(box) == "image[10:10+50, 20:20+40]"
    assert imaging.slice_code(box, batch=True) == "images[:, 10:10+50, 20:20+40]"
    with pytest.raises(TflabError):
        imaging.call_code(box, image_var="my image")


def test_shown_code_runs_and_gives_the_same_pixels():
    import tensorflow as tf

    image = VARIANTS["coffee"]
    images = np.stack([image, image[::-1]])
    box = BoundingBox(15, 25, 100, 120)
    by_call = eval(imaging.call_code(box), {"tf": tf, "image": image}).numpy()
    by_slice = eval(imaging.slice_code(box), {"image": image})
    np.testing.assert_array_equal(by_call, by_slice)
    np.testing.assert_array_equal(by_call, imaging.crop(image, box))
    names = {"tf": tf, "images": images}
    batch_call = eval(imaging.call_code(box, batch=True), names).numpy()
    batch_slice = eval(imaging.slice_code(box, batch=True), names)
    np.testing.assert_array_equal(batch_call, batch_slice)


def test_code_lesson_explains_the_order_in_both_languages():
    box = BoundingBox(10, 20, 50, 40)
    for lang in ("en", "zh"):
        lesson = imaging.code_lesson(box, lang)
        assert "(20, 10, 40, 50)" in lesson and "59" in lesson
    assert imaging.code_lesson(box, "en") != imaging.code_lesson(box, "zh")


# --------------------------------------------------------------------------- saving


@pytest.mark.parametrize("name", ["camera", "chelsea", "horse"])
def test_png_round_trip_is_exact(tmp_path, name):
    array = VARIANTS[name]
    written = imaging.save_image(array, tmp_path / "out.png")
    assert written == tmp_path / "out.png"
    np.testing.assert_array_equal(imaging.load_image(written).array, array)
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]  # no temporary left behind


def test_new_file_gets_ordinary_permissions(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    written = imaging.save_image(VARIANTS["camera"], tmp_path / "out.png")
    assert written.stat().st_mode & 0o777 == 0o666 & ~umask


def test_jpeg_drops_alpha_onto_white(tmp_path):
    rgba = np.zeros((16, 16, 4), np.uint8)
    rgba[:8] = (200, 30, 30, 255)  # top half opaque red, bottom half transparent
    written = imaging.save_image(rgba, tmp_path / "out.jpg")
    loaded = imaging.load_image(written)
    assert loaded.format == "JPEG" and loaded.shape == (16, 16, 3)
    assert np.abs(loaded.array[2:6].astype(int) - [200, 30, 30]).max() < 12
    assert loaded.array[11:].min() > 240


def test_format_argument_overrides_the_extension(tmp_path):
    written = imaging.save_image(VARIANTS["chelsea"], tmp_path / "picture.dat", format="jpg")
    assert imaging.load_image(written).format == "JPEG"
    assert imaging.output_format("x.JPEG") == "JPEG" and imaging.output_format("x.png") == "PNG"


@pytest.fixture
def existing(tmp_path) -> Path:
    path = tmp_path / "keep.png"
    path.write_bytes(b"precious")
    return path


def assert_only_existing_left(existing: Path) -> None:
    assert existing.read_bytes() == b"precious"
    assert [p.name for p in existing.parent.iterdir()] == [existing.name]


@pytest.mark.parametrize("suffix", [".gif", ".txt", ""])
def test_unknown_extension_is_refused(tmp_path, suffix):
    with pytest.raises(TflabError) as info:
        imaging.save_image(VARIANTS["camera"], tmp_path / f"out{suffix}")
    assert_bilingual(info.value)
    assert ".png" in info.value.hint_en
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("array", [
    np.zeros((4, 4, 3), np.float32),
    np.zeros((4, 4, 2), np.uint8),
    np.zeros((2, 4, 4, 3), np.uint8),
])
def test_unsavable_array_leaves_the_existing_file_intact(existing, array):
    with pytest.raises(TflabError) as info:
        imaging.save_image(array, existing)
    assert_bilingual(info.value)
    assert_only_existing_left(existing)


def test_failed_write_leaves_the_existing_file_intact(existing, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(imaging.os, "replace", refuse)
    with pytest.raises(TflabError) as info:
        imaging.save_image(VARIANTS["camera"], existing)
    assert_bilingual(info.value)
    assert "Permission denied" in info.value.en
    assert_only_existing_left(existing)


def test_missing_folder_and_folder_target_are_refused(tmp_path):
    with pytest.raises(TflabError) as missing:
        imaging.save_image(VARIANTS["camera"], tmp_path / "nowhere" / "out.png")
    assert_bilingual(missing.value)
    assert "nowhere" in missing.value.en
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(TflabError) as info:
        imaging.save_image(VARIANTS["camera"], folder)
    assert_bilingual(info.value)
