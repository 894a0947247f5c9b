"""View > Language: the window switches language in place, and nothing is lost or restarted.

Every widget writes its words again when the language changes, so after a switch the
window must read exactly as a window built in that language from the start
(:func:`texts.visible_texts` collects what a user can read)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.texts import differences, visible_texts
from tflab import messages
from tflab.graph import ModelGraph
from tflab.project import Project
from ui.app import language
from ui.app.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, qapp):
    """A shown window; afterwards every window is closed (changes discarded) and English is back."""
    first = MainWindow()
    first.show()
    qtbot.waitExposed(first)
    yield first
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.document.mark_saved()
            widget.close()
            widget.deleteLater()
    language.apply_choice(qapp, language.ENGLISH)


def choose(window: MainWindow, choice: str) -> None:
    """Pick ``choice`` in View > Language, as the user does."""
    action = next(a for a in window.language_group.actions() if a.data() == choice)
    action.trigger()
    QApplication.sendPostedEvents()  # Qt posts the change to each window


def shown_window() -> MainWindow:
    """The one window on screen."""
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert len(shown) == 1
    return shown[0]


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def start_blank(window: MainWindow) -> None:
    """Replace File > New's course model with a bare Input(28, 28)."""
    graph = ModelGraph("model")
    graph.add_input((28, 28), "input")
    window.document.replace_project(Project(graph), None)


def add_flatten_dense(window: MainWindow) -> None:
    window.document.edit("Add Flatten", lambda g: g.stack_insert(0, "Flatten", {}))
    window.document.edit("Add Dense", lambda g: g.stack_insert(1, "Dense", {"units": 10}))


def layers(window: MainWindow) -> list[str]:
    return [call.layer for call in window.document.graph.calls.values()]


def test_switching_language_keeps_the_window_the_unsaved_model_and_its_undo_history(qtbot, window):
    start_blank(window)
    add_flatten_dense(window)
    window.editor.set_mode("graph")
    dense = next(node for node, call in window.document.graph.calls.items() if call.layer == "dense")
    window.document.select(dense)
    document, graph = window.document, window.document.graph.to_json()
    assert menu_titles(window)[0] == "&File"

    choose(window, language.CHINESE)
    assert shown_window() is window and window.document is document
    assert menu_titles(window) == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    assert messages.language() == "zh"
    assert window.document.graph.to_json() == graph
    assert window.isWindowModified() and window.document.is_modified()
    assert window.editor.mode() == "graph"
    assert window.document.selected == dense and window.action_delete.isEnabled()
    assert window.action_undo.text().startswith("撤销")
    window.action_undo.trigger()  # the edit made before the switch
    assert layers(window) == ["flatten"]

    choose(window, language.ENGLISH)
    assert shown_window() is window
    assert menu_titles(window)[0] == "&File" and messages.language() == "en"
    assert window.action_redo.text().startswith("&Redo")
    window.action_redo.trigger()
    assert layers(window) == ["flatten", "dense"]


def test_the_choice_is_remembered_and_checked_in_the_menu(window):
    choose(window, language.CHINESE)
    window.settings.sync()  # written on the settings lane
    assert QSettings().value(language.SETTING, type=str) == language.CHINESE
    checked = [a.data() for a in window.language_group.actions() if a.isChecked()]
    assert checked == [language.CHINESE]
    assert language.saved_choice() == language.CHINESE


def test_choosing_the_language_already_shown_only_remembers_it(window, monkeypatch):
    redone = []
    monkeypatch.setattr(window, "_retranslate", lambda: redone.append(True))
    choose(window, language.ENGLISH)  # the tests' system language is English
    QApplication.processEvents()
    assert language.saved_choice() == language.ENGLISH and redone == []
    assert [a.data() for a in window.language_group.actions() if a.isChecked()] == [language.ENGLISH]


def show_every_screen(qtbot, window: MainWindow) -> None:
    """Put ``window`` where a class would have it: a model in the graph, TensorFlow and the
    Training tab's data ready, a picture with a crop box, a lab's answer; back on the Editor."""
    from tflab.imaging import BoundingBox

    window.resize(1366, 768)
    window.editor.set_mode("graph")
    window.show_tab("training")
    # The timeouts (ms) only guard against a hang, never a speed requirement.
    qtbot.waitUntil(lambda: window.tf_loader.is_ready()
                    and window.training.data_panel.dataset is not None, timeout=180_000)
    window.show_tab("image")
    assert window.image_tool.open_sample("chelsea")
    assert window.image_tool.set_box(BoundingBox(offset_height=10, offset_width=20, target_height=30,
                                                 target_width=40))
    window.show_tab("labs")
    page = window.labs.page(window.labs.current_lesson())
    qtbot.waitUntil(lambda: page.runner.wait(0) and page._ran, timeout=180_000)
    window.show_tab("editor")
    qtbot.waitUntil(lambda: window.shapes.report is not None and not window.shapes.checking()
                    and not window.editor.graph_view.building(), timeout=180_000)
    QApplication.processEvents()


