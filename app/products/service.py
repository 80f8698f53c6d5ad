"""The rules of the catalogue: anyone reads it, the store admin changes it."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.errors import NotFound
from app.core.pagination import PageParams
from app.products.models import CATALOGUE_SIZE_ID, CatalogueSize, Product
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
    """Return one page of the catalogue, by id, and how many products there are.

    Neither the total nor a deep page walks the table: the total is the count the
    database's triggers keep, and while the ids are exactly 1 to total (products are
    never deleted; the ids leave no gap) the page starts after id `skip`, found through
    the primary key. Should ids ever leave a gap, the page falls back to an OFFSET.
    """
    total = await session.scalar(
        select(CatalogueSize.products).where(CatalogueSize.id == CATALOGUE_SIZE_ID)
    )
    total = total or 0
    if page.skip >= total:
        return [], total
    query = select(Product).order_by(Product.id).limit(page.limit)
    # Two scalar subqueries, so that SQLite finds each end through the index alone.
    lowest, highest = (
        await session.execute(
            select(
                select(func.min(Product.id)).scalar_subquery(),
                select(func.max(Product.id)).scalar_subquery(),
            )
        )
    ).one()
    if lowest == 1 and highest == total:
        query = query.where(Product.id > page.skip)
    else:
        query = query.offset(page.skip)
    products = await session.scalars(query)
    return products.all(), total


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
