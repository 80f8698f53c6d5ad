"""The app-wide dependencies routes declare, as `Annotated` aliases defined once.

Core knows no domain: who is signed in (`CurrentUser`, `AdminUser`) lives in
`app.auth.deps`, and the payment gateway in `app.payments.deps`.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.config import Settings
from app.core.db import Database
from app.core.schemas import AsciiDigits
from app.core.security import Passwords, Tokens

# Ids are INTEGER columns, 32-bit on PostgreSQL: a larger id cannot name anything and is
# refused with 422 before it reaches the database.
MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID), AsciiDigits]


def get_settings(request: Request) -> Settings:
    """Return the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    """Return the app's database."""
    database: Database = request.app.state.database
    return database


# Requests that change nothing: their sessions only read, and take no write lock.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(
    request: Request, database: Annotated[Database, Depends(get_database)]
) -> AsyncIterator[AsyncSession]:
    """Open a database session for one request; a GET's only reads."""
    async with database.session(read_only=request.method in READ_METHODS) as session:
        yield session


def get_clock(request: Request) -> Clock:
    """Return the app's clock."""
    clock: Clock = request.app.state.clock
    return clock


def get_passwords(request: Request) -> Passwords:
    """Return the app's password hasher."""
    passwords: Passwords = request.app.state.passwords
    return passwords


def get_tokens(request: Request) -> Tokens:
    """Return the app's token issuer."""
    tokens: Tokens = request.app.state.tokens
    return tokens


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
ClockDep = Annotated[Clock, Depends(get_clock)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
TokensDep = Annotated[Tokens, Depends(get_tokens)]
