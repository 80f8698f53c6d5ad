"""The gate traces every contract rule to real scenarios, and the table to the contract page."""

from __future__ import annotations

import re

import pytest
from bdd_tree import SpecTree

from pytest_bdd_toolkit.gate import format_report

pytestmark = pytest.mark.unit

PAGE = """\
# The contract

## Carts

- **SHOP-1** A cart holds what was put in it.

An example of how a rule is written, which is no rule itself:

```markdown
- **SHOP-9** An example.
```
"""


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "scenarios = []\n",
            "SHOP-1 has no scenario: A cart holds what was put in it.",
        ),
        (
            'scenarios = ["shop.feature: Alice buys a boat"]\n',
            "SHOP-1 names a scenario that does not exist: shop.feature: Alice buys a boat",
        ),
    ],
    ids=["no scenario", "unknown scenario"],
)
def test_a_contract_rule_without_a_real_scenario_fails(
    tree: SpecTree, table: str, expected: str
) -> None:
    text = tree.table.read_text()
    tree.write("features/traceability.toml", re.sub(r"scenarios = .*\n", table, text))

    report = tree.gate()

    assert report.problems["untraced"] == [expected]


def test_a_missing_traceability_table_fails(tree: SpecTree) -> None:
    tree.table.unlink()

    report = tree.gate()

    assert report.problems["untraced"] == [f"the traceability table {tree.table} is missing"]


def test_a_contract_page_that_agrees_with_the_table_passes(tree: SpecTree) -> None:
    tree.write("docs/contract.md", PAGE)
    tree.configure(bdd_contract_page='"docs/contract.md"')

    report = tree.gate()

    assert report.ok, format_report(report)


def test_a_traced_rule_that_is_no_rule_of_the_contract_page_fails(tree: SpecTree) -> None:
    tree.write("docs/contract.md", PAGE.replace("SHOP-1", "SHOP-2"))
    tree.configure(bdd_contract_page='"docs/contract.md"')

    report = tree.gate()

    assert report.problems["contract"] == [
        "SHOP-1 of the traceability table names no rule of docs/contract.md: "
        "A cart holds what was put in it.",
        "SHOP-2 (docs/contract.md:5) is not in the traceability table: "
        "A cart holds what was put in it.",
    ]


def test_a_rule_of_the_contract_page_missing_from_the_table_fails(tree: SpecTree) -> None:
    page = PAGE.replace("## Carts\n", "## Carts\n\n- **SHOP-2** A cart is emptied at checkout.\n")
    tree.write("docs/contract.md", page)
    tree.configure(bdd_contract_page='"docs/contract.md"')

    report = tree.gate()

    assert not report.ok
    assert report.problems["contract"] == [
        "SHOP-2 (docs/contract.md:5) is not in the traceability table: "
        "A cart is emptied at checkout."
    ]
    assert "FAIL The traceability table and the contract page disagree (1)" in format_report(report)
