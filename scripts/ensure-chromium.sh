#!/usr/bin/env bash
# Browser tests (tests/e2e/) drive Debian's Chromium at /usr/bin/chromium through Playwright; Playwright's own
# browser download is not used. Installs it with apt-get when it is missing (needs root); does nothing otherwise.
# Also Debian's fonts-noto-cjk, so that Korean pages (and, later, PDFs) show Hangul instead of empty boxes; a
# machine without them and without root only gets a warning (the tests read text, not glyphs).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if ! fc-list :lang=ko 2>/dev/null | grep -q .; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "ensure-chromium: no Korean font; installing Debian's fonts-noto-cjk"
        apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk \
            || echo "ensure-chromium: fonts-noto-cjk could not be installed; Korean shows as boxes" >&2
    else
        echo "ensure-chromium: no Korean font (apt-get install fonts-noto-cjk as root to render Hangul)" >&2
    fi
fi

# The PDF reports: WeasyPrint needs Pango; their tests read PDFs with poppler-utils (pdftotext, pdffonts, pdftoppm).
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "ensure-chromium: installing ${missing[*]} for the PDF reports"
        apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        echo "ensure-chromium: missing ${missing[*]} (apt-get install them as root) for the PDF reports" >&2
        exit 1
    fi
fi

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
