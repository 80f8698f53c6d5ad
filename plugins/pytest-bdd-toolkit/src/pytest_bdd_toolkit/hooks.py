"""The hooks a project implements to tell the toolkit what only it knows."""

from __future__ import annotations

import pytest


@pytest.hookspec
def pytest_bdd_toolkit_run_facts(config: pytest.Config) -> dict[str, str | int] | None:
    """Return facts about the run to show in the reports' header, as label: value.

    Called once, where the reports are written (the only process, or the
    pytest-xdist controller), at the end of the session. Every
    implementation's facts are shown; when two give one label, the first
    called wins. For example `{"Faker seed": 1234}` shows "; Faker seed 1234".
    Implement it with `@pytest.hookimpl(optionalhook=True)` so that the
    project still runs without the toolkit.
    """
