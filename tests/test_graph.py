"""The model graph: structure, stack edits, validation and JSON round trips."""

import json

import pytest

from tflab.graph import GraphError, ModelGraph, TensorRef, python_identifier, snake_case


def two_input_graph() -> ModelGraph:
    g = ModelGraph("two")
    a = g.add_input((4,), "a")
    b = g.add_input((3,), "b")
    da = g.add_layer_call("Dense", {"units": 8}, [a])
    db = g.add_layer_call("Dense", {"units": 8}, [b])
    cat = g.add_layer_call("Concatenate", {}, [da, db])
    out = g.add_layer_call("Dense", {"units": 1}, [cat])
    g.set_outputs([out])
    return g


def test_sequential_builds_a_stack_with_unique_keras_style_names():
    g = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100}), ("Dense", {"units": 10})])
    assert list(g.layers) == ["flatten", "dense", "dense_1"]
    order, _, _ = g.stack_order()
    assert [g.calls[c].layer for c in order] == ["flatten", "dense", "dense_1"]
    assert g.is_stack()
    assert g.outputs == [TensorRef(order[-1])]


def test_stack_insert_move_remove_keep_a_chain_and_the_output_at_the_end():
    g = ModelGraph.sequential((8,), [("Dense", {"units": 4})])
    first = g.stack_insert(0, "Dropout", {"rate": 0.5})
    g.stack_insert(5, "Dense", {"units": 2})  # past the end: appended
    order, _, _ = g.stack_order()
    assert [g.calls[c].layer for c in order] == ["dropout", "dense", "dense_1"]
    assert g.outputs == [TensorRef(order[-1])]
    g.stack_move(0, 2)
    order, _, _ = g.stack_order()
    assert [g.calls[c].layer for c in order] == ["dense", "dense_1", "dropout"]
    assert g.outputs == [TensorRef(first)]
    g.stack_remove(2)
    order, _, _ = g.stack_order()
    assert [g.calls[c].layer for c in order] == ["dense", "dense_1"]
    assert "dropout" not in g.layers
    assert g.outputs == [TensorRef(order[-1])]


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: two_input_graph(), "exactly one input"),
        (lambda: _shared(), "more than once"),
        (lambda: _branch(), "branch"),
    ],
)
def test_sequential_refusal_says_why_in_words(make, words):
    g = make()
    reason = g.not_a_stack_reason()
    assert reason is not None and words in reason[0]
    assert reason[1] and reason[1] != reason[0]  # a Chinese text too
    order, en, zh = g.stack_order()
    assert order is None and en == reason[0] and zh == reason[1]


def _shared() -> ModelGraph:
    g = ModelGraph()
    x = g.add_input((4,))
    first = g.add_layer_call("Dense", {"units": 4}, [x])
    g.add_call("dense", [first])
    return g


def _branch() -> ModelGraph:
    g = ModelGraph()
    x = g.add_input((4,))
    g.add_layer_call("Dense", {"units": 4}, [x])
    g.add_layer_call("Dense", {"units": 2}, [x])
    return g


def test_connect_refuses_a_cycle_and_leaves_the_graph_unchanged():
    g = ModelGraph.sequential((4,), [("Dense", {"units": 4}), ("Dense", {"units": 4})])
    order, _, _ = g.stack_order()
    before = g.to_json()
    with pytest.raises(GraphError, match="cycle"):
        g.connect(order[1], order[0])
    with pytest.raises(GraphError, match="cycle"):
        g.connect(order[0], order[0])
    assert g.to_json() == before


def test_json_round_trip_keeps_everything():
    g = two_input_graph()
    g.positions = {g.inputs[0].id: (1.0, 2.0)}
    text = json.dumps(g.to_json())
    again = ModelGraph.from_json(json.loads(text))
    assert again == g
    assert again.to_json() == g.to_json()
    # New ids never collide with loaded ones.
    assert not again.has_node(again.new_id())


def test_removing_a_node_removes_its_wires_and_outputs():
    g = two_input_graph()
    cat = next(c for c in g.calls.values() if c.layer == "concatenate")
    g.remove_node(cat.id)
    assert all(r.node != cat.id for c in g.calls.values() for r in c.inputs)
    assert "concatenate" not in g.layers


