"""Take the README's screenshot of a living document, filtered on one tag.

    python tools/screenshot_living_doc.py reports/living-doc.html docs/living-doc.png [@orders]

Uses Debian's Chromium (/usr/bin/chromium, or $BDD_TOOLKIT_CHROMIUM) through Playwright;
nothing is downloaded.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright
from pytest_bdd_toolkit.report.browser import CHROMIUM, CHROMIUM_ARGS

# Started as the toolkit's browser test of the living document starts it (root, no GPU,
# no network): both take the settings from pytest_bdd_toolkit.report.browser.
ARGS = CHROMIUM_ARGS


def main(report: str, picture: str, tag: str = "@orders") -> None:
    """Open the report, choose the tag in its filter, and save a screenshot."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1500})
        page.goto(Path(report).resolve().as_uri())
        option = page.locator("select option", has_text=tag).first.inner_text()
        page.select_option("select", label=option)
        page.screenshot(path=picture)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
