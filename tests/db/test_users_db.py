"""Accounts in a real (SQLite) database built by the migrations: rows, rules, column types."""

import itertools
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from app.auth.models import LoginFailure
from app.auth.service import sign_in
from app.auth.throttle import bucket_of
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import Conflict, InvalidCredentials
from app.core.security import Passwords, Tokens
from app.core.types import MoneyColumn, UTCDateTime
from app.notifications.models import OutboxMessage
from app.users.models import User
from app.users.schemas import UserCreate
from app.users.service import delete_user, register_user
from harness.fakes import FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]

_numbers = itertools.count(1)
PASSWORDS = Passwords("fast")


def _user(**overrides: Any) -> User:
    n = next(_numbers)
    values: dict[str, Any] = {
        "email": f"person{n}@example.com",
        "username": f"person{n}",
        "password_hash": "not-a-real-hash",
    }
    return User(**(values | overrides))


async def _add(database: Database, *rows: Any) -> None:
    async with database.session() as session:
        session.add_all(rows)
        await session.commit()


async def _count(database: Database, model: type[Any], *conditions: Any) -> int:
    async with database.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


async def test_a_user_is_created_and_read_back(database: Database) -> None:
    await _add(database, _user(email="alice@example.com", username="Alice"))
    async with database.session() as session:
        alice = await session.scalar(select(User).where(User.username == "Alice"))
    assert alice is not None
    assert alice.id >= 1
    assert alice.email == "alice@example.com"
    assert (alice.is_active, alice.is_admin, alice.token_version) == (True, False, 0)
    assert alice.deleted_at is None
    assert alice.created_at.tzinfo is not None
    assert alice.created_at.utcoffset() == timedelta(0)


async def test_a_sign_up_writes_its_welcome_email_in_the_same_transaction(
    database: Database, clock: FakeClock
) -> None:
    data = UserCreate(email="Alice@Example.com", username="alice", password="s3cret-enough")
    async with database.session() as session:
        user = await register_user(session=session, data=data, passwords=PASSWORDS, clock=clock)
    async with database.session() as session:
        stored = await session.get(User, user.id)
        emails = (await session.scalars(select(OutboxMessage))).all()
    assert stored is not None
    assert stored.email == "alice@example.com"
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORDS.verify("s3cret-enough", stored.password_hash)
    assert stored.created_at == clock.now()
    assert [(e.recipient, e.attempts, e.sent_at) for e in emails] == [
        ("alice@example.com", 0, None)
    ]
    assert "Welcome" in emails[0].subject
    assert emails[0].next_attempt_at == clock.now()


async def test_a_refused_sign_up_leaves_no_account_and_no_email(
    database: Database, clock: FakeClock
) -> None:
    data = UserCreate(email="bob@example.com", username="bob", password="s3cret-enough")
    twin = UserCreate(email="BOB@example.com", username="bobby", password="s3cret-enough")
    async with database.session() as session:
        await register_user(session=session, data=data, passwords=PASSWORDS, clock=clock)
    async with database.session() as session:
        with pytest.raises(Conflict, match="Email already registered"):
            await register_user(session=session, data=twin, passwords=PASSWORDS, clock=clock)
    assert await _count(database, User) == 1
    assert await _count(database, OutboxMessage) == 1


@pytest.mark.auth
async def test_failed_sign_ins_are_kept_for_the_name_and_cleared_by_a_success(
    database: Database, clock: FakeClock
) -> None:
    settings = Settings(_env_file=None, env="test", secret_key="k" * 32)
    data = UserCreate(email="carol@example.com", username="carol", password="s3cret-enough")
    async with database.session() as session:
        await register_user(session=session, data=data, passwords=PASSWORDS, clock=clock)
    attempt: dict[str, Any] = {
        "name": "carol",
        "passwords": PASSWORDS,
        "tokens": Tokens(settings, clock),
        "clock": clock,
        "settings": settings,
    }
    for _ in range(2):
        async with database.session() as session:
            with pytest.raises(InvalidCredentials):
                await sign_in(session=session, password="wrong-password-1", **attempt)
    async with database.session() as session:
        failures = (await session.scalars(select(LoginFailure))).all()
    expected = [(bucket_of("Carol"), clock.now())] * 2
    assert [(f.account_key, f.failed_at) for f in failures] == expected
    async with database.session() as session:
        assert await sign_in(session=session, password="s3cret-enough", **attempt)
    assert await _count(database, LoginFailure) == 0


