"""Looking a layer up by name: curated, the open project's own layers, else Keras."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

from tflab import tfload
from tflab.catalog.applications import APPLICATION_ENTRIES
from tflab.catalog.curated import _CURATED, _EXTRA_CHECKS, _check_name
from tflab.catalog.keras_entries import _entry_from_keras, _keras_layer_class, _unknown_layer
from tflab.catalog.params import (
    LayerEntry,
    ParamSpec,
    _close_match,
    is_object_value,
    register_validator,
    validate_arguments,
)
from tflab.messages import TflabError


@functools.lru_cache(maxsize=1)
def _curated_by_class() -> dict[type, LayerEntry]:
    """Curated entries keyed by their Keras class (to recognise aliases like MaxPool2D)."""
    result = {}
    for name, entry in _CURATED.items():
        cls = _keras_layer_class(name)
        if cls is not None:
            result[cls] = entry
    return result


def is_known_layer(class_name: Any, *, own: bool = True) -> bool:
    """Whether ``class_name`` is a layer the app can use (curated, the open project's
    own layers, else asks Keras). ``own=False`` leaves out the open project's own layers
    (a graph carries its own custom code and checks its classes against that)."""
    if isinstance(class_name, str) and (class_name in _CURATED or class_name in APPLICATION_ENTRIES
                                        or (own and class_name in _custom_entries)):
        return True
    return _keras_layer_class(class_name) is not None


def get_entry(class_name: Any) -> LayerEntry:
    """The catalog entry of ``class_name``: curated, the open project's own layer (see
    :func:`set_custom_code`), else built from Keras itself.

    Raises :class:`TflabError` for a name that is not a usable ``keras.layers`` class.
    """
    if not isinstance(class_name, str):
        raise _unknown_layer(class_name)
    if class_name in _CURATED:
        return _CURATED[class_name]
    custom = _custom_entries.get(class_name)
    if custom is not None:
        return custom
    if class_name in APPLICATION_ENTRIES:
        return APPLICATION_ENTRIES[class_name]
    return _keras_entry(class_name)


def entry_if_ready(class_name: Any) -> LayerEntry | None:
    """The catalog entry of ``class_name``, without ever importing Keras: None for a
    class only Keras knows while Keras is not loaded yet, or for an unknown class."""
    ready = isinstance(class_name, str) and (
        class_name in _CURATED or class_name in APPLICATION_ENTRIES or class_name in _custom_entries)
    if not ready and not tfload.is_loaded():
        return None
    try:
        return get_entry(class_name)
    except TflabError:
        return None


# --------------------------------------------------------------------------- the project's own layers

#: The layer classes of the open project's custom code (see :func:`set_custom_code`).
_custom_entries: dict[str, LayerEntry] = {}


def set_custom_code(code: Any) -> None:
    """Make the layer classes of ``code`` (a :class:`tflab.custom_layers.CustomCode`, or
    None for none) known to :func:`get_entry`: the app calls it when the open project's
    custom code changes. Builds entries from the code's syntax tree: nothing runs."""
    global _custom_entries
    _custom_entries = {entry.class_name: entry for entry in code.entries()} if code is not None else {}


def custom_entries() -> list[LayerEntry]:
    """The open project's own layers, in the order its code defines them."""
    return list(_custom_entries.values())


@functools.cache
def _keras_entry(class_name: str) -> LayerEntry:
    cls = _keras_layer_class(class_name)
    if cls is None:
        raise _unknown_layer(class_name)
    curated = _curated_by_class().get(cls)
    if curated is not None:
        return replace(curated, class_name=class_name)
    return _entry_from_keras(class_name, cls)


def all_layer_names() -> list[str]:
    """Curated layer names first, then every other public layer class of ``keras.layers``
    (each class once, under its own name when Keras exports it) and the layers of
    ``keras.applications`` (imports Keras)."""
    keras = tfload.keras()

    names = list(_CURATED)
    seen = set(_curated_by_class())
    others = []
    for name in sorted(dir(keras.layers)):
        cls = _keras_layer_class(name)
        if cls is None or cls in seen:
            continue
        own = cls.__name__
        canonical = own if _keras_layer_class(own) is cls else name
        seen.add(cls)
        others.append(canonical)
    return names + sorted(others + list(APPLICATION_ENTRIES))



def validate_config(class_name: str, config: Any) -> dict:
    """``config`` (a sparse config of layer ``class_name``) checked and normalised.

    Returns a new dict with the arguments in the catalog's order. Raises
    :class:`TflabError` naming the argument and the layer for an unknown argument, a
    missing required one, or a bad value.
    """
    entry = get_entry(class_name)
    result = validate_arguments(class_name, entry.params, config)
    _check_name(class_name, result)
    check = _EXTRA_CHECKS.get(entry.class_name)
    if check:
        check(result)
    return result


def _v_layer(spec: ParamSpec, value: Any) -> dict:
    if not is_object_value(value) or value.get("module") not in ("layers", "keras.layers"):
        raise spec.error(value)
    class_name = value["class_name"]
    if spec.choices and class_name not in spec.choices:
        raise spec.error(class_name, *_close_match(class_name, spec.choices))
    if class_name == "Input" or not is_known_layer(class_name, own=False):
        if class_name in _custom_entries:  # neither built nor written inside a wrapper
            raise TflabError(
                f"{class_name} is a layer class of this project: the wrapped layer ({spec.name}) "
                "must be a layer of tf.keras.layers.",
                f"{class_name} 是本项目自己的层类：被包装的层（{spec.name}）必须是 tf.keras.layers 中的层。",
            )
        raise spec.error(class_name)
    config = value.get("config") or {}
    return {"class_name": class_name, "module": "layers", "config": validate_config(class_name, config)}


register_validator("layer", _v_layer)
