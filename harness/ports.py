"""What steps read and steer, however the store runs: its mail, its payment provider, its clock.

In process these are the fakes the app is wired to (`harness.fakes`). Against a running
server they are the real SMTP sink it sends to (`harness.mailserver`), the payment
provider it charges over HTTP (`harness.provider`) and the wall clock
(`harness.live.clock`). Each side records the same facts, so that a step reads them
without knowing which side it has.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from app.notifications.ports import EmailMessage

# How the provider behaves for a charge. The fake in process plays the first four; the
# provider over the network plays them all.
ProviderMode = Literal[
    "approve",
    "decline",
    "error",
    "lose-reply",
    "slow",
    "trickle",
    "malformed",
    "no-id",
    "unreachable",
]


@dataclass(frozen=True)
class ProviderRequest:
    """A charge the store asked the provider for, as the provider received it."""

    reference: str
    amount: str
    currency: str
    idempotency_key: str


@dataclass(frozen=True)
class ProviderCharge:
    """A charge the provider made or declined: one per idempotency key."""

    reference: str
    amount: str
    currency: str
    idempotency_key: str
    transaction_id: str
    status: str


class PaymentProvider(Protocol):
    """The payment provider the store charges: steered by Givens, read by Thens."""

    @property
    def waiting(self) -> int:
        """How many charges the provider holds unanswered now."""
        ...

    def behave(self, mode: ProviderMode) -> None:
        """Answer every charge from now on as `mode` says."""
        ...

    def behave_next(self, mode: ProviderMode) -> None:
        """Answer the next charge as `mode` says, then as before."""
        ...

    def hold(self) -> None:
        """Keep every charge unanswered until `release`."""
        ...

    def release(self) -> None:
        """Answer the charges held."""
        ...

    def asked(self) -> list[ProviderRequest]:
        """Every charge the store asked for, in order."""
        ...

    def made(self) -> list[ProviderCharge]:
        """Every charge the provider made or declined, in order."""
        ...

    def reset(self) -> None:
        """Approve again and forget every charge, for the next scenario."""
        ...


# How often a hung mail server looks whether it should answer again (a scenario ended).
HUNG_POLL_SECONDS = 0.05


class MailOutbox(Protocol):
    """The mail server the store delivers to: it can be down, and it keeps what it got."""

    down: bool
    # Each "try again later" while down, by the address tried, in order.
    deferrals: list[str]
    # How long the server takes to accept each message (a slow relay); 0 by default.
    delay_seconds: float
    # Addresses it has no mailbox for: their messages are refused for good (550).
    no_mailbox: set[str]
    # Each refusal for good, by the address refused, in order.
    refusals: list[str]
    # Addresses whose messages it takes and then never answers for, as a hung relay does.
    unanswered: set[str]
    # Addresses whose next message it keeps and then never answers for: the sender cannot
    # tell that it was taken (WORLD-12), and sends it again.
    answer_lost: set[str]

    def messages_to(self, recipient: str) -> list[EmailMessage]:
        """The messages delivered to one address."""
        ...

    def reset(self) -> None:
        """Forget every message and be up again, for the next scenario."""
        ...


class StoreClock(Protocol):
    """The time the store lives in."""

    def now(self) -> datetime:
        """The store's current time."""
        ...

    def advance(self, delta: timedelta) -> None:
        """Let `delta` pass for the store."""
        ...


class StoreServers(Protocol):
    """The store's server processes, as the suite started them (--live-server)."""

    def kill_one_and_start_again(self) -> None:
        """Kill one server outright (SIGKILL), then start it again on its port."""
        ...
