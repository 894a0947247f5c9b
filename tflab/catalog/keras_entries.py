"""Entries for every other ``keras.layers`` class, built from Keras itself (its
signature and docstring) on request; imports Keras lazily."""

from __future__ import annotations

import inspect
import re
from typing import Any

from tflab import allowlist, tfload
from tflab.catalog.curated import _CURATED, _DATA_FORMAT, _SEED, BASE_PARAMS, _with_base_params
from tflab.catalog.params import LayerEntry, ParamSpec, _close_match, _is_number, _is_whole, to_json
from tflab.messages import TflabError

# --------------------------------------------------------------------------- Keras lookups

_MODULE_CATEGORIES = {
    "activations": "activation",
    "attention": "attention",
    "convolutional": "convolution",
    "core": "core",
    "merging": "merge",
    "normalization": "normalization",
    "pooling": "pooling",
    "preprocessing": "preprocessing",
    "regularization": "regularization",
    "reshaping": "reshape",
    "rnn": "recurrent",
}

#: How non-curated layers that take several tensors are called: (mode, min, max). The one
#: table: the code generator reads it too (it never imports Keras).
KERAS_INPUT_MODES = {
    "Dot": ("list", 2, 2),
    "Minimum": ("list", 2, None),
    "Attention": ("list", 2, 3),
    "AdditiveAttention": ("list", 2, 3),
    "GroupQueryAttention": ("positional", 2, 3),
}


def _unknown_layer(class_name: Any) -> TflabError:
    refusal = allowlist.layer_refusal(class_name)
    if refusal is not None:
        return refusal
    hint_en, hint_zh = _close_match(class_name, list(_CURATED))
    return TflabError(
        f"Unknown layer {class_name!r}: it is not a usable layer of keras.layers.",
        f"未知的层 {class_name!r}：它不是 keras.layers 中可用的层。",
        hint_en=hint_en, hint_zh=hint_zh,
    )


def _keras_layer_class(class_name: Any) -> type | None:
    """The public ``keras.layers`` class called ``class_name``, or None (imports Keras).
    Only classes of the allow-list (:mod:`tflab.allowlist`) are ever looked up."""
    if not allowlist.is_safe_layer(class_name):
        return None
    keras = tfload.keras()

    cls = getattr(keras.layers, class_name, None)
    if not isinstance(cls, type) or not issubclass(cls, keras.layers.Layer):
        return None
    return cls


# --------------------------------------------------------------------------- entries from Keras

_TUPLE_NAMES = frozenset({"kernel_size", "strides", "pool_size", "dilation_rate", "size", "output_padding", "cropping"})
_ZERO_OK = frozenset({"padding", "cropping", "output_padding"})


def _docstring_summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    line = doc.strip().splitlines()[0].strip() if doc.strip() else ""
    return line or f"The Keras layer {cls.__name__}."


