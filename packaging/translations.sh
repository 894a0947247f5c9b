#!/usr/bin/env bash
# Update the Chinese translation of the interface (run it after changing visible text):
#   1. extract every string of ui/**/*.py marked with tr()/translate() into
#      resources/translations/tflab_zh_CN.ts, keeping the translations it has and
#      dropping the strings the code no longer has;
#   2. compile the .ts into tflab_zh_CN.qm, the file the app loads.
# New strings come out type="unfinished": translate them (pyside6-linguist, or any editor)
# and run this again. Both files are committed; tests/ui/test_translations.py checks them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${PYSIDE6_BIN:-.venv/bin}"
ts=resources/translations/tflab_zh_CN.ts
sources=$(mktemp)
trap 'rm -f "$sources"' EXIT
find ui -name '*.py' | LC_ALL=C sort > "$sources"
"$bin/pyside6-lupdate" @"$sources" -no-obsolete -locations none \
    -source-language en -target-language zh_CN -ts "$ts"
"$bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
