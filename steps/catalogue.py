"""The step catalogue, as `python -m steps.catalogue`: the same as `bdd-catalogue` at the root.

The catalogue is pytest-bdd-toolkit's (plugins/pytest-bdd-toolkit); it reads its settings
from `[tool.pytest.ini_options]` of pyproject.toml. See `bdd-catalogue --help`.
"""

import sys
from pathlib import Path

from pytest_bdd_toolkit.cli import catalogue_main

if __name__ == "__main__":
    sys.exit(catalogue_main(["--root", str(Path(__file__).resolve().parent.parent), *sys.argv[1:]]))
