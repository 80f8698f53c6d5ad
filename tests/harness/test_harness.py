"""The harness's promises, checked by running small specifications through it.

Each test writes a feature and its bindings into a temporary folder and runs pytest on
it with the project's conftest.py loaded as a plugin (`-p conftest`), as a developer's
run would load it.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

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


def run_spec(folder: Path, feature: str, steps: str, *args: str, **env: str) -> str:
    (folder / "spec.feature").write_text(feature)
    (folder / "test_spec.py").write_text(steps)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            str(folder),
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", **env},
    )
    return result.stdout + result.stderr


def test_an_async_step_fails_loudly_instead_of_passing(tmp_path: Path) -> None:
    feature = "Feature: Guard\n  Scenario: An async step\n    Given an async step\n"
    output = run_spec(tmp_path, feature, ASYNC_STEP)
    assert "1 failed" in output, output
    assert "is defined with 'async def'" in output


def test_a_faker_seed_replays_every_scenario_exactly(tmp_path: Path) -> None:
    feature = (
        "Feature: Seeds\n"
        "  Scenario: First\n    Given Faker makes a shopper\n"
        "  Scenario: Second\n    Given Faker makes a shopper\n"
    )
    runs = []
    for seed in ("7", "7", "8"):
        shoppers = tmp_path / f"shoppers-{len(runs)}.txt"
        output = run_spec(
            tmp_path, feature, RECORDING_STEPS, "--faker-seed", seed, SHOPPERS=str(shoppers)
        )
        assert "2 passed" in output, output
        assert f"faker seed: {seed}" in output
        runs.append(shoppers.read_text().splitlines())
    assert runs[0] == runs[1], "the same run seed made different data"
    assert runs[0] != runs[2], "another run seed made the same data"
    first, second = runs[0]
    assert first.split()[1:] != second.split()[1:], "two scenarios got the same data"


def test_one_scenario_alone_gets_the_data_it_got_in_the_full_run(tmp_path: Path) -> None:
    feature = (
        "Feature: Seeds\n"
        "  Scenario: First\n    Given Faker makes a shopper\n"
        "  Scenario: Second\n    Given Faker makes a shopper\n"
    )
    full, alone = tmp_path / "full.txt", tmp_path / "alone.txt"
    run_spec(tmp_path, feature, RECORDING_STEPS, "--faker-seed", "11", SHOPPERS=str(full))
    run_spec(
        tmp_path,
        feature,
        RECORDING_STEPS,
        "--faker-seed",
        "11",
        "-k",
        "second",
        SHOPPERS=str(alone),
    )
    assert alone.read_text().splitlines() == full.read_text().splitlines()[1:]
