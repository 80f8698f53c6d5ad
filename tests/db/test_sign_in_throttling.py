"""Sign-in throttling holds when many guesses arrive at the same moment."""

import asyncio

import pytest
import pytest_asyncio

from app.auth.service import sign_in
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import InvalidCredentials, TooManyRequests
from app.core.security import Passwords, Tokens
from app.users.schemas import UserCreate
from app.users.service import register_user
from harness.fakes import FakeClock
from harness.settings import scenario_settings

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.auth]

PASSWORDS = Passwords("fast")


async def guess(
    database: Database,
    settings: Settings,
    clock: FakeClock,
    name: str,
    password: str = "wrong-guess-1",
) -> str:
    async with database.session() as session:
        try:
            await sign_in(
                session=session,
                name=name,
                password=password,
                passwords=PASSWORDS,
                tokens=Tokens(settings, clock),
                clock=clock,
                settings=settings,
            )
        except InvalidCredentials:
            return "refused"
        except TooManyRequests:
            return "throttled"
    return "signed in"


@pytest_asyncio.fixture
async def alice(file_database: Database, clock: FakeClock) -> None:
    """Alice's account, with the password "secret123"."""
    async with file_database.session() as session:
        data = UserCreate(email="alice@example.com", username="alice", password="secret123")
        await register_user(session=session, data=data, passwords=PASSWORDS, clock=clock)


@pytest.mark.asyncio(loop_scope="function")
@pytest.mark.parametrize("name", ["alice", "nobody_here"])
async def test_guesses_sent_at_once_get_no_more_tries_than_the_limit(
    file_database: Database, clock: FakeClock, alice: None, name: str
) -> None:
    settings = scenario_settings()
    outcomes = await asyncio.gather(
        *(guess(file_database, settings, clock, name) for _ in range(30))
    )

    assert outcomes.count("refused") == settings.login_max_failures, outcomes
    assert outcomes.count("throttled") == 30 - settings.login_max_failures


@pytest.mark.asyncio(loop_scope="function")
async def test_right_passwords_sent_at_once_are_all_let_in(
    file_database: Database, clock: FakeClock, alice: None
) -> None:
    settings = scenario_settings()
    outcomes = await asyncio.gather(
        *(guess(file_database, settings, clock, "alice", "secret123") for _ in range(20))
    )

    assert outcomes == ["signed in"] * 20
