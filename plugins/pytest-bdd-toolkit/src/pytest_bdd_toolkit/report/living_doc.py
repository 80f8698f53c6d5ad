"""Render a run as one self-contained HTML page of living documentation.

The page is made from `templates/living_doc.html.j2` by Jinja2, with its CSS
and JavaScript inline: it opens from a CI artifact or a mail attachment with
no network at all.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pytest_bdd_toolkit.report.cucumber_json import slug
from pytest_bdd_toolkit.report.history import History
from pytest_bdd_toolkit.report.model import FAILING, STATUSES, Run, ScenarioResult
from pytest_bdd_toolkit.report.trend import trend_chart

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "living_doc.html.j2"

STATUS_LABELS = {
    "passed": "passed",
    "failed": "failed",
    "undefined": "undefined step",
    "skipped": "skipped",
    "xfailed": "expected failure (@wip)",
    "xpassed": "unexpected pass (@wip)",
}
STEP_LABELS = {
    "passed": "passed",
    "failed": "failed",
    "undefined": "undefined",
    "skipped": "not run",
}


def duration(seconds: float) -> str:
    """Format a duration for a reader: milliseconds below a second, else seconds."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def anchor(scenario: ScenarioResult) -> str:
    """Return the HTML id of a scenario's card."""
    return "s-" + slug(scenario.nodeid)


def search_text(scenario: ScenarioResult) -> str:
    """Return what the page's search box looks in: names, steps and tags, in lower case."""
    parts = [scenario.feature.name, scenario.rule.name if scenario.rule else "", scenario.name]
    parts += [step.name for step in scenario.steps]
    parts += [f"@{tag}" for tag in scenario.all_tags]
    parts += [f"{key} {value}" for key, value in (scenario.example or {}).items()]
    return " ".join(parts).lower()


def environment() -> Environment:
    """Build the Jinja2 environment of the living documentation."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = duration
    env.filters["slug"] = slug
    env.filters["anchor"] = anchor
    env.filters["search_text"] = search_text
    return env


DEFAULT_TITLE = "Living documentation"


def render_living_doc(run: Run, title: str = DEFAULT_TITLE, history: History | None = None) -> str:
    """Render the run as the living documentation's HTML, with its history when kept."""
    features = run.features()
    history = history or History()
    tag_counts: Counter[str] = Counter(tag for s in run.scenarios for tag in s.all_tags)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            title=title,
            run=run,
            features=features,
            counts=run.counts,
            by_tag=run.by_tag(),
            tags=sorted(tag_counts.items()),
            statuses=STATUSES,
            status_labels=STATUS_LABELS,
            step_labels=STEP_LABELS,
            failures=[s for s in run.ordered if s.status in FAILING],
            unexpected=run.unexpected_passes,
            scenario_time=sum(s.duration for s in run.scenarios),
            history=history,
            chart=trend_chart(history.runs) if len(history.runs) >= 2 else None,
        )
    )


def write_living_doc(
    run: Run, path: Path, title: str = DEFAULT_TITLE, history: History | None = None
) -> Path:
    """Write the living documentation to `path`, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_living_doc(run, title, history), encoding="utf-8")
    return path
