"""Trained weights kept in a project file, for exactly the model they were trained for.

A project's ``weights`` section is ``{"graph": DIGEST, "epochs": N, "npz": BASE64}``:
the weights of every variable of the model (``model.get_weights()`` order) as a
compressed NumPy ``.npz`` file in base64, with the digest of the graph they belong to
(:func:`graph_digest`). Editing the model changes the digest: weights that no longer fit
are simply not used (training starts from fresh weights, as Keras would).

Only numbers are read back (``allow_pickle=False``), within a size bound
(:data:`MAX_BYTES`); a model too large to keep in a project is saved with "Save model..."
as a ``.keras`` file instead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import zipfile
from typing import Any

import numpy as np

from tflab.graph import ModelGraph
from tflab.messages import TflabError

#: The largest weights kept in a project file (bytes of the compressed arrays).
MAX_BYTES = 64 * 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}")


class WeightsError(TflabError):
    """A project's weights section that cannot be used."""


def graph_digest(graph: ModelGraph | dict) -> str:
    """The digest of a model's structure: inputs, layers and their settings, wiring,
    outputs and custom code (not the editor's positions or the model's name)."""
    data = graph.to_json() if isinstance(graph, ModelGraph) else dict(graph)
    kept = {key: value for key, value in data.items() if key not in ("positions", "name")}
    text = json.dumps(kept, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack(arrays: list[np.ndarray], graph: ModelGraph | dict, epochs: int) -> dict | None:
    """The weights section for ``arrays`` of ``graph``'s model after ``epochs`` epochs;
    None when they are too large to keep in a project (:data:`MAX_BYTES`) or not all
    finite (a run that diverged)."""
    if not all(np.isfinite(np.asarray(a)).all() for a in arrays):
        return None
    buffer = io.BytesIO()
    np.savez_compressed(buffer, *[np.asarray(a) for a in arrays])
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        return None
    return {"graph": graph_digest(graph), "epochs": int(epochs), "npz": base64.b64encode(data).decode("ascii")}


def check(record: Any) -> dict:
    """``record`` checked as a weights section (its form; the arrays on :func:`unpack`)."""
    if not isinstance(record, dict) or set(record) != {"graph", "epochs", "npz"}:
        raise WeightsError("The project's 'weights' section must hold graph, epochs and npz.",
                           "项目的 'weights' 部分必须包含 graph、epochs 和 npz。")
    if not isinstance(record["graph"], str) or not _DIGEST.fullmatch(record["graph"]):
        raise WeightsError("The project's weights name no model they belong to.", "项目中的权重没有注明所属的模型。")
    epochs = record["epochs"]
    if not isinstance(epochs, int) or isinstance(epochs, bool) or not 0 <= epochs <= 10**9:
        raise WeightsError(f"The project's weights give {epochs!r} epochs.", f"项目中的权重给出的轮数是 {epochs!r}。")
    if not isinstance(record["npz"], str) or len(record["npz"]) > MAX_BYTES * 4 // 3 + 8:
        raise WeightsError("The project's weights are too large to read.", "项目中的权重太大，无法读取。")
    return record


def fits(record: dict | None, graph: ModelGraph | dict) -> bool:
    """Whether ``record`` holds weights for exactly this model."""
    return record is not None and record.get("graph") == graph_digest(graph)


def unpack(record: dict) -> list[np.ndarray]:
    """The arrays of a weights section, in ``model.get_weights()`` order."""
    check(record)
    try:
        data = base64.b64decode(record["npz"], validate=True)
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            if sum(info.file_size for info in archive.zip.infolist()) > 8 * MAX_BYTES:
                raise WeightsError("The project's weights unpack to more than tflab reads.",
                                   "项目中的权重解压后超过了 tflab 能读取的大小。")
            arrays = [archive[f"arr_{i}"] for i in range(len(archive.files))]
    except (binascii.Error, ValueError, OSError, KeyError, zipfile.BadZipFile, EOFError) as err:
        raise WeightsError(f"The project's weights cannot be read ({err}).",
                           f"无法读取项目中的权重（{err}）。") from None
    for array in arrays:
        if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array).all():
            raise WeightsError("The project's weights hold values that are not finite numbers.",
                               "项目中的权重含有不是有限数字的值。")
    return arrays


def apply(model: Any, record: dict) -> bool:
    """Give ``model`` the weights of ``record`` when every shape matches; whether it did."""
    arrays = unpack(record)
    current = model.get_weights()
    if len(arrays) != len(current) or any(a.shape != c.shape for a, c in zip(arrays, current)):
        return False
    model.set_weights(arrays)
    return True
