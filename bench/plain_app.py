"""The baseline of the read benchmark: a plain FastAPI + SQLAlchemy async + aiosqlite app.

It serves `GET /products/{id}` from the same SQLite file as the store, the way a
tutorial would: one engine with SQLAlchemy's defaults, a session per request, an ORM
`get`, a Pydantic response. No middleware, no error mapping, no write lock.

    PLAIN_DATABASE_URL=sqlite+aiosqlite:///store.db uvicorn bench.plain_app:app
"""

import os
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The plain app's declarative base."""


class Product(Base):
    """The store's product table, as far as a read needs it (price in cents on SQLite)."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer)


class ProductRead(BaseModel):
    """A product as the plain app answers it."""

    id: int
    name: str
    description: str | None
    price: str
    stock: int


engine = create_async_engine(os.environ.get("PLAIN_DATABASE_URL", "sqlite+aiosqlite:///./plain.db"))
sessions = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI()


async def get_session() -> AsyncIterator[AsyncSession]:
    """Open a session for one request."""
    async with sessions() as session:
        yield session


@app.get("/products/{product_id}", response_model=ProductRead)
async def read_product(
    product_id: int, session: Annotated[AsyncSession, Depends(get_session)]
) -> ProductRead:
    """Return one product."""
    product = await session.get(Product, product_id)
    if product is None:
        raise HTTPException(404, "Product not found")
    return ProductRead(
        id=product.id,
        name=product.name,
        description=product.description,
        price=str(Decimal(product.price) / 100),
        stock=product.stock,
    )
