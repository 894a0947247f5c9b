"""Lab page "Your own training loop": the course's MNIST model trained by your loop and by fit.

"Train both" runs :func:`tflab.labs.custom_loop.loop_vs_fit` on the labs' lane with the
epochs and the training part chosen, and the loop in the "Your loop" tab: the lesson's
loop to start with, which the student may change or write anew (Reset brings it back). The page overlays the two histories (solid lines:
the loop; dashed with dots: ``fit``), sets the final numbers side by side with their
difference, and shows the program that ran.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tflab.labs.custom_loop import (
    BATCH_SIZE,
    MAX_EPOCHS,
    MAX_TRAIN_SAMPLES,
    METRICS,
    LoopVsFit,
    example_loop,
    loop_vs_fit,
    program,
)
from tflab.messages import TflabError
from ui.core.code_comments import comments_language
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, note_text
from ui.labs.page_apply_gradients import style_plot
from ui.widgets.code_editor import CodeEditor
from ui.widgets.messages import Message

#: The colour of each metric's curves.
COLOURS = {"loss": "#e53935", "val_loss": "#1e88e5", "accuracy": "#e53935", "val_accuracy": "#1e88e5"}


class CustomLoopPage(LabPage):
    """Settings in; overlaid curves, a side-by-side table and the program out.

    It trains only when asked (Train both), never on first show. The program's comments
    follow the language, the program of a finished training included.

    Attributes for tests: ``runner``, ``epochs_spin``, ``samples_spin``, ``run_button``,
    ``progress``, ``plots`` ("loss", "accuracy"), ``curves`` ((trainer, metric) ->
    PlotDataItem, trainer "loop" or "fit"), ``table``, ``message``, ``code_box``,
    ``loop_editor`` (the student's loop), ``reset_button`` and ``result`` (the latest
    :class:`LoopVsFit`).
    """

    RUN_ON_SHOW = False
    CODE_FOLLOWS_COMMENTS = True

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: LoopVsFit | None = None
        self._error: TflabError | None = None
        self._asked_loop: str | None = None   # the student's loop of the latest Train both (None: the example)
        self._result_loop: str | None = None  # ... and of the result shown
        self.epochs_spin = QSpinBox(minimum=1, maximum=MAX_EPOCHS, value=3)
        self.samples_spin = QSpinBox(minimum=BATCH_SIZE * 10, maximum=MAX_TRAIN_SAMPLES,
                                     singleStep=BATCH_SIZE * 10, value=3200)
        self.run_button = QPushButton()
        self.progress = QProgressBar(maximum=100, textVisible=False)
        self.progress.hide()
        self.message = Message()
        self.plots = {name: style_plot(pg.PlotWidget(), name) for name in ("loss", "accuracy")}
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for plot_name, plot in self.plots.items():
            plot.addLegend(offset=(-10, 10))
            plot.setMinimumHeight(200)
            for metric in (plot_name, f"val_{plot_name}"):
                colour = COLOURS[metric]
                self.curves[("loop", metric)] = plot.plot(pen=pg.mkPen(colour, width=3),
                                                          name=self._curve_name("loop", metric))
                self.curves[("fit", metric)] = plot.plot(
                    pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine), symbol="o", symbolSize=6,
                    symbolBrush=None, symbolPen=pg.mkPen(colour), name=self._curve_name("fit", metric))
        self.table = QTableWidget(len(METRICS), 3)
        self.table.setVerticalHeaderLabels(list(METRICS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # As tall as its rows: stretched, it showed an empty grey block under the last one.
        self.table.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.code_box = CodeBox()
        self.loop_editor = CodeEditor()
        self._example = example_loop(comments_language())
        self.loop_editor.setPlainText(self._example)
        self.reset_button = QPushButton()
        self._loop_hint = QLabel()
        self._loop_hint.setWordWrap(True)
        self._settings = QGroupBox()
        self._form = QFormLayout(self._settings)
        self._epochs_label, self._samples_label = QLabel(), QLabel()
        self._layout()
        self._retranslate()
        for spin in (self.epochs_spin, self.samples_spin):
            spin.valueChanged.connect(self._show_program)
        self.loop_editor.textChanged.connect(self._show_program)
        self.reset_button.clicked.connect(self.reset_loop)
        self._show_program()

        self.run_button.clicked.connect(self.run)
        self.runner.sigProgress.connect(lambda fraction: self.progress.setValue(round(100 * fraction)))

    @property
    def result(self) -> LoopVsFit | None:
        """The latest result (None before the first training)."""
        return self._result

    def _curve_name(self, trainer: str, metric: str) -> str:
        """The legend's name of a curve, in the current language."""
        if trainer == "loop":
            return fill(self.tr("your loop: %1"), metric)
        return fill(self.tr("model.fit: %1"), metric)

    def _layout(self) -> None:
        self._form.addRow(self._epochs_label, self.epochs_spin)
        self._form.addRow(self._samples_label, self.samples_spin)
        self._form.addRow(self.run_button)
        self._form.addRow(self.progress)
        top = QHBoxLayout()
        top.addWidget(self._settings, 0, Qt.AlignmentFlag.AlignTop)
        info = QVBoxLayout()
        info.addWidget(self.message)
        info.addWidget(self.table)
        info.addStretch(1)
        top.addLayout(info, 1)
        plots = QHBoxLayout()
        for plot in self.plots.values():
            plots.addWidget(plot)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addLayout(plots, 1)
        self.tabs = QTabWidget()
        mine = QWidget()
        mine_layout = QVBoxLayout(mine)
        mine_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self._loop_hint, 1)
        row.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        mine_layout.addLayout(row)
        mine_layout.addWidget(self.loop_editor, 1)
        self.tabs.addTab(mine, "")
        self.tabs.addTab(self.code_box, "")
        self.tabs.setMinimumHeight(160)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(upper)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _retranslate(self) -> None:
        self.samples_spin.setToolTip(self.tr("Whole batches of 32 digits"))
        self._settings.setTitle(self.tr("Train the course's model on MNIST"))
        self._epochs_label.setText(self.tr("Epochs:"))
        self._samples_label.setText(self.tr("Training digits:"))
        self.run_button.setText(self.tr("Train both"))
        self.run_button.setToolTip(self.tr("Train with your loop, then with model.fit, from the same weights"))
        self.table.setHorizontalHeaderLabels([self.tr("Your loop"), "model.fit", self.tr("Difference")])
        self.tabs.setTabText(0, self.tr("Your loop"))
        self.tabs.setTabText(1, self.tr("The whole program"))
        self.reset_button.setText(self.tr("Reset to the example"))
        self._loop_hint.setText(self.tr(
            "Write the training loop here, or change the lesson's: epochs, x_train, y_train, x_val, "
            "y_val, make_dataset and build_model are ready; fill history with one number per epoch "
            "for loss, accuracy, val_loss and val_accuracy. Train both runs it beside model.fit."))
        for plot in self.plots.values():
            plot.setLabel("bottom", self.tr("epoch"))
        for (trainer, metric), curve in self.curves.items():
            name = self._curve_name(trainer, metric)
            curve.opts["name"] = name
            legend = self.plots[metric.removeprefix("val_")].getPlotItem().legend
            label = legend.getLabel(curve) if legend is not None else None
            if label is not None:
                label.setText(name)
        if self._error is None and self._result is None:
            self.message.show_note(lambda: self.tr(
                "Press Train both: the same model is trained by the loop of the lesson and by "
                "model.fit, on the same digits and from the same weights. Solid lines: your loop; "
                "dashed with dots: fit."))
        self._retranslate_answer()

    def _describe(self) -> None:
        """The summary of the last result (an error shown after it stays)."""
        if self._result is not None and self._error is None:
            result = self._result
            self.message.show_note(lambda: self._summary(result))

    def _summary(self, result: LoopVsFit) -> str:
        return (fill(
            self.tr("Largest difference between the two, over every number of every epoch: %1."),
            f"{result.largest_difference():.2g}",
        ) + "\n" + note_text(result.notes))

    def _own_loop(self) -> str | None:
        """The loop in the editor, or None when it is the example (in either language)."""
        text = self.loop_editor.toPlainText().strip()
        return None if text in (example_loop("en").strip(), example_loop("zh").strip()) else text + "\n"

    @Slot()
    def reset_loop(self) -> None:
        """Put the lesson's loop back in the editor (Ctrl+Z takes the reset back)."""
        cursor = self.loop_editor.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(example_loop(comments_language()))
        self.loop_editor.clear_mark()

    @Slot()
    def _show_program(self) -> None:
        """The program the settings and the loop shown will run, before it runs (its result
        then shows the same). The example loop follows the comments' language."""
        example = example_loop(comments_language())
        if self.loop_editor.toPlainText() == self._example and example != self._example:
            self._example = example
            self.loop_editor.setPlainText(example)  # comes back here through textChanged
            return
        if self._result is None:
            samples = self.samples_spin.value() // BATCH_SIZE * BATCH_SIZE
            self.code_box.set_code(program(self.epochs_spin.value(), samples, comments=comments_language(),
                                           loop=self.loop_editor.toPlainText()))

    def _comments_changed(self) -> None:
        """Write the example loop and the program again in the comments' language: the
        program of the result shown is the one that ran, with the new comments."""
        self._show_program()
        result = self._result
        if result is not None:
            self.code_box.set_code(program(result.epochs, result.train_samples, comments=comments_language(),
                                           loop=self._result_loop))

    @Slot()
    def run(self) -> None:
        """Train both ways with the settings and the loop shown, on the labs' lane."""
        super().run()
        epochs, samples = self.epochs_spin.value(), self.samples_spin.value() // BATCH_SIZE * BATCH_SIZE
        self.progress.setValue(0)
        self.loop_editor.clear_mark()
        comments, loop = comments_language(), self._own_loop()
        self._asked_loop = loop
        self.runner.run(lambda report: loop_vs_fit(epochs, samples, progress=report, comments=comments,
                                                   loop=loop), progress=True)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.progress.setVisible(busy)

    @Slot(object)
    def _show_result(self, result: LoopVsFit) -> None:
        self._result, self._error = result, None
        self._result_loop = self._asked_loop
        epochs = list(range(1, result.epochs + 1))
        for (trainer, metric), curve in self.curves.items():
            history = result.loop if trainer == "loop" else result.fit
            curve.setData(epochs, history[metric])
        for row, metric in enumerate(METRICS):
            mine, theirs = result.loop[metric][-1], result.fit[metric][-1]
            for column, text in enumerate((f"{mine:.6f}", f"{theirs:.6f}", f"{abs(mine - theirs):.2g}")):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.code_box.set_code(result.code)
        self._describe()

    @Slot(object)
    def _show_error(self, error: TflabError) -> None:
        super()._show_error(error)
        line = getattr(error, "line", None)  # where in the student's loop
        if line:
            self.loop_editor.mark_line(line)
            self.tabs.setCurrentIndex(0)


def create(context: LabContext) -> QWidget:
    """The capstone lab page."""
    return CustomLoopPage(context)
