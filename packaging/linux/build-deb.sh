#!/usr/bin/env bash
# Package the one-folder bundle (packaging/build.sh) as build/tflab_<version>_amd64.deb.
#
# Layout of the package:
#   /opt/tflab/                          the bundle (the program is /opt/tflab/tflab)
#   /usr/bin/tflab                       a link to it
#   /usr/share/applications/tflab.desktop, /usr/share/icons/hicolor/{256x256,scalable}/apps/
#   /usr/share/doc/tflab/copyright
# Needs dpkg-deb (Debian and Ubuntu have it); no root rights (--root-owner-group).
# Set DEB_COMPRESSION (xz, zstd, gzip) to trade size against build time; default xz,
# which every dpkg can read.
set -euo pipefail
cd "$(dirname "$0")/../.."

BUNDLE=build/pyinstaller/dist/tflab
STAGE=build/deb
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' tflab/__init__.py)
ARCH=amd64
DEB=build/tflab_${VERSION}_${ARCH}.deb
COMPRESSION=${DEB_COMPRESSION:-xz}

# The bundle carries its libraries, except those PyInstaller leaves to the system on
# purpose (the C library, X11's libxcb, OpenGL / EGL, which must match the computer's
# drivers); libc6's minimum version is read from the bundle (glibc_minimum).
DEPENDS_SYSTEM="libxcb1, libgl1, libegl1"
# Wayland desktops use the Wayland libraries when present (else Qt falls back to X11);
# a CJK font shows the Chinese interface.
RECOMMENDS="libwayland-client0, libwayland-cursor0, libwayland-egl1, fonts-noto-cjk | fonts-wqy-microhei"

fail() {
    echo "build-deb.sh: $*" >&2
    exit 1
}

check_inputs() {
    [ -n "$VERSION" ] || fail "cannot read __version__ from tflab/__init__.py"
    [ -x "$BUNDLE/tflab" ] || fail "no bundle at $BUNDLE: run packaging/build.sh first"
    command -v dpkg-deb >/dev/null || fail "dpkg-deb is needed (Debian package 'dpkg')"
}

stage_files() {
    rm -rf "$STAGE"
    mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
        "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
        "$STAGE/usr/share/doc/tflab"
    cp -a "$BUNDLE" "$STAGE/opt/tflab"
    ln -s /opt/tflab/tflab "$STAGE/usr/bin/tflab"
    install -m 644 packaging/linux/tflab.desktop "$STAGE/usr/share/applications/tflab.desktop"
    install -m 644 resources/icons/tflab.png "$STAGE/usr/share/icons/hicolor/256x256/apps/tflab.png"
    install -m 644 resources/icons/tflab.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/tflab.svg"
    write_copyright > "$STAGE/usr/share/doc/tflab/copyright"
    # Files readable by everyone, directories and programs executable; nothing writable but by root.
    chmod -R u=rwX,go=rX "$STAGE"
}

write_copyright() {
    cat <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tflab
License: MIT

Files: /opt/tflab/*
Comment: tflab (MIT) bundled with Python, TensorFlow (Apache-2.0), Keras (Apache-2.0),
 TensorBoard (Apache-2.0), Qt for Python / PySide6 (LGPL-3.0), NumPy (BSD-3-Clause),
 Pillow (MIT-CMU) and their dependencies. Sample pictures and data sets: see
 /opt/tflab/_internal/resources/images/LICENSES.md and .../resources/datasets/LICENSES.md.
EOF
}

# The newest GLIBC_x.y symbol version any file of the bundle needs (objdump, binutils);
# the build computer's glibc version when objdump is missing.
glibc_minimum() {
    if command -v objdump >/dev/null; then
        find "$BUNDLE" -type f \( -name "*.so*" -o -name tflab \) -exec objdump -T {} + 2>/dev/null \
            | grep -o 'GLIBC_[0-9.]*[0-9]' | sed 's/GLIBC_//' | sort -uV | tail -1
    else
        ldd --version | head -1 | grep -o '[0-9.]*$'
    fi
}

write_control() {
    local size
    size=$(du -sk "$STAGE" --exclude=DEBIAN | cut -f1)
    DEPENDS="libc6 (>= $(glibc_minimum)), $DEPENDS_SYSTEM"
    cat > "$STAGE/DEBIAN/control" <<EOF
Package: tflab
Version: $VERSION
Architecture: $ARCH
Maintainer: tflab maintainers <tflab@localhost>
Installed-Size: $size
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: education
Priority: optional
Description: offline desktop lab for learning TensorFlow and Keras
 tflab lets students build Keras models as a graph or a stack of layers, see
 their shapes and code, train them on bundled data sets and read the training
 logs, in Chinese or English. Everything it needs is installed with it: it works
 without a network connection.
EOF
    chmod 644 "$STAGE/DEBIAN/control"
}

build_package() {
    rm -f "$DEB"
    dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$STAGE" "$DEB" >/dev/null
}

check_inputs
started=$(date +%s)
stage_files
write_control
build_package
rm -rf "$STAGE"
echo "build-deb.sh: $DEB ($(du -h "$DEB" | cut -f1), $COMPRESSION) in $(( $(date +%s) - started )) s"
