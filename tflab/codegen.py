"""Keras source code from a model graph, in three styles.

:func:`generate` writes a Python module that rebuilds exactly the graph's model (same
layer classes, names, configs and wiring) in one of the three ways Keras offers:

- ``"sequential"``: ``tf.keras.Sequential([...])``, a stack of layers run from top to
  bottom (only for graphs that are a stack);
- ``"functional"``: the Functional API, each layer called on the tensors it takes;
- ``"subclass"``: a ``tf.keras.Model`` subclass, layers made in ``__init__`` and
  wired in ``call``.

Every module defines ``build_model()``, which returns the built model. With
``script=True`` it also trains the model on random data of the right shapes when run
as a script (``python model.py``), so it works offline as it is.

Generated code is meant to be read by students: one layer per line, layer names
always written out, short comments where they teach. Every name and string from the
graph is written as a Python literal (never pasted into code), so whatever a name
contains, the module only defines the model.

This module does not import TensorFlow or Keras.
"""

from __future__ import annotations

import ast
import contextvars
import json
import keyword
import math
import re
from dataclasses import dataclass, field
from typing import Any

from tflab.catalog import curated_entries, operations
from tflab.catalog.applications import APPLICATION_ENTRIES, DOCS, SOURCES
from tflab.catalog.keras_entries import KERAS_INPUT_MODES
from tflab.catalog.operations import is_operation
from tflab.graph import MODEL_CLASS, InputNode, Layer, ModelGraph, TensorRef, inner_graph, python_identifier
from tflab.keras_layers import is_keras_object
from tflab.messages import TflabError
from tflab.superseded import check as check_superseded

STYLES = ("sequential", "functional", "subclass")

#: Arguments written without their keyword, as Keras examples do: Dense(64),
#: Conv2D(32, (3, 3)), Dropout(0.5). They open the class's signature, in this order.
POSITIONAL = {
    "Dense": ("units",),
    **{f"Conv{n}D": ("filters", "kernel_size") for n in (1, 2, 3)},
    **{f"Conv{n}DTranspose": ("filters", "kernel_size") for n in (1, 2, 3)},
    **{f"SeparableConv{n}D": ("filters", "kernel_size") for n in (1, 2)},
    **{f"DepthwiseConv{n}D": ("kernel_size",) for n in (1, 2)},
    **{f"SpatialDropout{n}D": ("rate",) for n in (1, 2, 3)},
    "Dropout": ("rate",), "GaussianDropout": ("rate",), "AlphaDropout": ("rate",),
    "GaussianNoise": ("stddev",),
    "SimpleRNN": ("units",), "LSTM": ("units",), "GRU": ("units",),
    "Activation": ("activation",), "Reshape": ("target_shape",), "Permute": ("dims",),
    "RepeatVector": ("n",), "Rescaling": ("scale",),
    "Bidirectional": ("layer",), "TimeDistributed": ("layer",),
}

#: Attributes of a tf.keras.Model instance: a layer stored under one of these names
#: in a subclass would break the model, so such attributes get another name.
MODEL_ATTRIBUTES = frozenset("""
    activity_regularizer add_loss add_metric add_variable add_weight autocast build
    build_from_config built call call_signature_parameters compile compile_from_config
    compiled compiled_loss compiled_metrics compute_dtype compute_loss compute_mask
    compute_metrics compute_output_shape compute_output_spec count_params
    distribute_reduction_method distribute_strategy dtype dtype_policy evaluate export
    fit from_config get_build_config get_compile_config get_config get_layer
    get_metrics_result get_quantization_layer_structure get_state_tree get_weights
    history input input_dtype input_spec jit_compile layers load_own_variables
    load_weights loss losses make_predict_function make_test_function
    make_train_function metrics metrics_names metrics_variables name
    non_trainable_variables non_trainable_weights optimizer output path predict
    predict_function predict_on_batch predict_step quantization_mode quantize
    quantized_build quantized_call rematerialized_call reset_metrics run_eagerly save
    save_own_variables save_weights set_state_tree set_weights stateless_call
    stateless_compute_loss steps_per_execution stop_evaluating stop_predicting stop_training
    summary supports_jit
    supports_masking symbolic_call test_function test_on_batch test_step to_json
    train_function train_on_batch train_step trainable trainable_variables
    trainable_weights unrolled_steps_per_execution variable_dtype variables weights
    inputs outputs
""".split())

#: Names the generated module itself uses at module level.
_MODULE_NAMES = ("tf", "np", "os", "build_model", "make_random_data")

#: What a data file written beside a script may be called (it is pasted into the code).
DATA_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}\.npz")

#: Optimizer names (lower case, no underscores) -> tf.keras.optimizers classes.
OPTIMIZERS = {
    "adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop",
    "adagrad": "Adagrad", "adadelta": "Adadelta", "adamax": "Adamax", "nadam": "Nadam",
    "ftrl": "Ftrl", "lion": "Lion", "adafactor": "Adafactor", "lamb": "Lamb",
}

#: The settings of a script when the project has none: the training panel's own defaults
#: (tflab.trainer.TrainConfig; a test keeps them equal).
DEFAULT_TRAINING = {"optimizer": "adam", "learning_rate": 0.001, "epochs": 10, "batch_size": 32, "seed": 0}

WIDTH = 99          # longest line before a call is split over several lines
INDENT = "    "
FREE_SIZE = 8       # size used in random data for a dimension of any size (None)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CodegenError(TflabError):
    """A model that cannot be written as code in the chosen style."""


# --------------------------------------------------------------------------- public API


def generate(graph: ModelGraph, style: str, script: bool = False,
             training: dict | None = None, data_file: str | None = None, comments: str = "en") -> str:
    """The Python module that builds ``graph``'s model in ``style``.

    ``style`` is one of :data:`STYLES`. With ``script=True`` the module also trains
    the model when run (settings from ``training``: optimizer, learning_rate, loss,
    metrics, epochs, batch_size, seed, dataset; sensible defaults otherwise): on the
    arrays ``x_train``, ``y_train``, ``x_val``, ``y_val``, ``x_test``, ``y_test`` of
    ``data_file``, an ``.npz`` file beside the script (see
    :func:`tflab.script_export.export_training_script`), or without one on random data
    of the right shapes. Raises :class:`CodegenError` for a model the style cannot write
    (Sequential on a graph that is not a stack) or that is not complete.

    ``comments`` is the language of the comments and docstrings (``"en"`` or ``"zh"``);
    the code itself is the same in both.
    """
    token = _COMMENTS.set("zh" if str(comments).lower().startswith("zh") else "en")
    try:
        return _generate(graph, style, script, training, data_file)
    finally:
        _COMMENTS.reset(token)


#: The language of the comments of the code being written (see :func:`generate`).
_COMMENTS: contextvars.ContextVar[str] = contextvars.ContextVar("codegen_comments", default="en")


def _c(en: str, zh: str) -> str:
    """A comment (or docstring) in the language asked for."""
    return zh if _COMMENTS.get() == "zh" else en


def _generate(graph: ModelGraph, style: str, script: bool, training: dict | None,
              data_file: str | None) -> str:
    if data_file is not None and not DATA_FILE_NAME.fullmatch(str(data_file)):
        raise CodegenError(
            f"{data_file!r} cannot name the data file: use letters, digits, _ . - and end in .npz.",
            f"{data_file!r} 不能作为数据文件名：请只用字母、数字、_ . -，并以 .npz 结尾。",
        )
    if style not in STYLES:
        raise CodegenError(
            f"Unknown code style {style!r}: use one of {', '.join(STYLES)}.",
            f"未知的代码风格 {style!r}：请使用 {', '.join(STYLES)} 之一。",
        )
    _check_complete(graph)
    if style == "sequential":
        _check_stack(graph)
    plan = _Plan.make(graph)
    settings = _training_settings(plan, training) if script else None
    if settings is not None and data_file is not None:
        if (len(graph.inputs) > 1 or len(plan.outputs) > 1) and settings.loss_weights is None:
            raise CodegenError(
                "A script with its data file is written for a model with several inputs or outputs "
                "only when it trains on named arrays (one per input and output).",
                "只有在用命名数组（每个输入和输出各一个）训练时，才会为多输入或多输出的模型写带数据文件的脚本。",
            )
        settings.data_file = data_file
    writer = {"sequential": _sequential, "functional": _functional, "subclass": _subclass}[style]
    lines = _header(plan, style, script, data_file if script else None)
    builders = _Builders({}, [], set(plan.reserved()))
    token = _BUILDERS.set(builders)
    try:
        builders.name_all(graph)
        body = writer(plan)
    finally:
        _BUILDERS.reset(token)
    lines += builders.lines
    lines += body
    if settings is not None:
        lines += _script(plan, settings)
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- checks


