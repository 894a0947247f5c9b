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
