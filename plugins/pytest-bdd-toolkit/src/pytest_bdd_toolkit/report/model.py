"""The model of a run: features, rules, scenarios and steps, as plain data.

Workers of pytest-xdist send each scenario's result to the controller as a
plain dict on its test report, so everything here converts to and from
JSON-compatible dicts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StepStatus = Literal["passed", "failed", "undefined", "skipped"]
Status = Literal["passed", "failed", "undefined", "skipped", "xfailed", "xpassed"]
"""A scenario's outcome; `undefined` is a failure (it fails the run) caused by an undefined step."""
STATUSES: tuple[Status, ...] = ("passed", "failed", "undefined", "skipped", "xfailed", "xpassed")
FAILING: tuple[Status, ...] = ("failed", "undefined")


@dataclass
class TagInfo:
    """A tag as written in a feature file: its name with the `@`, and its line."""

    name: str
    line: int


@dataclass
class DocString:
    """A step's doc string: its text, media type and the line of its opening delimiter."""

    content: str
    line: int
    media_type: str = ""
    delimiter: str = '"""'


@dataclass
class StepDefinitionInfo:
    """The step definition that matched a step: its pattern, its kind and where it is."""

    pattern: str
    location: str
    regular_expression: bool = False


@dataclass
class FeatureInfo:
    """A feature file, as the report shows it."""

    uri: str
    name: str
    keyword: str = "Feature"
    line: int = 1
    description: str = ""
    tags: list[str] = field(default_factory=list)
    located_tags: list[TagInfo] = field(default_factory=list)
    """The feature's tags with their lines, as the official Gherkin parser reads them."""


@dataclass
class RuleInfo:
    """A `Rule:` block of a feature."""

    name: str
    keyword: str = "Rule"
    description: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class StepResult:
    """One step of one scenario and what became of it."""

    keyword: str
    name: str
    line: int
    status: StepStatus = "skipped"
    duration: float = 0.0
    started: float = 0.0
    """When the step started, in seconds since the epoch (0 for a step that did not run)."""
    error: str | None = None
    location: str | None = None
    definition: StepDefinitionInfo | None = None
    gherkin_keyword: str = ""
    """The keyword exactly as written, with its trailing space ("And ")."""
    doc_string: DocString | None = None
    data_table: list[list[str]] | None = None


@dataclass
class ScenarioResult:
    """One executed scenario (one row of an outline) and its outcome."""

    nodeid: str
    feature: FeatureInfo
    keyword: str
    name: str
    line: int
    rule: RuleInfo | None = None
    template: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    example: dict[str, str] | None = None
    example_line: int | None = None
    example_index: int = 0
    example_name: str = ""
    row_line: int | None = None
    """The line of the outline's Examples row this scenario ran."""
    located_tags: list[TagInfo] = field(default_factory=list)
    """Every tag of the scenario as Cucumber lists it (feature, rule, scenario, Examples)."""
    pickle_id: str | None = None
    steps: list[StepResult] = field(default_factory=list)
    status: Status = "passed"
    duration: float = 0.0
    error: str | None = None
    seed: int | None = None
    replay: str | None = None
    worker: str | None = None
    started: float = 0.0
    """When the scenario's set-up started, in seconds since the epoch."""
    hook_error: str | None = None
    """A failure outside the steps (set-up, teardown), with the phase it happened in."""
    hook_phase: str | None = None
    skip_reason: str | None = None
    """Why the scenario did not run, when it was skipped."""

    @property
    def all_tags(self) -> list[str]:
        """Return the scenario's tags with those of its rule and feature, sorted."""
        rule_tags = self.rule.tags if self.rule else []
        return sorted({*self.tags, *rule_tags, *self.feature.tags})

    @property
    def wip(self) -> bool:
        """Tell whether the scenario is work in progress."""
        return "wip" in self.all_tags

    @property
    def line_in_file(self) -> int:
        """Return the line a reader goes to: the Examples row of an outline, else the scenario."""
        return self.row_line or self.line

    @property
    def undefined_steps(self) -> list[StepResult]:
        """Return the steps that no step definition matches."""
        return [step for step in self.steps if step.status == "undefined"]

    @property
    def order(self) -> tuple[str, int, int, int]:
        """Return the key that puts scenarios in the order of their feature file."""
        return (self.feature.uri, self.line, self.example_line or 0, self.example_index)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-compatible data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioResult:
        """Rebuild a result from `to_dict`'s data."""
        values = dict(data)
        feature = dict(values["feature"])
        feature["located_tags"] = [TagInfo(**t) for t in feature.get("located_tags", [])]
        values["feature"] = FeatureInfo(**feature)
        values["rule"] = RuleInfo(**values["rule"]) if values.get("rule") else None
        values["located_tags"] = [TagInfo(**t) for t in values.get("located_tags", [])]
        values["steps"] = [_step(step) for step in values.get("steps", [])]
        return cls(**values)


