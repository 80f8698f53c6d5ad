"""The trend chart of the last runs, drawn as inline SVG: outcomes as stacked bars, time as a line.

The geometry is computed here and drawn by the living documentation's
template, so that the page stays one self-contained file with no script
library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_bdd_toolkit.report.history import Summary, counts_of

WIDTH_PER_RUN = 28
HEIGHT = 120
GROUPS = {
    "passed": ("passed", "xpassed"),
    "failed": ("failed", "undefined"),
    "skipped": ("skipped", "xfailed"),
}
"""The chart's three bands and the statuses each one counts."""


@dataclass
class Bar:
    """One band of one run's bar."""

    x: int
    y: float
    height: float
    group: str
    count: int
    title: str


@dataclass
class Chart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    duration_points: str = ""
    longest: float = 0.0
    labels: list[tuple[int, str]] = field(default_factory=list)


def trend_chart(runs: list[Summary]) -> Chart:
    """Lay out the chart of the runs, oldest on the left."""
    chart = Chart(width=max(len(runs), 1) * WIDTH_PER_RUN + 40)
    most = max((sum(counts_of(run).values()) for run in runs), default=0) or 1
    chart.longest = max((float(run.get("duration") or 0) for run in runs), default=0.0)
    points = []
    for index, run in enumerate(runs):
        x = 30 + index * WIDTH_PER_RUN
        counts = counts_of(run)
        bottom = float(HEIGHT)
        when = str(run.get("started_at") or "")
        for group, statuses in GROUPS.items():
            count = sum(counts[s] for s in statuses)
            height = HEIGHT * count / most
            bottom -= height
            if count:
                title = f"{when}: {count} {group}"
                chart.bars.append(Bar(x, round(bottom, 1), round(height, 1), group, count, title))
        duration = float(run.get("duration") or 0)
        y = HEIGHT - (HEIGHT * duration / chart.longest if chart.longest else 0)
        points.append(f"{x + 9},{round(y, 1)}")
        chart.labels.append((x, str(index + 1)))
    chart.duration_points = " ".join(points)
    return chart
