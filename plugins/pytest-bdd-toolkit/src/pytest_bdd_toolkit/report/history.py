"""The living documentation's memory: a small summary of each run, kept in a folder.

With `--living-doc-history DIR` every run writes one JSON file into DIR (its
scenarios' ids, statuses and durations, the Faker seed and the git commit
when known) and the page reads the last runs back: a trend of the outcomes
and durations, the scenarios whose outcome changed between runs of the same
commit (flaky), and those added or removed since the previous run. One file
a run, so that a CI cache of the folder never merges two writers' lines.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_bdd_toolkit.report.model import Run

KEPT = 20
"""How many runs the page shows."""
COMMIT_VARIABLES = ("GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILD_VCS_NUMBER")
Summary = dict[str, Any]


def current_commit(rootdir: Path) -> str | None:
    """Return the commit being tested: from CI's variables, else from git, else None."""
    for name in COMMIT_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=rootdir,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def summarize(run: Run, commit: str | None) -> Summary:
    """Return the run's summary as plain data."""
    seed = next((v for k, v in run.facts.items() if "seed" in k.lower()), None)
    return {
        "started_at": run.started_at,
        "started": run.started,
        "duration": round(run.duration, 3),
        "commit": commit,
        "faker_seed": seed,
        "counts": dict(run.counts),
        "scenarios": {s.nodeid: [s.status, round(s.duration, 4)] for s in run.ordered},
    }


def append(folder: Path, summary: Summary) -> Path:
    """Write the run's summary into the history folder, creating it."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromtimestamp(summary["started"] or 0, UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"run-{stamp}-{secrets.token_hex(3)}.json"
    path.write_text(json.dumps(summary), encoding="utf-8")
    return path


def load(folder: Path, limit: int = KEPT) -> list[Summary]:
    """Read the last `limit` summaries of the folder, oldest first (unreadable ones skipped)."""
    summaries: list[Summary] = []
    for path in folder.glob("run-*.json") if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("scenarios"), dict):
            summaries.append(data)
    summaries.sort(key=lambda summary: float(summary.get("started") or 0))
    return summaries[-limit:]


@dataclass
class Flaky:
    """A scenario whose outcome changed between runs of one commit."""

    nodeid: str
    commit: str
    statuses: list[str]


@dataclass
class History:
    """What the last runs say: the runs themselves, flaky scenarios, what came and went."""

    runs: list[Summary] = field(default_factory=list)
    flaky: list[Flaky] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def flaky_ids(self) -> set[str]:
        """Return the ids of the flaky scenarios."""
        return {flaky.nodeid for flaky in self.flaky}


def analyse(runs: list[Summary]) -> History:
    """Find the flaky scenarios and what was added or removed since the previous run."""
    history = History(runs=runs)
    by_commit: dict[str, dict[str, list[str]]] = {}
    for summary in runs:
        if not summary.get("commit"):
            continue
        outcomes = by_commit.setdefault(str(summary["commit"]), {})
        for nodeid, (status, _duration) in summary["scenarios"].items():
            outcomes.setdefault(nodeid, []).append(str(status))
    for commit, outcomes in by_commit.items():
        for nodeid, statuses in sorted(outcomes.items()):
            if len(set(statuses) - {"skipped"}) > 1:
                history.flaky.append(Flaky(nodeid, commit, statuses))
    if len(runs) >= 2:
        before, now = set(runs[-2]["scenarios"]), set(runs[-1]["scenarios"])
        history.added, history.removed = sorted(now - before), sorted(before - now)
    return history


def counts_of(summary: Summary) -> Counter[str]:
    """Return a summary's counts by status."""
    return Counter({str(k): int(v) for k, v in (summary.get("counts") or {}).items()})
