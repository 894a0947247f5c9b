#!/usr/bin/env bash
# Build the Windows installer (Git Bash, from a checkout whose .venv holds tflab's
# dependencies): the PyInstaller bundle, its self-test, then Inno Setup's compiler on
# packaging/windows/tflab.iss -> build/tflab-<version>-windows-x64-setup.exe.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash packaging/build.sh
echo "build-installer: self-test of the bundle"
QT_QPA_PLATFORM=offscreen build/pyinstaller/dist/tflab/tflab.exe --self-test

iscc=$(command -v ISCC.exe || true)
for candidate in "/c/Program Files (x86)/Inno Setup 6/ISCC.exe" "/c/Program Files/Inno Setup 6/ISCC.exe"; do
    [ -z "$iscc" ] && [ -x "$candidate" ] && iscc=$candidate
done
if [ -z "$iscc" ]; then
    echo "build-installer: Inno Setup 6 (ISCC.exe) is not installed: https://jrsoftware.org/isdl.php" >&2
    exit 1
fi
"$iscc" packaging/windows/tflab.iss
ls -l build/tflab-*-windows-x64-setup.exe
