"""What clients send and receive about products."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

from app.core.money import Amount, amount_schema
from app.core.schemas import NoNul, NotNull, Whole

# An order holds at most 50 products, 1000 of each: with this ceiling its total still fits
# the largest amount the store can charge.
MAX_PRICE = Decimal("100000.00")
MAX_STOCK = 1_000_000_000

ProductName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoNul
]
Description = Annotated[str, Field(max_length=5000), NoNul]
# An amount (CONV-03) of at most MAX_PRICE, written as text: the schema publishes exactly this.
PRICE_PATTERN = r"^(?:[1-9][0-9]{0,4}(?:\.[0-9]{1,2})?|100000(?:\.00?)?|0\.(?:0[1-9]|[1-9][0-9]?))$"
Price = Annotated[
    Amount,
    Field(le=MAX_PRICE),
    WithJsonSchema(amount_schema(maximum=MAX_PRICE, pattern=PRICE_PATTERN), mode="validation"),
]
Stock = Annotated[int, Field(ge=0, le=MAX_STOCK, strict=True), Whole]


class ProductCreate(BaseModel):
    """A new product: its name, an optional description, its price and its stock."""

    model_config = ConfigDict(extra="forbid")

    name: ProductName
    description: Description | None = None
    price: Price
    stock: Stock


class ProductUpdate(BaseModel):
    """A change to a product; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[ProductName | SkipJsonSchema[None], NotNull] = None
    description: Description | None = None
    price: Annotated[Price | SkipJsonSchema[None], NotNull] = None
    stock: Annotated[Stock | SkipJsonSchema[None], NotNull] = None


class ProductRead(BaseModel):
    """A product as the catalogue shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    price: Amount
    stock: int
