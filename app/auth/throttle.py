"""Sign-in throttling: failures counted per name typed, one attempt per name at a time.

A bucket is a digest of the name as typed, in any case: no typed text is stored, and
whether the name is an account's username, its email address or nobody's changes
nothing. So a 429 tells nothing an attacker did not type: not that a name is an
account, nor that a username and an address belong together. The price is that an
account may be tried under each of its two names. The attempts of one bucket are
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
from app.core.db import begin_reading
from app.core.errors import TooManyRequests

TOO_MANY_FAILURES = "Too many failed sign-in attempts"
# In one process (SQLite is served by one), a lock per bucket; PostgreSQL holds an
# advisory lock in the attempt's transaction, which every replica sees.
_local_locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = weakref.WeakValueDictionary()


def bucket_of(name: str) -> str:
    """Name the throttling bucket of a name as typed, whoever it belongs to."""
    return "name:" + hashlib.sha256(name.lower().encode()).hexdigest()


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


async def has_failures(
    session: AsyncSession, *, buckets: list[str], now: datetime, window: timedelta
) -> bool:
    """Tell whether any of the buckets holds a failure in the window (a read only)."""
    await begin_reading(session)
    found = await session.scalar(
        select(LoginFailure.id)
        .where(LoginFailure.account_key.in_(buckets), LoginFailure.failed_at > now - window)
        .limit(1)
    )
    await session.rollback()
    return found is not None


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


async def forget_failures(session: AsyncSession, *, buckets: list[str]) -> None:
    """Forget the failures of an account's names after a right password."""
    await session.execute(delete(LoginFailure).where(LoginFailure.account_key.in_(buckets)))
    await session.commit()
