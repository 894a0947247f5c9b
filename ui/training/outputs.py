"""Each output's loss, weight and metrics, for a model trained on named arrays.

``compile(loss={"digit": ..., "score": ...}, loss_weights={"digit": 1.0, "score": 0.5},
metrics={"digit": [...], ...})`` as a small table: one row per model output, a loss
("automatic" suits the output's labels), the weight of that loss in the total the
optimizer brings down, and the metrics measured on it ("automatic": accuracy for
classes, mae for numbers).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QMenu, QToolButton, QWidget

from tflab.trainer import LOSSES, METRICS


class OutputsTable(QWidget):
    """One row per output: its name, its loss, its loss weight and its metrics.

    Signals:
        sigChanged(): the user changed a loss or a weight.
    """

    sigChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._rows: dict[str, tuple[QLabel, QComboBox, QDoubleSpinBox, QToolButton]] = {}
        self._values: dict[str, dict] = {}
        self._names: list[str] = []
        self._headers: list[QLabel] = []  # output, loss, weight, metrics: once there are outputs

    def names(self) -> list[str]:
        return list(self._names)

    def set_outputs(self, names: list[str]) -> None:
        """Show a row for each of ``names`` (the model's outputs), with the values shown before."""
        if names == self._names:
            return
        self._values.update(self.settings())
        for row in self._rows.values():
            for widget in row:
                self._grid.removeWidget(widget)
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self._rows.clear()
        self._names = list(names)
        if names and not self._headers:
            for column in range(4):
                header = QLabel(self)
                self._grid.addWidget(header, 0, column)
                self._headers.append(header)
        for row, name in enumerate(names, start=1):
            label = QLabel(name, self)
            loss = QComboBox(self)
            # Narrow: the loss names are long, and the settings column is not wide.
            loss.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            loss.setMinimumContentsLength(9)
            loss.addItem("", None)  # "automatic", and the tips: written in _retranslate
            for key in LOSSES:
                loss.addItem(key, key)
            weight = QDoubleSpinBox(self)
            weight.setRange(0.0, 1000.0)
            weight.setDecimals(2)
            weight.setSingleStep(0.1)
            weight.setValue(1.0)
            metrics = self._metrics_button()
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(loss, row, 1)
            self._grid.addWidget(weight, row, 2)
            self._grid.addWidget(metrics, row, 3)
            self._rows[name] = (label, loss, weight, metrics)
            self._show(name)
            loss.activated.connect(self._changed)
            weight.valueChanged.connect(self._changed)
        self._retranslate()

    def _retranslate(self) -> None:
        for header, text in zip(self._headers, (self.tr("output"), self.tr("loss"), self.tr("weight"),
                                                self.tr("metrics"))):
            header.setText(f"<i>{text}</i>")
        for _label, loss, weight, metrics in self._rows.values():
            loss.setItemText(0, self.tr("automatic"))
            loss.setToolTip(self.tr("The loss of this output; automatic suits its labels"))
            weight.setToolTip(self.tr("How much this output's loss counts in the total loss (loss_weights)"))
            metrics.setToolTip(self.tr("The metrics measured on this output; automatic: accuracy for classes, "
                                       "mae for numbers"))
            self._label_metrics(metrics)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _metrics_button(self) -> QToolButton:
        """A button whose menu ticks the metrics of one output; none ticked: automatic."""
        button = QToolButton(self)
        button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(button)
        for key in METRICS:
            action = QAction(key, menu)
            action.setCheckable(True)
            action.setData(key)
            action.toggled.connect(lambda _on, b=button: self._metrics_toggled(b))
            menu.addAction(action)
        button.setMenu(menu)
        return button

    def _metrics_toggled(self, button: QToolButton) -> None:
        self._label_metrics(button)
        if not button.signalsBlocked():
            self._changed()

    def _label_metrics(self, button: QToolButton) -> None:
        chosen = _chosen(button)
        button.setText(", ".join(chosen) if chosen else self.tr("automatic"))

    def set_metrics(self, name: str, metrics: list[str]) -> None:
        """Tick ``metrics`` for the output ``name`` (none: automatic), as the user would."""
        button = self._rows[name][3]
        for action in button.menu().actions():
            action.setChecked(action.data() in metrics)

    def settings(self) -> dict[str, dict]:
        """``{output: {"weight": w, "loss": name, "metrics": [...]}}`` (no ``loss`` or
        ``metrics`` where they are automatic)."""
        values = {}
        for name, (_label, loss, weight, metrics) in self._rows.items():
            values[name] = {"weight": round(weight.value(), 4)}
            if loss.currentData() is not None:
                values[name]["loss"] = loss.currentData()
            if _chosen(metrics):
                values[name]["metrics"] = _chosen(metrics)
        return values

    def show_settings(self, outputs: dict) -> None:
        """Show saved settings (those of outputs not shown are kept for when they are)."""
        self._values = {name: dict(value) for name, value in outputs.items() if isinstance(value, dict)}
        for name in self._rows:
            self._show(name)

    def _show(self, name: str) -> None:
        _label, loss, weight, metrics = self._rows[name]
        saved = self._values.get(name, {})
        for widget in (loss, weight, metrics):
            widget.blockSignals(True)
        try:
            index = loss.findData(saved.get("loss")) if saved.get("loss") else 0
            loss.setCurrentIndex(max(index, 0))
            value = saved.get("weight", 1.0)
            weight.setValue(float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 1.0)
            wanted = saved.get("metrics") if isinstance(saved.get("metrics"), list) else []
            for action in metrics.menu().actions():
                action.setChecked(action.data() in wanted)
        finally:
            for widget in (loss, weight, metrics):
                widget.blockSignals(False)
        self._label_metrics(metrics)

    @Slot()
    def _changed(self) -> None:
        self.sigChanged.emit()


def _chosen(button: QToolButton) -> list[str]:
    return [action.data() for action in button.menu().actions() if action.isChecked()]
