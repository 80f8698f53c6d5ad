"""The gate: is the specification whole? Checked without running a single scenario.

    python -m steps.check [--features DIR] [--steps DIR] [--traceability FILE] [--conftest FILE]

Exits 1, listing what is wrong, when a feature step has no definition (with a
definition to paste), a step matches more than one definition, a feature file
or scenario is bound by no test module, a step definition is used by no
scenario, a steps module is not loaded by conftest.py, or a rule of the
contract has no scenario. Undefined steps of @wip scenarios are listed but do
not fail the gate: work in progress never blocks.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from steps.gate.definitions import load_vocabulary
from steps.gate.features import (
    FeatureStep,
    ScenarioRef,
    bound_scenarios,
    find_bindings,
    load_specification,
)
from steps.gate.matching import match_steps
from steps.gate.snippets import snippet
from steps.gate.traceability import load_rules, trace_problems

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
STEPS = ROOT / "steps"
TRACEABILITY = FEATURES / "traceability.toml"
CONFTEST = ROOT / "conftest.py"

HEADINGS = {
    "import": "Steps modules that cannot be imported",
    "parse": "Feature files that cannot be read",
    "undefined": "Steps with no definition",
    "ambiguous": "Steps that match more than one definition",
    "unbound": "Features and scenarios bound by no test module (pytest-bdd would skip them)",
    "dangling": "Test modules that bind something that does not exist",
    "duplicate": "Scenario names used twice in one feature (pytest-bdd keeps only the last)",
    "unused": "Step definitions used by no scenario",
    "unloaded": "Steps modules that conftest.py does not load (their steps are invisible)",
    "untraced": "Contract rules not traced to an existing scenario",
    "wip-undefined": "Steps with no definition in @wip scenarios (not blocking)",
}


@dataclass
class GateReport:
    """What the gate found: problems fail it, warnings do not."""

    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    summary: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether the gate passes."""
        return not any(self.problems.values())


def _undefined(report: GateReport, steps_dir: Path, undefined: list[FeatureStep]) -> None:
    """List undefined steps, one entry per definition to write, with the snippet to paste."""
    grouped: dict[tuple[str, str, bool], list[FeatureStep]] = defaultdict(list)
    for step in undefined:
        code = snippet(step.type, step.template)
        grouped[(step.type, code, "wip" in step.scenario.tags)].append(step)
    for (_, code, wip), steps in grouped.items():
        domain = Path(steps[0].scenario.feature).stem
        texts = list(dict.fromkeys(f"{s.keyword} {s.template}" for s in steps))
        places = ", ".join(dict.fromkeys(f"{s.where} ({s.scenario.name})" for s in steps))
        pasted = "\n".join("    " + line for line in code.splitlines())
        entry = "\n".join(
            [texts[0], *(f"  also: {text}" for text in texts[1:]), f"  at {places}"]
            + [f"  paste into {steps_dir.name}/{domain}_steps.py:", pasted]
        )
        (report.warnings if wip else report.problems)[
            "wip-undefined" if wip else "undefined"
        ].append(entry)


def _unbound(scenarios: list[ScenarioRef], bound: set[str], steps_dir: Path) -> list[str]:
    """Name whole feature files when none of their scenarios is bound, else the scenarios."""
    entries = []
    for feature, refs in groupby(scenarios, key=lambda ref: ref.feature):
        names = [str(ref) for ref in refs]
        loose = [name for name in names if name not in bound]
        if loose and len(loose) == len(names):
            module = f"{steps_dir.name}/test_{Path(feature).stem}.py"
            entries.append(
                f'{feature}: no test module binds it (add scenarios("{feature}") to {module})'
            )
        else:
            entries += loose
    return entries


