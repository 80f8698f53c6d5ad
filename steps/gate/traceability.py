"""Trace every rule of the product contract to the scenarios that specify it.

The table (`features/traceability.toml`) lists each rule of
`shared/product/api-v1.md` with an id, a short form of the contract's
sentence, and the scenarios, as `file.feature: Scenario name`, that describe
it. A rule with no scenario, or one that names a scenario that does not
exist, is a gap in the specification.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from steps.gate.features import Specification


@dataclass(frozen=True)
class ContractRule:
    """One rule of the product contract and the scenarios that specify it."""

    id: str
    section: str
    contract: str
    scenarios: tuple[str, ...]


def load_rules(path: Path) -> list[ContractRule]:
    """Read the traceability table."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [
        ContractRule(
            id=str(entry["id"]),
            section=str(entry.get("section", "")),
            contract=str(entry["contract"]),
            scenarios=tuple(str(ref) for ref in entry.get("scenarios", [])),
        )
        for entry in data.get("rule", [])
    ]


def normalise(reference: str) -> str:
    """Write a scenario reference the way `ScenarioRef` prints it: `file.feature: name`."""
    feature, _, name = reference.partition(":")
    return f"{feature.strip()}: {name.strip()}"


def trace_problems(rules: list[ContractRule], spec: Specification) -> list[str]:
    """List the rules without a scenario and the references to scenarios that do not exist."""
    known = {str(ref) for ref in spec.scenarios()}
    problems = [
        f"rule id {rule_id} is used {count} times"
        for rule_id, count in Counter(rule.id for rule in rules).items()
        if count > 1
    ]
    for rule in rules:
        if not rule.scenarios:
            problems.append(f"{rule.id} has no scenario: {rule.contract}")
        for reference in rule.scenarios:
            if normalise(reference) not in known:
                problems.append(f"{rule.id} names a scenario that does not exist: {reference}")
    return problems
