"""The Labs tab switched to another language in place reads as if built in it, and keeps
what the student did: the lesson and where it was read, the predictions and their
verdicts, each lab's inputs, its result or its error, and the code (whose comments
follow the language).

Each test puts a screen in a state, switches (as View > Language does), and compares
every text with a screen built from the start in the new language, in the same state.
"""

from __future__ import annotations

import dataclasses
import threading

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit

from tests.ui.texts import differences, switch_language, visible_texts
from tflab import messages
from tflab.labs.custom_loop import program
from tflab.labs.exercises import exercises
from ui.app import language
from ui.labs import (
    page_compile_fit_evaluate,
    page_custom_loop,
    page_datasets,
    page_flatten,
    page_gradient_tape,
    page_initializers,
    page_sequential_vs_functional,
)
from ui.labs.common import LabContext
from ui.labs.panel import LabsPanel

TIMEOUT = 120_000


@pytest.fixture
def make_page(make_page):
    """Build and show a lab page (tests/ui/conftest.py's, shown at 900 x 700)."""

    def make(module):
        page = make_page(module)
        page.resize(900, 700)
        page.show()
        return page

    return make


def idle(qtbot, page) -> None:
    """Wait until the page has shown the answer of every request it sent."""
    qtbot.waitUntil(lambda: not page.runner.busy(), timeout=TIMEOUT)


def same(switched, fresh, skip: str = "") -> list[str]:
    """The texts that differ between the two (paths holding ``skip`` left out)."""
    found = differences(visible_texts(switched), visible_texts(fresh))
    return [line for line in found if not skip or skip not in line.split(":\n")[0]]


def chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


# ---------------------------------------------------------------- the lesson and its exercises
def _answer(qtbot, panel: LabsPanel, answers: list[str]) -> None:
    """Type each prediction and press Run; wait for every verdict."""
    for row, text in zip(panel.exercises.rows(), answers):
        assert isinstance(row.answer, QLineEdit)
        row.answer.setText(text)
        row.run.click()
        qtbot.waitUntil(lambda row=row: row.run.isEnabled() and row.last is not None, timeout=TIMEOUT)


def _panel(qtbot) -> LabsPanel:
    panel = LabsPanel(LabContext())
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show_lesson("flatten")
    panel.show()
    return panel