def _check_complete(graph: ModelGraph) -> None:
    if not graph.inputs:
        raise CodegenError(
            "The model has no input: add an Input at the top so Keras knows the data's shape.",
            "模型没有输入：请在最上面添加一个 Input，让 Keras 知道数据的形状。",
        )
    for call in graph.calls.values():
        if not call.inputs:
            raise CodegenError(
                f"The layer {call.layer!r} is not connected to anything: wire an input into it "
                "or delete it before writing code.",
                f"层 {call.layer!r} 没有连接任何输入：生成代码前请给它连线，或者删除它。",
            )
    if not graph.effective_outputs():
        raise CodegenError(
            "The model has no output: add at least one layer after the input.",
            "模型没有输出：请在输入之后至少添加一个层。",
        )
    for layer in graph.layers.values():
        _check_class_name(layer.class_name, layer.name)


def _check_stack(graph: ModelGraph) -> None:
    reason = graph.not_a_stack_reason()
    if reason:
        raise CodegenError(
            "This model cannot be written with tf.keras.Sequential: " + reason[0],
            "这个模型无法用 tf.keras.Sequential 写出：" + reason[1],
            # The reason says why and names the Functional API; the hint adds only where to click.
            hint_en="The Functional and the Subclass styles (above the code) write any model.",
            hint_zh="函数式和子类化风格（代码上方）可以写出任何模型。",
        )


def _check_class_name(class_name: Any, owner: str) -> None:
    if is_operation(class_name):
        return
    if not isinstance(class_name, str) or not _IDENTIFIER.match(class_name) \
            or keyword.iskeyword(class_name):
        raise CodegenError(
            f"{owner!r} has the class {class_name!r}, which is not a Keras class name.",
            f"{owner!r} 的类 {class_name!r} 不是 Keras 的类名。",
        )


def _check_argument(name: Any, owner: str) -> None:
    if not isinstance(name, str) or not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        raise CodegenError(
            f"{owner!r} has the argument {name!r}, which is not a Python argument name.",
            f"{owner!r} 有参数 {name!r}，它不是合法的 Python 参数名。",
        )


# --------------------------------------------------------------------------- the plan


def _input_mode(class_name: str, custom: Any = None) -> str:
    """How a layer takes several tensors: "single", "list" or "positional"."""
    if custom is not None and class_name in custom:
        return custom.get(class_name).input_mode
    for entry in curated_entries():
        if entry.class_name == class_name:
            return entry.input_mode
    if class_name in APPLICATION_ENTRIES:
        return APPLICATION_ENTRIES[class_name].input_mode
    if class_name == MODEL_CLASS:
        return "model"
    return KERAS_INPUT_MODES.get(class_name, ("single",))[0]


def _param_order(class_name: str, custom: Any = None) -> list[str]:
    if custom is not None and class_name in custom:
        return [argument[0] for argument in custom.get(class_name).arguments]
    for entry in curated_entries():
        if entry.class_name == class_name:
            return [spec.name for spec in entry.params]
    if class_name in APPLICATION_ENTRIES:
        return [spec.name for spec in APPLICATION_ENTRIES[class_name].params]
    return []


def _returns_list(layer: Layer) -> bool:
    """Whether calling ``layer`` gives a list of tensors (e.g. an RNN with its states)."""
    config = layer.config
    if layer.class_name == MODEL_CLASS:
        return len(inner_graph(layer).effective_outputs()) > 1
    if config.get("return_state"):
        return True
    if layer.class_name == "Bidirectional" and "merge_mode" in config and config["merge_mode"] is None:
        return True
    wrapped = config.get("layer")
    return is_keras_object(wrapped) and bool((wrapped.get("config") or {}).get("return_state"))


@dataclass
class _Plan:
    """What the writers need: the calls to write in order, and how tensors are named."""

    graph: ModelGraph
    calls: list[str]                 # the calls that lead to an output, in call order
    outputs: list[TensorRef]
    list_calls: set[str]             # calls whose result is a list of tensors
    shared: dict[str, int]           # layer name -> number of calls (for layers called twice+)
    class_name: str                  # the subclass style's class
    custom: Any = None               # the graph's CustomCode, if it has custom layers
    names: dict[str, str] = field(default_factory=dict)     # node id -> tensor variable

    @classmethod
    def make(cls, graph: ModelGraph) -> _Plan:
        outputs = graph.effective_outputs()
        needed: set[str] = set()
        for ref in outputs:
            needed.add(ref.node)
            needed |= graph.ancestors(ref.node)
        calls = [cid for cid in graph.topological_calls() if cid in needed]
        used_refs = [r for cid in calls for r in graph.calls[cid].inputs] + outputs
        list_calls = {r.node for r in used_refs if r.index > 0}
        list_calls |= {cid for cid in calls if _returns_list(graph.layer_of(cid))}
        counts: dict[str, int] = {}
        for cid in calls:  # an operation has no weights to share: each call is written as it is
            if not is_operation(graph.layer_of(cid).class_name):
                counts[graph.calls[cid].layer] = counts.get(graph.calls[cid].layer, 0) + 1
        shared = {name: n for name, n in counts.items() if n > 1}
        return cls(graph, calls, outputs, list_calls, shared, subclass_name(graph), graph.custom_layers())

    def layers(self) -> list[Layer]:
        """The layers used, each once, in the order of their first call (tensor operations,
        written where they are called, are not layers)."""
        seen: dict[str, Layer] = {}
        for cid in self.calls:
            layer = self.graph.layer_of(cid)
            if not is_operation(layer.class_name):
                seen.setdefault(layer.name, layer)
        return list(seen.values())

    def operation_lines(self, indent: str, cid: str) -> list[str]:
        """``x = tf.keras.ops.add(y, 3.0)`` for the call ``cid`` of a tensor operation: its
        numbers and wired tensors in the places of x1 and x2."""
        layer = self.graph.layer_of(cid)
        numbers = {key: _literal(value, layer.name)
                   for key, value in operations.numbers(layer.class_name, layer.config).items()}
        args = operations.arguments(layer.class_name, numbers, [self.ref(r) for r in self.graph.calls[cid].inputs])
        if args is None:
            en, zh, hint_en, hint_zh = operations.operands_error(
                layer.class_name, layer.name, len(self.graph.calls[cid].inputs), layer.config)
            raise CodegenError(en, zh, hint_en=hint_en, hint_zh=hint_zh)
        function = f"tf.keras.ops.{operations.function_name(layer.class_name)}"
        return _wrapped(indent, f"{self.names[cid]} = ", function, args)

    def name_tensors(self, taken: set[str], inputs: dict[str, str] | None = None) -> None:
        """Give every input and call a variable name (``inputs`` fixes some)."""
        self.names = dict(inputs or {})
        taken = set(taken) | set(self.names.values())
        for node in self.graph.inputs:
            if node.id not in self.names:
                self.names[node.id] = python_identifier(node.name, taken)
                taken.add(self.names[node.id])
        for cid in self.calls:
            self.names[cid] = python_identifier(self.graph.calls[cid].layer, taken)
            taken.add(self.names[cid])

    def ref(self, ref: TensorRef) -> str:
        """The expression for one tensor: a variable, or an item of a call's result list."""
        name = self.names[ref.node]
        return f"{name}[{ref.index}]" if ref.node in self.list_calls else name

    def call_args(self, cid: str) -> str:
        """The arguments of a call, the way its layer takes them."""
        call = self.graph.calls[cid]
        tensors = [self.ref(r) for r in call.inputs]
        mode = _input_mode(self.graph.layer_of(cid).class_name, self.custom)
        if mode == "list" or (mode == "model" and len(tensors) > 1):
            return "[" + ", ".join(tensors) + "]"
        return ", ".join(tensors)

    def reserved(self) -> set[str]:
        """Module-level names: the generated module's own, those of the custom code and the
        functions that build nested models."""
        builders = _BUILDERS.get()
        own = set(_MODULE_NAMES) | {self.class_name} | set(application_classes(self.graph))
        own |= set(builders.names.values()) if builders is not None else set()
        return own | set(self.custom.top_names) if self.custom is not None else own

    def outputs_expr(self) -> str:
        refs = [self.ref(r) for r in self.outputs]
        return refs[0] if len(refs) == 1 else "[" + ", ".join(refs) + "]"


