"""Fakes of the service's ports: they keep a record that steps and tests read."""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.notifications.ports import DeliveryFailed, EmailMessage


@dataclass
class FakeClock:
    """A clock that stands still until a scenario moves it on."""

    start: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    current: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.current = self.start

    def now(self) -> datetime:
        """Return the scenario's current time."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move time on."""
        self.current += delta

    def reset(self, start: datetime | None = None) -> None:
        """Go back to the start, for the next scenario."""
        self.current = start or self.start


@dataclass
class FakeMailer:
    """A mail server that keeps every delivered message in an outbox, and can be down."""

    outbox: list[EmailMessage] = field(default_factory=list)
    failed_attempts: int = 0
    down: bool = False

    async def send(self, message: EmailMessage) -> None:
        """Keep the message, or refuse it while the server is down."""
        await asyncio.sleep(0)
        if self.down:
            self.failed_attempts += 1
            raise DeliveryFailed("mail server unavailable")
        self.outbox.append(message)

    def messages_to(self, recipient: str) -> list[EmailMessage]:
        """Return the messages delivered to one address."""
        return [m for m in self.outbox if m.recipient == recipient]

    def reset(self) -> None:
        """Forget every message, for the next scenario."""
        self.outbox.clear()
        self.failed_attempts = 0
        self.down = False
