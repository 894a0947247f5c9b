"""View > Language: switching rebuilds the window in the new language without losing work."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

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


def test_switching_language_keeps_the_unsaved_model_and_its_undo_history(qtbot, window):
    start_blank(window)
    add_flatten_dense(window)
    window.editor.set_mode("graph")
    dense = next(node for node, call in window.document.graph.calls.items() if call.layer == "dense")
    window.document.select(dense)
    document, graph = window.document, window.document.graph.to_json()
    assert menu_titles(window)[0] == "&File"

    choose(window, language.CHINESE)
    chinese = shown_window()
    assert chinese is not window and not window.isVisible()
    assert menu_titles(chinese) == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    assert messages.language() == "zh"
    assert chinese.document is document and chinese.document.graph.to_json() == graph
    assert chinese.isWindowModified() and chinese.document.is_modified()
    assert chinese.editor.mode() == "graph"
    assert chinese.document.selected == dense and chinese.action_delete.isEnabled()
    chinese.action_undo.trigger()  # the edit made before the switch
    assert layers(chinese) == ["flatten"]

    choose(chinese, language.ENGLISH)
    english = shown_window()
    assert menu_titles(english)[0] == "&File" and messages.language() == "en"
    assert english.document is document and english.isWindowModified()
    english.action_redo.trigger()
    assert layers(english) == ["flatten", "dense"]


def test_the_choice_is_remembered_and_checked_in_the_menu(window):
    choose(window, language.CHINESE)
    assert QSettings().value(language.SETTING, type=str) == language.CHINESE
    checked = [a.data() for a in shown_window().language_group.actions() if a.isChecked()]
    assert checked == [language.CHINESE]
    assert language.saved_choice() == language.CHINESE


def test_the_old_window_is_gone_and_closing_the_new_one_asks_about_unsaved_work(qtbot, window, monkeypatch):
    add_flatten_dense(window)
    choose(window, language.CHINESE)
    chinese = shown_window()
    qtbot.waitUntil(lambda: not any(w is window for w in QApplication.topLevelWidgets()))
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: asked.append(args[1]) or QMessageBox.Cancel)
    chinese.close()
    assert asked == ["未保存的修改"] and chinese.isVisible()  # Cancel keeps the window and the work


def test_a_training_run_is_stopped_only_if_the_user_agrees(window, monkeypatch):
    monkeypatch.setattr(window.training, "is_running", lambda: True)
    answers = [QMessageBox.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    choose(window, language.CHINESE)
    assert shown_window() is window and menu_titles(window)[0] == "&File"
    assert [a.data() for a in window.language_group.actions() if a.isChecked()] == [language.SYSTEM]
    assert language.saved_choice() == language.SYSTEM

    answers.append(QMessageBox.Yes)
    choose(window, language.CHINESE)
    assert menu_titles(shown_window())[0] == "文件(&F)"


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
    from tflab import catalog
    from tflab.labs.custom import LAYER_TEMPLATE

    choose(window, language.CHINESE)
    chinese = shown_window()
    chinese.document.set_custom_code(LAYER_TEMPLATE)  # as "Use in this project" does
    assert chinese.editor.layer_palette.visible_layers()[0] == "MyDense"
    assert catalog.get_entry("MyDense").category == "custom"
    chinese.action_undo.trigger()
    assert "MyDense" not in chinese.editor.layer_palette.visible_layers()
    assert not catalog.is_known_layer("MyDense")


def test_the_old_windows_views_no_longer_hear_the_document(window):
    from PySide6.QtCore import SIGNAL

    document = window.document
    signals = ("sigChanged()", "sigSelectionChanged(QString)", "sigCustomCodeChanged()", "sigTrainingChanged()")
    before = {name: document.receivers(SIGNAL(name)) for name in signals}
    assert before["sigChanged()"] > 0
    choose(window, language.CHINESE)
    choose(shown_window(), language.ENGLISH)
    after = {name: document.receivers(SIGNAL(name)) for name in signals}
    assert after == before  # each rebuilt window replaced the connections, none piled up


def test_the_image_tools_pictures_and_selection_survive_a_switch(window):
    from tflab.imaging import BoundingBox

    tool = window.image_tool
    tool.set_batch_mode(True)
    assert tool.open_sample("chelsea") and tool.open_sample("chelsea")
    box = BoundingBox(offset_height=10, offset_width=20, target_height=30, target_width=40)
    assert tool.set_box(box)
    choose(window, language.CHINESE)
    again = shown_window().image_tool
    assert again is not tool and again.batch_mode() and again.batch_size() == 2
    assert (again.image().array == tool.image().array).all()
    assert again.selection() == box


def test_trained_weights_are_only_dropped_if_the_user_agrees(window, monkeypatch):
    monkeypatch.setattr(window.training, "has_trained", lambda: True)
    asked = []
    answers = [QMessageBox.Cancel, QMessageBox.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args[1]) or answers.pop(0))
    choose(window, language.CHINESE)
    assert shown_window() is window and asked == ["Start training afresh?"]
    choose(window, language.CHINESE)
    assert shown_window() is not window and not answers


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
    chinese = shown_window()
    assert chinese is not window and asked == []  # nothing is lost: nothing to ask
    again = chinese.training
    assert again.curves.step_count() == steps > 0
    assert again.curves.csv_text() == epochs and "validation" in epochs
    assert "个测试样本" in again.evaluation.text() and again.evaluation.isVisibleTo(again)
    assert again.learned.predictions.accuracy() == accuracy
    qtbot.waitUntil(lambda: again.try_view.usable(), timeout=120_000)  # the trained model is back
    assert again.curves.step_count() == steps  # loading the weights kept the curves
