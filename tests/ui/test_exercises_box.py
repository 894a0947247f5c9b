"""Predict, then run, as a student uses it: type a prediction under the lesson, press
Run, read whether it was right and why; progress is still there after a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QComboBox, QLineEdit

from tflab import messages
from tflab.labs import lesson_ids
from tflab.labs.exercises import exercises
from ui.labs.common import LabContext
from ui.labs.exercises import ExercisesBox, lesson_progress, solved_ids
from ui.labs.panel import LabsPanel


@pytest.fixture
def box(qtbot):
    made = ExercisesBox(LabContext())
    qtbot.addWidget(made)
    made.set_lesson("flatten")
    yield made
    made.runner.wait()


def _type(row, text: str) -> None:
    assert isinstance(row.answer, QLineEdit)
    row.answer.setText(text)


def test_a_right_prediction_is_confirmed_by_tensorflow_and_kept(box, qtbot):
    row = box.rows()[0]
    assert row.exercise.id == "flatten-shape" and "(32, 28, 28)" in row.question.text()
    _type(row, "(32, 784)")
    with qtbot.waitSignal(box.sigSolved, timeout=60_000) as signal:
        row.run.click()
    assert signal.args == ["flatten"]
    assert row.verdict.text().startswith("Right: TensorFlow gives (32, 784).")
    assert "flatten-shape" in solved_ids() and lesson_progress("flatten") == (1, len(exercises("flatten")))
    assert "✓" in row.question.text() and "Solved: 1 of" in box.progress.text()

    again = ExercisesBox(LabContext())  # the app opened again: progress is remembered
    qtbot.addWidget(again)
    again.set_lesson("flatten")
    assert "✓" in again.rows()[0].question.text() and "Solved: 1 of" in again.progress.text()


def test_a_wrong_prediction_gets_the_true_answer_and_why(box, qtbot):
    row = box.rows()[1]
    _type(row, "78400")
    with qtbot.waitSignal(box.runner.sigResult, timeout=60_000):
        row.run.click()
    qtbot.waitUntil(lambda: row.verdict.text().startswith("Not quite"))
    assert "you said 78400, TensorFlow gives 78500." in row.verdict.text()
    assert row.exercise.explain_en in row.verdict.text()
    assert row.exercise.id not in solved_ids()

    messages.set_language("zh")
    QCoreApplication.sendEvent(box, QEvent(QEvent.Type.LanguageChange))
    assert "TensorFlow 给出 78500" in row.verdict.text() and row.exercise.question_zh in row.question.text()


def test_a_badly_written_prediction_is_explained_without_running(box):
    row = box.rows()[0]
    _type(row, "thirty-two by 784")
    row.run.click()
    assert "(32, 784)" in row.verdict.text() and row.run.isEnabled()
    assert "flatten-shape" not in solved_ids()


def test_choice_exercises_offer_their_answers_in_the_language(qtbot):
    exercise = next(e for e in exercises("custom_loop") if e.id == "custom-loop-reset")
    made = ExercisesBox(LabContext())
    qtbot.addWidget(made)
    made.set_lesson("custom_loop")
    row = next(row for row in made.rows() if row.exercise.id == exercise.id)
    assert isinstance(row.answer, QComboBox)
    assert [row.answer.itemText(i) for i in range(row.answer.count())] == list(exercise.choices_en)
    row.answer.setCurrentIndex(1)  # "2: the mean of both epochs together"
    with qtbot.waitSignal(made.sigSolved, timeout=60_000):
        row.run.click()
    assert row.verdict.text().startswith("Right")
    messages.set_language("zh")
    QCoreApplication.sendEvent(made, QEvent(QEvent.Type.LanguageChange))
    assert [row.answer.itemText(i) for i in range(row.answer.count())] == list(exercise.choices_zh)
    assert row.answer.currentIndex() == 1 and "正确" in row.verdict.text()
    made.runner.wait()


def test_the_labs_panel_shows_the_exercises_and_marks_finished_lessons(qtbot):
    panel = LabsPanel(LabContext())
    qtbot.addWidget(panel)
    panel.show_lesson("flatten")
    assert [row.exercise.id for row in panel.exercises.rows()] == [e.id for e in exercises("flatten")]
    for row in panel.exercises.rows():
        _type(row, row.exercise.format(row.exercise.solve()))
        with qtbot.waitSignal(panel.exercises.sigSolved, timeout=60_000):
            row.run.click()
    assert panel.lessons.item(lesson_ids().index("flatten")).text().endswith("✓")
    assert not panel.lessons.item(lesson_ids().index("crop")).text().endswith("✓")
    panel.shutdown()


def test_the_glossary_opens_from_the_lesson_and_from_help(make_window, qtbot):
    from ui.labs.glossary import GlossaryDialog

    window = make_window()
    window.open_lesson("gradient_tape")
    window.labs.api_label.linkActivated.emit("glossary")
    dialog = window.findChild(GlossaryDialog)
    assert dialog is not None and dialog.isVisible()
    assert "全连接层" in dialog.view.toPlainText() and "Meaning" in dialog.view.toPlainText()
    window.action_glossary.trigger()
    assert window.findChildren(GlossaryDialog) == [dialog]  # one window, raised again
    messages.set_language("zh")
    QCoreApplication.sendEvent(dialog, QEvent(QEvent.Type.LanguageChange))
    assert "含义" in dialog.view.toPlainText() and dialog.windowTitle() != ""
    dialog.close()


def test_another_lesson_shows_only_its_own_questions(box, qtbot):
    box.show()
    old = [row.question for row in box.rows()]
    box.set_lesson("crop")
    # The old questions are gone from the screen at once, not drawn under the new ones
    # until the event loop deletes them.
    assert not any(label.isVisible() for label in old)
    qtbot.waitUntil(lambda: all(row.question.isVisible() for row in box.rows()))
    assert [e.id for e in exercises("crop")] == [row.exercise.id for row in box.rows()]
