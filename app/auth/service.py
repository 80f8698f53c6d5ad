"""Signing in, and throttling those who guess."""

import hashlib
import math
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure
from app.core.clock import Clock
from app.core.config import Settings
from app.core.errors import InvalidCredentials, TooManyRequests
from app.core.security import Passwords, Tokens
from app.users.service import find_user_for_sign_in

TOO_MANY_FAILURES = "Too many failed sign-in attempts"


def account_key(*, user_id: int | None, name: str) -> str:
    """Name the throttling bucket of an account, or of a name that matches none."""
    if user_id is not None:
        return f"user:{user_id}"
    return "name:" + hashlib.sha256(name.lower().encode()).hexdigest()[:64]


async def _ensure_not_throttled(
    *, session: AsyncSession, key: str, clock: Clock, settings: Settings
) -> None:
    now = clock.now()
    window = timedelta(seconds=settings.login_window_seconds)
    count, first = (
        await session.execute(
            select(func.count(), func.min(LoginFailure.failed_at)).where(
                LoginFailure.account_key == key, LoginFailure.failed_at > now - window
            )
        )
    ).one()
    if count >= settings.login_max_failures:
        seconds_left = (first + window - now).total_seconds()
        raise TooManyRequests(TOO_MANY_FAILURES, retry_after=math.ceil(seconds_left))


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
    user = await find_user_for_sign_in(session=session, name=name)
    key = account_key(user_id=user.id if user else None, name=name)
    await _ensure_not_throttled(session=session, key=key, clock=clock, settings=settings)
    # Count the attempt as a failure in the transaction that checked the count, before
    # the slow hash check: guesses sent at once cannot all slip under the limit. The
    # commit also ends the transaction, so no lock is held during the check.
    now = clock.now()
    session.add(LoginFailure(account_key=key, failed_at=now))
    await session.commit()
    valid = await passwords.verify_async(password, user.password_hash if user else None)
    if user is None or not valid:
        # Failures older than the window count for nothing any more.
        window = timedelta(seconds=settings.login_window_seconds)
        await session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - window))
        await session.commit()
        raise InvalidCredentials()
    await session.execute(delete(LoginFailure).where(LoginFailure.account_key == key))
    await session.commit()
    return tokens.issue(user_id=user.id, version=user.token_version)
