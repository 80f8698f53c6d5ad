"""Run every check of the gate on a project, as its settings describe it."""

from __future__ import annotations

from pytest_bdd_toolkit.gate.bindings import binding_problems
from pytest_bdd_toolkit.gate.contract import contract_problems
from pytest_bdd_toolkit.gate.loading import import_problems, parse_problems, unloaded_problems
from pytest_bdd_toolkit.gate.report import GateReport
from pytest_bdd_toolkit.gate.steps import ambiguous, undefined, unused
from pytest_bdd_toolkit.settings import Settings
from pytest_bdd_toolkit.spec.features import load_specification
from pytest_bdd_toolkit.spec.matching import match_steps
from pytest_bdd_toolkit.spec.vocabulary import load_vocabulary


def run_gate(settings: Settings) -> GateReport:
    """Check the feature files, step definitions, bindings and contract of a project."""
    report = GateReport()
    spec = load_specification(settings.features_dir)
    vocabulary = load_vocabulary(settings.step_files())
    matches = match_steps(spec.steps(), vocabulary.definitions)
    found = report.problems
    found["import"] += import_problems(vocabulary, settings)
    if not settings.features_dir.is_dir():
        found["parse"].append(f"the features folder {settings.features_dir} is missing")
    found["parse"] += parse_problems(spec)
    found["duplicate"] += spec.duplicates
    problems, warnings = undefined(matches, settings)
    found["undefined"] += problems
    report.warnings["wip-undefined"] += warnings
    found["ambiguous"] += ambiguous(matches, settings)
    found["unused"] += unused(matches, settings)
    unbound, dangling = binding_problems(spec, settings)
    found["dangling"] += dangling
    found["unbound"] += unbound
    found["unloaded"] += unloaded_problems(vocabulary, settings)
    untraced, disagreements, rules = contract_problems(spec, settings)
    found["untraced"] += untraced
    found["contract"] += disagreements
    report.summary = (
        f"{len(spec.features)} feature files, {len(spec.scenarios())} scenarios, "
        f"{len(vocabulary.definitions)} step definitions, {rules} contract rules"
    )
    return report
