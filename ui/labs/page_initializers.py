"""Lab 4: the starting values a weight initializer gives, drawn by Keras itself.

The user picks an initializer and its arguments (mean, stddev, seed, value,
minval, maxval, gain, ...: the same editor as the inspector's, which checks every
value as it is typed) and the shape of the weight. Keras draws the values on a
worker thread (:func:`tflab.labs.initializers.initializer_lab`); the page shows
their histogram, the weight as a heat map, their mean and spread, and the code.
Each run makes a new initializer object, so the values change from run to run
unless a seed is set. A combination Keras refuses (Identity on a
shape that is not 2-D, minval not below maxval) is explained in words.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from tflab.catalog import ParamSpec, initializers
from tflab.labs.initializers import InitResult, initializer_lab
from tflab.messages import TflabError
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, note_text
from ui.widgets.messages import Message
from ui.widgets.param_widgets import ObjectEditor, parse_text

SHAPE = ParamSpec("shape", "shape")
INITIALIZER = ParamSpec("initializer", "initializer", "glorot_uniform")
#: The colour map of the heat map (pyqtgraph's bundled copy of matplotlib's "viridis").
COLOR_MAP = "viridis"


def as_matrix(values: np.ndarray) -> np.ndarray:
    """``values`` as rows x columns for the heat map: one row for a vector, and every
    dimension but the last folded into the rows for a tensor of 3 or more dimensions."""
    if values.ndim == 0:
        return values.reshape(1, 1)
    return values.reshape(-1, values.shape[-1])


class InitializersPage(LabPage):
    """An initializer and a shape in; histogram, heat map, mean and std out.

    ``init_editor`` picks the initializer and its arguments, ``shape_edit`` the
    weight's shape, ``bins_spin`` the histogram's bars; ``bars`` (a BarGraphItem)
    and ``image`` (an ImageItem) draw the last result, ``stats_label`` gives its
    mean and standard deviation.
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: InitResult | None = None
        self._error: TflabError | None = None

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.init_label, self.shape_label, self.bins_label = QLabel(self), QLabel(self), QLabel(self)
        self.init_editor = ObjectEditor(INITIALIZER, self)
        self.init_editor.display(initializers.make_initializer("GlorotUniform", seed=1))
        self.init_editor.sigEdited.connect(self._later)
        self.shape_edit = QLineEdit("32, 16", self)
        self.shape_edit.textEdited.connect(self._later)
        self.shape_edit.returnPressed.connect(self.run)
        self.bins_spin = QSpinBox(self, minimum=1, maximum=200, value=20)
        self.bins_spin.valueChanged.connect(self._later)
        self.run_button = QPushButton(self)
        self.run_button.clicked.connect(self.run)
        self.busy_label = QLabel(self)
        self.busy_label.setVisible(False)

        self.stats_label = QLabel(self)
        self.histogram_title, self.heatmap_title = QLabel(self), QLabel(self)
        self.histogram = self._plot()
        self.bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=self.palette().color(QPalette.ColorRole.Highlight))
        self.histogram.addItem(self.bars)
        self.heatmap = self._plot()
        self.heatmap.getViewBox().invertY(True)
        self.heatmap.getViewBox().setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get(COLOR_MAP))
        self.heatmap.addItem(self.image)
        self.color_bar = pg.ColorBarItem(colorMap=pg.colormap.get(COLOR_MAP), interactive=False, width=12)
        self.color_bar.setImageItem(self.image, insert_in=self.heatmap.getPlotItem())
        self.message = Message(self)
        self.code_box = CodeBox(self)
        self.code_box.setMinimumHeight(150)

        inputs = QGridLayout()
        inputs.addWidget(self.init_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        inputs.addWidget(self.init_editor, 0, 1, 1, 3)
        inputs.addWidget(self.shape_label, 1, 0)
        inputs.addWidget(self.shape_edit, 1, 1)
        inputs.addWidget(self.bins_label, 1, 2)
        inputs.addWidget(self.bins_spin, 1, 3)
        inputs.setColumnStretch(1, 1)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.busy_label)
        run_row.addStretch(1)
        plots = QGridLayout()
        plots.addWidget(self.histogram_title, 0, 0)
        plots.addWidget(self.heatmap_title, 0, 1)
        plots.addWidget(self.histogram, 1, 0)
        plots.addWidget(self.heatmap, 1, 1)
        self.results = QWidget(self)
        results = QVBoxLayout(self.results)
        results.setContentsMargins(0, 0, 0, 0)
        results.addWidget(self.stats_label)
        results.addLayout(plots, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(inputs)
        layout.addLayout(run_row)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.code_box)
        self._retranslate()

    def _plot(self) -> pg.PlotWidget:
        """A plot in the colours of the window (light or dark)."""
        palette = self.palette()
        plot = pg.PlotWidget(self, background=palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setPen(text)
            plot.getAxis(axis).setTextPen(text)
            plot.getAxis(axis).enableAutoSIPrefix(False)
        plot.setMenuEnabled(False)
        plot.setMinimumSize(220, 220)
        return plot

    # ------------------------------------------------------------------ running
    @Slot()
    def run(self) -> None:
        """Draw the values on a worker thread."""
        super().run()
        try:
            value = self.init_editor.candidate()
        except TflabError as err:  # e.g. minval not below maxval
            self._show_error(err)
            return
        shape, bins = parse_text(SHAPE, self.shape_edit.text()), self.bins_spin.value()
        self.runner.run(lambda: initializer_lab(value, shape, bins))


    @Slot(object)
    def _show_result(self, result: InitResult) -> None:
        self._result, self._error = result, None
        self.results.setEnabled(True)
        self.code_box.set_code(result.code)
        edges = np.asarray(result.edges)
        self.bars.setOpts(x0=edges[:-1], x1=edges[1:], height=result.counts)
        self.histogram.getPlotItem().enableAutoRange()
        matrix = as_matrix(result.values)
        low, high = float(matrix.min()), float(matrix.max())
        if high <= low:  # every value the same (Zeros, Ones, Constant): a one-colour picture
            low, high = low - 0.5, high + 0.5
        self.image.setImage(matrix, levels=(low, high))
        self.color_bar.setLevels((low, high))
        self.heatmap.getPlotItem().enableAutoRange()
        self._describe()


    def _describe(self) -> None:
        """The texts made from the last result, in the current language."""
        result = self._result
        if result is None:
            return
        values = result.values
        self.stats_label.setText(
            fill(
                self.tr("%1 values: mean %2, standard deviation %3, from %4 to %5"),
                f"{values.size:,}",
                f"{result.mean:.4g}",
                f"{result.std:.4g}",
                f"{values.min():.4g}",
                f"{values.max():.4g}",
            ))
        shape = "\u00d7".join(str(n) for n in values.shape) or "1"
        if values.ndim > 2:
            rows, columns = as_matrix(values).shape
            self.heatmap_title.setText(fill(
                self.tr("The weight %1, shown as %2 rows \u00d7 %3 columns"),
                shape,
                str(rows),
                str(columns),
            ))
        else:
            self.heatmap_title.setText(fill(self.tr("The weight %1 as a heat map"), shape))
        self.message.show_note(note_text(result.notes))

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Pick an initializer and the shape of a weight (a Dense layer's kernel is inputs \u00d7 "
            "units). Keras draws the starting values. Each run makes a new initializer: without a seed it "
            "picks its own, so the values change from run to run; with a seed they are the same."))
        self.init_label.setText(self.tr("Initializer:"))
        self.shape_label.setText(self.tr("Weight shape:"))
        self.shape_edit.setToolTip(self.tr("Whole numbers separated by commas, such as 32, 16."))
        self.bins_label.setText(self.tr("Histogram bars:"))
        self.run_button.setText(self.tr("Run"))
        self.busy_label.setText(self.tr("Computing with TensorFlow..."))
        self.histogram_title.setText(self.tr("How many values fall in each range"))
        self.heatmap_title.setText(self.tr("The weight as a heat map"))
        self.histogram.setLabel("bottom", self.tr("value"))
        self.histogram.setLabel("left", self.tr("count"))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The lab page of lesson 4."""
    return InitializersPage(context)
