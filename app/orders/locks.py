"""The order's row lock: what pay, cancel and the settling of a charge take in turn."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Order


async def lock_order(*, session: AsyncSession, order_id: int) -> None:
    """Lock the order's row until the transaction ends, before anything reads or moves it.

    On PostgreSQL, `SELECT ... FOR UPDATE`: under READ COMMITTED each later statement
    then sees what the transaction that held the lock committed, so a cancel's check for
    a charge under way cannot run on a snapshot taken before that charge was recorded.
    SQLite takes its one write lock when the transaction begins (`BEGIN IMMEDIATE`), and
    SQLAlchemy leaves `FOR UPDATE` out there.
    """
    await session.execute(select(Order.id).where(Order.id == order_id).with_for_update())
