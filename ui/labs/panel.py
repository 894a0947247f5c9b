"""The Labs tab: the lessons in teaching order, each lesson's text beside its lab.

On the left, the thirteen lessons (number, title, one-line summary). On the right, a
splitter holds the lesson itself (its Markdown page and the API names it teaches)
and the lesson's lab page. Lab pages are modules listed in :data:`PAGES`; each is
imported and built the first time its lesson is shown (so the tab costs nothing
at start-up), and a page that is missing or fails to build is replaced by a clear
message: the lesson stays readable and the app never crashes.

The labs' TensorFlow work runs on the labs' own pool (see
:class:`ui.labs.common.LabPool`).
"""

from __future__ import annotations

import html
import importlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QDeadlineTimer, QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Slot
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QShowEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tflab.labs import LESSONS, Lesson, lesson, lesson_ids
from tflab.labs.lesson_code import display_markdown
from tflab.messages import TflabError
from ui.core.settings import settings as app_settings
from ui.core.text import fill
from ui.labs.common import LabContext
from ui.labs.exercises import ExercisesBox, lesson_progress
from ui.labs.glossary import show_glossary

#: The lab page module of each lesson: ``create(context) -> QWidget``.
PAGES: dict[str, str] = {item.id: f"ui.labs.page_{item.id}" for item in LESSONS}

#: The QSettings key remembering the lesson shown last.
LAST_KEY = "labs/last"
#: The QSettings key remembering how the panel is divided.
SPLIT_KEY = "labs/splitters"

_ID_ROLE = Qt.ItemDataRole.UserRole
_SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
_PADDING = 6

_log = logging.getLogger(__name__)



def space_headings(document: QTextDocument) -> None:
    """Give each heading but the first room above it: Qt's Markdown puts a heading right
    under the code or output before it, which reads as if it belonged to that code."""
    block = document.begin().next()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0:
            cursor = QTextCursor(block)
            fmt = block.blockFormat()
            fmt.setTopMargin(max(fmt.topMargin(), HEADING_SPACE))
            cursor.setBlockFormat(fmt)
        block = block.next()


#: Pixels above a lesson's heading (see :func:`space_headings`).
HEADING_SPACE = 18.0

