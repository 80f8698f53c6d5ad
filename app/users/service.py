"""The rules of accounts: sign-up, changes, deletion and the bootstrap admin."""

import logging
from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.errors import Conflict, NotFound, PermissionDenied
from app.core.pagination import PageParams
from app.core.security import Passwords
from app.notifications.messages import welcome_email
from app.notifications.outbox import enqueue_email
from app.users.models import User
from app.users.schemas import UserCreate, UserUpdate

logger = logging.getLogger("app.users")

EMAIL_TAKEN = "Email already registered"
USERNAME_TAKEN = "Username already taken"
USER_NOT_FOUND = "User not found"
ADMIN_EMAIL_TAKEN = (
    "An account that is not an admin already uses the admin's email address, "
    "with another password; it was not made an admin"
)


async def _ensure_available(
    *, session: AsyncSession, email: str | None, username: str | None, exclude_id: int | None = None
) -> None:
    """Raise `Conflict` when an existing account already uses the email or username."""
    checks = (
        (EMAIL_TAKEN, User.email == email if email is not None else None),
        (
            USERNAME_TAKEN,
            func.lower(User.username) == username.lower() if username is not None else None,
        ),
    )
    for message, condition in checks:
        if condition is None:
            continue
        query = select(User.id).where(condition, User.deleted_at.is_(None))
        if exclude_id is not None:
            query = query.where(User.id != exclude_id)
        if await session.scalar(query.limit(1)) is not None:
            raise Conflict(message)


async def _commit_or_conflict(
    *, session: AsyncSession, email: str | None, username: str | None, exclude_id: int | None
) -> None:
    """Commit; if a concurrent sign-up won the race for a name, say which one."""
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        await _ensure_available(
            session=session, email=email, username=username, exclude_id=exclude_id
        )
        raise


async def register_user(
    *,
    session: AsyncSession,
    data: UserCreate,
    passwords: Passwords,
    clock: Clock,
    is_admin: bool = False,
) -> User:
    """Create an account and write its welcome email in the same transaction."""
    # Hash before the first query: on SQLite the transaction holds the write lock.
    password_hash = await passwords.hash_async(data.password)
    await _ensure_available(session=session, email=data.email, username=data.username)
    now = clock.now()
    user = User(
        email=data.email,
        username=data.username,
        password_hash=password_hash,
        is_admin=is_admin,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    enqueue_email(
        session=session,
        message=welcome_email(recipient=data.email, username=data.username),
        now=now,
    )
    await _commit_or_conflict(
        session=session, email=data.email, username=data.username, exclude_id=None
    )
    return user


async def get_user(*, session: AsyncSession, user_id: int) -> User:
    """Return an existing account, or raise `NotFound`."""
    user = await session.scalar(select(User).where(User.id == user_id, User.deleted_at.is_(None)))
    if user is None:
        raise NotFound(USER_NOT_FOUND)
    return user


async def list_users(*, session: AsyncSession, page: PageParams) -> tuple[Sequence[User], int]:
    """Return one page of existing accounts, by id, and how many there are."""
    # A count is always one row and never NULL: no `or 0` for a None that cannot come.
    total: int = (
        await session.execute(
            select(func.count()).select_from(User).where(User.deleted_at.is_(None))
        )
    ).scalar_one()
    users = await session.scalars(
        select(User)
        .where(User.deleted_at.is_(None))
        .order_by(User.id)
        .offset(page.skip)
        .limit(page.limit)
    )
    return users.all(), total


def _ensure_may_manage(*, actor: User, user_id: int) -> None:
    # A shopper may only manage their own account; only admins may manage others.
    if not actor.is_admin and actor.id != user_id:
        raise PermissionDenied()


async def update_user(
    *,
    session: AsyncSession,
    user_id: int,
    data: UserUpdate,
    actor: User,
    passwords: Passwords,
    clock: Clock,
) -> User:
    """Change an account's email, username or password; a new password revokes old tokens."""
    _ensure_may_manage(actor=actor, user_id=user_id)
    new_hash = None if data.password is None else await passwords.hash_async(data.password)
    user = await get_user(session=session, user_id=user_id)
    await _ensure_available(
        session=session, email=data.email, username=data.username, exclude_id=user.id
    )
    if data.email is not None:
        user.email = data.email
    if data.username is not None:
        user.username = data.username
    if new_hash is not None:
        user.password_hash = new_hash
        # Raised in SQL, so two changes at once each revoke what came before.
        user.token_version = User.token_version + 1
    user.updated_at = clock.now()
    await _commit_or_conflict(
        session=session, email=data.email, username=data.username, exclude_id=user.id
    )
    await session.refresh(user)
    return user


async def delete_user(*, session: AsyncSession, user_id: int, actor: User, clock: Clock) -> None:
    """Delete an account: it disappears, its tokens stop working, its names are free again."""
    _ensure_may_manage(actor=actor, user_id=user_id)
    now = clock.now()
    result = await session.execute(
        update(User)
        .where(User.id == user_id, User.deleted_at.is_(None))
        .values(
            deleted_at=now, updated_at=now, is_active=False, token_version=User.token_version + 1
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(USER_NOT_FOUND)
    await session.commit()


async def find_user_for_sign_in(*, session: AsyncSession, name: str) -> User | None:
    """Return the existing account whose username or email is `name`, in any case."""
    if "\x00" in name:
        # No username or email holds a NUL, and PostgreSQL refuses one in a query.
        return None
    lowered = name.lower()
    return await session.scalar(
        select(User)
        .where(
            or_(func.lower(User.username) == lowered, User.email == lowered),
            User.deleted_at.is_(None),
            User.is_active.is_(True),
        )
        .order_by(User.id)
        .limit(1)
    )


async def ensure_admin(
    *,
    session: AsyncSession,
    email: str,
    username: str,
    password: str,
    passwords: Passwords,
    clock: Clock,
) -> User:
    """Make sure an admin with this email exists; create it if need be."""
    data = UserCreate(email=email, username=username, password=password)
    existing = await session.scalar(
        select(User).where(User.email == data.email, User.deleted_at.is_(None))
    )
    if existing is not None:
        if existing.is_admin:
            return existing
        # Anyone may have signed up with the admin's address: only the holder of the
        # admin's password is made the admin.
        if not await passwords.verify_async(password, existing.password_hash):
            raise Conflict(ADMIN_EMAIL_TAKEN)
        existing.is_admin = True
        await session.commit()
        logger.info("Account %s was made an admin", existing.id)
        return existing
    user = await register_user(
        session=session, data=data, passwords=passwords, clock=clock, is_admin=True
    )
    logger.info("Admin account %s created", user.id)
    return user
