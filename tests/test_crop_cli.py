"""``python -m tflab crop``, run as a user runs it: in a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tflab import imaging
from tflab.imaging import BoundingBox

ROOT = Path(__file__).resolve().parent.parent


def run_crop(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(var, None)
    env.update(LANGUAGE=lang, PYTHONIOENCODING="utf-8", TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, "-m", "tflab", "crop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_good_crop_writes_the_cropped_picture_and_prints_shapes_and_call(tmp_path):
    out = tmp_path / "face.png"
    result = run_crop("sample:chelsea", "--box", "50,100,120,200", "-o", str(out), "--show-code")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with Image.open(out) as written:
        assert written.size == (200, 120)  # Pillow: (width, height)
    box = BoundingBox(50, 100, 120, 200)
    source = imaging.load_image(imaging.sample_image("chelsea").path).array
    np.testing.assert_array_equal(imaging.load_image(out).array, imaging.slice_crop(source, box))
    assert "(300, 451, 3)" in result.stdout and "(120, 200, 3)" in result.stdout
    assert imaging.call_code(box) in result.stdout
    assert imaging.slice_code(box) in result.stdout  # --show-code


def test_rgba_sample_to_jpeg(tmp_path):
    out = tmp_path / "horse.jpg"
    result = run_crop("sample:horse", "--box=0,0,100,150", "-o", str(out))
    assert result.returncode == 0, result.stderr
    loaded = imaging.load_image(out)
    assert loaded.format == "JPEG" and loaded.shape == (100, 150, 3)
    assert "(100, 150, 4)" in result.stdout  # the crop itself keeps alpha
    assert imaging.slice_code(BoundingBox(0, 0, 100, 150)) not in result.stdout  # no --show-code


@pytest.mark.parametrize("args, words", [
    (["--box", "250,100,120,200"], "70 pixel(s) past the bottom edge"),
    (["--box", "0,400,10,100"], "49 pixel(s) past the right edge"),
    (["--box", "0,0,0,10"], "zero-size"),
    (["--box=-5,0,10,10"], "cannot be negative"),
    (["--box", "10,20,30"], "four whole numbers"),
    (["--box", "1.5,2,3,4"], "four whole numbers"),
])
def test_bad_box_exits_1_with_a_message_and_keeps_the_existing_output(tmp_path, args, words):
    out = tmp_path / "out.png"
    out.write_bytes(b"precious")
    result = run_crop("sample:chelsea", *args, "-o", str(out))
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


@pytest.mark.parametrize("image, output, words", [
    ("{tmp}/missing.png", "out.png", "does not exist"),
    ("{tmp}", "out.png", "is a folder"),
    ("{tmp}/notes.png", "out.png", "not a picture"),
    ("sample:unicorn", "out.png", "no sample picture"),
    ("sample:camera", "out.gif", "PNG or JPEG"),
])
def test_bad_input_or_output_exits_1_without_traceback(tmp_path, image, output, words):
    (tmp_path / "notes.png").write_text("hello", encoding="utf-8")
    result = run_crop(image.format(tmp=tmp_path), "--box", "0,0,10,10",
                      "-o", str(tmp_path / output))
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / output).exists()


def test_messages_in_chinese(tmp_path):
    result = run_crop("sample:camera", "--box", "500,0,20,20", "-o", str(tmp_path / "o.png"),
                      lang="zh_CN")
    assert result.returncode == 1
    assert "超出图片下边缘 8 个像素" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_crop_never_replaces_its_own_input_without_overwrite(tmp_path):
    photo = tmp_path / "photo.png"
    Image.fromarray(np.zeros((30, 40, 3), np.uint8)).save(photo)
    original = photo.read_bytes()
    out = run_crop(str(photo), "--box", "1,1,5,5", "-o", str(photo))
    assert out.returncode == 1 and "replace the original" in out.stderr and "--overwrite" in out.stderr
    assert photo.read_bytes() == original
    out = run_crop(str(photo), "--box", "1,1,5,5", "-o", str(photo), "--overwrite")
    assert out.returncode == 0 and imaging.load_image(photo).size == (5, 5)