def test_shared_layer_keeps_one_object_until_its_last_call_is_removed():
    g = _shared()
    calls = g.calls_of_layer("dense")
    assert g.shared_layers() == ["dense"]
    g.remove_node(calls[1])
    assert "dense" in g.layers and g.shared_layers() == []


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda d: d.update(format="something-else"), "not a tflab model graph"),
        (lambda d: d.update(version=99), "newer tflab"),
        (lambda d: d["calls"][0].update(inputs=["nowhere"]), "dangling"),
        (lambda d: d["calls"][0].update(layer="missing"), "no layer named"),
        (lambda d: d["layers"][0].update(class_name="NoSuchLayer"), "unknown layer class"),
        (lambda d: d["layers"].append(dict(d["layers"][0])), "used twice"),
        (lambda d: d["inputs"][0].update(shape=[0, 3]), "bad size"),
        (lambda d: d["inputs"][0].update(shape="28x28"), "list of sizes"),
        (lambda d: d.update(calls="oops"), "must be a list"),
        (lambda d: d["calls"][0].update(inputs=[d["calls"][1]["id"]]), "cycle"),
    ],
)
def test_bad_graphs_are_refused_with_a_message_naming_the_problem(mutate, words):
    data = ModelGraph.sequential((4,), [("Dense", {"units": 4}), ("Dense", {"units": 2})]).to_json()
    mutate(data)
    with pytest.raises(GraphError) as info:
        ModelGraph.from_json(data)
    assert words in info.value.en
    assert info.value.zh and info.value.zh != info.value.en


def test_names_for_code():
    assert snake_case("Conv2D") == "conv2d"
    assert snake_case("BatchNormalization") == "batch_normalization"
    assert snake_case("LSTM") == "lstm"
    assert python_identifier("class") == "class_"
    assert python_identifier('x"); import os #') .isidentifier()
    assert python_identifier("dense", {"dense"}) == "dense_1"
    assert python_identifier("1st layer").isidentifier()


@pytest.mark.parametrize("bad", ["中文层", "has space", "_private", "a/b", 'quote"d', ""])
def test_names_tensorflow_cannot_use_are_refused_with_examples(bad):
    g = ModelGraph.sequential((4,), [("Dense", {"units": 2})])
    with pytest.raises(GraphError) as info:
        g.rename_layer("dense", bad)
    assert info.value.zh != info.value.en
    assert "dense" in g.layers  # unchanged
    if bad:  # an empty input name means "choose one for me"
        with pytest.raises(GraphError):
            g.add_input((3,), bad)


def test_names_tensorflow_accepts():
    g = ModelGraph.sequential((4,), [("Dense", {"units": 2})])
    for good in ("dense_2", "block-1", "encoder.output", "9lives"):
        g.rename_layer(next(iter(g.layers)), good)
        assert good in g.layers


@pytest.mark.parametrize("point", [[1e9, 0], [0, float("inf")], [float("nan"), 5], [-2e6, 1]])
def test_editor_positions_out_of_range_are_dropped_on_load(point):
    """A position of 1e9, Infinity or NaN (JSON accepts them) sent the editor's background
    into an endless loop; such a position is ignored and the node placed as new."""
    import json

    data = ModelGraph.sequential((4,), [("Dense", {"units": 4})]).to_json()
    node = data["inputs"][0]["id"]
    data["positions"] = {node: point, data["calls"][0]["id"]: [10.0, 20.0]}
    graph = ModelGraph.from_json(json.loads(json.dumps(data)))
    assert node not in graph.positions
    assert graph.positions[data["calls"][0]["id"]] == (10.0, 20.0)


def test_a_snapshot_shares_nothing_with_the_graph():
    """Undo and the background checks work on snapshots: changing one (a nested list or
    dict of a config) never changes the graph, and the snapshot equals the graph."""
    graph = ModelGraph.sequential((8, 8, 3), [("Conv2D", {"filters": 4, "kernel_size": [3, 3],
                                                          "kernel_initializer": {"class_name": "Zeros", "module": "initializers",
                                                                                 "config": {}}})])
    snapshot = graph.to_json()
    assert ModelGraph.from_json(snapshot).to_json() == snapshot
    config = snapshot["layers"][0]["config"]
    config["kernel_size"].append(9)
    config["kernel_initializer"]["config"]["x"] = 1
    layer = next(iter(graph.layers.values()))
    assert layer.config["kernel_size"] == [3, 3] and layer.config["kernel_initializer"]["config"] == {}
