"""Orders and their items."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.config import SUPPORTED_CURRENCIES
from app.core.db import Base
from app.core.types import MoneyColumn, UTCDateTime, utcnow


class OrderStatus(StrEnum):
    """Where an order is in its life: pending → confirmed → paid, or cancelled."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    PAID = "paid"
    CANCELLED = "cancelled"


_STATUSES = ", ".join(f"'{status}'" for status in OrderStatus)
_CURRENCIES = ", ".join(f"'{currency}'" for currency in SUPPORTED_CURRENCIES)


class Order(Base):
    """A shopper's order: its items at the prices of the moment it was placed."""

    __tablename__ = "order"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint(f"currency IN ({_CURRENCIES})", name="currency_known"),
        Index("ix_order_user_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order",
        lazy="selectin",
        order_by="OrderItem.product_id",
        cascade="all, delete-orphan",
    )

    @property
    def total(self) -> Decimal:
        """Return the sum of quantity × unit price over the items."""
        return sum((item.quantity * item.unit_price for item in self.items), Decimal("0.00"))


class OrderItem(Base):
    """So many units of one product, at the unit price frozen when the order was placed."""

    __tablename__ = "order_item"
    __table_args__ = (
        UniqueConstraint("order_id", "product_id", name="uq_order_item_order_id_product_id"),
        CheckConstraint("quantity BETWEEN 1 AND 1000", name="quantity_in_range"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
        Index("ix_order_item_product_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(MoneyColumn)

    order: Mapped[Order] = relationship(back_populates="items")
