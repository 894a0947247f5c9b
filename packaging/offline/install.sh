#!/usr/bin/env bash
# Install tflab from the wheels beside this script, with no network (Linux and macOS).
#
#   bash install.sh [--prefix DIR] [--no-shortcut]
#
# Makes a virtual environment in DIR (default ~/.local/share/tflab-app) from wheels/ alone
# (pip install --no-index), a `tflab` command in ~/.local/bin and a shortcut: the
# applications menu on Linux, the Desktop on macOS. Run again with a newer wheelhouse to
# update in place: projects, settings and training runs live in the user's own folders
# and are kept. PYTHON=/path/to/python3.x picks the Python (default: python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix="${HOME}/.local/share/tflab-app"
shortcut=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --no-shortcut) shortcut=0; shift ;;
        *) echo "install.sh: unknown option $1 (use --prefix DIR, --no-shortcut)" >&2; exit 2 ;;
    esac
done

python="${PYTHON:-python3}"
wanted=$(cat "$here/python-version")
have=$("$python" -c 'import sys; print(f"{sys.version_info.major}.{sys.version_info.minor}")' 2>/dev/null || true)
if [ "$have" != "$wanted" ]; then
    echo "install.sh: these wheels are for Python $wanted, but '$python' is Python ${have:-(not found)}." >&2
    echo "install.sh: install Python $wanted, or run: PYTHON=/path/to/python$wanted bash install.sh" >&2
    exit 1
fi

echo "install.sh: installing tflab into $prefix (no network needed)"
if [ ! -x "$prefix/venv/bin/python" ]; then
    "$python" -m venv "$prefix/venv"
fi
"$prefix/venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" --upgrade tflab

mkdir -p "$HOME/.local/bin"
ln -sf "$prefix/venv/bin/tflab" "$HOME/.local/bin/tflab"
ln -sf "$prefix/venv/bin/tflab-cli" "$HOME/.local/bin/tflab-cli"
if [ "$shortcut" = 1 ]; then
    icon="$prefix/venv/share/tflab/resources/icons/tflab.svg"
    if [ "$(uname -s)" = "Darwin" ]; then
        printf '#!/bin/sh\nexec "%s" "$@"\n' "$prefix/venv/bin/tflab" > "$HOME/Desktop/tflab.command"
        chmod +x "$HOME/Desktop/tflab.command"
        echo "install.sh: start tflab with tflab.command on the Desktop"
    else
        apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
        mkdir -p "$apps"
        cat > "$apps/tflab.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=tflab
Comment=Learn TensorFlow and Keras offline
Exec="$prefix/venv/bin/tflab" %f
Icon=$icon
Terminal=false
Categories=Education;Science;
MimeType=application/x-tflab-project;
DESKTOP
        echo "install.sh: start tflab from the applications menu (Education)"
    fi
fi
echo "install.sh: done; check it with: $prefix/venv/bin/tflab --self-test"
