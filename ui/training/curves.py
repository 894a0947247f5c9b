"""Live training curves and the decision boundary, drawn with pyqtgraph.

:class:`CurvesView` shows the loss of every training step with its running mean, and
the loss and metrics of every epoch on the training and validation data. Data arrives
in chunks (``add_steps``, ``add_epoch``) as fast as the trainer sends it; the plots are
redrawn by a timer at most :data:`FRAME_MS` apart, never once per batch. Each series is
one ``PlotDataItem`` that clips to the view and downsamples (peak mode), so long runs
stay smooth. Curves of past runs can be laid over the current ones, pointing at a plot
reads out the values under the mouse, and the curves can be saved as PNG or CSV.

:class:`BoundaryView` draws 2-D points coloured by class over an image of the model's
probability of class 1, with the 0.5 line: the decision boundary, while it moves.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, QSaveFile, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tflab.messages import TflabError
from tflab.project import atomic_write_text
from ui.core.text import fill
from ui.core.workers import Lane, Requests

#: The shortest time between two redraws, in milliseconds (25 frames per second).
FRAME_MS = 40
#: The running mean of the step losses is taken over this many steps.
MEAN_WINDOW = 20
#: Epoch values are marked with dots up to this many epochs (beyond, the dots would hide the lines).
DOTS_UP_TO = 40

TRAIN_COLOUR = "#1f77b4"
VALIDATION_COLOUR = "#ff7f0e"
STEP_COLOUR = "#9ecae1"
METRIC_COLOURS = ("#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
OVERLAY_COLOURS = ("#7f7f7f", "#bcbd22", "#17becf", "#8c564b", "#e377c2", "#9467bd")
CLASS_COLOURS = ("#1f77b4", "#ff7f0e")
#: The most points the decision-boundary view draws (a random sample of larger data).
MAX_POINTS = 5_000


class _Growing:
    """A float array that grows by whole chunks (amortised: capacity doubles)."""

    def __init__(self) -> None:
        self._data = np.empty(1024)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        end = self.size + len(values)
        if end > len(self._data):
            bigger = np.empty(max(end, 2 * len(self._data)))
            bigger[: self.size] = self._data[: self.size]
            self._data = bigger
        self._data[self.size:end] = values
        self.size = end

    def values(self) -> np.ndarray:
        return self._data[: self.size]

    def clear(self) -> None:
        self.size = 0


def _is_loss(metric: str) -> bool:
    """Whether a series is a loss: the total, or one output's (``<output>_loss``)."""
    return metric == "loss" or metric.endswith("_loss")


def _save_png(image: QImage, path: str | Path) -> Path:
    """Save ``image`` as PNG, atomically (on a lane: a QImage, not a pixmap); returns the
    path, raises TflabError on failure."""
    target = QSaveFile(str(path))
    ok = target.open(QSaveFile.WriteOnly) and image.save(target, "PNG") and target.commit()
    if not ok:
        target.cancelWriting()
        raise TflabError(f"Cannot save the picture to {str(path)!r}: {target.errorString()}",
                         f"无法把图片保存到 {str(path)!r}：{target.errorString()}")
    return Path(path)


def _style_plot(plot: pg.PlotItem, background: QColor, text: QColor) -> None:
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setCacheMode(QGraphicsItem.DeviceCoordinateCache)  # text is drawn again only when it changes
        axis.enableAutoSIPrefix(False)  # plain numbers, not "x2 (x0.001)"
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    plot.showGrid(x=False, y=False)
    plot.titleLabel.setAttr("color", text.name())
    if plot.legend is not None:
        plot.legend.setLabelTextColor(text)
        for _sample, label in plot.legend.items:
            label.setText(label.text, color=text)  # labels made earlier keep their colour otherwise
        plot.legend.setBrush(pg.mkBrush(background.red(), background.green(), background.blue(), 200))


