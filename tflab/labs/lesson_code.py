"""The code of a lesson page, as something that runs: every statement a lesson makes
about what its code does is checked by running that code.

A lesson page is Markdown. Its parts that matter here:

- a ```` ```python ```` block is code the student reads and may copy;
- a ```` ```text ```` block right after it is exactly what that code prints (``...``
  stands for any text, for values that are random or too long to show);
- an HTML comment ``<!-- setup ... -->`` holds code the page does not show but that a
  following fragment needs to run (``model`` for ``model.compile(...)``). Readers
  never see it: :func:`display_markdown` removes it;
- an HTML comment ``<!-- check ... -->`` holds hidden code that proves what the text
  around it says in words (``784 × 128 + 128 = 100,480 parameters``): ``assert``
  statements run in the page's namespace; one that fails fails the page.

The blocks of one page run in order in one namespace, as a student running them one
after the other would. :func:`run_page` does that and reports, per block, what it
printed and whether that matches the page. Importing this module does not import
TensorFlow (the code on the page does, when it runs).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
from dataclasses import dataclass

from tflab.labs._common import compile_shown

#: A fenced block (```lang ... ```), or a setup or check comment (<!-- setup ... -->).
_PART = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```[ \t]*$|<!--\s*(?:setup|check)\s*\n(?P<setup>.*?)-->",
                   re.S | re.M)
_COMMENT = re.compile(r"\n?<!--.*?-->\n?", re.S)
_CHECK = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass(frozen=True)
class Block:
    """One piece of code of a page: its source, what the page says it prints (``None``
    when the page shows no output) and whether readers see it (``shown``)."""

    code: str
    output: str | None
    shown: bool
    line: int

    def matches(self, printed: str) -> bool:
        """Whether ``printed`` is what the page says (``...`` matches any text,
        runs of white space count as one)."""
        if self.output is None:
            return printed.strip() == ""
        return _CHECK.check_output(self.output.strip() + "\n", printed.strip() + "\n", _FLAGS)


@dataclass(frozen=True)
class Outcome:
    """What running one block did: the text it printed, and the error it raised (or "")."""

    block: Block
    printed: str
    error: str

    @property
    def ok(self) -> bool:
        """No error, and the output is what the page says."""
        return not self.error and self.block.matches(self.printed)


def blocks(markdown: str) -> list[Block]:
    """The code of a page in reading order: Python blocks (each with the output block
    that follows it, if any) and setup comments."""
    found: list[Block] = []
    parts = list(_PART.finditer(markdown))
    for index, part in enumerate(parts):
        line = markdown.count("\n", 0, part.start()) + 1
        if part.group("setup") is not None:
            found.append(Block(part.group("setup"), None, False, line))
            continue
        if part.group("lang") != "python":
            continue
        output = None
        following = parts[index + 1] if index + 1 < len(parts) else None
        if (following is not None and following.group("lang") == "text"
                and markdown[part.end():following.start()].strip() == ""):
            output = following.group("body")
        found.append(Block(part.group("body"), output, True, line))
    return found


_OUTPUT = re.compile(r"^(```[ \t]*\n\s*\n)(```text[ \t]*\n)", re.M)


def display_markdown(markdown: str, output_label: str = "") -> str:
    """The page as readers see it: without its HTML comments (setup code, notes), and
    with ``output_label`` (e.g. "Output:") over each block of printed output."""
    shown = _COMMENT.sub("\n", markdown)
    if output_label:
        shown = _OUTPUT.sub(lambda m: f"{m.group(1)}*{output_label}*\n\n{m.group(2)}", shown)
    return shown


def run_page(markdown: str, name: str = "<lesson>") -> list[Outcome]:
    """Run every block of the page in order, in one namespace; stop at the first error.

    The code runs in the current working directory (a page may write files there).
    """
    namespace: dict[str, object] = {"__name__": "__lesson__"}
    outcomes: list[Outcome] = []
    for block in blocks(markdown):
        buffer = io.StringIO()
        error = ""
        try:
            code = compile_shown(block.code, f"{name}:{block.line}")
            with contextlib.redirect_stdout(buffer):
                exec(code, namespace)  # noqa: S102 - the project's own lesson pages
        except Exception as err:  # noqa: BLE001 - reported to the caller with the block
            error = f"{type(err).__name__}: {err}"
        outcomes.append(Outcome(block, buffer.getvalue(), error))
        if error:
            break
    return outcomes
