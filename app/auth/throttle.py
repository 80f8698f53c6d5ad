"""Sign-in throttling: failures counted per account, one attempt per account at a time.

A bucket is the account a name resolves to (by username or email), or a digest of a
name that matches none: no typed text is stored. The attempts of one bucket are
serialized for the whole check, so guesses sent at once cannot slip under the limit,
and only real failures are counted: right passwords sent at once are never refused.
"""

import asyncio
import hashlib
import math
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure
from app.core.errors import TooManyRequests

TOO_MANY_FAILURES = "Too many failed sign-in attempts"
# In one process (SQLite is served by one), a lock per bucket; PostgreSQL holds an
# advisory lock in the attempt's transaction, which every replica sees.
_local_locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = weakref.WeakValueDictionary()


def bucket_of(*, user_id: int | None, name: str) -> str:
    """Name the throttling bucket of an account, or of a name that matches none."""
    if user_id is not None:
        return f"user:{user_id}"
    return "name:" + hashlib.sha256(name.lower().encode()).hexdigest()[:64]


@asynccontextmanager
async def one_attempt_at_a_time(session: AsyncSession, bucket: str) -> AsyncIterator[None]:
    """Hold the bucket for one attempt: its count, its check and its record."""
    if _on_postgresql(session):
        lock_id = int.from_bytes(hashlib.sha256(bucket.encode()).digest()[:8], "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})
        yield
        return
    lock = _local_locks.get(bucket)
    if lock is None:
        lock = _local_locks[bucket] = asyncio.Lock()
    async with lock:
        yield


def _on_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def failures_so_far(
    session: AsyncSession, *, bucket: str, now: datetime, window: timedelta, limit: int
) -> int:
    """Return the bucket's failures in the window, or refuse once they reach the limit."""
    count, first = (
        await session.execute(
            select(func.count(), func.min(LoginFailure.failed_at)).where(
                LoginFailure.account_key == bucket, LoginFailure.failed_at > now - window
            )
        )
    ).one()
    if count >= limit:
        seconds_left = (first + window - now).total_seconds()
        raise TooManyRequests(TOO_MANY_FAILURES, retry_after=math.ceil(seconds_left))
    return int(count)


async def end_reads(session: AsyncSession) -> None:
    """Before the slow check, end the reading transaction on SQLite.

    SQLite's transactions take its one write lock, so none is held through the check:
    the bucket's lock in this process keeps the attempts in turn. PostgreSQL keeps the
    transaction, which holds the bucket's advisory lock.
    """
    if not _on_postgresql(session):
        await session.rollback()


async def record_failure(
    session: AsyncSession, *, bucket: str, now: datetime, window: timedelta
) -> None:
    """Count a failure, and forget every failure older than the window."""
    session.add(LoginFailure(account_key=bucket, failed_at=now))
    await session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - window))
    await session.commit()


async def forget_failures(session: AsyncSession, *, bucket: str) -> None:
    """Forget the bucket's failures after a right password."""
    await session.execute(delete(LoginFailure).where(LoginFailure.account_key == bucket))
    await session.commit()
