"""Match every feature step against every step definition, as pytest-bdd would at run time."""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_bdd_toolkit.spec.features import FeatureStep
from pytest_bdd_toolkit.spec.vocabulary import StepDefinition


@dataclass
class Matches:
    """Which definitions each step matches: the used, the undefined and the ambiguous."""

    usage: dict[StepDefinition, list[FeatureStep]] = field(default_factory=dict)
    undefined: list[FeatureStep] = field(default_factory=list)
    ambiguous: list[tuple[FeatureStep, list[StepDefinition]]] = field(default_factory=list)

    @property
    def unused(self) -> list[StepDefinition]:
        """Return the definitions no step matches."""
        return [definition for definition, steps in self.usage.items() if not steps]


def match_steps(steps: list[FeatureStep], definitions: list[StepDefinition]) -> Matches:
    """Find, for each feature step, the definitions that match its text."""
    matches = Matches(usage={definition: [] for definition in definitions})
    for step in steps:
        found = [d for d in definitions if d.matches(step.type, step.text)]
        if not found:
            matches.undefined.append(step)
        elif len(found) > 1:
            matches.ambiguous.append((step, found))
        for definition in found:
            matches.usage[definition].append(step)
    return matches
