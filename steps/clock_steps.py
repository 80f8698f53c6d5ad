"""Time passing in the store, on the scenario's clock."""

from datetime import timedelta

from pytest_bdd import parsers, when

from harness.ports import StoreClock


@when(parsers.re(r"^(?P<minutes>\d+) minutes pass$"), converters={"minutes": int})
def minutes_pass(clock: StoreClock, minutes: int) -> None:
    """Move the store's clock on."""
    clock.advance(timedelta(minutes=minutes))
