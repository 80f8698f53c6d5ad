"""The private parts of pytest-bdd that `_pytest_bdd.py` names are there, as the toolkit uses them.

When a pytest-bdd release moves or changes one of them, this fails first,
naming what changed, instead of a report quietly losing scenarios.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from pytest_bdd import parsers

import pytest_bdd_toolkit._pytest_bdd as bdd

pytestmark = pytest.mark.unit


def _parameters(function: Callable[..., object]) -> list[str]:
    return list(inspect.signature(function).parameters)


def _fields(cls: type) -> set[str]:
    return {field.name for field in dataclasses.fields(cls)}


def test_the_installed_pytest_bdd_is_in_the_tested_range() -> None:
    installed = Version(metadata.version("pytest-bdd"))
    [declared] = [
        Requirement(line)
        for line in metadata.requires("pytest-bdd-toolkit") or []
        if Requirement(line).name == "pytest-bdd"
    ]

    assert str(declared.specifier) == str(Requirement(f"pytest-bdd{bdd.SUPPORTED}").specifier)
    assert declared.specifier.contains(installed), (
        f"pytest-bdd {installed} is outside the range the toolkit is tested with "
        f"({declared.specifier}): run this suite against it, then widen the range"
    )


FEATURE = """\
@shop
Feature: Shopping
  Rule: A cart holds what was put in it
    Scenario Outline: Alice adds <count> pears
      Given Alice has a cart
      When Alice adds <count> pears

      @few
      Examples:
        | count |
        | 2     |
"""


def test_the_parser_model_has_what_the_reports_and_the_gate_read(tmp_path: Path) -> None:
    (tmp_path / "shop.feature").write_text(FEATURE)
    assert _parameters(bdd.FeatureParser) == ["basedir", "filename", "encoding"]

    feature = bdd.FeatureParser(str(tmp_path), "shop.feature").parse()

    assert isinstance(feature, bdd.Feature)
    assert (feature.name, feature.keyword, feature.line_number, feature.tags) == (
        "Shopping",
        "Feature",
        2,
        {"shop"},
    )
    assert feature.filename == str(tmp_path / "shop.feature") and feature.description == ""
    [template] = feature.scenarios.values()
    assert isinstance(template, bdd.ScenarioTemplate) and template.feature is feature
    assert (template.keyword, template.name, template.line_number) == (
        "Scenario Outline",
        "Alice adds <count> pears",
        4,
    )
    assert template.rule is not None and isinstance(template.rule, bdd.Rule)
    assert (template.rule.name, template.rule.keyword, template.rule.tags) == (
        "A cart holds what was put in it",
        "Rule",
        set(),
    )
    [block] = template.examples
    assert isinstance(block, bdd.Examples)
    assert (block.line_number, block.tags, list(block.as_contexts())) == (
        9,
        {"few"},
        [{"count": "2"}],
    )
    assert [s.name for s in template.steps] == ["Alice has a cart", "Alice adds <count> pears"]
    scenario = template.render({"count": "2"})
    assert isinstance(scenario, bdd.Scenario)
    [given, when] = scenario.steps
    assert isinstance(given, bdd.Step)
    assert (when.type, when.keyword, when.name, when.line_number) == (
        "when",
        "When",
        "Alice adds 2 pears",
        6,
    )
    assert template.description == "" and template.tags == set()


def test_the_gherkin_reader_gives_scenarios_and_rules(tmp_path: Path) -> None:
    path = tmp_path / "shop.feature"
    path.write_text(
        "Feature: F\n  Scenario: A\n    Given x\n  Rule: R\n    Scenario: B\n      Given y\n"
    )
    assert _parameters(bdd.get_gherkin_document) == ["abs_filename", "encoding"]

    children = bdd.get_gherkin_document(str(path)).feature.children

    assert children[0].scenario is not None and children[0].scenario.name == "A"
    assert children[1].rule is not None
    assert [c.scenario.name for c in children[1].rule.children if c.scenario] == ["B"]


def test_the_registries_are_where_the_toolkit_looks() -> None:
    for registry in (
        bdd.step_function_context_registry,
        bdd.scenario_wrapper_template_registry,
        bdd.scenario_reports_registry,
        bdd.test_report_context_registry,
    ):
        assert isinstance(registry, WeakKeyDictionary)
    context = {"type", "step_func", "parser", "converters", "target_fixture"}
    assert context <= _fields(bdd.StepFunctionContext)
    parser = parsers.string("Alice has a cart")
    assert isinstance(parser, bdd.StepParser) and parser.name == "Alice has a cart"
    assert callable(bdd.StepParser.is_matching) and callable(bdd.StepParser.parse_arguments)
    assert callable(bdd.ScenarioReport.serialize)
    assert _parameters(bdd.ReportContext) == ["scenario", "name"]


def test_the_gherkin_reporter_is_a_terminal_reporter_that_tracks_the_rule(
    pytestconfig: pytest.Config,
) -> None:
    assert issubclass(bdd.GherkinTerminalReporter, pytest.TerminalReporter)

    reporter = bdd.GherkinTerminalReporter(pytestconfig)

    assert hasattr(reporter, "current_rule")


def test_the_options_and_the_outline_parameter_are_named_as_the_toolkit_expects(
    pytestconfig: pytest.Config,
) -> None:
    import pytest_bdd.plugin

    assert hasattr(pytestconfig.option, bdd.CUCUMBER_JSON_DEST)
    assert hasattr(pytestconfig.option, bdd.GHERKIN_REPORTER_DEST)
    assert bdd.EXAMPLE_PARAM in vars(pytest_bdd.plugin)


def test_the_step_hooks_pass_what_the_recorder_takes() -> None:
    import pytest_bdd.hooks

    expected = {
        "pytest_bdd_before_step": ["request", "scenario", "step", "step_func"],
        "pytest_bdd_after_step": ["request", "scenario", "step"],
        "pytest_bdd_step_error": ["request", "scenario", "step", "exception"],
        "pytest_bdd_step_func_lookup_error": ["request", "scenario", "step"],
    }
    for name, arguments in expected.items():
        assert set(arguments) <= set(_parameters(getattr(pytest_bdd.hooks, name))), name
