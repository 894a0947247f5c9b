"""name_scope and summary labs: the traced operations and the scalars written and read
back are TensorFlow's, and the code shown produces the same ones."""

from __future__ import annotations

import pytest

from tflab.labs.name_scope import name_scope_lab, scope_tree
from tflab.labs.summary_scalar import summary_lab
from tflab.messages import TflabError


def run(code: str) -> dict:
    namespace: dict = {}
    exec(compile(code, "<lab code>", "exec"), namespace)
    return namespace


def find(tree: dict, path: str) -> dict:
    node = tree
    for part in path.split("/"):
        node = next(child for child in node["children"] if child["name"] == part)
    return node


def test_name_scope_ops_are_prefixed_and_the_code_traces_the_same_graph():
    result = name_scope_lab()
    assert result.op_names == run(result.code)["op_names"]
    assert "x" in result.op_names
    assert {"model/hidden/kernel", "model/hidden/relu", "model/output/kernel", "model/output/logits",
            "loss/mean_square"} <= set(result.op_names)
    assert any(name.startswith("model/hidden/MatMul") for name in result.op_names)
    types = dict(zip(result.op_names, result.op_types))
    assert types["model/hidden/relu"] == "Relu" and types["x"] == "Placeholder"


def test_scope_tree_holds_every_operation_once_at_its_path():
    result = name_scope_lab()
    tree = result.tree
    assert [child["name"] for child in tree["children"]][:2] == ["x", "model"]
    assert [child["name"] for child in find(tree, "model")["children"]] == ["hidden", "output"]
    assert find(tree, "model")["type"] is None
    leaves = []

    def walk(node: dict) -> None:
        if node["type"] is not None:
            leaves.append(node["path"])
        for child in node["children"]:
            walk(child)

    walk(tree)
    assert sorted(leaves) == sorted(result.op_names)
    for name, op_type in zip(result.op_names, result.op_types):
        assert find(tree, name)["type"] == op_type


def test_scope_tree_keeps_an_operation_that_also_holds_others():
    tree = scope_tree(["a/MatMul", "a/MatMul/ReadVariableOp"], ["MatMul", "ReadVariableOp"])
    matmul = find(tree, "a/MatMul")
    assert matmul["type"] == "MatMul" and matmul["children"][0]["path"] == "a/MatMul/ReadVariableOp"


def test_summary_writes_loss_and_auc_and_reads_them_back(tmp_path):
    import numpy as np
    import tensorflow as tf

    result = summary_lab(tmp_path, steps=4, seed=3)
    assert result.run_dir == tmp_path / "run_1" and len(result.event_files) == 1
    assert result.event_sizes == [result.event_files[0].stat().st_size] and result.event_sizes[0] > 0
    assert set(result.scalars) == {"loss", "auc"}
    assert [step for step, _ in result.scalars["auc"]] == [0, 1, 2, 3]
    # The same data through Keras here gives the same AUC and loss.
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, size=64).astype("float32")
    for step in range(4):
        predictions = tf.sigmoid(((2 * labels - 1) * 0.5 * step + rng.normal(size=64)).astype("float32"))
        auc = tf.keras.metrics.AUC()
        auc.update_state(labels, predictions)
        assert result.scalars["auc"][step][1] == pytest.approx(float(auc.result()), abs=1e-6)
        loss = tf.keras.losses.BinaryCrossentropy()(labels, predictions)
        assert result.scalars["loss"][step][1] == pytest.approx(float(loss), abs=1e-6)
    assert result.scalars["auc"][-1][1] > result.scalars["auc"][0][1]
    assert result.records[0] == "file_version: brain.Event:2"
    assert f"step 2: auc = {result.scalars['auc'][2][1]:.6g}" in result.records
    assert len(result.records) == 1 + 2 * 4


def test_summary_code_writes_the_same_scalars(tmp_path):
    from tflab.runlogs import read_scalars

    result = summary_lab(tmp_path / "lab", steps=3)
    again = tmp_path / "again"
    run(result.code.replace(repr(str(result.run_dir))[1:-1], str(again)))
    assert read_scalars(again) == result.scalars
    assert summary_lab(tmp_path / "lab", steps=1).run_dir.name == "run_2"


@pytest.mark.parametrize("steps, seed", [(0, 0), (1001, 0), (2.5, 0), (3, -1), (3, "x")])
def test_summary_settings_are_checked(tmp_path, steps, seed):
    with pytest.raises(TflabError):
        summary_lab(tmp_path, steps=steps, seed=seed)


def test_summary_into_an_unwritable_place_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(TflabError) as info:
        summary_lab(blocker / "logs")
    assert "log folder" in info.value.en
