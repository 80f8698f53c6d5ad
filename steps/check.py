"""The gate, as `python -m steps.check`: the same as `bdd-gate` run from the project's root.

The gate is pytest-bdd-toolkit's (plugins/pytest-bdd-toolkit); it reads its settings from
`[tool.pytest.ini_options]` of pyproject.toml. See `bdd-gate --help`.
"""

import sys
from pathlib import Path

from pytest_bdd_toolkit.cli import gate_main

if __name__ == "__main__":
    sys.exit(gate_main(["--root", str(Path(__file__).resolve().parent.parent), *sys.argv[1:]]))
