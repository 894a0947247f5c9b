"""Entry point of the installed (frozen) tflab: the desktop app, or its Python helper.

The frozen program is both:

* the app: ``tflab [FILE]`` and ``tflab --self-test``, handled by :func:`ui.app.main.main`;
* its own Python for the helper processes the engine starts with ``sys.executable``
  (the custom-code lab runs ``sys.executable -I -c CODE`` so that a student's code never
  runs inside the app): ``tflab [-I] [-u] [-E] [-s] [-B] -c CODE [ARGS...]`` runs ``CODE``
  like ``python -c`` would, with the bundled modules (TensorFlow, Keras, numpy).

Only that form is recognised; anything else starts the app.
"""

from __future__ import annotations

import sys

#: Interpreter flags that may come before ``-c``; in a frozen program they change nothing.
PYTHON_FLAGS = {"-I", "-u", "-E", "-s", "-S", "-B", "-q"}


def python_command(arguments: list[str]) -> tuple[str, list[str]] | None:
    """``(code, argv)`` when ``arguments`` are ``[FLAGS...] -c CODE [ARGS...]``, else None."""
    index = 0
    while index < len(arguments) and arguments[index] in PYTHON_FLAGS:
        index += 1
    if index + 1 < len(arguments) and arguments[index] == "-c":
        return arguments[index + 1], ["-c", *arguments[index + 2:]]
    return None


def run_python_code(code: str, argv: list[str]) -> None:
    """Run ``code`` as ``python -c`` does: module ``__main__``, ``sys.argv[0] == "-c"``."""
    import types

    sys.argv = argv
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    exec(compile(code, "<string>", "exec"), module.__dict__)  # noqa: S102 - what python -c does


def main() -> int:
    """Run the helper code or the app; the exit status."""
    command = python_command(sys.argv[1:]) if getattr(sys, "frozen", False) else None
    if command is not None:
        run_python_code(*command)
        return 0
    from ui.app.main import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
