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
from tflab.messages import tr
from tflab.project import load_project

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
            "also train the model on random data when the file is run as a script",
            "以脚本方式运行该文件时，用随机数据训练模型",
        ),
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
    code = codegen.generate(project.graph, args.style, script=args.script,
                            training=project.training or None)
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
