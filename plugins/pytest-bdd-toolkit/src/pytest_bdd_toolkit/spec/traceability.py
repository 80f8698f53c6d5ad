"""The traceability table: each rule of the product contract and the scenarios that specify it.

The table (a TOML file, `bdd_traceability`) lists rules as `[[rule]]` entries
with an `id`, an optional `section`, a short form of the contract's sentence
(`contract`), and the scenarios that describe it, as
`file.feature: Scenario name` (an outline by its name as written).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


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
