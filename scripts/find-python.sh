#!/usr/bin/env bash
# Print the path of the Python named in .python-version (e.g. 3.12.1), or fail with advice.
# Looks, in order, at: $PYTHON, pyenv, ~/.pyenv and /root/.pyenv, then pythonX.Y on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(tr -d '[:space:]' < .python-version)
minor=$(echo "$want" | cut -d. -f1,2)

matches() {  # $1 is a Python with the wanted major.minor version
    [ -x "$1" ] && [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$minor" ]
}

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(PYENV_VERSION="$want" pyenv which python 2>/dev/null || true)")
fi
for root in "${PYENV_ROOT:-}" "${HOME:-}/.pyenv" /root/.pyenv; do
    [ -n "$root" ] && candidates+=("$root/versions/$want/bin/python")
done
for name in "python$minor" python3 python; do
    candidates+=("$(command -v "$name" 2>/dev/null || true)")
done

for python in "${candidates[@]}"; do
    if [ -n "$python" ] && matches "$python"; then
        echo "$python"
        exit 0
    fi
done
echo "error: Python $want (.python-version) not found." >&2
echo "  Install it with 'pyenv install $want', or point to a Python $minor: make venv PYTHON=/path/to/python$minor" >&2
exit 1
