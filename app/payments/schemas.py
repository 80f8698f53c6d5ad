"""What clients send and receive about payments."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.core.config import Currency
from app.core.money import Amount
from app.orders.schemas import EntityId
from app.payments.models import Payment


class PaymentCreate(BaseModel):
    """A payment for an order: the amount and currency must be the order's."""

    model_config = ConfigDict(extra="forbid")

    order_id: EntityId
    amount: Amount
    currency: Currency


class PaymentRead(BaseModel):
    """A successful payment."""

    id: int
    order_id: int
    transaction_id: str
    status: Literal["success"]
    amount: Amount
    currency: Currency

    @classmethod
    def of(cls, payment: Payment) -> "PaymentRead":
        """Describe a payment the provider accepted."""
        return cls.model_validate(
            {
                "id": payment.id,
                "order_id": payment.order_id,
                "transaction_id": payment.transaction_id,
                "status": "success",
                "amount": payment.amount,
                "currency": payment.currency,
            }
        )
