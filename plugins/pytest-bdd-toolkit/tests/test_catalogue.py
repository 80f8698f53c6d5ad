"""The step catalogue lists the vocabulary by domain, with its use, and flags what is unused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bdd_tree import SpecTree

from pytest_bdd_toolkit.catalogue import build_catalogue, render_markdown, render_text
from pytest_bdd_toolkit.settings import from_files

pytestmark = pytest.mark.unit

BIN = Path(sys.executable).parent
UNUSED_STEP = '\n\n@then("Alice is delighted")\ndef delighted() -> None:\n    """Smile."""\n'
CHECKOUT_STEPS = '''\
from pytest_bdd import when


@when("Alice checks out")
def checks_out() -> None:
    """Pay for the cart."""
'''


@pytest.fixture
def shop(tree: SpecTree) -> SpecTree:
    """The shop tree with a second domain and one step nobody uses."""
    tree.write("steps/shop_steps.py", (tree.steps / "shop_steps.py").read_text() + UNUSED_STEP)
    tree.write("steps/checkout_steps.py", CHECKOUT_STEPS)
    return tree


def test_entries_are_grouped_by_domain_with_their_scenarios(shop: SpecTree) -> None:
    catalogue = build_catalogue(from_files(shop.root))

    domains = {
        domain: [e.definition.pattern for e in entries] for domain, entries in catalogue.domains()
    }
    assert list(domains) == ["checkout", "shop"]
    assert domains["shop"][0] == "Alice has a cart"
    adds = next(e for e in catalogue.entries if e.definition.function == "adds")
    assert adds.scenarios == [
        "shop.feature: Alice adds <count> pears",
        "shop.feature: Alice adds a product",
    ]
    assert adds.examples == ['When Alice adds 2 "apples"', 'When Alice adds <count> "pears"']
    assert adds.definition.docstring == "Put products in the cart."
    assert adds.definition.location(shop.root) == "steps/shop_steps.py:9"
    assert [e.definition.function for e in catalogue.unused] == ["checks_out", "delighted"]


def test_the_text_catalogue_reads_well_and_flags_unused_steps(shop: SpecTree) -> None:
    text = render_text(build_catalogue(from_files(shop.root)))

    assert "5 step definitions in 2 domains, used by 2 scenarios; 2 unused." in text
    assert "== SHOP (steps/shop_steps.py) ==" in text
    assert 'When Alice adds <count> "<product>"\n    Put products in the cart.' in text
    assert "Then Alice is delighted   [UNUSED: no scenario uses this step]" in text
    assert "      - shop.feature: Alice adds a product" in text


def test_the_markdown_catalogue_has_a_section_per_domain_and_step(shop: SpecTree) -> None:
    markdown = render_markdown(build_catalogue(from_files(shop.root)))

    assert markdown.startswith("# Step catalogue\n")
    assert "- [shop](#shop) (4 steps)" in markdown
    assert "## checkout" in markdown
    assert "### Then `<count>`" not in markdown
    assert "### Then `Alice's cart holds <count> items`" in markdown
    assert "> **Unused:** no scenario uses this step." in markdown
    assert "- Pattern: `^Alice's cart holds (?P<count>\\d+) items$` (re)" in markdown


@pytest.mark.integration
def test_the_command_prints_markdown(shop: SpecTree) -> None:
    command = [str(BIN / "bdd-catalogue"), "--markdown"]

    result = subprocess.run(command, cwd=shop.root, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert "### When `Alice checks out`" in result.stdout
