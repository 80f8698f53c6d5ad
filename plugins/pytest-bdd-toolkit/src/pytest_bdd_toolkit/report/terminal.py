"""`--gherkin-terminal-reporter`, made to work with rules and with pytest-xdist.

pytest-bdd refuses its Gherkin reporter under pytest-xdist, or not,
depending on the order in which the two plugins happen to be loaded (the
order of the installed packages on disk). The
reporter prints the feature before every scenario but the rule only when it
changes, so in a random or distributed order a scenario can appear under no
rule or the wrong one. And it finds a scenario's data in a registry that only
the process running the scenario fills, so under pytest-xdist it falls back
to plain test ids. This module installs the reporter itself, the moment pytest registers the
stock one (before pytest-xdist looks it up), gives each report
from a worker its scenario data back (from the attribute the recorder set),
and makes the reporter print the rule every time. pytest-bdd's reporter also
files a scenario's outcome straight into the stats, past the step where pytest
learns of a new kind of outcome, so a run whose `undefined` scenario came
after every other kind ended on a green line that did not count it;
`ScenarioReporter` tells pytest of each new kind.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_bdd_toolkit._pytest_bdd import (
    GHERKIN_REPORTER_DEST,
    GherkinTerminalReporter,
    ReportContext,
    test_report_context_registry,
)
from pytest_bdd_toolkit.report.recorder import CONTEXT_ATTR

GHERKIN = pytest.StashKey[bool]()


def take_over_gherkin_option(config: pytest.Config) -> None:
    """Keep pytest-bdd (and its xdist refusal) away from the reporter; install ours instead."""
    config.stash[GHERKIN] = bool(getattr(config.option, GHERKIN_REPORTER_DEST, False))
    setattr(config.option, GHERKIN_REPORTER_DEST, False)
    current = config.pluginmanager.getplugin("terminalreporter")
    if current is not None:
        replace_terminal_reporter(current, config.pluginmanager)


def replace_terminal_reporter(plugin: object, manager: pytest.PytestPluginManager) -> None:
    """Swap the stock terminal reporter, as it is registered, for the Gherkin one if asked."""
    if type(plugin) is not pytest.TerminalReporter:
        return
    config = plugin.config
    if not config.stash.get(GHERKIN, False) or hasattr(config, "workerinput"):
        return
    manager.unregister(plugin)
    manager.register(ScenarioReporter(config), "terminalreporter")


class ScenarioReporter(GherkinTerminalReporter):  # type: ignore[misc]  # final, as pytest-bdd
    """pytest-bdd's Gherkin reporter, with every kind of outcome in the summary line."""

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Report as pytest-bdd does, then count an outcome of a kind not seen before."""
        kinds = set(self.stats)
        super().pytest_runtest_logreport(report)
        if set(self.stats) != kinds:
            # pytest recomputes the kinds it shows, and the line's colour, only in _add_stats.
            self._set_main_color()


def prepare_report(config: pytest.Config, report: pytest.TestReport) -> None:
    """Give the report its scenario data (every step, even unreached) and print its rule."""
    context: dict[str, Any] | None = getattr(report, CONTEXT_ATTR, None)
    if context is not None:
        test_report_context_registry[report] = ReportContext(
            scenario=context["scenario"], name=context["name"]
        )
    reporter = config.pluginmanager.getplugin("terminalreporter")
    if isinstance(reporter, GherkinTerminalReporter):
        reporter.current_rule = None
