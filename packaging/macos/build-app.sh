#!/usr/bin/env bash
# Build tflab.app and a disk image on a Mac (Apple silicon): run from the repository root
# or anywhere, after `make test` has made .venv (see docs/installing.md, "macOS").
#
#   1. packaging/build.sh runs PyInstaller with packaging/tflab.spec; on macOS the spec's
#      BUNDLE step wraps the one-folder bundle as build/pyinstaller/dist/tflab.app;
#   2. the app's self-test runs (offscreen), then again with outgoing connections denied
#      (sandbox-exec, when the system still has it);
#   3. hdiutil makes build/tflab-<version>-macos-<arch>.dmg: the app and a link to
#      /Applications, to drag it onto.
# Signing: set TFLAB_CODESIGN_IDENTITY="Developer ID Application: ..." before running;
# without it the app is signed ad hoc (fine for a classroom, see the docs for Gatekeeper).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -s)" != "Darwin" ]; then
    echo "build-app.sh: run this on macOS (hdiutil and the .app bundle are macOS-only)" >&2
    exit 1
fi

VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' tflab/__init__.py)
ARCH=$(uname -m)
APP=build/pyinstaller/dist/tflab.app
STAGE=build/dmg
DMG=build/tflab-${VERSION}-macos-${ARCH}.dmg

bash packaging/build.sh
[ -d "$APP" ] || { echo "build-app.sh: PyInstaller made no $APP" >&2; exit 1; }

echo "build-app.sh: self-test of $APP"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/tflab" --self-test
if command -v sandbox-exec >/dev/null; then
    echo "build-app.sh: self-test with outgoing network connections denied"
    QT_QPA_PLATFORM=offscreen sandbox-exec -p '(version 1) (allow default) (deny network-outbound (remote ip "*:*"))' \
        "$APP/Contents/MacOS/tflab" --self-test
fi

rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "tflab $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
rm -rf "$STAGE"
echo "build-app.sh: $DMG ($(du -h "$DMG" | cut -f1))"
