"""Time passing in the store, on the scenario's clock."""

from datetime import timedelta

from pytest_bdd import parsers, when

from harness.ports import StoreClock

# "A few seconds": as long as a running store's clock may be made to wait.
A_FEW_SECONDS = timedelta(seconds=5)


@when(parsers.re(r"^(?:(?P<count>\d+) (?P<unit>minutes|seconds) pass|a few seconds pass)$"))
def time_passes(clock: StoreClock, count: str | None, unit: str | None) -> None:
    """Move the store's clock on."""
    clock.advance(timedelta(**{unit: int(count)}) if unit and count else A_FEW_SECONDS)
