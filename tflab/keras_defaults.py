"""What Keras writes for each argument it was not given, per layer class, read without Keras.

A ``.keras`` file holds every layer's full config: all of its arguments, the ones left
at their defaults too. Importing keeps only the arguments that differ from Keras's
defaults (a *sparse* config). Asking Keras which those are means importing TensorFlow
(4.5 s) and making the whole model (NASNetMobile: 3 s). This table answers the same
question from a file: for each ``keras.layers`` class, the keys its config has and the
value Keras writes for each argument left out.

An argument is listed as left out only where Keras makes the same layer without it (as
the importer through Keras asks). Where its value changed when another argument was
changed, the table says so: a value that *copies* another argument (a pooling layer's
``strides`` is its ``pool_size``, MultiHeadAttention's ``value_dim`` its ``key_dim``) is
left out when it equals that argument; one that otherwise *follows* others
(BatchNormalization's ``renorm_clipping`` follows ``renorm``) holds its default only while
they hold theirs.

The table is made from the Keras the project pins (:func:`make_table`, run by
``python -m tflab.keras_defaults``), which it names; it is used only with that same
Keras version. ``tests/test_keras_defaults.py`` makes it again and compares.

Importing this module does not import TensorFlow or Keras; :func:`make_table` does.
"""

from __future__ import annotations

import functools
import json
from importlib import metadata
from typing import Any

from tflab import allowlist, tfload
from tflab.resources import resource_path, resources_root

RESOURCE = "keras_defaults.json"

#: Values for the arguments a layer cannot be made without, by name: two each, so that
#: a value Keras derives from one (MultiHeadAttention's ``value_dim``) is seen to change.
_REQUIRED_VALUES: dict[str, tuple[Any, Any]] = {
    "units": (4, 5), "filters": (4, 6), "kernel_size": (3, 5), "num_heads": (2, 3),
    "key_dim": (2, 3), "input_dim": (10, 11), "output_dim": (4, 5), "rate": (0.5, 0.25),
    "stddev": (0.5, 0.25), "size": (2, 3), "pool_size": (2, 3), "output_size": (2, 3),
    "height": (4, 5), "width": (4, 6), "factor": (0.2, 0.3), "scale": (0.5, 0.25),
    "target_shape": ([4], [2, 2]), "dims": ([1], [1]), "n": (2, 3), "axes": (1, 1),
    "output_shape": ([4], [5]), "equation": ("ab,bc->ac", "ab,bc->ac"), "num_bins": (4, 5),
    "num_tokens": (4, 5), "max_tokens": (4, 5), "head_dim": (2, 3), "num_query_heads": (2, 4),
    "num_key_value_heads": (2, 2), "depth_multiplier": (1, 2), "max_boxes": (2, 3),
    "value_range": ([0, 255], [0, 1]), "sampling_rate": (16000, 8000), "activation": ("relu", "tanh"),
    "height_factor": (0.2, 0.3), "width_factor": (0.2, 0.3), "max_number": (2, 3),
    "init_values": (1e-6, 0.1), "projection_dim": (4, 5), "drop_path_rate": (0.1, 0.2),
}

#: Classes whose config holds other layers in ways the table does not follow (cells,
#: pipelines): never listed. The wrappers Bidirectional and TimeDistributed are, made
#: around an LSTM (their wrapped layer is required, so never left out).
_HOLDS_LAYERS = frozenset({"RNN", "StackedRNNCells", "Pipeline", "SpectralNormalization"})


@functools.cache
def keras_version() -> str | None:
    """The installed Keras's version, read from its package metadata (no import)."""
    try:
        return metadata.version("keras")
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def _table() -> dict[str, Any]:
    with resource_path(RESOURCE).open(encoding="utf-8") as handle:
        return json.load(handle)


def layer_defaults(class_name: str) -> dict[str, Any] | None:
    """``{"module": ..., "keys": [...], "extra_keys": [...], "defaults": {...}, "copies":
    {...}, "follows": {...}}`` for ``class_name``: the module Keras saves it from, every
    key of its config, the keys written only
    when given (Dense's ``activity_regularizer``), the arguments that may be left out at their
    defaults, the argument each copied value copies, and the other arguments each
    following default follows; None when the table does not list the class or was made
    from another Keras version than the one installed."""
    table = _table()
    if table.get("keras") != keras_version():
        return None
    return table["layers"].get(class_name)


