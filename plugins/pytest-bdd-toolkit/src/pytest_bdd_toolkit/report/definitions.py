"""Which step definition a step used, or would have used had it run.

Cucumber reports the step definition of every step that has one, also of the
steps skipped after a failure (their `match.location`), and the Messages
list every definition with its pattern. pytest-bdd tells the step function
of a step it runs; for one it never reached, its own lookup is asked.
"""

from __future__ import annotations

import inspect
import os
from typing import Any

import pytest
from pytest_bdd import parsers

from pytest_bdd_toolkit._pytest_bdd import (
    Step,
    StepFunctionContext,
    find_fixturedefs_for_step,
    step_function_context_registry,
)
from pytest_bdd_toolkit.report.model import StepDefinitionInfo


def location_of(func: Any, rootdir: str) -> str | None:
    """Return `path:line` of a function, the path relative to the project's root."""
    try:
        target = inspect.unwrap(func)
        path = inspect.getsourcefile(target) or ""
        line = inspect.getsourcelines(target)[1]
    except (OSError, TypeError):
        return None
    return f"{os.path.relpath(path, rootdir)}:{line}"


def _describe(context: StepFunctionContext, rootdir: str) -> StepDefinitionInfo | None:
    location = location_of(context.step_func, rootdir)
    if location is None:
        return None
    return StepDefinitionInfo(
        pattern=str(context.parser.name),
        location=location,
        regular_expression=isinstance(context.parser, parsers.re),
    )


def definition_of(step_func: Any, rootdir: str) -> StepDefinitionInfo | None:
    """Describe the step definition whose function ran a step."""
    for context in list(step_function_context_registry.values()):
        if context.step_func is step_func:
            return _describe(context, rootdir)
    return None


def lookup_definition(item: pytest.Item, step: Step) -> StepDefinitionInfo | None:
    """Describe the definition pytest-bdd would run for a step of this test, if any."""
    fixturemanager = item.session._fixturemanager
    found = list(find_fixturedefs_for_step(step=step, fixturemanager=fixturemanager, node=item))
    if not found:
        return None
    # The longest base id is the closest to the test, which pytest-bdd's own lookup prefers.
    closest = max(found, key=lambda fixturedef: len(fixturedef.baseid))
    context = step_function_context_registry.get(closest.func)
    return _describe(context, str(item.config.rootpath)) if context else None