def test_a_lesson_with_answered_exercises_reads_as_new_and_keeps_the_answers(qtbot):
    answers = ["(32, 784)", "78400", "thirty-two"]  # right, wrong, badly written
    panel = _panel(qtbot)
    _answer(qtbot, panel, answers)
    bar = panel.lesson_view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    idle(qtbot, panel.page("flatten"))
    english = visible_texts(panel)

    switch_language(QCoreApplication.instance(), language.CHINESE)
    idle(qtbot, panel.page("flatten"))
    fresh = _panel(qtbot)
    _answer(qtbot, fresh, answers)
    idle(qtbot, fresh.page("flatten"))
    assert same(panel, fresh) == []
    rows = panel.exercises.rows()
    assert [row.answer.text() for row in rows[:3]] == answers
    assert rows[0].verdict.text().startswith("正确") and rows[1].verdict.text().startswith("不对")
    assert chinese(rows[2].verdict.text()) and "✓" in rows[0].question.text()
    assert panel.current_lesson() == "flatten"
    assert abs(bar.value() - bar.maximum() // 2) <= max(2, bar.maximum() // 20)  # still read from the middle

    switch_language(QCoreApplication.instance(), language.ENGLISH)
    idle(qtbot, panel.page("flatten"))
    assert differences(visible_texts(panel), english) == []
    panel.shutdown()
    fresh.shutdown()


def test_a_prediction_being_computed_says_so_in_the_new_language(qtbot):
    panel = LabsPanel(LabContext())  # hidden: no lab page, only the lesson and its exercises
    qtbot.addWidget(panel)
    panel.show_lesson("flatten")
    row = panel.exercises.rows()[0]
    gate = threading.Event()
    panel.exercises.runner.lane.submit("held", lambda: gate.wait(30))  # the lane is busy: the answer waits
    row.answer.setText("(32, 784)")
    row.run.click()
    waiting = row.verdict.text()
    switch_language(QCoreApplication.instance(), language.CHINESE)
    assert row.verdict.text() != waiting and chinese(row.verdict.text())
    assert not row.run.isEnabled() and row.answer.text() == "(32, 784)"
    gate.set()
    qtbot.waitUntil(lambda: row.verdict.text().startswith("正确"), timeout=TIMEOUT)
    panel.shutdown()


def test_a_choice_keeps_the_answer_picked(qtbot):
    panel = LabsPanel(LabContext())
    qtbot.addWidget(panel)
    panel.show_lesson("custom_loop")
    row = next(row for row in panel.exercises.rows() if row.exercise.id == "custom-loop-reset")
    combo = row.answer
    combo.setCurrentIndex(2)
    changed = []
    combo.currentIndexChanged.connect(changed.append)
    switch_language(QCoreApplication.instance(), language.CHINESE)
    exercise = next(e for e in exercises("custom_loop") if e.id == "custom-loop-reset")
    assert row.answer is combo and combo.currentIndex() == 2 and changed == []
    assert [combo.itemText(i) for i in range(combo.count())] == list(exercise.choices_zh)


def test_a_lab_that_cannot_be_opened_says_so_in_the_new_language(qtbot, monkeypatch):
    from ui.labs import panel as panel_module

    monkeypatch.setitem(panel_module.PAGES, "flatten", "ui.labs.page_not_in_this_version")
    panel = LabsPanel(LabContext())
    qtbot.addWidget(panel)
    missing = panel.page("flatten")
    english = missing.text()
    switch_language(QCoreApplication.instance(), language.CHINESE)
    fresh = LabsPanel(LabContext())
    qtbot.addWidget(fresh)
    assert panel.page("flatten") is missing and missing.text() != english
    assert missing.text() == fresh.page("flatten").text()


# ---------------------------------------------------------------- the pages on LabPage
def _switched_and_fresh(qtbot, make_page, module, prepare):
    """A page put in a state by ``prepare`` in English and switched to Chinese, and one built
    in Chinese and put in the same state."""
    page = make_page(module)
    idle(qtbot, page)
    prepare(page)
    idle(qtbot, page)
    switch_language(QCoreApplication.instance(), language.CHINESE)
    idle(qtbot, page)
    fresh = make_page(module)
    idle(qtbot, fresh)
    prepare(fresh)
    idle(qtbot, fresh)
    return page, fresh


def _run(page) -> None:
    page.run()


def test_flatten_after_a_result_reads_as_new_with_its_code_in_the_language(qtbot, make_page):
    def prepare(page):
        page.shape_edit.setText("2, 3")
        page.batch_spin.setValue(3)
        _run(page)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_flatten, prepare)
    assert same(page, fresh) == []
    assert page.shape_edit.text() == "2, 3" and page._result.input_shape == (3, 2, 3)
    assert page.code_box.code() == fresh.code_box.code() and chinese(page.code_box.code())


def test_flatten_after_an_error_reads_as_new(qtbot, make_page):
    def prepare(page):
        page.shape_edit.setText("3, 0")
        _run(page)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_flatten, prepare)
    assert page._error is not None and chinese(page.message.text())
    assert same(page, fresh) == []
    assert page.shape_edit.text() == "3, 0" and not page.results.isEnabled()


def test_gradient_tape_after_a_result_with_two_targets(qtbot, make_page):
    def prepare(page):
        page.persistent_check.setChecked(True)
        page.second_check.setChecked(True)
        _run(page)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_gradient_tape, prepare)
    assert same(page, fresh) == []
    assert chinese(page.code_box.code())  # persistent: a comment on `del tape`
    header = page.gradients.horizontalHeaderItem(0).text()
    assert chinese(header) and page.gradients.columnCount() == 3
    assert page.gradient_texts() == fresh.gradient_texts()


def test_gradient_tape_writes_its_program_again_without_running_again(qtbot, make_page, monkeypatch):
    page = make_page(page_gradient_tape)
    idle(qtbot, page)
    page.persistent_check.setChecked(True)  # a program with a comment (on `del tape`)
    _run(page)
    idle(qtbot, page)
    page.formula_edit.setText("x * 3")  # typed, not run yet: the answer shown is still the last one's
    page._debounce.stop()
    result, asked = page._result, []
    monkeypatch.setattr(page.runner, "run", lambda *a, **k: asked.append(a))

    switch_language(QCoreApplication.instance(), language.CHINESE)
    assert asked == [] and page._result is result  # TensorFlow is not asked again
    code = page.code_box.code()
    assert chinese(code) and "w * x ** 2 + c" in code and "x * 3" not in code


