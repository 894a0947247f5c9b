"""The image tool: select a box on a picture and crop it with TensorFlow.

The lesson is ``tf.image.crop_to_bounding_box(image, offset_height, offset_width,
target_height, target_width)``: rows (y) first, while a screen rectangle is x
first. The user opens a picture (file, drag and drop, or a bundled sample), drags
a rubber band on it (:class:`~ui.imaging.image_view.ImageView` maps it to whole image
pixels) or types the four arguments, and presses Crop. The crop runs the real
TensorFlow call on a worker thread (the first one imports TensorFlow, which takes
seconds), and the result appears beside the picture with the tensor shapes, the
exact Python call, the equivalent slice and why both keep the same pixels.

In batch mode, the pictures opened are stacked into one
``[batch, height, width, channels]`` tensor and cropped with the same box; a
picture of another size is refused with the engine's message.

Every problem (not a picture, a damaged or huge file, a box past the edge, a
picture of the wrong size for the batch, a failed save) is shown in words in the
tool; the picture that was open stays open.

Opening pictures: decoding a large photo takes a good part of a second, so what
the *user* opens (the Open dialog, drag and drop, the Samples menu) is decoded
on worker threads by :meth:`ImageTool.open_paths_async`,
:meth:`ImageTool.open_sample_async` and :meth:`ImageTool.open_bytes_async`; the
window stays responsive and a note says what is being opened. Several files
(batch mode) are decoded in turn (two at a time) and added in the order chosen,
each as soon as it and those before it are ready; their problems are reported
together at the end, and ``sigOpenFinished(bool)`` says the opening is over
(True: every picture opened). Outside batch mode the newest request wins: a
picture still decoding from an older request is dropped when it arrives. The
workers only decode and make the batch thumbnail (scaled by Pillow, then a small
``QImage``: both fine off the GUI thread); they never touch a widget and hold no
reference to the tool: they only wake the GUI thread through :class:`_OpenRelay`,
and the tool picks up its results there. The picture's display pixmap is still
made on the GUI thread (by :meth:`~ui.imaging.image_view.ImageView.set_image`). Closing
the tool while a picture decodes neither waits nor fails: the late result is dropped.

The synchronous :meth:`ImageTool.open_path`, :meth:`ImageTool.open_sample` and
:meth:`ImageTool.open_bytes` decode on the calling thread and return whether the
picture opened: for scripts and tests.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tflab import imaging
from tflab.imaging import BoundingBox, LoadedImage
from tflab.messages import TflabError, language
from ui.core.text import fill
from ui.core.workers import Lane, ParallelJobs, Requests
from ui.imaging.image_view import ImageView, qimage_from_array
from ui.widgets.box_editor import BoxEditor
from ui.widgets.code import PythonHighlighter, is_dark, monospace_font
from ui.widgets.messages import Message, Said, words

#: Largest spin-box value: far past any picture, so a typed box past the edge
#: reaches the engine's check (and its message) instead of being cut silently.
#: The file name endings of the pictures the tool opens.
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
_OPEN_PATTERNS = " ".join("*" + suffix for suffix in PICTURE_SUFFIXES)
#: Side of the batch thumbnails, screen pixels.
_THUMBNAIL = 56
#: Pictures decoded at once: a newer request need not wait for an older one, and
#: memory stays bounded (a 50-megapixel RGBA picture is 200 MB).
_OPEN_WORKERS = 2


def _shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(int(n)) for n in shape) + ")"


# ------------------------------------------------------------------------ opening


@dataclass(frozen=True)
class _Picture:
    """A picture the tool holds, with the name shown for it (file or sample name).

    ``thumbnail`` is the batch bar's icon, made once (on the worker that decoded
    the picture, when opened asynchronously) instead of each time the bar changes.
    """

    name: str
    image: LoadedImage
    thumbnail: QImage | None = field(default=None, compare=False, repr=False)


def _thumbnail(array: np.ndarray) -> QImage:
    """The batch bar's icon of ``array``: may be made on any thread.

    Pillow scales (it lets the GUI thread run meanwhile; ``QImage.scaled`` would hold
    Python's lock for a large picture); only the small result becomes a QImage.
    """
    return qimage_from_array(imaging.thumbnail(array, _THUMBNAIL))


def _picture(name: str, image: LoadedImage) -> _Picture:
    return _Picture(name, image, _thumbnail(image.array))


# Loaders: each decodes one picture and returns it as a _Picture, raising TflabError
# for a problem the user can act on. The synchronous and the asynchronous paths use
# the same ones (the asynchronous one on a worker thread: no widgets in here).

def _file_loader(file: Path) -> Callable[[], _Picture]:
    return lambda: _picture(file.name, imaging.load_image(file))


def _sample_loader(name: str) -> Callable[[], _Picture]:
    def load() -> _Picture:
        sample = imaging.sample_image(name)
        return _picture(sample.name, imaging.load_image(sample.path))
    return load


def _bytes_loader(data: bytes, name: str | None, label: str) -> Callable[[], _Picture]:
    return lambda: _picture(label, imaging.load_image_bytes(data, name))


@dataclass(frozen=True)
class _OpenJob:
    """One picture being decoded on a worker: the name shown for it, and its future."""

    name: str
    future: Future


# ----------------------------------------------------------------------- cropping


@dataclass(frozen=True)
class CropRequest:
    """One press of Crop: the pictures (one, or the batch), their names and the box."""

    arrays: tuple[np.ndarray, ...]
    names: tuple[str, ...]
    box: BoundingBox
    batch: bool


@dataclass(frozen=True)
class CropResult:
    """What TensorFlow returned: ``array`` is 3-D, or 4-D for a batch."""

    request: CropRequest
    array: np.ndarray
    shape_before: tuple[int, ...]
    shape_after: tuple[int, ...]

    def pictures(self) -> list[np.ndarray]:
        """The cropped pictures, each ``[height, width, channels]``."""
        return list(self.array) if self.request.batch else [self.array]


def run_crop(request: CropRequest) -> CropResult:
    """Crop as ``request`` says with ``tf.image.crop_to_bounding_box`` (imports TensorFlow)."""
    if request.batch:
        batch = imaging.crop_batch(request.arrays, request.box, request.names)
        return CropResult(request, batch.array, batch.shape_before, batch.shape_after)
    image = request.arrays[0]
    array = imaging.crop(image, request.box)
    return CropResult(request, array, tuple(image.shape), tuple(array.shape))


# ------------------------------------------------------------------------ widgets


class _Preview(QWidget):
    """One cropped picture, scaled to fit: by whole factors when enlarged (sharp pixels)."""

    def __init__(self, array: np.ndarray, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._pixmap = QPixmap.fromImage(qimage_from_array(array))
        self._alpha = array.shape[2] == 4
        self._caption = caption
        self.setMinimumSize(48, 48)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setToolTip(caption)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        caption_height = self.fontMetrics().height() + 4 if self._caption else 0
        area = QRectF(self.rect().adjusted(2, 2, -2, -2 - caption_height))
        width, height = self._pixmap.width(), self._pixmap.height()
        scale = min(area.width() / width, area.height() / height)
        if scale >= 1:
            scale = math.floor(scale)
        target = QRectF(0, 0, width * scale, height * scale)
        target.moveCenter(area.center())
        if self._alpha:
            painter.fillRect(target, QColor(224, 224, 224))
        painter.setRenderHint(QPainter.SmoothPixmapTransform, scale < 1)
        painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        painter.setPen(self.palette().color(QPalette.Mid))
        painter.drawRect(target.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._caption:
            text_area = QRectF(0, target.bottom() + 2, self.width(), caption_height)
            painter.drawText(text_area, Qt.AlignHCenter | Qt.AlignTop,
                             self.fontMetrics().elidedText(self._caption, Qt.ElideMiddle, self.width()))
        painter.end()


class ResultPanel(QWidget):
    """The crop result: the tensor shapes and the cropped picture(s) side by side."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.shape_label = QLabel(self)
        self.shape_label.setFont(monospace_font())
        self.shape_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.PlaceholderText)
        self._note: Said = ""   # what the note says: written again when the language changes
        self._pictures = QWidget(self)
        self._row = QHBoxLayout(self._pictures)
        self._row.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.shape_label)
        layout.addWidget(self._pictures, 1)
        layout.addWidget(self.note)

    def show_pictures(self, shape_before: tuple[int, ...], shape_after: tuple[int, ...],
                      pictures: list[np.ndarray], captions: list[str]) -> None:
        """Show the shapes ``before -> after`` and the cropped ``pictures``."""
        self.shape_label.setText(f"{_shape_text(shape_before)} -> {_shape_text(shape_after)}")
        self._clear_pictures()
        for array, caption in zip(pictures, captions):
            self._row.addWidget(_Preview(array, caption, self._pictures))
        self._note = ""
        self.note.clear()

    def show_note(self, said: Said, keep_pictures: bool = False) -> None:
        """Show ``said`` (e.g. ``lambda: self.tr("Cropping…")``, written again when the
        language changes); without ``keep_pictures``, clear the result."""
        if not keep_pictures:
            self.shape_label.clear()
            self._clear_pictures()
        self._note = said
        self.note.setText(words(said))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.note.setText(words(self._note))
        super().changeEvent(event)

    def picture_count(self) -> int:
        return self._row.count()

    def _clear_pictures(self) -> None:
        while self._row.count():
            widget = self._row.takeAt(0).widget()
            widget.deleteLater()


