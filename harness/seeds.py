"""The Faker seeds of a run and of each scenario in it."""

import zlib

import pytest

FAKER_SEED_KEY = pytest.StashKey[int]()


def run_seed(config: pytest.Config) -> int:
    """Return the run's Faker seed."""
    return config.stash[FAKER_SEED_KEY]


def scenario_seed(config: pytest.Config, nodeid: str) -> int:
    """Derive a scenario's Faker seed from the run's seed and the scenario's id."""
    return zlib.crc32(f"{run_seed(config)}:{nodeid}".encode())


def replay_command(config: pytest.Config, nodeid: str) -> str:
    """Return the command that replays one scenario with exactly the same data."""
    return f"pytest '{nodeid}' --faker-seed {run_seed(config)}"


def replay_hint(config: pytest.Config, nodeid: str) -> str:
    """Tell how to replay one scenario with exactly the same data."""
    return (
        f"scenario seed {scenario_seed(config, nodeid)}; "
        f"replay with: {replay_command(config, nodeid)}"
    )
