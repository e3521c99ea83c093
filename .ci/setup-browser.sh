#!/usr/bin/env bash
# Install what the browser test (tests/browser.rs) needs: Debian's Chromium and the
# playwright-core driver from npm.
#
#   bash .ci/setup-browser.sh
#
# Why not `npx playwright install`: it downloads a browser build of its own, which
# this closed network refuses. playwright-core drives any Chromium, so we use the
# distribution's package (/usr/bin/chromium) and pin the driver in
# tests/browser/package-lock.json.
#
# Idempotent: Chromium is installed only when /usr/bin/chromium is missing, and
# `npm ci` only runs when node_modules does not match the lock file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium (apt-get)"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# (the Debian wrapper script prints a harmless shell warning on stderr)
/usr/bin/chromium --version 2>/dev/null

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are required for the browser test" >&2
    exit 1
fi

cd "$ROOT/tests/browser"
# npm ci wipes and reinstalls node_modules; skip it when the installed tree is newer
# than the lock file (npm writes node_modules/.package-lock.json on every install).
if [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "tests/browser/node_modules is up to date"
else
    npm ci --no-audit --no-fund
fi
