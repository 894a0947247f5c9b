"""``python -m tflab summary PROJECT.tflab``: each call's output shape and parameters.

For a model of the common layers the numbers are worked out without TensorFlow
(:mod:`tflab.shape_rules`, the same as Keras's); anything else is asked of Keras."""

from __future__ import annotations

import argparse

from tflab import tfload
from tflab.cli import add_allow_custom_code, allow_custom_code
from tflab.messages import TflabError
from tflab.project import load_project

NAME = "summary"
HELP = (
    "Print each layer's output shape and parameter count, like model.summary().",
    "打印每一层的输出形状和参数数量，类似 model.summary()。",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT.tflab", help="the project file / 项目文件")
    add_allow_custom_code(parser)


def run(args: argparse.Namespace) -> int:
    from tflab.shape_rules import quick_report
    from tflab.shapes import infer_shapes, summary_text

    graph = load_project(args.project).graph
    allow_custom_code(graph, args.allow_custom_code, ("the summary", "生成摘要"))
    report = quick_report(graph)
    if report is None:
        tfload.load()
        report = infer_shapes(graph)
    text = summary_text(graph, report)
    if report.ok:
        print(text)
        return 0
    # The table still helps find the problem; the first problem goes to stderr too.
    print(text)
    first = report.first_error()
    raise TflabError(
        f"The model has a problem: {first.full('en')}",
        f"模型有问题：{first.full('zh')}",
    )
