"""Who sends a request: the signed-in user named by its bearer token, and the admin."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select

from app.core.deps import MAX_ID, SessionDep, TokensDep
from app.core.security import InvalidToken
from app.users.models import User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/login", auto_error=False)
_BEARER = {"WWW-Authenticate": "Bearer"}


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
