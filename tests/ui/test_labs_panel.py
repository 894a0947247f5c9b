"""The Labs tab: the lesson list, lesson texts in both languages, lazily built lab pages,
pages that are missing or broken, and the tab's place in the main window."""

import importlib.util
import sys
import threading
import time
import types

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from tflab import messages
from tflab.labs import LESSONS, lesson
from tflab.labs.compile_fit_evaluate import default_training
from tflab.labs.sequential_vs_functional import example_graphs
from ui.core import settings as app_settings
from ui.labs import common
from ui.labs import panel as panel_module
from ui.labs.common import LabContext
from ui.labs.panel import LAST_KEY, PAGES, LabsPanel


@pytest.fixture
def make_panel(qtbot):
    """Panels whose lab pages' background work is waited for after the test."""
    panels = []

    def make(context: LabContext | None = None) -> LabsPanel:
        panel = LabsPanel(context or LabContext())
        qtbot.addWidget(panel)
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.shutdown()


def _switch_language(widget: QWidget, lang: str) -> None:
    messages.set_language(lang)
    QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))


def _heading(markdown: str) -> str:
    """The text of the page's first heading (``# Flatten`` -> ``Flatten``)."""
    return next(line for line in markdown.splitlines() if line.startswith("# "))[2:].strip()


def test_lists_the_thirteen_lessons_in_teaching_order(make_panel):
    panel = make_panel()
    assert panel.lessons.count() == len(LESSONS) == 13
    for number, item in enumerate(LESSONS, 1):
        entry = panel.lessons.item(number - 1)
        assert entry.text() == f"{number}. {item.title('en')}"
        assert entry.toolTip() == item.summary("en")
    assert panel.current_lesson() == LESSONS[0].id


@pytest.mark.parametrize("item", LESSONS, ids=[item.id for item in LESSONS])
def test_shows_each_lesson_in_english_and_chinese(make_panel, item):
    panel = make_panel()
    panel.show_lesson(item.id)
    assert panel.shown_markdown() == item.text("en")
    assert _heading(item.text("en")) in panel.lesson_view.toPlainText()
    for name in item.api:
        assert name in panel.api_label.text()

    _switch_language(panel, "zh")
    assert panel.shown_markdown() == item.text("zh")
    assert _heading(item.text("zh")) in panel.lesson_view.toPlainText()
    number = LESSONS.index(item) + 1
    assert panel.lessons.item(number - 1).text() == f"{number}. {item.title('zh')}"
    assert panel.lessons.item(number - 1).toolTip() == item.summary("zh")


def test_a_heading_after_code_output_has_room_above_it(make_panel):
    """Qt's Markdown sets a heading right under the output before it; the panel adds room
    (in both languages: the text is set again on a language switch)."""
    panel = make_panel()
    for lang in ("en", "zh"):
        _switch_language(panel, lang)
        panel.show_lesson("initializers")
        headings = []
        block = panel.lesson_view.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                headings.append((block.text(), block.blockFormat().topMargin()))
            block = block.next()
        assert len(headings) >= 3, headings
        assert all(margin >= panel_module.HEADING_SPACE for _, margin in headings[1:]), headings


def test_picking_a_lesson_in_the_list_shows_it_and_is_remembered(make_panel):
    panel = make_panel()
    panel.lessons.setCurrentRow(4)
    assert panel.current_lesson() == LESSONS[4].id
    assert panel.shown_markdown() == LESSONS[4].text("en")
    app_settings.settings().sync()  # written on the settings lane
    assert QSettings().value(LAST_KEY) == LESSONS[4].id
    app_settings.reset()  # read again, as at the next start
    assert make_panel().current_lesson() == LESSONS[4].id


def test_a_forgotten_lesson_id_falls_back_to_the_first(make_panel):
    QSettings().setValue(LAST_KEY, "no_such_lesson")  # as an earlier version left it
    app_settings.reset()  # read again, as at the next start
    assert make_panel().current_lesson() == LESSONS[0].id


