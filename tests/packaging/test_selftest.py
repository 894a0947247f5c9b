"""``tflab --self-test`` from the sources: every check passes (the frozen run is ``make package-test``)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ("window", "tensorflow", "resources", "shapes", "keras build", "keras import", "codegen", "training",
          "logs", "imaging", "custom code", "own layers")


def run_self_test() -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "ui", "--self-test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_self_test_passes_every_check():
    result = run_self_test()
    report = result.stdout
    assert result.returncode == 0, report + result.stderr[-3000:]
    lines = report.splitlines()
    for name in CHECKS:
        assert any(line.startswith("OK ") and line[6:].startswith(name) for line in lines), (name, report)
    assert not any(line.startswith("FAIL") for line in lines), report
    assert "79,510 parameters" in report
    assert lines[-1].startswith("self-test passed: 12 checks")
