#!/usr/bin/env bash
# Install what the replica crate's S3 test (crates/replica/tests/s3.rs) needs: moto's
# S3-compatible server, from PyPI, into a virtualenv.
#
#   bash .ci/setup-moto.sh
#
# The test starts `moto_server` on a free loopback port; it looks for it in
# $BACKISSUE_MOTO, else in the virtualenv below.
#
# Environment:
#   MOTO_VENV   the virtualenv (default target/moto-venv)
#
# Idempotent and quiet: once moto of this version is installed (a marker file in the
# virtualenv says so) it does nothing, and on success it prints nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="5.2.5"
VENV="${MOTO_VENV:-$ROOT/target/moto-venv}"
MARKER="$VENV/.moto-$VERSION"

if [ -x "$VENV/bin/moto_server" ] && [ -f "$MARKER" ]; then
    exit 0
fi
# Where python3 has no venv module (Debian without python3-venv), pip installs into
# a folder and a wrapper script runs the server from it.
if python3 -m venv "$VENV" 2>/dev/null && [ -x "$VENV/bin/pip" ]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$VERSION"
else
    rm -rf "$VENV"
    mkdir -p "$VENV/bin"
    python3 -m pip install -q --disable-pip-version-check --target "$VENV/lib" \
        "moto[server]==$VERSION"
    printf '#!/bin/sh\nPYTHONPATH="%s" exec python3 -m moto.server "$@"\n' \
        "$VENV/lib" >"$VENV/bin/moto_server"
    chmod +x "$VENV/bin/moto_server"
fi
"$VENV/bin/moto_server" --help >/dev/null
touch "$MARKER"
