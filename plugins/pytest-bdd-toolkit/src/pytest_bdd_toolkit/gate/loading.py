"""Checks that pytest sees the specification: step modules import and are loaded, features parse."""

from __future__ import annotations

import ast
from pathlib import Path

from pytest_bdd_toolkit.settings import Settings
from pytest_bdd_toolkit.spec.features import Specification
from pytest_bdd_toolkit.spec.vocabulary import Vocabulary


def import_problems(vocabulary: Vocabulary, settings: Settings) -> list[str]:
    """List the step modules that cannot be imported, with their error."""
    return [
        f"{settings.relative(path)}: {error}" for path, error in vocabulary.import_errors.items()
    ]


def parse_problems(spec: Specification) -> list[str]:
    """List the feature files pytest-bdd's parser refuses, with its error."""
    return [f"{name}: {error}" for name, error in spec.parse_errors.items()]


def loaded_plugins(conftest: Path) -> set[str]:
    """Return the modules a conftest.py lists in `pytest_plugins`."""
    tree = ast.parse(conftest.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return {str(v) for v in ([value] if isinstance(value, str) else value)}
    return set()


def _dotted(path: Path, settings: Settings) -> str:
    return settings.relative(path).removesuffix(".py").replace("/", ".")


def unloaded_problems(vocabulary: Vocabulary, settings: Settings) -> list[str]:
    """List the step modules the steps conftest does not load: pytest would not see their steps."""
    conftest = settings.steps_conftest
    if conftest is None or not conftest.is_file():
        return []
    loaded = loaded_plugins(conftest)
    unloaded = []
    for path in [*vocabulary.modules, *vocabulary.import_errors]:
        dotted = _dotted(path, settings)
        if not any(
            name == dotted or dotted.endswith(f".{name}") or name.endswith(f".{dotted}")
            for name in loaded
        ):
            unloaded.append(settings.relative(path))
    return sorted(unloaded)
