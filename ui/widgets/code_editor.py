"""A small Python code editor: line numbers, monospace text, highlighting, soft tabs.

:class:`CodeEditor` is a :class:`QPlainTextEdit` for short programs a student writes
(a custom layer, a loss, a metric). It numbers its lines in a margin, colours Python
with :class:`ui.widgets.code.PythonHighlighter` (light or dark, following the palette),
inserts four spaces for Tab (Tab / Shift+Tab indent / unindent a selection of
lines), and can point at a line (:meth:`CodeEditor.mark_line`) to show where an error
is.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Slot
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from ui.widgets.code import PythonHighlighter, is_dark, monospace_font

#: Spaces per indentation level (Python's convention).
INDENT = 4
#: Background of a line an error points at (light theme, dark theme).
_MARK_COLOURS = ("#ffd7d7", "#5a2a2a")


class _LineNumberArea(QWidget):
    """The margin left of the text where :class:`CodeEditor` paints line numbers."""

    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._editor.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self._editor.paint_line_numbers(event)


class CodeEditor(QPlainTextEdit):
    """Editable Python code with line numbers, syntax colours and four-space indentation."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFont(monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * INDENT)
        self.highlighter = PythonHighlighter(self.document(), is_dark(self.palette()))
        self._numbers = _LineNumberArea(self)
        self._marked_line: int | None = None
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self.document().contentsChange.connect(self._on_contents_change)
        self._update_margin()

    # ---------------------------------------------------------------- line numbers

    def line_number_width(self) -> int:
        """Width of the margin: room for the largest line number plus padding."""
        digits = max(2, len(str(self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * digits

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        """Paint the numbers of the visible lines into the margin (called by the margin)."""
        painter = QPainter(self._numbers)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        current = self.textCursor().blockNumber()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber()
                role = QPalette.ColorRole.Text if number == current else QPalette.ColorRole.PlaceholderText
                painter.setPen(palette.color(role))
                painter.drawText(0, top, self._numbers.width() - 6, height,
                                 Qt.AlignmentFlag.AlignRight, str(number + 1))
            block = block.next()
            top = bottom
        painter.end()

    @Slot(int)
    def _update_margin(self, _count: int = 0) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    @Slot(QRect, int)
    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        area = self.contentsRect()
        self._numbers.setGeometry(QRect(area.left(), area.top(), self.line_number_width(), area.height()))

    # ---------------------------------------------------------------- error marks

    def mark_line(self, line: int) -> None:
        """Move the cursor to ``line`` (1-based), scroll to it and tint it until the next edit."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        self.setTextCursor(cursor)
        self.centerCursor()
        self._marked_line = block.blockNumber() + 1
        self._show_mark()

    def marked_line(self) -> int | None:
        """The line :meth:`mark_line` tinted (1-based), or None."""
        return self._marked_line

    @Slot()
    def clear_mark(self) -> None:
        """Remove the tint of :meth:`mark_line`."""
        if self._marked_line is not None:
            self._marked_line = None
            self.setExtraSelections([])

    @Slot(int, int, int)
    def _on_contents_change(self, _position: int, removed: int, added: int) -> None:
        if removed or added:  # an edit, not a change of colours
            self.clear_mark()

    def _show_mark(self) -> None:
        selection = QTextEdit.ExtraSelection()
        colour = _MARK_COLOURS[is_dark(self.palette())]
        selection.format.setBackground(QColor(colour))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = self.textCursor()
        selection.cursor.clearSelection()
        self.setExtraSelections([selection])

    # ---------------------------------------------------------------- editing

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key, modifiers = event.key(), event.modifiers()
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift):
            self._unindent()
        elif key == Qt.Key.Key_Tab and not modifiers & Qt.KeyboardModifier.ControlModifier:
            self._indent()
        else:
            super().keyPressEvent(event)

    def _selected_blocks(self) -> tuple[QTextCursor, int, int]:
        """The cursor and the first and last block numbers of the selection."""
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart()).blockNumber()
        last_block = doc.findBlock(cursor.selectionEnd())
        last = last_block.blockNumber()
        if last > first and cursor.selectionEnd() == last_block.position():
            last -= 1  # a selection ending at a line's start does not include that line
        return cursor, first, last

    def _indent(self) -> None:
        """Four spaces (to the next multiple of four) at the cursor, or before every selected line."""
        cursor, first, last = self._selected_blocks()
        if not cursor.hasSelection() or first == last and not self._whole_line(cursor):
            column = cursor.positionInBlock() if not cursor.hasSelection() else \
                cursor.selectionStart() - cursor.block().position()
            cursor.insertText(" " * (INDENT - column % INDENT))
            return
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            line = QTextCursor(self.document().findBlockByNumber(number))
            line.insertText(" " * INDENT)
        cursor.endEditBlock()

    def _unindent(self) -> None:
        """Remove up to four leading spaces from the current or every selected line."""
        cursor, first, last = self._selected_blocks()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            block = self.document().findBlockByNumber(number)
            text = block.text()
            count = min(INDENT, len(text) - len(text.lstrip(" ")))
            if count:
                line = QTextCursor(block)
                line.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, count)
                line.removeSelectedText()
        cursor.endEditBlock()

    def _whole_line(self, cursor: QTextCursor) -> bool:
        """True when the selection spans a whole line (then Tab indents it)."""
        block = self.document().findBlock(cursor.selectionStart())
        return cursor.selectionStart() == block.position() and \
            cursor.selectionEnd() >= block.position() + block.length() - 1

    def replace_all(self, text: str) -> None:
        """Replace the whole text as one edit the user can undo (Ctrl+Z)."""
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        self.setTextCursor(QTextCursor(self.document()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
            if self._marked_line is not None:
                self._show_mark()
