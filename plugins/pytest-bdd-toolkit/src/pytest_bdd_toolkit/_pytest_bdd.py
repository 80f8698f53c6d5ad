"""Every private part of pytest-bdd the toolkit relies on, in one place.

pytest-bdd's public API is its decorators, `scenario(s)`, `parsers` and its
hooks. The toolkit also reads its parser's model, its lookup of the step
definition a step would use (for steps that did not run), the registries where it
keeps step definitions, scenario templates and scenario reports, its Gherkin
document reader and its Gherkin terminal reporter. Nothing else in the
toolkit imports a private module of pytest-bdd: it imports from here, and
`tests/test_pytest_bdd_contract.py` fails loudly when an installed pytest-bdd
no longer provides what this module names.
"""

from __future__ import annotations

from pytest_bdd.gherkin_parser import get_gherkin_document
from pytest_bdd.gherkin_terminal_reporter import GherkinTerminalReporter
from pytest_bdd.parser import (
    Examples,
    Feature,
    FeatureParser,
    Rule,
    Scenario,
    ScenarioTemplate,
    Step,
)
from pytest_bdd.parsers import StepParser
from pytest_bdd.reporting import (
    ReportContext,
    ScenarioReport,
    scenario_reports_registry,
    test_report_context_registry,
)
from pytest_bdd.scenario import find_fixturedefs_for_step, scenario_wrapper_template_registry
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

SUPPORTED = ">=8.1,<10"
"""The pytest-bdd versions the toolkit is tested with (the range in its pyproject.toml)."""

EXAMPLE_PARAM = "_pytest_bdd_example"
"""The parameter of an outline's test that holds its Examples row."""

CUCUMBER_JSON_DEST = "cucumber_json_path"
"""Where pytest-bdd keeps `--cucumberjson` in `config.option`."""

GHERKIN_REPORTER_DEST = "gherkin_terminal_reporter"
"""Where pytest-bdd keeps `--gherkin-terminal-reporter` in `config.option`."""

__all__ = [
    "CUCUMBER_JSON_DEST",
    "EXAMPLE_PARAM",
    "GHERKIN_REPORTER_DEST",
    "SUPPORTED",
    "Examples",
    "Feature",
    "FeatureParser",
    "GherkinTerminalReporter",
    "ReportContext",
    "Rule",
    "Scenario",
    "ScenarioReport",
    "ScenarioTemplate",
    "Step",
    "StepFunctionContext",
    "StepParser",
    "find_fixturedefs_for_step",
    "get_gherkin_document",
    "scenario_reports_registry",
    "scenario_wrapper_template_registry",
    "step_function_context_registry",
    "test_report_context_registry",
]
