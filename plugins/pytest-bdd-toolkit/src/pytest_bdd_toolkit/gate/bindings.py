"""Checks of the bindings: every scenario bound by a test module, every binding to something."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from pytest_bdd_toolkit.gate.steps import from_glob
from pytest_bdd_toolkit.settings import Settings
from pytest_bdd_toolkit.spec.bindings import bound_scenarios, find_bindings
from pytest_bdd_toolkit.spec.features import Specification


def binding_problems(spec: Specification, settings: Settings) -> tuple[list[str], list[str]]:
    """Return the unbound features or scenarios, and the bindings that point at nothing."""
    bindings, unreadable = find_bindings(settings.binding_files())
    bound, dangling = bound_scenarios(spec, bindings)
    dangling += [f"{where}: the feature is not a plain string" for where in unreadable]
    glob = settings.binding_modules[0] if settings.binding_modules else "test_*.py"
    unbound = []
    for feature, refs in groupby(spec.scenarios(), key=lambda ref: ref.feature):
        names = [str(ref) for ref in refs]
        loose = [name for name in names if name not in bound]
        if loose and len(loose) == len(names):
            module = from_glob(glob, Path(feature).stem)
            unbound.append(
                f'{feature}: no test module binds it (add scenarios("{feature}") to {module})'
            )
        else:
            unbound += loose
    return unbound, dangling
