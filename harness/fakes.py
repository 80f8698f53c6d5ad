"""Fakes of the service's ports: they keep a record that steps and tests read."""

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.notifications.ports import DeliveryFailed, DeliveryRefused, EmailMessage
from app.payments.ports import (
    Charge,
    ChargeResult,
    ChargeStatus,
    OutcomeUnknown,
    ProviderUnavailable,
)
from harness.ports import HUNG_POLL_SECONDS, ProviderCharge, ProviderMode, ProviderRequest


@dataclass
class FakeClock:
    """A clock that stands still until a scenario moves it on."""

    start: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    current: datetime = field(init=False)
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.current = self.start

    def now(self) -> datetime:
        """Return the scenario's current time."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move time on, and tell whoever waits for a moment to come (the outbox worker)."""
        self.current += delta
        for listener in list(self.listeners):
            listener()

    def on_advance(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` each time the clock moves on; return what unsubscribes it."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def reset(self, start: datetime | None = None) -> None:
        """Go back to the start, for the next scenario."""
        self.current = start or self.start


@dataclass
class FakeMailer:
    """A mail server that keeps every delivered message in an outbox, and can be down."""

    outbox: list[EmailMessage] = field(default_factory=list)
    deferrals: list[str] = field(default_factory=list)
    down: bool = False
    # A slow relay: how long it takes to accept each message.
    delay_seconds: float = 0.0
    no_mailbox: set[str] = field(default_factory=set)
    refusals: list[str] = field(default_factory=list)
    unanswered: set[str] = field(default_factory=set)
    answer_lost: set[str] = field(default_factory=set)

    async def send(self, message: EmailMessage) -> None:
        """Keep the message, or refuse it: for now while down, for good with no mailbox."""
        await asyncio.sleep(self.delay_seconds)
        while message.recipient in self.unanswered:
            await asyncio.sleep(HUNG_POLL_SECONDS)  # hung, until the sender gives up
        if self.down:
            self.deferrals.append(message.recipient)
            raise DeliveryFailed("mail server unavailable")
        if message.recipient in self.no_mailbox:
            self.refusals.append(message.recipient)
            raise DeliveryRefused("SMTPRecipientsRefused 550")
        self.outbox.append(message)
        if message.recipient in self.answer_lost:
            self.answer_lost.discard(message.recipient)
            await asyncio.Event().wait()  # kept, and no answer comes until the sender gives up

    def messages_to(self, recipient: str) -> list[EmailMessage]:
        """Return the messages delivered to one address."""
        return [m for m in self.outbox if m.recipient == recipient]

    def reset(self) -> None:
        """Forget every message, for the next scenario."""
        self.outbox.clear()
        self.deferrals.clear()
        self.down = False
        self.delay_seconds = 0.0
        self.no_mailbox.clear()
        self.refusals.clear()
        self.unanswered.clear()
        self.answer_lost.clear()


# The modes a provider called in process can play; the others need the network.
IN_PROCESS_MODES: frozenset[ProviderMode] = frozenset({"approve", "decline", "error", "lose-reply"})


@dataclass(frozen=True)
class LedgerEntry:
    """A charge the provider made or declined: one per idempotency key."""

    charge: Charge
    transaction_id: str
    status: ChargeStatus


@dataclass
class FakePaymentGateway:
    """A payment provider that keeps a ledger, like a real one dedupes on idempotency keys.

    It approves, declines, is down (nothing happens), or loses its reply (the charge is
    made but the service hears nothing). `hold()` keeps charges waiting until `release()`,
    which a step may call from another thread.
    """

    mode: ProviderMode = "approve"
    next_modes: list[ProviderMode] = field(default_factory=list)
    requests: list[Charge] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    waiting: int = 0
    _released: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._released.set()

    async def charge(self, charge: Charge) -> ChargeResult:
        """Answer a charge as the current mode says; a known key gets its first answer."""
        self.requests.append(charge)
        self.waiting += 1
        deadline = time.monotonic() + 10
        while not self._released.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        self.waiting -= 1
        mode = self.next_modes.pop(0) if self.next_modes else self.mode
        if mode == "error":
            raise ProviderUnavailable("the provider is down")
        entry = next(
            (e for e in self.ledger if e.charge.idempotency_key == charge.idempotency_key), None
        )
        if entry is None:
            status = ChargeStatus.DECLINED if mode == "decline" else ChargeStatus.SUCCEEDED
            entry = LedgerEntry(charge, f"txn_{len(self.ledger) + 1:04d}", status)
            self.ledger.append(entry)
        if mode == "lose-reply":
            raise OutcomeUnknown("the reply was lost")
        return ChargeResult(entry.transaction_id, entry.status)

    def behave(self, mode: ProviderMode) -> None:
        """Answer every charge from now on as `mode` says."""
        self.mode = _playable(mode)

    def behave_next(self, mode: ProviderMode) -> None:
        """Answer the next charge as `mode` says."""
        self.next_modes.append(_playable(mode))

    def asked(self) -> list[ProviderRequest]:
        """Every charge the store asked for, in order."""
        return [
            ProviderRequest(c.reference, str(c.amount), c.currency, c.idempotency_key)
            for c in self.requests
        ]

    def made(self) -> list[ProviderCharge]:
        """Every charge made or declined, in order."""
        return [
            ProviderCharge(
                e.charge.reference,
                str(e.charge.amount),
                e.charge.currency,
                e.charge.idempotency_key,
                e.transaction_id,
                e.status.value,
            )
            for e in self.ledger
        ]

    def hold(self) -> None:
        """Keep every charge waiting until `release()`."""
        self._released.clear()

    def release(self) -> None:
        """Let waiting charges go on."""
        self._released.set()

    def reset(self) -> None:
        """Approve again and forget every charge, for the next scenario."""
        self.release()
        self.mode = "approve"
        self.next_modes.clear()
        self.requests.clear()
        self.ledger.clear()
        self.waiting = 0


def _playable(mode: ProviderMode) -> ProviderMode:
    if mode not in IN_PROCESS_MODES:
        raise ValueError(
            f"the provider in process cannot play {mode!r}: tag the scenario @network_provider"
        )
    return mode