class _LessonDelegate(QStyledItemDelegate):
    """Draws a lesson as its numbered title in bold over its summary, wrapped to the width."""

    def _texts(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        return str(index.data(Qt.ItemDataRole.DisplayRole)), str(index.data(_SUMMARY_ROLE) or "")

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.92)
        return bold, small

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = view.viewport().width() if view is not None else option.rect.width()
        return max(80, width - 2 * _PADDING)

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 - Qt's name
        title, summary = self._texts(index)
        bold, small = self._fonts(option)
        width = self._width(option)
        flags = Qt.TextFlag.TextWordWrap
        height = QFontMetrics(bold).boundingRect(0, 0, width, 10_000, flags, title).height()
        height += QFontMetrics(small).boundingRect(0, 0, width, 10_000, flags, summary).height()
        return QSize(width + 2 * _PADDING, height + 3 * _PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        title, summary = self._texts(index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        summary_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        bold, small = self._fonts(opt)
        rect = opt.rect.adjusted(_PADDING, _PADDING, -_PADDING, -_PADDING)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.save()
        painter.setFont(bold)
        painter.setPen(opt.palette.color(group, text_role))
        used = painter.boundingRect(rect, flags, title)
        painter.drawText(rect, flags, title)
        painter.setFont(small)
        painter.setPen(opt.palette.color(group, summary_role))
        painter.drawText(rect.adjusted(0, used.height() + _PADDING // 2, 0, 0), flags, summary)
        painter.restore()


class _PageMissing(QWidget):
    """Shown in place of a lab page that cannot be built: what happened, in words.

    ``text`` and ``detail`` are texts, or functions writing them in the language now
    chosen (called again when it changes)."""

    def __init__(self, text: str | Callable[[], str], detail: str | Callable[[], str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._text, self._detail = text, detail
        layout = QVBoxLayout(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self._retranslate()

    def text(self) -> str:
        """The message and its detail, as shown."""
        return f"{self.label.text()}\n{self.detail.text()}"

    def _retranslate(self) -> None:
        for label, said in ((self.label, self._text), (self.detail, self._detail)):
            label.setText(said() if callable(said) else said)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class LabsPanel(QWidget):
    """The Labs tab. See the module docstring.

    ``lessons`` is the list on the left; ``lesson_view`` shows the lesson's Markdown,
    ``api_label`` the API names it teaches; ``pages`` stacks the lab pages built so far.
    """

    def __init__(self, context: LabContext | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context or LabContext()
        self._pages: dict[str, QWidget] = {}      # lesson id -> the page (or its message)
        self._holders: dict[str, QWidget] = {}    # lesson id -> what the stack shows
        self._current = ""
        self._markdown = ""

        self.lessons = QListWidget(self)
        self.lessons.setItemDelegate(_LessonDelegate(self.lessons))
        self.lessons.setWordWrap(True)
        self.lessons.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.lessons.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lessons.setMinimumWidth(200)
        for item in LESSONS:
            entry = QListWidgetItem(self.lessons)
            entry.setData(_ID_ROLE, item.id)
        self.lessons.currentItemChanged.connect(self._on_lesson_picked)

        self.api_label = QLabel(self)
        self.api_label.setWordWrap(True)
        self.api_label.setTextFormat(Qt.TextFormat.RichText)
        self.api_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.api_label.linkActivated.connect(lambda _link: show_glossary(self))
        self.lesson_view = QTextBrowser(self)
        self.lesson_view.setOpenExternalLinks(False)
        self.lesson_view.setOpenLinks(False)
        self.exercises = ExercisesBox(self.context, self)
        self.exercises.sigSolved.connect(self._on_solved)
        exercises_holder = QScrollArea(self)
        exercises_holder.setWidgetResizable(True)
        exercises_holder.setFrameShape(QFrame.Shape.NoFrame)
        exercises_holder.setWidget(self.exercises)
        self.reading = QSplitter(Qt.Orientation.Vertical, self)
        self.reading.setChildrenCollapsible(False)
        self.reading.addWidget(self.lesson_view)
        self.reading.addWidget(exercises_holder)
        self.reading.setStretchFactor(0, 3)
        self.reading.setStretchFactor(1, 2)
        lesson_side = QWidget(self)
        lesson_layout = QVBoxLayout(lesson_side)
        lesson_layout.setContentsMargins(0, 0, 0, 0)
        lesson_layout.addWidget(self.api_label)
        lesson_layout.addWidget(self.reading, 1)

        self.pages = QStackedWidget(self)
        self.pages.setMinimumWidth(360)

        self.content = QSplitter(Qt.Orientation.Horizontal, self)
        self.content.setChildrenCollapsible(False)
        self.content.addWidget(lesson_side)
        self.content.addWidget(self.pages)
        self.content.setStretchFactor(0, 2)
        self.content.setStretchFactor(1, 3)
        self.content.setSizes([420, 700])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.lessons)
        self.splitter.addWidget(self.content)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 1120])
        self._restore_splitters()
        for splitter in (self.splitter, self.content, self.reading):
            splitter.splitterMoved.connect(self._save_splitters)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self._fill_list()
        remembered = str(app_settings().value(LAST_KEY, "", type=str))
        self.show_lesson(remembered if remembered in PAGES else LESSONS[0].id, remember=False)

    # ------------------------------------------------------------------ lessons
    def current_lesson(self) -> str:
        """The id of the lesson shown."""
        return self._current

    def shown_markdown(self) -> str:
        """The Markdown of the lesson shown (in the current language)."""
        return self._markdown

    def show_lesson(self, lesson_id: str, remember: bool = True) -> None:
        """Show lesson ``lesson_id`` and its lab (built now if the panel is visible);
        ``remember`` stores it as the lesson to show at the next start."""
        item = lesson(lesson_id)  # TflabError for an unknown id
        self._current = item.id
        row = lesson_ids().index(item.id)
        if self.lessons.currentRow() != row:
            self.lessons.blockSignals(True)
            self.lessons.setCurrentRow(row)
            self.lessons.blockSignals(False)
        self._show_text(item)
        self.exercises.set_lesson(item.id)
        if remember:
            app_settings().setValue(LAST_KEY, item.id)
        if self.isVisible():
            self._show_page(item.id)

    def page(self, lesson_id: str) -> QWidget:
        """The lab page of ``lesson_id`` (built on first use), or the message standing in for it."""
        if lesson_id not in self._pages:
            built = self._build_page(lesson_id)
            self._pages[lesson_id] = built
            holder = QScrollArea(self.pages)
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(built)
            self._holders[lesson_id] = holder
            self.pages.addWidget(holder)
        return self._pages[lesson_id]

    def shutdown(self, deadline: QDeadlineTimer | None = None) -> None:
        """Wait for the labs' background work to end (the window is closing), until
        ``deadline`` when given: a lab still computing then is left to end with the process."""
        for built in [*self._pages.values(), self.exercises]:
            runner = getattr(built, "runner", None)
            if runner is not None:
                if deadline is None:
                    runner.wait()
                else:
                    runner.wait(max(0, deadline.remainingTime()))

    # ------------------------------------------------------------------ internals
    def _restore_splitters(self) -> None:
        states = app_settings().value(SPLIT_KEY, [], type=list)
        for splitter, state in zip((self.splitter, self.content, self.reading), states):
            splitter.restoreState(state)

    @Slot()
    def _save_splitters(self) -> None:
        app_settings().setValue(SPLIT_KEY, [self.splitter.saveState(), self.content.saveState(),
                                         self.reading.saveState()])

    def _fill_list(self) -> None:
        for number, item in enumerate(LESSONS, 1):
            entry = self.lessons.item(number - 1)
            solved, total = lesson_progress(item.id)
            mark = " ✓" if total and solved == total else ""
            entry.setText(f"{number}. {item.title()}{mark}")
            entry.setData(_SUMMARY_ROLE, item.summary())
            entry.setToolTip(item.summary())
        self.lessons.doItemsLayout()

    def _show_text(self, item: Lesson) -> None:
        chip = self.palette().color(QPalette.ColorRole.AlternateBase).name()
        chips = "&nbsp; ".join(
            f'<span style="background-color:{chip}; font-family:monospace;">&nbsp;{html.escape(name)}&nbsp;</span>'
            for name in item.api)
        teaches = self.tr("Teaches:")
        glossary = self.tr("Glossary")
        # Kept whole (word joiners): Chinese text may otherwise break between any two characters.
        link = f'<a href="glossary">{html.escape(chr(0x2060).join(glossary))}</a>'
        self.api_label.setText(f'{html.escape(teaches)} {chips} &nbsp; {link}')
        try:
            self._markdown = item.text()
        except TflabError as err:  # an installation without this lesson's page
            self._markdown = err.full()
            self.lesson_view.setPlainText(self._markdown)
            return
        self.lesson_view.setMarkdown(display_markdown(self._markdown, self.tr("Output:")))
        space_headings(self.lesson_view.document())

    def _show_page(self, lesson_id: str) -> None:
        self.page(lesson_id)
        self.pages.setCurrentWidget(self._holders[lesson_id])

    def _build_page(self, lesson_id: str) -> QWidget:
        """Import and build the lab page, or explain why it cannot be shown."""
        module_name = PAGES[lesson_id]
        try:
            module = importlib.import_module(module_name)
            return module.create(self.context)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                _log.exception("The lab page %s needs a missing module", module_name)
            return _PageMissing(
                lambda: self.tr("The lab for this lesson is not available in this version of tflab."),
                lambda why=str(err): fill(self.tr("Missing: %1 (%2)"), module_name, why), self)
        except Exception as err:  # noqa: BLE001 - a broken page must never take the app down
            _log.exception("The lab page %s failed to build", module_name)
            return _PageMissing(
                lambda: self.tr("The lab for this lesson could not be opened. The lesson text is still here."),
                f"{type(err).__name__}: {err}", self)

    @Slot(str)
    def _on_solved(self, _lesson_id: str) -> None:
        self._fill_list()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_lesson_picked(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.show_lesson(str(current.data(_ID_ROLE)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._current:
            self._show_page(self._current)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._fill_list()
            if self._current:
                # The lesson in the new language, read from about the same place.
                bar = self.lesson_view.verticalScrollBar()
                where = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
                self._show_text(lesson(self._current))
                bar.setValue(round(where * bar.maximum()))
        super().changeEvent(event)
