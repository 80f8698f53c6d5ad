"""The operator's command line: the release step and the admin it makes."""

from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from app.__main__ import main as command_line
from steps.support.operation import database_file, that_store
from steps.support.people import register, sign_in, signs_in_to_own_account
from steps.support.vocabulary import NAME
from steps.support.world import World


@given("the release step has brought an empty database file up to date")
def release_step(monkeypatch: pytest.MonkeyPatch, world: World, tmp_path: Path) -> None:
    """Run `python -m app migrate` on a new database file."""
    with monkeypatch.context() as env:
        env.setenv("APP_DATABASE_URL", database_file(world, tmp_path))
        assert command_line(["migrate"]) == 0


@when(
    parsers.re(
        rf"^the operator makes {NAME} the admin of a new database file from the command line$"
    )
)
def operator_makes_admin(
    monkeypatch: pytest.MonkeyPatch, world: World, tmp_path: Path, name: str
) -> None:
    """Run `python -m app create-admin` with the admin's details in the environment."""
    person = world.persona(name)
    with monkeypatch.context() as env:
        for variable, value in {
            "APP_DATABASE_URL": database_file(world, tmp_path),
            "APP_ENV": "test",
            "APP_PASSWORD_HASH_PROFILE": "fast",
            "APP_ADMIN_EMAIL": person.email,
            "APP_ADMIN_USERNAME": person.username,
            "APP_ADMIN_PASSWORD": person.password,
        }.items():
            env.setenv(variable, value)
        assert command_line(["create-admin"]) == 0


@when(parsers.re(rf"^{NAME} signs up and signs in at that store$"))
def signs_up_and_in_at_store(world: World, name: str) -> None:
    """Sign up and sign in at the store the scenario started."""
    sign_in(that_store(world).api, register(that_store(world).api, world.persona(name)))


@then(parsers.re(rf"^{NAME} can sign up and sign in at that store$"))
def can_sign_up_and_in(world: World, name: str) -> None:
    """The store serves sign-up and sign-in, and the account reads back."""
    api = that_store(world).api
    person = register(api, world.persona(name))
    assert signs_in_to_own_account(api, person)["id"] == person.id


@then(parsers.re(rf"^{NAME} can sign in at that store$"))
def can_sign_in_at_store(world: World, name: str) -> None:
    """The person's account is still there."""
    person = world.persona(name)
    assert signs_in_to_own_account(that_store(world).api, person)["email"] == person.email


@then(parsers.re(rf"^{NAME} can sign in as the admin of that store$"))
def admin_of_store(world: World, name: str) -> None:
    """The admin made on the command line signs in at the store, as an admin."""
    person = world.persona(name)
    account = signs_in_to_own_account(that_store(world).api, person)
    assert account["is_admin"] is True and account["username"] == person.username