def _loaded_modules(conftest: Path) -> set[str]:
    tree = ast.parse(conftest.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return {
                str(v).rsplit(".", 1)[-1] for v in ([value] if isinstance(value, str) else value)
            }
    return set()


def run_gate(
    features_dir: Path = FEATURES,
    steps_dir: Path = STEPS,
    traceability: Path | None = TRACEABILITY,
    conftest: Path | None = CONFTEST,
) -> GateReport:
    """Check the feature files, step definitions, bindings and traceability under the roots."""
    report = GateReport()
    spec = load_specification(features_dir)
    vocabulary = load_vocabulary(steps_dir)
    root = steps_dir.resolve().parent
    for name, error in vocabulary.import_errors.items():
        report.problems["import"].append(f"{name}: {error}")
    for name, error in spec.parse_errors.items():
        report.problems["parse"].append(f"{name}: {error}")
    report.problems["duplicate"] += spec.duplicates
    matches = match_steps(spec.steps(), vocabulary.definitions)
    _undefined(report, steps_dir, matches.undefined)
    ambiguous: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for step, found in matches.ambiguous:
        names = tuple(f"{d.location(root)} {d.function}: {d.pattern}" for d in found)
        ambiguous[(f"{step.keyword} {step.text}", names)].append(step.where)
    for (text, names), places in ambiguous.items():
        lines = "\n".join(f"    {name}" for name in names)
        report.problems["ambiguous"].append(
            f"{text}\n  at {', '.join(places)}, matched by\n{lines}"
        )
    for definition in matches.unused:
        report.problems["unused"].append(
            f"{definition.location(root)} {definition.function}: {definition.keyword} {definition.pattern}"
        )
    bindings, unreadable = find_bindings(steps_dir)
    bound, dangling = bound_scenarios(spec, bindings)
    report.problems["dangling"] += dangling
    report.problems["dangling"] += [
        f"{where}: the feature is not a plain string" for where in unreadable
    ]
    report.problems["unbound"] += _unbound(spec.scenarios(), bound, steps_dir)
    if conftest is not None and conftest.exists():
        loaded = _loaded_modules(conftest)
        modules = vocabulary.modules + [Path(n).stem for n in vocabulary.import_errors]
        report.problems["unloaded"] += [f"{m}.py" for m in modules if m not in loaded]
    rules = []
    if traceability is not None:
        if traceability.exists():
            rules = load_rules(traceability)
            report.problems["untraced"] += trace_problems(rules, spec)
        else:
            report.problems["untraced"].append(f"the traceability table {traceability} is missing")
    report.summary = (
        f"{len(spec.features)} feature files, {len(spec.scenarios())} scenarios, "
        f"{len(vocabulary.definitions)} step definitions, {len(rules)} contract rules"
    )
    return report


def format_report(report: GateReport) -> str:
    """Render the report for a terminal or a CI log."""
    lines = [f"Gate: {report.summary}"]
    for title, found, mark in (("FAIL", report.problems, "x"), ("WARN", report.warnings, "!")):
        for kind, entries in found.items():
            if entries:
                lines += ["", f"{title} {HEADINGS[kind]} ({len(entries)})"]
                lines += [f"  {mark} " + entry.replace("\n", "\n    ") for entry in entries]
    problems = sum(len(entries) for entries in report.problems.values())
    lines += ["", "gate passed" if report.ok else f"gate FAILED: {problems} problem(s)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the gate from the command line; return 1 when it fails."""
    parser = argparse.ArgumentParser(
        prog="python -m steps.check", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--features", type=Path, default=FEATURES, help="the feature files' folder")
    parser.add_argument("--steps", type=Path, default=STEPS, help="the step definitions' folder")
    parser.add_argument(
        "--traceability", type=Path, default=TRACEABILITY, help="the contract table"
    )
    parser.add_argument(
        "--conftest", type=Path, default=CONFTEST, help="the conftest.py that loads steps"
    )
    args = parser.parse_args(argv)
    report = run_gate(args.features, args.steps, args.traceability, args.conftest)
    print(format_report(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