def test_an_unknown_lesson_is_refused_in_words(make_panel):
    with pytest.raises(messages.TflabError, match="no lesson"):
        make_panel().show_lesson("no_such_lesson")


def test_pages_are_built_only_when_shown(make_panel, qtbot):
    panel = make_panel()
    panel.show_lesson("compile_fit_evaluate")
    assert panel.pages.count() == 0  # hidden: nothing built yet
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.pages.count() == 1
    page = panel.page("compile_fit_evaluate")
    assert panel.pages.currentWidget().widget() is page
    panel.show_lesson("sequential_vs_functional")
    assert panel.pages.count() == 2
    panel.show_lesson("compile_fit_evaluate")
    assert panel.pages.count() == 2  # built once
    assert panel.page("compile_fit_evaluate") is page


def test_every_registered_module_is_named_after_its_lesson():
    assert list(PAGES) == [item.id for item in LESSONS]
    assert all(module == f"ui.labs.page_{lesson_id}" for lesson_id, module in PAGES.items())


@pytest.mark.parametrize("lesson_id", list(PAGES))
def test_every_registered_page_builds(qtbot, lesson_id):
    module_name = PAGES[lesson_id]
    if importlib.util.find_spec(module_name) is None:
        pytest.skip(f"{module_name} is not written yet (another part of the project)")
    page = importlib.import_module(module_name).create(LabContext())
    qtbot.addWidget(page)
    assert isinstance(page, QWidget)
    runner = getattr(page, "runner", None)
    if runner is not None:
        runner.wait()


def test_a_missing_page_module_shows_a_message(make_panel, monkeypatch):
    monkeypatch.setitem(PAGES, "flatten", "ui.labs.page_that_does_not_exist")
    panel = make_panel()
    shown = panel.page("flatten")
    assert isinstance(shown, panel_module._PageMissing)
    assert "not available" in shown.text()
    assert "ui.labs.page_that_does_not_exist" in shown.text()
    panel.show_lesson("flatten")
    assert panel.shown_markdown() == lesson("flatten").text("en")  # the lesson is still there


def test_a_page_that_fails_to_build_shows_a_message(make_panel, monkeypatch):
    broken = types.ModuleType("ui.labs.page_broken_for_test")

    def create(context):
        raise RuntimeError("the page is broken")

    broken.create = create
    monkeypatch.setitem(sys.modules, broken.__name__, broken)
    monkeypatch.setitem(PAGES, "crop", broken.__name__)
    shown = make_panel().page("crop")
    assert isinstance(shown, panel_module._PageMissing)
    assert "could not be opened" in shown.text()
    assert "RuntimeError: the page is broken" in shown.text()


def test_every_lab_runs_on_one_lasting_python_thread_one_job_at_a_time(qtbot):
    """The labs' TensorFlow work keeps one Python thread state: a fresh one per job (a
    thread pool) let the garbage collector crash inside a TensorFlow op."""
    from ui.labs.common import LabRunner

    first, second = LabRunner(), LabRunner()
    assert first.lane is second.lane is common.lab_lane()
    local = threading.local()
    running = []

    def job(tag):
        def run():
            running.append(tag)
            assert len(running) == 1, "two lab jobs overlapped"
            seen = getattr(local, "seen", None)
            local.seen = (seen or 0) + 1
            time.sleep(0.05)
            running.remove(tag)
            return threading.get_ident(), seen
        return run

    answers = []
    first.sigResult.connect(answers.append)
    second.sigResult.connect(answers.append)
    first.run(job("a"))
    second.run(job("b"))
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    (thread_a, _), (thread_b, seen_by_b) = sorted(answers, key=lambda answer: answer[1] or 0)
    assert thread_a == thread_b != threading.get_ident()
    assert seen_by_b is not None  # the thread's Python state outlived the first job


