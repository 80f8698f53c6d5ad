"""Under mutmut only (`-p harness.mutation`, [tool.mutmut] in pyproject.toml).

mutmut learns which scenarios call each function of `app/` by running the suite once and
noting, at each test's teardown, the functions called since the last one. What the
session's fixtures call (the app's factory, its middleware and error handlers) is called
once, while the first scenario that needs it sets up, so mutmut would try a mutant of it
against that one scenario alone, though every scenario runs through it. This plugin
counts what a session-scoped fixture's set-up called as called by every scenario, so that
such a mutant is tried against all of them. It changes which scenarios run for a mutant,
never what they check.
"""

import os
from collections.abc import Generator

import pytest

# What the session's fixtures called while they were set up, for every scenario.
_set_up_once: set[str] = set()


def _learning() -> bool:
    """Whether mutmut is learning which scenarios call what (its "stats" run)."""
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def _recorded() -> set[str]:
    """The functions called since the last test's teardown, as mutmut keeps them."""
    from mutmut.state import state  # mutmut is installed wherever this plugin is loaded

    calls: set[str] = state()._stats
    return calls


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[object]) -> Generator[None]:
    """Keep what a session-scoped fixture's set-up calls (pytest-bdd sets fixtures up as a
    scenario's steps first need them, so this is the one moment that tells them apart)."""
    if fixturedef.scope != "session" or not _learning():
        yield
        return
    before = set(_recorded())
    yield
    _set_up_once.update(_recorded() - before)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:  # noqa: ARG001 - pytest's signature
    """Before mutmut files this scenario's calls, add what the session's set-up called."""
    if _set_up_once and _learning():
        _recorded().update(_set_up_once)