def _docstring_args(cls: type) -> dict[str, str]:
    """First sentence of each argument's description in the docstring's ``Args:`` section."""
    lines = (inspect.getdoc(cls) or "").splitlines()
    heading = next((i for i, line in enumerate(lines) if line.strip() in ("Args:", "Arguments:")), None)
    if heading is None:
        return {}
    base = _indent(lines[heading])
    result: dict[str, str] = {}
    arg_indent = None
    current = None
    for line in lines[heading + 1:]:
        if not line.strip():
            continue
        indent = _indent(line)
        if indent <= base:
            break
        arg = re.match(r"^\s*(\w+):\s*(.*)$", line)
        if arg and (arg_indent is None or indent == arg_indent):
            arg_indent = indent
            current = arg.group(1)
            result[current] = arg.group(2).strip()
        elif current:
            result[current] += " " + line.strip()
    return {name: _first_sentence(text) for name, text in result.items()}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?\.)(?=\s+[A-Z`\"]|$)", text)
    return (match.group(1) if match else text).strip()


#: Bilingual descriptions for arguments that many layers share.
_SHARED_DESCRIPTIONS = {spec.name: (spec.desc_en, spec.desc_zh) for spec in (*BASE_PARAMS, _DATA_FORMAT, _SEED)}

#: Non-curated arguments known by name: (kind, nullable, minimum, maximum, choices).
_NAMED_KINDS: dict[str, tuple[str, bool, float | None, float | None, tuple]] = {
    "name": ("str", True, None, None, ()),
    "seed": ("int", True, 0, None, ()),
    "data_format": ("choice", True, None, None, ("channels_last", "channels_first")),
    **{n: ("int", False, 1, None, ()) for n in ("units", "filters", "num_heads", "key_dim", "input_dim", "output_dim")},
    **{n: ("float", False, 0.0, 1.0, ()) for n in ("rate", "dropout", "recurrent_dropout")},
}


def _guess_kind(name: str, default: Any) -> str:
    """A parameter kind guessed from an argument's name and default value."""
    by_suffix = {"_initializer": "initializer", "_regularizer": "regularizer", "_constraint": "constraint"}
    for suffix, kind in by_suffix.items():
        if name.endswith(suffix) and (default is None or isinstance(default, str)):
            return kind
    if (name == "activation" or name.endswith("_activation")) and (default is None or isinstance(default, str)):
        return "activation"
    if name in ("layer", "backward_layer"):
        return "layer"
    if name == "dtype":
        return "dtype"
    if (name == "axis" or name.endswith("_axes")) and (default is None or isinstance(default, (int, list))):
        return "axis"
    if name in _TUPLE_NAMES or (name == "padding" and not isinstance(default, str)):
        if default is None or isinstance(default, int) or isinstance(default, list):
            return "int_or_tuple"
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    if isinstance(default, str):
        return "str"
    return "any"


def _spec_from_parameter(param: inspect.Parameter, docs: dict[str, str]) -> ParamSpec:
    """A ParamSpec for one argument of a non-curated Keras layer, guessed from Keras."""
    required = param.default is inspect.Parameter.empty
    try:
        default = None if required else to_json(param.default)
    except TypeError:
        default = None
    desc = docs.get(param.name) or f"The Keras argument {param.name}."
    desc_en, desc_zh = _SHARED_DESCRIPTIONS.get(param.name, (desc, desc))
    named = _NAMED_KINDS.get(param.name)
    if named and (required or default is None or _default_fits(named, default)):
        kind, nullable, low, high, choices = named
        return ParamSpec(
            param.name, kind, default, required=required, nullable=nullable and not required,
            choices=choices, minimum=low, maximum=high, desc_en=desc_en, desc_zh=desc_zh,
        )
    kind = _guess_kind(param.name, default)
    is_tuple = kind == "int_or_tuple"
    has_pairs = isinstance(default, list) and any(isinstance(x, list) for x in default)
    return ParamSpec(
        param.name, kind, default, required=required, nullable=not required and default is None,
        minimum=(0 if param.name in _ZERO_OK else 1) if is_tuple else None,
        nested=is_tuple and (has_pairs or param.name in ("padding", "cropping")),
        length=len(default) if is_tuple and isinstance(default, list) else None,
        desc_en=desc_en, desc_zh=desc_zh,
    )


def _default_fits(named: tuple, default: Any) -> bool:
    """Whether a Keras default fits the kind a known argument name suggests."""
    kind, choices = named[0], named[4]
    if kind == "int":
        return _is_whole(default)
    if kind == "float":
        return _is_number(default)
    if kind == "choice":
        return default in choices
    return isinstance(default, str)


def _category_from_module(module: str) -> str:
    parts = module.split(".")
    if "layers" in parts:
        index = parts.index("layers")
        if index + 1 < len(parts):
            return _MODULE_CATEGORIES.get(parts[index + 1], "other")
    return "other"


def _entry_from_keras(class_name: str, cls: type) -> LayerEntry:
    """An entry for a non-curated layer, built from its signature and docstring."""
    docs = _docstring_args(cls)
    params = [
        _spec_from_parameter(param, docs)
        for param in inspect.signature(cls.__init__).parameters.values()
        if param.name != "self" and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
    ]
    category = _category_from_module(cls.__module__)
    if category == "merge":
        mode, lowest, highest = "list", 2, None
    else:
        mode, lowest, highest = "single", 1, 1
    mode, lowest, highest = KERAS_INPUT_MODES.get(class_name, (mode, lowest, highest))
    summary = _docstring_summary(cls)
    entry = LayerEntry(
        class_name, category, False, summary, summary, tuple(params), mode, lowest, highest,
        key_params=tuple(p.name for p in params if p.required)[:3],
    )
    return _with_base_params(entry)
