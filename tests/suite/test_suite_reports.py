"""The project's own suite: one run writes all four reports, and none loses a scenario.

This is the issue's "done when": the command CI runs, serially and on two
pytest-xdist workers, with Cucumber JSON, JUnit XML and the living
documentation holding exactly the scenarios that were collected. Whether the
scenarios pass is the suite's business, not this test's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    command = [sys.executable, "-m", "pytest", "steps", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def collected() -> set[str]:
    """The scenarios pytest collects from steps/."""
    result = _pytest("--collect-only", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    return {line for line in result.stdout.splitlines() if "::" in line}


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_one_run_writes_all_reports_with_every_collected_scenario(
    collected: set[str], workers: list[str], tmp_path: Path
) -> None:
    reports = tmp_path / "reports"

    result = _pytest(
        *workers,
        "--gherkin-terminal-reporter",
        "-v",
        f"--cucumberjson={reports}/cucumber.json",
        f"--junitxml={reports}/junit.xml",
        f"--living-doc={reports}/living-doc.html",
    )

    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output
    features = json.loads((reports / "cucumber.json").read_text())
    assert sum(len(feature["elements"]) for feature in features) == len(collected), output
    uris = {feature["uri"] for feature in features}
    assert uris <= {f"features/{p.name}" for p in (ROOT / "features").glob("*.feature")}
    testcases = ET.parse(reports / "junit.xml").getroot().findall(".//testcase")
    assert len(testcases) == len(collected)
    html = (reports / "living-doc.html").read_text()
    assert html.count('<article class="scenario') == len(collected)
    assert "<title>Storefront: living documentation</title>" in html  # bdd_report_title
    assert "Feature: " in output and "    Scenario: " in output
