"""Lab page "Optimizers and apply_gradients": one optimizer step per click, drawn on the loss.

The student picks a problem (a loss of two variables), an optimizer, a learning rate
and a start point. "Step" runs ONE ``optimizer.apply_gradients`` through
:meth:`tflab.labs.apply_gradients.OptimizerLab.step`; "Run 10 steps" runs ten;
"Reset" starts again. After each step the page shows the variables, the loss and the
gradients used, draws the path on the loss surface (a colour image with contour
lines) and the loss per step, and shows the training loop that takes the very same
steps. Changing a setting starts a new run (debounced).

The :class:`OptimizerLab` (which holds TensorFlow variables) is created on a worker
thread at its first step; a lock makes steps of one run happen one at a time.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tflab.labs.apply_gradients import PROBLEMS, OptimizerLab, Problem, StepResult, Surface
from tflab.messages import TflabError
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage, monospace
from ui.widgets.messages import Message

#: Steps "Run 10 steps" takes.
MANY_STEPS = 10
#: Grid of the drawn loss surface (GRID x GRID losses).
GRID = 120
#: Contour lines drawn over the surface.
CONTOURS = 12


@dataclass(frozen=True)
class Settings:
    """What defines a run: problem, optimizer, learning rate and start point."""

    problem: str
    optimizer: str
    learning_rate: float
    start: tuple[float, float]


@dataclass(frozen=True)
class Snapshot:
    """A run's state after a request: the last step (None before the first), the whole
    path and losses, whether it diverged, the loss surface and the code."""

    settings: Settings
    problem: Problem
    last: StepResult | None
    values: tuple[float, float]
    path: list[tuple[float, float]]
    losses: list[float]
    diverged: bool
    surface: Surface
    code: str


class OptimizerRun:
    """One run of the lab. TensorFlow-free until :meth:`advance` (called on a worker)
    creates its :class:`OptimizerLab`; a lock keeps concurrent requests in order."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lab: OptimizerLab | None = None
        self._surface: Surface | None = None
        self._lock = threading.Lock()

    def advance(self, steps: int) -> Snapshot:
        """Take up to ``steps`` optimizer steps (none once the loss diverged); the new state."""
        with self._lock:
            if self._lab is None:
                s = self.settings
                self._lab = OptimizerLab(s.problem, s.optimizer, s.learning_rate, s.start)
                self._surface = self._lab.loss_surface(GRID)
            lab = self._lab
            last = None
            for _ in range(steps):
                if lab.diverged():
                    break
                last = lab.step()
            return Snapshot(self.settings, lab.problem, last, lab.values, list(lab.path), list(lab.losses),
                            lab.diverged(), self._surface, lab.code)


def style_plot(plot: pg.PlotWidget, title: str = "") -> pg.PlotWidget:
    """Give ``plot`` the widget palette's colours (light or dark theme), a title and a faint grid."""
    palette = plot.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(text)
        axis.setTextPen(text)
    if title:
        plot.getPlotItem().setTitle(title, color=text)
    plot.showGrid(x=True, y=True, alpha=0.15)
    return plot