class CodePanel(QWidget):
    """The exact Python call for the box, the equivalent slice, and why they agree.

    Signals:
        sigCopied(): the code was copied to the clipboard.
    """

    sigCopied = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._box: BoundingBox | None = None
        self._batch = False
        self.editor = QPlainTextEdit(self)
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.editor.setFont(monospace_font())
        self.editor.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        lines = 4
        self.editor.setFixedHeight(self.editor.fontMetrics().lineSpacing() * lines + 14)
        self.highlighter = PythonHighlighter(self.editor.document(), is_dark(self.palette()))
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy)
        self.lesson = QLabel(self)
        self.lesson.setWordWrap(True)
        self.lesson.setTextInteractionFlags(Qt.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.editor, 1)
        top.addWidget(self.copy_button, 0, Qt.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.lesson)
        self._retranslate()

    def set_box(self, box: BoundingBox | None, batch: bool) -> None:
        """Show the code for ``box`` (for a 4-D batch when ``batch``); None clears it."""
        self._box, self._batch = box, batch
        self._refresh()

    def code(self) -> str:
        return self.editor.toPlainText()

    @Slot()
    def copy(self) -> None:
        """Copy the code to the clipboard."""
        if self.code():
            QGuiApplication.clipboard().setText(self.code())
            self.sigCopied.emit()

    def _refresh(self) -> None:
        if self._box is None:
            self.editor.clear()
            self.lesson.clear()
        else:
            comment = self.tr("The same pixels, as a slice:")
            self.editor.setPlainText(
                f"{imaging.call_code(self._box, batch=self._batch)}\n"
                f"# {comment}\n"
                f"{imaging.slice_code(self._box, batch=self._batch)}\n")
            self.lesson.setText(imaging.code_lesson(self._box, language()))
        self.copy_button.setEnabled(self._box is not None)

    def _retranslate(self) -> None:
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the code to the clipboard"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
        super().changeEvent(event)


