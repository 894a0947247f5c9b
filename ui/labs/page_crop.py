"""Lab page "Cropping images": the four arguments of ``tf.image.crop_to_bounding_box``, drawn.

This lesson's real lab is the app's image tool (a picture, a box drawn with the
mouse, TensorFlow's crop). This page explains the arguments first: a diagram of an
image with a box and arrows for ``offset_height``, ``offset_width``, ``target_height``
and ``target_width`` (y first, unlike a screen rectangle ``QRect(x, y, w, h)``), the
same four values as spin boxes, the call and the equivalent slice as code, and a
button that opens the image tool. Nothing here needs TensorFlow.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tflab.imaging import BoundingBox, call_code, code_lesson, slice_code
from tflab.messages import TflabError
from ui.core.text import fill
from ui.labs.common import CodeBox, LabContext, LabPage
from ui.widgets.box_editor import BoxEditor
from ui.widgets.messages import Message

#: The lesson's example: a 100 x 120 image, box (10, 20, 50, 40).
EXAMPLE_SIZE = (100, 120)
EXAMPLE_BOX = BoundingBox(10, 20, 50, 40)
#: Colours of the vertical (height) and horizontal (width) arguments.
HEIGHT_COLOUR = "#e65100"
WIDTH_COLOUR = "#2e7d32"


def example_code(box: BoundingBox, height: int, width: int) -> str:
    """A runnable program that crops a ``height`` x ``width`` image with ``box``, both ways."""
    return (
        "import tensorflow as tf\n\n"
        f"image = tf.zeros(({height}, {width}, 3))  # height, width, channels: y first\n"
        f"part = {call_code(box)}\n"
        f"same = {slice_code(box)}\n"
        "print(part.shape, same.shape)  # (target_height, target_width, 3)\n"
    )


class CropDiagram(QWidget):
    """An image (origin top-left, y down) with the crop box and its four arguments as arrows."""

    MARGIN = 36

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.box = EXAMPLE_BOX
        self.image_size = EXAMPLE_SIZE
        self.valid = True
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_box(self, box: BoundingBox, height: int, width: int, valid: bool) -> None:
        """Draw ``box`` on a ``height`` x ``width`` image (a red box when it does not fit).

        Negative offsets are drawn as 0 and sizes below 1 as 1: the message says what is wrong.
        """
        self.box = BoundingBox(max(0, box.offset_height), max(0, box.offset_width),
                               max(1, box.target_height), max(1, box.target_width))
        self.image_size, self.valid = (height, width), valid
        self.update()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(360, 260)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.update()  # the axes' words are painted: paint them again in the new language
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(520, 380)

    def _scale(self) -> float:
        """Pixels of the drawing per pixel of the image (the box may reach past the image)."""
        height, width = self.image_size
        reach_h = max(height, self.box.offset_height + self.box.target_height)
        reach_w = max(width, self.box.offset_width + self.box.target_width)
        room_w = self.width() - 2 * self.MARGIN - self._left_room() - 110
        room_h = self.height() - 2 * self.MARGIN - 30
        return max(0.05, min(room_w / max(1, reach_w), room_h / max(1, reach_h)))

    def _offset_width_label(self) -> str:
        return f"offset_width = {self.box.offset_width}"

    def _left_room(self) -> float:
        """Room left of the image: the rotated y label, then the offset_width label, which
        stands outside the image before its arrow so that it never covers the box."""
        metrics = QFontMetricsF(self.font())
        return metrics.height() + 8 + metrics.horizontalAdvance(self._offset_width_label()) + 10

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        scale = self._scale()
        origin = QPointF(self.MARGIN + self._left_room(), self.MARGIN)
        height, width = self.image_size
        image = QRectF(origin, QSize(round(width * scale), round(height * scale)).toSizeF())
        painter.fillRect(image, QColor(palette.color(QPalette.ColorRole.Base)).darker(112))
        painter.setPen(QPen(text, 1.5))
        painter.drawRect(image)
        self._axes(painter, image, text)
        box = QRectF(origin.x() + self.box.offset_width * scale, origin.y() + self.box.offset_height * scale,
                     self.box.target_width * scale, self.box.target_height * scale)
        edge = QColor("#1565c0" if self.valid else "#c62828")
        fill = QColor(edge)
        fill.setAlpha(60)
        painter.fillRect(box, fill)
        painter.setPen(QPen(edge, 2))
        painter.drawRect(box)
        self._arrows(painter, image, box)
        painter.end()

    def _axes(self, painter: QPainter, image: QRectF, colour: QColor) -> None:
        """Label the origin and the directions: x (columns) to the right, y (rows) down."""
        painter.setPen(colour)
        metrics = QFontMetricsF(painter.font())
        painter.drawText(QPointF(image.left() - metrics.horizontalAdvance("(0, 0)") / 2, image.top() - 8), "(0, 0)")
        painter.drawText(QPointF(image.right() - 90, image.top() - 8), self.tr("x: columns →"))
        painter.save()
        painter.translate(self.MARGIN + metrics.ascent(), image.bottom())
        painter.rotate(-90)
        painter.drawText(QPointF(0, 0), self.tr("← y: rows"))
        painter.restore()
        height, width = self.image_size
        painter.drawText(QPointF(image.left(), image.bottom() + 18),
                         fill(self.tr("image: %1 rows × %2 columns"), str(height), str(width)))

    def _arrows(self, painter: QPainter, image: QRectF, box: QRectF) -> None:
        height_pen, width_pen = QColor(HEIGHT_COLOUR), QColor(WIDTH_COLOUR)
        b = self.box
        mid_x, mid_y = box.center().x(), box.center().y()
        self._arrow(painter, QLineF(mid_x, image.top(), mid_x, box.top()), height_pen,
                    f"offset_height = {b.offset_height}", QPointF(mid_x + 6, (image.top() + box.top()) / 2 + 5))
        label = self._offset_width_label()
        metrics = QFontMetricsF(painter.font())
        self._arrow(painter, QLineF(image.left(), mid_y, box.left(), mid_y), width_pen, label,
                    QPointF(image.left() - 8 - metrics.horizontalAdvance(label),
                            mid_y + (metrics.ascent() - metrics.descent()) / 2))
        right = max(box.right(), image.right()) + 12
        self._arrow(painter, QLineF(right, box.top(), right, box.bottom()), height_pen,
                    f"target_height = {b.target_height}", QPointF(right + 6, mid_y + 5))
        below = box.bottom() + 14
        self._arrow(painter, QLineF(box.left(), below, box.right(), below), width_pen,
                    f"target_width = {b.target_width}", QPointF(box.left(), below + 16))

    @staticmethod
    def _arrow(painter: QPainter, line: QLineF, colour: QColor, label: str, at: QPointF) -> None:
        """A line with an arrow head at its end (none when it has no length) and a label."""
        painter.setPen(QPen(colour, 2))
        painter.setBrush(QBrush(colour))
        if line.length() >= 1:
            painter.drawLine(line)
            unit = line.unitVector()
            dx, dy = unit.dx() * 8, unit.dy() * 8
            tip = line.p2()
            head = QPainterPath(tip)
            head.lineTo(tip.x() - dx - dy / 2, tip.y() - dy + dx / 2)
            head.lineTo(tip.x() - dx + dy / 2, tip.y() - dy - dx / 2)
            head.closeSubpath()
            painter.drawPath(head)
        painter.setPen(colour)
        metrics = QFontMetricsF(painter.font())
        painter.fillRect(QRectF(at.x() - 2, at.y() - metrics.ascent(), metrics.horizontalAdvance(label) + 4,
                                metrics.height()), QColor(255, 255, 255, 170))
        painter.drawText(at, label)


class CropPage(LabPage):
    """The explanation, the diagram, the four values, the code, and the way to the image tool.

    Nothing here runs TensorFlow: :meth:`run` redraws at once, on every edit.

    Attributes for tests: ``intro``, ``message``, ``code_box``, ``diagram``, ``box_editor``,
    ``height_spin``, ``width_spin`` and ``open_button``.
    """

    def __init__(self, context: LabContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._open_image_tool = context.open_image_tool
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.diagram = CropDiagram()
        self.box_editor = BoxEditor()
        self.box_editor.set_box(EXAMPLE_BOX)
        self.height_spin = QSpinBox(minimum=1, maximum=10_000, value=EXAMPLE_SIZE[0])
        self.width_spin = QSpinBox(minimum=1, maximum=10_000, value=EXAMPLE_SIZE[1])
        self.message = Message()
        self.code_box = CodeBox()
        self.open_button = QPushButton()
        self.open_button.setEnabled(self._open_image_tool is not None)
        self._image_box = QGroupBox()
        self._height_label, self._width_label = QLabel(), QLabel()

        self._layout()

        self.box_editor.sigEdited.connect(self.run)
        self.height_spin.valueChanged.connect(self.run)
        self.width_spin.valueChanged.connect(self.run)
        self.open_button.clicked.connect(self.open_image_tool)
        self._retranslate()
        self.run()

    def _layout(self) -> None:
        form = QFormLayout(self._image_box)
        form.addRow(self._height_label, self.height_spin)
        form.addRow(self._width_label, self.width_spin)
        controls = QHBoxLayout()
        controls.addWidget(self._image_box, 0, Qt.AlignmentFlag.AlignTop)
        controls.addWidget(self.box_editor, 1)
        self.code_box.setMinimumHeight(130)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.diagram, 1)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.open_button)
        layout.addWidget(self.code_box)

    @Slot()
    def run(self) -> None:
        """Redraw the diagram and the code for the values shown; explain a box that does not fit."""
        super().run()
        box, height, width = self.box_editor.box(), self.height_spin.value(), self.width_spin.value()
        try:
            box.validate(height, width)
        except TflabError as err:
            self._show_error(err)
            valid = False
        else:
            self._error = None
            self.message.show_note(lambda: code_lesson(box))  # written again in the language chosen
            valid = True
        self.diagram.set_box(box, height, width, valid)
        self.code_box.set_code(example_code(box, height, width))

    @Slot()
    def open_image_tool(self) -> None:
        """Switch to the app's image tool."""
        if self._open_image_tool is not None:
            self._open_image_tool()

    def _retranslate(self) -> None:
        self.intro.setText(self.tr(
            "The four numbers of <code>crop_to_bounding_box</code> are <b>y first</b>: "
            "<code>offset_height</code> and <code>target_height</code> count rows (down), "
            "<code>offset_width</code> and <code>target_width</code> count columns (across), as in the "
            "image's shape (height, width, channels). A screen rectangle such as "
            "<code>QRect(x, y, w, h)</code> is <b>x first</b>: swapping them is the classic mistake."))
        self.open_button.setText(self.tr("Open the image tool"))
        self.open_button.setToolTip(self.tr("Draw a box on a picture and crop it with TensorFlow"))
        self._image_box.setTitle(self.tr("Image size"))
        self._height_label.setText(self.tr("height (rows):"))
        self._width_label.setText(self.tr("width (columns):"))
        self._retranslate_answer()


def create(context: LabContext) -> QWidget:
    """The cropping lesson's page."""
    return CropPage(context)
