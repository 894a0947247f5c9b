"""One message widget for every screen: errors, infos and notes, in words."""

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from tflab.messages import TflabError
from ui.widgets.messages import Message


def test_an_error_is_shown_with_its_hint_and_clearing_hides_it(qtbot):
    screen = QWidget()
    qtbot.addWidget(screen)
    message = Message(screen)
    screen.show()
    assert not message.isVisible()  # nothing to say yet
    message.show_error(TflabError("The box is outside the image.", hint_en="Make it smaller."))
    assert message.isVisible() and message.kind == "error"
    assert "The box is outside the image." in message.text() and "Make it smaller." in message.text()
    assert "#8c1d18" in message.styleSheet()
    message.show_info("Training...")
    assert message.kind == "info" and "#174a7c" in message.styleSheet()
    message.show_note("A note.")
    assert message.kind == "note" and message.styleSheet() == ""
    message.clear_message()
    assert not message.isVisible() and message.kind == ""


def test_under_a_dark_colour_scheme_the_colours_are_reversed(qtbot):
    app = QGuiApplication.instance()
    saved = app.palette()
    dark = QPalette(saved)
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    try:
        app.setPalette(dark)
        message = Message()
        qtbot.addWidget(message)
        message.show_error("Too big.")
        assert "#4f1f1c" in message.styleSheet()  # dark red background, light text
    finally:
        app.setPalette(saved)
