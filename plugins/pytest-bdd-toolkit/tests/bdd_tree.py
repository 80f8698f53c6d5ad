"""A small specification tree (features, steps, bindings, traceability, settings) on disk."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd_toolkit.gate import GateReport, run_gate
from pytest_bdd_toolkit.settings import from_files

SHOP_FEATURE = """\
Feature: Shopping
  Alice fills her cart.

  Rule: A cart holds what was put in it

    Scenario: Alice adds a product
      Given Alice has a cart
      When Alice adds 2 "apples"
      Then Alice's cart holds 2 items

    Scenario Outline: Alice adds <count> pears
      Given Alice has a cart
      When Alice adds <count> "pears"
      Then Alice's cart holds <count> items

      Examples:
        | count |
        | 1     |
        | 3     |
"""

SHOP_STEPS = '''\
from pytest_bdd import given, parsers, then, when


@given("Alice has a cart")
def has_cart() -> None:
    """Give Alice an empty cart."""


@when(parsers.parse('Alice adds {count:d} "{product}"'))
def adds(count: int, product: str) -> None:
    """Put products in the cart."""


@then(parsers.re(r"^Alice's cart holds (?P<count>\\d+) items$"))
def holds(count: str) -> None:
    """Count what is in the cart."""
'''

TRACEABILITY = """\
[[rule]]
id = "SHOP-1"
section = "Carts"
contract = "A cart holds what was put in it."
scenarios = ["shop.feature: Alice adds a product"]
"""

SETTINGS = {
    "bdd_features_dir": '"features"',
    "bdd_step_modules": '["steps/*_steps.py"]',
    "bdd_binding_modules": '["steps/test_*.py"]',
    "bdd_traceability": '"features/traceability.toml"',
}


@dataclass
class SpecTree:
    """A throwaway project: features/, steps/, conftest.py, a table and its pyproject.toml."""

    root: Path

    @property
    def features(self) -> Path:
        """Return the features folder."""
        return self.root / "features"

    @property
    def steps(self) -> Path:
        """Return the steps folder."""
        return self.root / "steps"

    @property
    def table(self) -> Path:
        """Return the traceability table."""
        return self.features / "traceability.toml"

    def write(self, relative: str, text: str) -> Path:
        """Write a file of the tree, dedenting the text."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def configure(self, **options: str) -> None:
        """Write the tree's pytest settings: the defaults, with `options` (TOML values) added."""
        values = {**SETTINGS, **options}
        lines = ["[tool.pytest.ini_options]", *(f"{k} = {v}" for k, v in values.items())]
        self.write("pyproject.toml", "\n".join(lines) + "\n")

    def gate(self) -> GateReport:
        """Run the gate on this tree, with the settings of its pyproject.toml."""
        return run_gate(from_files(self.root))


def make_tree(root: Path) -> SpecTree:
    """Write a complete, consistent tree: the gate passes on it."""
    spec = SpecTree(root)
    spec.write("features/shop.feature", SHOP_FEATURE)
    spec.write("steps/__init__.py", "")
    spec.write("steps/shop_steps.py", SHOP_STEPS)
    spec.write(
        "steps/test_shop.py", 'from pytest_bdd import scenarios\n\nscenarios("shop.feature")\n'
    )
    spec.write("conftest.py", 'pytest_plugins = ["steps.shop_steps"]\n')
    spec.write("features/traceability.toml", TRACEABILITY)
    spec.configure()
    return spec
