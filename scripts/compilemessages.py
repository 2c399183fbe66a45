#!/usr/bin/env python
"""Compile gettext catalogs (.po -> .mo) in pure Python with polib: no GNU gettext (msgfmt) needed.

    python scripts/compilemessages.py [--force]

Finds every */LC_MESSAGES/*.po in the project (skipping .venv, .data and hidden folders) and rewrites
the .mo next to it when the .mo is missing or older. Fuzzy and untranslated entries are left out, as
msgfmt does. The .mo files are build output (ignored by git); `make run` and `make test` call this.
"""

import argparse
import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", ".data", "node_modules", "staticfiles", "__pycache__"}


def catalogs(root=ROOT):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP and not d.startswith(".")]
        if os.path.basename(dirpath) != "LC_MESSAGES":
            continue
        for name in filenames:
            if name.endswith(".po"):
                yield Path(dirpath) / name


def compile_catalog(po_path):
    mo_path = po_path.with_suffix(".mo")
    tmp_path = mo_path.with_name(mo_path.name + ".tmp")
    polib.pofile(str(po_path), wrapwidth=0).save_as_mofile(str(tmp_path))
    os.replace(tmp_path, mo_path)
    return mo_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="recompile even when the .mo is up to date")
    args = parser.parse_args(argv)
    failed = False
    for po_path in sorted(catalogs()):
        mo_path = po_path.with_suffix(".mo")
        if not args.force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            compile_catalog(po_path)
        except (OSError, ValueError) as error:
            print(f"compilemessages: {po_path.relative_to(ROOT)}: {error}", file=sys.stderr)
            failed = True
        else:
            print(f"compilemessages: {mo_path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
