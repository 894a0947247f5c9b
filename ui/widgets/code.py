"""Python code, shown the way an editor shows it: highlighting and a fixed-width font.

Every code box of the app (the editor's code view, the labs' code boxes, the image
tool's call, the custom code review) uses :class:`PythonHighlighter` and
:func:`monospace_font`, and :func:`is_dark` to pick its colours.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRegularExpression, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

_KEYWORDS = (
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try "
    "while with yield"
).split()
_BUILTINS = (
    "abs all any bool dict enumerate float int isinstance len list max min print range "
    "round set str sum super tuple type zip self"
).split()

#: Highlighting colours (light theme, dark theme) per kind of token.
_COLOURS = {
    "keyword": ("#0000c8", "#569cd6"),
    "builtin": ("#267f99", "#4ec9b0"),
    "string": ("#a31515", "#ce9178"),
    "comment": ("#3d7d3d", "#6a9955"),
    "number": ("#098658", "#b5cea8"),
    "definition": ("#795e26", "#dcdcaa"),
    "decorator": ("#af00db", "#c586c0"),
}


def is_dark(palette: QPalette) -> bool:
    """Whether the palette draws text on a dark background (dark theme)."""
    return palette.color(QPalette.Base).lightness() < 128


def show_code(view: QPlainTextEdit, code: str) -> None:
    """Show ``code`` in a highlighted ``view``, unless it shows it already: setting the same
    text again highlights every line again, each line a call into Python (opening a
    project set the training loop's code, the same as before, while workers ran Python)."""
    if view.toPlainText() != code:
        view.setPlainText(code)


def monospace_font() -> QFont:
    """The system's fixed-width font."""
    return QFontDatabase.systemFont(QFontDatabase.FixedFont)


#: Lines coloured at once by :meth:`PythonHighlighter.highlight_blocks`, at most: fewer
#: when they take longer than :data:`HIGHLIGHT_SECONDS` (a busy machine, long lines).
HIGHLIGHT_CHUNK = 300
HIGHLIGHT_SECONDS = 0.012
#: Lines coloured at once when the code changes; the others from the next event-loop turns.
HIGHLIGHT_NOW = 64


class PythonHighlighter(QSyntaxHighlighter):
    """Colours Python source: keywords, builtins, strings (also triple-quoted),
    comments, numbers, decorators and the names after ``def``/``class``."""

    _IN_TRIPLE = {1: '"""', 2: "'''"}

    def __init__(self, document: QTextDocument, dark: bool = False):
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        word = r"\b(?:{})\b"
        self._rules = [
            (QRegularExpression(word.format("|".join(_KEYWORDS))), "keyword", 0),
            (QRegularExpression(word.format("|".join(_BUILTINS))), "builtin", 0),
            (QRegularExpression(r"\b(?:0[xX][0-9a-fA-F_]+|\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?)\b"),
             "number", 0),
            (QRegularExpression(r"^\s*@[\w.]+"), "decorator", 0),
            (QRegularExpression(r"\b(?:def|class)\s+(\w+)"), "definition", 1),
        ]
        self._string = QRegularExpression(r"""[rbfuRBFU]{0,2}("([^"\\]|\\.)*"|'([^'\\]|\\.)*')""")
        self._comment = QRegularExpression(r"#[^\n]*")
        self._paused = False
        self._pending = (0, 0)  # blocks [first, end) still to colour, see highlight_blocks
        self._next = QTimer(self, singleShot=True, interval=0)
        self._next.timeout.connect(self._colour_some)
        self.set_dark(dark)  # last: it highlights the text the document may already hold

    def set_dark(self, dark: bool) -> None:
        """Use the colours for a dark (or light) background."""
        for kind, (light_colour, dark_colour) in _COLOURS.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(dark_colour if dark else light_colour))
            if kind in ("keyword", "definition"):
                fmt.setFontWeight(QFont.Bold)
            if kind == "comment":
                fmt.setFontItalic(True)
            self._formats[kind] = fmt
        self.rehighlight()

    def pause(self) -> None:
        """Leave the lines the document gets from now on plain, until :meth:`highlight_blocks`."""
        self._paused = True
        self._next.stop()

    def highlight_blocks(self, first: int, count: int) -> None:
        """Colour ``count`` lines from line ``first``: a few hundred at once, the rest a few
        hundred at a time from the event loop, so thousands of new lines never freeze
        the window."""
        self._paused = False
        self._pending = (first, first + count)
        # The first lines before they are drawn; the rest of a new model's code from the
        # next turns of the event loop, the window drawing first what this turn changed.
        self._colour_some(HIGHLIGHT_NOW)

    def _colour_some(self, most: int = HIGHLIGHT_CHUNK) -> None:
        first, end = self._pending
        stop = min(end, first + most)
        block = self.document().findBlockByNumber(first)
        deadline = time.perf_counter() + HIGHLIGHT_SECONDS
        while block.isValid() and block.blockNumber() < stop:
            self.rehighlightBlock(block)
            block = block.next()
            if time.perf_counter() > deadline:
                stop = block.blockNumber() if block.isValid() else stop
                break
        self._pending = (stop, end)
        if stop < end and block.isValid():
            self._next.start()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        if self._paused:  # plain for now, in the state of ordinary code: colouring the line
            self.setCurrentBlockState(0)  # above it later does not spill over into it
            return
        for regex, kind, group in self._rules:
            it = regex.globalMatch(text)
            while it.hasNext():
                match = it.next()
                self.setFormat(match.capturedStart(group), match.capturedLength(group),
                               self._formats[kind])
        # Strings and comments last: they win over words inside them.
        self.setCurrentBlockState(0)
        start = self._continue_triple(text)
        position = start
        while position < len(text):
            triple = self._next_triple(text, position)
            string = self._string.match(text, position)
            comment = self._comment.match(text, position)
            candidates = [(m.capturedStart(), kind, m) for kind, m in
                          (("string", string), ("comment", comment)) if m.hasMatch()]
            if triple is not None:  # first in the list: wins a tie with the string '""'
                candidates.insert(0, (triple[0], "triple", triple[1]))
            if not candidates:
                break
            first, kind, match = min(candidates, key=lambda c: c[0])
            if kind == "triple":
                quote = match
                end = text.find(quote, first + 3)
                if end < 0:
                    self.setFormat(first, len(text) - first, self._formats["string"])
                    self.setCurrentBlockState(1 if quote == '"""' else 2)
                    return
                self.setFormat(first, end + 3 - first, self._formats["string"])
                position = end + 3
            elif kind == "comment":
                self.setFormat(first, len(text) - first, self._formats["comment"])
                return
            else:
                self.setFormat(first, match.capturedLength(), self._formats["string"])
                position = first + max(1, match.capturedLength())

    def _continue_triple(self, text: str) -> int:
        """Colour the rest of a triple-quoted string begun on an earlier line."""
        quote = self._IN_TRIPLE.get(self.previousBlockState())
        if quote is None:
            return 0
        end = text.find(quote)
        if end < 0:
            self.setFormat(0, len(text), self._formats["string"])
            self.setCurrentBlockState(self.previousBlockState())
            return len(text)
        self.setFormat(0, end + 3, self._formats["string"])
        return end + 3

    @staticmethod
    def _next_triple(text: str, position: int) -> tuple[int, str] | None:
        found = [(i, q) for q in ('"""', "'''") if (i := text.find(q, position)) >= 0]
        return min(found) if found else None
