"""The wall clock a running store lives in: time passes for it only by waiting."""

import time
from datetime import UTC, datetime, timedelta

# The longest wait a scenario may ask of a running store; longer ones need @fake_clock.
LONGEST_WAIT = timedelta(seconds=5)


class WallClock:
    """Real time: `advance` waits, for the short intervals a live store is set up with."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        """Wait `delta` out; a longer or backward jump needs the store's fake clock."""
        if not timedelta(0) <= delta <= LONGEST_WAIT:
            raise AssertionError(
                f"a running store's clock cannot move by {delta}: tag the scenario @fake_clock"
            )
        time.sleep(delta.total_seconds())
