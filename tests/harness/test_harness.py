"""The harness's promises, checked by running small specifications through it.

Each test writes a feature and its bindings into a temporary folder and runs pytest on
it with the project's conftest.py as its conftest, as a developer's run would load it.
The runs are in process (pytester): a subprocess would pay the whole start-up (about
2.5 s) for each of the six runs.
"""

from pathlib import Path

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[2] / "conftest.py"
pytest_plugins = ["pytester"]
pytestmark = [pytest.mark.integration]

ASYNC_STEP = """
from pytest_bdd import given, scenarios

scenarios("spec.feature", features_base_dir=__file__.rsplit("/", 1)[0])


@given("an async step")
async def an_async_step() -> None:
    raise AssertionError("this step is never awaited")
"""

RECORDING_STEPS = """
import os

from pytest_bdd import given, scenarios

scenarios("spec.feature", features_base_dir=__file__.rsplit("/", 1)[0])


@given("Faker makes a shopper")
def makes_a_shopper(fake, request) -> None:
    with open(os.environ["SHOPPERS"], "a") as out:
        out.write(f"{request.node.name} {fake.name()} {fake.email()}\\n")
"""


def run_spec(pytester: pytest.Pytester, feature: str, steps: str, *args: str) -> str:
    """Run a small specification through the harness, in this process: no start-up to pay.

    The folder's conftest.py is the project's own, as a developer's run loads it. The
    inner run imports by path (`importlib`), so that no other `conftest` module this
    process has imported stands in for it; pytester keeps its plugins and folder apart.
    """
    pytester.makeconftest(ROOT_CONFTEST.read_text())
    pytester.makefile(".feature", spec=feature)
    pytester.makepyfile(test_spec=steps)
    result = pytester.runpytest_inprocess(
        "--import-mode=importlib", "-p", "no:randomly", "-p", "no:cacheprovider",
        "-o", "asyncio_default_fixture_loop_scope=function",
        "--rootdir", str(pytester.path), str(pytester.path), *args,
    )  # fmt: skip
    return "\n".join(result.outlines + result.errlines)


def test_an_async_step_fails_loudly_instead_of_passing(pytester: pytest.Pytester) -> None:
    feature = "Feature: Guard\n  Scenario: An async step\n    Given an async step\n"
    output = run_spec(pytester, feature, ASYNC_STEP)
    assert "1 failed" in output, output
    assert "is defined with 'async def'" in output


SEEDS_FEATURE = (
    "Feature: Seeds\n"
    "  Scenario: First\n    Given Faker makes a shopper\n"
    "  Scenario: Second\n    Given Faker makes a shopper\n"
)


def _shoppers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, name: str, *args: str
) -> tuple[str, list[str]]:
    shoppers = pytester.path / f"{name}.txt"
    monkeypatch.setenv("SHOPPERS", str(shoppers))
    output = run_spec(pytester, SEEDS_FEATURE, RECORDING_STEPS, *args)
    return output, shoppers.read_text().splitlines()


def test_a_faker_seed_replays_every_scenario_exactly(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = []
    for n, seed in enumerate(("7", "7", "8")):
        output, shoppers = _shoppers(pytester, monkeypatch, f"run-{n}", "--faker-seed", seed)
        assert "2 passed" in output, output
        assert f"faker seed: {seed}" in output
        runs.append(shoppers)
    assert runs[0] == runs[1], "the same run seed made different data"
    assert runs[0] != runs[2], "another run seed made the same data"
    first, second = runs[0]
    assert first.split()[1:] != second.split()[1:], "two scenarios got the same data"


def test_one_scenario_alone_gets_the_data_it_got_in_the_full_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, full = _shoppers(pytester, monkeypatch, "full", "--faker-seed", "11")
    _, alone = _shoppers(pytester, monkeypatch, "alone", "--faker-seed", "11", "-k", "second")
    assert alone == full[1:]
