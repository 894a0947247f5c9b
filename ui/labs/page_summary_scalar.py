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
from tflab.messages import TflabError
from tflab.runlogs import tensorboard_command
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabRunner, monospace
from ui.labs.page_apply_gradients import style_plot
from ui.widgets.messages import Message

#: The tags the lab writes, with the colour of their curve.
CURVES = (("loss", "#e53935"), ("auc", "#1e88e5"))


def default_logdir() -> Path:
    """Where the lab's runs go: beside the Training tab's runs, ``<data>/tflab/logs/summary_lab``
    (Qt's own application folder would name tflab twice)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)) \
        / "tflab" / "logs" / "summary_lab"


class SummaryScalarPage(QWidget):
    """Steps and seed in; event files, values, curves and code out.

    Attributes for tests: ``runner``, ``code_box``, ``message``, ``steps_spin``,
    ``seed_spin``, ``run_button``, ``files_label``, ``values_table`` (tag, step,
    value), ``records_view``, ``plots`` (tag -> PlotWidget), ``curves`` (tag ->
    PlotDataItem), ``logdir`` and ``result`` (the latest :class:`SummaryResult`).
    """

    def __init__(self, context: LabContext, logdir: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = LabRunner(context.lane, self)
        self.logdir = logdir or default_logdir()
        self.result: SummaryResult | None = None
        self.steps_spin = QSpinBox(minimum=1, maximum=MAX_STEPS, value=20)
        self.seed_spin = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.run_button = QPushButton(self.tr("Write"))
        self.run_button.setToolTip(self.tr("Write a new run of event files, then read it back"))
        self.folder_button = QPushButton(self.tr("Open the log folder"))
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
        self.values_table.setHorizontalHeaderLabels([self.tr("Tag"), self.tr("Step"), self.tr("Value")])
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
        for plot in self.plots.values():
            plot.setLabel("bottom", self.tr("step"))
        self.code_box = CodeBox()
        self._layout()
        self.message.show_note(self._note())

        self.run_button.clicked.connect(self.run)
        self.folder_button.clicked.connect(self.open_folder)
        self.runner.sigResult.connect(self._on_result)
        self.runner.sigError.connect(self._on_error)
        self.runner.sigBusy.connect(lambda busy: self.run_button.setEnabled(not busy))

    def _layout(self) -> None:
        settings = QGroupBox(self.tr("Run"))
        form = QFormLayout(settings)
        form.addRow(self.tr("Steps:"), self.steps_spin)
        form.addRow(self.tr("Random seed:"), self.seed_spin)
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
        top.addWidget(settings, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(info, 1)
        plots = QHBoxLayout()
        for plot in self.plots.values():
            plot.setMinimumHeight(220)
            plots.addWidget(plot)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addLayout(plots, 1)

        tabs = QTabWidget()
        tabs.addTab(self.values_table, self.tr("Values read back"))
        tabs.addTab(self.records_view, self.tr("Records of the event file"))
        tabs.addTab(self.code_box, self.tr("Code"))
        tabs.setMinimumHeight(160)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(upper)
        split.addWidget(tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _note(self) -> str:
        return self.tr(
            "The training panel writes its runs as the same kind of event files (one folder per run, "
            "with train and validation inside) and reads them back the same way. To see these curves "
            "in TensorBoard, run this command in a terminal:")

    @Slot()
    def run(self) -> None:
        """Write a new run with the steps and seed shown, on a worker, and read it back."""
        logdir, steps, seed = self.logdir, self.steps_spin.value(), self.seed_spin.value()
        self.runner.run(lambda: summary_lab(logdir, steps, seed))

    @Slot()
    def open_folder(self) -> None:
        """Show the latest run's folder in the file manager (the button works once a run is written)."""
        folder = self.result.run_dir if self.result is not None else self.logdir
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @Slot(object)
    def _on_result(self, result: SummaryResult) -> None:
        self.result = result
        self.folder_button.setEnabled(True)
        files = "\n".join(f"  {path.name}  ({path.stat().st_size:,} B)" for path in result.event_files)
        self.files_label.setText(fill(self.tr("Run folder: %1\nEvent file(s):\n%2"), str(result.run_dir), files))
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
        self.message.show_note(self._note())
        self.command_line.setText(tensorboard_command(self.logdir))
        self.command_line.setCursorPosition(0)

    @Slot(object)
    def _on_error(self, error: TflabError) -> None:
        self.message.show_error(error)


def create(context: LabContext) -> QWidget:
    """The summary lab page."""
    return SummaryScalarPage(context)
