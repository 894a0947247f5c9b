"""Interface tests never touch the user's settings or data: both go to a temporary folder."""

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def _private_settings(qapp, tmp_path, monkeypatch):
    """QSettings and the application data folder (recovery files) live in ``tmp_path``."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    QCoreApplication.setOrganizationName("tflab-tests")
    QCoreApplication.setApplicationName("tflab-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))


# --- Chinese text renders with a real CJK font, never as empty boxes (ui/app/fonts.py) ---
@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with a CJK font registered where Qt finds none by itself."""
    from ui.app.fonts import ensure_cjk_font

    ensure_cjk_font()
    return qapp


@pytest.fixture
def make_window(qtbot):
    """Windows that are closed (changes discarded) and their threads stopped after the test."""
    from ui.app.main_window import MainWindow

    windows = []

    def make(show: bool = True):
        window = MainWindow()
        windows.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    yield make
    for window in windows:
        window.document.mark_saved()
        window.close()
        window.deleteLater()
