"""The optimizer, custom code and cropping lab pages switch language in place.

After View > Language each page reads exactly as one built in the new language from the
start, in the same state (steps taken, a run that diverged, a passed check, a syntax
error, a box that fits or not), and keeps that state: the settings, the result, the code.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtWidgets import QWidget

from tests.ui.texts import differences, switch_language, visible_texts
from tflab import messages
from tflab.labs._common import Note
from tflab.labs.custom import CustomResult, template
from ui.app import language
from ui.labs import page_apply_gradients, page_crop, page_custom
from ui.labs.common import LabContext

TIMEOUT = 60_000
#: A check's program as the engine writes it: the student's code, then the check (English comments).
CHECK_CODE = "# ---- The check tflab runs ----\n# batch 1\ny = layer(x)\n"
#: Code with a syntax error on line 3 (found before any process starts).
BROKEN = "import tensorflow as tf\n\nclass Broken(tf.keras.layers.Layer:\n    pass\n"


def assert_reads_as_fresh(switched: QWidget, fresh: QWidget) -> None:
    assert differences(visible_texts(switched), visible_texts(fresh)) == []


def both_ways(qapp, page: QWidget, build: Callable[[], QWidget]) -> None:
    """Switch ``page`` to Chinese, then back to English; each time it reads as ``build()``
    (a page brought to the same state) made in that language."""
    before = visible_texts(page)
    switch_language(qapp, language.CHINESE)
    assert messages.language() == "zh"
    assert visible_texts(page) != before
    assert_reads_as_fresh(page, build())
    switch_language(qapp, language.ENGLISH)
    assert_reads_as_fresh(page, build())
    assert visible_texts(page) == before


def answer(qtbot, page, button, signal: str = "sigResult"):
    """Click ``button`` and wait for the page's runner to answer."""
    with qtbot.waitSignal(getattr(page.runner, signal), timeout=TIMEOUT):
        button.click()


def select(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


# ---------------------------------------------------------------- apply_gradients


def test_optimizer_settings_read_as_fresh_and_stay(qapp, make_page):
    def build():
        page = make_page(page_apply_gradients)
        select(page.problem_combo, "regression")
        select(page.optimizer_combo, "momentum")
        page.rate_spin.setValue(0.02)
        return page

    page = build()
    assert "regression" in page_apply_gradients.PROBLEMS
    both_ways(qapp, page, build)
    assert page.settings() == build().settings()
    assert page.problem_combo.currentData() == "regression" and page.optimizer_combo.currentData() == "momentum"


def test_steps_taken_read_as_fresh_and_stay(qtbot, qapp, make_page):
    def build():
        page = make_page(page_apply_gradients)
        select(page.problem_combo, "bowl")
        select(page.optimizer_combo, "momentum")
        page.rate_spin.setValue(0.05)
        answer(qtbot, page, page.step_button)
        answer(qtbot, page, page.step_button)
        return page

    page = build()
    snapshot, path = page.snapshot, page.surface_plot.path_points()
    assert len(snapshot.path) == 3
    both_ways(qapp, page, build)
    assert page.snapshot is snapshot
    assert np.array_equal(page.surface_plot.path_points(), path)
    answer(qtbot, page, page.step_button)  # the run goes on where it was: the steps were kept
    assert len(page.snapshot.path) == 4 and page.snapshot.path[:3] == snapshot.path


def test_a_diverged_run_reads_as_fresh(qtbot, qapp, make_page):
    def build():
        page = make_page(page_apply_gradients)
        select(page.problem_combo, "bowl")
        page.rate_spin.setValue(10.0)
        answer(qtbot, page, page.many_button)
        return page

    page = build()
    assert page.snapshot.diverged and page.message.kind == "error"
    switch_language(qapp, language.CHINESE)
    assert "diverged" not in page.message.text() and page.message.kind == "error"
    switch_language(qapp, language.ENGLISH)
    both_ways(qapp, page, build)
    assert "diverged" in page.message.text() and page.snapshot.diverged


# ---------------------------------------------------------------- custom


def fake_check(source, kind, input_shape, *, consent=False):
    """The check without its Python process: a result that has every part the page shows."""
    weights = [("my_dense/kernel", (input_shape[-1], 4)), ("my_dense/bias", (4,))]
    return CustomResult(kind, "MyDense", (4, 4), None, weights, (Note("A note.", "一条说明。"),),
                        "hello\n", source.rstrip("\n") + "\n\n" + CHECK_CODE, source)


def test_a_passed_check_reads_as_fresh_and_stays(qtbot, qapp, make_page, monkeypatch):
    monkeypatch.setattr(page_custom, "check_custom_code", fake_check)
    context = LabContext(use_custom_code=lambda source, report=False: None)

    def build():
        page = make_page(page_custom, context)
        page.shape_edit.setText("2, 5")
        answer(qtbot, page, page.run_button)
        return page

    page = build()
    result = page.result
    assert page.use_button.isEnabled() and page.editor.toPlainText() == template("layer", "en")
    both_ways(qapp, page, build)
    assert page.result is result and page.shape_edit.text() == "2, 5"
    assert page.weights_table.rowCount() == 2 and page.weights_table.item(1, 0).text() == "my_dense/bias"
    assert page.use_button.isEnabled()  # the checked layer can still go into the project

    switch_language(qapp, language.CHINESE)
    # The untouched template and the check's program are written again with Chinese comments.
    assert page.editor.toPlainText() == template("layer", "zh")
    assert "tflab 运行的检查" in page.code_box.code()
    assert page.use_button.isEnabled() and page.result is result


def test_a_syntax_error_reads_as_fresh_and_the_code_stays(qtbot, qapp, make_page):
    def build():
        page = make_page(page_custom)
        select(page.kind_combo, "metric")
        select(page.kind_combo, "layer")
        page.editor.setPlainText(BROKEN)
        answer(qtbot, page, page.run_button, "sigError")
        return page

    page = build()
    assert page.editor.marked_line() == 3
    both_ways(qapp, page, build)
    assert page.editor.toPlainText() == BROKEN  # the student's own code is never rewritten
    assert page.editor.marked_line() == 3 and "line 3" in page.message.text()
    switch_language(qapp, language.CHINESE)
    select(page.kind_combo, "metric")  # the other kinds' untouched templates follow the language
    assert page.editor.toPlainText() == template("metric", "zh")
    select(page.kind_combo, "layer")
    assert page.editor.toPlainText() == BROKEN


# ---------------------------------------------------------------- crop


def test_a_box_that_fits_reads_as_fresh_and_stays(qapp, make_page):
    def build():
        page = make_page(page_crop)
        page.height_spin.setValue(80)
        page.box_editor.spins["offset_height"].setValue(5)
        return page

    page = build()
    box, code = page.box_editor.box(), page.code_box.code()
    both_ways(qapp, page, build)
    assert page.box_editor.box() == box and page.height_spin.value() == 80
    assert page.code_box.code() == code and page.diagram.valid


def test_a_box_that_does_not_fit_reads_as_fresh(qapp, make_page):
    def build():
        page = make_page(page_crop)
        page.box_editor.spins["offset_width"].setValue(100)  # 100 + 40 > 120 columns
        return page

    page = build()
    assert page.message.kind == "error" and not page.diagram.valid
    both_ways(qapp, page, build)
    assert page.message.kind == "error" and not page.diagram.valid
    assert page.box_editor.box().offset_width == 100
