"""Shared test set-up: offscreen Qt, quiet TensorFlow, English messages by default."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from tflab import messages  # noqa: E402


@pytest.fixture(autouse=True)
def _english_messages():
    """Engine messages in English unless a test switches language itself."""
    messages.set_language("en")
    yield
    messages.set_language("en")


@pytest.fixture(autouse=True)
def _no_custom_layers():
    """Each test starts with no custom code allowed to run."""
    from tflab import custom_layers

    yield
    custom_layers.forget_allowed()
