"""Read the feature files with pytest-bdd's own parser: their scenarios and their steps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pytest_bdd_toolkit._pytest_bdd import (
    Feature,
    FeatureParser,
    ScenarioTemplate,
    get_gherkin_document,
)


@dataclass(frozen=True)
class ScenarioRef:
    """A scenario (an outline counts once) by its feature file and name."""

    feature: str
    name: str
    line: int
    tags: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"{self.feature}: {self.name}"


@dataclass(frozen=True)
class FeatureStep:
    """A step as a scenario runs it: outline placeholders filled in from an Examples row."""

    scenario: ScenarioRef
    type: str
    keyword: str
    text: str
    template: str
    line: int

    @property
    def where(self) -> str:
        """Return `feature:line` of the step."""
        return f"{self.scenario.feature}:{self.line}"


@dataclass
class Specification:
    """The parsed feature files of a folder."""

    root: Path
    features: dict[str, Feature] = field(default_factory=dict)
    parse_errors: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)

    def templates(self) -> list[tuple[str, ScenarioTemplate]]:
        """Return every scenario template with its feature's file name, in file order."""
        return [(name, t) for name, f in self.features.items() for t in f.scenarios.values()]

    def scenarios(self) -> list[ScenarioRef]:
        """Return a reference to every scenario."""
        return [_ref(name, template) for name, template in self.templates()]

    def steps(self) -> list[FeatureStep]:
        """Return every step of every scenario, once for each Examples row of an outline."""
        found: dict[tuple[str, int, str], FeatureStep] = {}
        for name, template in self.templates():
            ref = _ref(name, template)
            contexts = [c for block in template.examples for c in block.as_contexts()] or [{}]
            templated = template.steps
            for context in contexts:
                for step, raw in zip(template.render(context).steps, templated, strict=True):
                    key = (str(ref), step.line_number, step.name)
                    found.setdefault(
                        key,
                        FeatureStep(
                            ref, step.type, step.keyword, step.name, raw.name, step.line_number
                        ),
                    )
        return list(found.values())


def _ref(feature: str, template: ScenarioTemplate) -> ScenarioRef:
    tags = template.tags | template.feature.tags | (template.rule.tags if template.rule else set())
    return ScenarioRef(feature, template.name, template.line_number, frozenset(tags))


def load_specification(features_dir: Path) -> Specification:
    """Parse every `.feature` file under `features_dir`."""
    spec = Specification(root=features_dir.resolve())
    for path in sorted(features_dir.rglob("*.feature")):
        name = path.relative_to(features_dir).as_posix()
        try:
            spec.features[name] = FeatureParser(str(features_dir), name).parse()
        except Exception as error:  # any parse failure is reported by the gate
            spec.parse_errors[name] = f"{type(error).__name__}: {error}"
            continue
        spec.duplicates += [f"{name}: {n}" for n in _duplicate_names(path) if n]
    return spec


def _duplicate_names(path: Path) -> list[str]:
    """Return scenario names used twice in a file: pytest-bdd silently keeps only the last."""
    feature = get_gherkin_document(str(path)).feature
    names: list[str] = []
    for child in feature.children:
        if child.scenario:
            names.append(child.scenario.name)
        if child.rule:
            names += [c.scenario.name for c in child.rule.children if c.scenario]
    return sorted(name for name, count in Counter(names).items() if count > 1)
