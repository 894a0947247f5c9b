"""Try the model by hand: draw a digit with the mouse and see what the model reads.

:class:`TryView` holds a :class:`DrawingCanvas` (white ink on black, as MNIST's digits
are), the drawing as the model gets it (prepared as MNIST's digits were:
:func:`tflab.evaluation.digit_from_drawing`) and one bar per class with its probability.
It asks for predictions with :attr:`TryView.sigPredict`; the training panel answers with
:meth:`TryView.show_probabilities`. It works for classifiers of square grey pictures:
``(H, W)``, ``(H, W, 1)`` or flat ``(H*H,)`` inputs.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tflab.datasets import CLASSIFICATION, Dataset
from tflab.evaluation import digit_from_drawing, picture_shape
from ui.core.text import fill

#: Side of the canvas in screen pixels (ten times MNIST's 28).
CANVAS = 280
#: Pen width on the canvas: MNIST's strokes are 2 to 3 pixels wide at 28 x 28.
PEN = 22
#: Quiet time after a stroke moves before the model is asked again, in milliseconds.
ASK_MS = 80


class DrawingCanvas(QWidget):
    """A square to draw on with the mouse: white ink on black.

    Signals:
        sigChanged(): the drawing changed (while drawing, too).
    """

    sigChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(CANVAS, CANVAS)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._image = QImage(CANVAS, CANVAS, QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self._last: QPoint | None = None

    def clear(self) -> None:
        self._image.fill(0)
        self.update()
        self.sigChanged.emit()

    def ink(self) -> np.ndarray:
        """The drawing as grey values 0..1, ``(CANVAS, CANVAS)``."""
        image = self._image
        data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(CANVAS, image.bytesPerLine())
        return data[:, :CANVAS].astype(np.float32) / 255.0

    def stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw a line through ``points`` (canvas pixels), as the mouse does."""
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255), PEN, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        if len(points) == 1:
            painter.drawPoint(QPoint(int(points[0][0]), int(points[0][1])))
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            painter.drawLine(QPoint(int(x0), int(y0)), QPoint(int(x1), int(y1)))
        painter.end()
        self.update()
        self.sigChanged.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = event.position().toPoint()
            self.stroke([(self._last.x(), self._last.y())])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._last is not None:
            point = event.position().toPoint()
            self.stroke([(self._last.x(), self._last.y()), (point.x(), point.y())])
            self._last = point

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._last = None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.end()


