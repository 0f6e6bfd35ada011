# Sourced by bin/serve and bin/test: make .venv hold exactly the pinned requirements.
# Safe to rerun: it reinstalls only when a requirements file has changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

requirements="$1"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed (tried '$python'; set PYTHON to another interpreter)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..."
    "$python" -m venv .venv
fi
wanted="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)-$requirements"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$wanted" ]; then
    echo "Installing $requirements into .venv ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" > .venv/.installed
fi
