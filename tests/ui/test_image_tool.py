"""The image tool, driven like a user: open, select with the mouse and keys, crop, save.

Crops run TensorFlow on the tool's worker thread; the tests wait for its signal.
Pictures the user opens are decoded on worker threads; those tests wait for
``sigOpenFinished``, and hold a decode with :class:`Decodes` where they need one in flight.
"""

import logging
import struct
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PIL import Image
from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.ui.dnd import send_drag
from tflab import imaging, messages
from tflab.imaging import BoundingBox
from ui.core import workers
from ui.imaging.image_view import GRID_ZOOM
from ui.imaging.panel import ImageTool

#: Safety net for a crop (the first one imports TensorFlow); not a speed requirement.
CROP_TIMEOUT_MS = 180_000
#: Safety net for a picture decoded on the tool's worker threads (a hang guard only).
OPEN_TIMEOUT_MS = 10_000
#: How long a held decode waits for the test to let it go (a hang guard only), seconds.
HOLD_GUARD_S = 10


@pytest.fixture
def tool(qtbot):
    widget = ImageTool()
    widget.resize(1200, 800)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def chelsea(tool):
    assert tool.open_sample("chelsea")
    return tool


def write_png(path: Path, width: int, height: int, seed: int) -> Path:
    array = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    Image.fromarray(array).save(path)
    return path


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be ``width`` × ``height`` (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def view_point(tool: ImageTool, x: float, y: float) -> QPoint:
    """Where scene point (x, y) is in the view's viewport."""
    return tool.view.mapFromScene(QPointF(x, y))


def show_pixels(tool: ImageTool, zoom: float, x: float, y: float) -> None:
    tool.view.set_zoom(zoom)
    tool.view.centerOn(QPointF(x, y))


def drag(qtbot, tool: ImageTool, start: QPoint, end: QPoint, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    viewport = tool.view.viewport()
    qtbot.mousePress(viewport, Qt.LeftButton, modifier, pos=start)
    middle = (start + end) / 2
    qtbot.mouseMove(viewport, pos=QPoint(int(middle.x()), int(middle.y())))
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, Qt.LeftButton, pos=end)


def type_into(qtbot, tool: ImageTool, name: str, value: int) -> None:
    spin = tool.box_editor.spins[name]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key_Return)


def crop(qtbot, tool: ImageTool) -> None:
    with qtbot.waitSignal(tool.sigCropped, timeout=CROP_TIMEOUT_MS):
        qtbot.mouseClick(tool.crop_button, Qt.LeftButton)


# --------------------------------------------------------------------------- opening


def test_a_sample_opens_with_a_box_in_the_spin_boxes_and_as_code(chelsea):
    image = chelsea.image()
    assert image.shape == (300, 451, 3)
    box = chelsea.selection()
    assert box is not None
    box.validate(image.height, image.width)
    assert {name: spin.value() for name, spin in chelsea.box_editor.spins.items()} == box.as_kwargs()
    assert imaging.call_code(box) in chelsea.code_panel.code()
    assert imaging.slice_code(box) in chelsea.code_panel.code()
    assert "y first" in chelsea.code_panel.lesson.text()
    assert chelsea.crop_button.isEnabled()
    assert not chelsea.save_button.isEnabled()


def test_the_samples_menu_lists_every_sample_with_its_description(qtbot, tool):
    tool.samples_menu.aboutToShow.emit()
    texts = [action.text() for action in tool.samples_menu.actions()]
    assert len(texts) == len(imaging.sample_names())
    assert any("cat" in text for text in texts)
    messages.set_language("zh")
    tool.samples_menu.aboutToShow.emit()
    assert any("猫" in action.text() for action in tool.samples_menu.actions())
    camera = next(a for a in tool.samples_menu.actions() if a.text().startswith("camera"))
    with qtbot.waitSignal(tool.sigOpenFinished, timeout=OPEN_TIMEOUT_MS) as opened:
        camera.trigger()            # decoded on a worker thread
    assert opened.args == [True]
    assert tool.image_name() == "camera" and tool.image().shape == (512, 512, 1)