class TryView(QWidget):
    """Draw, and see the class probabilities of what the model reads.

    Attributes for tests: ``canvas``, ``clear_button``, ``seen`` (the prepared input,
    shown enlarged), ``bars`` (one QProgressBar per class, 0..1000), ``note``;
    :attr:`probabilities` is the last answer shown.

    Signals:
        sigPredict(object): the model's input for the drawing, ``(1, *input_shape)``.
    """

    sigPredict = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.probabilities: np.ndarray | None = None
        self._input_shape: tuple[int, ...] | None = None
        self._side = 0
        self._class_names: tuple[str, ...] = ()
        self._trained = False
        self.canvas = DrawingCanvas(self)
        self.canvas.sigChanged.connect(self._later)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.seen = QLabel(self)
        self.seen.setFixedSize(QSize(112, 112))
        self.seen.setStyleSheet("background: black;")
        self.seen_title = QLabel(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.bars: list[QProgressBar] = []
        self._bar_labels: list[QLabel] = []
        self._bars_layout = QGridLayout()
        self._timer = QTimer(self, singleShot=True, interval=ASK_MS)
        self._timer.timeout.connect(self.ask)

        canvas_column = QVBoxLayout()
        canvas_column.addWidget(self.canvas)
        canvas_column.addWidget(self.clear_button)
        canvas_column.addStretch(1)
        seen_column = QVBoxLayout()
        seen_column.addWidget(self.seen_title)
        seen_column.addWidget(self.seen)
        seen_column.addStretch(1)
        bars_column = QVBoxLayout()
        bars_column.addLayout(self._bars_layout)
        bars_column.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(canvas_column)
        row.addLayout(seen_column)
        row.addLayout(bars_column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(row, 1)
        self._retranslate()
        self._update_state()

    # ------------------------------------------------------------------ the model
    def set_model(self, input_shape: tuple[int, ...] | None, class_names: tuple[str, ...] | list[str]) -> None:
        """The model's input shape (one sample) and its classes (empty: not a classifier)."""
        shape = picture_shape(tuple(input_shape)) if input_shape is not None else None
        square = shape is not None and shape[0] == shape[1]
        self._input_shape = tuple(input_shape) if square and class_names else None
        self._side = shape[0] if square else 0
        if tuple(class_names) != self._class_names:
            self._class_names = tuple(class_names)
            self._make_bars()
        self._update_state()

    def set_data(self, dataset: Dataset) -> None:
        """The model reads the samples of ``dataset``: a classifier only for classes."""
        self.set_model(dataset.input_shape, dataset.class_names if dataset.task == CLASSIFICATION else ())

    def set_trained(self, trained: bool) -> None:
        """Whether the model has weights worth asking (it has trained, or a run ended)."""
        self._trained = trained
        self._update_state()
        if trained:
            self._later()

    def usable(self) -> bool:
        return self._input_shape is not None and self._trained

    def model_input(self) -> np.ndarray:
        """The drawing as the model gets it: ``(1, *input_shape)``, prepared as MNIST was."""
        digit = digit_from_drawing(self.canvas.ink(), self._side)
        shape = self._input_shape or digit.shape
        if len(shape) == 3 and shape[2] == 3:
            digit = np.repeat(digit[..., np.newaxis], 3, axis=2)
        return digit.reshape((1, *shape)).astype(np.float32)

    @Slot()
    def _later(self) -> None:
        self._timer.start()

    @Slot()
    def ask(self) -> None:
        """Show the prepared drawing and ask the model (once it is usable)."""
        if self._input_shape is None:
            return
        x = self.model_input()
        picture = np.ascontiguousarray((x.reshape(self._side, self._side, -1)[..., 0] * 255).astype(np.uint8))
        image = QImage(picture.data, self._side, self._side, self._side, QImage.Format.Format_Grayscale8).copy()
        self.seen.setPixmap(QPixmap.fromImage(image.scaled(
            self.seen.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)))
        if self.usable() and x.any():
            self.sigPredict.emit(x)
        elif not x.any():
            self.show_probabilities(None)

    def show_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Fill the bars (None: empty)."""
        self.probabilities = None if probabilities is None else np.asarray(probabilities).ravel()
        best = -1 if self.probabilities is None else int(self.probabilities.argmax())
        for index, bar in enumerate(self.bars):
            value = 0.0 if self.probabilities is None or index >= len(self.probabilities) else \
                float(self.probabilities[index])
            bar.setValue(int(round(value * 1000)))
            bar.setFormat(f"{value:.2f}")
            self._bar_labels[index].setStyleSheet("font-weight: bold;" if index == best else "")

    def _make_bars(self) -> None:
        while self._bars_layout.count():
            item = self._bars_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.bars, self._bar_labels = [], []
        for row, name in enumerate(self._class_names):
            label = QLabel(name, self)
            bar = QProgressBar(self)
            bar.setRange(0, 1000)
            bar.setTextVisible(True)
            bar.setFormat("0.00")
            self._bars_layout.addWidget(label, row, 0)
            self._bars_layout.addWidget(bar, row, 1)
            self.bars.append(bar)
            self._bar_labels.append(label)

    def _update_state(self) -> None:
        picture = self._input_shape is not None
        self.canvas.setEnabled(picture)
        self.clear_button.setEnabled(picture)
        if not picture:
            self.note.setText(self.tr(
                "Drawing works for a classifier of square grey pictures, such as the MNIST digits "
                "(input (28, 28), (28, 28, 1) or (784,))."))
        elif not self._trained:
            self.note.setText(self.tr(
                "Train the model first, then draw a digit: white ink on black, as MNIST's digits are."))
        else:
            self.note.setText(fill(self.tr(
                "Draw a digit with the mouse. It is prepared as MNIST's digits were (fitted in a "
                "%2 x %2 box, centred by its mass in %1 x %1) and the model gives the probability "
                "of each class."), str(self._side), str(max(1, round(self._side * 20 / 28)))))

    def _retranslate(self) -> None:
        self.clear_button.setText(self.tr("Clear"))
        self.seen_title.setText(self.tr("What the model gets:"))
        self._update_state()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
