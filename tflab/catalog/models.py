"""A model used as a layer of another: the catalog entry of a nested model node.

Keras lets a whole model be called like a layer: ConvNeXt's stem is a ``Sequential``
inside the bigger model, and a Siamese network calls one ``embedding_network`` on both
of its inputs (one set of weights). In a graph such a model is one layer of the class
:data:`MODEL_CLASS` whose only argument, ``graph``, is the inner model's graph as
:meth:`tflab.graph.ModelGraph.to_json` writes it. Its calls share its weights like any
shared layer's.

The inner graph is checked as a project's graph is (:meth:`ModelGraph.from_json`: the
allow-list, plain values, no cycle), to a depth of :data:`MAX_NESTING` models in models;
it may not carry custom layer code of its own. That check is registered by
:mod:`tflab.graph`, which reads graphs (the catalog never imports it).
"""

from __future__ import annotations

from tflab.catalog.params import LayerEntry, ParamSpec

#: The class name of a nested model node.
MODEL_CLASS = "Model"
#: How many models may sit inside one another (ConvNeXt needs 2; a file may say 10,000).
MAX_NESTING = 8

MODEL_ENTRY = LayerEntry(
    MODEL_CLASS, "other", False,
    "A whole model used as one layer (keras.Model): its layers and weights are shared by "
    "every call of it.",
    "把整个模型当作一个层使用（keras.Model）：它的层和权重由它的每次调用共享。",
    (ParamSpec("graph", "model", None, required=True,
               desc_en="The inner model: its inputs, layers and outputs.",
               desc_zh="内部模型：它的输入、层和输出。"),),
    "model", 1, None,
    initial_config={},
)
