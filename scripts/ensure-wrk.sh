#!/usr/bin/env bash
# bench/http.py loads gunicorn with wrk (an HTTP load generator in C, so the client costs the 2 cores little).
# Installs Debian's wrk package with apt-get when it is missing (needs root); does nothing otherwise.
# Without wrk, bench/http.py falls back to its own threaded client (slower, so the ratios are lower).
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-wrk: wrk is missing and installing it needs root." >&2
    echo "ensure-wrk: run: sudo apt-get update && sudo apt-get install -y wrk" >&2
    exit 1
fi
echo "ensure-wrk: wrk is missing; installing Debian's wrk package with apt-get"
apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
if ! command -v wrk >/dev/null 2>&1; then
    echo "ensure-wrk: apt-get installed wrk but it is not on PATH" >&2
    exit 1
fi
echo "ensure-wrk: installed $(wrk --version 2>&1 | head -1)"
