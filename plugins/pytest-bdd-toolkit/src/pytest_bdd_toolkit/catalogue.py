"""The step catalogue: the vocabulary a new scenario can be written in.

Lists every step definition by domain (its step module): the step as a
reader writes it, its docstring, its pattern, where it is defined, real
examples from the features, and the scenarios that use it. Definitions that no
scenario uses are flagged. Nothing is executed: the step modules are
imported and the feature files parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from pytest_bdd_toolkit.settings import Settings
from pytest_bdd_toolkit.spec.features import FeatureStep, load_specification
from pytest_bdd_toolkit.spec.matching import match_steps
from pytest_bdd_toolkit.spec.vocabulary import StepDefinition, load_vocabulary

EXAMPLES = 3


@dataclass
class Entry:
    """A step definition with the feature steps that use it."""

    definition: StepDefinition
    steps: list[FeatureStep]

    @property
    def scenarios(self) -> list[str]:
        """Return the scenarios that use the step, sorted."""
        return sorted({str(step.scenario) for step in self.steps})

    @property
    def examples(self) -> list[str]:
        """Return a few step texts from the features, as written there."""
        texts = dict.fromkeys(f"{step.keyword} {step.template}" for step in self.steps)
        return list(texts)[:EXAMPLES]


@dataclass
class Catalogue:
    """Every step definition of a steps folder, with its use."""

    entries: list[Entry]
    root: Path
    import_errors: dict[str, str]

    def domains(self) -> Iterator[tuple[str, list[Entry]]]:
        """Yield each domain with its entries, in the order of the steps module."""
        for domain, entries in groupby(self.entries, key=lambda e: e.definition.domain):
            yield domain, list(entries)

    @property
    def unused(self) -> list[Entry]:
        """Return the entries no scenario uses."""
        return [entry for entry in self.entries if not entry.steps]


def build_catalogue(settings: Settings) -> Catalogue:
    """Import the step modules, parse the features, and match them."""
    vocabulary = load_vocabulary(settings.step_files())
    steps = load_specification(settings.features_dir).steps()
    matches = match_steps(steps, vocabulary.definitions)
    entries = [Entry(d, matches.usage[d]) for d in vocabulary.definitions]
    errors = {settings.relative(p): e for p, e in vocabulary.import_errors.items()}
    return Catalogue(entries, settings.root, errors)


def _intro(catalogue: Catalogue) -> str:
    scenarios = {s for entry in catalogue.entries for s in entry.scenarios}
    return (
        f"{len(catalogue.entries)} step definitions in {len(list(catalogue.domains()))} domains, "
        f"used by {len(scenarios)} scenarios; {len(catalogue.unused)} unused."
    )


def render_text(catalogue: Catalogue) -> str:
    """Render the catalogue for a terminal."""
    lines = ["STEP CATALOGUE", _intro(catalogue)]
    lines += [
        f"! {name} cannot be imported: {error}" for name, error in catalogue.import_errors.items()
    ]
    for domain, entries in catalogue.domains():
        module = entries[0].definition.location(catalogue.root).split(":")[0]
        lines += ["", f"== {domain.upper()} ({module}) =="]
        for entry in entries:
            d = entry.definition
            flag = "   [UNUSED: no scenario uses this step]" if not entry.steps else ""
            lines += ["", f"{d.keyword} {d.readable}{flag}"]
            lines += [f"    {line}" for line in (d.docstring or "(no docstring)").splitlines()]
            lines.append(f"    pattern: {d.pattern}  ({d.kind})")
            lines.append(f"    defined: {d.location(catalogue.root)}  {d.function}()")
            lines += [f"    e.g.     {example}" for example in entry.examples]
            lines.append(f"    used by: {len(entry.scenarios)} scenario(s)")
            lines += [f"      - {scenario}" for scenario in entry.scenarios]
    return "\n".join(lines)


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def render_markdown(catalogue: Catalogue) -> str:
    """Render the catalogue as Markdown, for the repository or a wiki."""
    lines = ["# Step catalogue", "", _intro(catalogue), ""]
    lines += [
        f"- **{name} cannot be imported:** {error}"
        for name, error in catalogue.import_errors.items()
    ]
    lines += [
        f"- [{domain}](#{domain}) ({len(entries)} steps)" for domain, entries in catalogue.domains()
    ]
    for domain, entries in catalogue.domains():
        module = entries[0].definition.location(catalogue.root).split(":")[0]
        lines += ["", f"## {domain}", "", f"Defined in {_code(module)}."]
        for entry in entries:
            d = entry.definition
            lines += ["", f"### {d.keyword} {_code(d.readable)}", ""]
            if not entry.steps:
                lines += ["> **Unused:** no scenario uses this step.", ""]
            lines += [d.docstring or "_No docstring._", ""]
            lines.append(f"- Pattern: {_code(d.pattern)} ({d.kind})")
            lines.append(f"- Defined at: {_code(d.location(catalogue.root))}, {_code(d.function)}")
            if entry.examples:
                lines.append("- Examples: " + "; ".join(_code(e) for e in entry.examples))
            lines.append(f"- Used by {len(entry.scenarios)} scenario(s):")
            lines += [f"  - {scenario}" for scenario in entry.scenarios]
    return "\n".join(lines) + "\n"
