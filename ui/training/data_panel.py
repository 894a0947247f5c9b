"""Choosing the data to train on, and seeing it as ``tf.data`` sees it.

:class:`DataPanel` is the form: a bundled data set (digits, iris), a generated 2-D set
(spiral, XOR, circles, two Gaussians, with size, noise and seed), or the user's own
CSV file (with the label column), NPZ file or folder of images (one sub-folder per
class); then the train / validation / test split and its seed. It shows the data's
description and licence. Each change loads the data again on a worker thread
(a moment after the last change), so a large folder never freezes the window.

:class:`DataPreview` shows the ``tf.data`` pipeline code that feeds the training
batches, the first elements of the data set and its ``element_spec`` (computed with
TensorFlow, on the same worker).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tflab import named_data, tfload
from tflab.datasets import (
    BUNDLED,
    CLASSIFICATION,
    DEFAULT_NOISE,
    GENERATED,
    NAMED,
    Dataset,
    Preview,
    load_dataset,
    pipeline_code,
    preview,
)
from tflab.messages import TflabError
from ui.core.code_comments import comments_language
from ui.core.text import fill
from ui.core.tf_loader import TfLoader
from ui.core.workers import Lane
from ui.widgets.code import show_code
from ui.widgets.messages import words

#: Quiet time after a change before the data is loaded again, in milliseconds.
RELOAD_DELAY_MS = 250
#: How many elements the preview shows.
PREVIEW_COUNT = 3
FILE, FOLDER = "file", "folder"
#: The data files the panel reads; any other path is taken for a folder of images. Told
#: by the name, not by asking the disk: the GUI thread never waits on a path that blocks.
FILE_SUFFIXES = (".csv", ".npz")


def _kind(path: str) -> str:
    return FILE if Path(path).suffix.lower() in FILE_SUFFIXES else FOLDER
TASKS = (None, "classification", "regression")


@dataclass(frozen=True)
class Loaded:
    """The answer of the worker for one version of the settings (``generation``).

    Either ``dataset`` with its ``preview`` (None while TensorFlow is not loaded), or
    ``error``: why these settings give no data.
    """

    generation: int
    dataset: Dataset | None = None
    preview: Preview | None = None
    error: TflabError | None = None
    key: tuple | None = None  #: what it was loaded from, for bundled and generated data (see _load_key)


def _load_key(spec: str, options: dict, with_preview: bool) -> tuple | None:
    """What loading ``spec`` with ``options`` gives is known by: the same key, the same
    data. Only for the bundled and generated sets (None for a file: it may have changed)."""
    if spec.lower() not in BUNDLED + GENERATED:
        return None
    return spec.lower(), tuple(sorted((k, repr(v)) for k, v in options.items())), with_preview


def csv_columns(path: Path) -> tuple[list[str], bool]:
    """The column names of a CSV file's first row (``column N`` without a header) and whether it is a header.

    Called on the data loader's thread: anything but an ordinary file (a FIFO would block
    it forever) gives no columns; loading it then explains why."""
    try:
        if not path.is_file():
            return [], False
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            text = handle.read(65536)
    except OSError:
        return [], False
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    first = next(csv.reader(text.splitlines()[:1], delimiter=delimiter), [])
    cells = [cell.strip() for cell in first]
    while cells and not cells[-1]:
        cells.pop()

    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    header = any(not number(cell) for cell in cells)
    return (cells if header else [f"column {i + 1}" for i in range(len(cells))]), header


def _load(spec: str, options: dict, generation: int, with_preview: bool,
          progress: Callable[[float], None] | None = None) -> Loaded:
    try:
        dataset = load_dataset(spec, progress, **options)
    except TflabError as err:
        return Loaded(generation, error=err)
    shown = None
    if with_preview:
        tfload.load()
        shown = preview(dataset.x, dataset.y, PREVIEW_COUNT)
    return Loaded(generation, dataset, shown, key=_load_key(spec, options, with_preview))


class DataPreview(QWidget):
    """The pipeline code, the first elements and the ``element_spec`` of the chosen data."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        mono = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        self.code = QPlainTextEdit(self)
        self.elements = QPlainTextEdit(self)
        for edit in (self.code, self.elements):
            edit.setReadOnly(True)
            edit.setFont(mono)
            edit.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.spec = QLabel(self)
        self.spec.setFont(mono)
        self.spec.setWordWrap(True)
        self.spec.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._titles = [QLabel(self) for _ in range(3)]
        self._message: Callable[[], str] | str = ""  # what stands where the preview would be
        self._shown: Preview | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self._titles[0])
        layout.addWidget(self.code, 2)
        layout.addWidget(self._titles[1])
        layout.addWidget(self.elements, 2)
        layout.addWidget(self._titles[2])
        layout.addWidget(self.spec)
        self._retranslate()

    def _retranslate(self) -> None:
        self._titles[0].setText(self.tr("The <code>tf.data</code> pipeline that feeds the training batches "
                                        "(<code>x</code>, <code>y</code>: the training part):"))
        self._titles[1].setText(self.tr("The first elements of "
                                        "<code>tf.data.Dataset.from_tensor_slices((x, y))</code>:"))
        self._titles[2].setText(self.tr("Its <code>element_spec</code> (the type and shape of one element):"))
        if self._shown is None:
            self.elements.setPlainText(words(self._message))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def set_code(self, code: str) -> None:
        show_code(self.code, code)

    def set_preview(self, shown: Preview | None, message: Callable[[], str] | str = "") -> None:
        """Show a preview, or ``message`` where it would be (a function that writes it:
        written again when the language changes)."""
        self._shown = shown
        if shown is None:
            self._message = message
            self.elements.setPlainText(words(message))
            self.spec.setText("")
            return
        self._message = ""
        self.elements.setPlainText("\n\n".join(shown.elements))
        self.spec.setText(shown.element_spec)


