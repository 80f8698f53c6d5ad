"""The product table, the catalogue, and the count of it the database keeps."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DDL, CheckConstraint, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.types import MoneyColumn, UTCDateTime, utcnow


class Product(Base):
    """Something the store sells, at a price, with the units it has in stock."""

    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    price: Mapped[Decimal] = mapped_column(MoneyColumn)
    stock: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CatalogueSize(Base):
    """How many products there are: one row, kept by triggers on `product`.

    A list's `total` reads it instead of counting the table. No row means no product
    (a TRUNCATE of both tables leaves none); the first insert makes it.
    """

    __tablename__ = "catalogue_size"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    products: Mapped[int] = mapped_column(Integer)


CATALOGUE_SIZE_ID = 1
# The same statements as migration 0003, so that `metadata.create_all` counts too.
_COUNT_ONE_MORE = (
    "INSERT INTO catalogue_size (id, products) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET products = catalogue_size.products + 1"
)
_COUNT_ONE_LESS = "UPDATE catalogue_size SET products = catalogue_size.products - 1 WHERE id = 1"
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER product_counted AFTER INSERT ON product BEGIN {_COUNT_ONE_MORE}; END",
    f"CREATE TRIGGER product_uncounted AFTER DELETE ON product BEGIN {_COUNT_ONE_LESS}; END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION count_products() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF TG_OP = 'INSERT' THEN {_COUNT_ONE_MORE}; "
    f"ELSIF TG_OP = 'DELETE' THEN {_COUNT_ONE_LESS}; "
    "ELSE DELETE FROM catalogue_size; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER product_counted AFTER INSERT OR DELETE ON product "
    "FOR EACH ROW EXECUTE FUNCTION count_products()",
    "CREATE TRIGGER product_truncated AFTER TRUNCATE ON product "
    "FOR EACH STATEMENT EXECUTE FUNCTION count_products()",
)
for _dialect, _statements in (("sqlite", SQLITE_TRIGGERS), ("postgresql", POSTGRESQL_TRIGGERS)):
    for _statement in _statements:
        _ddl = DDL(_statement).execute_if(dialect=_dialect)  # type: ignore[no-untyped-call]
        event.listen(Product.__table__, "after_create", _ddl)
