"""What clients send and receive about orders."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.config import Currency
from app.core.deps import MAX_ID
from app.core.money import Amount
from app.core.schemas import Whole
from app.orders.models import OrderStatus

MAX_ITEMS = 50
MAX_QUANTITY = 1000

EntityId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True), Whole]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY, strict=True), Whole]


class OrderItemCreate(BaseModel):
    """So many units of one product."""

    model_config = ConfigDict(extra="forbid")

    product_id: EntityId
    quantity: Quantity


class OrderCreate(BaseModel):
    """A new order: 1 to 50 items; the same product twice becomes one item."""

    model_config = ConfigDict(extra="forbid")

    items: Annotated[list[OrderItemCreate], Field(min_length=1, max_length=MAX_ITEMS)]

    @field_validator("items")
    @classmethod
    def _merge_same_products(cls, items: list[OrderItemCreate]) -> list[OrderItemCreate]:
        """Merge items of the same product, by product id; the quantity limit holds after."""
        merged: dict[int, int] = {}
        for item in items:
            merged[item.product_id] = merged.get(item.product_id, 0) + item.quantity
        for product_id, quantity in merged.items():
            if quantity > MAX_QUANTITY:
                raise ValueError(
                    f"At most {MAX_QUANTITY} units of product {product_id} in one order"
                )
        return [
            OrderItemCreate(product_id=product_id, quantity=quantity)
            for product_id, quantity in sorted(merged.items())
        ]


class OrderItemRead(BaseModel):
    """An item of an order, at its frozen unit price."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price: Amount


class OrderRead(BaseModel):
    """An order as its shopper sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    status: OrderStatus
    items: list[OrderItemRead]
    total: Amount
    currency: Currency
    created_at: datetime