def test_a_lab_that_fails_unexpectedly_says_so_in_words(qtbot):
    from ui.labs.common import LabRunner

    runner = LabRunner()
    with qtbot.waitSignal(runner.sigError, timeout=10_000) as blocker:
        runner.run(lambda: 1 / 0)
    assert "ZeroDivisionError" in blocker.args[0].full()
    assert "running the lab" in blocker.args[0].full()


# --------------------------------------------------------------------------- in the main window


@pytest.fixture
def window(qtbot):
    from ui.app.main_window import MainWindow

    window = MainWindow()
    # pytest-qt closes the window before this fixture ends: unsaved changes must not
    # open the "save changes?" question then (it would wait for an answer forever).
    qtbot.addWidget(window, before_close_func=lambda w: w.document.mark_saved())
    yield window
    window.document.mark_saved()
    window.shutdown()


def _add_layer(window) -> None:
    window.document.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))


def test_the_labs_tab_replaces_its_placeholder(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles.count("Labs") == 1
    assert window.tabs.widget(titles.index("Labs")) is window.labs
    assert isinstance(window.labs, LabsPanel)


def test_open_graph_shows_the_example_in_the_editor(window):
    window.labs.show_lesson("sequential_vs_functional")
    page = window.labs.page("sequential_vs_functional")
    window.show_tab("labs")
    page.columns[1].open_button.click()
    assert window.tabs.currentWidget() is window.editor
    assert window.document.graph.to_json() == example_graphs()[1].to_json()
    assert window.document.path is None
    assert not window.document.is_modified()
    assert window.windowTitle().startswith(example_graphs()[1].name)


def test_open_graph_asks_about_unsaved_work_first(window, monkeypatch):
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[1:3])
        return QMessageBox.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    _add_layer(window)
    before = window.document.graph.to_json()
    window.show_tab("labs")
    window.labs.context.open_graph(example_graphs()[0])
    assert len(asked) == 1
    assert window.document.graph.to_json() == before
    assert window.tabs.currentWidget() is window.labs

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Discard)
    window.labs.context.open_graph(example_graphs()[0])
    assert window.document.graph.to_json() == example_graphs()[0].to_json()


def test_open_training_puts_the_settings_in_the_project(window):
    page = window.labs.page("compile_fit_evaluate")
    page.epochs_spin.setValue(3)
    page.open_button.click()
    expected = {**default_training(), "epochs": 3}
    assert window.tabs.currentWidget() is window.training
    for key, value in expected.items():
        assert window.document.project.training[key] == value
    assert window.training.epochs.value() == 3
    assert window.document.is_modified()  # part of the project: closing asks to save it
    assert window.document.undo_stack.undoText() == "Training settings from the lab"
    window.document.undo_stack.undo()
    assert window.document.project.training.get("epochs") != 3
    assert window.training.epochs.value() != 3


def test_open_image_tool_switches_to_the_image_tab(window):
    from ui.imaging.panel import ImageTool

    window.labs.context.open_image_tool()
    assert window.tabs.currentWidget() is window._tab_keys["image"] is window.image_tool
    assert isinstance(window.image_tool, ImageTool)  # the tool itself, ready to open a picture


def test_closing_does_not_wait_for_a_long_lab_computation_beyond_the_deadline(qtbot):
    from PySide6.QtCore import QDeadlineTimer

    from ui.labs.common import LabRunner

    panel = LabsPanel(LabContext())
    qtbot.addWidget(panel)
    page = panel.page("flatten")
    release = threading.Event()
    runner = LabRunner(page.runner.lane)  # on the page's lane; its answer is not the page's
    finished = threading.Event()
    runner.run(lambda: release.wait(30) and finished.set())
    panel.shutdown(QDeadlineTimer(300))
    assert not finished.is_set()  # closing went on; the computation was not waited for
    release.set()
    assert runner.wait(10_000) and finished.is_set()
