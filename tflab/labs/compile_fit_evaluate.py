"""compile, fit and evaluate: the settings the training panel starts from.

The keys (except ``dataset``) are those of :class:`tflab.trainer.TrainConfig`, so the
panel can pass them on unchanged; ``dataset`` names a dataset of :mod:`tflab.datasets`.
"""

from __future__ import annotations

from typing import Any


def default_training() -> dict[str, Any]:
    """Settings that train the course's model on the bundled MNIST digits in a few seconds.

    Adam with learning rate 0.001, sparse categorical cross-entropy (labels are class
    numbers 0-9), accuracy, 10 epochs of batches of 32. A fresh dict on every call.
    """
    return {
        "optimizer": "adam",
        "learning_rate": 0.001,
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
        "epochs": 10,
        "batch_size": 32,
        "dataset": "mnist",
    }
