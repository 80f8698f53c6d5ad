"""Under mutmut only (`-p harness.mutation`, [tool.mutmut] in pyproject.toml).

mutmut learns which scenarios call each function of `app/` by running the suite once and
noting, at each test's teardown, the functions called since the last one. What the
session's fixtures call (the app's factory, its middleware and error handlers, the outbox
worker's start) is called once, while the first scenario sets up, so mutmut would try a
mutant of it against that one scenario alone, though every scenario runs through it.
This plugin counts what was called before the first scenario's body as called by every
scenario, so that such a mutant is tried against all of them. It changes which scenarios
run for a mutant, never what they check.
"""

import os

import pytest

_set_up_once: set[str] | None = None


def _learning() -> bool:
    """Whether mutmut is learning which scenarios call what (its "stats" run)."""
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def _recorded() -> set[str]:
    """The functions called since the last test's teardown, as mutmut keeps them."""
    from mutmut.state import state  # mutmut is installed wherever this plugin is loaded

    calls: set[str] = state()._stats
    return calls


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:  # noqa: ARG001 - pytest's signature
    """At the first scenario's body, keep what the session's set-up called."""
    global _set_up_once
    if _set_up_once is None and _learning():
        _set_up_once = set(_recorded())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:  # noqa: ARG001 - pytest's signature
    """Before mutmut files this scenario's calls, add what the session's set-up called."""
    if _set_up_once and _learning():
        _recorded().update(_set_up_once)
