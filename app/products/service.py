"""The rules of the catalogue: anyone reads it, the store admin changes it."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.errors import NotFound
from app.core.pagination import PageParams
from app.products.models import Product
from app.products.schemas import ProductCreate, ProductUpdate

PRODUCT_NOT_FOUND = "Product not found"


async def create_product(*, session: AsyncSession, data: ProductCreate, clock: Clock) -> Product:
    """Add a product to the catalogue."""
    now = clock.now()
    product = Product(**data.model_dump(), created_at=now, updated_at=now)
    session.add(product)
    await session.commit()
    return product


async def get_product(*, session: AsyncSession, product_id: int) -> Product:
    """Return a product, or raise `NotFound`."""
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound(PRODUCT_NOT_FOUND)
    return product


async def list_products(
    *, session: AsyncSession, page: PageParams
) -> tuple[Sequence[Product], int]:
    """Return one page of the catalogue, by id, and how many products there are."""
    total = await session.scalar(select(func.count()).select_from(Product))
    products = await session.scalars(
        select(Product).order_by(Product.id).offset(page.skip).limit(page.limit)
    )
    return products.all(), total or 0


async def update_product(
    *, session: AsyncSession, product_id: int, data: ProductUpdate, clock: Clock
) -> Product:
    """Change the fields of a product that the update names."""
    product = await get_product(session=session, product_id=product_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(product, field, value)
    product.updated_at = clock.now()
    await session.commit()
    return product
