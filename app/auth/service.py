"""Signing in, and throttling those who guess."""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.throttle import (
    bucket_of,
    end_reads,
    failures_so_far,
    forget_failures,
    one_attempt_at_a_time,
    record_failure,
)
from app.core.clock import Clock
from app.core.config import Settings
from app.core.db import begin_reading
from app.core.errors import InvalidCredentials
from app.core.security import Passwords, Tokens
from app.users.service import find_user_for_sign_in


async def sign_in(
    *,
    session: AsyncSession,
    name: str,
    password: str,
    passwords: Passwords,
    tokens: Tokens,
    clock: Clock,
    settings: Settings,
) -> str:
    """Check a name and password and return an access token, or refuse."""
    # Both reads below end before anything is written (`end_reads`), so neither needs
    # SQLite's write lock; the bucket's lock keeps one attempt per account at a time.
    await begin_reading(session)
    user = await find_user_for_sign_in(session=session, name=name)
    found = (user.id, user.token_version, user.password_hash) if user else None
    bucket = bucket_of(user_id=found[0] if found else None, name=name)
    await end_reads(session)
    window = timedelta(seconds=settings.login_window_seconds)
    async with one_attempt_at_a_time(session, bucket):
        now = clock.now()
        await begin_reading(session)
        failures = await failures_so_far(
            session, bucket=bucket, now=now, window=window, limit=settings.login_max_failures
        )
        await end_reads(session)
        valid = await passwords.verify_async(password, found[2] if found else None)
        if found is None or not valid:
            await record_failure(session, bucket=bucket, now=now, window=window)
            raise InvalidCredentials()
        if failures:
            await forget_failures(session, bucket=bucket)
        else:
            # A right password writes nothing: it does not depend on the store being writable.
            await session.rollback()
    return tokens.issue(user_id=found[0], version=found[1])
