"""The admin the store's settings name, ensured each time the store starts."""

import logging
from typing import Any

import pytest
from pydantic import SecretStr
from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.stores import Stores
from steps.support.people import own_account, sign_in, signs_in_to_own_account
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World, make_username


@given(parsers.re(rf"^the store has started with {NAME} configured as its admin$"))
@when(parsers.re(rf"^the store starts with {NAME} configured as its admin$"))
def store_starts_with_admin(
    stores: Stores,
    settings: Settings,
    world: World,
    name: str,
) -> None:
    """Start a second instance of the store, configured with the admin, on the same database."""
    person = world.persona(name)
    admin = {
        "admin_email": person.email,
        "admin_username": person.username,
        "admin_password": SecretStr(person.password),
    }
    stores.beside(settings.model_copy(update=admin))


@when(
    parsers.re(
        rf"^the store starts with {NAME}'s email address configured for its admin,"
        r" with another password$"
    )
)
def store_starts_with_taken_admin_email(
    stores: Stores,
    settings: Settings,
    world: World,
    fake: Any,
    name: str,
) -> None:
    """Start another instance whose configured admin email is the person's, not their password."""
    admin = {
        "admin_email": world.persona(name).email,
        "admin_username": make_username(fake, "admin"),
        "admin_password": SecretStr(fake.password(length=16, special_chars=False)),
    }
    stores.beside(settings.model_copy(update=admin))


@given(parsers.re(rf"^{NAME} has deleted {PRONOUN} account$"))
def has_deleted_own_account(api: Api, world: World, name: str) -> None:
    """Sign the person in, wherever their account came from, and delete it."""
    person = sign_in(api, world.persona(name))
    person.id = own_account(api, person.token)["id"]
    response = api.delete(f"/users/{person.id}", token=person.token)
    assert response.status_code == 204, response.text


@then("the store's log says that its admin was not made")
def log_says_admin_not_made(caplog: pytest.LogCaptureFixture) -> None:
    """The store logged, as an error, why it did not make its admin."""
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("The configured admin was not ensured" in message for message in errors), errors


@then(parsers.re(rf"^{NAME} can sign in as the store admin$"))
def signs_in_as_admin(api: Api, world: World, name: str) -> None:
    """The configured admin signs in and is an admin."""
    person = world.persona(name)
    account = signs_in_to_own_account(api, person)
    assert account["is_admin"] is True
    assert (account["email"], account["username"]) == (person.email, person.username)
