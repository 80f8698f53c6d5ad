"""Checks of the steps against their definitions: undefined, ambiguous and unused steps."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from pytest_bdd_toolkit.gate.snippets import snippet
from pytest_bdd_toolkit.settings import Settings
from pytest_bdd_toolkit.spec.features import FeatureStep
from pytest_bdd_toolkit.spec.matching import Matches


def home_modules(matches: Matches, settings: Settings) -> dict[str, str]:
    """Return, for each feature, the step module that defines most of its matched steps."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for definition, steps in matches.usage.items():
        for step in steps:
            counts[step.scenario.feature][settings.relative(definition.file)] += 1
    return {feature: count.most_common(1)[0][0] for feature, count in counts.items()}


def from_glob(pattern: str, stem: str) -> str:
    """Fill a glob with a name: `steps/*_steps.py` for `pay` is `steps/pay_steps.py`."""
    return pattern.replace("**/", "", 1).replace("*", stem, 1)


def undefined(matches: Matches, settings: Settings) -> tuple[list[str], list[str]]:
    """List undefined steps (and those of @wip scenarios apart), each with a snippet to paste.

    One entry per definition to write; the snippet goes into the step module
    that already holds most of the feature's steps, or, for a feature with no
    defined step yet, the module the step-module glob names after it.
    """
    homes = home_modules(matches, settings)
    grouped: dict[tuple[str, str, bool], list[FeatureStep]] = defaultdict(list)
    for step in matches.undefined:
        code = snippet(step.type, step.template)
        grouped[(step.type, code, "wip" in step.scenario.tags)].append(step)
    problems: list[str] = []
    warnings: list[str] = []
    for (_, code, wip), steps in grouped.items():
        feature = steps[0].scenario.feature
        glob = settings.step_modules[0] if settings.step_modules else "*_steps.py"
        module = homes.get(feature) or from_glob(glob, Path(feature).stem)
        texts = list(dict.fromkeys(f"{s.keyword} {s.template}" for s in steps))
        places = ", ".join(dict.fromkeys(f"{s.where} ({s.scenario.name})" for s in steps))
        pasted = "\n".join("    " + line for line in code.splitlines())
        entry = "\n".join(
            [texts[0], *(f"  also: {text}" for text in texts[1:]), f"  at {places}"]
            + [f"  paste into {module}:", pasted]
        )
        (warnings if wip else problems).append(entry)
    return problems, warnings


def ambiguous(matches: Matches, settings: Settings) -> list[str]:
    """List the steps that more than one definition matches, with those definitions."""
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for step, found in matches.ambiguous:
        names = tuple(f"{d.location(settings.root)} {d.function}: {d.pattern}" for d in found)
        grouped[(f"{step.keyword} {step.text}", names)].append(step.where)
    entries = []
    for (text, names), places in grouped.items():
        lines = "\n".join(f"    {name}" for name in names)
        entries.append(f"{text}\n  at {', '.join(places)}, matched by\n{lines}")
    return entries


def unused(matches: Matches, settings: Settings) -> list[str]:
    """List the definitions no step of any feature matches."""
    return [
        f"{d.location(settings.root)} {d.function}: {d.keyword} {d.pattern}" for d in matches.unused
    ]
