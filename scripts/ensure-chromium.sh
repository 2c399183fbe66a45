#!/usr/bin/env bash
# Browser tests (tests/e2e/) drive Debian's Chromium at /usr/bin/chromium through Playwright; Playwright's own
# browser download is not used. Installs it with apt-get when it is missing (needs root); does nothing otherwise.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-chromium: $CHROMIUM is missing and installing it needs root." >&2
    echo "ensure-chromium: run: sudo apt-get update && sudo apt-get install -y chromium" >&2
    exit 1
fi
echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package with apt-get"
echo "+ apt-get update -qq"
apt-get update -qq
echo "+ apt-get install -y -qq chromium"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: apt-get installed chromium but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
