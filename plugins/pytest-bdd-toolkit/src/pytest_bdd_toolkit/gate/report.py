"""What the gate found, and how a terminal or a CI log shows it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

HEADINGS = {
    "import": "Step modules that cannot be imported",
    "parse": "Feature files that cannot be read",
    "undefined": "Steps with no definition",
    "ambiguous": "Steps that match more than one definition",
    "unbound": "Features and scenarios bound by no test module (pytest-bdd would skip them)",
    "dangling": "Test modules that bind something that does not exist",
    "duplicate": "Scenario names used twice in one feature (pytest-bdd keeps only the last)",
    "unused": "Step definitions used by no scenario",
    "unloaded": "Step modules the conftest does not load (pytest would not see their steps)",
    "untraced": "Contract rules not traced to an existing scenario",
    "contract": "The traceability table and the contract page disagree",
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

    @property
    def count(self) -> int:
        """Count the problems."""
        return sum(len(entries) for entries in self.problems.values())


def format_report(report: GateReport) -> str:
    """Render the report for a terminal or a CI log."""
    lines = [f"Gate: {report.summary}"]
    for title, found, mark in (("FAIL", report.problems, "x"), ("WARN", report.warnings, "!")):
        for kind, entries in found.items():
            if entries:
                lines += ["", f"{title} {HEADINGS[kind]} ({len(entries)})"]
                lines += [f"  {mark} " + entry.replace("\n", "\n    ") for entry in entries]
    lines += ["", "gate passed" if report.ok else f"gate FAILED: {report.count} problem(s)"]
    return "\n".join(lines)
