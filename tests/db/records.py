"""Rows the database tests build directly, below the services."""

from typing import Any

from app.orders.models import Order
from app.payments.models import Payment


def payment_record(order: Order, **overrides: Any) -> Payment:
    """Return a first-attempt payment of the order's total; `overrides` change any column."""
    values: dict[str, Any] = {
        "order_id": order.id,
        "attempt": 1,
        "provider_key": f"order-{order.id}-attempt-1",
        "amount": order.total,
        "currency": order.currency,
    }
    return Payment(**(values | overrides))
