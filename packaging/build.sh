#!/usr/bin/env bash
# Build tflab's one-folder bundle with PyInstaller: build/pyinstaller/dist/tflab/
# (on macOS also build/pyinstaller/dist/tflab.app).
#
# Uses the project's virtual environment (.venv, made by `make test` or `make run`) and
# installs PyInstaller into it when missing. Works on Linux, macOS, and Windows (Git Bash).
# Nothing is downloaded at run time by the bundle; this script only needs the network
# when PyInstaller is not installed yet.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=build/pyinstaller
PYINSTALLER_REQUIREMENTS=("pyinstaller>=6.11" "pyinstaller-hooks-contrib>=2025.1")

python_of_venv() {
    # The virtual environment's Python (bin/ on Linux and macOS, Scripts/ on Windows).
    for candidate in .venv/bin/python .venv/Scripts/python.exe; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
    echo "build.sh: no virtual environment: run 'make test' (or create .venv and pip install -e .) first" >&2
    exit 1
}

PY=${PYTHON_FOR_BUILD:-$(python_of_venv)}

if ! "$PY" -c "import PyInstaller, _pyinstaller_hooks_contrib" 2>/dev/null; then
    echo "build.sh: installing PyInstaller into the virtual environment"
    "$PY" -m pip install -q "${PYINSTALLER_REQUIREMENTS[@]}"
fi

echo "build.sh: PyInstaller $("$PY" -m PyInstaller --version), building into $BUILD/dist"
started=$(date +%s)
TF_CPP_MIN_LOG_LEVEL=3 "$PY" -m PyInstaller \
    --noconfirm \
    --log-level WARN \
    --distpath "$BUILD/dist" \
    --workpath "$BUILD/work" \
    packaging/tflab.spec
echo "build.sh: built $BUILD/dist/tflab in $(( $(date +%s) - started )) s ($(du -sh "$BUILD/dist/tflab" | cut -f1))"