def plain(value: Any) -> Any:
    """Keras config data as JSON data: tuples become lists, dtype policies their name, and
    without the ``shared_object_id`` of an object that Keras saved in two places (an
    LSTM's initializers are its cell's too)."""
    if isinstance(value, dict):
        if value.get("module") == "keras" and "DTypePolicy" in str(value.get("class_name")):
            return value["config"]["name"]
        return {k: plain(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------- making the table
def make_table() -> dict[str, Any]:
    """The table, made from the installed Keras (imports it)."""
    import inspect

    from tflab import catalog
    from tflab.keras_layers import layer_class

    keras = tfload.keras()
    layers: dict[str, Any] = {}
    for name in catalog.all_layer_names():
        if name in _HOLDS_LAYERS or catalog.is_operation(name) or name == "Input":
            continue
        try:
            cls = layer_class(name)
        except Exception:  # noqa: BLE001 - not a class Keras exports under this name
            continue
        own = name in allowlist.APPLICATION_LAYERS  # Keras's own, outside keras.layers
        if cls.__name__ != name or (getattr(keras.layers, name, None) is not cls and not own):
            continue  # an alias
        signature = inspect.signature(cls.__init__).parameters.values()
        required = [p.name for p in signature if p.default is p.empty and p.name != "self"
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        specs = {spec.name: spec for spec in catalog.get_entry(name).params}
        optional = {p.name: (p.default, specs.get(p.name)) for p in signature if p.default is not p.empty}
        given = {**_REQUIRED_VALUES, "layer": (keras.layers.LSTM(2), keras.layers.LSTM(3))}  # a wrapper's
        if any(r not in given for r in required):
            continue
        entry = _class_defaults(cls, {r: given[r] for r in required}, optional)
        if entry is not None:
            layers[name] = {"module": cls.__module__ if own else "keras.layers", **entry}
    return {"keras": keras_version(), "layers": dict(sorted(layers.items()))}


def _config(cls: type, arguments: dict[str, Any], made_from_config: bool = False) -> dict[str, Any] | None:
    """The plain config (without name) of a ``cls`` layer made from ``arguments``: with the
    constructor, or with ``from_config`` as the importer does (None when Keras refuses)."""
    import copy

    tfload.load()
    from keras.src.saving.serialization_lib import SafeModeScope

    try:
        with SafeModeScope(True):
            made = cls.from_config(copy.deepcopy(arguments)) if made_from_config else cls(**arguments)
        config = plain(made.get_config())
    except Exception:  # noqa: BLE001 - these arguments do not make this layer
        return None
    config.pop("name", None)
    return config


def _class_defaults(cls: type, required: dict[str, tuple[Any, Any]], optional: dict[str, tuple[Any, Any]]):
    """The class's keys, the arguments the importer may leave out when they hold their
    default, and which other arguments each of those defaults follows."""
    first = {name: values[0] for name, values in required.items()}
    base = _config(cls, first)
    if base is None:
        return None
    defaults = {}
    for key, value in base.items():  # as the importer asks: the same config without it?
        if key not in required and _config(cls, {k: v for k, v in base.items() if k != key}, True) == base:
            defaults[key] = value
    trials = [(name, values[1]) for name, values in required.items() if values[1] != values[0]]
    trials += [(name, alternative) for name, (default, spec) in optional.items()
               if (alternative := _alternative(default, spec)) is not None]
    follows: dict[str, list[str]] = {}
    copied: dict[str, set[bool]] = {}
    extra: set[str] = set()
    for changed, value in trials:
        config = _config(cls, {**first, changed: value})
        extra.update(set(config or ()) - set(base))  # written only when given
        for key in defaults if config is not None else ():
            if key != changed and config.get(key, _MISSING) != defaults[key]:
                follows.setdefault(key, []).append(changed)  # Keras derives it from `changed`
                copied.setdefault(key, set()).add(config[key] == config.get(changed, _MISSING))
    copies = {key: names[0] for key, names in follows.items()
              if len(names) == 1 and copied[key] == {True} and base[key] == base.get(names[0], _MISSING)}
    return {"keys": sorted(base), "extra_keys": sorted(extra), "defaults": dict(sorted(defaults.items())),
            "copies": dict(sorted(copies.items())),
            "follows": {key: names for key, names in sorted(follows.items()) if key not in copies}}


_MISSING = object()


#: A value to try for an argument whose default is None, by the catalog's kind of it.
_TRY_BY_KIND = {"int": 3, "float": 0.5, "activation": "relu", "initializer": "ones", "int_or_tuple": 3,
                "axis": 1, "bool": True, "regularizer": "l2", "constraint": "non_neg"}


def _alternative(default: Any, spec: Any) -> Any:
    """Another valid-looking value for an argument whose default is ``default`` (``spec``:
    its catalog entry, or None); None when there is none to try."""
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 1
    if isinstance(default, float):
        return default / 2 if default else 0.5
    if isinstance(default, (list, tuple)) and default and all(isinstance(v, int) for v in default):
        return [v + 1 for v in default]
    choices = [c for c in getattr(spec, "choices", ()) if c != default]
    if choices:
        return choices[0]
    if default is None and spec is not None:
        return _TRY_BY_KIND.get(spec.kind)
    if isinstance(default, str):
        return {"valid": "same", "channels_last": "channels_first"}.get(default)
    return None


def main() -> None:
    """Write the table made from the installed Keras into the bundled resources."""
    path = resources_root() / RESOURCE
    path.write_text(json.dumps(make_table(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
