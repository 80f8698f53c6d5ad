"""Reaching a store's database past its API: the one door for what no client can see or do.

A scenario uses it only where its rule is about what the store keeps (how a password
is stored) or where a Given truly cannot be reached through the API.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from anyio.from_thread import BlockingPortal
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database

T = TypeVar("T")


def directly(
    portal: BlockingPortal, database: Database, work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    """Run `work` in a session of the store's own database and return what it returns."""

    async def run() -> T:
        async with database.session() as session:
            return await work(session)

    return portal.call(run)
