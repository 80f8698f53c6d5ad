"""The catalogue's pages: the total kept by triggers, deep pages found by id, gaps handled."""

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import PageParams
from app.products.schemas import ProductCreate
from app.products.service import create_product, list_products
from harness.fakes import FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]


async def _add(session: AsyncSession, count: int) -> None:
    for n in range(count):
        data = ProductCreate(name=f"Thing {n}", price=Decimal("1.00"), stock=1)
        await create_product(session=session, data=data, clock=FakeClock())


async def _page(session: AsyncSession, skip: int, limit: int) -> tuple[list[int], int]:
    products, total = await list_products(session=session, page=PageParams(skip=skip, limit=limit))
    ids = [product.id for product in products]
    await session.rollback()
    return ids, total


async def test_the_total_follows_every_insert_and_delete(session: AsyncSession) -> None:
    assert await _page(session, 0, 10) == ([], 0)
    await _add(session, 3)
    assert await _page(session, 0, 10) == ([1, 2, 3], 3)
    await session.execute(text("DELETE FROM product WHERE id = 3"))
    await session.commit()
    assert await _page(session, 0, 10) == ([1, 2], 2)


async def test_pages_come_by_id_and_a_page_beyond_the_last_is_empty(
    session: AsyncSession,
) -> None:
    await _add(session, 7)
    assert await _page(session, 0, 3) == ([1, 2, 3], 7)
    assert await _page(session, 5, 3) == ([6, 7], 7)
    assert await _page(session, 7, 3) == ([], 7)


async def test_a_gap_in_the_ids_falls_back_to_counting_rows(session: AsyncSession) -> None:
    await _add(session, 6)
    await session.execute(text("DELETE FROM product WHERE id = 2"))
    await session.commit()
    # ids 1, 3, 4, 5, 6: the third product is id 4, not id 3.
    assert await _page(session, 2, 2) == ([4, 5], 5)
