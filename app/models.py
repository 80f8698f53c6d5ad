"""Every table of the service, imported in one place for Alembic and the test harness."""

from app.auth.models import LoginFailure
from app.core.db import Base
from app.notifications.models import OutboxMessage
from app.orders.models import Order, OrderItem
from app.payments.models import IdempotencyKey, Payment
from app.products.models import Product
from app.users.models import User

metadata = Base.metadata

__all__ = [
    "IdempotencyKey",
    "LoginFailure",
    "Order",
    "OrderItem",
    "OutboxMessage",
    "Payment",
    "Product",
    "User",
    "metadata",
]
