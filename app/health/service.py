"""The health check's probes: can the store read its database, and can it write to it."""

from datetime import UTC, datetime

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure
from app.core.db import Database

# The probe's row: a key no sign-in ever has (theirs are "name:<digest>").
PROBE_KEY = "health:probe"


async def can_read(database: Database) -> None:
    """Run a query that reads nothing; raise whatever keeps the database from answering."""
    async with database.session(read_only=True) as session:
        await session.execute(text("SELECT 1"))


async def can_write(database: Database) -> None:
    """Write a row and take it back in one committed transaction; raise if the store cannot.

    Only a commit shows a full disk; a read-only file or a standby refuses the insert.
    The sign-in failures' table serves: it has no foreign keys, and nothing reads this key.
    """
    async with database.session() as session:
        await _probe(session)


async def _probe(session: AsyncSession) -> None:
    session.add(LoginFailure(account_key=PROBE_KEY, failed_at=datetime.now(UTC)))
    await session.flush()
    await session.execute(delete(LoginFailure).where(LoginFailure.account_key == PROBE_KEY))
    await session.commit()
