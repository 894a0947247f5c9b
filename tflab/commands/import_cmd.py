"""``python -m tflab import MODEL.keras -o PROJECT.tflab``: a Keras model as a project.

The ``.keras`` file is read as data, or loaded in safe mode where only Keras can read
it (no code from the file runs), and turned into a model graph; a plain model imports
without TensorFlow; the project is written atomically, and only when the import
succeeds, so an existing project file is never left half-written or replaced by a
failed import. Prints a one-line summary of what was imported.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tflab.graph import ModelGraph
from tflab.messages import TflabError, tr
from tflab.project import SUFFIX, Project, save_project

NAME = "import"
HELP = (
    "Import a Keras model saved as .keras into a tflab project.",
    "把保存为 .keras 的 Keras 模型导入为 tflab 项目。",
)


def register(parser: argparse.ArgumentParser) -> None:
    """Add the import command's arguments."""
    parser.add_argument("model", metavar="MODEL.keras",
                        help=tr("the Keras model file to import", "要导入的 Keras 模型文件"))
    parser.add_argument("-o", "--output", required=True, metavar="PROJECT.tflab",
                        help=tr("where to save the project", "项目的保存位置"))


def run(args: argparse.Namespace) -> int:
    """Import ``args.model`` and save it as the project ``args.output``."""
    from tflab.importer import import_keras_file

    output = Path(args.output)
    if output.suffix.lower() != SUFFIX:
        raise TflabError(
            f"The output {str(output)!r} must be a {SUFFIX} project file.",
            f"输出 {str(output)!r} 必须是 {SUFFIX} 项目文件。",
        )
    graph = import_keras_file(args.model)
    save_project(Project(graph), output)
    print(summary_line(graph, output))
    return 0


def summary_line(graph: ModelGraph, output: Path) -> str:
    """One line saying what was imported and where it went."""
    layers, calls = len(graph.layers), len(graph.calls)
    inputs, outputs = len(graph.inputs), len(graph.outputs)
    calls_en = f" ({calls} calls)" if calls != layers else ""
    calls_zh = f"（{calls} 次调用）" if calls != layers else ""
    if graph.is_stack():
        kind_en, kind_zh = "a stack (Sequential)", "层堆栈（Sequential）"
    else:
        kind_en, kind_zh = "a graph (Functional API)", "计算图（函数式 API）"
    return tr(
        f"Imported {graph.name!r}: {_count(layers, 'layer')}{calls_en}, {_count(inputs, 'input')}, "
        f"{_count(outputs, 'output')}; {kind_en} -> {output}",
        f"已导入 {graph.name!r}：{layers} 个层{calls_zh}，{inputs} 个输入，{outputs} 个输出；"
        f"{kind_zh} -> {output}",
    )


def _count(n: int, word: str) -> str:
    """``1 layer``, ``2 layers``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
