"""Garbage is collected on the GUI thread only: a worker thread that allocates never
destroys a Qt object (that hung the program, each thread waiting for the other)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from ui.core.collector import GuiCollector, collect_on_gui_thread


class _Holder:
    pass


def test_cycles_made_on_a_worker_are_collected_on_the_gui_thread(qtbot):
    collector = collect_on_gui_thread(QApplication.instance())
    assert isinstance(collector, GuiCollector) and not gc.isenabled()
    collected_on = []
    kept = []  # the worker's new objects stay alive: the counts stay past the thresholds

    def work() -> None:
        holder = _Holder()
        holder.qt_object, holder.itself = QObject(), holder  # garbage only a collection frees
        weakref.finalize(holder, lambda: collected_on.append(threading.current_thread()))
        del holder
        kept.append([[i, str(i)] for i in range(200_000)])  # far past every collection threshold

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert collected_on == []  # the worker's allocations collected nothing
    qtbot.waitUntil(lambda: bool(collected_on), timeout=5000)
    assert collected_on == [threading.main_thread()]
    kept.clear()


def test_the_collector_is_installed_once():
    app = QApplication.instance()
    assert collect_on_gui_thread(app) is collect_on_gui_thread(app)
    assert len(app.findChildren(GuiCollector)) == 1
