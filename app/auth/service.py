"""Signing in, and throttling those who guess."""

import logging
from datetime import timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.throttle import (
    bucket_of,
    end_reads,
    failures_so_far,
    forget_failures,
    has_failures,
    one_attempt_at_a_time,
    record_failure,
)
from app.core.clock import Clock
from app.core.config import Settings
from app.core.db import begin_reading
from app.core.errors import InvalidCredentials
from app.core.security import Passwords, Tokens
from app.users.addresses import sign_in_name
from app.users.service import find_user_for_sign_in

logger = logging.getLogger("app.auth")


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
    # "alice@Bücher.example" is the account kept as "alice@xn--bcher-kva.example" (SEC-04),
    # and both spellings count against one throttling bucket.
    name = sign_in_name(name)
    # Both reads below end before anything is written (`end_reads`), so neither needs
    # SQLite's write lock; the bucket's lock keeps one attempt per account at a time.
    await begin_reading(session)
    user = await find_user_for_sign_in(session=session, name=name)
    found = (user.id, user.token_version, user.password_hash) if user else None
    # Both of the account's names: a right password forgets the failures of each.
    names = [bucket_of(user.username), bucket_of(user.email)] if user else []
    bucket = bucket_of(name)
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
        await session.rollback()
        # A right password writes nothing it needs: forgetting old failures is a courtesy,
        # and a store that cannot write (a full disk, a read-only file) still signs it in.
        if failures or await has_failures(session, buckets=names, now=now, window=window):
            try:
                await forget_failures(session, buckets=names)
            except DBAPIError:
                await session.rollback()
                logger.warning("Earlier sign-in failures could not be forgotten", exc_info=True)
    return tokens.issue(user_id=found[0], version=found[1])
