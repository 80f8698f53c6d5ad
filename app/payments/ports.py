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
    """No usable answer came back: the charge may or may not have been made.

    Sending the same charge again with the same idempotency key is always safe.
    """


class PaymentGateway(Protocol):
    """Something that charges money, or raises `ProviderUnavailable`."""

    async def charge(self, charge: Charge) -> ChargeResult:
        """Ask for one charge; the same idempotency key always gets the same answer."""
        ...
