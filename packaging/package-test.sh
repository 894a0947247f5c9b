#!/usr/bin/env bash
# Build tflab's installer and test what a classroom computer would get (`make package-test`).
#
#   1. build the one-folder bundle (packaging/build.sh) and the .deb (packaging/linux/build-deb.sh);
#   2. unpack the .deb into a temporary folder with `dpkg -x` (no root, nothing installed);
#   3. check that Qt's X11 plugin finds its libraries, then run <root>/opt/tflab/tflab
#      --self-test offscreen, again with the network cut off (packaging/no-network.sh),
#      and on a virtual X server (xvfb-run, when installed); all must pass;
#   4. print the bundle and .deb sizes, the self-test's start-up and total times.
# Set SKIP_BUILD=1 to test the .deb already in build/ without building again.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' tflab/__init__.py)
DEB=build/tflab_${VERSION}_amd64.deb
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/tflab-package-test.XXXXXX")
LOGS=build/package-test
trap 'rm -rf "$ROOT"' EXIT

step() {
    echo "== package-test: $*"
}

build() {
    if [ "${SKIP_BUILD:-0}" = "1" ] && [ -f "$DEB" ]; then
        step "using the existing $DEB (SKIP_BUILD=1)"
        return
    fi
    local t=$(date +%s)
    step "building the bundle"
    bash packaging/build.sh
    BUILD_SECONDS=$(( $(date +%s) - t ))
    t=$(date +%s)
    step "building the .deb"
    bash packaging/linux/build-deb.sh
    DEB_SECONDS=$(( $(date +%s) - t ))
}

unpack() {
    step "unpacking $DEB into $ROOT (dpkg -x)"
    dpkg -x "$DEB" "$ROOT"
    [ -x "$ROOT/opt/tflab/tflab" ] || { echo "package-test: no /opt/tflab/tflab in the package" >&2; exit 1; }
    [ "$(readlink "$ROOT/usr/bin/tflab")" = "/opt/tflab/tflab" ] || { echo "package-test: bad /usr/bin/tflab" >&2; exit 1; }
    [ -f "$ROOT/usr/share/applications/tflab.desktop" ] || { echo "package-test: no desktop entry" >&2; exit 1; }
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$ROOT/usr/share/applications/tflab.desktop"
    fi
}

# The Qt X11 plugin and its libraries resolve on this computer (the .deb's Depends).
check_libraries() {
    local internal="$ROOT/opt/tflab/_internal" missing
    step "checking that Qt's X11 plugin finds all its libraries"
    missing=$(LD_LIBRARY_PATH="$internal:$internal/PySide6/Qt/lib" \
        ldd "$internal/PySide6/Qt/plugins/platforms/libqxcb.so" | grep "not found" || true)
    if [ -n "$missing" ]; then
        echo "package-test: libqxcb.so misses: $missing" >&2
        exit 1
    fi
}

# self_test NAME [WRAPPER...]: run the unpacked program's self-test (offscreen unless the
# wrapper provides a display), log to $LOGS/NAME.log, keep the time in SECONDS_NAME.
self_test() {
    local name=$1
    shift
    local log="$LOGS/$name.log" t
    step "self-test ($name)"
    t=$(date +%s%N)
    if ! env -u DISPLAY -u WAYLAND_DISPLAY HOME="$ROOT/home" \
            "$@" "$ROOT/opt/tflab/tflab" --self-test > "$log" 2>&1; then
        cat "$log"
        echo "package-test: the self-test ($name) FAILED" >&2
        exit 1
    fi
    grep -E '^(OK|FAIL) |^self-test|^no-network' "$log"
    t=$(( ($(date +%s%N) - t) / 100000000 ))
    printf -v "SECONDS_$name" '%d.%d' $(( t / 10 )) $(( t % 10 ))
}

report() {
    local bundle_size deb_size startup tf_ready
    bundle_size=$(du -sh "$ROOT/opt/tflab" | cut -f1)
    deb_size=$(du -h "$DEB" | cut -f1)
    startup=$(sed -n 's/.*main window shown \([0-9.]*\) s after.*/\1/p' "$LOGS/online.log")
    tf_ready=$(sed -n 's/.*ready \([0-9.]*\) s after.*/\1/p' "$LOGS/online.log")
    step "summary"
    echo "bundle (/opt/tflab):            $bundle_size"
    echo ".deb ($DEB):   $deb_size"
    echo "self-test start-up (window):    ${startup} s (TensorFlow ready: ${tf_ready} s)"
    echo "self-test total, offscreen:     ${SECONDS_online} s"
    echo "self-test total, no network:    ${SECONDS_offline} s"
    if [ -n "${SECONDS_x11:-}" ]; then echo "self-test total, X11 (Xvfb):    ${SECONDS_x11} s"; fi
    if [ -n "${BUILD_SECONDS:-}" ]; then echo "bundle build: ${BUILD_SECONDS} s, .deb build: ${DEB_SECONDS} s"; fi
    echo "package-test total:             $(( $(date +%s) - started )) s"
}

mkdir -p "$LOGS" "$ROOT/home"
build
unpack
check_libraries
self_test online env QT_QPA_PLATFORM=offscreen
self_test offline env QT_QPA_PLATFORM=offscreen bash packaging/no-network.sh
if command -v xvfb-run >/dev/null; then
    self_test x11 env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x800x24"
else
    step "xvfb-run not found: the X11 self-test is skipped"
fi
report
