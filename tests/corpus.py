"""A corpus of model graphs covering what students build, shared by several tests.

:func:`corpus` returns fresh graphs by name: stacks (MLP, CNN, Conv1D, recurrent,
Bidirectional, reshaping, every initializer, regularizers and activation layers) and
graphs that only the Functional and Subclass styles can write (two inputs, two heads,
a shared layer, a residual connection, LSTM states, attention). Every graph builds in
Keras; integer inputs feed an Embedding whose ``input_dim`` is at least
:data:`VOCABULARY`, so random whole numbers below it are valid input.

This module does not import TensorFlow or Keras.
"""

from __future__ import annotations

from collections.abc import Callable

from tflab.graph import ModelGraph

#: Random integer inputs for corpus graphs must stay below this.
VOCABULARY = 20

#: A layer name that tries to break out of a string literal into code.
HOSTILE_NAME = 'x"); import os; os.system("echo hacked") #'
#: More names that are awkward in source code: quotes, backslashes, newlines, Chinese.
AWKWARD_NAMES = (
    "it's \"quoted\"",
    "back\\slash\\",
    "two\nlines\r\tand tab",
    '"""triple',
    "中文层",
    "def build_model(): pass",
)


def _init(class_name: str, **config) -> dict:
    return {"class_name": class_name, "module": "initializers", "config": config}


def _obj(module: str, class_name: str, **config) -> dict:
    return {"class_name": class_name, "module": module, "config": config}


def mlp() -> ModelGraph:
    return ModelGraph.sequential([28, 28], [
        ("Flatten", {}),
        ("Dense", {"units": 32, "activation": "relu"}),
        ("Dropout", {"rate": 0.2}),
        ("Dense", {"units": 10, "activation": "softmax"}),
    ], name="mnist_mlp", input_name="image")


def cnn() -> ModelGraph:
    return ModelGraph.sequential([28, 28, 1], [
        ("Conv2D", {"filters": 8, "kernel_size": [3, 3], "activation": "relu", "padding": "same"}),
        ("BatchNormalization", {"momentum": 0.9}),
        ("MaxPooling2D", {"pool_size": [2, 2]}),
        ("Conv2D", {"filters": 12, "kernel_size": 3, "strides": [2, 2], "use_bias": False}),
        ("Dropout", {"rate": 0.25, "seed": 3}),
        ("Flatten", {}),
        ("Dense", {"units": 10, "activation": "softmax"}),
    ], name="small_cnn", input_name="image")