def _step(data: dict[str, Any]) -> StepResult:
    values = dict(data)
    if values.get("definition"):
        values["definition"] = StepDefinitionInfo(**values["definition"])
    if values.get("doc_string"):
        values["doc_string"] = DocString(**values["doc_string"])
    return StepResult(**values)


@dataclass
class RuleGroup:
    """The scenarios of one rule of a feature (rule is None for those outside any rule)."""

    rule: RuleInfo | None
    scenarios: list[ScenarioResult] = field(default_factory=list)


@dataclass
class FeatureGroup:
    """A feature and its rules, in the order of the file."""

    feature: FeatureInfo
    rules: list[RuleGroup] = field(default_factory=list)

    @property
    def scenarios(self) -> list[ScenarioResult]:
        """Return every scenario of the feature."""
        return [scenario for group in self.rules for scenario in group.scenarios]

    @property
    def counts(self) -> Counter[str]:
        """Count the feature's scenarios by status."""
        return Counter(scenario.status for scenario in self.scenarios)


@dataclass
class Run:
    """Every scenario of a run, with what is known about the run itself."""

    scenarios: list[ScenarioResult] = field(default_factory=list)
    started_at: str = ""
    started: float = 0.0
    """When the run started, in seconds since the epoch."""
    duration: float = 0.0
    facts: dict[str, str | int] = field(default_factory=dict)
    """What the project says about the run (the `pytest_bdd_toolkit_run_facts` hook)."""
    workers: int = 0

    def add(self, scenario: ScenarioResult) -> None:
        """Record a scenario's result."""
        self.scenarios.append(scenario)

    @property
    def ordered(self) -> list[ScenarioResult]:
        """Return the scenarios in the order of their feature files."""
        return sorted(self.scenarios, key=lambda scenario: scenario.order)

    @property
    def counts(self) -> Counter[str]:
        """Count all scenarios by status."""
        return Counter(scenario.status for scenario in self.scenarios)

    def features(self) -> list[FeatureGroup]:
        """Group the scenarios by feature and rule, in file order."""
        groups: dict[str, FeatureGroup] = {}
        for scenario in self.ordered:
            group = groups.setdefault(scenario.feature.uri, FeatureGroup(scenario.feature))
            # A rule's scenarios are contiguous in its file, so file order keeps them together.
            if not group.rules or _rule_name(group.rules[-1]) != _name(scenario.rule):
                group.rules.append(RuleGroup(scenario.rule))
            group.rules[-1].scenarios.append(scenario)
        return list(groups.values())

    def by_tag(self) -> dict[str, Counter[str]]:
        """Count the scenarios of every tag by status."""
        tags: dict[str, Counter[str]] = {}
        for scenario in self.scenarios:
            for tag in scenario.all_tags:
                tags.setdefault(tag, Counter())[scenario.status] += 1
        return dict(sorted(tags.items()))

    @property
    def skip_reasons(self) -> list[tuple[str, int]]:
        """Return why scenarios were skipped, the most common reason first, with counts."""
        reasons = Counter(
            s.skip_reason or "no reason given" for s in self.scenarios if s.status == "skipped"
        )
        return reasons.most_common()

    @property
    def unexpected_passes(self) -> list[ScenarioResult]:
        """Return the @wip scenarios that passed although they were expected to fail."""
        return [scenario for scenario in self.ordered if scenario.status == "xpassed"]


def _name(rule: RuleInfo | None) -> str | None:
    return rule.name if rule else None


def _rule_name(group: RuleGroup) -> str | None:
    return _name(group.rule)
