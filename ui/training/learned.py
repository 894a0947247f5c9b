"""What the model learned, shown: the confusion matrix and the test predictions.

:class:`LearnedView` shows :class:`~tflab.evaluation.Predictions` of the test part,
sent by the training worker at epoch ends and when a run ends: the confusion matrix
(true class down, predicted class across, each row shaded by its share, the accuracy of
each class at the right), and a gallery of the test samples, mistakes first (picture,
true class, predicted class, confidence). Clicking a cell shows only its samples.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tflab.evaluation import Predictions, picture_shape
from ui.core.text import fill

#: Samples shown in the gallery at once (the first ones of the order chosen).
GALLERY_LIMIT = 200
#: Side of a gallery picture, screen pixels.
THUMBNAIL = 56


def sample_image(sample: np.ndarray, shape: tuple[int, int]) -> QImage:
    """A grey (or colour) picture of one sample, values scaled to its own range."""
    values = np.asarray(sample, dtype=np.float64)
    colour = values.ndim == 3 and values.shape[2] == 3
    values = values.reshape(shape + ((3,) if colour else ()))
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    scaled = np.zeros_like(values) if high <= low else (values - low) / (high - low)
    pixels = np.ascontiguousarray((np.nan_to_num(scaled) * 255).astype(np.uint8))
    height, width = shape
    if colour:
        image = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    else:
        image = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.copy()  # owns its pixels


class LearnedView(QWidget):
    """The confusion matrix and the gallery of one set of predictions.

    Attributes for tests: ``matrix`` (QTableWidget), ``gallery`` (QListWidget),
    ``summary`` (QLabel), ``all_button``; :attr:`predictions` is what is shown,
    :attr:`cell` the cell chosen (None: every sample, mistakes first).

    Signals:
        sigCellChosen(int, int): the user clicked the cell (true class, predicted class).
    """

    sigCellChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.predictions: Predictions | None = None
        self.cell: tuple[int, int] | None = None
        self._stale = False
        self._drawn: Predictions | None = None  # the predictions the matrix and the gallery show
        self._gallery_count = 0  # the samples of the gallery's choice (the first GALLERY_LIMIT shown)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.matrix = QTableWidget(self)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.cellClicked.connect(self._on_cell_clicked)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.gallery_title = QLabel(self)
        self.gallery = QListWidget(self)
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setMovement(QListWidget.Movement.Static)
        self.gallery.setGridSize(QSize(THUMBNAIL + 64, THUMBNAIL + 44))
        self.gallery.setWordWrap(True)
        self.all_button = QPushButton(self)
        self.all_button.clicked.connect(self.show_all)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.matrix, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.gallery_title, 1)
        head.addWidget(self.all_button)
        right_layout.addLayout(head)
        right_layout.addWidget(self.gallery, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._retranslate()

    # ------------------------------------------------------------------ showing
    def set_predictions(self, predictions: Predictions | None) -> None:
        """Show ``predictions`` (None: nothing yet); a chosen cell stays chosen.

        While the view is hidden (another tab shown), the matrix and the gallery are only
        filled when it is shown: a gallery of 200 pictures costs the window some 40 ms, and
        predictions arrive every second while a model trains.
        """
        self.predictions = predictions
        if predictions is None or (self.cell is not None and max(self.cell) >= predictions.num_classes):
            self.cell = None
        self._stale = True
        if self.isVisible():
            self._refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._refresh()

    def _refresh(self) -> None:
        self._stale = False
        self._fill_matrix()
        self._fill_gallery()
        self._describe()

    @Slot()
    def show_all(self) -> None:
        """Every sample again, mistakes first."""
        self.cell = None
        self.matrix.clearSelection()
        self._fill_gallery()

    def choose_cell(self, true: int, predicted: int) -> None:
        """Show only the samples of class ``true`` predicted as ``predicted``."""
        self.cell = (true, predicted)
        self._fill_gallery()
        self.sigCellChosen.emit(true, predicted)

    @Slot(int, int)
    def _on_cell_clicked(self, row: int, column: int) -> None:
        if self.predictions is not None and column < self.predictions.num_classes:
            self.choose_cell(row, column)

    def _fill_matrix(self) -> None:
        predictions = self._drawn = self.predictions
        self.matrix.clear()
        if predictions is None:
            self.matrix.setRowCount(0)
            self.matrix.setColumnCount(0)
            return
        n = predictions.num_classes
        confusion = predictions.confusion()
        class_accuracy = predictions.class_accuracy()
        names = list(predictions.class_names)
        self.matrix.setRowCount(n)
        self.matrix.setColumnCount(n + 1)
        self.matrix.setHorizontalHeaderLabels(names + [self.tr("accuracy")])
        self.matrix.setVerticalHeaderLabels(names)
        totals = np.maximum(confusion.sum(axis=1), 1)
        for row in range(n):
            for column in range(n):
                count = int(confusion[row, column])
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                share = count / totals[row]
                hue = 120 if row == column else 0  # green on the diagonal, red elsewhere
                if count:
                    item.setBackground(QBrush(QColor.fromHsv(hue, int(40 + 180 * share), 255)))
                item.setToolTip(self._cell_tip(count, row, column))
                self.matrix.setItem(row, column, item)
            value = class_accuracy[row]
            text = "–" if math.isnan(value) else f"{value:.2f}"
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.matrix.setItem(row, n, item)

    def _cell_tip(self, count: int, row: int, column: int) -> str:
        names = self._drawn.class_names
        return fill(self.tr("%1 samples of class %2 predicted as %3"), str(count), names[row], names[column])

    def _sample_text(self, index: int) -> str:
        """What the gallery says under the test sample ``index``."""
        predictions = self._drawn
        names = predictions.class_names
        truth, guess = int(predictions.y[index]), int(predictions.predicted[index])
        return fill(
            self.tr("%1 true %2\npredicted %3 (%4)"),
            "✓" if truth == guess else "✗",
            names[truth],
            names[guess],
            f"{predictions.confidence[index]:.2f}",
        )

    def _fill_gallery(self) -> None:
        self.gallery.clear()
        predictions = self._drawn = self.predictions
        if predictions is None:
            self._title()
            return
        order = predictions.mistakes_first() if self.cell is None else predictions.in_cell(*self.cell)
        shape = picture_shape(tuple(predictions.x.shape[1:]))
        predicted = predictions.predicted
        for index in order[:GALLERY_LIMIT]:
            truth, guess = int(predictions.y[index]), int(predicted[index])
            item = QListWidgetItem(self._sample_text(index))
            if shape is not None:
                image = sample_image(predictions.x[index], shape)
                item.setIcon(QIcon(QPixmap.fromImage(image.scaled(
                    THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation))))
            else:
                values = ", ".join(f"{v:.3g}" for v in np.ravel(predictions.x[index])[:4])
                item.setToolTip(f"x = [{values}{', …' if predictions.x[index].size > 4 else ''}]")
            item.setData(Qt.ItemDataRole.UserRole, int(index))
            if truth != guess:
                item.setForeground(QBrush(QColor("#c62828")))
            self.gallery.addItem(item)
        self._title(len(order))

    def _title(self, count: int = 0) -> None:
        self._gallery_count = count
        if self._drawn is None:
            self.gallery_title.setText("")
        elif self.cell is None:
            self.gallery_title.setText(fill(
                self.tr("Test samples, mistakes first (%1 shown of %2)"),
                str(min(count, GALLERY_LIMIT)),
                str(count),
            ))
        else:
            names = self._drawn.class_names
            self.gallery_title.setText(fill(
                self.tr("True %1, predicted %2: %3 samples"),
                names[self.cell[0]],
                names[self.cell[1]],
                str(count),
            ))
        self.all_button.setEnabled(self.cell is not None)

    def _describe(self) -> None:
        predictions = self._drawn
        if predictions is None:
            self.summary.setText(self.tr(
                "Train a classifier: its predictions on the test part appear here after each epoch."))
            return
        self.summary.setText(fill(
            self.tr(
                "After epoch %1: %2 of %3 test samples right (accuracy %4). Rows: the true class; "
                "columns: the class predicted. Click a cell to see its samples."),
            str(predictions.epoch),
            str(int((predictions.predicted == predictions.y).sum())),
            str(len(predictions)),
            f"{predictions.accuracy():.3f}",
        ))

    def _retranslate(self) -> None:
        """The texts shown, in the language now chosen: written again in place, so the
        matrix and the gallery keep their selection and scroll (new predictions that
        arrived while the view was hidden are drawn when it is shown)."""
        self.all_button.setText(self.tr("Show all"))
        drawn = self._drawn
        if drawn is not None:
            n = drawn.num_classes
            header = self.matrix.horizontalHeaderItem(n)
            if header is not None:
                header.setText(self.tr("accuracy"))
            for row in range(min(n, self.matrix.rowCount())):
                for column in range(min(n, self.matrix.columnCount())):
                    item = self.matrix.item(row, column)
                    if item is not None:
                        item.setToolTip(self._cell_tip(int(item.text()), row, column))
        for row in range(self.gallery.count()):
            item = self.gallery.item(row)
            item.setText(self._sample_text(item.data(Qt.ItemDataRole.UserRole)))
        self._title(self._gallery_count)
        self._describe()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
