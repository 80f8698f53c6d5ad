"""The living documentation as a reader sees it, in a real headless Chromium, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_bdd_toolkit.report import history
from pytest_bdd_toolkit.report.browser import CHROMIUM as CHROMIUM_PATH
from pytest_bdd_toolkit.report.browser import CHROMIUM_ARGS
from pytest_bdd_toolkit.report.living_doc import write_living_doc
from pytest_bdd_toolkit.report.model import Run

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = Path(CHROMIUM_PATH)

if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set $BDD_TOOLKIT_CHROMIUM)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api")

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The system's Chromium, driven by Playwright."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def requests() -> list[str]:
    """The URLs the page asks for."""
    return []


@pytest.fixture
def page(browser: Browser, run: Run, tmp_path: Path, requests: list[str]) -> Iterator[Page]:
    """The living documentation of the sample run, open in a tab that records its requests."""
    path = write_living_doc(run, tmp_path / "living-doc.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    yield page
    page.close()


def _visible(page: Page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(f"{selector}:visible").all_inner_texts()]


def test_the_page_shows_features_rules_scenarios_and_steps(page: Page) -> None:
    assert page.title() == "Living documentation"
    assert "Feature: Shopping" in _visible(page, "section.feature > h2")[1]
    assert _visible(page, "section.rule > h3") == ["Rule: A cart holds what was put in it"]
    names = _visible(page, "article.scenario .name")
    assert len(names) == 9
    assert "Alice pays <script>alert(1)</script>" in names
    failed = page.locator("article.scenario", has_text="Alice counts her cart")
    steps = [t.strip() for t in failed.locator("ol.steps li").all_inner_texts()]
    assert steps[2].startswith("✗\nThen Alice's cart holds 2 items (failed)")
    assert "AssertionError: expected 2 items, found 1" in failed.inner_text()
    replay = "Replay with the same data: pytest 'spec/test_shop.py::test_x' --faker-seed 42"
    assert replay in failed.inner_text()
    pears = page.locator("article.scenario", has_text="Alice adds 3 pears")
    assert pears.locator("table.example td").all_inner_texts() == ["3"]


def test_the_summaries_count_by_feature_and_by_tag(page: Page) -> None:
    rows = _visible(page, "#by-feature tbody tr")
    assert rows[1].split("\t")[:6] == ["Shopping", "8", "3", "1", "1", "1"]
    wip = next(row for row in _visible(page, "#by-tag tbody tr") if row.startswith("@wip"))
    assert wip.split("\t")[1] == "2"
    assert "1 @wip scenario(s) passed unexpectedly" in _visible(page, "#unexpected")[0]


def test_the_status_filter_hides_what_is_unchecked(page: Page) -> None:
    page.uncheck("input[name=status][value=passed]")

    statuses = page.locator("article.scenario:visible").evaluate_all(
        "cards => cards.map(card => card.dataset.status)"
    )
    assert sorted(statuses) == ["failed", "skipped", "undefined", "xfailed", "xpassed"]
    assert _visible(page, "#shown") == ["Showing 5 of 9 scenarios"]
    assert _visible(page, "section.feature > h2") == ["Feature: Shopping features/shop.feature"]


def test_the_tag_filter_and_a_tag_chip_show_only_that_tag(page: Page) -> None:
    page.select_option("#tag-filter", "wip")

    assert sorted(_visible(page, "article.scenario .name")) == [
        "Alice gets a gift",
        "Alice redeems a voucher",
    ]

    page.select_option("#tag-filter", "")
    page.locator("article.scenario button.tag", has_text="@smoke").click()

    assert _visible(page, "article.scenario .name") == ["Alice adds a product"]
    assert _visible(page, "#shown") == ["Showing 1 of 9 scenarios"]


def test_the_search_box_finds_steps_and_says_when_nothing_matches(page: Page) -> None:
    page.fill("#search", "someone asks")
    assert _visible(page, "article.scenario .name") == ["A healthy store"]

    page.fill("#search", "no such words anywhere")
    assert _visible(page, "#nothing") == ["No scenario matches these filters."]


def test_the_page_loads_nothing_from_the_network(page: Page, requests: list[str]) -> None:
    assert page.locator("article.scenario").count() == 9
    assert requests == [page.url]
    assert page.url.startswith("file://")


def test_the_search_box_matches_every_word_in_any_order_and_tags(page: Page) -> None:
    page.fill("#search", "pears alice 3")
    assert _visible(page, "article.scenario .name") == ["Alice adds 3 pears"]

    page.fill("#search", "@smoke")
    assert _visible(page, "article.scenario .name") == ["Alice adds a product"]

    page.fill("#search", "@wip gift")
    assert _visible(page, "article.scenario .name") == ["Alice gets a gift"]


def test_two_runs_that_disagree_show_a_trend_and_a_flaky_flag(
    browser: Browser, run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "history"
    earlier = history.summarize(run, "abc123")
    earlier["started"] -= 60
    flaky = next(s for s in run.scenarios if s.status == "passed")
    earlier["scenarios"][flaky.nodeid][0] = "failed"
    history.append(folder, earlier)
    history.append(folder, history.summarize(run, "abc123"))
    path = write_living_doc(
        run, tmp_path / "doc.html", history=history.analyse(history.load(folder))
    )
    page = browser.new_page()
    page.goto(path.as_uri())

    assert page.locator("svg#trend rect.passed").count() == 2
    assert page.locator("svg#trend polyline").count() == 1
    card = page.locator(
        f"article#{page.locator('article.scenario', has_text=flaky.name).first.get_attribute('id')}"
    )
    assert card.locator("[data-flaky]").inner_text() == "flaky"
    assert flaky.nodeid in _visible(page, "#flaky li")[0]
    page.close()
