"""Lab page "Logging scalars for TensorBoard": write a loss and an AUC per step, read them back.

"Write" runs :func:`tflab.labs.summary_scalar.summary_lab` on a worker with the steps
and seed chosen: it writes a new run folder (``run_<n>``) of event files under the
lab's log folder, then reads it back. The page lists the event files, the values
read back (a table of tag, step and value, and the raw records), plots the loss and
the AUC from the file, and shows the program that writes the same run.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tflab.labs.summary_scalar import MAX_STEPS, SummaryResult, summary_lab
from tflab.runlogs import tensorboard_command
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, monospace
from ui.labs.page_apply_gradients import style_plot
from ui.widgets.messages import Message

#: The tags the lab writes, with the colour of their curve.
CURVES = (("loss", "#e53935"), ("auc", "#1e88e5"))


def default_logdir() -> Path:
    """Where the lab's runs go: beside the Training tab's runs, ``<data>/tflab/logs/summary_lab``
    (Qt's own application folder would name tflab twice)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)) \
        / "tflab" / "logs" / "summary_lab"


class SummaryScalarPage(LabPage):
    """Steps and seed in; event files, values, curves and code out. It writes only when
    asked (Write): showing the page creates no folder.

    Attributes for tests: ``runner``, ``code_box``, ``message``, ``steps_spin``,
    ``seed_spin``, ``run_button``, ``files_label``, ``values_table`` (tag, step,
    value), ``records_view``, ``plots`` (tag -> PlotWidget), ``curves`` (tag ->
    PlotDataItem), ``logdir`` and ``result`` (the latest :class:`SummaryResult`).
    """

    RUN_ON_SHOW = False

    def __init__(self, context: LabContext, logdir: Path | None = None, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.logdir = logdir or default_logdir()
        self._result: SummaryResult | None = None
        self._files = ""  # the event files of the latest run, with their sizes
        self.settings_box = QGroupBox()
        self.steps_label, self.seed_label = QLabel(), QLabel()
        self.steps_spin = QSpinBox(minimum=1, maximum=MAX_STEPS, value=20)
        self.seed_spin = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.run_button = QPushButton()
        self.folder_button = QPushButton()
        self.folder_button.setEnabled(False)
        self.files_label = QLabel()
        self.files_label.setWordWrap(True)
        self.files_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = Message()
        self.command_line = QLineEdit(tensorboard_command(self.logdir))  # one line, to copy whole
        self.command_line.setReadOnly(True)
        self.command_line.setFont(monospace())
        self.command_line.setCursorPosition(0)
        self.values_table = QTableWidget(0, 3)
        self.values_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.values_table.verticalHeader().hide()
        self.values_table.verticalHeader().setDefaultSectionSize(self.values_table.fontMetrics().height() + 6)
        self.values_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.records_view = QPlainTextEdit(readOnly=True)
        self.records_view.setFont(monospace())
        self.plots = {tag: style_plot(pg.PlotWidget(), tag) for tag, _ in CURVES}
        self.curves = {tag: self.plots[tag].plot(pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                                                 symbolBrush=colour, symbolPen=None)
                       for tag, colour in CURVES}
        self.tabs = QTabWidget()
        self.code_box = CodeBox()
        self._layout()
        self.message.show_note(self._note)

        self.run_button.clicked.connect(self.run)
        self.folder_button.clicked.connect(self.open_folder)
        self._retranslate()

    @property
    def result(self) -> SummaryResult | None:
        """The latest run written and read back (None before the first)."""
        return self._result

    def _layout(self) -> None:
        form = QFormLayout(self.settings_box)
        form.addRow(self.steps_label, self.steps_spin)
        form.addRow(self.seed_label, self.seed_spin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.folder_button)
        form.addRow(buttons)
        info = QVBoxLayout()
        info.addWidget(self.files_label)
        info.addWidget(self.message)
        info.addWidget(self.command_line)
        info.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.settings_box, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(info, 1)
        self.results = QWidget()
        plots = QHBoxLayout(self.results)
        plots.setContentsMargins(0, 0, 0, 0)
        for plot in self.plots.values():
            plot.setMinimumHeight(220)
            plots.addWidget(plot)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.results, 1)

        self.tabs.addTab(self.values_table, "")
        self.tabs.addTab(self.records_view, "")
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
        self.settings_box.setTitle(self.tr("Run"))
        self.steps_label.setText(self.tr("Steps:"))
        self.seed_label.setText(self.tr("Random seed:"))
        self.run_button.setText(self.tr("Write"))
        self.run_button.setToolTip(self.tr("Write a new run of event files, then read it back"))
        self.folder_button.setText(self.tr("Open the log folder"))
        self.values_table.setHorizontalHeaderLabels([self.tr("Tag"), self.tr("Step"), self.tr("Value")])
        for plot in self.plots.values():
            plot.setLabel("bottom", self.tr("step"))
        self.tabs.setTabText(0, self.tr("Values read back"))
        self.tabs.setTabText(1, self.tr("Records of the event file"))
        self.tabs.setTabText(2, self.tr("Code"))
        self._retranslate_answer()

    def _note(self) -> str:
        return self.tr(
            "The training panel writes its runs as the same kind of event files (one folder per run, "
            "with train and validation inside) and reads them back the same way. To see these curves "
            "in TensorBoard, run this command in a terminal:")

    @Slot()
    def run(self) -> None:
        """Write a new run with the steps and seed shown, on a worker, and read it back."""
        super().run()
        logdir, steps, seed = self.logdir, self.steps_spin.value(), self.seed_spin.value()
        self.runner.run(lambda: summary_lab(logdir, steps, seed))

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        super()._on_busy(busy)
        self.run_button.setEnabled(not busy)

    @Slot()
    def open_folder(self) -> None:
        """Show the latest run's folder in the file manager (the button works once a run is written)."""
        folder = self._result.run_dir if self._result is not None else self.logdir
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @Slot(object)
    def _show_result(self, result: SummaryResult) -> None:
        self._result, self._error = result, None
        self.results.setEnabled(True)
        self.folder_button.setEnabled(True)
        self._files = "\n".join(f"  {path.name}  ({size:,} B)"  # sizes read on the lab's lane
                                for path, size in zip(result.event_files, result.event_sizes))
        rows = sorted((step, tag, value) for tag, values in result.scalars.items() for step, value in values)
        self.values_table.setRowCount(len(rows))
        for row, (step, tag, value) in enumerate(rows):
            for column, text in enumerate((tag, str(step), f"{value:.6g}")):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.values_table.setItem(row, column, item)
        self.records_view.setPlainText("\n".join(result.records))
        for tag, curve in self.curves.items():
            points = result.scalars.get(tag, [])
            curve.setData([step for step, _ in points], [value for _, value in points])
        self.code_box.set_code(result.code)
        self.message.show_note(self._note)
        self.command_line.setText(tensorboard_command(self.logdir))
        self.command_line.setCursorPosition(0)
        self._describe()

    def _describe(self) -> None:
        """The texts made from the last run, in the current language."""
        if self._result is None:
            return
        self.files_label.setText(fill(self.tr("Run folder: %1\nEvent file(s):\n%2"),
                                      str(self._result.run_dir), self._files))


def create(context: LabContext) -> QWidget:
    """The summary lab page."""
    return SummaryScalarPage(context)
