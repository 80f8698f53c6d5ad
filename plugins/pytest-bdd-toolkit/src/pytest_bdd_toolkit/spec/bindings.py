"""Read the test modules that bind feature files with `scenarios(...)` or `scenario(...)`.

The modules are read, not imported: a binding is a call whose arguments are
plain strings, which is how pytest-bdd's documentation writes them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd_toolkit.spec.features import Specification


@dataclass(frozen=True)
class Binding:
    """A `scenarios(...)` or `scenario(...)` call of a test module."""

    module: str
    target: str
    scenario: str | None = None


def find_bindings(modules: list[Path]) -> tuple[list[Binding], list[str]]:
    """Read the test modules' `scenarios()`/`scenario()` calls; return them and unreadable ones."""
    bindings: list[Binding] = []
    unreadable: list[str] = []
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in ("scenarios", "scenario"):
                continue
            values = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if any(not isinstance(v, str) for v in values) or not values:
                unreadable.append(f"{path.name}:{node.lineno}")
                continue
            strings = [str(v) for v in values]
            if name == "scenarios":
                bindings += [Binding(path.name, target) for target in strings]
            elif len(strings) == 2:
                bindings.append(Binding(path.name, strings[0], strings[1]))
    return bindings, unreadable


def bound_scenarios(spec: Specification, bindings: list[Binding]) -> tuple[set[str], list[str]]:
    """Return the scenarios that some test module binds, and bindings that point at nothing."""
    bound: set[str] = set()
    dangling = []
    scenarios = spec.scenarios()
    for binding in bindings:
        target = binding.target.strip("/")
        files = [
            n
            for n in spec.features
            if target in ("", ".") or n == target or n.startswith(f"{target}/")
        ]
        if not files and target not in spec.parse_errors:
            dangling.append(f"{binding.module}: {binding.target!r} names no feature file")
            continue
        found = [
            str(ref)
            for ref in scenarios
            if ref.feature in files and binding.scenario in (None, ref.name)
        ]
        if binding.scenario is not None and not found and files:
            dangling.append(f"{binding.module}: no scenario {binding.scenario!r} in {target}")
        bound.update(found)
    return bound, dangling
