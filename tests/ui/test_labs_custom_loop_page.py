"""The capstone lab page: Train both overlays the loop's and fit's curves, sets the final
numbers side by side and shows the program; it follows the language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent

from tflab import messages
from tflab.labs.custom_loop import METRICS
from ui.labs.common import LabContext
from ui.labs.page_custom_loop import CustomLoopPage


def test_train_both_overlays_the_curves_and_compares_the_numbers(qtbot):
    page = CustomLoopPage(LabContext())
    qtbot.addWidget(page)
    page.epochs_spin.setValue(2)
    page.samples_spin.setValue(640)
    with qtbot.waitSignal(page.runner.sigResult, timeout=120_000):
        page.run_button.click()
    result = page.result
    assert result is not None and result.epochs == 2 and result.train_samples == 640
    for metric in METRICS:
        loop_x, loop_y = page.curves[("loop", metric)].getData()
        fit_x, fit_y = page.curves[("fit", metric)].getData()
        assert list(loop_x) == list(fit_x) == [1, 2]
        assert abs(loop_y[-1] - fit_y[-1]) < 1e-5
    row = list(METRICS).index("val_accuracy")
    assert page.table.item(row, 0).text() == f"{result.loop['val_accuracy'][-1]:.6f}"
    assert page.table.item(row, 1).text() == f"{result.fit['val_accuracy'][-1]:.6f}"
    assert "Largest difference" in page.message.text()
    assert "tf.GradientTape()" in page.code_box.code() and "model.fit(" in page.code_box.code()

    messages.set_language("zh")
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert "两种训练" in page.message.text()
    page.runner.wait()


def test_the_program_is_shown_before_it_runs_and_follows_the_settings(qtbot):
    """The code box was empty until the first run: a student read nothing there."""
    page = CustomLoopPage(LabContext())
    qtbot.addWidget(page)
    code = page.code_box.code()
    assert "tf.GradientTape()" in code and "model.fit(" in code and "epochs = 3" in code
    page.epochs_spin.setValue(5)
    assert "epochs = 5" in page.code_box.code()


def test_a_loop_the_student_writes_runs_and_its_mistakes_point_at_their_line(qtbot):
    """The capstone asks the student to write the loop: the editor holds the lesson's loop
    to start with; what is typed there is what Train both runs (and what the program shows);
    an error marks its line; Reset brings the example back."""
    from tflab.labs.custom_loop import example_loop

    page = CustomLoopPage(LabContext())
    qtbot.addWidget(page)
    assert page.loop_editor.toPlainText() == example_loop("en")
    page.epochs_spin.setValue(1)
    page.samples_spin.setValue(320)
    page.loop_editor.setPlainText("model = build_model()\nhistory = {}\nloss = model(x_train[:2]) + undefined\n")
    assert "undefined" in page.code_box.code()  # the program shown is the one that will run
    with qtbot.waitSignal(page.runner.sigError, timeout=120_000):
        page.run_button.click()
    assert "line 3" in page.message.text() and "NameError" in page.message.text()
    assert page.loop_editor.marked_line() == 3 and page.tabs.currentIndex() == 0
    page.reset_button.click()
    assert page.loop_editor.toPlainText() == example_loop("en")
    page.runner.wait()