async def test_the_same_email_twice_among_active_accounts_is_refused(database: Database) -> None:
    await _add(database, _user(email="dave@example.com"))
    with pytest.raises(IntegrityError, match="UNIQUE"):
        await _add(database, _user(email="dave@example.com"))


@pytest.mark.parametrize("twin", ["erin", "ERIN", "Erin"])
async def test_usernames_are_unique_whatever_their_case(database: Database, twin: str) -> None:
    await _add(database, _user(username="Erin"))
    with pytest.raises(IntegrityError, match="UNIQUE"):
        await _add(database, _user(username=twin))


async def test_a_deleted_account_frees_its_email_and_username(
    database: Database, clock: FakeClock
) -> None:
    frank = _user(email="frank@example.com", username="frank")
    await _add(database, frank)
    async with database.session() as session:
        await delete_user(session=session, user_id=frank.id, actor=frank, clock=clock)
    await _add(database, _user(email="frank@example.com", username="FRANK"))
    # Deleted accounts do not collide with one another either.
    async with database.session() as session:
        await session.execute(
            text("UPDATE user SET deleted_at = :now WHERE deleted_at IS NULL"),
            {"now": datetime(2026, 1, 1)},
        )
        await session.commit()
    await _add(database, _user(email="frank@example.com", username="frank"))
    assert await _count(database, User, User.email == "frank@example.com") == 3
    assert await _count(database, User, User.deleted_at.is_(None)) == 1


@pytest.mark.parametrize(
    "row",
    [
        {"email": "Grace@example.com"},
        {"token_version": -1},
        {"password_hash": None},
        {"username": None},
    ],
    ids=["upper-case-email", "negative-token-version", "no-password-hash", "no-username"],
)
async def test_the_database_refuses_an_invalid_account(
    database: Database, row: dict[str, Any]
) -> None:
    with pytest.raises(IntegrityError):
        await _add(database, _user(**row))
    assert await _count(database, User) == 0


async def test_the_database_refuses_a_negative_attempt_count(
    database: Database, clock: FakeClock
) -> None:
    message = OutboxMessage(recipient="a@example.com", subject="s", body="b", attempts=-1)
    with pytest.raises(IntegrityError, match="CHECK"):
        await _add(database, message)


async def test_timestamps_round_trip_in_utc_with_their_time_zone(database: Database) -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30))
    created = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=kolkata)
    user = _user(created_at=created)
    await _add(database, user)
    async with database.session() as session:
        stored = await session.scalar(select(User.created_at).where(User.id == user.id))
        raw_query = text("SELECT created_at FROM user WHERE id = :id")
        raw = await session.scalar(raw_query, {"id": user.id})
    assert stored == created
    assert stored is not None and stored.tzinfo == UTC
    assert stored.isoformat() == "2026-03-01T06:30:00.123456+00:00"
    assert str(raw).startswith("2026-03-01 06:30:00.123456")


async def test_a_naive_timestamp_is_not_stored(database: Database) -> None:
    with pytest.raises(StatementError, match="naive"):
        await _add(database, _user(created_at=datetime(2026, 3, 1, 12, 0)))
    assert UTCDateTime().process_bind_param(None, database.engine.dialect) is None


async def test_money_round_trips_exactly_as_whole_cents(database: Database) -> None:
    prices = Table(
        "money_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("amount", MoneyColumn),
    )
    amounts: list[Decimal | int] = [
        Decimal("19.99"),
        Decimal("0.10"),
        Decimal("0.20"),
        Decimal("9999999999.99"),
        5,
    ]
    async with database.engine.begin() as connection:
        await connection.run_sync(prices.create)
        await connection.execute(insert(prices), [{"amount": a} for a in amounts])
        await connection.execute(insert(prices), [{"amount": None}])
    async with database.engine.connect() as connection:
        stored = (await connection.scalars(select(prices.c.amount).order_by(prices.c.id))).all()
        raw = (await connection.scalars(text("SELECT amount FROM money_probe ORDER BY id"))).all()
        total = await connection.scalar(select(func.sum(prices.c.amount)).where(prices.c.id <= 3))
    assert stored == [*(Decimal(a) for a in amounts), None]
    assert [str(a) for a in stored[:-1]] == ["19.99", "0.10", "0.20", "9999999999.99", "5.00"]
    assert raw == [1999, 10, 20, 999999999999, 500, None]
    assert total == Decimal("20.29")
    assert str(total) == "20.29"
