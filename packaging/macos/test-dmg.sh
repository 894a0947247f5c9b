#!/usr/bin/env bash
# Open the disk image as a user does, copy tflab.app out of it into a temporary
# "Applications" folder, and run the copied app's self-test (after build-app.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

dmg=$(ls build/tflab-*-macos-*.dmg | tail -1)
mount=$(mktemp -d)
apps=$(mktemp -d)
trap 'hdiutil detach "$mount" -quiet || true; rm -rf "$apps"' EXIT
hdiutil attach "$dmg" -nobrowse -readonly -mountpoint "$mount" -quiet
cp -R "$mount/tflab.app" "$apps/"
QT_QPA_PLATFORM=offscreen "$apps/tflab.app/Contents/MacOS/tflab" --self-test
echo "test-dmg: passed ($dmg)"