class BatchBar(QWidget):
    """The pictures of the batch as thumbnails, with the 4-D tensor shape.

    Signals:
        sigPicked(int): the user picked the picture at this index to show it.
        sigRemove(int): the user asked to remove the picture at this index.
    """

    sigPicked = Signal(int)
    sigRemove = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.IconMode)
        self.list.setFlow(QListWidget.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListWidget.Static)
        self.list.setIconSize(QSize(_THUMBNAIL, _THUMBNAIL))
        self.list.setFixedHeight(96)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.shape_label = QLabel(self)
        self.shape_label.setFont(monospace_font())
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(lambda: self.sigRemove.emit(self.list.currentRow()))
        side = QVBoxLayout()
        side.addWidget(self.shape_label)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(side)
        self._retranslate()

    def set_pictures(self, pictures: list[_Picture], current: int) -> None:
        """List ``pictures`` and select the one at ``current`` (no signal)."""
        self.list.blockSignals(True)
        self.list.clear()
        for index, picture in enumerate(pictures):
            thumbnail = picture.thumbnail if picture.thumbnail is not None else _thumbnail(picture.image.array)
            icon = QPixmap.fromImage(thumbnail)
            item = QListWidgetItem(icon, f"{index}: {picture.name}")
            item.setToolTip(f"images[{index}]: {picture.name} {_shape_text(picture.image.shape)}")
            self.list.addItem(item)
        self.list.setCurrentRow(current)
        self.list.blockSignals(False)
        shape = (len(pictures), *pictures[0].image.shape) if pictures else (0,)
        self.shape_label.setText(f"images.shape = {_shape_text(shape)}")
        self.remove_button.setEnabled(len(pictures) > 1)

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        if row >= 0:
            self.sigPicked.emit(row)

    def _retranslate(self) -> None:
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Take the selected picture out of the batch"))
        self.list.setToolTip(self.tr("The batch: every picture is cropped with the same box"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


# --------------------------------------------------------------------------- tool


class ImageTool(QWidget):
    """Open a picture, select a box, crop it with ``tf.image.crop_to_bounding_box``.

    The main window shows it as a tab and calls :meth:`shutdown` before quitting.

    Signals:
        sigStatus(str): a short message for the status bar.
        sigImageChanged(): the picture shown changed (opened, added or picked).
        sigCropped(): a crop finished; its result is shown (see :meth:`result`).
        sigCropFailed(str): a crop failed; the text (also shown in the tool) says why.
        sigOpenFinished(bool): the pictures asked for with an ``open_*_async`` method are
            open (or failed, their problems shown): True if every one opened. Not emitted
            for a request that a newer one replaced before it ended.
        sigCropSaved(str): the crop was written (its path).
    """

    sigStatus = Signal(str)
    sigImageChanged = Signal()
    sigCropped = Signal()
    sigCropFailed = Signal(str)
    sigOpenFinished = Signal(bool)
    sigCropSaved = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._pictures: list[_Picture] = []   # the batch, or the one picture open
        self._current = -1                    # index of the picture shown
        self._batch_mode = False
        self._result: CropResult | None = None
        self._last_dir = str(Path.home())
        # Crops run one at a time on a lane (made at the first crop); only the latest counts.
        self._cropper: Requests | None = None
        self._crop_saver: Requests | None = None  # writes the crop (on a lane of its own)
        self._opening: deque[_OpenJob] = deque()   # pictures being decoded, in the order asked
        self._open_problems: list[Said] = []       # problems of the pictures opened so far
        self._open_generation = 0                  # bumped when pending opens are dropped
        self._open_jobs = ParallelJobs("image-open", _OPEN_WORKERS, self._collect_opened)
        self._build()
        self.setAcceptDrops(True)
        self._hover_at = (-1, -1)   # the picture pixel under the mouse, or (-1, -1)
        self._retranslate()
        self.result_panel.show_note(lambda: self.tr("Press Crop to see what TensorFlow returns."))
        self._show_box(None)
        self._update_actions()
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.view = ImageView(self)
        self.view.sigSelectionChanged.connect(self._on_selection_changed)
        self.view.sigHover.connect(self._on_hover)
        self.view.sigZoomChanged.connect(self._on_zoom_changed)
        self.cursor_label = QLabel(self)
        self.cursor_label.setFont(monospace_font())
        self.cursor_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message = Message(self)
        self.box_editor = BoxEditor(self)
        self.box_editor.sigEdited.connect(self._on_box_edited)
        self.result_panel = ResultPanel(self)
        self.code_panel = CodePanel(self)
        self.code_panel.sigCopied.connect(lambda: self.sigStatus.emit(self.tr("Code copied to the clipboard.")))
        self.batch_bar = BatchBar(self)
        self.batch_bar.sigPicked.connect(self._show_picture)
        self.batch_bar.sigRemove.connect(self.remove_from_batch)
        self.batch_bar.hide()
        self._create_actions()

        self.crop_button = QPushButton(self)
        self.crop_button.setDefault(True)
        self.crop_button.clicked.connect(self.crop)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save_crop_dialog)
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_crop)
        result_buttons = QHBoxLayout()
        result_buttons.addWidget(self.save_button)
        result_buttons.addWidget(self.copy_button)
        result_buttons.addStretch(1)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.addWidget(self.box_editor)
        side_layout.addWidget(self.crop_button)
        side_layout.addWidget(_line(side))
        side_layout.addWidget(self.result_panel, 1)
        side_layout.addLayout(result_buttons)

        picture = QWidget(self)
        picture_layout = QVBoxLayout(picture)
        picture_layout.setContentsMargins(0, 0, 0, 0)
        picture_layout.setSpacing(2)
        picture_layout.addWidget(self.view, 1)
        picture_layout.addWidget(self.cursor_label)

        self.split = QSplitter(Qt.Horizontal, self)
        self.split.addWidget(picture)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([660, 440])
        self.split.setChildrenCollapsible(False)
        self.vsplit = QSplitter(Qt.Vertical, self)
        self.vsplit.addWidget(self.split)
        self.vsplit.addWidget(self.code_panel)
        self.vsplit.setStretchFactor(0, 1)
        self.vsplit.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.batch_bar)
        layout.addWidget(self.vsplit, 1)

    def _create_actions(self) -> None:
        def action(slot, shortcut=None, icon: QStyle.StandardPixmap | None = None) -> QAction:
            act = QAction(self)
            act.triggered.connect(slot)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            if icon is not None:
                act.setIcon(self.style().standardIcon(icon))
            self.addAction(act)
            return act

        self.act_open = action(self.open_dialog, icon=QStyle.SP_DialogOpenButton)
        self.act_batch = action(self.set_batch_mode)
        self.act_batch.setCheckable(True)
        self.act_zoom_out = action(self.view.zoom_out, QKeySequence.ZoomOut)
        self.act_zoom_in = action(self.view.zoom_in, QKeySequence.ZoomIn)
        self.act_fit = action(self.view.fit, "Ctrl+9")
        self.act_actual = action(self.view.actual_size, "Ctrl+0")
        self.act_select_all = action(self.view.select_all, QKeySequence.SelectAll)
        self.act_crop = action(self.crop, "Ctrl+Return")
        self.samples_menu = QMenu(self)
        self.samples_menu.aboutToShow.connect(self._fill_samples_menu)
        self.samples_button = QToolButton(self)
        self.samples_button.setMenu(self.samples_menu)
        self.samples_button.setPopupMode(QToolButton.InstantPopup)
        self.samples_button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("6400%") + 8)
        self.zoom_label.setAlignment(Qt.AlignCenter)

        separator = QAction(self)
        separator.setSeparator(True)
        self.view.addActions([self.act_select_all, self.act_crop, separator, self.act_fit, self.act_actual])
        self.view.setContextMenuPolicy(Qt.ActionsContextMenu)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.act_open)
        self.toolbar.addWidget(self.samples_button)
        self.toolbar.addAction(self.act_batch)
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.act_zoom_out, self.act_zoom_in])
        self.toolbar.addWidget(self.zoom_label)
        self.toolbar.addActions([self.act_fit, self.act_actual])
        self.opening_label = QLabel(self)   # "Opening photo.jpg…"; empty while nothing opens
        self.opening_label.setContentsMargins(12, 0, 6, 0)
        self.opening_label.setForegroundRole(QPalette.PlaceholderText)
        self.toolbar.addWidget(self.opening_label)

    def _retranslate(self) -> None:
        batch = self._batch_mode
        self.act_open.setText(self.tr("Add pictures…") if batch else self.tr("Open…"))
        self.act_open.setToolTip(self.tr("Add pictures of the same size to the batch") if batch
                                 else self.tr("Open a picture (PNG, JPEG, BMP, GIF, WebP, TIFF)"))
        self.samples_button.setText(self.tr("Add sample") if batch else self.tr("Samples"))
        self.samples_button.setToolTip(self.tr("Open one of the sample pictures that come with tflab"))
        self.act_batch.setText(self.tr("Batch"))
        self.act_batch.setToolTip(self.tr(
            "Batch mode: crop several pictures of the same size at once, as one 4-D tensor"))
        self.act_zoom_out.setText("−")
        self.act_zoom_out.setToolTip(self.tr("Zoom out (Ctrl+-, or the mouse wheel)"))
        self.act_zoom_in.setText("+")
        self.act_zoom_in.setToolTip(self.tr("Zoom in (Ctrl++, or the mouse wheel)"))
        self.act_fit.setText(self.tr("Fit"))
        self.act_fit.setToolTip(self.tr("Show the whole picture (Ctrl+9)"))
        self.act_actual.setText(self.tr("100%"))
        self.act_actual.setToolTip(self.tr("One screen pixel per picture pixel (Ctrl+0)"))
        self.act_select_all.setText(self.tr("Select all"))
        self.act_crop.setText(self.tr("Crop"))
        self.crop_button.setText(self.tr("Crop with tf.image.crop_to_bounding_box"))
        self.crop_button.setToolTip(self.tr("Run the TensorFlow call below on the picture (Ctrl+Enter)"))
        self.save_button.setText(self.tr("Save crop…"))
        self.save_button.setToolTip(self.tr("Save the cropped picture as PNG or JPEG"))
        self.copy_button.setText(self.tr("Copy crop"))
        self.copy_button.setToolTip(self.tr("Copy the cropped picture to the clipboard"))
        self.result_panel.title.setText(self.tr("Result"))
        self.view.set_placeholder(self.tr(
            "Open a picture, drop one here, or pick one of the samples.\n\n"
            "Then drag a box on it and press Crop."))
        self.view.setStatusTip(self.tr(
            "Drag to select a box, drag its handles to resize it; arrow keys move it by one pixel, "
            "Shift+arrows resize it. Wheel: zoom. Middle button: pan."))
        self._on_zoom_changed(self.view.zoom())
        self._on_hover(*self._hover_at)
        if self._opening:
            self._show_opening()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ state
    def image(self) -> LoadedImage | None:
        """The picture shown, or None."""
        return self._pictures[self._current].image if self._pictures else None

    def image_name(self) -> str:
        return self._pictures[self._current].name if self._pictures else ""

    def selection(self) -> BoundingBox | None:
        """The box selected on the picture (TensorFlow's order), or None."""
        return self.view.selection()

    def result(self) -> CropResult | None:
        """The latest crop, or None (none yet, or the pictures changed since)."""
        return self._result

    def batch_mode(self) -> bool:
        return self._batch_mode

    def batch_size(self) -> int:
        """How many pictures a crop would use (the batch, or the one picture)."""
        return len(self._pictures)

    # ------------------------------------------------------------------ opening
    @Slot()
    def open_dialog(self) -> None:
        """Ask for a picture (several in batch mode) and open it."""
        title = self.tr("Add pictures to the batch") if self._batch_mode else self.tr("Open a picture")
        filters = fill(self.tr("Pictures (%1);;All files (*)"), _OPEN_PATTERNS)
        if self._batch_mode:
            paths, _ = QFileDialog.getOpenFileNames(self, title, self._last_dir, filters)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, self._last_dir, filters)
            paths = [path] if path else []
        self.open_paths_async(paths)

    def open_path(self, path: str | Path) -> bool:
        """Open the picture at ``path`` now (in batch mode: add it to the batch).

        Decodes on the calling thread (for scripts and tests; the user's opens use
        :meth:`open_paths_async`). On failure the reason is shown, the picture open
        stays, and False is returned.
        """
        self._supersede_opening()
        return self._report([self._open_file(Path(path))])

    def open_sample(self, name: str) -> bool:
        """Open the bundled sample picture ``name`` now (in batch mode: add it)."""
        self._supersede_opening()
        return self._report([self._attempt(_sample_loader(name))])

    def open_bytes(self, data: bytes, name: str | None = None) -> bool:
        """Open a picture from its file contents now (e.g. dropped from a web browser)."""
        self._supersede_opening()
        return self._report([self._attempt(_bytes_loader(data, name, name or self.tr("dropped picture")))])

    def _open_file(self, file: Path) -> Said:
        """Open (or add) the picture in ``file``: the problem (see :data:`Said`), or ""."""
        self._last_dir = str(file.parent)
        return self._attempt(_file_loader(file))

    # ------------------------------------------------------------------ opening on workers
    def open_paths_async(self, paths: Iterable[str | Path]) -> None:
        """Open the first of ``paths`` (in batch mode: add them all) without blocking.

        The pictures are decoded on worker threads and shown (added) in order as each
        is ready; :attr:`sigOpenFinished` follows. Outside batch mode this replaces a
        request still decoding (the newest wins); in batch mode it adds to it.
        """
        chosen = [Path(path) for path in paths if str(path)]
        if not self._batch_mode:
            chosen = chosen[:1]
        if chosen:
            self._last_dir = str(chosen[-1].parent)
        self._open_async([(file.name, _file_loader(file)) for file in chosen])

    def open_sample_async(self, name: str) -> None:
        """Open the bundled sample picture ``name`` (in batch mode: add it) without blocking."""
        self._open_async([(name, _sample_loader(name))])

    def open_bytes_async(self, data: bytes, name: str | None = None) -> None:
        """Open a picture from its file contents (e.g. a drop) without blocking."""
        label = name or self.tr("dropped picture")
        self._open_async([(label, _bytes_loader(bytes(data), name, label))])

    def is_opening(self) -> bool:
        """Whether pictures asked for with an ``open_*_async`` method are still decoding."""
        return bool(self._opening)

    def _open_async(self, loaders: list[tuple[str, Callable[[], _Picture]]]) -> None:
        """Decode ``loaders`` ((name shown, loader)) on the workers, in order."""
        if not loaders:
            return
        self._supersede_opening()
        for name, load in loaders:
            self._opening.append(_OpenJob(name, self._open_jobs.submit(load)))
        self._show_opening()

    def _supersede_opening(self) -> None:
        """Outside batch mode a new request replaces one still decoding: drop the old one."""
        if not self._batch_mode:
            self._drop_opening()

    def _drop_opening(self) -> None:
        """Forget the pictures still decoding; a result that arrives later is ignored."""
        for job in self._opening:
            job.future.cancel()   # only stops a decode not started yet
        self._opening.clear()
        self._open_problems = []
        self._open_generation += 1
        self.opening_label.clear()

    def _show_opening(self) -> None:
        """The note naming the picture being decoded now (under the picture: not again in the
        status bar, where it outlived a failed decode next to its error)."""
        text = fill(self.tr("Opening %1…"), self._opening[0].name)
        if text != self.opening_label.text():
            self.opening_label.setText(text)

    @Slot()
    def _collect_opened(self) -> None:
        """On the GUI thread: show (add) the pictures that are ready, in the order asked."""
        if not self._opening:
            return          # a late result of a dropped request, or another tool's
        generation = self._open_generation
        while self._opening and self._opening[0].future.done():
            job = self._opening.popleft()
            problem = self._accept_opened(job)
            if generation != self._open_generation:
                return      # a slot of ours opened another picture meanwhile: that one counts
            self._open_problems.append(problem)
        if self._opening:
            self._show_opening()
            return
        self.opening_label.clear()
        problems, self._open_problems = self._open_problems, []
        self.sigOpenFinished.emit(self._report(problems))

    def _accept_opened(self, job: _OpenJob) -> Said:
        """Show (or add) the picture a worker decoded: the problem (see :data:`Said`), or ""."""
        try:
            picture = job.future.result()
        except TflabError as err:
            return err
        except Exception as err:  # noqa: BLE001 - every failure must reach the user
            name, kind, why = job.name, type(err).__name__, str(err)
            return lambda: fill(self.tr("%1 could not be opened (%2: %3)."), name, kind, why)
        return self._attempt(lambda: picture)

    def _attempt(self, load: Callable[[], _Picture]) -> Said:
        """Load a picture and show (or add) it: the problem (see :data:`Said`), or ""."""
        try:
            self._accept(load())
        except TflabError as err:
            return err
        return ""

    def _report(self, problems: list[Said]) -> bool:
        """Show the problems of an action (or clear the message): True if there were none.
        They are written again in the new language when it changes."""
        problems = [problem for problem in problems if problem]
        if not problems:
            self.message.clear_message()
        elif len(problems) == 1:
            self.message.show_error(problems[0])
        else:
            self.message.show_error(lambda: "\n\n".join(words(problem) for problem in problems))
        return not problems

    def _accept(self, picture: _Picture) -> None:
        """Show ``picture``; in batch mode, add it if it has the batch's shape (else raise)."""
        if self._batch_mode and self._pictures:
            first = self._pictures[0]
            imaging.check_batch_shapes([first.image.shape, picture.image.shape], [first.name, picture.name])
            self._pictures.append(picture)
        else:
            self._pictures = [picture]
        self._pictures_changed(len(self._pictures) - 1)
        image = picture.image
        self.sigStatus.emit(fill(self.tr("Opened %1: %2 × %3 pixels, tensor shape %4."), picture.name,
                                  image.width, image.height, _shape_text(image.shape)))

    def _pictures_changed(self, current: int) -> None:
        """The batch (or the picture) changed: the crop shown no longer applies."""
        if self._cropper is not None:
            self._cropper.drop()
        self._result = None
        self.result_panel.show_note(lambda: self.tr("Press Crop to see what TensorFlow returns."))
        self.batch_bar.set_pictures(self._pictures, current)
        self._show_picture(current)

    @Slot(int)
    def _show_picture(self, index: int) -> None:
        self._current = index
        self.view.set_image(self._pictures[index].image.array)
        self._show_box(self.view.selection())
        self._on_hover(-1, -1)
        self._update_actions()
        self.sigImageChanged.emit()

    # ------------------------------------------------------------------ batch
    @Slot(bool)
    def set_batch_mode(self, on: bool) -> None:
        """Crop several same-size pictures as one 4-D tensor (``on``), or one picture."""
        self.act_batch.setChecked(on)
        if on == self._batch_mode:
            return
        self._batch_mode = on
        self.batch_bar.setVisible(on)
        self._retranslate()
        if self._pictures:
            self._pictures = [self._pictures[self._current]]
            self._pictures_changed(0)
        else:
            self._show_box(None)
        self.sigStatus.emit(self.tr("Batch mode: pictures you open are added to the batch.") if on
                            else self.tr("Batch mode is off."))

    @Slot(int)
    def remove_from_batch(self, index: int) -> None:
        """Take the picture at ``index`` out of the batch (the last one always stays)."""
        if len(self._pictures) <= 1 or not 0 <= index < len(self._pictures):
            return
        del self._pictures[index]
        self._pictures_changed(min(index, len(self._pictures) - 1))

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if _dropped_files(event.mimeData()) or _dropped_image_format(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        mime = event.mimeData()
        files = _dropped_files(mime)
        image_format = _dropped_image_format(mime)
        if files:
            self.open_paths_async(files)
        elif image_format:
            self.open_bytes_async(bytes(mime.data(image_format).data()))
        else:
            event.ignore()
            return
        event.acceptProposedAction()

    # ------------------------------------------------------------------ selection
    @Slot(object)
    def _on_selection_changed(self, box: BoundingBox) -> None:
        self._show_box(box)

    def _show_box(self, box: BoundingBox | None) -> None:
        """Show ``box`` (the selection) in the spin boxes and as code."""
        self.box_editor.set_box(box)
        self.box_editor.message.clear_message()
        self.code_panel.set_box(box, self._batch_mode)
        if self._result is not None:
            stale = box != self._result.request.box
            self.result_panel.show_note(
                (lambda: self.tr("The box changed: press Crop again to update the result.")) if stale else "",
                keep_pictures=True)
        self._update_actions()

    def set_box(self, box: BoundingBox) -> bool:
        """Select ``box`` if it fits the picture; otherwise show why and keep the selection."""
        image = self.image()
        if image is None:
            return False
        try:
            box.validate(image.height, image.width)
        except TflabError as err:
            self.box_editor.message.show_error(err)
            self.code_panel.set_box(None, self._batch_mode)
            self._update_actions()
            return False
        self.view.set_selection(box)
        self._show_box(box)
        return True

    @Slot(object)
    def _on_box_edited(self, box: BoundingBox) -> None:
        self.set_box(box)

    def _box_is_valid(self) -> bool:
        return self.image() is not None and not self.box_editor.message.isVisibleTo(self.box_editor)

    # ------------------------------------------------------------------ cropping
    @Slot()
    def crop(self) -> None:
        """Crop the picture (or the batch) with the selection, on the worker thread."""
        box = self.selection()
        if box is None or not self._box_is_valid():
            return
        pictures = self._pictures if self._batch_mode else [self._pictures[self._current]]
        request = CropRequest(tuple(p.image.array for p in pictures), tuple(p.name for p in pictures),
                              box, self._batch_mode)
        if self._cropper is None:
            self._cropper = Requests(Lane("image-crop", self), self, doing=("cropping", "裁剪"))
            self._cropper.sigResult.connect(self._on_crop_done)
            self._cropper.sigError.connect(self._on_crop_failed)
        self.result_panel.show_note(lambda: self.tr(
            "Cropping… (the first crop loads TensorFlow, which takes a few seconds)"), keep_pictures=True)
        self._cropper.run(lambda: run_crop(request))

    @Slot(object)
    def _on_crop_done(self, result: CropResult) -> None:
        self._result = result
        self.message.clear_message()
        names = result.request.names
        captions = [f"images[{i}]: {name}" for i, name in enumerate(names)] if result.request.batch else [""]
        self.result_panel.show_pictures(result.shape_before, result.shape_after, result.pictures(), captions)
        self._show_box(self.selection())
        self.sigStatus.emit(fill(self.tr("Cropped: %1 -> %2."), _shape_text(result.shape_before),
                                  _shape_text(result.shape_after)))
        self.sigCropped.emit()

    @Slot(object)
    def _on_crop_failed(self, error: TflabError) -> None:
        self.result_panel.show_note("", keep_pictures=self._result is not None)
        self.message.show_error(error)
        self.sigCropFailed.emit(error.full())

    def _current_crop(self) -> np.ndarray | None:
        """The cropped picture that belongs to the picture shown (batch: its own crop)."""
        if self._result is None:
            return None
        pictures = self._result.pictures()
        return pictures[self._current] if self._result.request.batch else pictures[0]

    # ------------------------------------------------------------------ saving, copying
    @Slot()
    def save_crop_dialog(self) -> None:
        """Ask where to save the cropped picture, then save it."""
        if self._current_crop() is None:
            return
        png, jpeg = self.tr("PNG picture (*.png)"), self.tr("JPEG picture (*.jpg *.jpeg)")
        suggested = Path(self._last_dir) / f"{Path(self.image_name()).stem}_crop.png"
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Save crop"), str(suggested), f"{png};;{jpeg}")
        if not path:
            return
        if not Path(path).suffix:
            path += ".jpg" if chosen == jpeg else ".png"
        self._last_dir = str(Path(path).parent)
        self.save_crop_to(path)

    def save_crop_to(self, path: str | Path, replace: bool = False) -> None:
        """Save the cropped picture to ``path`` (PNG or JPEG by its extension), atomically,
        on a lane (a folder that does not answer never holds the window): ``sigCropSaved``
        when it is written, the tool's message why not. Over a picture being cropped the
        user is asked first (unless ``replace``): the lane looks, the window asks."""
        array = self._current_crop()
        if array is None:
            return
        pictures = [(p.image.path, p.name) for p in self._pictures]

        def save() -> tuple[str, object]:
            if not replace:
                original = next((name for where, name in pictures if imaging.same_file(where, path)), None)
                if original is not None:
                    return "ask", (original, path)
            return "written", imaging.save_image(array, path)

        if self._crop_saver is None:
            self._crop_saver = Requests(Lane("image-save", self), self, doing=("saving the crop", "保存裁剪结果"))
            self._crop_saver.sigResult.connect(self._on_crop_saved)
            self._crop_saver.sigError.connect(self.message.show_error)
        self._crop_saver.run(save)

    @Slot(object)
    def _on_crop_saved(self, answer: tuple[str, object]) -> None:
        kind, value = answer
        if kind == "ask":
            original, path = value
            reply = QMessageBox.question(
                self, self.tr("Replace the original?"),
                fill(self.tr("%1 is the picture you are cropping. Saving the crop there replaces the "
                              "original picture for good."), original),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if reply == QMessageBox.StandardButton.Save:
                self.save_crop_to(path, replace=True)
            return
        self.message.clear_message()
        self.sigStatus.emit(fill(self.tr("Crop saved to %1."), value))
        self.sigCropSaved.emit(str(value))

    @Slot()
    def copy_crop(self) -> bool:
        """Put the cropped picture on the clipboard."""
        array = self._current_crop()
        if array is None:
            return False
        QGuiApplication.clipboard().setImage(qimage_from_array(array))
        self.sigStatus.emit(fill(self.tr("Crop copied to the clipboard (%1 × %2 pixels)."),
                                  array.shape[1], array.shape[0]))
        return True

    # ------------------------------------------------------------------ feedback
    def _update_actions(self) -> None:
        has_image = self.image() is not None
        can_crop = has_image and self._box_is_valid()
        self.crop_button.setEnabled(can_crop)
        self.act_crop.setEnabled(can_crop)
        has_crop = self._current_crop() is not None
        self.save_button.setEnabled(has_crop)
        self.copy_button.setEnabled(has_crop)
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_fit, self.act_actual, self.act_select_all):
            act.setEnabled(has_image)

    @Slot(int, int)
    def _on_hover(self, x: int, y: int) -> None:
        self._hover_at = (x, y)
        image = self.image()
        if image is None:
            self.cursor_label.setText(self.tr("No picture open."))
        elif x < 0:
            self.cursor_label.setText(fill(self.tr("%1   %2 × %3 pixels   shape %4   %5"), self.image_name(),
                                            image.width, image.height, _shape_text(image.shape), image.mode))
        else:
            values = "[" + ", ".join(str(int(v)) for v in image.array[y, x]) + "]"
            kinds = {1: self.tr("gray"), 3: "RGB", 4: "RGBA"}
            self.cursor_label.setText(fill(self.tr("x %1, y %2   image[%2, %1] = %3 (%4)"), x, y,
                                            values, kinds[image.channels]))

    @Slot(float)
    def _on_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(fill(self.tr("%1%"), round(zoom * 100)))

    @Slot()
    def _fill_samples_menu(self) -> None:
        self.samples_menu.clear()
        try:
            samples = imaging.sample_images()
        except TflabError as err:
            self.message.show_error(err)
            return
        for sample in samples:
            act = self.samples_menu.addAction(f"{sample.name} — {sample.description(language())}")
            act.triggered.connect(partial(self.open_sample_async, sample.name))

    # ------------------------------------------------------------------ closing
    @Slot()
    def shutdown(self) -> None:
        """Stop the crop thread (waits for a running crop to end) and the opening.

        A picture still decoding is not waited for: it ends on its worker, which then
        exits, and its result is dropped.
        """
        self._drop_opening()
        self._open_jobs.shutdown()
        if self._cropper is not None:
            self._cropper.lane.shutdown()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)


def _line(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.HLine)
    line.setFrameShadow(QFrame.Sunken)
    return line


def _dropped_files(mime: QMimeData) -> list[str]:
    """The local files in a drag, in order."""
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


def _dropped_image_format(mime: QMimeData) -> str:
    """The first picture file format (e.g. ``image/png``) a drag carries, or ""."""
    return next((fmt for fmt in mime.formats() if fmt.startswith("image/")), "")
