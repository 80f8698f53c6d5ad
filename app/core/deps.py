"""The dependencies routes declare, as `Annotated` aliases defined once."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.config import Settings
from app.core.db import Database
from app.core.security import InvalidToken, Passwords, Tokens
from app.payments.ports import PaymentGateway
from app.users.models import User

# Ids are INTEGER columns, 32-bit on PostgreSQL: a larger id cannot name anything and is
# refused with 422 before it reaches the database.
MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/login", auto_error=False)
_BEARER = {"WWW-Authenticate": "Bearer"}


def get_settings(request: Request) -> Settings:
    """Return the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    """Return the app's database."""
    database: Database = request.app.state.database
    return database


async def get_session(
    database: Annotated[Database, Depends(get_database)],
) -> AsyncIterator[AsyncSession]:
    """Open a database session for one request."""
    async with database.session() as session:
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


def get_payment_gateway(request: Request) -> PaymentGateway:
    """Return the app's payment gateway."""
    gateway: PaymentGateway = request.app.state.payment_gateway
    return gateway


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
ClockDep = Annotated[Clock, Depends(get_clock)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
TokensDep = Annotated[Tokens, Depends(get_tokens)]
PaymentGatewayDep = Annotated[PaymentGateway, Depends(get_payment_gateway)]


async def get_current_user(
    session: SessionDep, tokens: TokensDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    """Return the signed-in user named by the bearer token, or answer 401."""
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Not authenticated", headers=_BEARER)
    try:
        claims = tokens.read(token)
    except InvalidToken:
        claims = None
    user = None
    if claims is not None and claims.user_id <= MAX_ID:
        user = await session.scalar(
            select(User).where(
                User.id == claims.user_id,
                User.deleted_at.is_(None),
                User.is_active.is_(True),
                User.token_version == claims.version,
            )
        )
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Could not validate credentials", headers=_BEARER
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin_user(user: CurrentUser) -> User:
    """Return the signed-in user if they are an admin, or answer 403."""
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Not enough permissions")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]
