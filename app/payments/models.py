"""Payment attempts, and the idempotency keys clients send with them."""

from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.types import MoneyColumn, UTCDateTime, utcnow


class PaymentStatus(StrEnum):
    """What became of one attempt to charge an order."""

    # No outcome is known yet: the charge is at the provider now (`completed_at` unset,
    # younger than CHARGE_IN_FLIGHT), or its request ended without a usable answer
    # (`completed_at` set) or died. Until its key is replayed, it may have been charged.
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    # The provider did not take the charge (unreachable, or an error status): none was made.
    UNAVAILABLE = "unavailable"
    # The provider charged, but another attempt had already recorded the order's payment:
    # with the same transaction id, it is that same charge answered twice, not more money.
    DUPLICATE = "duplicate"


_STATUSES = ", ".join(f"'{status}'" for status in PaymentStatus)
_SUCCEEDED = text(f"status = '{PaymentStatus.SUCCEEDED}'")

# A charge still pending after this long belongs to a request that died: its outcome is
# unknown, and it is settled by replaying its key, as one whose reply was lost.
CHARGE_IN_FLIGHT = timedelta(minutes=5)


class Payment(Base):
    """One call to the payment provider for an order, and its outcome.

    `attempt` follows the last declined one: a retry after an outage keeps the attempt,
    and so the provider key, so the provider never charges twice. An order has one
    succeeded payment at most, the one its revenue counts.
    """

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        Index("ix_payment_order_id", "order_id"),
        Index(
            "uq_payment_order_id_succeeded",
            "order_id",
            unique=True,
            sqlite_where=_SUCCEEDED,
            postgresql_where=_SUCCEEDED,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"))
    attempt: Mapped[int] = mapped_column(Integer)
    provider_key: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default=PaymentStatus.PENDING)
    amount: Mapped[Decimal] = mapped_column(MoneyColumn)
    currency: Mapped[str] = mapped_column(String(3))
    transaction_id: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class IdempotencyKey(Base):
    """A client's `Idempotency-Key`: claimed while its request runs, then its outcome.

    `locked_until` is set while a request holds the key (a request that died lets it go
    when that time passes); `payment_id` names the completed outcome to answer again.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_key_user_id_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
