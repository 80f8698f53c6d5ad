"""The model, the Cucumber JSON writer and the living documentation, on a run made by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pytest_bdd_toolkit.report import history
from pytest_bdd_toolkit.report.cucumber_json import to_cucumber, write_cucumber
from pytest_bdd_toolkit.report.living_doc import render_living_doc, write_living_doc
from pytest_bdd_toolkit.report.model import Run, ScenarioResult

pytestmark = pytest.mark.unit


def _elements(run: Run) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for f in to_cucumber(run) for e in f["elements"]}


def _statuses(element: dict[str, Any]) -> list[str]:
    return [step["result"]["status"] for step in element["steps"]]


def test_a_result_survives_the_trip_from_a_worker(run: Run) -> None:
    for scenario in run.scenarios:
        data = json.loads(json.dumps(scenario.to_dict()))

        assert ScenarioResult.from_dict(data) == scenario


def test_scenarios_are_grouped_by_feature_and_rule_in_file_order(run: Run) -> None:
    [health, shop] = run.features()

    assert health.feature.name == "Health"
    assert [group.rule.name if group.rule else None for group in shop.rules] == [
        "A cart holds what was put in it"
    ]
    assert [s.line for s in shop.scenarios] == [9, 15, 20, 25, 30, 35, 40, 40]
    assert shop.counts == {
        "passed": 3,
        "failed": 1,
        "undefined": 1,
        "skipped": 1,
        "xfailed": 1,
        "xpassed": 1,
    }
    assert run.by_tag()["wip"] == {"xfailed": 1, "xpassed": 1}
    assert run.by_tag()["carts"]["passed"] == 3
    assert [s.name for s in run.unexpected_passes] == ["Alice gets a gift"]


def test_every_scenario_is_in_the_cucumber_json(run: Run) -> None:
    features = to_cucumber(run)

    assert [f["uri"] for f in features] == ["features/health.feature", "features/shop.feature"]
    assert sum(len(f["elements"]) for f in features) == len(run.scenarios) == 9
    ids = [e["id"] for f in features for e in f["elements"]]
    assert len(set(ids)) == len(ids)
    assert "shopping;alice-adds-<count>-pears;;3" in ids


def test_an_undefined_step_is_undefined_in_cucumber_json(run: Run) -> None:
    element = _elements(run)["Alice pays <script>alert(1)</script>"]

    assert _statuses(element) == ["passed", "undefined", "skipped"]
    message = element["steps"][1]["result"]["error_message"]
    assert message.startswith("Undefined step")


def test_failures_wip_and_tags_in_cucumber_json(run: Run) -> None:
    elements = _elements(run)

    assert _statuses(elements["Alice counts her cart"]) == ["passed", "passed", "failed"]
    assert _statuses(elements["Alice redeems a voucher"]) == ["passed", "pending", "skipped"]
    assert _statuses(elements["Alice gets a gift"]) == ["passed"] * 3
    tags = [t["name"] for t in elements["Alice gets a gift"]["tags"]]
    assert tags == ["@carts", "@shop", "@wip"]
    step = elements["Alice adds a product"]["steps"][0]
    assert step["keyword"] == "Given " and step["result"]["duration"] == 2_000_000


def test_a_failure_outside_the_steps_is_a_failed_hook(run: Run) -> None:
    setup, teardown = run.scenarios[0], run.scenarios[1]
    setup.status, setup.error = "failed", "fixture 'database' failed"
    setup.hook_error, setup.hook_phase = setup.error, "setup"
    for step in setup.steps:
        step.status = "skipped"
    teardown.steps[2].status = "passed"
    teardown.hook_error, teardown.hook_phase = "teardown failed", "teardown"

    elements = _elements(run)

    before = elements["Alice adds a product"]
    assert _statuses(before) == ["skipped"] * 3
    assert before["before"][0]["result"] == {
        "status": "failed",
        "duration": 0,
        "error_message": "fixture 'database' failed",
    }
    after = elements["Alice counts her cart"]
    assert _statuses(after) == ["passed"] * 3
    assert after["after"][0]["result"]["status"] == "failed"
    assert "before" not in elements["Alice pays <script>alert(1)</script>"]


def test_the_writers_create_missing_folders(run: Run, tmp_path: Path) -> None:
    cucumber = write_cucumber(run, tmp_path / "a" / "b" / "cucumber.json")
    living_doc = write_living_doc(run, tmp_path / "c" / "living-doc.html")

    assert len(json.loads(cucumber.read_text())) == 2
    assert living_doc.read_text().startswith("<!DOCTYPE html>")


def test_the_living_doc_holds_everything_a_reader_needs(run: Run) -> None:
    html = render_living_doc(run)

    assert html.count('<article class="scenario') == 9
    for text in ["Feature:</span> Shopping", "Rule:</span> A cart holds what was put in it"]:
        assert text in html
    assert "Alice fills her cart." in html
    assert "AssertionError: expected 2 items, found 1" in html
    assert (
        "Replay with the same data: <code>pytest &#39;spec/test_shop.py::test_x&#39; "
        "--faker-seed 42</code> (Faker seed <code>1234</code>)"
    ) in html
    assert "scenarios in 1.50 s on 2 workers; Faker seed 42.</p>" in html
    assert "<title>Living documentation</title>" in html
    assert "<th>count</th>" in html and "<td>3</td>" in html
    assert 'data-status="xpassed"' in html and "passed unexpectedly" in html
    assert 'data-tags="carts shop smoke"' in html
    assert 'id="by-feature"' in html and 'id="by-tag"' in html
    assert "(undefined)" in html


def test_the_living_doc_says_how_many_were_skipped_and_why(run: Run) -> None:
    page = render_living_doc(run, title="Spec")

    summary = page.split('id="skipped"', 1)[1].split("</div>", 1)[0]
    assert "1 scenario(s) skipped, and why" in summary
    assert '<li data-skip-count="1">1: needs the fake clock</li>' in summary
    assert 'class="muted skip-reason">Skipped: needs the fake clock<' in page


def test_the_living_doc_escapes_what_the_features_say(run: Run) -> None:
    html = render_living_doc(run)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_living_doc_needs_no_network(run: Run) -> None:
    html = render_living_doc(run)

    assert html.count("<script") == 1 and html.count("<style") == 1
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    assert "@import" not in html and "url(" not in html


def test_a_failure_is_shown_once_with_one_replay_line(run: Run) -> None:
    html = render_living_doc(run)
    start = html.index("Alice counts her cart</span>")
    card = html[start : html.index("</article>", start)]

    assert card.count("AssertionError: expected 2 items, found 1") == 1
    assert card.count("Replay with the same data") == 1


def test_the_history_flags_flaky_scenarios_and_what_came_and_went(run: Run) -> None:
    first = history.summarize(run, "abc")
    second = history.summarize(run, "abc")
    first["scenarios"]["spec/test_shop.py::test_alice_adds_a_product"][0] = "failed"
    first["scenarios"]["spec/test_gone.py::test_old"] = ["passed", 0.1]
    del second["scenarios"]["spec/test_health.py::test_healthy"]
    other_commit = history.summarize(run, "def")
    other_commit["scenarios"]["spec/test_health.py::test_healthy"][0] = "failed"

    found = history.analyse([other_commit, first, second])

    assert [(f.nodeid, f.statuses) for f in found.flaky] == [
        ("spec/test_shop.py::test_alice_adds_a_product", ["failed", "passed"])
    ]
    assert found.removed == ["spec/test_gone.py::test_old", "spec/test_health.py::test_healthy"]
    assert found.added == []
    assert "svg" in render_living_doc(run, history=found)
