"""The name_scope, stack/unstack and summary lab pages switch language in place.

After View > Language each page reads exactly as one built in the new language from the
start, in the same state (a result, an error from a bad input), and keeps that state: the
inputs typed, the answer shown, the code.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QWidget

from tests.ui.test_labs_pages_b import set_shapes
from tests.ui.texts import differences, switch_language, visible_texts
from tflab import messages
from tflab.labs.name_scope import name_scope_lab
from tflab.labs.summary_scalar import summary_lab
from tflab.messages import TflabError
from ui.app import language
from ui.labs import page_name_scope, page_stack_unstack, page_summary_scalar

#: A hang guard for a lab on the labs' worker, never a speed requirement.
TIMEOUT = 60_000


@pytest.fixture
def make_page(make_page):
    """Build a page (tests/ui/conftest.py's) at 1100 x 800; the summary page with ``kwargs``."""

    def make(module, **kwargs) -> QWidget:
        if module is page_summary_scalar:
            module = SimpleNamespace(create=lambda context: page_summary_scalar.SummaryScalarPage(context, **kwargs))
        page = make_page(module)
        page.resize(1100, 800)
        return page

    return make


def answer(qtbot, page, error: bool = False):
    """Press the page's run button and return what its worker delivers (a result or an error)."""
    signal = page.runner.sigError if error else page.runner.sigResult
    with qtbot.waitSignal(signal, timeout=TIMEOUT) as blocker:
        page.run_button.click()
    return blocker.args[0]


def reads_as_fresh(page: QWidget, build: Callable[[], QWidget]) -> list[str]:
    """Where ``page`` reads differently from ``build()``, a page built now in the same state."""
    return differences(visible_texts(page), visible_texts(build()))


def both_ways(qapp, page: QWidget, build: Callable[[], QWidget]) -> None:
    """Switch ``page`` to Chinese and back, comparing it each time with a page built in that language."""
    english = visible_texts(page)
    switch_language(qapp, language.CHINESE)
    assert messages.language() == "zh"
    assert visible_texts(page) != english
    assert reads_as_fresh(page, build) == []
    switch_language(qapp, language.ENGLISH)
    assert reads_as_fresh(page, build) == []
    assert visible_texts(page) == english


# --------------------------------------------------------------------------- name_scope


@pytest.fixture(scope="module")
def traced():
    """The engine's answer, traced once for the module."""
    return name_scope_lab()


@pytest.fixture
def quick_trace(monkeypatch, traced):
    """The page gets the traced answer without tracing again (the same answer, in milliseconds)."""
    monkeypatch.setattr(page_name_scope, "name_scope_lab", lambda: traced)


def test_name_scope_result_reads_as_fresh_and_stays(qtbot, qapp, make_page, quick_trace, traced):
    def build():
        page = make_page(page_name_scope)
        answer(qtbot, page)
        return page

    page = build()
    rows = page.ops_table.rowCount()
    both_ways(qapp, page, build)
    assert page.result is traced
    assert rows == len(traced.op_names) == page.ops_table.rowCount()
    assert page.tree.topLevelItemCount() > 0 and page.code_box.code() == traced.code
    assert page.message.text().startswith(f"{len(traced.op_names)} operations.")


def test_name_scope_error_reads_as_fresh(qtbot, qapp, make_page, monkeypatch):
    def refuse():
        raise TflabError("Tracing failed.", "追踪失败。", hint_en="Try again.", hint_zh="再试一次。")

    monkeypatch.setattr(page_name_scope, "name_scope_lab", refuse)

    def build():
        page = make_page(page_name_scope)
        answer(qtbot, page, error=True)
        return page

    page = build()
    switch_language(qapp, language.CHINESE)
    assert page.message.text() == "追踪失败。\n再试一次。"
    assert reads_as_fresh(page, build) == []
    switch_language(qapp, language.ENGLISH)
    assert page.message.text() == "Tracing failed.\nTry again."
    assert reads_as_fresh(page, build) == []


# --------------------------------------------------------------------------- stack / unstack


def stack_page(qtbot, make_page, shapes: tuple[str, ...], axis: int, error: bool = False):
    page = make_page(page_stack_unstack)
    set_shapes(page, *shapes)
    page.axis_spin.setValue(axis)
    answer(qtbot, page, error)
    return page


def test_stack_result_reads_as_fresh_and_keeps_the_inputs(qtbot, qapp, make_page):
    shapes, axis = ("2, 3", "2, 3", "2, 3"), 1
    page = stack_page(qtbot, make_page, shapes, axis)
    result, code = page.result, page.code_box.code()
    both_ways(qapp, page, lambda: stack_page(qtbot, make_page, shapes, axis))
    assert [row.edit.text() for row in page.rows] == list(shapes) and page.axis_spin.value() == axis
    assert page.result is result and page.code_box.code() == code
    assert page.stacked_label.text() == "(2, <b><u>3</u></b>, 3)"
    assert page.unstacked_label.text() == "3 tensor(s) of shape (2, 3)"
    assert page.stacked_label.toolTip() == "Dimension 1 is the new axis: one entry per input tensor."
    assert len(page.input_blocks) == 3


@pytest.mark.parametrize("shapes, axis, words", [
    (("2, 3", "2, 4"), 0, "Shapes of all inputs must match"),  # TensorFlow refuses
    (("3", "3"), 3, "between -2 and 1"),  # the axis is out of range
    (("2, x",), 0, "whole numbers"),  # not a shape
])
def test_stack_error_reads_as_fresh_and_keeps_the_inputs(qtbot, qapp, make_page, shapes, axis, words):
    page = stack_page(qtbot, make_page, shapes, axis, error=True)
    english = page.message.text()
    assert words in english
    switch_language(qapp, language.CHINESE)
    assert page.message.text() != english  # the explanation follows the language
    assert reads_as_fresh(page, lambda: stack_page(qtbot, make_page, shapes, axis, error=True)) == []
    switch_language(qapp, language.ENGLISH)
    assert reads_as_fresh(page, lambda: stack_page(qtbot, make_page, shapes, axis, error=True)) == []
    assert page.message.text() == english and page.stacked_label.text() == "—"
    assert [row.edit.text() for row in page.rows] == list(shapes) and page.axis_spin.value() == axis


def test_stack_inputs_typed_before_a_run_stay_and_read_as_fresh(qtbot, qapp, make_page):
    def build():
        page = make_page(page_stack_unstack)
        set_shapes(page, "4", "4", "4", "4")
        return page

    page = build()
    both_ways(qapp, page, build)
    assert page.shapes() == [[4]] * 4 and page.result is None


# --------------------------------------------------------------------------- summary_scalar


@pytest.fixture
def written(tmp_path):
    """A run the engine wrote (in ``tmp_path/logs``), read back."""
    return summary_lab(tmp_path / "logs", 6, 3)


def summary_page(qtbot, make_page, logdir, error: bool = False):
    page = make_page(page_summary_scalar, logdir=logdir)
    page.steps_spin.setValue(6)
    page.seed_spin.setValue(3)
    answer(qtbot, page, error)
    return page


def test_summary_result_reads_as_fresh_and_stays(qtbot, qapp, make_page, monkeypatch, written):
    # Every page shows the same run (a new Write would make run_2, with another folder name).
    monkeypatch.setattr(page_summary_scalar, "summary_lab", lambda logdir, steps, seed: written)
    logdir = written.run_dir.parent
    page = summary_page(qtbot, make_page, logdir)
    rows, records = page.values_table.rowCount(), page.records_view.toPlainText()
    both_ways(qapp, page, lambda: summary_page(qtbot, make_page, logdir))
    assert page.result is written and page.folder_button.isEnabled()
    assert (page.steps_spin.value(), page.seed_spin.value()) == (6, 3)
    assert page.values_table.rowCount() == rows == 12 and page.records_view.toPlainText() == records
    assert str(written.run_dir) in page.files_label.text() and page.files_label.text().startswith("Run folder:")
    assert list(page.curves["loss"].getData()[0]) == [step for step, _ in written.scalars["loss"]]


def test_summary_error_reads_as_fresh(qtbot, qapp, make_page, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    page = summary_page(qtbot, make_page, blocker, error=True)
    english = page.message.text()
    assert "Cannot create a log folder" in english
    switch_language(qapp, language.CHINESE)
    assert page.message.text() != english
    assert reads_as_fresh(page, lambda: summary_page(qtbot, make_page, blocker, error=True)) == []
    switch_language(qapp, language.ENGLISH)
    assert reads_as_fresh(page, lambda: summary_page(qtbot, make_page, blocker, error=True)) == []
    assert page.message.text() == english and (page.steps_spin.value(), page.seed_spin.value()) == (6, 3)


def test_summary_before_a_run_reads_as_fresh(qtbot, qapp, make_page, tmp_path):
    def build():
        page = make_page(page_summary_scalar, logdir=tmp_path / "logs")
        page.steps_spin.setValue(42)
        page.show()
        qtbot.waitExposed(page)
        return page

    page = build()
    both_ways(qapp, page, build)
    assert page.steps_spin.value() == 42 and page.result is None
    assert not (tmp_path / "logs").exists()  # nothing written until Write is pressed
