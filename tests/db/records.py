"""Rows the database tests build directly, below the services."""

import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Order, OrderItem, OrderStatus
from app.payments.models import Payment
from app.products.models import Product
from app.users.models import User

_numbers = itertools.count(1)


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


async def confirmed_order(session: AsyncSession) -> tuple[User, Order]:
    """Add a shopper and their confirmed order for two teapots at 24.50, committed."""
    n = next(_numbers)
    shopper = User(email=f"payer{n}@example.com", username=f"payer{n}", password_hash="x")
    teapot = Product(name="Blue teapot", price=Decimal("24.50"), stock=5)
    session.add_all([shopper, teapot])
    await session.commit()
    order = Order(
        user_id=shopper.id,
        currency="USD",
        status=OrderStatus.CONFIRMED,
        items=[OrderItem(product_id=teapot.id, quantity=2, unit_price=teapot.price)],
    )
    session.add(order)
    await session.commit()
    return shopper, order
