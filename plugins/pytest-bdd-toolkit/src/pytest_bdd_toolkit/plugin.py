"""The pytest plugin: Cucumber JSON and Messages, JUnit names, the living doc, the @wip policy.

Loaded by its `pytest11` entry point. It takes the `--cucumberjson` option
over from pytest-bdd, whose writer drops scenarios with an undefined first
step and writes `[]` under pytest-xdist, adds `--cucumber-messages`,
`--living-doc` and `--living-doc-history`, renames pytest's JUnit XML test
cases after their scenarios, reports undefined steps as `UNDEFINED`, and
installs the Gherkin terminal reporter itself. Each scenario's result
travels on its teardown report, so the process that writes the files (the
only one, or the xdist controller) sees every scenario however the run was
distributed.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pytest_bdd_toolkit import hooks
from pytest_bdd_toolkit._pytest_bdd import CUCUMBER_JSON_DEST
from pytest_bdd_toolkit.report import history
from pytest_bdd_toolkit.report.cucumber_json import write_cucumber
from pytest_bdd_toolkit.report.junit import UNDEFINED_ATTR, JunitNames, JunitUndefined
from pytest_bdd_toolkit.report.living_doc import write_living_doc
from pytest_bdd_toolkit.report.messages import write_messages
from pytest_bdd_toolkit.report.model import FeatureInfo, Run, ScenarioResult
from pytest_bdd_toolkit.report.recorder import SCENARIO_ATTR, Recorder
from pytest_bdd_toolkit.report.terminal import (
    prepare_report,
    replace_terminal_reporter,
    take_over_gherkin_option,
)
from pytest_bdd_toolkit.report.wip import WipPolicy
from pytest_bdd_toolkit.settings import add_ini_options

CUCUMBER_PATH = pytest.StashKey[str | None]()
OPTIONS = (
    (
        "--cucumber-messages",
        "cucumber_messages_path",
        "write the run as Cucumber Messages (NDJSON)",
    ),
    ("--living-doc", "living_doc_path", "write the run as one self-contained HTML page"),
    (
        "--living-doc-history",
        "living_doc_history",
        "keep a summary of each run in DIR; the living doc then shows trends and flaky scenarios",
    ),
)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Add the hooks a project implements for the toolkit."""
    pluginmanager.add_hookspecs(hooks)


def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
    """Put the Gherkin reporter in place as soon as pytest registers its terminal reporter."""
    replace_terminal_reporter(plugin, manager)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the report options and the toolkit's ini options."""
    group = parser.getgroup("bdd-toolkit", "pytest-bdd toolkit: reports")
    for flag, dest, text in OPTIONS:
        metavar = "DIR" if flag.endswith("history") else "PATH"
        group.addoption(flag, action="store", dest=dest, metavar=metavar, default=None, help=text)
    add_ini_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Take over Cucumber JSON and the Gherkin reporter from pytest-bdd; register our parts."""
    # pytest-bdd reads its options in a trylast pytest_configure, which runs after this one.
    config.stash[CUCUMBER_PATH] = getattr(config.option, CUCUMBER_JSON_DEST, None)
    setattr(config.option, CUCUMBER_JSON_DEST, None)
    take_over_gherkin_option(config)
    replay = str(config.getini("bdd_replay_property") or "replay")
    config.pluginmanager.register(Recorder(replay), "bdd-toolkit-recorder")
    config.pluginmanager.register(WipPolicy(), "bdd-toolkit-wip")
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(RunCollector(config), "bdd-toolkit-run")
        config.pluginmanager.register(JunitNames(config), "bdd-toolkit-junit-names")
        config.pluginmanager.register(JunitUndefined(config), "bdd-toolkit-junit-undefined")


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport) -> Any:
    """Show a scenario that failed on an undefined step as UNDEFINED (it still fails the run)."""
    if report.when == "call" and report.failed and getattr(report, UNDEFINED_ATTR, None):
        return "undefined", "U", ("UNDEFINED", {"yellow": True})
    return None


def run_facts(config: pytest.Config) -> dict[str, str | int]:
    """Gather what the project's `pytest_bdd_toolkit_run_facts` hooks say about the run."""
    facts: dict[str, str | int] = {}
    for answer in config.hook.pytest_bdd_toolkit_run_facts(config=config):
        for label, value in (answer or {}).items():
            facts.setdefault(str(label), value)
    return facts


class RunCollector:
    """Gather every scenario's result where the reports end up, and write the files."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.run = Run()
        self.started = time.perf_counter()
        self.written: list[Path] = []
        self.undefined: list[str] = []

    def pytest_sessionstart(self) -> None:
        """Note when the run started."""
        self.started = time.perf_counter()
        self.run.started = time.time()
        self.run.started_at = datetime.now(UTC).isoformat(timespec="seconds")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Record a scenario's result, whichever process ran it."""
        prepare_report(self.config, report)
        undefined = getattr(report, UNDEFINED_ATTR, None)
        if undefined and report.failed and not hasattr(report, "wasxfail"):
            self.undefined.append(f"{report.nodeid} - {undefined}")
        data = getattr(report, SCENARIO_ATTR, None)
        if data is not None:
            self.run.add(ScenarioResult.from_dict(data))
        elif str(report.when) == "???" and report.failed:
            # pytest-xdist reports a crashed worker's test this way; do not lose it.
            self.run.add(_crashed(report))

    def pytest_sessionfinish(self) -> None:
        """Write the reports that were asked for."""
        self.run.duration = time.perf_counter() - self.started
        self.run.facts = run_facts(self.config)
        self.run.workers = len({s.worker for s in self.run.scenarios if s.worker})
        option = self.config.getoption
        cucumber = self.config.stash.get(CUCUMBER_PATH, None)
        if cucumber:
            self.written.append(write_cucumber(self.run, _path(cucumber)))
        if option("cucumber_messages_path"):
            path = _path(option("cucumber_messages_path"))
            self.written.append(write_messages(self.run, path, self.config.rootpath))
        kept = None
        if option("living_doc_history"):
            folder = _path(option("living_doc_history"))
            commit = history.current_commit(self.config.rootpath)
            history.append(folder, history.summarize(self.run, commit))
            kept = history.analyse(history.load(folder))
        if option("living_doc_path"):
            title = str(self.config.getini("bdd_report_title"))
            path = _path(option("living_doc_path"))
            self.written.append(write_living_doc(self.run, path, title, kept))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """List the undefined steps, and say where the reports are."""
        if self.undefined:
            terminalreporter.write_sep("=", "undefined steps (each fails the run)", yellow=True)
            for line in self.undefined:
                terminalreporter.write_line(f"UNDEFINED {line}", yellow=True)
        for path in self.written:
            terminalreporter.write_sep(
                "-", f"{len(self.run.scenarios)} scenarios written to {path}"
            )


def _path(option: str) -> Path:
    return Path(option).expanduser().resolve()


def _crashed(report: pytest.TestReport) -> ScenarioResult:
    path = report.nodeid.split("::")[0]
    return ScenarioResult(
        nodeid=report.nodeid,
        feature=FeatureInfo(uri=path, name=f"(crashed in {path})"),
        keyword="Scenario",
        name=report.nodeid,
        line=0,
        status="failed",
        error=report.longreprtext,
        hook_error=report.longreprtext,
        hook_phase="setup",
    )
