"""Predict, then run: the exercises under a lesson.

For each exercise of the lesson shown (:mod:`tflab.labs.exercises`), the student types
(or picks) a prediction and presses Run: the prediction is read first (a badly written
one is explained without running anything), then TensorFlow computes the true answer
on the labs' lane and the box says whether the prediction was right, and why.

Which exercises were solved is kept in QSettings (:data:`SOLVED_KEY`), so progress
survives closing the app; :attr:`ExercisesBox.sigSolved` tells the lesson list.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tflab.labs.exercises import Exercise, Verdict, exercises
from tflab.messages import TflabError
from ui.core.settings import settings as app_settings
from ui.core.text import fill
from ui.labs.common import LabContext, LabRunner

#: The QSettings key holding the ids of the exercises solved so far.
SOLVED_KEY = "lessons/solved"

_RIGHT = "color: #2e7d32;"
_WRONG = "color: #c62828;"


def solved_ids() -> set[str]:
    """The ids of the exercises solved on this computer."""
    return {str(item) for item in app_settings().value(SOLVED_KEY, [], type=list)}


def lesson_progress(lesson_id: str) -> tuple[int, int]:
    """(solved, total) exercises of a lesson."""
    items = exercises(lesson_id)
    done = solved_ids()
    return sum(1 for item in items if item.id in done), len(items)


def _mark_solved(exercise_id: str) -> None:
    done = solved_ids()
    if exercise_id not in done:
        app_settings().setValue(SOLVED_KEY, sorted(done | {exercise_id}))


@dataclass
class _Row:
    exercise: Exercise
    question: QLabel
    answer: QLineEdit | QComboBox
    run: QPushButton
    verdict: QLabel
    last: Verdict | TflabError | None = None


class ExercisesBox(QGroupBox):
    """The exercises of one lesson. See the module docstring."""

    sigSolved = Signal(str)  # the lesson id, when one of its exercises is solved

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = LabRunner(context.lane, self)
        self.runner.sigResult.connect(self._on_truth)
        self.runner.sigError.connect(self._on_error)
        self._truths: dict[str, object] = {}
        self._rows: list[_Row] = []
        self._pending = ""
        self._lesson = ""
        self.progress = QLabel(self)
        self.progress.setWordWrap(True)
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self._grid_host)
        self._retranslate()

    # ------------------------------------------------------------------ API
    def set_lesson(self, lesson_id: str) -> None:
        """Show the exercises of ``lesson_id`` (the box hides itself when there are none)."""
        if lesson_id == self._lesson:
            return
        self._lesson = lesson_id
        self._pending = ""
        self.runner.drop()
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self._rows = []
        done = solved_ids()
        for number, exercise in enumerate(exercises(lesson_id)):
            self._add_row(number, exercise, exercise.id in done)
        self.setVisible(bool(self._rows))
        self._retranslate()

    def rows(self) -> list[_Row]:
        """The rows shown (for tests)."""
        return list(self._rows)

    def check(self, index: int) -> None:
        """Check the prediction of row ``index``: read it, then let TensorFlow answer."""
        row = self._rows[index]
        text = row.answer.currentText() if isinstance(row.answer, QComboBox) else row.answer.text()
        try:
            row.exercise.parse(text)
        except TflabError as err:
            self._show(row, err)
            return
        if row.exercise.id in self._truths:
            self._judge(row)
            return
        previous = self._row(self._pending)
        if previous is not None and previous is not row:  # its answer will not come: the runner keeps the latest
            previous.run.setEnabled(True)
            previous.verdict.hide()
        self._pending = row.exercise.id
        row.last = None
        row.run.setEnabled(False)
        row.verdict.setStyleSheet("")
        row.verdict.setText(self.tr("TensorFlow is computing the answer…"))
        row.verdict.show()
        exercise = row.exercise
        self.runner.run(lambda: (exercise.id, exercise.solve()))

    # ------------------------------------------------------------------ internals
    def _add_row(self, number: int, exercise: Exercise, solved: bool) -> None:
        question = QLabel(self._grid_host)
        question.setWordWrap(True)
        question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if exercise.kind == "choice":
            answer: QLineEdit | QComboBox = QComboBox(self._grid_host)
            # As narrow as the box: long answers are read in the open list, not by widening the lesson.
            answer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            answer.setMinimumContentsLength(12)
        else:
            answer = QLineEdit(self._grid_host)
            answer.returnPressed.connect(lambda n=number: self.check(n))
        run = QPushButton(self._grid_host)
        run.clicked.connect(lambda _=False, n=number: self.check(n))
        verdict = QLabel(self._grid_host)
        verdict.setWordWrap(True)
        verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        verdict.hide()
        answer_row = QWidget(self._grid_host)
        answer_layout = QHBoxLayout(answer_row)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addWidget(answer, 1)
        answer_layout.addWidget(run)
        base = number * 4
        if number:  # a line between two questions (none above the first)
            line = QFrame(self._grid_host)
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            self._grid.addWidget(line, base, 0)
        self._grid.addWidget(question, base + 1, 0)
        self._grid.addWidget(answer_row, base + 2, 0)
        self._grid.addWidget(verdict, base + 3, 0)
        row = _Row(exercise, question, answer, run, verdict)
        if solved:
            row.question.setProperty("solved", True)
        self._rows.append(row)

    def _row(self, exercise_id: str) -> _Row | None:
        return next((row for row in self._rows if row.exercise.id == exercise_id), None)

    @Slot(object)
    def _on_truth(self, answer: object) -> None:
        exercise_id, truth = answer  # type: ignore[misc]
        self._truths[exercise_id] = truth
        row = self._row(exercise_id)
        if row is not None:
            row.run.setEnabled(True)
            self._judge(row)

    @Slot(object)
    def _on_error(self, err: TflabError) -> None:
        row = self._row(self._pending)
        if row is not None:
            row.run.setEnabled(True)
            self._show(row, err)

    def _judge(self, row: _Row) -> None:
        text = row.answer.currentText() if isinstance(row.answer, QComboBox) else row.answer.text()
        try:
            verdict = row.exercise.check(text, self._truths[row.exercise.id])
        except TflabError as err:
            self._show(row, err)
            return
        self._show(row, verdict)
        if verdict.correct and not row.question.property("solved"):
            row.question.setProperty("solved", True)
            _mark_solved(row.exercise.id)
            self._retranslate()
            self.sigSolved.emit(self._lesson)

    def _show(self, row: _Row, outcome: Verdict | TflabError) -> None:
        row.last = outcome
        if isinstance(outcome, TflabError):
            row.verdict.setStyleSheet(_WRONG)
            row.verdict.setText(outcome.full())
        else:
            row.verdict.setStyleSheet(_RIGHT if outcome.correct else _WRONG)
            row.verdict.setText(outcome.message())
        row.verdict.show()

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Predict, then run"))
        solved = sum(1 for row in self._rows if row.question.property("solved"))
        self.progress.setText(
            fill(self.tr("Write what you expect, then press Run: TensorFlow computes the real answer. "
                    "Solved: %1 of %2."), str(solved), str(len(self._rows))))
        for number, row in enumerate(self._rows, 1):
            mark = "✓ " if row.question.property("solved") else ""
            row.question.setText(f"<b>{mark}{number}.</b> {html.escape(row.exercise.question())}")
            row.run.setText(self.tr("Run"))
            if isinstance(row.answer, QComboBox):  # the same answers in the new words: the choice stays
                choices = row.exercise.choices()
                for index, text in enumerate(choices):
                    if index < row.answer.count():
                        row.answer.setItemText(index, text)
                    else:
                        row.answer.addItem(text)
            else:
                row.answer.setPlaceholderText(self._placeholder(row.exercise.kind))
            if row.last is not None:
                self._show(row, row.last)
            elif row.exercise.id == self._pending and not row.run.isEnabled():
                row.verdict.setText(self.tr("TensorFlow is computing the answer…"))

    def _placeholder(self, kind: str) -> str:
        if kind == "shape":
            return self.tr("a shape, such as (32, 10)")
        if kind == "int":
            return self.tr("a whole number")
        return self.tr("a number")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