#: Keras's own class names: a subclass called so would read as Keras's class itself.
_KERAS_CLASS_NAMES = frozenset({"Model", "Sequential", "Functional", "Layer", "Input", "InputLayer"})


def subclass_name(graph: ModelGraph) -> str:
    """The class the subclass style defines, CamelCase from the model's name
    (``mnist_mlp`` -> ``MnistMlp``; ``model`` -> ``MyModel``, never a Keras class's own
    name), never a name the custom code defines."""
    ident = python_identifier(graph.name)
    camel = "".join(part[:1].upper() + part[1:] for part in ident.split("_") if part)
    if not camel or not camel[0].isalpha():
        camel = "Model" + camel
    if camel in _KERAS_CLASS_NAMES:
        camel = "My" + camel
    custom = graph.custom_layers()
    taken = set(_MODULE_NAMES) | set(application_classes(graph))
    taken |= set(custom.top_names) if custom is not None else set()
    while keyword.iskeyword(camel) or camel in taken:
        camel += "Model"
    return camel


# --------------------------------------------------------------------------- literals


def _string(text: str) -> str:
    """A Python string literal for ``text``, double-quoted when that needs no escapes."""
    literal = repr(text)
    if literal[0] == "'" and '"' not in text and "'" not in text:
        literal = '"' + literal[1:-1] + '"'
    return literal


def _literal(value: Any, owner: str) -> str:
    """Python source for one config value (lists become tuples, objects constructors)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        items = [_literal(v, owner) for v in value]
        return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if is_keras_object(value):
        return _object(value, owner)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return "{" + ", ".join(f"{_string(k)}: {_literal(v, owner)}" for k, v in value.items()) + "}"
    raise CodegenError(
        f"{owner!r} has the value {value!r}, which cannot be written as Python code.",
        f"{owner!r} 的值 {value!r} 无法写成 Python 代码。",
    )


def _object(value: dict, owner: str) -> str:
    """``tf.keras.initializers.RandomNormal(mean=0.0, ...)``, or a wrapped layer."""
    _check_class_name(value["class_name"], owner)
    config = value.get("config") or {}
    if not isinstance(config, dict):
        raise CodegenError(
            f"{owner!r}: the settings of {value['class_name']} must be an object.",
            f"{owner!r}：{value['class_name']} 的设置必须是对象。",
        )
    if value["module"] == "layers":
        name = config.get("name") or None
        rest = {k: v for k, v in config.items() if k != "name"}
        return _one_line("tf.keras.layers." + value["class_name"],
                         _layer_arguments(value["class_name"], rest, name, owner))
    args = []
    for key, item in config.items():
        _check_argument(key, owner)
        args.append(f"{key}={_literal(item, owner)}")
    return _one_line(f"tf.keras.{value['module']}.{value['class_name']}", args)


def _layer_arguments(class_name: str, config: dict, name: str | None, owner: str,
                     custom: Any = None) -> list[str]:
    """Constructor arguments: the idiomatic first ones (:data:`POSITIONAL`) without their
    keyword, then keywords in the catalog's order, then ``name``."""
    check_superseded()  # once per layer written: code for a model no longer shown stops here
    args: list[str] = []
    positional = POSITIONAL.get(class_name, ())
    done: set[str] = set()
    for key in positional:
        if key not in config:
            break
        args.append(_literal(config[key], owner))
        done.add(key)
    order = _param_order(class_name, custom)
    keys = [k for k in order if k in config] + [k for k in config if k not in order]
    for key in keys:
        if key in done or key == "name":
            continue
        _check_argument(key, owner)
        args.append(f"{key}={_literal(config[key], owner)}")
    if name:
        args.append(f"name={_string(name)}")
    return args


def _one_line(func: str, args: list[str]) -> str:
    return f"{func}({', '.join(args)})"


def _wrapped(indent: str, prefix: str, func: str, args: list[str], suffix: str = "") -> list[str]:
    """``prefix + func(args) + suffix`` on one line, or split one argument per line."""
    line = f"{indent}{prefix}{_one_line(func, args)}{suffix}"
    if len(line) <= WIDTH or not args:
        return [line]
    inner = indent + INDENT
    return [f"{indent}{prefix}{func}("] + [f"{inner}{a}," for a in args] + [f"{indent}){suffix}"]


def _layer_lines(indent: str, prefix: str, layer: Layer, suffix: str = "", custom: Any = None,
                 style: str = "functional") -> list[str]:
    """The lines that make ``layer``: ``tf.keras.layers.Dense(...)``, or ``MyLayer(...)`` for a
    class of the project's custom code (``custom``) or of ``keras.applications``, which the
    module defines above; ``build_stem()`` for a nested model (its function, written above,
    in ``style``)."""
    if layer.class_name == MODEL_CLASS:
        return [f"{indent}{prefix}{_model_builder(layer, style)}(){suffix}"]
    args = _layer_arguments(layer.class_name, layer.config, layer.name, layer.name, custom)
    own = (custom is not None and layer.class_name in custom) or layer.class_name in APPLICATION_ENTRIES
    return _wrapped(indent, prefix, ("" if own else "tf.keras.layers.") + layer.class_name, args, suffix)


def _applied(indent: str, callee: list[str], args: str) -> list[str]:
    """``callee(args)`` where ``callee`` (the code before the call) is laid out in lines."""
    if len(callee) == 1 and len(f"{callee[0]}({args})") <= WIDTH:
        return [f"{callee[0]}({args})"]
    if len(callee) == 1 and len(f"{callee[0]}(") <= WIDTH:
        return [f"{callee[0]}(", f"{indent}{INDENT}{args}", f"{indent})"]
    return callee[:-1] + [f"{callee[-1]}({args})"]


def _input_args(node: InputNode) -> list[str]:
    args = [f"shape={_literal(list(node.shape), node.name)}"]
    if node.batch_size is not None:
        args.append(f"batch_size={node.batch_size!r}")
    if node.dtype != "float32":
        args.append(f"dtype={_string(node.dtype)}")
    args.append(f"name={_string(node.name)}")
    return args


def _input_lines(indent: str, prefix: str, node: InputNode, suffix: str = "") -> list[str]:
    return _wrapped(indent, prefix, "tf.keras.Input", _input_args(node), suffix)


#: Layers that make constants when they are built: a subclassed model that has one builds
#: its layers on its first real call, on a batch of zeros (see _subclass), not on
#: tf.keras.Input tensors: built on those, a Normalization layer keeps its mean and
#: variance in a temporary graph, and the model cannot be called afterwards.
_BUILT_ON_REAL_TENSORS = ("Normalization",)


def _build_call_lines(indent: str, prefix: str, node: InputNode, suffix: str = "") -> list[str]:
    """A batch of zeros for one input, to build a subclassed model by calling it (a
    symbolic tf.keras.Input for text inputs, which have no zeros)."""
    if node.dtype == "string":
        return _input_lines(indent, prefix, node, suffix)
    shape = [node.batch_size or 1, *[d or 1 for d in node.shape]]
    args = [_literal(tuple(shape), node.name)]
    if node.dtype != "float32":
        args.append(f"dtype={_string(node.dtype)}")
    return _wrapped(indent, prefix, "tf.zeros", args, suffix)


def _text(value: str) -> str:
    """A name quoted for a comment or docstring: one line, no quote that could end it."""
    return repr(value).replace('"', '\\"')


# --------------------------------------------------------------------------- the writers


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _count_zh(n: int, what: str) -> str:
    return f"{n} 个{what}"