# ------------------------------------------------------------ opening on worker threads


class Decodes:
    """``imaging.load_image`` wrapped: records where each decode runs, and can hold some.

    A file named in :meth:`hold` waits (on its worker) until the event returned is set.
    """

    def __init__(self, monkeypatch):
        self.threads: dict[str, int] = {}     # file name -> thread ident of its decode
        self.order: list[str] = []            # file names in the order their decodes ended
        self._gates: dict[str, threading.Event] = {}
        self._started: dict[str, threading.Event] = {}
        self._ended: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        real = imaging.load_image

        def load(path):
            name = Path(path).name
            self.threads[name] = threading.get_ident()
            self.started(name).set()
            gate = self._gates.get(name)
            if gate is not None:
                gate.wait(HOLD_GUARD_S)
            try:
                return real(path)
            finally:
                self.order.append(name)
                self.ended(name).set()

        monkeypatch.setattr(imaging, "load_image", load)

    def _event(self, table: dict[str, threading.Event], name: str) -> threading.Event:
        with self._lock:
            return table.setdefault(name, threading.Event())

    def started(self, name: str) -> threading.Event:
        return self._event(self._started, name)

    def ended(self, name: str) -> threading.Event:
        return self._event(self._ended, name)

    def hold(self, name: str, until: threading.Event | None = None) -> threading.Event:
        """Make the decode of ``name`` wait for ``until`` (a new event by default)."""
        gate = until if until is not None else threading.Event()
        self._gates[name] = gate
        return gate

    def release_all(self) -> None:
        for gate in self._gates.values():
            gate.set()


@pytest.fixture
def decodes(monkeypatch):
    recorder = Decodes(monkeypatch)
    yield recorder
    recorder.release_all()      # never leave a worker waiting


