"""The four arguments of ``tf.image.crop_to_bounding_box`` as spin boxes.

Shared by the image tool and the crop lab: both edit the same
:class:`~tflab.imaging.BoundingBox` (y first, as TensorFlow orders them).
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox, QWidget

from tflab.imaging import BoundingBox
from ui.widgets.code import monospace_font
from ui.widgets.messages import Message

#: The largest value a spin box takes (the engine explains values beyond the picture).
SPIN_LIMIT = 1_000_000


class BoxEditor(QWidget):
    """The four arguments of ``crop_to_bounding_box`` as spin boxes.

    Typed values apply on Enter (or when the focus leaves); the arrows and the
    wheel apply at once. The values are not checked here: the tool checks them
    against the picture and shows the engine's message in :attr:`message`.

    Signals:
        sigEdited(object): the user changed a value; the BoundingBox the four values make.
    """

    sigEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        self.title = QLabel(self)
        grid.addWidget(self.title, 0, 0, 1, 3)
        self.spins: dict[str, QSpinBox] = {}
        self._hints: dict[str, QLabel] = {}
        for row, name in enumerate((box_field.name for box_field in fields(BoundingBox)), start=1):
            label = QLabel(name, self)
            label.setFont(monospace_font())
            spin = QSpinBox(self)
            spin.setRange(-SPIN_LIMIT, SPIN_LIMIT)
            spin.setKeyboardTracking(False)
            spin.setAccelerated(True)
            spin.setMinimumWidth(90)
            spin.setAlignment(Qt.AlignRight)
            spin.valueChanged.connect(self._on_value_changed)
            label.setBuddy(spin)
            hint = QLabel(self)
            hint.setForegroundRole(QPalette.PlaceholderText)
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(hint, row, 2)
            self.spins[name] = spin
            self._hints[name] = hint
        grid.setColumnStretch(2, 1)
        self.message = Message(self)
        grid.addWidget(self.message, 5, 0, 1, 3)
        self._retranslate()

    def box(self) -> BoundingBox:
        """The box the four values make now (maybe not a valid one)."""
        return BoundingBox(**{name: spin.value() for name, spin in self.spins.items()})

    def set_box(self, box: BoundingBox | None) -> None:
        """Show ``box`` (None: empty and disabled) without emitting :attr:`sigEdited`."""
        for name, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(getattr(box, name) if box else 0)
            spin.blockSignals(False)
            spin.setEnabled(box is not None)

    @Slot(int)
    def _on_value_changed(self, _value: int) -> None:
        self.sigEdited.emit(self.box())

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Box: the arguments of tf.image.crop_to_bounding_box"))
        hints = {
            "offset_height": self.tr("y: rows skipped from the top"),
            "offset_width": self.tr("x: columns skipped from the left"),
            "target_height": self.tr("height: rows kept"),
            "target_width": self.tr("width: columns kept"),
        }
        for name, text in hints.items():
            self._hints[name].setText(text)
            self.spins[name].setToolTip(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