class SurfacePlot(pg.PlotWidget):
    """The loss over the two variables (log colour scale, contours), the minimum and the path."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        style_plot(self)
        self.setAspectLocked(True)  # a narrow valley must look narrow
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.addItem(self.image)
        self._contours: list[pg.IsocurveItem] = []
        self.minimum = pg.ScatterPlotItem(symbol="star", size=16, brush=pg.mkBrush("#ffffff"),
                                          pen=pg.mkPen("#000000"))
        self.addItem(self.minimum)
        self.path = pg.PlotDataItem(pen=pg.mkPen("#ff5252", width=2), symbol="o", symbolSize=6,
                                    symbolBrush="#ff5252", symbolPen=None)
        self.addItem(self.path)
        self.current = pg.ScatterPlotItem(symbol="o", size=12, brush=pg.mkBrush("#ffeb3b"),
                                          pen=pg.mkPen("#000000", width=1.5))
        self.addItem(self.current)
        self._surface: Surface | None = None

    def show_surface(self, surface: Surface, problem: Problem) -> None:
        """Draw ``surface`` (log(1 + loss), so valleys show) and the problem's minimum."""
        if surface is self._surface:
            return
        self._surface = surface
        shade = np.log1p(np.maximum(surface.loss, 0.0)).T  # ImageItem's first axis is x
        self.image.setImage(shade, autoLevels=True)
        x0, x1, y0, y1 = problem.bounds
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        for item in self._contours:
            item.setParentItem(None)
            self.removeItem(item)
        levels = np.linspace(float(shade.min()), float(shade.max()), CONTOURS + 2)[1:-1]
        self._contours = []
        for level in levels:
            curve = pg.IsocurveItem(shade, level, pen=pg.mkPen((255, 255, 255, 110)))
            curve.setParentItem(self.image)
            self._contours.append(curve)
        self.minimum.setData([problem.minimum[0]], [problem.minimum[1]])
        self.setLabel("bottom", problem.params[0])
        self.setLabel("left", problem.params[1])
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.02)

    def show_path(self, path: list[tuple[float, float]]) -> None:
        """Draw the positions so far (finite ones) and mark the last."""
        points = np.array([p for p in path if all(math.isfinite(v) for v in p)], dtype=float).reshape(-1, 2)
        self.path.setData(points[:, 0], points[:, 1])
        self.current.setData(points[-1:, 0], points[-1:, 1])

    def path_points(self) -> np.ndarray:
        """The drawn path as an ``(n, 2)`` array (for tests)."""
        xs, ys = self.path.getData()
        return np.column_stack([xs, ys]) if xs is not None else np.zeros((0, 2))