def choose_in_dialog(monkeypatch, *paths: Path) -> None:
    """The Open dialog (one file, or several in batch mode) answers ``paths``."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(paths[0]), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(p) for p in paths], ""))


def settle_late_decode(qtbot, tool: ImageTool, name: str, decodes: Decodes, future) -> None:
    """Wait until the held decode of ``name`` has ended and the GUI thread has seen it."""
    noticed = threading.Event()
    future.add_done_callback(lambda _future: noticed.set())   # runs after the tool's own callback
    qtbot.waitUntil(noticed.is_set, timeout=OPEN_TIMEOUT_MS)
    assert decodes.ended(name).is_set()
    QCoreApplication.processEvents()    # delivers the wake-up the tool's callback posted


def test_the_open_dialog_decodes_on_a_worker_and_shows_what_open_path_shows(qtbot, tool, tmp_path,
                                                                             monkeypatch, decodes):
    path = write_png(tmp_path / "photo.png", 64, 48, seed=7)
    choose_in_dialog(monkeypatch, path)
    with qtbot.waitSignal(tool.sigOpenFinished, timeout=OPEN_TIMEOUT_MS) as finished:
        tool.open_dialog()
    assert finished.args == [True]
    assert decodes.threads["photo.png"] != threading.get_ident()   # not the GUI thread

    reference = ImageTool()                                         # the synchronous path
    qtbot.addWidget(reference)
    assert reference.open_path(path)
    assert decodes.threads["photo.png"] == threading.get_ident()
    np.testing.assert_array_equal(tool.image().array, reference.image().array)
    assert tool.image().shape == reference.image().shape == (48, 64, 3)
    assert tool.image_name() == reference.image_name() == "photo.png"
    assert tool.selection() == reference.selection()
    assert tool.view.image_size() == reference.view.image_size()
    assert tool.batch_bar.shape_label.text() == reference.batch_bar.shape_label.text()
    icon_sizes = [item.icon().availableSizes() for item in (tool.batch_bar.list.item(0),
                                                            reference.batch_bar.list.item(0))]
    assert icon_sizes == [[QSize(56, 42)], [QSize(56, 42)]]
    assert not tool.message.isVisible() and not tool.is_opening()
    assert tool.crop_button.isEnabled()


def test_the_window_keeps_working_while_a_picture_decodes(qtbot, tool, tmp_path, monkeypatch, decodes):
    path = write_png(tmp_path / "slow.png", 30, 20, seed=8)
    release = decodes.hold("slow.png")
    choose_in_dialog(monkeypatch, path)
    statuses = []
    tool.sigStatus.connect(statuses.append)
    tool.open_dialog()                                  # returns while the decode is held
    qtbot.waitUntil(decodes.started("slow.png").is_set, timeout=OPEN_TIMEOUT_MS)
    assert tool.is_opening() and tool.image() is None
    assert statuses == []  # said under the picture (opening_label), not a second time in the status bar

    ran = []
    QTimer.singleShot(0, lambda: ran.append(True))      # the GUI thread still runs events
    qtbot.waitUntil(lambda: bool(ran), timeout=OPEN_TIMEOUT_MS)
    assert not decodes.ended("slow.png").is_set()       # ... while the decode is still held
    assert tool.opening_label.isVisible() and tool.opening_label.text() == "Opening slow.png…"

    with qtbot.waitSignal(tool.sigOpenFinished, timeout=OPEN_TIMEOUT_MS):
        release.set()
    assert tool.image_name() == "slow.png" and tool.image().shape == (20, 30, 3)
    assert not tool.is_opening() and not tool.opening_label.text()


def test_a_late_result_of_an_older_request_does_not_replace_the_newer_picture(qtbot, tool, tmp_path, decodes):
    a = write_png(tmp_path / "a.png", 30, 20, seed=1)
    b = write_png(tmp_path / "b.png", 40, 10, seed=2)
    release_a = decodes.hold("a.png")
    tool.open_paths_async([a])
    qtbot.waitUntil(decodes.started("a.png").is_set, timeout=OPEN_TIMEOUT_MS)
    future_a = tool._opening[0].future
    finished = []
    tool.sigOpenFinished.connect(finished.append)
    with qtbot.waitSignal(tool.sigOpenFinished, timeout=OPEN_TIMEOUT_MS):
        tool.open_paths_async([b])          # the newest request wins
    assert tool.image_name() == "b.png"
    assert not decodes.ended("a.png").is_set()

    release_a.set()
    settle_late_decode(qtbot, tool, "a.png", decodes, future_a)
    assert tool.image_name() == "b.png"
    np.testing.assert_array_equal(tool.image().array, np.asarray(Image.open(b)))
    assert finished == [True] and not tool.is_opening() and not tool.message.isVisible()


def test_batch_files_are_added_in_the_order_chosen_and_a_damaged_one_is_named(qtbot, tool, tmp_path,
                                                                              monkeypatch, decodes):
    first = write_png(tmp_path / "first.png", 40, 30, seed=1)
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(b"\x89PNG junk, not a picture at all")
    last = write_png(tmp_path / "last.png", 40, 30, seed=3)
    decodes.hold("first.png", until=decodes.ended("last.png"))  # the first file is ready last
    tool.set_batch_mode(True)
    choose_in_dialog(monkeypatch, first, damaged, last)
    with qtbot.waitSignal(tool.sigOpenFinished, timeout=OPEN_TIMEOUT_MS) as finished:
        tool.open_dialog()
    assert finished.args == [False]
    assert decodes.order.index("last.png") < decodes.order.index("first.png")
    assert tool.batch_size() == 2
    items = [tool.batch_bar.list.item(row).text() for row in range(tool.batch_bar.list.count())]
    assert items == ["0: first.png", "1: last.png"]
    assert tool.batch_bar.shape_label.text() == "images.shape = (2, 30, 40, 3)"
    assert tool.image_name() == "last.png"
    assert tool.message.isVisible() and "damaged.png" in tool.message.text()
    assert "not a picture" in tool.message.text()
    assert "first.png" not in tool.message.text() and "last.png" not in tool.message.text()


def test_a_picture_that_fails_to_open_in_the_background_is_explained_and_the_picture_stays(qtbot, chelsea):
    before = chelsea.image()
    with qtbot.waitSignal(chelsea.sigOpenFinished, timeout=OPEN_TIMEOUT_MS) as finished:
        chelsea.open_bytes_async(b"this is not a picture", "note.txt")
    assert finished.args == [False]
    assert "not a picture" in chelsea.message.text()
    assert chelsea.image() is before and chelsea.image_name() == "chelsea"


def quiet(caplog, qtlog) -> bool:
    """No error logged (e.g. a failing future callback) and no Qt warning but offscreen noise."""
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    warnings = [record for record in qtlog.records
                if record.type != 0 and "propagateSizeHints" not in record.message]   # 0: QtDebugMsg
    return not errors and not warnings


def test_closing_the_tool_while_a_picture_decodes_is_harmless(qtbot, tool, tmp_path, decodes, caplog, qtlog):
    path = write_png(tmp_path / "slow.png", 30, 20, seed=8)
    release = decodes.hold("slow.png")
    tool.open_paths_async([path])
    qtbot.waitUntil(decodes.started("slow.png").is_set, timeout=OPEN_TIMEOUT_MS)
    future = tool._opening[0].future
    tool.close()                            # does not wait for the decode
    assert not tool.is_opening() and not tool.opening_label.text()
    release.set()
    settle_late_decode(qtbot, tool, "slow.png", decodes, future)
    assert tool.image() is None and not tool.message.isVisible()
    assert quiet(caplog, qtlog)


def test_deleting_the_tool_while_a_picture_decodes_is_harmless(qtbot, tmp_path, decodes, caplog, qtlog):
    doomed = ImageTool()
    path = write_png(tmp_path / "slow.png", 30, 20, seed=8)
    release = decodes.hold("slow.png")
    doomed.open_paths_async([path])
    qtbot.waitUntil(decodes.started("slow.png").is_set, timeout=OPEN_TIMEOUT_MS)
    future = doomed._opening[0].future
    shiboken6.delete(doomed)                # gone without close() or shutdown()
    release.set()
    settle_late_decode(qtbot, doomed, "slow.png", decodes, future)
    assert not shiboken6.isValid(doomed)
    assert shiboken6.isValid(workers._done_relay())    # the relay outlives every tool
    assert quiet(caplog, qtlog)


# ------------------------------------------------------------------- mouse selection


@pytest.mark.parametrize("zoom", [1.0, 4.0])
@pytest.mark.parametrize("backwards", [False, True], ids=["down-right", "up-left"])
def test_a_rubber_band_selects_every_pixel_it_touches(qtbot, chelsea, zoom, backwards):
    first, last = (20, 30), (61, 52)           # pixels under the press and the release
    show_pixels(chelsea, zoom, 40, 40)
    points = [view_point(chelsea, x + 0.25, y + 0.25) for x, y in (first, last)]
    if backwards:
        points.reverse()
    drag(qtbot, chelsea, *points)
    expected = BoundingBox(offset_height=30, offset_width=20, target_height=23, target_width=42)
    assert chelsea.selection() == expected
    assert chelsea.box_editor.box() == expected
    assert imaging.call_code(expected) in chelsea.code_panel.code()


def test_a_band_dragged_past_the_picture_stops_at_its_edges(qtbot, chelsea):
    show_pixels(chelsea, 4.0, 440, 290)
    beyond = chelsea.view.viewport().rect().bottomRight() + QPoint(40, 40)
    drag(qtbot, chelsea, view_point(chelsea, 430.25, 280.25), beyond)
    assert chelsea.selection() == BoundingBox(280, 430, 20, 21)


def test_a_click_without_dragging_keeps_the_selection(qtbot, chelsea):
    before = chelsea.selection()
    qtbot.mouseClick(chelsea.view.viewport(), Qt.LeftButton, pos=view_point(chelsea, 5.25, 5.25))
    assert chelsea.selection() == before


def test_handles_resize_and_dragging_inside_moves(qtbot, chelsea):
    assert chelsea.set_box(BoundingBox(offset_height=100, offset_width=100, target_height=40, target_width=50))
    show_pixels(chelsea, 4.0, 130, 125)
    drag(qtbot, chelsea, view_point(chelsea, 150, 140), view_point(chelsea, 155, 143))   # bottom-right corner
    assert chelsea.selection() == BoundingBox(100, 100, 43, 55)
    drag(qtbot, chelsea, view_point(chelsea, 100, 120), view_point(chelsea, 97, 120))    # left edge
    assert chelsea.selection() == BoundingBox(100, 97, 43, 58)
    drag(qtbot, chelsea, view_point(chelsea, 120, 120), view_point(chelsea, 130, 125))   # inside
    assert chelsea.selection() == BoundingBox(105, 107, 43, 58)


def test_ctrl_drag_inside_the_box_draws_a_new_one_as_its_tooltip_says(qtbot, chelsea):
    assert chelsea.set_box(BoundingBox(offset_height=100, offset_width=100, target_height=40, target_width=50))
    show_pixels(chelsea, 4.0, 130, 125)
    inside = view_point(chelsea, 120, 120)
    qtbot.mouseMove(chelsea.view.viewport(), pos=inside)
    assert "Ctrl+drag" in chelsea.view.viewport().toolTip()
    drag(qtbot, chelsea, view_point(chelsea, 110.25, 110.25), view_point(chelsea, 129.25, 119.25),
         Qt.KeyboardModifier.ControlModifier)
    assert chelsea.selection() == BoundingBox(offset_height=110, offset_width=110, target_height=10,
                                              target_width=20)


def test_arrow_keys_move_the_box_and_shift_arrows_resize_it(qtbot, chelsea):
    assert chelsea.set_box(BoundingBox(10, 1, 20, 30))
    view = chelsea.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Right)
    qtbot.keyClick(view, Qt.Key_Down)
    assert chelsea.selection() == BoundingBox(11, 2, 20, 30)
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_Up, Qt.ShiftModifier)
    assert chelsea.selection() == BoundingBox(11, 2, 19, 31)
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key_Left)
    assert chelsea.selection() == BoundingBox(11, 0, 19, 31)     # stops at the left edge
    assert chelsea.box_editor.spins["offset_width"].value() == 0


def test_the_cursor_label_shows_the_pixel_and_its_value(qtbot, chelsea):
    show_pixels(chelsea, 2.0, 10, 20)
    qtbot.mouseMove(chelsea.view.viewport(), pos=view_point(chelsea, 10.25, 20.25))
    r, g, b = chelsea.image().array[20, 10]
    assert "x 10, y 20" in chelsea.cursor_label.text()
    assert f"image[20, 10] = [{r}, {g}, {b}]" in chelsea.cursor_label.text()


def test_zoom_buttons_wheel_and_grid_threshold(qtbot, chelsea):
    view = chelsea.view
    chelsea.act_actual.trigger()
    assert view.zoom() == 1.0 and chelsea.zoom_label.text() == "100%"
    chelsea.act_zoom_in.trigger()
    assert view.zoom() > 1.0
    anchor = view_point(chelsea, 200.5, 150.5)
    wheel = QWheelEvent(QPointF(anchor), QPointF(view.viewport().mapToGlobal(anchor)), QPoint(), QPoint(0, 120),
                        Qt.NoButton, Qt.ControlModifier, Qt.NoScrollPhase, False)
    before = view.zoom()
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom() > before
    assert (view.mapToScene(anchor) - QPointF(200.5, 150.5)).manhattanLength() < 1.5
    for _ in range(10):
        chelsea.act_zoom_in.trigger()
    assert view.zoom() >= GRID_ZOOM
    chelsea.act_fit.trigger()
    assert view.is_fit() and view.zoom() < 2


# ---------------------------------------------------------------------- spin boxes


def test_typing_the_arguments_moves_the_band(qtbot, chelsea):
    type_into(qtbot, chelsea, "offset_height", 7)
    type_into(qtbot, chelsea, "offset_width", 9)
    type_into(qtbot, chelsea, "target_height", 11)
    type_into(qtbot, chelsea, "target_width", 13)
    assert chelsea.selection() == BoundingBox(7, 9, 11, 13)
    assert not chelsea.box_editor.message.isVisible()
    assert "offset_height=7, offset_width=9, target_height=11, target_width=13" in chelsea.code_panel.code()


@pytest.mark.parametrize(("name", "value", "words"), [
    ("target_width", 9999, "past the right edge"),
    ("offset_height", 300, "past the bottom edge"),
    ("target_height", 0, "zero-size selection"),
    ("offset_width", -1, "cannot be negative"),
])
def test_a_box_the_picture_cannot_hold_is_explained_and_the_selection_stays(qtbot, chelsea, name, value, words):
    before = chelsea.selection()
    type_into(qtbot, chelsea, name, value)
    assert chelsea.box_editor.message.isVisible()
    assert words in chelsea.box_editor.message.text()
    assert chelsea.selection() == before
    assert not chelsea.crop_button.isEnabled()
    type_into(qtbot, chelsea, name, getattr(before, name))      # fixing it clears the message
    assert not chelsea.box_editor.message.isVisible()
    assert chelsea.crop_button.isEnabled()


def test_the_box_message_follows_the_engine_language(qtbot, chelsea):
    messages.set_language("zh")
    type_into(qtbot, chelsea, "target_width", 9999)
    assert "超出图片右边缘" in chelsea.box_editor.message.text()


# ------------------------------------------------------------------------- cropping


def test_crop_runs_tensorflow_and_equals_the_slice(qtbot, chelsea):
    box = BoundingBox(offset_height=50, offset_width=40, target_height=120, target_width=80)
    assert chelsea.set_box(box)
    crop(qtbot, chelsea)
    result = chelsea.result()
    np.testing.assert_array_equal(result.array, imaging.slice_crop(chelsea.image().array, box))
    assert chelsea.result_panel.shape_label.text() == "(300, 451, 3) -> (120, 80, 3)"
    assert chelsea.result_panel.picture_count() == 1
    assert chelsea.save_button.isEnabled() and chelsea.copy_button.isEnabled()
    qtbot.keyClick(chelsea.view, Qt.Key_Right)
    assert "press Crop again" in chelsea.result_panel.note.text()


def test_the_crop_runs_on_a_worker_thread(qtbot, chelsea, monkeypatch):
    threads = []
    real_crop = imaging.crop

    def recording_crop(image, box):
        threads.append(threading.current_thread())
        return real_crop(image, box)

    monkeypatch.setattr(imaging, "crop", recording_crop)
    crop(qtbot, chelsea)
    assert threads and threads[0] is not threading.main_thread()


def test_a_crop_of_a_picture_no_longer_shown_is_dropped(qtbot, chelsea):
    chelsea.crop()                      # answered only after the next picture is open
    assert chelsea.open_sample("coffee")
    crop(qtbot, chelsea)
    assert chelsea.result().shape_before == (240, 360, 3)


def test_an_unexpected_crop_failure_is_shown_and_the_tool_still_works(qtbot, chelsea, monkeypatch):
    def broken(image, box):
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(imaging, "crop", broken)
    with qtbot.waitSignal(chelsea.sigCropFailed, timeout=CROP_TIMEOUT_MS) as failed:
        qtbot.mouseClick(chelsea.crop_button, Qt.LeftButton)
    assert "out of cheese" in failed.args[0] and "out of cheese" in chelsea.message.text()
    monkeypatch.undo()
    crop(qtbot, chelsea)
    assert chelsea.result() is not None


def test_the_code_copy_button_copies_the_call(qtbot, chelsea):
    qtbot.mouseClick(chelsea.code_panel.copy_button, Qt.LeftButton)
    assert QGuiApplication.clipboard().text().startswith("tf.image.crop_to_bounding_box(image, offset_height=")


# -------------------------------------------------------------------------- bad files


def half_a_png() -> bytes:
    data = imaging.sample_image("coffee").path.read_bytes()
    return data[: len(data) // 2]


@pytest.mark.parametrize(("make_content", "words"), [
    (lambda: b"this is not a picture", "not a picture"),
    (half_a_png, "truncated"),
    (lambda: png_header_only(20_000, 20_000), "too large"),
], ids=["not-a-picture", "truncated", "decompression-bomb"])
def test_a_bad_file_is_explained_and_the_picture_stays(chelsea, tmp_path, make_content, words):
    before = chelsea.image()
    box = chelsea.selection()
    bad = tmp_path / "bad.png"
    bad.write_bytes(make_content())
    assert not chelsea.open_path(bad)
    assert chelsea.message.isVisible()
    assert words in chelsea.message.text()
    assert chelsea.image() is before and chelsea.selection() == box
    assert chelsea.open_sample("coffee")                      # the next success clears it
    assert not chelsea.message.isVisible()


# --------------------------------------------------------------------------- batch


def test_batch_mode_crops_same_size_pictures_as_one_4d_tensor(qtbot, tool, tmp_path):
    a = write_png(tmp_path / "a.png", 40, 30, seed=1)
    b = write_png(tmp_path / "b.png", 40, 30, seed=2)
    other = write_png(tmp_path / "other.png", 41, 30, seed=3)
    tool.act_batch.trigger()
    assert tool.batch_mode() and tool.batch_bar.isVisible()
    assert tool.open_path(a) and tool.open_path(b)
    assert tool.batch_size() == 2
    assert tool.batch_bar.shape_label.text() == "images.shape = (2, 30, 40, 3)"

    assert not tool.open_path(other)
    assert "same [height, width, channels]" in tool.message.text()
    assert tool.batch_size() == 2 and tool.image_name() == "b.png"

    box = BoundingBox(offset_height=5, offset_width=6, target_height=10, target_width=12)
    assert tool.set_box(box)
    assert "tf.image.crop_to_bounding_box(images," in tool.code_panel.code()
    crop(qtbot, tool)
    result = tool.result()
    assert result.array.shape == (2, 10, 12, 3)
    stacked = np.stack([imaging.load_image(a).array, imaging.load_image(b).array])
    np.testing.assert_array_equal(result.array, imaging.slice_crop(stacked, box))
    assert tool.result_panel.shape_label.text() == "(2, 30, 40, 3) -> (2, 10, 12, 3)"
    assert tool.result_panel.picture_count() == 2


@pytest.mark.parametrize(("shape", "expected"), [
    ((300, 451, 3), (37, 56, 3)),       # reduced, aspect kept
    ((512, 512, 1), (56, 56, 1)),       # gray stays one channel
    ((10, 20, 4), (28, 56, 4)),         # small pictures are enlarged to fit; RGBA kept
])
def test_batch_icons_fit_the_icon_square(shape, expected):
    array = np.random.default_rng(5).integers(0, 256, shape, dtype=np.uint8)
    small = imaging.thumbnail(array, 56)
    assert small.shape == expected and small.dtype == np.uint8 and small.flags.c_contiguous


def test_leaving_batch_mode_keeps_the_picture_shown(tool, tmp_path):
    tool.set_batch_mode(True)
    tool.open_path(write_png(tmp_path / "a.png", 20, 10, seed=1))
    tool.open_path(write_png(tmp_path / "b.png", 20, 10, seed=2))
    tool.batch_bar.list.setCurrentRow(0)
    assert tool.image_name() == "a.png"
    tool.set_batch_mode(False)
    assert tool.batch_size() == 1 and tool.image_name() == "a.png"
    assert not tool.batch_bar.isVisible()


# --------------------------------------------------------------------- save and copy


def test_save_writes_a_png_of_the_crop(qtbot, chelsea, tmp_path, monkeypatch):
    assert chelsea.set_box(BoundingBox(10, 20, 33, 44))
    crop(qtbot, chelsea)
    target = tmp_path / "cat_face"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "PNG"))
    import threading

    from ui.imaging import panel

    writers = []
    monkeypatch.setattr(panel.imaging, "save_image", lambda *a, _real=panel.imaging.save_image, **k: (
        writers.append(threading.current_thread()), _real(*a, **k))[1])
    with qtbot.waitSignal(chelsea.sigCropSaved, timeout=10_000):
        qtbot.mouseClick(chelsea.save_button, Qt.LeftButton)
    assert writers and threading.main_thread() not in writers  # a folder that does not answer waits there
    saved = imaging.load_image(tmp_path / "cat_face.png")
    assert saved.size == (44, 33)
    np.testing.assert_array_equal(saved.array, chelsea.result().array)


def test_a_failed_save_is_explained(qtbot, chelsea, tmp_path):
    crop(qtbot, chelsea)
    chelsea.save_crop_to(tmp_path / "crop.gif")
    qtbot.waitUntil(lambda: "PNG or JPEG" in chelsea.message.text(), timeout=10_000)
    assert not (tmp_path / "crop.gif").exists()


@pytest.mark.parametrize("sample", ["chelsea", "camera", "horse"])   # RGB, gray, RGBA
def test_copy_puts_the_crop_on_the_clipboard(qtbot, tool, sample):
    tool.open_sample(sample)
    box = BoundingBox(offset_height=100, offset_width=150, target_height=21, target_width=34)
    assert tool.set_box(box)
    crop(qtbot, tool)
    qtbot.mouseClick(tool.copy_button, Qt.LeftButton)
    copied = QGuiApplication.clipboard().image()
    assert copied.size() == QSize(34, 21)
    pixel = tool.image().array[100 + 7, 150 + 9]
    colour = copied.pixelColor(9, 7)
    if pixel.size == 1:
        assert colour.red() == colour.green() == colour.blue() == pixel[0]
    else:
        assert (colour.red(), colour.green(), colour.blue()) == tuple(pixel[:3])


# ------------------------------------------------------------------- drag and drop


def test_dropping_a_file_opens_it(qtbot, tool, tmp_path):
    path = write_png(tmp_path / "dropped.png", 25, 15, seed=4)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(tool.sigOpenFinished, timeout=OPEN_TIMEOUT_MS):
        assert send_drag(tool, mime, QPoint(50, 50), actions=Qt.CopyAction).drop is not None
    assert tool.image_name() == "dropped.png"
    assert tool.image().shape == (15, 25, 3)


def test_a_drag_without_files_is_refused(tool):
    mime = QMimeData()
    mime.setText("hello")
    assert not send_drag(tool, mime, QPoint(50, 50), actions=Qt.CopyAction).enter_accepted


def test_saving_the_crop_over_its_own_picture_asks_first(qtbot, tool, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    photo = write_png(tmp_path / "photo.png", 40, 30, seed=3)
    original = photo.read_bytes()
    assert tool.open_path(photo)
    assert tool.set_box(BoundingBox(5, 5, 10, 10))
    crop(qtbot, tool)
    asked = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or answer[0])
    tool.save_crop_to(tmp_path / "." / "photo.png")  # the same file, spelled otherwise
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    qtbot.wait(200)
    assert photo.read_bytes() == original and "replaces the original" in asked[0]
    answer[0] = QMessageBox.StandardButton.Save
    with qtbot.waitSignal(tool.sigCropSaved, timeout=10_000):
        tool.save_crop_to(photo)
    assert imaging.load_image(photo).size == (10, 10)
    asked.clear()
    with qtbot.waitSignal(tool.sigCropSaved, timeout=10_000):
        tool.save_crop_to(tmp_path / "other.png")
    assert asked == [] and imaging.load_image(tmp_path / "other.png").size == (10, 10)  # another file: no question