class DataPanel(QWidget):
    """The data form; see the module docstring. ``preview_widget`` shows the pipeline.

    Signals:
        sigChanged(): the user changed the data or split settings.
        sigLoaded(object): the Dataset of the current settings (loaded on a worker).
        sigLoadFailed(object): the current settings give no data (a TflabError, also shown).
    """

    sigChanged = Signal()
    sigLoaded = Signal(object)
    sigLoadFailed = Signal(object)

    def __init__(self, tf_loader: TfLoader | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._tf = tf_loader
        self._lane = Lane("data-loader", self)
        self._loader = self._lane.worker
        self._loader.sigResult.connect(self._on_loaded)
        self._loader.sigError.connect(self._on_error)
        self._loader.sigProgress.connect(self._on_progress)
        self._generation = 0
        self._busy = False      # the loader works on a request
        self._again = False     # the settings changed meanwhile: load once more when it is done
        self._loaded_key: tuple | None = None  # what self.dataset was loaded from (bundled or generated data)
        self._batching = (32, True)  # batch size and shuffling, for the pipeline code
        self._paths = {FILE: "", FOLDER: ""}
        self._columns_for: tuple[str, object, bool] | None = None  # a CSV whose columns are being read
        self.dataset: Dataset | None = None
        self.load_error: TflabError | None = None  # why the data shown last could not be loaded
        #: The model's inputs and outputs (from the editor's graph): named arrays are matched to them.
        self._ports: tuple[list[named_data.Port], list[named_data.Port]] = ([], [])
        self.preview_widget = DataPreview()

        # Every text is written in _retranslate.
        self.source = QComboBox(self)
        for key in ("mnist", "digits", "iris", "spiral", "xor", "circles", "gauss", FILE, FOLDER):
            self.source.addItem("", key)
        self.source.activated.connect(self._on_source_chosen)

        self.samples = self._spin(4, 100_000, 200)
        self.noise = QDoubleSpinBox(self)
        self.noise.setRange(0.0, 2.0)
        self.noise.setSingleStep(0.05)
        self.noise.setValue(0.1)
        self.noise.valueChanged.connect(self._changed)
        self.data_seed = self._spin(0, 2**31 - 1, 0)

        self.path_label = QLabel(self)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.browse_button = QPushButton(self)
        self.browse_button.clicked.connect(self.browse)
        self.label_column = QComboBox(self)
        self.label_column.activated.connect(self._changed)
        self.task = QComboBox(self)
        for _task in TASKS:
            self.task.addItem("")
        self.task.activated.connect(self._changed)
        self.image_size = self._spin(4, 256, 32)
        self.color = QComboBox(self)
        self.color.addItem("", "grayscale")
        self.color.addItem("", "rgb")
        self.color.activated.connect(self._changed)

        self.validation = self._spin(0, 90, 20)
        self.test = self._spin(0, 90, 10)
        for spin in (self.validation, self.test):
            spin.setSuffix(" %")
        self.seed = self._spin(0, 2**31 - 1, 0)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._info: Callable[[], str] | str = ""  # what self.info says (see _say)

        path_row = QHBoxLayout()
        path_row.addWidget(self.path_label, 1)
        path_row.addWidget(self.browse_button)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self._rows: dict[str, list[QWidget]] = {}
        #: The labels of the form's rows, by name.
        self._labels: dict[str, QLabel] = {}
        self._add_row(form, "", "source", self.source)
        self._add_row(form, "generated", "samples", self.samples)
        self._add_row(form, "generated", "noise", self.noise)
        self._add_row(form, "generated", "data_seed", self.data_seed)
        self._add_row(form, "path", "path", path_row)
        self._add_row(form, "csv", "label_column", self.label_column)
        self._add_row(form, "table", "task", self.task)
        self._add_row(form, "folder", "image_size", self.image_size)
        self._add_row(form, "folder", "color", self.color)
        split_row = QHBoxLayout()
        for name, spin in (("validation_part", self.validation), ("test_part", self.test)):
            self._labels[name] = QLabel(self)
            split_row.addWidget(self._labels[name])
            split_row.addWidget(spin)
        split_row.addStretch(1)
        self._add_row(form, "", "split", split_row)
        self._add_row(form, "", "seed", self.seed)
        form.addRow(self.info)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RELOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        if tf_loader is not None:
            tf_loader.sigReady.connect(self.reload)
        self._show_rows()
        self._update_code()
        self._retranslate()
        self._timer.start()

    # ------------------------------------------------------------------ building
    def _spin(self, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.valueChanged.connect(self._changed)
        return spin

    def _add_row(self, form: QFormLayout, group: str, name: str, field) -> None:
        """A row labelled ``_labels[name]``, shown with its ``group`` (none: always)."""
        label = self._labels[name] = QLabel(self)
        form.addRow(label, field)
        if group:
            widgets = [label, field] if isinstance(field, QWidget) else [label, self.path_label, self.browse_button]
            self._rows.setdefault(group, []).extend(widgets)

    def _retranslate(self) -> None:
        sources = (
            self.tr("MNIST: 28x28 handwritten digits"),
            self.tr("Digits: 8x8 handwritten digits"),
            self.tr("Iris flowers"),
            self.tr("Spiral (2-D)"),
            self.tr("XOR (2-D)"),
            self.tr("Circles (2-D)"),
            self.tr("Two Gaussians (2-D)"),
            self.tr("Your CSV or NPZ file..."),
            self.tr("Your folder of images..."),
        )
        for index, text in enumerate(sources):
            self.source.setItemText(index, text)
        self.samples.setToolTip(self.tr("How many points to generate"))
        self.noise.setToolTip(self.tr("How much random jitter the points get"))
        self.data_seed.setToolTip(self.tr("The seed of the random generator that makes the points"))
        self.browse_button.setText(self.tr("Browse..."))
        self.label_column.setToolTip(self.tr("The column that holds the labels (what the model learns to predict)"))
        for index, text in enumerate((self.tr("automatic"), self.tr("classes"), self.tr("numbers (regression)"))):
            self.task.setItemText(index, text)
        self.task.setToolTip(self.tr("Whether the labels are classes or numbers to predict"))
        self.image_size.setToolTip(self.tr("Pictures are resized to this many pixels per side"))
        self.color.setItemText(0, self.tr("grayscale"))
        self.color.setItemText(1, self.tr("colour (RGB)"))
        self.validation.setToolTip(self.tr("Share of the data kept aside to validate after each epoch"))
        self.test.setToolTip(self.tr("Share of the data kept aside for the final test"))
        self.seed.setToolTip(self.tr(
            "Seed for the split, the shuffling of the batches and the model's initial weights"))
        labels = self._labels
        labels["source"].setText(self.tr("Data set:"))
        labels["samples"].setText(self.tr("Points:"))
        labels["noise"].setText(self.tr("Noise:"))
        labels["data_seed"].setText(self.tr("Data seed:"))
        labels["path"].setText(self.tr("File:"))
        labels["label_column"].setText(self.tr("Label column:"))
        labels["task"].setText(self.tr("Labels are:"))
        labels["image_size"].setText(self.tr("Image size:"))
        labels["color"].setText(self.tr("Colours:"))
        labels["validation_part"].setText(self.tr("validation"))
        labels["test_part"].setText(self.tr("test"))
        labels["split"].setText(self.tr("Split:"))
        labels["seed"].setText(self.tr("Seed:"))
        self._show_path()
        self.info.setText(words(self._info))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._update_code()  # the pipeline's comments follow the language
        super().changeEvent(event)

    def _say(self, said: Callable[[], str] | str) -> None:
        """Write ``said`` under the form: a function that writes the text (written again
        when the language changes), or a text."""
        self._info = said
        self.info.setText(words(said))

    # ------------------------------------------------------------------ settings
    def spec(self) -> str:
        """The data set's name, or the path of the user's file or folder ("" when none is chosen)."""
        key = self.source.currentData()
        return self._paths[key] if key in self._paths else key

    def options(self) -> dict:
        """The options for ``load_dataset`` that apply to the chosen data."""
        key = self.source.currentData()
        if key in GENERATED:
            return {"n_samples": self.samples.value(), "noise": round(self.noise.value(), 4),
                    "seed": self.data_seed.value()}
        if key == FOLDER:
            return {"image_size": self.image_size.value(), "color": self.color.currentData()}
        if key != FILE:
            return {}
        options = {}
        if self.task.currentIndex():
            options["task"] = TASKS[self.task.currentIndex()]
        if self._is_csv() and self.label_column.count():
            options["label_column"] = self.label_column.currentData()
        return options

    def settings(self) -> dict:
        """The data and split settings as saved in a project's ``training`` section."""
        return {"dataset": self.spec(), "data_options": self.options(),
                "validation": self.validation.value() / 100, "test": self.test.value() / 100,
                "seed": self.seed.value()}

    def set_settings(self, values: dict) -> None:
        """Show saved settings (what does not apply or is not valid is left as it is)."""
        spec = str(values.get("dataset") or "mnist")
        options = values.get("data_options") if isinstance(values.get("data_options"), dict) else {}
        key = spec.lower() if spec.lower() in BUNDLED + GENERATED else _kind(spec)
        if key in self._paths:
            self._paths[key] = spec
        self.source.setCurrentIndex(self.source.findData(key))
        widgets = (self.samples, self.noise, self.data_seed, self.image_size, self.validation, self.test,
                   self.seed, self.label_column, self.task, self.color)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._set_options(key, options)
            for spin, name in ((self.validation, "validation"), (self.test, "test")):
                if isinstance(values.get(name), (int, float)):
                    spin.setValue(round(values[name] * 100))
            if isinstance(values.get("seed"), int):
                self.seed.setValue(values["seed"])
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._show_rows()
        self._update_code()
        self._timer.start()

    def _set_options(self, key: str, options: dict) -> None:
        numbers = {"n_samples": self.samples, "noise": self.noise, "seed": self.data_seed,
                   "image_size": self.image_size}
        for name, spin in numbers.items():
            if isinstance(options.get(name), (int, float)) and not isinstance(options.get(name), bool):
                spin.setValue(options[name])
        self.task.setCurrentIndex(TASKS.index(options.get("task")) if options.get("task") in TASKS else 0)
        if options.get("color") in ("grayscale", "rgb"):
            self.color.setCurrentIndex(self.color.findData(options["color"]))
        if key == FILE:
            self._fill_columns(options.get("label_column", -1))

    def set_ports(self, inputs: list[named_data.Port], outputs: list[named_data.Port]) -> None:
        """The model's inputs and outputs: a file of named arrays shows which feeds which."""
        if (inputs, outputs) == self._ports:
            return
        self._ports = (inputs, outputs)
        if self.dataset is not None and self.dataset.task == NAMED:
            dataset = self.dataset
            self._say(lambda: self._describe(dataset))

    def set_batching(self, batch_size: int, shuffle: bool) -> None:
        """The batch size and shuffling shown in the pipeline code."""
        self._batching = (batch_size, shuffle)
        self._update_code()

    # ------------------------------------------------------------------ files
    def _is_csv(self) -> bool:
        return Path(self._paths[FILE]).suffix.lower() == ".csv"

    @Slot()
    def browse(self) -> None:
        """Ask for the user's file or folder (for the source chosen now)."""
        key = self.source.currentData()
        current = self._paths.get(key) or str(Path.home())
        if key == FOLDER:
            path = QFileDialog.getExistingDirectory(self, self.tr("Choose a Folder of Images"), current)
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a Data File"), current,
                                                  self.tr("Data files (*.csv *.npz)"))
        if path:
            self.set_path(path)

    def set_path(self, path: str) -> None:
        """Use ``path`` (a .csv / .npz file or a folder of images) as the data."""
        key = _kind(path)
        self._paths[key] = path
        self.source.setCurrentIndex(self.source.findData(key))
        if key == FILE and self._is_csv():
            self._fill_columns(-1, announce=True)  # the change is announced with the columns
        else:
            self.label_column.clear()
            self._changed()

    def _fill_columns(self, wanted, announce: bool = False) -> None:
        """List the CSV file's columns and select ``wanted`` (a name or index; -1: the last).

        The file is read on the loader's thread (a file on a share that stopped answering
        would block the window); the data loads once the columns are known, and with
        ``announce`` the change is then announced as the user's."""
        self.label_column.clear()
        if not self._is_csv():
            return
        path = self._paths[FILE]
        self._columns_for = (path, wanted, announce)
        self._loader.call(("columns", path), lambda: csv_columns(Path(path)))

    def _on_columns(self, path: str, found: tuple[list[str], bool]) -> None:
        if self._columns_for is None or self._columns_for[0] != path:
            return  # another file was chosen meanwhile
        _path, wanted, announce = self._columns_for
        self._columns_for = None
        names, header = found
        self.label_column.blockSignals(True)
        try:
            for index, name in enumerate(names):
                self.label_column.addItem(name, name if header else index)
            found_at = self.label_column.findData(wanted) if not isinstance(wanted, int) else -1
            if isinstance(wanted, int) and names:
                found_at = wanted % len(names) if -len(names) <= wanted < len(names) else len(names) - 1
            self.label_column.setCurrentIndex(found_at if found_at >= 0 else len(names) - 1)
        finally:
            self.label_column.blockSignals(False)
        if announce:
            self._changed()
        else:
            self._timer.start()

    @Slot(int)
    def _on_source_chosen(self, _index: int) -> None:
        key = self.source.currentData()
        if key in self._paths and not self._paths[key]:
            self.browse()
        if key in DEFAULT_NOISE:  # the noise that shows this set's pattern
            self.noise.blockSignals(True)
            self.noise.setValue(DEFAULT_NOISE[key])
            self.noise.blockSignals(False)
        self._changed()

    # ------------------------------------------------------------------ loading
    @Slot()
    def _changed(self) -> None:
        self._show_rows()
        self._update_code()
        self._timer.start()
        self.sigChanged.emit()

    def _show_rows(self) -> None:
        key = self.source.currentData()
        shown = {"generated"} if key in GENERATED else set()
        if key in self._paths:
            shown.add("path")
            named = self.dataset is not None and self.dataset.task == NAMED
            shown.add("folder" if key == FOLDER else "table" if not named else "path")
            if key == FILE and self._is_csv():
                shown.add("csv")
        for group, widgets in self._rows.items():
            for widget in widgets:
                widget.setVisible(group in shown)
        self._show_path()

    def _show_path(self) -> None:
        key = self.source.currentData()
        if key in self._paths:
            self.path_label.setText(self._paths[key] or self.tr("(none chosen)"))

    def _update_code(self) -> None:
        self.preview_widget.set_code(pipeline_code(*self._batching, self.seed.value(), comments_language()))

    def loading(self) -> bool:
        """Whether data is being read on the worker thread now."""
        return self._busy

    @Slot()
    def reload(self) -> None:
        """Load the data of the current settings on the worker thread (once it is free)."""
        self._timer.stop()
        if self._columns_for is not None:
            return  # loads when the CSV file's columns are known (_on_columns)
        if self._busy:  # loaded when the data loading now is done; meanwhile say it is not shown yet
            self._again = True
            self._say(lambda: self.tr("Loading the data..."))
            return
        spec = self.spec()
        self._generation += 1
        if not spec:
            self.dataset = None
            self._say(lambda: self.tr("Choose a file or folder with Browse..."))
            self.preview_widget.set_preview(None, "")
            return
        with_preview = self._tf is None or self._tf.is_ready()
        generation, options = self._generation, self.options()
        key = _load_key(spec, options, with_preview)
        if self.dataset is not None and key is not None and self._loaded_key == key:
            # The same bundled or generated data (a project opened with the data already
            # shown): nothing to read again, and nothing beside the window's work.
            self.sigLoaded.emit(self.dataset)
            return
        self._busy = True
        self._say(lambda: self.tr("Loading the data..."))
        progress = self._loader.progress(generation)
        self._loader.call(generation, lambda: _load(spec, options, generation, with_preview, progress))

    @Slot(object, float)
    def _on_progress(self, key: object, fraction: float) -> None:
        if key == self._generation and self._busy:
            self._say(lambda: fill(self.tr("Loading the data... %1%"), str(round(fraction * 100))))

    @Slot(object, object)
    def _on_loaded(self, key: object, loaded: Loaded) -> None:
        if isinstance(key, tuple):  # ("columns", path): the columns of a CSV file
            self._on_columns(key[1], loaded)
            return
        self._answered()
        if loaded.generation != self._generation:
            return
        if loaded.error is not None:
            self._show_error(loaded.error)
            return
        self.dataset, self.load_error = loaded.dataset, None
        self._loaded_key = loaded.key
        self._show_rows()
        dataset = loaded.dataset
        self._say(lambda: self._describe(dataset))
        self.preview_widget.set_preview(loaded.preview, lambda: self.tr("The preview appears once TensorFlow is loaded."))
        self.sigLoaded.emit(loaded.dataset)

    @Slot(object, object)
    def _on_error(self, key: object, err: TflabError) -> None:
        if isinstance(key, tuple):  # reading the columns failed: the load says why
            self._on_columns(key[1], ([], False))
            return
        self._answered()
        self._show_error(err)

    def _answered(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.reload()

    def _show_error(self, err: TflabError) -> None:
        self.dataset, self.load_error, self._loaded_key = None, err, None
        self._say(lambda: f"<span style='color:#c62828'>{_escape(err.full())}</span>")
        self.preview_widget.set_preview(None, lambda: self.tr(
            "Nothing to show: the data could not be loaded (the reason is written under the data settings)."))
        self.sigLoadFailed.emit(err)

    def _describe(self, dataset: Dataset) -> str:
        if dataset.task == NAMED:
            return self._describe_named(dataset)
        if dataset.task == CLASSIFICATION:
            labels = fill(self.tr("%1 classes"), str(dataset.num_classes))
        else:
            labels = self.tr("numbers to predict (regression)")
        size = fill(self.tr("%1 samples of shape %2, %3"), str(len(dataset)), str(dataset.input_shape), labels)
        lines = [f"<b>{_escape(size)}</b>", _escape(dataset.description())]
        if dataset.licence:
            lines.append(_escape(fill(self.tr("Licence: %1"), dataset.licence_text())))
        if dataset.skipped:
            lines.append(_escape(fill(self.tr("%1 files could not be read."), str(len(dataset.skipped)))))
        return "<br>".join(lines)

    def _describe_named(self, dataset: Dataset) -> str:
        """Named arrays: which array feeds which input, which holds which output's labels,
        what is missing (in red) and what is left out."""
        arrays = dataset.x
        size = fill(self.tr("%1 samples in %2 named arrays"), str(len(dataset)), str(len(arrays)))
        lines = [f"<b>{_escape(size)}</b>"]
        inputs, outputs = self._ports
        match = named_data.matches(arrays, inputs, outputs)
        red = "<span style='color:#c62828'>%s</span>"
        for port in inputs:
            if match.inputs[port.name] is None:
                text = fill(self.tr("no array named %1 for the input %1"), repr(port.name))
                lines.append(red % _escape(text))
            else:
                text = fill(self.tr("%1 %2 → input %3"), port.name, str(arrays[port.name].shape[1:]), repr(port.name))
                lines.append(_escape(text))
        for port in outputs:
            if match.outputs[port.name] is None:
                text = fill(self.tr("no array named %1 for the labels of the output %1"), repr(port.name))
                lines.append(red % _escape(text))
            else:
                text = fill(self.tr("%1 → labels of the output %2"), port.name, repr(port.name))
                lines.append(_escape(text))
        if match.unused:
            lines.append(_escape(fill(self.tr("not used: %1"), ", ".join(match.unused))))
        if not match.complete:
            lines.append(_escape(self.tr("Name each array after the model input or output it is for: "
                                         "numpy.savez(path, name=array, ...).")))
        return "<br>".join(lines)

    def shutdown(self, deadline: QDeadlineTimer | None = None) -> None:
        """Wait for a load in progress (until ``deadline``: a big file is left reading
        when the window closes) and end the loader's thread."""
        self._timer.stop()
        self._lane.shutdown(deadline)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
