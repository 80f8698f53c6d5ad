"""The gate catches each way a specification can be incomplete, without running it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bdd_tree import SpecTree
from pytest_bdd import given, parsers, then, when

from pytest_bdd_toolkit.cli import gate_main
from pytest_bdd_toolkit.gate import format_report

pytestmark = pytest.mark.unit

BIN = Path(sys.executable).parent


def test_a_complete_tree_passes(
    tree: SpecTree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tree.gate()

    assert report.ok, format_report(report)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the command puts the tree on it
    assert gate_main([f"--root={tree.root}"]) == 0
    out = capsys.readouterr().out
    assert "1 feature files, 2 scenarios, 3 step definitions, 1 contract rules" in out
    assert out.strip().endswith("gate passed")


def test_an_undefined_step_fails_with_a_snippet_to_paste(tree: SpecTree) -> None:
    tree.write(
        "features/pay.feature",
        """\
        Feature: Paying
          Scenario: Alice pays
            Given Alice has a cart
            When Alice pays 12.50 for 3 "gift cards"
        """,
    )
    tree.write("steps/test_pay.py", 'from pytest_bdd import scenarios\nscenarios("pay.feature")\n')

    report = tree.gate()

    assert not report.ok
    [entry] = report.problems["undefined"]
    assert entry.startswith('When Alice pays 12.50 for 3 "gift cards"')
    assert "pay.feature:4 (Alice pays)" in entry
    # The feature's other step is defined in shop_steps.py: its new step belongs there too.
    assert "paste into steps/shop_steps.py:" in entry
    code = "\n".join(line[4:] for line in entry.splitlines() if line.startswith("    "))
    namespace = {"given": given, "when": when, "then": then, "parsers": parsers}
    exec(code, namespace)  # the snippet is valid Python that registers a step
    pattern = re.search(r"parsers\.re\(r(['\"])(.*?)\1", code)
    assert pattern is not None
    found = re.fullmatch(pattern.group(2), 'Alice pays 12.50 for 3 "gift cards"')
    assert found is not None
    assert found.groupdict() == {
        "name": "Alice",
        "number": "12.50",
        "number_2": "3",
        "text": "gift cards",
    }


def test_a_step_matching_two_definitions_fails(tree: SpecTree) -> None:
    tree.write(
        "steps/more_steps.py",
        '''\
        from pytest_bdd import given, parsers


        @given(parsers.re(r"^(?P<name>[A-Z][a-z]+) has a cart$"))
        def someone_has_a_cart(name: str) -> None:
            """Give someone a cart."""
        ''',
    )
    tree.write("conftest.py", 'pytest_plugins = ["steps.shop_steps", "steps.more_steps"]\n')

    report = tree.gate()

    assert len(report.problems["ambiguous"]) == 1
    entry = report.problems["ambiguous"][0]
    assert entry.startswith("Given Alice has a cart")
    assert "shop_steps.py" in entry and "more_steps.py" in entry


def test_a_feature_no_test_module_binds_fails(tree: SpecTree) -> None:
    tree.write(
        "features/forgotten.feature",
        """\
        Feature: Forgotten
          Scenario: Nobody runs this
            Given Alice has a cart
        """,
    )

    report = tree.gate()

    assert report.problems["unbound"] == [
        'forgotten.feature: no test module binds it (add scenarios("forgotten.feature") '
        "to steps/test_forgotten.py)"
    ]


def test_a_scenario_left_out_of_a_partial_binding_fails(tree: SpecTree) -> None:
    tree.write(
        "steps/test_shop.py",
        """\
        from pytest_bdd import scenario


        @scenario("shop.feature", "Alice adds a product")
        def test_adds() -> None:
            pass
        """,
    )

    report = tree.gate()

    assert report.problems["unbound"] == ["shop.feature: Alice adds <count> pears"]


def test_a_binding_to_a_missing_feature_fails(tree: SpecTree) -> None:
    tree.write(
        "steps/test_typo.py", 'from pytest_bdd import scenarios\nscenarios("shopp.feature")\n'
    )

    report = tree.gate()

    assert report.problems["dangling"] == ["test_typo.py: 'shopp.feature' names no feature file"]


def test_an_unused_step_definition_fails(tree: SpecTree) -> None:
    tree.write(
        "steps/shop_steps.py",
        (tree.steps / "shop_steps.py").read_text()
        + '\n\n@then("Alice is delighted")\ndef delighted() -> None:\n    """Smile."""\n',
    )

    report = tree.gate()

    [entry] = report.problems["unused"]
    assert entry.endswith("delighted: Then Alice is delighted")


def test_a_steps_module_conftest_does_not_load_fails(tree: SpecTree) -> None:
    tree.write("conftest.py", "pytest_plugins = []\n")

    report = tree.gate()

    assert report.problems["unloaded"] == ["steps/shop_steps.py"]


def test_a_steps_module_that_cannot_be_imported_fails(tree: SpecTree) -> None:
    tree.write("steps/broken_steps.py", "import no_such_module_here\n")
    tree.write("conftest.py", 'pytest_plugins = ["steps.shop_steps", "steps.broken_steps"]\n')

    report = tree.gate()

    [entry] = report.problems["import"]
    assert entry.startswith("steps/broken_steps.py: ModuleNotFoundError")


def test_two_scenarios_with_one_name_fail(tree: SpecTree) -> None:
    text = (tree.features / "shop.feature").read_text()
    tree.write(
        "features/shop.feature", text.replace("Alice adds <count> pears", "Alice adds a product")
    )

    report = tree.gate()

    assert report.problems["duplicate"] == ["shop.feature: Alice adds a product"]


def test_a_feature_with_no_defined_step_gets_a_module_named_after_it(tree: SpecTree) -> None:
    tree.write("features/gifts.feature", "Feature: Gifts\n  Scenario: S\n    Given a gift card\n")
    tree.write(
        "steps/test_gifts.py", 'from pytest_bdd import scenarios\nscenarios("gifts.feature")\n'
    )

    [entry] = tree.gate().problems["undefined"]

    assert "paste into steps/gifts_steps.py:" in entry


def test_undefined_steps_of_wip_scenarios_are_listed_but_do_not_block(tree: SpecTree) -> None:
    tree.write(
        "features/later.feature",
        """\
        Feature: Later
          @wip
          Scenario: Alice redeems a voucher
            Given Alice has a cart
            When Alice redeems the voucher "SPRING"
        """,
    )
    tree.write(
        "steps/test_later.py", 'from pytest_bdd import scenarios\nscenarios("later.feature")\n'
    )

    report = tree.gate()

    assert report.ok, format_report(report)
    [entry] = report.warnings["wip-undefined"]
    assert entry.startswith('When Alice redeems the voucher "SPRING"')
    assert "WARN Steps with no definition in @wip scenarios" in format_report(report)


@pytest.mark.integration
def test_the_command_exits_non_zero_with_the_list(tree: SpecTree) -> None:
    tree.write(
        "features/forgotten.feature", "Feature: F\n  Scenario: S\n    Given Alice has a cart\n"
    )
    command = [str(BIN / "bdd-gate")]

    result = subprocess.run(command, cwd=tree.root, capture_output=True, text=True, check=False)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL Features and scenarios bound by no test module" in result.stdout
    assert "forgotten.feature: no test module binds it" in result.stdout
    assert "gate FAILED: 1 problem(s)" in result.stdout