def conv1d() -> ModelGraph:
    return ModelGraph.sequential([32, 3], [
        ("Conv1D", {"filters": 6, "kernel_size": 5, "activation": "relu"}),
        ("MaxPooling1D", {"pool_size": 2}),
        ("Conv1D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2}),
        ("GlobalAveragePooling1D", {}),
        ("Dense", {"units": 1}),
    ], name="signal_conv1d", input_name="signal")


def recurrent() -> ModelGraph:
    graph = ModelGraph.sequential([12], [
        ("Embedding", {"input_dim": VOCABULARY, "output_dim": 8}),
        ("LSTM", {"units": 8, "return_sequences": True}),
        ("GRU", {"units": 6, "return_sequences": True, "dropout": 0.1}),
        ("SimpleRNN", {"units": 4}),
        ("Dense", {"units": 1, "activation": "sigmoid"}),
    ], name="text_rnn", input_name="tokens")
    graph.inputs[0].dtype = "int32"
    return graph


def bidirectional() -> ModelGraph:
    lstm = _obj("layers", "LSTM", units=6, return_sequences=True, name="inner_lstm")
    gru = _obj("layers", "GRU", units=4, name="inner_gru")
    graph = ModelGraph.sequential([10], [
        ("Embedding", {"input_dim": VOCABULARY, "output_dim": 5}),
        ("Bidirectional", {"layer": lstm}),
        ("Bidirectional", {"layer": gru, "merge_mode": "sum"}),
        ("Dense", {"units": 3, "activation": "softmax"}),
    ], name="bidirectional_text", input_name="tokens")
    graph.inputs[0].dtype = "int32"
    return graph


def reshaping() -> ModelGraph:
    return ModelGraph.sequential([64], [
        ("Reshape", {"target_shape": [4, 4, 4]}),
        ("Permute", {"dims": [2, 1, 3]}),
        ("UpSampling2D", {"size": [2, 2]}),
        ("ZeroPadding2D", {"padding": [[1, 0], [0, 1]]}),
        ("Conv2D", {"filters": 2, "kernel_size": [3, 3]}),
        ("Flatten", {}),
        ("Dense", {"units": 2}),
    ], name="reshapes", input_name="values")


#: Every initializer a student meets, all seeded (or not random at all).
INITIALIZERS = (
    _init("Zeros"),
    _init("Ones"),
    _init("Constant", value=0.5),
    _init("RandomNormal", mean=0.0, stddev=0.05, seed=1),
    _init("RandomUniform", minval=-0.1, maxval=0.1, seed=2),
    _init("TruncatedNormal", mean=0.1, stddev=0.2, seed=3),
    _init("Identity", gain=2.0),
    _init("GlorotNormal", seed=4),
    _init("GlorotUniform", seed=5),
    _init("HeNormal", seed=6),
    _init("HeUniform", seed=7),
    _init("LecunNormal", seed=8),
    _init("LecunUniform", seed=9),
    _init("Orthogonal", gain=1.5, seed=10),
    _init("VarianceScaling", scale=2.0, mode="fan_out", distribution="uniform", seed=11),
)


def initializers() -> ModelGraph:
    layers = [("Dense", {"units": 6, "kernel_initializer": init, "bias_initializer": _init("Constant", value=0.1)})
              for init in INITIALIZERS]
    return ModelGraph.sequential([6], layers, name="initializer_zoo", input_name="features")


def regularized() -> ModelGraph:
    return ModelGraph.sequential([10], [
        ("Dense", {
            "units": 16,
            "kernel_regularizer": _obj("regularizers", "L2", l2=0.01),
            "bias_regularizer": _obj("regularizers", "L1", l1=0.001),
            "activity_regularizer": _obj("regularizers", "L1L2", l1=0.0001, l2=0.0002),
            "kernel_constraint": _obj("constraints", "MaxNorm", max_value=2.0, axis=0),
        }),
        ("LeakyReLU", {"negative_slope": 0.1}),
        ("Dense", {"units": 8, "kernel_regularizer": "l2"}),
        ("Activation", {"activation": "tanh"}),
        ("ReLU", {"max_value": 6.0}),
        ("LayerNormalization", {"epsilon": 0.01}),
        ("Dense", {"units": 1}),
    ], name="regularized", input_name="features")


def hostile() -> ModelGraph:
    """Layer and input names that are awkward or dangerous in source code.

    The graph refuses such names (TensorFlow cannot use them), so they are forced
    in behind its back, as a hand-edited or malicious file might try: the code
    generator must still keep them inside string literals.
    """
    layers = [("Dense", {"units": 4, "activation": "relu"}) for _ in AWKWARD_NAMES]
    graph = ModelGraph.sequential([5], layers + [("Dense", {"units": 2})], name="hostile_names")
    graph.inputs[0].name = 'in"put\\'
    for call_id, name in zip(list(graph.calls), (*AWKWARD_NAMES, HOSTILE_NAME)):
        layer = graph.layers.pop(graph.calls[call_id].layer)
        layer.name = name
        graph.layers[name] = layer
        graph.calls[call_id].layer = name
    return graph


def two_inputs() -> ModelGraph:
    graph = ModelGraph("two_inputs")
    image = graph.add_input([8, 8, 1], "image")
    meta = graph.add_input([5], "meta")
    flat = graph.add_layer_call("Flatten", {}, [image])
    seen = graph.add_layer_call("Dense", {"units": 8, "activation": "relu"}, [flat], name="image_features")
    info = graph.add_layer_call("Dense", {"units": 4, "activation": "relu"}, [meta], name="meta_features")
    both = graph.add_layer_call("Concatenate", {}, [seen, info])
    out = graph.add_layer_call("Dense", {"units": 3, "activation": "softmax"}, [both], name="label")
    graph.set_outputs([out])
    return graph


def two_heads() -> ModelGraph:
    graph = ModelGraph("two_heads")
    x = graph.add_input([16], "features")
    trunk = graph.add_layer_call("Dense", {"units": 12, "activation": "relu"}, [x], name="trunk")
    label = graph.add_layer_call("Dense", {"units": 4, "activation": "softmax"}, [trunk], name="class_head")
    value = graph.add_layer_call("Dense", {"units": 1}, [trunk], name="value_head")
    graph.set_outputs([label, value])
    return graph


def shared() -> ModelGraph:
    graph = ModelGraph("siamese")
    left = graph.add_input([10], "left")
    right = graph.add_input([10], "right")
    encoder = graph.add_layer("Dense", {"units": 8, "activation": "tanh"}, "encoder")
    a = graph.add_call(encoder, [left])
    b = graph.add_call(encoder, [right])
    diff = graph.add_layer_call("Subtract", {}, [a, b])
    score = graph.add_layer_call("Dense", {"units": 1, "activation": "sigmoid"}, [diff], name="same")
    graph.set_outputs([score])
    return graph


def residual() -> ModelGraph:
    graph = ModelGraph("residual")
    x = graph.add_input([16], "features")
    h = graph.add_layer_call("Dense", {"units": 16, "activation": "relu"}, [x], name="block_in")
    h2 = graph.add_layer_call("Dense", {"units": 16}, [h], name="block_out")
    skip = graph.add_layer_call("Add", {}, [h, h2], name="skip")
    act = graph.add_layer_call("Activation", {"activation": "relu"}, [skip])
    out = graph.add_layer_call("Dense", {"units": 1}, [act], name="prediction")
    graph.set_outputs([out])
    return graph


def lstm_states() -> ModelGraph:
    """A layer with several outputs: LSTM(return_state=True) gives [output, h, c]."""
    graph = ModelGraph("lstm_states")
    x = graph.add_input([7, 3], "sequence")
    lstm = graph.add_layer_call("LSTM", {"units": 5, "return_state": True}, [x])
    both = graph.add_layer_call("Concatenate", {}, [f"{lstm}:1", f"{lstm}:2"], name="states")
    state_out = graph.add_layer_call("Dense", {"units": 2}, [both], name="from_states")
    seq_out = graph.add_layer_call("Dense", {"units": 2}, [f"{lstm}:0"], name="from_output")
    graph.set_outputs([state_out, seq_out])
    return graph


def attention() -> ModelGraph:
    graph = ModelGraph("self_attention")
    x = graph.add_input([6, 8], "sequence")
    att = graph.add_layer_call("MultiHeadAttention", {"num_heads": 2, "key_dim": 4, "seed": 1}, [x, x])
    add = graph.add_layer_call("Add", {}, [x, att])
    norm = graph.add_layer_call("LayerNormalization", {}, [add])
    step = graph.add_layer_call(
        "TimeDistributed", {"layer": _obj("layers", "Dense", units=3, name="per_step")}, [norm])
    pool = graph.add_layer_call("GlobalMaxPooling1D", {}, [step])
    out = graph.add_layer_call("Dense", {"units": 2, "activation": "softmax"}, [pool], name="label")
    graph.set_outputs([out])
    return graph


def identifiers() -> ModelGraph:
    """Names that are fine for Keras but collide with Python words, module names or
    tf.keras.Model attributes once turned into variables."""
    graph = ModelGraph("model")
    first = graph.add_input([4], "inputs")
    second = graph.add_input([4], "model")
    shared_layer = graph.add_layer("Dense", {"units": 3}, "layers")
    a = graph.add_call(shared_layer, [first])
    b = graph.add_call(shared_layer, [second])
    source = graph.add_layer_call("Concatenate", {}, [a, b], name="call")
    for name in ("name", "tf", "self", "class", "1st-layer", "dense.v2", "a-b", "9lives",
                 "build_model", "np", "make_random_data", "Model"):
        source = graph.add_layer_call("Dense", {"units": 3}, [source], name=name)
    out = graph.add_layer_call("Dense", {"units": 2}, [source], name="outputs")
    graph.set_outputs([out])
    return graph


BUILDERS: dict[str, Callable[[], ModelGraph]] = {
    "mlp": mlp,
    "cnn": cnn,
    "conv1d": conv1d,
    "recurrent": recurrent,
    "bidirectional": bidirectional,
    "reshaping": reshaping,
    "initializers": initializers,
    "regularized": regularized,
    "hostile": hostile,
    "identifiers": identifiers,
    "two_inputs": two_inputs,
    "two_heads": two_heads,
    "shared": shared,
    "residual": residual,
    "lstm_states": lstm_states,
    "attention": attention,
}


def corpus() -> dict[str, ModelGraph]:
    """Fresh copies of every corpus graph, by name."""
    return {name: build() for name, build in BUILDERS.items()}


def graph(name: str) -> ModelGraph:
    """A fresh copy of one corpus graph."""
    return BUILDERS[name]()
