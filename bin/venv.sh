# Sourced by bin/serve and bin/test: install into .venv the locked requirements (the lock file
# beside the requirements file named, with every package's hashes: bin/lock writes them). Safe to
# rerun: it installs again only when a requirements or lock file has changed, or when the runtime
# lock is installed and the test lock (which holds it) is asked for.
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
lock="${requirements%.txt}.lock"
files="$(cat requirements*.txt requirements*.lock | sha256sum | cut -d' ' -f1)"
wanted="$files-$lock"
installed="$(cat .venv/.installed 2>/dev/null || true)"
if [ "$installed" != "$wanted" ] && [ "$installed" != "$files-requirements-dev.lock" ]; then
    echo "Installing $lock into .venv ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    echo "$wanted" > .venv/.installed
fi
