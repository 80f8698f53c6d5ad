"""Time passing in the store, on the scenario's clock."""

from datetime import UTC, datetime, timedelta

from pytest_bdd import given, parsers, when

from harness.ports import StoreClock

# "A few seconds": as long as a running store's clock may be made to wait.
A_FEW_SECONDS = timedelta(seconds=5)


@when(parsers.re(r"^(?:(?P<count>\d+) (?P<unit>minutes|seconds) pass|a few seconds pass)$"))
def time_passes(clock: StoreClock, count: str | None, unit: str | None) -> None:
    """Move the store's clock on."""
    clock.advance(timedelta(**{unit: int(count)}) if unit and count else A_FEW_SECONDS)


@given(parsers.re(r"^the store's clock is a day (?P<off>ahead of|behind) the world's$"))
def store_clock_a_day_off(clock: StoreClock, off: str) -> None:
    """Set the store's clock a day off the machine's own (a scenario's clock, @fake_clock)."""
    day = timedelta(days=1) if off == "ahead of" else -timedelta(days=1)
    clock.advance(datetime.now(UTC) + day - clock.now())
