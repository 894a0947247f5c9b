"""What the benchmarks that open the real window share."""

from __future__ import annotations

import os


def private_settings(folder: str) -> None:
    """Settings and application data in ``folder``, never the user's; TensorFlow loaded."""
    from PySide6.QtCore import QCoreApplication, QSettings

    from tflab import tfload

    QCoreApplication.setOrganizationName("tflab-bench")
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, folder)
    os.environ["XDG_DATA_HOME"] = folder
    tfload.load()


def ready_window(app, size: tuple[int, int] | None = None):
    """The main window, shown, once its TensorFlow loader says it is ready and the data
    the Training tab reads at start (the bundled digits) is read: what a benchmark then
    times is its own work, not the start-up's, which runs beside it for a second."""
    from ui.app.main_window import MainWindow
    from ui.core.collector import collect_on_gui_thread
    from ui.core.workers import share_python_often

    collect_on_gui_thread(app)  # garbage collected as the application does it (on the GUI thread)
    share_python_often()  # and threads take turns as in the application
    window = MainWindow()
    if size is not None:
        window.resize(*size)
    window.show()
    window.tf_loader.start()
    while not window.tf_loader.is_ready() or window.training.data_panel.loading():
        app.processEvents()
    return window


def close_window(window) -> None:
    """Close a benchmark's window without asking to save, and end its threads."""
    window.document.undo_stack.setClean()
    window.close()
    window.shutdown()
