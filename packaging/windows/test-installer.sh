#!/usr/bin/env bash
# Install the Windows installer silently for the current user into a temporary folder,
# run the installed tflab's self-test, install it again over itself (as an update does),
# then uninstall it. Git Bash, after packaging/windows/build-installer.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

setup=$(ls build/tflab-*-windows-x64-setup.exe | tail -1)
target=$(mktemp -d)/tflab
dir=$(cygpath -w "$target")
echo "test-installer: installing $setup into $dir"
"$setup" //VERYSILENT //SUPPRESSMSGBOXES //NORESTART //CURRENTUSER "//DIR=$dir"
QT_QPA_PLATFORM=offscreen "$target/tflab.exe" --self-test
echo "test-installer: installing again over it"
"$setup" //VERYSILENT //SUPPRESSMSGBOXES //NORESTART //CURRENTUSER "//DIR=$dir"
QT_QPA_PLATFORM=offscreen "$target/tflab.exe" --self-test | tail -1
"$target/unins000.exe" //VERYSILENT //SUPPRESSMSGBOXES //NORESTART
echo "test-installer: passed"
