"""Interface tests never touch the user's settings or data: both go to a temporary folder."""

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def _private_settings(qapp, tmp_path, monkeypatch):
    """QSettings and the application data folder (recovery files) live in ``tmp_path``;
    the application's settings are read from there afresh (ui/core/settings.py)."""
    from ui.core import settings as app_settings

    app_settings.reset()  # what the test before set is written where it belongs, first
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    QCoreApplication.setOrganizationName("tflab-tests")
    QCoreApplication.setApplicationName("tflab-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    yield
    app_settings.reset()


@pytest.fixture(autouse=True)
def _english_afterwards(qapp):
    """A test that switches the language leaves the next one in English."""
    yield
    from tflab import messages
    from ui.app import language

    if messages.language() != "en":
        language.apply_choice(qapp, language.ENGLISH)
        qapp.sendPostedEvents()


# --- Chinese text renders with a real CJK font, never as empty boxes (ui/app/fonts.py) ---
@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with a CJK font registered where Qt finds none by itself,
    and garbage collected on its thread only."""
    from ui.app.fonts import ensure_cjk_font
    from ui.core.collector import collect_on_gui_thread

    ensure_cjk_font()
    collect_on_gui_thread(qapp)  # as the application does: no garbage collection on workers
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


@pytest.fixture
def make_page(qtbot):
    """Lab pages built from their modules (``module.create(context)``); their background
    work is waited for after the test."""
    from ui.labs.common import LabContext

    pages = []

    def make(module, context=None):
        page = module.create(context or LabContext())
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        runner = getattr(page, "runner", None)
        if runner is not None:
            runner.wait()


@pytest.fixture
def make_panel(qtbot, tmp_path):
    """Panels on a document holding ``graph`` and ``training``; logs go to ``tmp_path/runs``.

    They are closed after the test (closing stops a run and joins the threads).
    """
    panels = []

    def make(graph, training: dict):
        from tflab.project import Project
        from ui.core.document import Document
        from ui.training.panel import TrainingPanel

        panel = TrainingPanel(Document(Project(graph, dict(training))))
        panels.append(panel)
        panel.set_logdir(str(tmp_path / "runs"))
        panel.resize(1300, 850)
        panel.show()
        qtbot.waitExposed(panel)
        # The timeout (ms) only guards against a hang, never a speed requirement.
        qtbot.waitUntil(lambda: panel.data_panel.dataset is not None, timeout=180_000)
        return panel

    yield make
    for panel in panels:
        panel.close()
        panel.deleteLater()


@pytest.fixture
def make_inspector(qtbot):
    """Inspectors, each on its own stack Input(28, 28) -> Dense(32) -> Dropout(0.2), the
    Dense selected."""

    def make():
        from tflab.graph import ModelGraph
        from tflab.project import Project
        from ui.core.document import Document
        from ui.editor.inspector import Inspector

        graph = ModelGraph.sequential([28, 28], [("Dense", {"units": 32}), ("Dropout", {"rate": 0.2})])
        document = Document(Project(graph))
        inspector = Inspector(document)
        qtbot.addWidget(inspector)
        inspector.resize(360, 800)
        inspector.show()
        document.select(next(iter(graph.calls)))
        return inspector

    return make