class CurvesView(QWidget):
    """Loss per step with its running mean; loss and metrics per epoch; past runs laid over.

    ``step_items`` holds the PlotDataItems ``"loss"`` and ``"mean"``; ``epoch_items``
    those of the epoch values, keyed ``"train/loss"``, ``"validation/accuracy"`` and so on.

    Signals:
        sigStatus(str): a short message for the user (e.g. "Saved curves.csv").
    """

    sigStatus = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._losses = _Growing()
        self._sums = _Growing()       # cumulative sums of the losses, for the running mean
        self._means = _Growing()
        self._steps_x = np.arange(1, 1025, dtype=np.float64)
        self._epochs: list[int] = []
        self._epoch_steps: list[int] = []
        self._epoch_values: dict[str, list[float]] = {}
        self.epoch_items: dict[str, pg.PlotDataItem] = {}
        self._overlays: dict[str, list[pg.PlotDataItem]] = {}
        self._overlay_count = 0
        self._writer: Requests | None = None  # saves the CSV and PNG files (on a lane of its own)
        self._write_title = ""
        self._dirty: set[str] = set()  # "steps" and/or "epochs": what to draw at the next frame

        self._read_at: tuple[pg.PlotItem, float] | None = None  # where the read-out reads (None: the hint)

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.step_plot = self.graphics.addPlot(row=0, col=0, colspan=2)
        self.epoch_plot = self.graphics.addPlot(row=1, col=0)
        self.metric_plot = self.graphics.addPlot(row=1, col=1)
        for plot, corner in ((self.step_plot, (-10, 10)), (self.epoch_plot, (-10, 10)),
                             (self.metric_plot, (-10, -10))):
            plot.addLegend(offset=corner).setZValue(100)  # above the curves
            plot.setMenuEnabled(False)
        # Titles, axis labels and legend entries are written in _retranslate.
        self.step_items = {
            "loss": self._make_item(self.step_plot, "loss", STEP_COLOUR, 1),
            "mean": self._make_item(self.step_plot, "mean", TRAIN_COLOUR, 2.5),
        }
        self._cursors = {}
        for plot in (self.step_plot, self.epoch_plot, self.metric_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888888", style=Qt.DashLine))
            line.hide()
            plot.addItem(line, ignoreBounds=True)
            self._cursors[plot] = line
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.log_check = QCheckBox(self)
        self.log_check.toggled.connect(self.set_log_scale)
        self.png_button = QPushButton(self)
        self.png_button.clicked.connect(self._png_dialog)
        self.csv_button = QPushButton(self)
        self.csv_button.clicked.connect(self._csv_dialog)
        self.readout = QLabel(self)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(self.readout, 1)
        bar.addWidget(self.log_check)
        bar.addWidget(self.png_button)
        bar.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.graphics, 1)
        self._retranslate()
        self._apply_palette()

        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._redraw)

    def _retranslate(self) -> None:
        for plot, title, x_label in (
            (self.step_plot, self.tr("Loss per training step"), self.tr("step")),
            (self.epoch_plot, self.tr("Loss per epoch"), self.tr("epoch")),
            (self.metric_plot, self.tr("Metrics per epoch"), self.tr("epoch")),
        ):
            plot.setTitle(title)
            plot.setLabel("bottom", x_label)
        self._rename(self.step_plot, self.step_items["loss"], self.tr("loss"))
        self._rename(self.step_plot, self.step_items["mean"], fill(self.tr("mean of last %1 steps"), str(MEAN_WINDOW)))
        for key, item in self.epoch_items.items():
            part, _, metric = key.partition("/")
            self._rename(self.epoch_plot if _is_loss(metric) else self.metric_plot, item,
                         self._series_name(part, metric))
        self.log_check.setText(self.tr("Log scale"))
        self.log_check.setToolTip(self.tr("Show the losses on a logarithmic scale"))
        self.png_button.setText(self.tr("Save PNG..."))
        self.png_button.setToolTip(self.tr("Save a picture of the curves"))
        self.csv_button.setText(self.tr("Save CSV..."))
        self.csv_button.setToolTip(self.tr("Save the values of the curves as a table"))
        self._show_read_out()

    @staticmethod
    def _rename(plot: pg.PlotItem, item: pg.PlotDataItem, name: str) -> None:
        """Name ``item`` ``name``, in ``plot``'s legend too (its colour stays)."""
        item.opts["name"] = name
        label = plot.legend.getLabel(item) if plot.legend is not None else None
        if label is not None and label.text != name:
            label.setText(name)

    # ------------------------------------------------------------------ data in
    def clear(self) -> None:
        """Forget the current curves (past runs laid over stay)."""
        for series in (self._losses, self._sums, self._means):
            series.clear()
        self._epochs.clear()
        self._epoch_steps.clear()
        self._epoch_values.clear()
        for key, item in self.epoch_items.items():
            plot = self.epoch_plot if _is_loss(key.partition("/")[2]) else self.metric_plot
            plot.removeItem(item)
        self.epoch_items.clear()
        self._mark_dirty("steps", "epochs")

    def add_steps(self, losses: np.ndarray) -> None:
        """Append the losses of consecutive training steps."""
        losses = np.asarray(losses, dtype=np.float64).reshape(-1)
        if not len(losses):
            return
        start = self._losses.size
        previous = self._sums.values()[-1] if start else 0.0
        self._losses.extend(losses)
        self._sums.extend(previous + np.cumsum(losses))
        sums = self._sums.values()
        index = np.arange(start, self._losses.size)
        first = index - MEAN_WINDOW
        before = np.where(first >= 0, sums[np.maximum(first, 0)], 0.0)
        self._means.extend((sums[index] - before) / np.minimum(index + 1, MEAN_WINDOW))
        self._mark_dirty("steps")

    def add_epoch(self, epoch: int, train: dict[str, float], validation: dict[str, float]) -> None:
        """Append one epoch's values on the training and validation data."""
        self._epochs.append(epoch)
        self._epoch_steps.append(self._losses.size)
        values = {f"train/{k}": v for k, v in train.items()}
        values.update({f"validation/{k}": v for k, v in validation.items()})
        for key in sorted(values.keys() - self._epoch_values.keys()):
            self._epoch_values[key] = [math.nan] * (len(self._epochs) - 1)
            self._add_epoch_item(key)
        for key, series in self._epoch_values.items():
            series.append(float(values.get(key, math.nan)))
        self._mark_dirty("epochs")

    def step_count(self) -> int:
        return self._losses.size

    # ------------------------------------------------------------------ past runs
    def set_overlay(self, name: str, scalars: dict[str, list[tuple[int, float]]]) -> QColor:
        """Lay the curves of a past run (``read_scalars``' tags) over the current ones.

        They are drawn thin in one colour per run (returned, for the list of runs):
        dotted for training, dash-dotted for validation, without legend entries.
        """
        self.remove_overlay(name)
        colour = QColor(OVERLAY_COLOURS[self._overlay_count % len(OVERLAY_COLOURS)])
        self._overlay_count += 1
        plots = {"batch_loss": self.step_plot, "epoch_loss": self.epoch_plot}
        items = []
        for tag, points in sorted(scalars.items()):
            part, _, metric = tag.partition("/")
            wanted = metric == "batch_loss" or metric.startswith("epoch_")
            if not points or part not in ("train", "validation") or not wanted:
                continue
            plot = plots.get(metric, self.epoch_plot if _is_loss(metric) else self.metric_plot)
            style = Qt.DotLine if part == "train" else Qt.DashDotLine
            item = pg.PlotDataItem(pen=pg.mkPen(colour, width=1.5, style=style))
            self._tune(item)
            plot.addItem(item)  # before its data: clipping to the view needs the view
            steps, values = zip(*points)
            item.setData(np.asarray(steps, dtype=np.float64), np.asarray(values, dtype=np.float64))
            items.append((plot, item))
        self._overlays[name] = items
        return colour

    def remove_overlay(self, name: str) -> None:
        for plot, item in self._overlays.pop(name, []):
            plot.removeItem(item)

    def overlay_names(self) -> list[str]:
        return sorted(self._overlays)

    # ------------------------------------------------------------------ view
    @Slot(bool)
    def set_log_scale(self, on: bool) -> None:
        """Losses on a logarithmic (or linear) y axis."""
        if self.log_check.isChecked() != on:
            self.log_check.setChecked(on)
            return
        self.step_plot.setLogMode(y=on)
        self.epoch_plot.setLogMode(y=on)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:
            self._apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def _apply_palette(self) -> None:
        background = self.palette().color(QPalette.Base)
        text = self.palette().color(QPalette.Text)
        self.graphics.setBackground(background)
        for plot in (self.step_plot, self.epoch_plot, self.metric_plot):
            _style_plot(plot, background, text)

    def _make_item(self, plot: pg.PlotItem, name: str, colour: str, width: float,
                   dashed: bool = False) -> pg.PlotDataItem:
        pen = pg.mkPen(colour, width=width)
        if dashed:
            pen.setDashPattern([3, 2])  # short dashes: they show in the legend's sample too
        item = pg.PlotDataItem(pen=pen, name=name)
        self._tune(item)
        plot.addItem(item)
        return item

    @staticmethod
    def _tune(item: pg.PlotDataItem) -> None:
        item.setClipToView(True)
        item.setDownsampling(auto=True, method="peak")

    def _series_name(self, part: str, metric: str) -> str:
        if part == "train":
            return fill(self.tr("train %1"), metric)
        return fill(self.tr("validation %1"), metric)

    def _add_epoch_item(self, key: str) -> None:
        """A new epoch series: losses train blue / validation orange; a metric one colour,
        solid with filled dots for training, dashed with open dots for validation."""
        part, _, metric = key.partition("/")
        train = part == "train"
        if metric == "loss":
            plot, colour = self.epoch_plot, TRAIN_COLOUR if train else VALIDATION_COLOUR
        else:  # a metric, or one output's loss (beside the total, on the loss plot)
            metrics = sorted({k.partition("/")[2] for k in self._epoch_values} - {"loss"})
            plot = self.epoch_plot if _is_loss(metric) else self.metric_plot
            colour = METRIC_COLOURS[metrics.index(metric) % len(METRIC_COLOURS)]
        item = self._make_item(plot, self._series_name(part, metric), colour, 2, dashed=not train and metric != "loss")
        item.setSymbol("o" if len(self._epochs) <= DOTS_UP_TO else None)
        item.setSymbolSize(6)
        item.setSymbolBrush(pg.mkBrush(colour if train else self.palette().color(QPalette.Base)))
        item.setSymbolPen(pg.mkPen(colour, width=1.5))
        self.epoch_items[key] = item

    def _mark_dirty(self, *parts: str) -> None:
        self._dirty.update(parts)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _redraw(self) -> None:
        """Draw what arrived since the last frame; the timer stops while nothing does.

        Only the plots whose data changed are touched, and their ranges are fitted here
        rather than while painting, so a frame costs one paint of the changed plots.
        """
        if not self._dirty or not self.isVisible():  # a hidden view catches up when it is shown
            self._timer.stop()
            return
        if "steps" in self._dirty:
            count = self._losses.size
            if len(self._steps_x) < count:
                self._steps_x = np.arange(1, 2 * count + 1, dtype=np.float64)
            x = self._steps_x[:count]
            self.step_items["loss"].setData(x, self._losses.values())
            self.step_items["mean"].setData(x, self._means.values())
            self.step_plot.vb.prepareForPaint()
        if "epochs" in self._dirty:
            epochs = np.asarray(self._epochs, dtype=np.float64)
            dots = "o" if len(epochs) <= DOTS_UP_TO else None
            for key, item in self.epoch_items.items():
                if item.opts["symbol"] != dots:
                    item.setSymbol(dots)
                item.setData(epochs, np.asarray(self._epoch_values[key], dtype=np.float64))
            self.epoch_plot.vb.prepareForPaint()
            self.metric_plot.vb.prepareForPaint()
        self._dirty.clear()

    # ------------------------------------------------------------------ hover read-out
    @Slot(object)
    def _on_mouse_moved(self, position: QPointF) -> None:
        for plot, line in self._cursors.items():
            inside = plot.sceneBoundingRect().contains(position)
            x = plot.vb.mapSceneToView(position).x()
            text = self._read_out(plot, x) if inside else ""
            line.setVisible(bool(text))
            if text:
                self._read_at = (plot, x)
                self.readout.setText(text)
                return
        self._show_hint()

    def _show_read_out(self) -> None:
        """Write the read-out again (in the language now chosen): the values where the
        mouse last pointed, or the hint."""
        text = self._read_out(*self._read_at) if self._read_at is not None else ""
        if text:
            self.readout.setText(text)
        else:
            self._show_hint()

    def _read_out(self, plot: pg.PlotItem, x: float) -> str:
        """The values nearest to ``x`` in ``plot`` (also moves its cursor line there)."""
        if plot is self.step_plot:
            count = self._losses.size
            if not count:
                return ""
            index = int(np.clip(round(x) - 1, 0, count - 1))
            self._cursors[plot].setValue(index + 1)
            return fill(
                self.tr("step %1: loss %2, mean %3"),
                str(index + 1),
                f"{self._losses.values()[index]:.4g}",
                f"{self._means.values()[index]:.4g}",
            )
        if not self._epochs:
            return ""
        index = int(np.argmin(np.abs(np.asarray(self._epochs) - x)))
        self._cursors[plot].setValue(self._epochs[index])
        on_loss_plot = plot is self.epoch_plot

        def wanted(key: str) -> bool:
            return _is_loss(key.partition("/")[2]) == on_loss_plot

        parts = [f"{self._series_name(*key.split('/', 1))} {values[index]:.4g}"
                 for key, values in sorted(self._epoch_values.items())
                 if wanted(key) and not math.isnan(values[index])]
        return fill(self.tr("epoch %1: %2"), str(self._epochs[index]), ", ".join(parts))

    def _show_hint(self) -> None:
        self._read_at = None
        for line in self._cursors.values():
            line.hide()
        self.readout.setText(self.tr("Point at a plot to read its values."))

    # ------------------------------------------------------------------ export
    def csv_text(self) -> str:
        """The curves as a table: one row per step; each epoch's values on the row of its last step."""
        keys = sorted(self._epoch_values, key=lambda k: (k.partition("/")[2] != "loss", k.partition("/")[2], k))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["step", "loss", "running_mean", "epoch", *[k.replace("/", "_") for k in keys]])
        at_step = {step: i for i, step in enumerate(self._epoch_steps)}
        for index, (loss, mean) in enumerate(zip(self._losses.values(), self._means.values())):
            row = [index + 1, f"{loss:.9g}", f"{mean:.9g}"]
            epoch = at_step.get(index + 1)
            if epoch is None:
                row += [""] * (1 + len(keys))
            else:
                row.append(self._epochs[epoch])
                row += ["" if math.isnan(v) else f"{v:.9g}" for v in (self._epoch_values[k][epoch] for k in keys)]
            writer.writerow(row)
        return buffer.getvalue()

    def export_csv(self, path: str | Path) -> None:
        """Write :meth:`csv_text` to ``path`` atomically, on a lane: ``sigStatus`` says when
        it is written, a message box why not (a folder that does not answer never holds
        the window)."""
        text = self.csv_text()
        self._write(self.tr("Save Curves as CSV"), lambda: (atomic_write_text(path, text), Path(path))[1])

    def export_png(self, path: str | Path) -> None:
        """Save a picture of the plots as PNG, atomically, on a lane (see :meth:`export_csv`)."""
        self._redraw()
        image = self.graphics.grab().toImage()
        self._write(self.tr("Save Curves as PNG"), lambda: _save_png(image, path))

    def _write(self, title: str, write) -> None:
        if self._writer is None:
            self._writer = Requests(Lane("curves-export", self), self, doing=("saving the curves", "保存曲线"))
            self._writer.sigResult.connect(self._on_written)
            self._writer.sigError.connect(self._on_write_failed)
        self._write_title = title
        self._writer.run(write)

    @Slot(object)
    def _on_written(self, path: Path) -> None:
        self.sigStatus.emit(fill(self.tr("Saved %1"), path.name))

    @Slot(object)
    def _on_write_failed(self, err: TflabError) -> None:
        QMessageBox.critical(self, self._write_title, err.full())

    @Slot()
    def _png_dialog(self) -> None:
        self._export_dialog(self.tr("Save Curves as PNG"), self.tr("PNG images (*.png)"), ".png", self.export_png)

    @Slot()
    def _csv_dialog(self) -> None:
        self._export_dialog(self.tr("Save Curves as CSV"), self.tr("CSV tables (*.csv)"), ".csv", self.export_csv)

    def _export_dialog(self, title: str, filter_text: str, suffix: str, save) -> None:
        path, _ = QFileDialog.getSaveFileName(self, title, f"curves{suffix}", filter_text)
        if not path:
            return
        save(Path(path) if Path(path).suffix.lower() == suffix else Path(path + suffix))


