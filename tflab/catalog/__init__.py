"""The layer catalog: what each Keras layer is, which arguments it takes, and checks.

A layer in the model graph is a ``class_name`` (a ``keras.layers`` class name) and a
*sparse* ``config``: a dict holding only the constructor arguments the user set
(everything absent takes the Keras default). Values are JSON data -- numbers,
strings, bools, ``None``, lists (tuples become lists) -- plus *object values* for
Keras objects::

    {"class_name": "RandomNormal", "module": "initializers",
     "config": {"mean": 0.0, "stddev": 0.05, "seed": 1}}

where ``module`` is one of ``"initializers"``, ``"regularizers"``, ``"constraints"``
or ``"layers"`` (a wrapped layer, e.g. ``Bidirectional(layer=...)``, whose config is
sparse too). Activations are plain strings (``"relu"``).

About forty classroom layers are *curated*: their arguments are written out here by
hand (defaults are Keras 3's real defaults; a test checks them against Keras), with
one-line English and Chinese descriptions written for students. Any other class of
``keras.layers`` gets an entry built from Keras itself on request.

The package: :mod:`~tflab.catalog.params` (what an argument is, how values are checked,
:class:`LayerEntry`), :mod:`~tflab.catalog.curated` (the classroom layers),
:mod:`~tflab.catalog.keras_entries` (entries built from Keras),
:mod:`~tflab.catalog.initializers` (initializer values),
:mod:`~tflab.catalog.operations` (tensor operations: ``keras.ops`` calls as nodes) and
:mod:`~tflab.catalog.registry` (lookups by name, a project's own layers passed in).
Everything a caller needs is importable from ``tflab.catalog`` itself.

Importing this package does not import TensorFlow or Keras; only the functions that
must look at Keras (:func:`get_entry` for a non-curated name, :func:`all_layer_names`)
import it, lazily.
"""

from __future__ import annotations

from tflab.catalog import initializers  # registers the initializer validator  # noqa: F401
from tflab.catalog.curated import BASE_PARAMS, curated_entries, curated_names
from tflab.catalog.operations import is_operation, operation_entries
from tflab.catalog.params import (
    ACTIVATIONS,
    ALL_DTYPES,
    CATEGORIES,
    CONSTRAINT_NAMES,
    INPUT_DTYPES,
    INPUT_MODES,
    KINDS,
    LAYER_DTYPES,
    OBJECT_PARAMS,
    RECURRENT_LAYERS,
    REGULARIZER_NAMES,
    LayerEntry,
    ParamSpec,
    category_label,
    is_object_value,
    to_json,
    validate_arguments,
)
from tflab.catalog.registry import (
    all_layer_names,
    entry_if_ready,
    get_entry,
    is_known_layer,
    validate_config,
)

__all__ = [
    "ACTIVATIONS",
    "ALL_DTYPES",
    "BASE_PARAMS",
    "CATEGORIES",
    "CONSTRAINT_NAMES",
    "INPUT_DTYPES",
    "INPUT_MODES",
    "KINDS",
    "LAYER_DTYPES",
    "LayerEntry",
    "OBJECT_PARAMS",
    "ParamSpec",
    "RECURRENT_LAYERS",
    "REGULARIZER_NAMES",
    "all_layer_names",
    "category_label",
    "curated_entries",
    "curated_names",
    "entry_if_ready",
    "get_entry",
    "is_known_layer",
    "is_object_value",
    "is_operation",
    "operation_entries",
    "to_json",
    "validate_arguments",
    "validate_config",
]
