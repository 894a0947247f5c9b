"""Trained weights kept in a project file, for exactly the model they were trained for."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest

from tflab import weights
from tflab.graph import ModelGraph
from tflab.project import Project, ProjectError, dumps, loads


def _graph(units: int = 4) -> ModelGraph:
    return ModelGraph.sequential((3,), [("Dense", {"units": units})])


def test_weights_go_into_the_project_file_and_come_back_the_same():
    arrays = [np.arange(12, dtype=np.float32).reshape(3, 4), np.ones(4, dtype=np.float32)]
    record = weights.pack(arrays, _graph(), epochs=7)
    project = loads(dumps(Project(_graph(), {}, {}, record)))
    back = weights.unpack(project.weights)
    assert [a.tolist() for a in back] == [a.tolist() for a in arrays]
    assert project.weights["epochs"] == 7 and weights.fits(project.weights, project.graph)


def test_weights_belong_to_the_model_not_to_where_its_boxes_stand():
    moved = _graph()
    moved.positions = {"n1": (100.0, 50.0)}
    renamed = _graph()
    renamed.name = "other"
    assert weights.graph_digest(moved) == weights.graph_digest(_graph()) == weights.graph_digest(renamed)
    assert weights.graph_digest(_graph(5)) != weights.graph_digest(_graph())
    record = weights.pack([np.zeros((3, 4)), np.zeros(4)], _graph(), 1)
    assert weights.fits(record, moved) and not weights.fits(record, _graph(5)) and not weights.fits(None, moved)


def test_weights_of_a_run_that_diverged_are_not_kept():
    assert weights.pack([np.array([1.0, np.nan])], _graph(), 1) is None


def _project_json(record) -> str:
    data = json.loads(dumps(Project(_graph())))
    data["weights"] = record
    return json.dumps(data)


@pytest.mark.parametrize("record", [
    "not an object", {"graph": "x" * 64, "epochs": 1, "npz": ""}, {"graph": "0" * 64, "epochs": -1, "npz": ""},
    {"graph": "0" * 64, "epochs": 1}, {"graph": "0" * 64, "epochs": True, "npz": ""},
])
def test_a_malformed_weights_section_is_refused_with_the_file(record):
    with pytest.raises(ProjectError, match="weights"):
        loads(_project_json(record))


def test_weights_that_are_not_numbers_are_never_unpickled():
    buffer = io.BytesIO()
    np.savez(buffer, np.array([{"a": 1}], dtype=object))
    record = {"graph": "0" * 64, "epochs": 1, "npz": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(weights.WeightsError):
        weights.unpack(record)
    broken = {"graph": "0" * 64, "epochs": 1, "npz": "not base64!"}
    with pytest.raises(weights.WeightsError):
        weights.unpack(broken)


def test_a_session_starts_from_the_kept_weights_when_they_fit():
    from tflab.session import RunRequest, Session

    graph = ModelGraph.sequential((4,), [("Dense", {"units": 8, "activation": "relu"}),
                                         ("Dense", {"units": 3, "activation": "softmax"})])
    config = {"epochs": 2, "batch_size": 16}
    first = Session()
    first.prepare(RunRequest(graph.to_json(), "iris", {}, config))
    for _ in first.trainer.run():
        pass
    first.trained_epochs = 2
    record = first.weights_record(graph.to_json())
    again = Session()
    prepared = again.prepare(RunRequest(graph.to_json(), "iris", {}, config, record))
    assert prepared.restored and prepared.epochs == 2
    x = first.dataset.x[:10]
    np.testing.assert_allclose(again.predict(x), first.predict(x), atol=1e-6)
    edited = ModelGraph.sequential((4,), [("Dense", {"units": 9, "activation": "relu"}),
                                          ("Dense", {"units": 3, "activation": "softmax"})])
    assert not Session().prepare(RunRequest(edited.to_json(), "iris", {}, config, record)).restored
