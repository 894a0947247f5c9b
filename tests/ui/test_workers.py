"""The one worker API: lanes run jobs in order off the GUI thread, requests keep only the latest answer."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject

from tflab.messages import TflabError
from ui.core.workers import Lane, Requests


@pytest.fixture
def lane():
    made = Lane("test-lane")
    yield made
    made.shutdown()


def test_a_lane_runs_jobs_in_order_on_one_thread_that_is_not_the_gui_thread(qtbot, lane):
    answers = []
    lane.worker.sigResult.connect(lambda key, value: answers.append((key, value)))
    for key in range(5):
        lane.submit(key, threading.get_ident)
    qtbot.waitUntil(lambda: len(answers) == 5, timeout=10_000)
    assert [key for key, _ in answers] == [0, 1, 2, 3, 4]
    threads = {value for _, value in answers}
    assert len(threads) == 1 and threading.get_ident() not in threads


def test_only_the_latest_request_is_answered(qtbot, lane):
    requests = Requests(lane)
    results = []
    requests.sigResult.connect(results.append)
    gate = threading.Event()
    requests.run(lambda: gate.wait(5) and "old")
    requests.run(lambda: "older")
    requests.run(lambda: "newest")
    gate.set()
    with qtbot.waitSignal(requests.sigBusy, timeout=10_000, check_params_cb=lambda busy: not busy):
        pass
    assert results == ["newest"]
    assert not requests.busy()


def test_drop_forgets_a_request_in_flight(qtbot, lane):
    requests = Requests(lane)
    results = []
    requests.sigResult.connect(results.append)
    requests.run(lambda: time.sleep(0.05) or "stale")
    requests.drop()
    with qtbot.waitSignal(requests.sigBusy, timeout=10_000):
        pass
    assert results == []


def test_two_requesters_on_one_lane_each_get_their_own_answers(qtbot, lane):
    first, second = Requests(lane), Requests(lane)
    got_first, got_second = [], []
    first.sigResult.connect(got_first.append)
    second.sigResult.connect(got_second.append)
    with qtbot.waitSignals([first.sigResult, second.sigResult], timeout=10_000):
        first.run(lambda: 1)
        second.run(lambda: 2)
    assert (got_first, got_second) == ([1], [2])


def test_errors_arrive_in_words_and_unexpected_ones_say_what_was_being_done(qtbot, lane):
    requests = Requests(lane, doing=("reading the file", "读取文件"))
    with qtbot.waitSignal(requests.sigError, timeout=10_000) as told:
        requests.run(lambda: (_ for _ in ()).throw(TflabError("No such data set.", "没有这个数据集。")))
    assert told.args[0].full().startswith("No such data set.")
    with qtbot.waitSignal(requests.sigError, timeout=10_000) as told:
        requests.run(lambda: {}["missing"])
    text = told.args[0].full()
    assert "reading the file" in text and "KeyError" in text


def test_progress_reaches_the_screen_for_the_latest_request_only(qtbot, lane):
    requests = Requests(lane)
    seen = []
    requests.sigProgress.connect(seen.append)

    def work(report):
        for step in range(4):
            report((step + 1) / 4)
        return "done"

    with qtbot.waitSignal(requests.sigResult, timeout=10_000):
        requests.run(work, progress=True)
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=5_000)
    assert seen == [0.25, 0.5, 0.75, 1.0]


def test_wait_returns_once_every_job_has_run(lane):
    done = []
    for n in range(3):
        lane.submit(n, lambda n=n: time.sleep(0.02) or done.append(n))
    assert lane.wait(10_000)
    assert done == [0, 1, 2]


def test_a_lane_owned_by_a_screen_ends_with_it(qtbot):
    owner = QObject()
    owned = Lane("owned", owner)
    assert owned.is_running()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not owned.is_running(), timeout=5_000)


def test_a_hold_waits_while_busy_at_most_its_time_and_starts_again_after():
    from ui.core.workers import Hold

    hold = Hold(most_s=0.2)
    assert not hold.waits()  # nothing to wait for until told
    busy = [True]
    hold.set_busy(lambda: busy[0])
    assert hold.waits() and hold.waits()
    time.sleep(0.25)
    assert not hold.waits()  # waited long enough: the work goes on beside the worker
    busy[0] = False
    assert not hold.waits()
    busy[0] = True
    assert hold.waits()  # a new wait, with its own time
