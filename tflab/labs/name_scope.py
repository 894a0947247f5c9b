"""name_scope lab: trace a tiny model inside ``tf.function`` under nested ``tf.name_scope``s.

Tracing builds a graph; every operation created inside ``tf.name_scope("a")`` gets a
name starting with ``a/``. The lab returns the operations and the tree of scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tflab import tfload

#: The program the lab traces (the lab runs the same operations).
CODE = '''import tensorflow as tf


@tf.function
def tiny_model(x):
    with tf.name_scope("model"):
        with tf.name_scope("hidden"):
            kernel = tf.constant([[0.5, -0.25], [0.75, 1.0], [-0.5, 0.25]], name="kernel")
            bias = tf.constant([0.1, -0.1], name="bias")
            h = tf.nn.relu(tf.matmul(x, kernel) + bias, name="relu")
        with tf.name_scope("output"):
            kernel = tf.constant([[1.0], [-1.0]], name="kernel")
            y = tf.matmul(h, kernel, name="logits")
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(y), name="mean_square")
    return loss


# Tracing: TensorFlow runs the Python function once and records a graph.
concrete = tiny_model.get_concrete_function(tf.TensorSpec([None, 3], tf.float32, name="x"))
operations = concrete.graph.get_operations()
op_names = [op.name for op in operations]
for op in operations:
    print(f"{op.name:30} {op.type}")
'''


@dataclass(frozen=True)
class NameScopeResult:
    """The traced graph: operation names and types (in creation order) and the scope tree.

    ``tree`` is nested dicts: ``{"name", "path", "type", "children"}``, where ``type`` is
    the operation type, or None for a scope that is only a group.
    """

    op_names: list[str]
    op_types: list[str]
    tree: dict
    code: str


def name_scope_lab() -> NameScopeResult:
    """Trace the tiny model of :data:`CODE` and return its operations and scope tree."""
    tf = tfload.tensorflow()

    @tf.function
    def tiny_model(x: Any) -> Any:
        with tf.name_scope("model"):
            with tf.name_scope("hidden"):
                kernel = tf.constant([[0.5, -0.25], [0.75, 1.0], [-0.5, 0.25]], name="kernel")
                bias = tf.constant([0.1, -0.1], name="bias")
                h = tf.nn.relu(tf.matmul(x, kernel) + bias, name="relu")
            with tf.name_scope("output"):
                kernel = tf.constant([[1.0], [-1.0]], name="kernel")
                y = tf.matmul(h, kernel, name="logits")
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(tf.square(y), name="mean_square")
        return loss

    concrete = tiny_model.get_concrete_function(tf.TensorSpec([None, 3], tf.float32, name="x"))
    operations = concrete.graph.get_operations()
    names = [op.name for op in operations]
    types = [op.type for op in operations]
    return NameScopeResult(names, types, scope_tree(names, types), CODE)


def scope_tree(op_names: list[str], op_types: list[str]) -> dict:
    """The tree of scopes of ``op_names`` (split on ``/``), operations as leaves with their type.

    A name that is an operation AND a prefix of others (TensorFlow nests helper
    operations under the operation that made them) is one node with both.
    """
    root: dict = {"name": "", "path": "", "type": None, "children": []}
    for name, op_type in zip(op_names, op_types):
        node = root
        for part in name.split("/"):
            node = _child(node, part)
        node["type"] = op_type
    return root


def _child(node: dict, part: str) -> dict:
    for child in node["children"]:
        if child["name"] == part:
            return child
    path = f"{node['path']}/{part}" if node["path"] else part
    child = {"name": part, "path": path, "type": None, "children": []}
    node["children"].append(child)
    return child
