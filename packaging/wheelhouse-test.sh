#!/usr/bin/env bash
# Test the offline installs for schools that manage Python (`make wheelhouse-test`).
#
#   1. build the Linux wheelhouse for this machine's Python (packaging/wheelhouse.py);
#   2. with the network cut off (packaging/no-network.sh): install it with its install.sh
#      into a temporary folder, then run the installed `tflab --self-test` (offscreen);
#   3. install it again over itself (as an update does) and check that a file kept in
#      the user's settings folder is still there, and the self-test still passes;
#   4. Windows and macOS, Python 3.11 and 3.12: every requirement resolves to a wheel for
#      that platform (the index's metadata only).
# It downloads a few hundred MB: not part of `make test`; run it before a release.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON_FOR_BUILD:-.venv/bin/python}
PYVER=$("$PY" -c 'import sys; print(f"{sys.version_info.major}.{sys.version_info.minor}")')
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/tflab-wheelhouse-test.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
started=$(date +%s)

echo "== wheelhouse-test: building the Linux wheelhouse for Python $PYVER"
"$PY" packaging/wheelhouse.py build --platform linux --python "$PYVER" --out "$ROOT/wheelhouse"

# The installed program sees a home of its own: nothing of this machine's user is touched.
export HOME="$ROOT/home" XDG_CONFIG_HOME="$ROOT/home/.config" XDG_DATA_HOME="$ROOT/home/.local/share"
mkdir -p "$HOME"
PYTHON=$(command -v "python$PYVER" || "$PY" -c 'import sys; print(sys._base_executable)')
export PYTHON QT_QPA_PLATFORM=offscreen TF_CPP_MIN_LOG_LEVEL=3

echo "== wheelhouse-test: installing with the network cut off"
bash packaging/no-network.sh bash "$ROOT/wheelhouse/install.sh" --prefix "$ROOT/app"
[ -f "$XDG_DATA_HOME/applications/tflab.desktop" ] || { echo "wheelhouse-test: no menu entry" >&2; exit 1; }
echo "== wheelhouse-test: self-test of the installed tflab, network cut off"
bash packaging/no-network.sh "$ROOT/app/venv/bin/tflab" --self-test

echo "== wheelhouse-test: installing again over it, as an update does"
mkdir -p "$XDG_CONFIG_HOME/tflab"
echo "kept" > "$XDG_CONFIG_HOME/tflab/kept-by-the-update"
bash packaging/no-network.sh bash "$ROOT/wheelhouse/install.sh" --prefix "$ROOT/app"
grep -q kept "$XDG_CONFIG_HOME/tflab/kept-by-the-update" || { echo "wheelhouse-test: the update lost settings" >&2; exit 1; }
bash packaging/no-network.sh "$ROOT/app/venv/bin/tflab" --self-test | tail -1

for platform in windows macos; do
    for python in 3.11 3.12; do
        echo "== wheelhouse-test: $platform, Python $python: does every requirement have a wheel?"
        "$PY" packaging/wheelhouse.py check --platform "$platform" --python "$python"
    done
done
size=$(du -sm "$ROOT/wheelhouse" | cut -f1)
echo "wheelhouse-test: passed in $(( $(date +%s) - started )) s; the Linux wheelhouse is ${size} MB"
