#!/usr/bin/env bash
# Make .venv hold the project and its development tools; cheap when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.storefront-installed
toolkit=plugins/pytest-bdd-toolkit
wanted=$(cat pyproject.toml "$toolkit/pyproject.toml" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # The toolkit (a pytest plugin of its own) is installed from its folder in the same
  # command, so that the `pytest-bdd-toolkit` requirement of the `test` extra resolves to it.
  .venv/bin/python -m pip install --quiet -e "./$toolkit" -e ".[dev]"
  echo "$wanted" > "$stamp"
fi
