"""Inside the model: what each layer makes of one sample, as pictures and bars.

:class:`InsideView` shows every layer's output for a test sample the user picks: a
convolution's feature maps (one small grey picture per channel, bright where the output
is high), a Dense layer's units as bars (blue above zero, red below), a 2-D output as one
picture. It follows training: the worker sends a new set after each epoch.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from tflab.activations import Activations, LayerOutput
from tflab.evaluation import picture_shape
from ui.core.text import fill
from ui.training.learned import sample_image

#: The most feature maps drawn for one layer (the first ones), and per row.
MAX_MAPS, MAPS_PER_ROW = 32, 8
#: The most bars drawn for one layer (the first ones).
MAX_BARS = 256
#: Feature maps are enlarged (whole pixels) to at least this many screen pixels.
MAP_SIDE = 44
BAR_HEIGHT = 64
POSITIVE, NEGATIVE = QColor("#1565c0"), QColor("#c62828")


def feature_maps(values: np.ndarray, limit: int = MAX_MAPS) -> QImage:
    """The channels of an (height, width, channels) output side by side, each scaled to
    its own range (grey: low dark, high bright), enlarged to about :data:`MAP_SIDE` px."""
    height, width, channels = values.shape
    shown = min(channels, limit)
    scale = max(1, math.ceil(MAP_SIDE / max(height, width)))
    cell_h, cell_w, gap = height * scale, width * scale, 3
    columns = min(shown, MAPS_PER_ROW)
    rows = math.ceil(shown / columns)
    canvas = np.full((rows * (cell_h + gap) - gap, columns * (cell_w + gap) - gap), 255, np.uint8)
    for channel in range(shown):
        plane = np.nan_to_num(values[:, :, channel].astype(np.float64))
        low, high = plane.min(), plane.max()
        grey = np.zeros_like(plane) if high <= low else (plane - low) / (high - low)
        pixels = np.kron((grey * 255).astype(np.uint8), np.ones((scale, scale), np.uint8))
        row, column = divmod(channel, columns)
        top, left = row * (cell_h + gap), column * (cell_w + gap)
        canvas[top:top + cell_h, left:left + cell_w] = pixels
    canvas = np.ascontiguousarray(canvas)
    image = QImage(canvas.data, canvas.shape[1], canvas.shape[0], canvas.shape[1], QImage.Format.Format_Grayscale8)
    return image.copy()


def bars(values: np.ndarray, limit: int = MAX_BARS) -> QPixmap:
    """The values of a vector as bars from a middle line: up (blue) above zero, down
    (red) below, all on one scale (the largest size)."""
    shown = np.nan_to_num(values[:limit].astype(np.float64))
    width = max(3, min(12, 600 // max(len(shown), 1)))
    pixmap = QPixmap(max(len(shown), 1) * width, BAR_HEIGHT)
    pixmap.fill(Qt.GlobalColor.transparent)
    top = float(np.abs(shown).max()) if len(shown) else 0.0
    middle = BAR_HEIGHT / 2
    painter = QPainter(pixmap)
    painter.setPen(QColor(128, 128, 128))
    painter.drawLine(0, int(middle), pixmap.width(), int(middle))
    painter.setPen(Qt.PenStyle.NoPen)
    for index, value in enumerate(shown):
        size = 0.0 if top == 0 else value / top * (middle - 1)
        painter.setBrush(POSITIVE if value >= 0 else NEGATIVE)
        painter.drawRect(QRectF(index * width + 0.5, middle - max(size, 0), width - 1, abs(size)))
    painter.end()
    return pixmap


def kind_of(output: LayerOutput) -> str:
    """How an output is drawn: "maps" (height, width, channels), "image" (a 2-D output),
    "bars" (a vector) or "text" (anything else)."""
    shape = output.values.shape
    if len(shape) == 3:
        return "maps"
    if len(shape) == 2 and min(shape) >= 2:
        return "image"
    if len(shape) == 1 or (len(shape) == 2 and min(shape) == 1):
        return "bars"
    return "text"


class InsideView(QWidget):
    """Every layer's output for one sample; see the module docstring.

    Attributes for tests: ``sample`` (the QSpinBox), ``rows`` (per layer: the title and
    the picture labels), ``kinds`` (per layer: how it is drawn), :attr:`activations`.

    Signals:
        sigSampleChosen(int): the user picked another sample (its index in the part).
    """

    sigSampleChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.activations: Activations | None = None
        self._stale = False  # the layers shown are not those of the last activations
        self.rows: list[tuple[QLabel, QLabel]] = []
        self.kinds: list[str] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.sample = QSpinBox(self)
        self.sample.setRange(0, 0)
        self.sample.valueChanged.connect(self._on_sample)
        self.sample_text = QLabel(self)
        self.picture = QLabel(self)
        self.sample_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.sample_label)
        top.addWidget(self.sample)
        top.addWidget(self.picture)
        top.addWidget(self.sample_text, 1)
        self._column = QWidget(self)
        self._layers = QVBoxLayout(self._column)
        self._layers.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self._retranslate()

    def _retranslate(self) -> None:
        self.sample_label.setText(self.tr("Sample:"))
        self.sample.setToolTip(self.tr("Which sample of the test data goes through the model"))
        self.intro.setText(self.tr(
            "Each layer's output for one test sample, as the model computes it now: a convolution's "
            "feature maps (one picture per channel, bright where the output is high), a Dense layer's "
            "units as bars (blue above zero, red below). They change as the model learns."))
        self._describe_sample()

    @Slot(object)
    def set_activations(self, activations: Activations | None) -> None:
        """Show a new set of layer outputs (None: nothing to show yet)."""
        self.activations = activations
        self.sample.blockSignals(True)
        if activations is not None:
            self.sample.setRange(0, max(activations.count - 1, 0))
            self.sample.setValue(activations.index)
        self.sample.blockSignals(False)
        self._describe_sample()
        self._stale = True
        if self.isVisible() or activations is None:  # a hidden tab draws when it is shown
            self._show_layers()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._show_layers()

    def _describe_sample(self) -> None:
        seen = self.activations
        if seen is None:
            self.sample_text.setText(self.tr("Train the model to look inside it."))
            self.picture.clear()
            return
        self.sample_text.setText(fill(self.tr("true label: %1; weights after %2 epoch(s) of this run"),
                                      seen.label, str(seen.epoch)))
        shape = picture_shape(tuple(seen.x.shape))
        if shape is None:
            self.picture.clear()
        else:
            image = sample_image(seen.x, shape)
            side = max(28, 3 * max(shape))
            self.picture.setPixmap(QPixmap.fromImage(image).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))

    def _show_layers(self) -> None:
        self._stale = False
        layers = self.activations.layers if self.activations is not None else ()
        while len(self.rows) > len(layers):
            title, picture = self.rows.pop()
            for widget in (title, picture):
                self._layers.removeWidget(widget)
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        while len(self.rows) < len(layers):
            title, picture = QLabel(self._column), QLabel(self._column)
            title.setTextFormat(Qt.TextFormat.RichText)
            index = self._layers.count() - 1  # before the stretch
            self._layers.insertWidget(index, title)
            self._layers.insertWidget(index + 1, picture)
            self.rows.append((title, picture))
        self.kinds = []
        for number, ((title, picture), output) in enumerate(zip(self.rows, layers)):
            kind = kind_of(output)
            self.kinds.append(kind)
            text = f"<b>{output.name}</b> ({output.class_name}) → {output.values.shape}: " + self._summary(output, kind)
            classes = self.activations.class_names
            if number == len(layers) - 1 and kind == "bars" and output.values.size == len(classes) > 1:
                best = int(np.argmax(output.values))  # the model's answer: one bar per class
                text += "; " + fill(self.tr("one bar per class, the highest: %1"), f"<b>{classes[best]}</b>")
            title.setText(text)
            if kind == "maps":
                picture.setPixmap(QPixmap.fromImage(feature_maps(output.values)))
            elif kind == "image":
                picture.setPixmap(QPixmap.fromImage(feature_maps(output.values[:, :, np.newaxis])))
            elif kind == "bars":
                picture.setPixmap(bars(output.values.reshape(-1)))
            else:
                picture.clear()

    def _summary(self, output: LayerOutput, kind: str) -> str:
        values = output.values
        low, high = (float(np.nanmin(values)), float(np.nanmax(values))) if values.size else (0.0, 0.0)
        span = fill(self.tr("values from %1 to %2"), f"{low:.3g}", f"{high:.3g}")
        if kind == "maps":
            channels = values.shape[2]
            if channels == 1:
                shown = self.tr("one feature map")
            elif channels <= MAX_MAPS:
                shown = fill(self.tr("%1 feature maps"), str(channels))
            else:
                shown = fill(self.tr("the first %1 of %2 feature maps"), str(MAX_MAPS), str(channels))
            return f"{shown}, {span}"
        if kind == "bars":
            count = values.size
            shown = fill(self.tr("%1 values"), str(count)) if count <= MAX_BARS else \
                fill(self.tr("the first %1 of %2 values"), str(MAX_BARS), str(count))
            return f"{shown}, {span}"
        return span

    @Slot(int)
    def _on_sample(self, index: int) -> None:
        self.sigSampleChosen.emit(index)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if not self._stale:  # else drawn, in the language then chosen, when shown
                self._show_layers()
        super().changeEvent(event)
