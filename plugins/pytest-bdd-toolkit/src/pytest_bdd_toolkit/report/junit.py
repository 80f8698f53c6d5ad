"""JUnit XML that reads like the specification: feature, rule, scenario and Examples row.

pytest's `--junitxml` names a test by its module and function
(`steps.test_accounts`, `test_a_pass_that_problem_is_refused[has expired]`).
CI views (GitLab, Jenkins) show those names, so each test case is renamed,
where the XML is written (the only process, or the xdist controller), to
`classname="Feature › Rule"` and `name="Scenario [placeholder: value]"`, with
`file` and `line` pointing into the feature file. The counts, times and
properties (such as `faker_seed`) stay pytest's own. A failure caused by an
undefined step gets `type="undefined"`. pytest has no public way to rename a
test case under pytest-xdist, so this module alone reaches into
`_pytest.junitxml`.
"""

from __future__ import annotations

import pytest
from _pytest.junitxml import xml_key

from pytest_bdd_toolkit.report.model import ScenarioResult

UNDEFINED_ATTR = "bdd_toolkit_undefined"
"""The call report's attribute that names the undefined step, `feature:line: Keyword text`."""
JUNIT_ATTR = "bdd_toolkit_junit"
"""Every phase report's attribute with the test case's names, as plain data."""
SEPARATOR = " › "


def junit_names(result: ScenarioResult) -> dict[str, str]:
    """Return the test case's classname, name, file and line for a scenario."""
    classname = result.feature.name
    if result.rule is not None:
        classname += SEPARATOR + result.rule.name
    name = result.name
    if result.example:
        name += " [" + ", ".join(f"{k}: {v}" for k, v in result.example.items()) + "]"
    return {
        "classname": classname,
        "name": name,
        "file": result.feature.uri,
        "line": str(result.line_in_file),
    }


class JunitNames:
    """Rename each test case of pytest's JUnit XML after its scenario."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Name the test case before pytest's JUnit XML writer records the report."""
        names: dict[str, str] | None = getattr(report, JUNIT_ATTR, None)
        xml = self.config.stash.get(xml_key, None)
        if names is None or xml is None:
            return
        xml.node_reporter(report).attrs.update(names)


class JunitUndefined:
    """Give the failure of an undefined step its own type and message in the JUnit XML."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Retype the failure pytest's JUnit XML writer has just recorded."""
        undefined: str | None = getattr(report, UNDEFINED_ATTR, None)
        xml = self.config.stash.get(xml_key, None)
        if undefined is None or xml is None or report.when != "call" or not report.failed:
            return
        for node in xml.node_reporter(report).nodes:
            if node.tag == "failure":
                node.set("type", "undefined")
                node.set("message", f"Undefined step: {undefined}")