def _header(plan: _Plan, style: str, script: bool, data_file: str | None = None) -> list[str]:
    graph = plan.graph
    api = {"sequential": ("tf.keras.Sequential", "tf.keras.Sequential"),
           "functional": ("the Keras Functional API", "Keras 函数式 API"),
           "subclass": ("a subclass of tf.keras.Model", "tf.keras.Model 的子类")}[style]
    if data_file:
        usage = _c(f"Run it (python this_file.py) to train the model on the data in {data_file}, "
                   "saved beside it, or import it and call build_model().",
                   f"运行它（python this_file.py）就会用保存在它旁边的 {data_file} 中的数据训练模型；"
                   "也可以导入它并调用 build_model()。")
    elif script:
        usage = _c("Run it (python this_file.py) to train the model on random data, or import it and "
                   "call build_model().",
                   "运行它（python this_file.py）就会用随机数据训练模型；也可以导入它并调用 build_model()。")
    else:
        usage = _c("Import it and call build_model() to get the model.", "导入它并调用 build_model() 即可得到模型。")
    counts_en = (f"{_count(len(graph.inputs), 'input', 'inputs')}, {_count(len(plan.layers()), 'layer', 'layers')}, "
                 f"{_count(len(plan.outputs), 'output', 'outputs')}")
    counts_zh = (f"{_count_zh(len(graph.inputs), '输入')}、{_count_zh(len(plan.layers()), '层')}、"
                 f"{_count_zh(len(plan.outputs), '输出')}")
    lines = [
        _c(f'"""Keras model {_text(graph.name)}, generated by tflab.', f'"""Keras 模型 {_text(graph.name)}，由 tflab 生成。'),
        "",
        _c(f"Built with {api[0]}: {counts_en}.", f"用 {api[1]} 构建：{counts_zh}。"),
        usage,
        '"""',
        "",
    ]
    if plan.custom is not None:
        future = _future_imports(plan.custom)
        lines += [*future, ""] if future else []
    if script:
        lines += ["import argparse", *(["import os"] if data_file else []), ""]
        lines.append("import numpy as np")
    lines += ["import tensorflow as tf", "", ""]
    lines += _applications_section(plan.graph)
    if plan.custom is not None:
        lines += _custom_section(plan.custom)
    return lines


def application_classes(graph: ModelGraph) -> list[str]:
    """The layer classes of ``keras.applications`` the graph uses (and its custom code does
    not define): the generated module defines them, as Keras cannot be asked for them."""
    custom = graph.custom_layers()
    return sorted({layer.class_name for layer in _all_layers(graph)
                   if layer.class_name in SOURCES and (custom is None or layer.class_name not in custom)})


def _all_layers(graph: ModelGraph) -> list[Layer]:
    """The layers of ``graph`` and of the models nested in it, at any depth."""
    found = []
    for layer in graph.layers.values():
        found.append(layer)
        if layer.class_name == MODEL_CLASS:
            found += _all_layers(inner_graph(layer))
    return found


def _applications_section(graph: ModelGraph) -> list[str]:
    names = application_classes(graph)
    if not names:
        return []
    lines = [_c("# ---- Layers Keras defines for keras.applications, not in tf.keras.layers ----",
                "# ---- Keras 为 keras.applications 定义的层（不在 tf.keras.layers 中） ----"), ""]
    for name in names:
        source = SOURCES[name].replace("@doc", _c(*DOCS[name]))
        lines += [*source.rstrip("\n").split("\n"), "", ""]
    return lines


def _python_lines(source: str) -> list[str]:
    """``source`` cut into lines where Python's tokenizer cuts them (\\n, \\r\\n, \\r) and
    nowhere else: ``str.splitlines`` also cuts at form feeds, \\x85, \\u2028 and others,
    which would turn the rest of a comment into a statement."""
    return re.split(r"\r\n|\r|\n", source)


def _is_tf_import(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Import) and len(node.names) == 1
            and node.names[0].name == "tensorflow" and node.names[0].asname == "tf")


def _future_imports(custom: Any) -> list[str]:
    """The custom code's ``from __future__`` imports: Python wants them at the top of the module."""
    return [ast.unparse(node) for node in ast.parse(custom.source).body
            if isinstance(node, ast.ImportFrom) and node.module == "__future__"]


def _custom_section(custom: Any) -> list[str]:
    """The project's own layer classes, byte for byte as written, less the statements the
    module has at its top already (``import tensorflow as tf``, ``from __future__``).

    A statement alone on its lines is dropped with them; one that shares a line with
    another statement becomes ``pass``, so the rest of the line stays as it was."""
    lines = _python_lines(custom.source)
    dropped: set[int] = set()
    for node in ast.parse(custom.source).body:
        future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if not (future or _is_tf_import(node)):
            continue
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        before = lines[first].encode()[:node.col_offset].decode()  # offsets count UTF-8 bytes
        after = lines[last].encode()[node.end_col_offset:].decode()
        if not before.strip() and (not after.strip() or after.lstrip().startswith("#")):
            dropped.update(range(first, last + 1))
        else:  # it shares its line with another statement: its own text becomes ``pass``
            lines[first] = before + "pass" + after
            dropped.update(range(first + 1, last + 1))
    body = [line for number, line in enumerate(lines) if number not in dropped]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return [_c("# ---- This project's own layers (from the custom layers lab) ----",
               "# ---- 本项目自己的层（来自自定义层实验） ----"), "", *body, "", ""]


def _shared_comment(indent: str, times: int, in_call: bool = False) -> str:
    count = "twice" if times == 2 else f"{times} times"
    where = " in call()" if in_call else ""
    return indent + _c(f"# one layer object called {count}{where}: the calls share weights",
                       f"# 同一个层对象{'在 call() 中' if in_call else ''}被调用 {times} 次：这些调用共享权重")


def _list_comment() -> str:
    return _c("# this layer returns a list of tensors: [0], [1], ... pick one",
              "# 这个层返回一个张量列表：用 [0]、[1]……选出其中一个")


# --------------------------------------------------------------------------- nested models


def _model_key(layer: Layer) -> tuple[str, str]:
    return layer.name, json.dumps(layer.config.get("graph"), sort_keys=True)


@dataclass
class _Builders:
    """The functions that build the nested models of the module being written (a model
    used as a layer of another), each written once, inner ones first."""

    names: dict[tuple[str, str], str]   # (layer name, inner graph) -> its function's name
    lines: list[str]                    # the functions written so far
    taken: set[str]                     # module-level names
    written: set[tuple[str, str]] = field(default_factory=set)

    def name_all(self, graph: ModelGraph) -> None:
        """Give every nested model (at any depth) a function name, before anything is
        written: the module's variables must not take them."""
        for layer in graph.layers.values():
            key = _model_key(layer) if layer.class_name == MODEL_CLASS else None
            if key is None or key in self.names:
                continue
            name = python_identifier(f"build_{layer.name}", self.taken)
            self.taken.add(name)
            self.names[key] = name
            self.name_all(inner_graph(layer))

    def function(self, layer: Layer, style: str) -> str:
        """The name of the function that builds ``layer`` (a nested model), written the
        first time it is asked for."""
        key = _model_key(layer)
        name = self.names[key]
        if key in self.written:
            return name
        self.written.add(key)
        inner = inner_graph(layer)
        _check_complete(inner)
        plan = _Plan.make(inner)
        doc = _c(f'"""Build {_text(layer.name)}, a model used as a layer: its calls share its weights."""',
                 f'"""构建 {_text(layer.name)}：一个当作层使用的模型，它的各次调用共享权重。"""')
        if style == "sequential" and inner.is_stack():
            lines = _sequential(plan, name, layer.name, doc)
        else:
            lines = _functional(plan, name, layer.name, doc)
        self.lines += lines  # after the functions of the models inside it
        return name


#: The nested models of the module being written (see :func:`_generate`).
_BUILDERS: contextvars.ContextVar[_Builders | None] = contextvars.ContextVar("codegen_builders", default=None)


def _model_builder(layer: Layer, style: str) -> str:
    builders = _BUILDERS.get()
    if builders is None:
        raise CodegenError("Nested models are written only inside a whole module.", "嵌套模型只能写在完整的模块中。")
    return builders.function(layer, style)


