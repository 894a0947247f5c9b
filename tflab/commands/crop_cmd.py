"""``python -m tflab crop``: crop a picture with ``tf.image.crop_to_bounding_box``.

Example::

    python -m tflab crop sample:camera --box 60,150,200,180 -o face.png --show-code

prints the input and output tensor shapes and the TensorFlow call, and writes the
cropped picture (PNG or JPEG, by the output's extension).
"""

from __future__ import annotations

import argparse

from tflab import imaging, tfload
from tflab.messages import TflabError, tr

NAME = "crop"
HELP = (
    "Crop a picture with tf.image.crop_to_bounding_box and save the result.",
    "用 tf.image.crop_to_bounding_box 裁剪图片并保存结果。",
)

_SAMPLE_PREFIX = "sample:"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the crop command's arguments."""
    samples = ", ".join(f"{_SAMPLE_PREFIX}{name}" for name in imaging.sample_names())
    parser.add_argument(
        "image",
        metavar="IMAGE",
        help=tr(
            f"the picture to crop (PNG, JPEG, BMP, GIF, WebP, TIFF), or a sample: {samples}",
            f"要裁剪的图片（PNG、JPEG、BMP、GIF、WebP、TIFF），或示例图片：{samples}",
        ),
    )
    parser.add_argument(
        "--box",
        required=True,
        metavar="OFFSET_HEIGHT,OFFSET_WIDTH,TARGET_HEIGHT,TARGET_WIDTH",
        help=tr(
            "the crop box, y first as in TensorFlow, e.g. 10,20,50,40 "
            "(use --box=-1,... for a value starting with '-')",
            "裁剪框，与 TensorFlow 一样先 y 后 x，例如 10,20,50,40"
            "（以 '-' 开头的值请写成 --box=-1,...）",
        ),
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.png",
        help=tr("where to save the crop (.png or .jpg)", "裁剪结果的保存位置（.png 或 .jpg）"),
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help=tr("allow the output to replace the input picture", "允许用输出结果替换输入的图片"),
    )
    parser.add_argument(
        "--show-code",
        action="store_true",
        help=tr(
            "also show the equivalent slice and why it gives the same pixels",
            "同时显示等价的切片写法，并说明为什么结果相同",
        ),
    )


def _load(spec: str) -> tuple[imaging.LoadedImage, str]:
    """Load ``spec`` (a path or ``sample:NAME``) and a name to show for it."""
    if spec.startswith(_SAMPLE_PREFIX):
        sample = imaging.sample_image(spec[len(_SAMPLE_PREFIX):])
        return imaging.load_image(sample.path), f"{spec} ({sample.path.name})"
    return imaging.load_image(spec), spec


def run(args: argparse.Namespace) -> int:
    """Check everything, crop, save; print shapes and the TensorFlow call."""
    box = imaging.BoundingBox.parse(args.box)
    imaging.output_format(args.output)
    loaded, shown = _load(args.image)
    if imaging.same_file(loaded.path, args.output) and not args.overwrite:
        raise TflabError(
            f"The output {args.output!r} is the input picture itself: the crop would replace the original.",
            f"输出 {args.output!r} 就是输入的图片本身：裁剪结果会替换原图。",
            hint_en="Give the crop another name, or add --overwrite to replace the original.",
            hint_zh="请给裁剪结果另起一个名字，或加上 --overwrite 来替换原图。",
        )
    box.validate(loaded.height, loaded.width)
    tfload.load()
    cropped = imaging.crop(loaded.array, box)
    written = imaging.save_image(cropped, args.output)

    width = max(len(tr("input:", "输入：")), len(tr("output:", "输出：")))
    print(f"{tr('input:', '输入：'):<{width}} {shown}  shape {loaded.shape}")
    print(imaging.call_code(box))
    print(f"{tr('output:', '输出：'):<{width}} {written}  shape {tuple(cropped.shape)}")
    if args.show_code:
        print()
        print(tr("# the same pixels as a slice:", "# 用切片得到的像素完全相同："))
        print(imaging.slice_code(box))
        print()
        print(imaging.code_lesson(box))
    return 0
