"""``python -m tflab codegen``: write a project's model as Keras code.

Example::

    python -m tflab codegen mnist.tflab --style functional --script -o mnist.py

prints the module on standard output, or writes it to ``-o FILE.py`` (atomically:
an existing file is replaced only once the new one is complete).
"""

from __future__ import annotations

import argparse
import sys

from tflab import codegen
from tflab.fileio import atomic_write_text
from tflab.messages import TflabError, language, tr
from tflab.project import load_project
from tflab.script_export import export_training_script

NAME = "codegen"
HELP = (
    "Write a project's model as Keras code (Sequential, Functional or Subclass style).",
    "把项目中的模型写成 Keras 代码（Sequential、函数式或子类风格）。",
)


def register(parser: argparse.ArgumentParser) -> None:
    """Add the codegen command's arguments."""
    parser.add_argument(
        "project",
        metavar="PROJECT.tflab",
        help=tr("the project whose model to write", "要生成代码的项目"),
    )
    parser.add_argument(
        "--style",
        choices=codegen.STYLES,
        default="functional",
        help=tr(
            "sequential (a stack of layers), functional (layers called on tensors) or "
            "subclass (a tf.keras.Model subclass); default: functional",
            "sequential（层的堆栈）、functional（在张量上调用层）或 subclass"
            "（tf.keras.Model 的子类）；默认：functional",
        ),
    )
    parser.add_argument(
        "--script",
        action="store_true",
        help=tr(
            "also train the model when the file is run: on the project's data set (or --data), "
            "written beside it as FILE_data.npz; on random data when there is none",
            "以脚本方式运行该文件时也训练模型：使用项目的数据集（或 --data），"
            "数据写在旁边的 FILE_data.npz 中；没有数据集时使用随机数据",
        ),
    )
    parser.add_argument(
        "--data",
        metavar="DATA",
        help=tr("with --script: train on this data set (a built-in name, .csv, .npz or a folder) "
                "instead of the project's",
                "与 --script 一起使用：改用这个数据集（内置名称、.csv、.npz 或文件夹）训练"),
    )
    parser.add_argument(
        "--comments",
        choices=("en", "zh"),
        help=tr("the language of the code's comments (default: the language of the messages)",
                "代码注释的语言（默认：提示信息的语言）"),
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE.py",
        help=tr("write the code to this file instead of standard output",
                "把代码写入这个文件，而不是标准输出"),
    )


def run(args: argparse.Namespace) -> int:
    """Load the project, generate the code, print or save it."""
    project = load_project(args.project)
    comments = args.comments or language()
    if args.data and not args.script:
        raise TflabError("--data goes with --script (the data the script trains on).",
                         "--data 需要与 --script 一起使用（脚本训练用的数据）。")
    if args.script and (args.data or (project.training or {}).get("dataset")):
        if not args.output:
            raise TflabError(
                "A training script is written with its data beside it: give the file with -o FILE.py.",
                "训练脚本要和它的数据写在一起：请用 -o FILE.py 指定文件。",
            )
        written = export_training_script(project, args.style, args.output, args.data, comments=comments)
        for path in written:
            print(tr(f"wrote {path}", f"已写入 {path}"), file=sys.stderr)
        return 0
    code = codegen.generate(project.graph, args.style, script=args.script,
                            training=project.training or None, comments=comments)
    if args.output:
        atomic_write_text(args.output, code)
        print(tr(f"wrote {args.output}", f"已写入 {args.output}"), file=sys.stderr)
        return 0
    _write_stdout(code)
    return 0


def _write_stdout(text: str) -> None:
    """Print ``text``; as UTF-8 bytes where the terminal's encoding cannot show it."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