def _sequential(plan: _Plan, function: str = "build_model", model_name: str | None = None,
                doc: str | None = None) -> list[str]:
    graph = plan.graph
    i1, i2, i3 = INDENT, INDENT * 2, INDENT * 3
    lines = [
        f"def {function}():",
        i1 + (doc or _c('"""Build the model: Sequential runs its layers one after another, top to bottom."""',
                        '"""构建模型：Sequential 从上到下依次运行它的层。"""')),
        f"{i1}model = tf.keras.Sequential(",
        f"{i2}[",
    ]
    lines += _input_lines(i3, "", graph.inputs[0], ",")
    for cid in plan.calls:
        lines += _layer_lines(i3, "", graph.layer_of(cid), ",", plan.custom, "sequential")
    lines += [f"{i2}],", f"{i2}name={_string(model_name or graph.name)},", f"{i1})", f"{i1}return model", "", ""]
    return lines


def _functional(plan: _Plan, function: str = "build_model", model_name: str | None = None,
                doc: str | None = None) -> list[str]:
    graph = plan.graph
    i1 = INDENT
    objects: dict[str, str] = {}
    taken = plan.reserved()
    for layer in plan.layers():  # a shared layer, or a nested model: made first, then called
        if layer.name in plan.shared or layer.class_name == MODEL_CLASS:
            objects[layer.name] = python_identifier(layer.name, taken)
            taken.add(objects[layer.name])
    plan.name_tensors(taken)
    lines = [
        f"def {function}():",
        i1 + (doc or _c('"""Build the model with the Functional API: each layer is called on its input tensors."""',
                        '"""用函数式 API 构建模型：每个层都在它的输入张量上调用。"""')),
        i1 + _c(f"# {'the input' if len(graph.inputs) == 1 else 'the inputs'}: "
                "the shape of one sample, without the batch size",
                "# 输入：一个样本的形状，不含批次大小"),
    ]
    for node in graph.inputs:
        lines += _input_lines(i1, f"{plan.names[node.id]} = ", node)
    defined: set[str] = set()
    for cid in plan.calls:
        layer = graph.layer_of(cid)
        if is_operation(layer.class_name):
            lines += plan.operation_lines(i1, cid)
            continue
        target = f"{plan.names[cid]} = "
        args = plan.call_args(cid)
        if cid in plan.list_calls:
            lines.append(f"{i1}{_list_comment()}")
        if layer.name in objects:
            if layer.name not in defined:
                if layer.name in plan.shared:
                    lines.append(_shared_comment(i1, plan.shared[layer.name]))
                lines += _layer_lines(i1, f"{objects[layer.name]} = ", layer, custom=plan.custom)
                defined.add(layer.name)
            lines += _applied(i1, [f"{i1}{target}{objects[layer.name]}"], args)
        else:
            lines += _applied(i1, _layer_lines(i1, target, layer, custom=plan.custom), args)
    inputs = [plan.names[n.id] for n in graph.inputs]
    model_args = [
        "inputs=" + (inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"),
        "outputs=" + plan.outputs_expr(),
        f"name={_string(model_name or graph.name)}",
    ]
    lines += _wrapped(i1, "model = ", "tf.keras.Model", model_args)
    lines += [f"{i1}return model", "", ""]
    return lines


def _subclass(plan: _Plan) -> list[str]:
    graph = plan.graph
    i1, i2, i3 = INDENT, INDENT * 2, INDENT * 3
    attributes: dict[str, str] = {}
    taken_attrs = set(MODEL_ATTRIBUTES)
    for layer in plan.layers():
        attributes[layer.name] = python_identifier(layer.name, taken_attrs)
        taken_attrs.add(attributes[layer.name])
    lines = [
        f"class {plan.class_name}(tf.keras.Model):",
        i1 + _c('"""The model as a subclass: layers are made in __init__ and wired in call."""',
                '"""子类形式的模型：层在 __init__ 中创建，在 call 中连接。"""'),
        "",
        f"{i1}def __init__(self, name={_string(graph.name)}, **kwargs):",
        f"{i2}super().__init__(name=name, **kwargs)",
    ]
    for layer in plan.layers():
        if layer.name in plan.shared:
            lines.append(_shared_comment(i2, plan.shared[layer.name], in_call=True))
        lines += _layer_lines(i2, f"self.{attributes[layer.name]} = ", layer, custom=plan.custom)
    single = len(graph.inputs) == 1
    taken = plan.reserved()
    plan.name_tensors(taken, {graph.inputs[0].id: "inputs"} if single else None)
    real_build = any(layer.class_name in _BUILT_ON_REAL_TENSORS for layer in plan.layers())
    if real_build:
        lines += ["", f"{i1}def build(self, input_shape):",
                  i2 + _c("# The layers build themselves when first called, on real tensors: a Normalization",
                          "# 各层在第一次被调用时、在真实的张量上自行构建：Normalization"),
                  i2 + _c("# layer built on symbolic ones would keep its mean and variance in a temporary graph.",
                          "# 层若在符号张量上构建，它的均值和方差会留在一个临时计算图中。"),
                  f"{i2}self.built = True"]
    lines += ["", f"{i1}def call(self, inputs):"]
    if not single:
        names = [plan.names[n.id] for n in graph.inputs]
        lines.append(f"{i2}{', '.join(names)} = inputs  "
                     + _c("# several inputs arrive as a list, in order", "# 多个输入按顺序作为一个列表传入"))
    for cid in plan.calls:
        layer = graph.layer_of(cid)
        if is_operation(layer.class_name):
            lines += plan.operation_lines(i2, cid)
            continue
        if cid in plan.list_calls:
            lines.append(f"{i2}{_list_comment()}")
        callee = f"{i2}{plan.names[cid]} = self.{attributes[layer.name]}"
        lines += _applied(i2, [callee], plan.call_args(cid))
    lines += [f"{i2}return {plan.outputs_expr()}", "", ""]
    lines += [
        "def build_model():",
        i1 + (_c('"""Build the model: calling it once on a batch of zeros creates its weights."""',
                 '"""构建模型：在一批全零数据上调用它一次，就会创建它的权重。"""') if real_build else
              _c('"""Build the model: calling it once on tf.keras.Input tensors creates its weights."""',
                 '"""构建模型：在 tf.keras.Input 张量上调用它一次，就会创建它的权重。"""')),
        f"{i1}model = {plan.class_name}()",
    ]
    build_call = _build_call_lines if real_build else _input_lines
    if single:
        lines += build_call(i1, "model(", graph.inputs[0], ")")
    else:
        lines.append(f"{i1}model(")
        lines.append(f"{i2}[")
        for node in graph.inputs:
            lines += build_call(i3, "", node, ",")
        lines += [f"{i2}]", f"{i1})"]
    lines += [f"{i1}return model", "", ""]
    return lines


# --------------------------------------------------------------------------- the script


@dataclass
class _Settings:
    """Training settings for the script, checked and completed with defaults."""

    optimizer: str              # a Python expression
    losses: list[str]           # one Python expression per output
    kinds: list[str]            # per output: "classes", "onehot", "binary" or "values"
    metrics: list[list[str]]    # per output
    epochs: int
    batch_size: int
    seed: int
    dataset: str | None
    data_file: str | None = None
    validation: float = 0.2
    test: float = 0.1
    #: Named arrays: the weight of each output's loss; the data file then holds one array
    #: per input and output of each part (``x_train__<input>``, ``y_train__<output>``...).
    loss_weights: list[float] | None = None


_LOSS_KINDS = {
    "sparsecategoricalcrossentropy": "classes",
    "categoricalcrossentropy": "onehot", "categoricalhinge": "onehot",
    "kldivergence": "onehot", "categoricalfocalcrossentropy": "onehot",
    "binarycrossentropy": "binary", "binaryfocalcrossentropy": "binary",
    "hinge": "binary", "squaredhinge": "binary",
}

#: Losses that can take raw scores (logits): their tf.keras.losses classes.
_LOGIT_LOSSES = {
    "sparsecategoricalcrossentropy": "SparseCategoricalCrossentropy",
    "categoricalcrossentropy": "CategoricalCrossentropy",
    "binarycrossentropy": "BinaryCrossentropy",
}

#: Optimizers that take a momentum argument.
_WITH_MOMENTUM = ("SGD", "RMSprop")


def _loss_key(name: str) -> str:
    return re.sub(r"[_\s]", "", name.lower())


def _output_layer(graph: ModelGraph, ref: TensorRef) -> tuple[str, dict] | None:
    """The class and config (a wrapped layer's merged in) of the layer giving an output;
    None when the output is an input or an extra output such as an RNN state."""
    call = graph.calls.get(ref.node)
    if call is None or ref.index > 0:
        return None
    layer = graph.layers[call.layer]
    config = layer.config
    wrapped = config.get("layer")
    if is_keras_object(wrapped):
        config = {**(wrapped.get("config") or {}), **config}
    return layer.class_name, config


def _gives_probabilities(graph: ModelGraph, ref: TensorRef) -> bool:
    found = _output_layer(graph, ref)
    return found is not None and (found[0] == "Softmax"
                                  or found[1].get("activation") in ("softmax", "sigmoid"))


def _auto_output(graph: ModelGraph, ref: TensorRef) -> tuple[str, str, str]:
    """(loss expression, target kind, metric) chosen from the layer giving an output:
    softmax -> classes, sigmoid -> 0 or 1, several raw scores -> classes from logits,
    anything else -> numbers (mean squared error)."""
    regression = ('"mse"', "values", "mae")
    found = _output_layer(graph, ref)
    if found is None:
        return regression
    class_name, config = found
    activation = config.get("activation")
    if class_name == "Softmax" or activation == "softmax":
        return '"sparse_categorical_crossentropy"', "classes", "accuracy"
    if activation == "sigmoid":
        return '"binary_crossentropy"', "binary", "accuracy"
    units = config.get("units")
    if isinstance(units, int) and units > 1 and activation in (None, "linear"):
        return ("tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
                "classes", "accuracy")
    return regression


def _setting_error(key: str, value: Any, en: str, zh: str) -> CodegenError:
    return CodegenError(
        f"The training setting {key!r} is {value!r}: {en}",
        f"训练设置 {key!r} 的值为 {value!r}：{zh}",
    )


def _whole(settings: dict, key: str, lowest: int = 1) -> int:
    value = settings[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise _setting_error(key, value, f"it must be a whole number of at least {lowest}.",
                             f"它必须是至少为 {lowest} 的整数。")
    return value


def _number(settings: dict, key: str, low: float, high: float) -> float:
    value = settings[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value < high:
        raise _setting_error(key, value, f"it must be a number from {low} up to (not including) {high}.",
                             f"它必须是从 {low} 到 {high}（不含）之间的数。")
    return value


def _optimizer(settings: dict, given: dict) -> str:
    """``tf.keras.optimizers.Adam(learning_rate=0.001)`` from the settings."""
    name = settings["optimizer"]
    key = name.lower().replace("_", "") if isinstance(name, str) else None
    if key not in OPTIMIZERS:
        raise _setting_error("optimizer", name, "use one of " + ", ".join(OPTIMIZERS) + ".",
                             "请使用 " + "、".join(OPTIMIZERS) + " 之一。")
    args = []
    if "learning_rate" in given or "optimizer" not in given:  # else: that optimizer's default
        rate = _number(settings, "learning_rate", 0.0, math.inf)
        if rate <= 0:
            raise _setting_error("learning_rate", rate, "it must be a number above 0.",
                                 "它必须是大于 0 的数。")
        args.append(f"learning_rate={rate!r}")
    if given.get("momentum") and OPTIMIZERS[key] in _WITH_MOMENTUM:
        args.append(f"momentum={_number(settings, 'momentum', 0.0, 1.0)!r}")
    return _one_line(f"tf.keras.optimizers.{OPTIMIZERS[key]}", args)


def _given_losses(plan: _Plan, settings: dict) -> tuple[list[str], list[str]]:
    """(loss expressions, target kinds) from the ``loss`` and ``from_logits`` settings."""
    n_out = len(plan.outputs)
    chosen = settings["loss"]
    names = chosen if isinstance(chosen, list) else [chosen] * n_out
    if len(names) != n_out or not all(isinstance(n, str) and n for n in names):
        raise _setting_error("loss", chosen,
                             f"give one loss name, or a list of {n_out} (one per output).",
                             f"请给出一个损失函数名，或 {n_out} 个组成的列表（每个输出一个）。")
    from_logits = settings.get("from_logits")
    if from_logits not in (None, True, False):
        raise _setting_error("from_logits", from_logits, "use true, false or null (detect).",
                             "请使用 true、false 或 null（自动检测）。")
    losses = [_one_loss(plan.graph, ref, name, from_logits) for name, ref in zip(names, plan.outputs)]
    return losses, [_LOSS_KINDS.get(_loss_key(n), "values") for n in names]


def _one_loss(graph: ModelGraph, ref: TensorRef, name: str, from_logits: bool | None) -> str:
    """The expression of the loss ``name`` for one output (its class with ``from_logits=True``
    when the output gives raw scores and the loss can take them)."""
    logits = from_logits if from_logits is not None else not _gives_probabilities(graph, ref)
    if logits and _loss_key(name) in _LOGIT_LOSSES:
        return f"tf.keras.losses.{_LOGIT_LOSSES[_loss_key(name)]}(from_logits=True)"
    return _string(name)


def _training_settings(plan: _Plan, training: dict | None) -> _Settings:
    """The script's settings: ``training`` (unknown keys ignored) over the defaults."""
    if training is not None and not isinstance(training, dict):
        raise _setting_error("training", training, "the settings must be an object.", "设置必须是对象。")
    given = {k: v for k, v in (training or {}).items() if v is not None}
    settings = {**DEFAULT_TRAINING, **given}
    auto = [_auto_output(plan.graph, ref) for ref in plan.outputs]
    losses, kinds = [a[0] for a in auto], [a[1] for a in auto]
    metrics = [[a[2]] for a in auto]
    if "loss" in settings:
        losses, kinds = _given_losses(plan, settings)
    if "metrics" in settings:
        chosen = settings["metrics"]
        if not isinstance(chosen, list) or not all(isinstance(m, str) and m for m in chosen):
            raise _setting_error("metrics", chosen, "it must be a list of metric names.",
                                 "它必须是评估指标名称的列表。")
        metrics = [list(chosen) for _ in plan.outputs]
    weights = None
    if isinstance(settings.get("outputs"), dict) and settings["outputs"]:
        losses, kinds, metrics, weights = _named_outputs(plan, settings, losses, kinds, metrics)
    dataset = settings.get("dataset")
    return _Settings(
        optimizer=_optimizer(settings, given), losses=losses, kinds=kinds, metrics=metrics,
        epochs=_whole(settings, "epochs"),
        batch_size=_fixed_batch(plan.graph) or _whole(settings, "batch_size"),
        seed=_whole(settings, "seed", 0),
        dataset=dataset if isinstance(dataset, str) and dataset else None,
        validation=_fraction(settings.get("validation"), 0.2),
        test=_fraction(settings.get("test"), 0.1),
        loss_weights=weights,
    )


def _named_outputs(plan: _Plan, settings: dict, losses: list[str], kinds: list[str],
                   metrics: list[list[str]]) -> tuple[list[str], list[str], list[list[str]], list[float]]:
    """Each output's loss, target kind, metrics and loss weight from ``settings["outputs"]``
    (by output name, as the Training tab and ``tflab train`` use them); outputs it does not
    name keep what was chosen for them."""
    from tflab.named_data import graph_ports

    names = [port.name for port in graph_ports(plan.graph)[1]]
    outputs = settings["outputs"]
    losses, kinds, metrics = list(losses), list(kinds), [list(m) for m in metrics]
    weights = []
    for index, name in enumerate(names):
        chosen = outputs.get(name) if isinstance(outputs.get(name), dict) else {}
        if isinstance(chosen.get("loss"), str) and chosen["loss"]:
            from_logits = settings.get("from_logits") if settings.get("from_logits") in (True, False) else None
            losses[index] = _one_loss(plan.graph, plan.outputs[index], chosen["loss"], from_logits)
            kinds[index] = _LOSS_KINDS.get(_loss_key(chosen["loss"]), "values")
        if isinstance(chosen.get("metrics"), list):
            metrics[index] = [str(m) for m in chosen["metrics"]]
        weight = chosen.get("weight", 1.0)
        weights.append(float(weight) if isinstance(weight, (int, float)) and not isinstance(weight, bool) else 1.0)
    return losses, kinds, metrics, weights


def _fraction(value: Any, default: float) -> float:
    """A share of the data (only written in a comment): ``value`` when it is one, else ``default``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        return float(value)
    return default


def _fixed_batch(graph: ModelGraph) -> int | None:
    sizes = [n.batch_size for n in graph.inputs if n.batch_size]
    return sizes[0] if sizes else None


def _integer_limit(graph: ModelGraph, node: InputNode) -> tuple[int, str]:
    """Upper limit (exclusive) of random whole numbers for an integer input, and why."""
    dims = [graph.layer_of(cid).config.get("input_dim") for cid in graph.consumers(node.id)]
    dims = [d for d in dims if isinstance(d, int) and not isinstance(d, bool) and d > 0]
    if dims:
        return min(dims), _c("below the Embedding's input_dim", "小于 Embedding 的 input_dim")
    if node.dtype == "uint8":
        return 256, "0-255"
    return 10, "0-9"


def _random_input(graph: ModelGraph, node: InputNode) -> tuple[str, str]:
    """A NumPy expression for ``count`` random examples of one input, and a comment."""
    shape = "(count, " + ", ".join(str(d or FREE_SIZE) for d in node.shape) + ")"
    if node.dtype.startswith(("int", "uint")):
        limit, why = _integer_limit(graph, node)
        return f"rng.integers(0, {limit}, size={shape}).astype({_string(node.dtype)})", _c(f"whole numbers {why}", f"整数，{why}")
    if node.dtype == "bool":
        return f"rng.random({shape}) < 0.5", _c("True or False", "True 或 False")
    if node.dtype == "string":
        return f'rng.choice(np.array(["a", "b", "c"]), size={shape})', _c("short texts", "短文本")
    dtype = "float32" if node.dtype == "bfloat16" else node.dtype
    return f"rng.random({shape}).astype({_string(dtype)})", _c("numbers between 0 and 1", "0 到 1 之间的数")


def _random_target(index: int, kind: str) -> tuple[str, str]:
    """A NumPy expression for ``count`` random targets of output ``index``, and a comment."""
    out = f"outputs[{index}]"
    classes = f"rng.integers(0, {out}.shape[-1], size=(count, *{out}.shape[1:-1]))"
    if kind == "classes":
        return classes, _c("class numbers", "类别编号")
    if kind == "onehot":
        return f'np.eye({out}.shape[-1], dtype="float32")[{classes}]', _c("one-hot classes", "独热编码的类别")
    if kind == "binary":
        return f'rng.integers(0, 2, size=(count, *{out}.shape[1:])).astype("float32")', _c("0 or 1", "0 或 1")
    return f'rng.random((count, *{out}.shape[1:])).astype("float32")', _c("numbers", "数值")


def _array_lines(indent: str, target: str, items: list[tuple[str, str]]) -> list[str]:
    """``target = expr  # comment``, or a list of them, one per line."""
    if len(items) == 1:
        return [f"{indent}{target} = {items[0][0]}  # {items[0][1]}"]
    inner = indent + INDENT
    return ([f"{indent}{target} = ["] + [f"{inner}{expr},  # {comment}" for expr, comment in items]
            + [f"{indent}]"])


def _data_script(plan: _Plan, settings: _Settings) -> list[str]:
    """The main block of a script that trains on the data saved beside it."""
    i1 = INDENT
    where = f"{settings.dataset}, " if settings.dataset else ""
    parts = f"{round((1 - settings.validation - settings.test) * 100)}/{round(settings.validation * 100)}/" \
            f"{round(settings.test * 100)}"
    if settings.loss_weights is not None:
        return _named_data_script(plan, settings, where, parts)
    metrics = "[" + ", ".join(_string(m) for m in settings.metrics[0]) + "]"
    lines = _compile_function(settings, settings.losses[0], metrics) + _workers_function()
    lines += _main_start(settings) + [
             i1 + _c(f"# The data tflab trained on ({where}split {parts} into train/validation/test"
                     f" with seed {settings.seed}),",
                     f"# tflab 训练时用的数据（{where}按 {parts} 分成训练/验证/测试，种子 {settings.seed}），"),
             i1 + _c("# saved beside this file.", "# 保存在这个文件旁边。"),
             f"{i1}data = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "
             f"{_string(settings.data_file)}))",
             f'{i1}x_train, y_train = data["x_train"], data["y_train"]',
             f'{i1}x_val, y_val = data["x_val"], data["y_val"]',
             f'{i1}x_test, y_test = data["x_test"], data["y_test"]', ""]
    return lines + _train_and_test_lines(settings)


def _named_data_script(plan: _Plan, settings: _Settings, where: str, parts: str) -> list[str]:
    """The main block of a script that trains a model of several inputs or outputs on the
    named arrays saved beside it: one list of arrays per part, in the model's order."""
    from tflab.named_data import graph_ports

    i1 = INDENT
    inputs, outputs = ([port.name for port in ports] for ports in graph_ports(plan.graph))
    loss = "[" + ", ".join(settings.losses) + "]"
    metrics = "[" + ", ".join("[" + ", ".join(_string(m) for m in ms) + "]" for ms in settings.metrics) + "]"
    weights = "[" + ", ".join(f"{w:g}" for w in settings.loss_weights) + "]"
    lines = _compile_function(settings, loss, metrics, weights) + _workers_function(nested=True)
    lines += _main_start(settings) + [
        i1 + _c(f"# The data tflab trained on ({where}split {parts} into train/validation/test"
                f" with seed {settings.seed}),",
                f"# tflab 训练时用的数据（{where}按 {parts} 分成训练/验证/测试，种子 {settings.seed}），"),
        i1 + _c("# saved beside this file: one array per input and output, named after it.",
                "# 保存在这个文件旁边：每个输入和输出各一个以其名称命名的数组。"),
        f"{i1}data = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "
        f"{_string(settings.data_file)}))",
        f"{i1}inputs = [{', '.join(_string(n) for n in inputs)}]  " + _c("# in the model's order", "# 按模型的顺序"),
        f"{i1}outputs = [{', '.join(_string(n) for n in outputs)}]",
        "",
        f"{i1}def part(name, keys):",
        f'{i1}{i1}return [data[f"{{name}}__{{key}}"] for key in keys]',
        "",
        f'{i1}x_train, y_train = part("x_train", inputs), part("y_train", outputs)',
        f'{i1}x_val, y_val = part("x_val", inputs), part("y_val", outputs)',
        f'{i1}x_test, y_test = part("x_test", inputs), part("y_test", outputs)', ""]
    return lines + _train_and_test_lines(settings)


def _train_and_test_lines(settings: _Settings) -> list[str]:
    """Train on the data written beside the script, then print each test metric."""
    i1, batch = INDENT, settings.batch_size
    lines = _fit_lines(settings, [
        "x_train", "y_train", f"epochs={settings.epochs}", f"batch_size={batch}",
        "validation_data=(x_val, y_val)", "shuffle=True", "verbose=2",
    ])
    lines += _wrapped(i1, "results = ", "model.evaluate", ["x_test", "y_test", f"batch_size={batch}",
                                                           "return_dict=True", "verbose=0"])
    return lines + [f"{i1}for name, value in results.items():",
                    f'{i1}{i1}print(f"test {{name}}: {{value:.4f}}")']


#: The strategies a script may train under (``--strategy``), TensorFlow's own.
SCRIPT_STRATEGIES = ("default", "mirrored", "multiworker")


def _compile_function(settings: _Settings, loss: str, metrics: str, loss_weights: str | None = None) -> list[str]:
    i1 = INDENT
    lines = ["def compile_model(model):",
             i1 + _c('"""Choose the optimizer, the loss and the metrics (tflab\'s training settings)."""',
                     '"""选择优化器、损失函数和评估指标（tflab 的训练设置）。"""')]
    arguments = [f"optimizer={settings.optimizer}", f"loss={loss}", f"metrics={metrics}"]
    if loss_weights is not None:
        arguments.insert(2, f"loss_weights={loss_weights}")
    lines += _wrapped(i1, "", "model.compile", arguments)
    return lines + ["", ""]


def _workers_function(nested: bool = False) -> list[str]:
    """A function that trains as ``model.fit`` does, as a loop under a strategy: Keras 3's
    ``fit`` stops with an error under ``MultiWorkerMirroredStrategy``. ``nested``: ``x`` or
    ``y`` may be lists of arrays (several inputs or outputs)."""
    i1, i2, i3 = INDENT, INDENT * 2, INDENT * 3
    lines = [
        "def fit_on_workers(strategy, model, x, y, epochs, batch_size, seed):",
        *_c(f'{i1}"""Train as model.fit does, written as a loop under the strategy (Keras 3\'s model.fit\n'
            f"{i1}does not run under MultiWorkerMirroredStrategy). Every worker runs this; each batch is\n"
            f'{i1}split between the replicas of all the workers, and their gradients are summed."""',
            f'{i1}"""像 model.fit 那样训练，写成在分布式策略下运行的循环（Keras 3 的 model.fit\n'
            f"{i1}不能在 MultiWorkerMirroredStrategy 下运行）。每个工作节点都运行它；每个批次\n"
            f'{i1}分给所有工作节点的副本，它们的梯度相加。"""').split("\n"),
    ]
    if nested:
        lines += [f"{i1}x, y = (tuple(a) if isinstance(a, list) else a for a in (x, y))  "
                  + _c("# one array per input/output", "# 每个输入/输出一个数组"),
                  f"{i1}count = len(tf.nest.flatten(y)[0])"]
    else:
        lines.append(f"{i1}count = len(y)")
    return lines + [
        f"{i1}dataset = tf.data.Dataset.from_tensor_slices((x, y))",
        f"{i1}dataset = dataset.shuffle(buffer_size=count, seed=seed).batch(batch_size)",
        f"{i1}batches = strategy.experimental_distribute_dataset(dataset)",
        f"{i1}with strategy.scope():",
        f"{i2}model.optimizer.build(model.trainable_variables)",
        "",
        f"{i1}def step(x, y):",
        f"{i2}with tf.GradientTape() as tape:",
        f"{i3}predictions = model(x, training=True)",
        f"{i3}loss = model.compute_loss(x, y, predictions)  " + _c("# divided by the number of replicas", "# 已除以副本数"),
        f"{i2}gradients = tape.gradient(loss, model.trainable_variables)",
        f"{i2}model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))",
        f"{i2}return loss",
        "",
        f"{i1}@tf.function",
        f"{i1}def train_step(x, y):",
        f'{i2}return strategy.reduce("SUM", strategy.run(step, args=(x, y)), axis=None)',
        "",
        f"{i1}for epoch in range(epochs):",
        f"{i2}losses = [float(train_step(x, y)) for x, y in batches]",
        f'{i2}print(f"Epoch {{epoch + 1}}/{{epochs}} - loss: {{sum(losses) / len(losses):.4f}}")',
        "",
        "",
    ]


def _main_start(settings: _Settings) -> list[str]:
    """The start of a script's main block: the ``--strategy`` option, then the model built
    and compiled in the strategy's scope (so its variables live on every replica)."""
    i1, i2 = INDENT, INDENT * 2
    choices = "[" + ", ".join(_string(name) for name in SCRIPT_STRATEGIES) + "]"
    return [
        'if __name__ == "__main__":',
        f'{i1}parser = argparse.ArgumentParser(description="Train the model.")',
        f'{i1}parser.add_argument("--strategy", choices={choices}, default="default",',
        f'{i1}                    help="default: one device (the GPU if there is one); mirrored: all the GPUs "',
        f'{i1}                    "of this machine; multiworker: several machines, each told its part by TF_CONFIG")',
        f"{i1}args = parser.parse_args()",
        f'{i1}if args.strategy == "mirrored":',
        f"{i2}strategy = tf.distribute.MirroredStrategy()  " + _c("# one replica per local GPU", "# 本机每个 GPU 一个副本"),
        f'{i1}elif args.strategy == "multiworker":',
        f"{i2}strategy = tf.distribute.MultiWorkerMirroredStrategy()  " + _c("# reads the TF_CONFIG variable", "# 读取 TF_CONFIG 环境变量"),
        f"{i1}else:",
        f"{i2}strategy = tf.distribute.get_strategy()  " + _c("# the default: one device", "# 默认：一个设备"),
        f'{i1}print(f"training with {{strategy.num_replicas_in_sync}} replica(s)")',
        "",
        f"{i1}tf.keras.utils.set_random_seed({settings.seed})",
        f"{i1}with strategy.scope():  " + _c("# the model's and the optimizer's variables, on every replica",
                                             "# 模型和优化器的变量放在每个副本上"),
        f"{i2}model = build_model()",
        f"{i2}compile_model(model)",
        f"{i1}model.summary()",
        "",
    ]


def _fit_lines(settings: _Settings, fit_args: list[str]) -> list[str]:
    """``model.fit``, or on several workers the same training as a loop and a plain copy of the model."""
    i1, i2 = INDENT, INDENT * 2
    lines = [f'{i1}if args.strategy == "multiworker":',
             f"{i2}fit_on_workers(strategy, model, x_train, y_train, epochs={settings.epochs}, "
             f"batch_size={settings.batch_size}, seed={settings.seed})",
             f"{i2}trained = model.get_weights()",
             f"{i2}model = build_model()  " + _c("# a copy outside the strategy, to evaluate on this worker",
                                                 "# 策略之外的一个副本，用来在这个工作节点上评估"),
             f"{i2}compile_model(model)",
             f"{i2}model.set_weights(trained)",
             f"{i1}else:"]
    return lines + _wrapped(i2, "", "model.fit", fit_args)


def _script(plan: _Plan, settings: _Settings) -> list[str]:
    if settings.data_file:
        return _data_script(plan, settings)
    graph = plan.graph
    i1 = INDENT
    many_in, many_out = len(graph.inputs) > 1, len(plan.outputs) > 1
    lines = [
        "def make_random_data(model, count, rng):",
        i1 + _c('"""Random examples shaped like the model\'s inputs and outputs (a stand-in for real data)."""',
                '"""与模型的输入和输出形状相同的随机样本（代替真实数据）。"""'),
    ]
    lines += _array_lines(i1, "x", [_random_input(graph, node) for node in graph.inputs])
    probe = "[part[:1] for part in x]" if many_in else "x[:1]"
    lines.append(f"{i1}outputs = tf.nest.flatten(model({probe}))  "
                 + _c("# one sample, to see the output shapes", "# 用一个样本看输出的形状"))
    lines += _array_lines(i1, "y", [_random_target(i, kind) for i, kind in enumerate(settings.kinds)])
    lines += [f"{i1}return x, y", "", ""]

    batch = settings.batch_size
    loss = settings.losses[0] if not many_out else "[" + ", ".join(settings.losses) + "]"
    metric_lists = ["[" + ", ".join(_string(m) for m in ms) + "]" for ms in settings.metrics]
    metrics = metric_lists[0] if not many_out else "[" + ", ".join(metric_lists) + "]"
    lines += _compile_function(settings, loss, metrics) + _workers_function(many_in or many_out)
    lines += _main_start(settings)
    if settings.dataset:
        lines.append(i1 + _c(f"# In tflab this project trains on the dataset {_text(settings.dataset)}.",
                             f"# 在 tflab 中，这个项目用数据集 {_text(settings.dataset)} 训练。"))
        lines.append(i1 + _c("# This script runs anywhere, offline, so it uses random data of the same shapes;",
                             "# 这个脚本要能在任何地方离线运行，所以使用形状相同的随机数据；"))
    else:
        lines.append(i1 + _c("# Random data of the right shapes, so this script runs anywhere, offline;",
                             "# 形状正确的随机数据，让这个脚本能在任何地方离线运行；"))
    lines += [
        i1 + _c("# put your own arrays in x_train, y_train, ... to train for real.",
                "# 把你自己的数组放进 x_train、y_train……就能真正训练。"),
        f"{i1}rng = np.random.default_rng({settings.seed})",
        f"{i1}x_train, y_train = make_random_data(model, {batch * 8}, rng)",
        f"{i1}x_val, y_val = make_random_data(model, {batch * 2}, rng)",
        f"{i1}x_test, y_test = make_random_data(model, {batch * 2}, rng)",
        "",
    ]
    lines += _fit_lines(settings, [
        "x_train", "y_train", f"epochs={settings.epochs}", f"batch_size={batch}",
        "validation_data=(x_val, y_val)",
    ])
    lines += _wrapped(i1, "", "model.evaluate", ["x_test", "y_test", f"batch_size={batch}"])
    return lines
