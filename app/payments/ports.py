"""The payment gateway port: how the service asks a provider to charge money."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True)
class Charge:
    """A request to charge an amount, under the idempotency key the provider dedupes on."""

    amount: Decimal
    currency: str
    reference: str
    idempotency_key: str


class ChargeStatus(StrEnum):
    """What the provider decided."""

    SUCCEEDED = "succeeded"
    DECLINED = "declined"


@dataclass(frozen=True)
class ChargeResult:
    """The provider's answer to a charge."""

    transaction_id: str
    status: ChargeStatus


class ProviderUnavailable(Exception):
    """The provider did not take the charge: it could not be reached, or refused to serve.

    Nothing was charged. Sending the same charge again with the same key is always safe.
    """


class OutcomeUnknown(ProviderUnavailable):
    """The charge reached the provider, but no usable answer came back (a timeout, a lost
    or unreadable reply): it may or may not have been made.

    Only sending it again under the same idempotency key tells which: the provider then
    answers with its first outcome and charges nothing new.
    """


class PaymentGateway(Protocol):
    """Something that charges money, or raises `ProviderUnavailable`."""

    async def charge(self, charge: Charge) -> ChargeResult:
        """Ask for one charge; the same idempotency key always gets the same answer."""
        ...