class BoundaryView(QWidget):
    """2-D points coloured by class over the model's probability of class 1 (with its 0.5 line)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(self)
        plot = self.plot_widget.getPlotItem()
        plot.setAspectLocked(True)
        plot.setMenuEnabled(False)
        plot.setLabel("bottom", "x1")
        plot.setLabel("left", "x2")
        self.image = pg.ImageItem(axisOrder="row-major")
        colours = pg.ColorMap([0.0, 0.5, 1.0], [QColor("#9ecae1"), QColor("#ffffff"), QColor("#fdbe85")])
        self.image.setLookupTable(colours.getLookupTable(nPts=256))
        self.image.setZValue(-10)
        self.line = pg.PlotDataItem(pen=pg.mkPen("#333333", width=2), connect="pairs")
        # One item per class with one brush: a brush per point cost the GUI thread over a
        # minute for a million points.
        self.scatters = [pg.ScatterPlotItem(size=7, pen=pg.mkPen("#ffffff", width=0.8),
                                            brush=pg.mkBrush(colour)) for colour in CLASS_COLOURS]
        plot.addItem(self.image)
        plot.addItem(self.line)
        for scatter in self.scatters:
            plot.addItem(scatter)
        self.grid: np.ndarray | None = None

        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.plot_widget, 1)
        page_layout.addWidget(self.caption)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._retranslate()
        self._apply_palette()

    def _retranslate(self) -> None:
        self.caption.setText(self.tr(
            "Colour: the model's probability of class 1 (blue: class 0, orange: class 1). "
            "Dark line: where it is 0.5, the decision boundary."))
        self.empty.setText(self.tr(
            "The decision boundary is drawn for data with two features and two classes: "
            "spiral, XOR, circles or two Gaussians."))

    def has_points(self) -> bool:
        return self.pages.currentIndex() == 1

    def set_points(self, x: np.ndarray | None, y: np.ndarray | None) -> None:
        """Show these 2-D points (``y``: class 0 or 1), or the explanation when ``x`` is None."""
        self.set_boundary(None)
        if x is None:
            for scatter in self.scatters:
                scatter.clear()
            self.pages.setCurrentIndex(0)
            return
        if len(x) > MAX_POINTS:  # a sample shows the shape of the data as well, in milliseconds
            keep = np.sort(np.random.default_rng(0).choice(len(x), MAX_POINTS, replace=False))
            x, y = x[keep], y[keep]
        classes = np.asarray(y).astype(np.int64) % 2
        for label, scatter in enumerate(self.scatters):
            chosen = x[classes == label]
            scatter.setData(x=chosen[:, 0], y=chosen[:, 1])
        self.pages.setCurrentIndex(1)
        self.plot_widget.getPlotItem().autoRange()

    def set_boundary(self, grid) -> None:
        """Show a :class:`~tflab.session.BoundaryGrid` (None: no model yet)."""
        if grid is None:
            self.grid = None
            self.image.clear()
            self.line.setData([], [])
            return
        self.grid = grid.values
        rows, cols = grid.values.shape
        x0, x1, y0, y1 = grid.extent
        dx, dy = (x1 - x0) / (cols - 1), (y1 - y0) / (rows - 1)
        self.image.setImage(grid.values, levels=(0.0, 1.0), autoLevels=False)
        # Each pixel is centred on the point its value was computed at.
        self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy))
        points = grid.segments.reshape(-1, 2)
        self.line.setData(points[:, 0], points[:, 1])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:
            self._apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()

    def _apply_palette(self) -> None:
        background = self.palette().color(QPalette.Base)
        text = self.palette().color(QPalette.Text)
        self.plot_widget.setBackground(background)
        _style_plot(self.plot_widget.getPlotItem(), background, text)