class ApplyGradientsPage(LabPage):
    """The optimizer lab: settings, Step / Run 10 steps / Reset, the state, the plots and the code.

    :meth:`run` (first show, Reset, and a short pause after a changed setting) starts a new
    run and shows where it starts; :meth:`step` and :meth:`run_many` take steps.

    Attributes for tests: ``runner``, ``code_box``, ``message``, ``problem_combo``,
    ``optimizer_combo``, ``rate_spin``, ``start_x``, ``start_y``, ``step_button``,
    ``many_button``, ``reset_button``, ``state_label``, ``surface_plot``, ``loss_curve``
    and ``snapshot`` (the latest :class:`Snapshot`).
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._result: Snapshot | None = None
        self._error: TflabError | None = None
        self._run: OptimizerRun | None = None

        self.problem_combo = QComboBox()
        self.problem_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.problem_combo.setMinimumContentsLength(14)
        for name in PROBLEMS:
            self.problem_combo.addItem("", name)
        self.optimizer_combo = QComboBox()
        for name, label in (("sgd", "SGD"), ("momentum", ""), ("rmsprop", "RMSprop"), ("adagrad", "Adagrad"),
                            ("adam", "Adam")):
            self.optimizer_combo.addItem(label, name)
        self.rate_spin = QDoubleSpinBox(decimals=4, minimum=0.0001, maximum=10.0, value=0.1)
        self.rate_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.start_x = QDoubleSpinBox(decimals=2, minimum=-100.0, maximum=100.0, singleStep=0.5)
        self.start_y = QDoubleSpinBox(decimals=2, minimum=-100.0, maximum=100.0, singleStep=0.5)
        self.step_button = QPushButton()
        self.many_button = QPushButton()
        self.reset_button = QPushButton()
        self.state_label = QLabel()
        self.state_label.setFont(monospace())
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = Message()
        self.surface_plot = SurfacePlot()
        self.loss_curve = style_plot(pg.PlotWidget())
        self.loss_curve.setLogMode(y=True)
        # Steps are whole numbers from 0: no "(x0.001)" scale, no negative steps around step 0.
        self.loss_curve.getAxis("bottom").enableAutoSIPrefix(False)
        self.loss_curve.setXRange(0, 1, padding=0.05)
        self._loss_line = self.loss_curve.plot(pen=pg.mkPen("#e53935", width=2), symbol="o", symbolSize=5,
                                               symbolBrush="#e53935", symbolPen=None)
        self.code_box = CodeBox()
        self._settings_box = QGroupBox()
        self._loss_label, self._optimizer_label, self._rate_label = QLabel(), QLabel(), QLabel()
        self._start_label = QLabel()
        self._set_start(PROBLEMS[self.problem_combo.currentData()].start)
        self._layout()

        self.problem_combo.currentIndexChanged.connect(self._on_problem_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._later)
        for spin in (self.rate_spin, self.start_x, self.start_y):
            spin.valueChanged.connect(self._later)
        self.step_button.clicked.connect(self.step)
        self.many_button.clicked.connect(self.run_many)
        self.reset_button.clicked.connect(self.reset)
        self._retranslate()

    def _layout(self) -> None:
        form = QFormLayout(self._settings_box)
        form.addRow(self._loss_label, self.problem_combo)
        form.addRow(self._optimizer_label, self.optimizer_combo)
        form.addRow(self._rate_label, self.rate_spin)
        start = QHBoxLayout()
        start.addWidget(self.start_x)
        start.addWidget(self.start_y)
        form.addRow(self._start_label, start)
        buttons = QHBoxLayout()
        for button in (self.step_button, self.many_button, self.reset_button):
            buttons.addWidget(button)
        form.addRow(buttons)

        state = QVBoxLayout()
        state.addWidget(self.state_label)
        state.addWidget(self.message)
        state.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self._settings_box, 1)
        top.addLayout(state, 1)
        top_widget = QWidget()
        top_widget.setLayout(top)
        top.setContentsMargins(0, 0, 0, 0)

        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.surface_plot)
        plots.addWidget(self.loss_curve)
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 2)
        plots.setMinimumHeight(260)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        for part, stretch in ((top_widget, 0), (plots, 3), (self.code_box, 2)):
            split.addWidget(part)
            split.setStretchFactor(split.count() - 1, stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    @property
    def snapshot(self) -> Snapshot | None:
        """The latest :class:`Snapshot` (None before the first answer)."""
        return self._result

    # ---------------------------------------------------------------- actions

    def settings(self) -> Settings:
        """The settings the widgets show."""
        return Settings(self.problem_combo.currentData(), self.optimizer_combo.currentData(),
                        self.rate_spin.value(), (self.start_x.value(), self.start_y.value()))

    @Slot()
    def run(self) -> None:
        """Start a new run with the current settings and show where it starts (Reset)."""
        self._run = OptimizerRun(self.settings())
        self._advance(0)

    @Slot()
    def reset(self) -> None:
        """Start again: the Reset button (see :meth:`run`)."""
        self.run()

    @Slot()
    def step(self) -> None:
        """Take ONE optimizer step (the Step button)."""
        self._advance(1)

    @Slot()
    def run_many(self) -> None:
        """Take :data:`MANY_STEPS` steps."""
        self._advance(MANY_STEPS)

    def _advance(self, steps: int) -> None:
        super().run()  # a pending new run is cancelled: these steps go on with the settings shown
        if self._run is None or self._run.settings != self.settings():
            self._run = OptimizerRun(self.settings())
        run = self._run
        self.runner.run(lambda: run.advance(steps))

    @Slot()
    def _on_problem_changed(self) -> None:
        self._set_start(PROBLEMS[self.problem_combo.currentData()].start)
        self._later()

    def _set_start(self, start: tuple[float, float]) -> None:
        self._write_start_label()
        for spin, value in zip((self.start_x, self.start_y), start):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _write_start_label(self) -> None:
        first, second = PROBLEMS[self.problem_combo.currentData()].params
        self._start_label.setText(fill(self.tr("Start (%1, %2):"), first, second))

    # ---------------------------------------------------------------- results

    @Slot(object)
    def _show_result(self, snapshot: Snapshot) -> None:
        self._result, self._error = snapshot, None
        self.surface_plot.show_surface(snapshot.surface, snapshot.problem)
        self.surface_plot.show_path(snapshot.path)
        steps = np.arange(len(snapshot.losses))
        losses = np.array(snapshot.losses, dtype=float)
        keep = np.isfinite(losses) & (losses > 0)
        self._loss_line.setData(steps[keep], losses[keep])
        self.loss_curve.setXRange(0, max(1, len(steps) - 1), padding=0.05)
        self.code_box.set_code(snapshot.code)
        self._describe()
        self._explain(snapshot)

    def _describe(self) -> None:
        """The state after the last answer, in the current language."""
        if self._result is not None:
            self.state_label.setText(self._state_text(self._result))

    def _state_text(self, snapshot: Snapshot) -> str:
        first, second = snapshot.problem.params
        lines = [fill(self.tr("step %1"), str(len(snapshot.path) - 1)),
                 f"{first} = {snapshot.values[0]:.6g}",
                 f"{second} = {snapshot.values[1]:.6g}",
                 fill(self.tr("loss = %1"), f"{snapshot.losses[-1]:.6g}")]
        if snapshot.last is not None:
            lines.append(self.tr("gradients used:"))
            for name, grad in zip((first, second), snapshot.last.gradients):
                lines.append(f"  ∂loss/∂{name} = {grad:.6g}")
        return "\n".join(lines)

    def _explain(self, snapshot: Snapshot) -> None:
        """What the last answer means (the message follows the language by itself)."""
        losses = snapshot.losses
        if snapshot.diverged:
            self.message.show_error(lambda: self.tr(
                "The loss is no longer a finite number: the run diverged. Each step overshot the valley "
                "and landed higher than before, until the numbers overflowed.\nLower the learning rate "
                "(try ten times smaller) and press Reset."))
        elif len(losses) > 1 and losses[-1] > losses[-2]:
            self.message.show_note(lambda: self.tr(
                "The loss went UP in this step: the step jumped past the bottom of the valley. "
                "With momentum this also happens at a good learning rate (the ball rolls back); "
                "if the loss keeps growing, the learning rate is too large."))
        elif snapshot.last is None:
            self.message.show_note(lambda: self.tr(
                "Press Step: a GradientTape computes the gradients, then optimizer.apply_gradients "
                "uses them once."))
        else:
            self.message.clear_message()

    @Slot(object)
    def _show_error(self, error: TflabError) -> None:
        """Explain the error; the next step starts a new run."""
        self._error = error
        self._run = None
        self.message.show_error(error)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        for button in (self.step_button, self.many_button):
            button.setEnabled(not busy)

    def _retranslate(self) -> None:
        for index, problem in enumerate(PROBLEMS.values()):
            self.problem_combo.setItemText(index, problem.title())
        self.optimizer_combo.setItemText(self.optimizer_combo.findData("momentum"), self.tr("SGD with momentum 0.9"))
        self.step_button.setText(self.tr("Step"))
        self.step_button.setToolTip(self.tr("One optimizer.apply_gradients call"))
        self.many_button.setText(self.tr("Run %n steps", "", MANY_STEPS))
        self.reset_button.setText(self.tr("Reset"))
        self._settings_box.setTitle(self.tr("Problem and optimizer"))
        self._loss_label.setText(self.tr("Loss:"))
        self._optimizer_label.setText(self.tr("Optimizer:"))
        self._rate_label.setText(self.tr("Learning rate:"))
        self._write_start_label()
        text = self.loss_curve.palette().color(QPalette.ColorRole.Text)
        self.loss_curve.getPlotItem().setTitle(self.tr("Loss per step"), color=text)
        self.loss_curve.setLabel("bottom", self.tr("step"))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The optimizer lab page."""
    return ApplyGradientsPage(context)
