"""The Qt binding the app runs on survives a long session of Qt calls.

PySide6 6.12.0 on Python 3.11 returns ``None`` without a reference from every
void method: after a few thousand calls the interpreter aborts. The project pins
a sound version; this test keeps it that way.
"""

import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import QObject
obj = QObject()
before = sys.getrefcount(None)
for _ in range(20000):
    obj.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def test_twenty_thousand_void_calls_do_not_leak_none():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-500:]
    assert abs(int(out.stdout.strip())) < 100
