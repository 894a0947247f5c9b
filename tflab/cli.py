"""The headless command line: ``python -m tflab COMMAND ...``.

Each command lives in its own module under :mod:`tflab.commands` and provides::

    NAME = "codegen"                      # the sub-command's name
    HELP = ("one line in English", "一行中文")
    def register(parser): ...             # add its arguments to an argparse parser
    def run(args) -> int: ...             # do the work, return the exit status

Errors a user can act on are :class:`tflab.messages.TflabError`: they are printed to
stderr in the user's language with exit status 1, never as a traceback. Anything
else unexpected is reported in one line too (exit status 2).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from tflab import __version__
from tflab.messages import TflabError, tr

# Order is the order shown in --help.
COMMANDS = ("import", "codegen", "summary", "train", "crop")


#: The option that lets ``summary`` and ``train`` run a project's custom layer code.
ALLOW_CUSTOM_CODE = "--allow-custom-code"


def add_allow_custom_code(parser: argparse.ArgumentParser) -> None:
    """Add :data:`ALLOW_CUSTOM_CODE` to a command that builds real Keras layers."""
    parser.add_argument(
        ALLOW_CUSTOM_CODE,
        action="store_true",
        help=tr(
            "run the Python code of the custom layers stored in the project file (needed for "
            "projects with their own layer classes); use it only for files you trust",
            "运行项目文件中保存的自定义层 Python 代码（项目有自己的层类时需要）；"
            "只对你信任的文件使用",
        ),
    )


def allow_custom_code(graph, allowed: bool, action: tuple[str, str]) -> None:
    """Let ``graph``'s custom layer code run when the user passed :data:`ALLOW_CUSTOM_CODE`;
    else refuse a graph that has such code (nothing runs). ``action`` says, in English
    and Chinese, what needs to run it (e.g. ``("training", "训练")``)."""
    if not graph.custom_code:
        return
    if allowed:
        from tflab import custom_layers

        custom_layers.allow(graph.custom_code)
        return
    names = ", ".join(graph.custom_layers().names())
    raise TflabError(
        f"This project has its own layer classes ({names}): Python code stored in the project "
        f"file, which {action[0]} would run on this computer. It was not run.",
        f"这个项目有自己的层类（{names}）：这是保存在项目文件中的 Python 代码，"
        f"{action[1]}会在这台电脑上运行它。代码没有运行。",
        hint_en=f"Read the code first (python -m tflab codegen PROJECT.tflab shows it); if you trust "
                f"the file, run the command again with {ALLOW_CUSTOM_CODE}.",
        hint_zh=f"请先阅读这段代码（python -m tflab codegen PROJECT.tflab 会显示它）；如果你信任这个文件，"
                f"请加上 {ALLOW_CUSTOM_CODE} 再运行一次命令。",
    )


def _load(name: str):
    return importlib.import_module(f"tflab.commands.{name.replace('-', '_')}_cmd")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tflab",
        description=tr(
            "tflab: the headless face of the TensorFlow/Keras desktop lab.",
            "tflab：TensorFlow/Keras 桌面实验室的命令行界面。",
        ),
    )
    parser.add_argument("--version", action="version", version=f"tflab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _load(name)
        help_text = tr(*module.HELP)
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.register(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except TflabError as err:
        print(tr("error: ", "错误：") + err.full(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(tr("interrupted", "已中断"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as err:  # noqa: BLE001 - the CLI never shows a traceback
        print(
            tr("error: unexpected failure: ", "错误：意外故障：") + f"{type(err).__name__}: {err}",
            file=sys.stderr,
        )
        return 2