@pytest.mark.parametrize("start, end", [(language.ENGLISH, language.CHINESE), (language.CHINESE, language.ENGLISH)])
def test_a_switched_window_reads_as_one_built_in_that_language(qtbot, qapp, make_window, start, end):
    language.apply_choice(qapp, start)
    switched = make_window()
    show_every_screen(qtbot, switched)
    choose(switched, end)
    QApplication.processEvents()

    fresh = make_window()
    show_every_screen(qtbot, fresh)
    assert differences(readable(switched), readable(fresh)) == []


def readable(window: MainWindow) -> dict[str, str]:
    """The window's texts, but for a zoom level, which follows the space a picture had
    when it opened (words of another length take another width), not the language."""
    return {key: text for key, text in visible_texts(window).items() if not re.fullmatch(r"\d+%", text)}


def test_a_training_run_goes_on_through_a_switch(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.Cancel)
    panel = window.training
    panel.epochs.setValue(3)
    qtbot.waitUntil(lambda: window.tf_loader.is_ready() and panel.data_panel.dataset is not None, timeout=180_000)
    panel.start()
    qtbot.waitUntil(lambda: panel.curves.step_count() > 0, timeout=120_000)

    choose(window, language.CHINESE)
    assert panel.is_running() and asked == []
    steps = panel.curves.step_count()
    with qtbot.waitSignal(panel.sigEvaluated, timeout=180_000):
        pass  # the run ends by itself and is evaluated
    assert panel.curves.step_count() > steps
    assert "个测试样本" in panel.evaluation.text()


def test_a_chinese_system_gets_the_chinese_interface_by_default(tmp_path):
    """With no choice saved, the system's language decides: a Chinese locale gives Chinese."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QCoreApplication
        from tflab import messages
        from ui.app.main import create_application
        app = create_application(["tflab"])
        print(QCoreApplication.translate("MainWindow", "&File"), messages.language())
    """)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_") and key != "LANGUAGE"}
    env.update(LANG="zh_CN.UTF-8", QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["文件(&F)", "zh"]


def test_after_a_switch_the_projects_own_layers_still_follow_its_code(window):
    from tflab.labs.custom import LAYER_TEMPLATE

    choose(window, language.CHINESE)
    window.document.set_custom_code(LAYER_TEMPLATE)  # as "Use in this project" does
    assert window.editor.layer_palette.visible_layers()[0] == "MyDense"
    assert window.document.entry("MyDense").category == "custom"
    window.action_undo.trigger()
    assert "MyDense" not in window.editor.layer_palette.visible_layers()
    assert window.document.entry_if_ready("MyDense") is None


def test_the_image_tools_pictures_and_selection_survive_a_switch(window):
    from tflab.imaging import BoundingBox

    tool = window.image_tool
    tool.set_batch_mode(True)
    assert tool.open_sample("chelsea") and tool.open_sample("chelsea")
    picture = tool.image().array.copy()
    box = BoundingBox(offset_height=10, offset_width=20, target_height=30, target_width=40)
    assert tool.set_box(box)
    choose(window, language.CHINESE)
    assert window.image_tool is tool and tool.batch_mode() and tool.batch_size() == 2
    assert (tool.image().array == picture).all()
    assert tool.selection() == box


def test_switching_language_keeps_the_training_curves_results_and_trained_model(qtbot, window, monkeypatch):
    panel = window.training
    panel.epochs.setValue(2)
    qtbot.waitUntil(lambda: window.tf_loader.is_ready() and panel.data_panel.dataset is not None, timeout=120_000)
    with qtbot.waitSignal(panel.sigEvaluated, timeout=120_000):
        panel.start()
    qtbot.waitUntil(lambda: panel.state == "idle" and window.document.project.weights is not None
                    and panel.learned.predictions is not None, timeout=120_000)
    steps = panel.curves.step_count()
    epochs = panel.curves.csv_text()  # every epoch's values
    accuracy = panel.learned.predictions.accuracy()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.Cancel)

    choose(window, language.CHINESE)
    assert window.training is panel and asked == []  # nothing is lost: nothing to ask
    assert panel.curves.step_count() == steps > 0
    assert panel.curves.csv_text() == epochs and "validation" in epochs
    assert "个测试样本" in panel.evaluation.text() and panel.evaluation.isVisibleTo(panel)
    assert panel.learned.predictions.accuracy() == accuracy
    assert panel.try_view.usable()  # the trained model is still there
