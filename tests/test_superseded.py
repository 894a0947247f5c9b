"""Work made out of date stops at its next layer (tflab.superseded)."""

from __future__ import annotations

import pytest

from tflab import codegen, superseded
from tflab.graph import ModelGraph
from tflab.shape_rules import quick_report


def _chain(layers: int) -> ModelGraph:
    return ModelGraph.sequential((8,), [("Dense", {"units": 8})] * layers)


def _stale_after(calls: int) -> tuple[list[int], object]:
    """A ``stale()`` that turns true at its ``calls``-th call, and the count of calls."""
    count = [0]

    def stale() -> bool:
        count[0] += 1
        return count[0] >= calls

    return count, stale


@pytest.mark.parametrize("work", [
    pytest.param(lambda graph: ModelGraph.from_json(graph.to_json()), id="reading a snapshot"),
    pytest.param(quick_report, id="the shapes without Keras"),
    pytest.param(lambda graph: codegen.generate(graph, "functional"), id="writing the code"),
])
def test_the_engines_long_loops_stop_once_their_work_is_out_of_date(work):
    graph = _chain(200)
    count, stale = _stale_after(3)
    with superseded.stop_when(stale), pytest.raises(superseded.Superseded):
        work(graph)
    assert count[0] == 3  # stopped at the third layer of 200, not at the end

    never = _stale_after(10**9)[1]
    with superseded.stop_when(never):
        assert work(graph) is not None  # asked and not replaced: done to the end
    assert work(graph) is not None  # outside stop_when (the command line): never stops


def test_a_stop_passes_the_handlers_that_turn_failures_into_messages():
    """``except Exception`` turns a failure into words for the user; a stop is no failure."""
    with superseded.stop_when(lambda: True), pytest.raises(superseded.Superseded):
        try:
            superseded.check()
        except Exception:  # noqa: BLE001 - the handler it must pass
            pytest.fail("a stop was taken for a failure")


def test_stop_when_blocks_nest_and_end():
    with superseded.stop_when(lambda: False):
        with superseded.stop_when(lambda: True), pytest.raises(superseded.Superseded):
            superseded.check()
        superseded.check()  # the outer block's work is still wanted
    superseded.check()
