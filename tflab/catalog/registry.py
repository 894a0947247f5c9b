"""Looking a layer up by name: curated, a project's own layers, else Keras.

A project's own layers come from its custom code: each call that may meet them takes that
code (a :class:`tflab.custom_layers.CustomCode`, ``custom=``) from its caller, usually
``graph.custom_layers()``. Nothing here remembers which project is open.
"""

from __future__ import annotations

import contextvars
import functools
from dataclasses import replace
from typing import Any

from tflab import tfload
from tflab.catalog.applications import APPLICATION_ENTRIES
from tflab.catalog.curated import _CURATED, _EXTRA_CHECKS, _check_name
from tflab.catalog.keras_entries import _entry_from_keras, _keras_layer_class, _unknown_layer
from tflab.catalog.models import MODEL_CLASS, MODEL_ENTRY
from tflab.catalog.operations import OPERATION_ENTRIES
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


def is_known_layer(class_name: Any, custom: Any = None) -> bool:
    """Whether ``class_name`` is a layer the app can use: curated, one of ``custom``'s
    classes (a project's :class:`~tflab.custom_layers.CustomCode`, or None), else asks Keras."""
    if isinstance(class_name, str) and (class_name in _CURATED or class_name in APPLICATION_ENTRIES
                                        or class_name in OPERATION_ENTRIES or class_name == MODEL_CLASS
                                        or (custom is not None and class_name in custom)):
        return True
    return _keras_layer_class(class_name) is not None


def get_entry(class_name: Any, custom: Any = None) -> LayerEntry:
    """The catalog entry of ``class_name``: curated, a class of ``custom`` (a project's
    :class:`~tflab.custom_layers.CustomCode`, or None), else built from Keras itself.

    Raises :class:`TflabError` for a name that is not a usable ``keras.layers`` class.
    """
    if not isinstance(class_name, str):
        raise _unknown_layer(class_name)
    if class_name in _CURATED:
        return _CURATED[class_name]
    own = custom.entry(class_name) if custom is not None else None
    if own is not None:
        return own
    if class_name in APPLICATION_ENTRIES:
        return APPLICATION_ENTRIES[class_name]
    if class_name in OPERATION_ENTRIES:
        return OPERATION_ENTRIES[class_name]
    if class_name == MODEL_CLASS:
        return MODEL_ENTRY
    return _keras_entry(class_name)


def entry_if_ready(class_name: Any, custom: Any = None) -> LayerEntry | None:
    """The catalog entry of ``class_name`` (see :func:`get_entry`), without ever importing
    Keras: None for a class only Keras knows while Keras is not loaded yet, or for an
    unknown class."""
    ready = isinstance(class_name, str) and (
        class_name in _CURATED or class_name in APPLICATION_ENTRIES or class_name in OPERATION_ENTRIES
        or class_name == MODEL_CLASS or (custom is not None and class_name in custom))
    if not ready and not tfload.is_loaded():
        return None
    try:
        return get_entry(class_name, custom)
    except TflabError:
        return None


#: The custom code of the project whose values :func:`validate_config` is checking now,
#: for a validator that must tell a project's own class from an unknown one.
_checking_with: contextvars.ContextVar[Any] = contextvars.ContextVar("checking_with", default=None)


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
    return names + sorted(others + list(APPLICATION_ENTRIES)) + list(OPERATION_ENTRIES)



def validate_config(class_name: str, config: Any, custom: Any = None) -> dict:
    """``config`` (a sparse config of layer ``class_name``) checked and normalised;
    ``custom`` is the project's custom code when ``class_name`` may be one of its classes.

    Returns a new dict with the arguments in the catalog's order. Raises
    :class:`TflabError` naming the argument and the layer for an unknown argument, a
    missing required one, or a bad value.
    """
    entry = get_entry(class_name, custom)
    token = _checking_with.set(custom)
    try:
        result = validate_arguments(class_name, entry.params, config)
    finally:
        _checking_with.reset(token)
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
    if class_name == "Input" or not is_known_layer(class_name):
        custom = _checking_with.get()
        if custom is not None and class_name in custom:  # neither built nor written inside a wrapper
            raise TflabError(
                f"{class_name} is a layer class of this project: the wrapped layer ({spec.name}) "
                "must be a layer of tf.keras.layers.",
                f"{class_name} 是本项目自己的层类：被包装的层（{spec.name}）必须是 tf.keras.layers 中的层。",
            )
        raise spec.error(class_name)
    if class_name == MODEL_CLASS:
        raise TflabError(
            f"A whole model cannot be wrapped inside a layer ({spec.name}) here: call the model itself.",
            f"这里不能把整个模型包装在层里面（{spec.name}）：请直接调用这个模型。",
        )
    if class_name in OPERATION_ENTRIES:
        raise TflabError(
            f"{class_name} is a tensor operation, not a layer: it cannot be wrapped inside a layer ({spec.name}).",
            f"{class_name} 是张量运算，不是层：不能被包装在层里面（{spec.name}）。",
        )
    config = value.get("config") or {}
    config = validate_config(class_name, config, _checking_with.get())  # a wrapper in a wrapper
    return {"class_name": class_name, "module": "layers", "config": config}


register_validator("layer", _v_layer)
