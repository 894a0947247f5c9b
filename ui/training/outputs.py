"""Each output's loss and weight, for a model trained on named arrays.

``compile(loss={"digit": ..., "score": ...}, loss_weights={"digit": 1.0, "score": 0.5})``
as a small table: one row per model output, a loss ("automatic" suits the output's
labels) and the weight of that loss in the total the optimizer brings down.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QWidget

from tflab.trainer import LOSSES


class OutputsTable(QWidget):
    """One row per output: its name, its loss and its loss weight.

    Signals:
        sigChanged(): the user changed a loss or a weight.
    """

    sigChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._rows: dict[str, tuple[QLabel, QComboBox, QDoubleSpinBox]] = {}
        self._values: dict[str, dict] = {}
        self._names: list[str] = []

    def names(self) -> list[str]:
        return list(self._names)

    def set_outputs(self, names: list[str]) -> None:
        """Show a row for each of ``names`` (the model's outputs), with the values shown before."""
        if names == self._names:
            return
        self._values.update(self.settings())
        for label, loss, weight in self._rows.values():
            for widget in (label, loss, weight):
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._rows.clear()
        self._names = list(names)
        if names:
            for column, text in enumerate((self.tr("output"), self.tr("loss"), self.tr("weight"))):
                header = self._grid.itemAtPosition(0, column)
                if header is None:
                    self._grid.addWidget(QLabel(f"<i>{text}</i>", self), 0, column)
        for row, name in enumerate(names, start=1):
            label = QLabel(name, self)
            loss = QComboBox(self)
            loss.addItem(self.tr("automatic"), None)
            for key in LOSSES:
                loss.addItem(key, key)
            loss.setToolTip(self.tr("The loss of this output; automatic suits its labels"))
            weight = QDoubleSpinBox(self)
            weight.setRange(0.0, 1000.0)
            weight.setDecimals(2)
            weight.setSingleStep(0.1)
            weight.setValue(1.0)
            weight.setToolTip(self.tr("How much this output's loss counts in the total loss (loss_weights)"))
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(loss, row, 1)
            self._grid.addWidget(weight, row, 2)
            self._rows[name] = (label, loss, weight)
            self._show(name)
            loss.activated.connect(self._changed)
            weight.valueChanged.connect(self._changed)

    def settings(self) -> dict[str, dict]:
        """``{output: {"weight": w, "loss": name}}`` (no ``loss`` where it is automatic)."""
        values = {}
        for name, (_label, loss, weight) in self._rows.items():
            values[name] = {"weight": round(weight.value(), 4)}
            if loss.currentData() is not None:
                values[name]["loss"] = loss.currentData()
        return values

    def show_settings(self, outputs: dict) -> None:
        """Show saved settings (those of outputs not shown are kept for when they are)."""
        self._values = {name: dict(value) for name, value in outputs.items() if isinstance(value, dict)}
        for name in self._rows:
            self._show(name)

    def _show(self, name: str) -> None:
        _label, loss, weight = self._rows[name]
        saved = self._values.get(name, {})
        for widget in (loss, weight):
            widget.blockSignals(True)
        try:
            index = loss.findData(saved.get("loss")) if saved.get("loss") else 0
            loss.setCurrentIndex(max(index, 0))
            value = saved.get("weight", 1.0)
            weight.setValue(float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 1.0)
        finally:
            for widget in (loss, weight):
                widget.blockSignals(False)

    @Slot()
    def _changed(self) -> None:
        self.sigChanged.emit()