def test_gradient_tape_after_errors_found_by_the_page_and_by_tensorflow(qtbot, make_page):
    def twice(page):  # a name declared twice: the page says so itself
        page.variables.add_row("x", "1.0")
        _run(page)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_gradient_tape, twice)
    assert chinese(page.message.text()) and same(page, fresh) == []

    def not_persistent(page):  # a second gradient of a tape that is not persistent: TensorFlow refuses
        page.second_check.setChecked(True)
        _run(page)

    switch_language(QCoreApplication.instance(), language.ENGLISH)
    page, fresh = _switched_and_fresh(qtbot, make_page, page_gradient_tape, not_persistent)
    assert page._error is not None and page._error.code
    assert same(page, fresh) == []
    assert page.code_box.code() == page._error.code


def test_datasets_after_a_result_and_after_a_repeated_key(qtbot, make_page):
    def result(page):
        page.add_operation("repeat")
        _run(page)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_datasets, result)
    assert same(page, fresh) == []
    assert [row.operation()[0] for row in page.op_rows] == ["batch", "repeat"]

    def repeated(page):
        page.kind_combo.setCurrentIndex(2)  # a dict
        page.array_rows[1].name_edit.setText("features")
        _run(page)

    switch_language(QCoreApplication.instance(), language.ENGLISH)
    page, fresh = _switched_and_fresh(qtbot, make_page, page_datasets, repeated)
    assert chinese(page.message.text()) and "'features'" in page.message.text()
    assert same(page, fresh) == []
    assert page.kind() == "dict"


def test_initializers_after_a_result(qtbot, make_page):
    def prepare(page):
        page.shape_edit.setText("4, 3, 2")
        _run(page)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_initializers, prepare)
    assert same(page, fresh, skip="ObjectEditor") == []  # the initializer's editor is not this page's
    assert page.shape_edit.text() == "4, 3, 2" and page._result.values.shape == (4, 3, 2)


def test_compile_fit_evaluate_keeps_the_settings(qtbot, make_page):
    def prepare(page):
        page.optimizer_combo.setCurrentText("sgd")
        page.epochs_spin.setValue(7)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_compile_fit_evaluate, prepare)
    assert same(page, fresh) == []
    assert page.settings()["optimizer"] == "sgd" and page.settings()["epochs"] == 7
    assert "epochs=7" in page.code_box.code().replace(" ", "")


def test_sequential_vs_functional_reads_as_new(qtbot, make_page):
    def prepare(page):
        page.columns[1].tabs.setCurrentIndex(1)

    page, fresh = _switched_and_fresh(qtbot, make_page, page_sequential_vs_functional, prepare)
    assert same(page, fresh) == []
    assert page.columns[1].tabs.currentIndex() == 1


# ---------------------------------------------------------------- your own training loop
def test_custom_loop_after_a_training_keeps_it_and_writes_it_in_the_language(qtbot, make_page):
    page = make_page(page_custom_loop)
    assert not page.runner.busy()  # it trains only when asked
    page.epochs_spin.setValue(1)
    page.samples_spin.setValue(320)
    with qtbot.waitSignal(page.runner.sigResult, timeout=TIMEOUT):
        page.run_button.click()
    result = page.result
    curve = page.curves[("loop", "loss")].getData()[1].tolist()

    switch_language(QCoreApplication.instance(), language.CHINESE)
    assert not page.runner.busy() and page.result is result  # nothing trains again
    assert page.curves[("loop", "loss")].getData()[1].tolist() == curve
    fresh = make_page(page_custom_loop)
    fresh.epochs_spin.setValue(1)
    fresh.samples_spin.setValue(320)
    # The same training, as it ends in Chinese: its program has Chinese comments.
    fresh.runner.sigResult.emit(dataclasses.replace(result, code=program(1, 320, comments="zh")))
    assert same(page, fresh) == []
    assert page.code_box.code() == program(1, 320, comments="zh")


def test_custom_loop_after_an_error_in_the_students_loop(qtbot, make_page):
    loop = "model = build_model()\nhistory = {}\nloss = (\n"
    page = make_page(page_custom_loop)
    page.epochs_spin.setValue(1)
    page.samples_spin.setValue(320)
    page.loop_editor.setPlainText(loop)
    with qtbot.waitSignal(page.runner.sigError, timeout=TIMEOUT) as blocker:
        page.run_button.click()
    marked = page.loop_editor.marked_line()
    assert marked

    switch_language(QCoreApplication.instance(), language.CHINESE)
    fresh = make_page(page_custom_loop)
    fresh.epochs_spin.setValue(1)
    fresh.samples_spin.setValue(320)
    fresh.loop_editor.setPlainText(loop)
    fresh.runner.sigError.emit(blocker.args[0])
    assert same(page, fresh) == []
    assert chinese(page.message.text()) and messages.language() == "zh"
    assert page.loop_editor.toPlainText() == loop and page.loop_editor.marked_line() == marked
