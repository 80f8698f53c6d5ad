"""The operator's command line: the release step and the admin it makes."""

from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from app.__main__ import main as command_line
from app.users.service import ADMIN_EMAIL_TAKEN
from harness.stores import Stores
from steps.support.operation import database_file, settings_for, start, that_store
from steps.support.people import register, sign_in, signs_in_to_own_account
from steps.support.vocabulary import NAME
from steps.support.world import World


@given("the release step has brought an empty database file up to date")
def release_step(monkeypatch: pytest.MonkeyPatch, world: World, tmp_path: Path) -> None:
    """Run `python -m app migrate` on a new database file."""
    with monkeypatch.context() as env:
        env.setenv("APP_DATABASE_URL", database_file(world, tmp_path))
        assert command_line(["migrate"]) == 0


@given(
    parsers.re(
        rf"^{NAME} has signed up at a store on a database file with (?P<owner>\w+)'s email address$"
    )
)
def signed_up_with_anothers_address(
    world: World, stores: Stores, tmp_path: Path, name: str, owner: str
) -> None:
    """Sign the person up, under their own name and password, with another's address."""
    person = world.persona(name)
    person.email = world.persona(owner).email
    register(start(world, stores, settings_for(world, tmp_path)).api, person)


@when(
    parsers.re(
        rf"^the operator (?P<attempt>makes|tries to make) {NAME} the admin of "
        r"(?:a new|that) database file from the command line$"
    )
)
def operator_makes_admin(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    world: World,
    tmp_path: Path,
    attempt: str,
    name: str,
) -> None:
    """Run `python -m app create-admin` with the admin's details in the environment."""
    person = world.persona(name)
    capsys.readouterr()
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
        status = command_line(["create-admin"])
    world.operation.command_output = capsys.readouterr().out
    assert (status == 0) is (attempt == "makes"), world.operation.command_output


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


@then("the command line says the admin was not created because the address is taken")
def admin_refused(world: World) -> None:
    """The command said why it made nobody the admin."""
    assert world.operation.command_output == f"The admin was not created: {ADMIN_EMAIL_TAKEN}\n"


@then(parsers.re(rf"^{NAME}'s account at that store is not an admin's$"))
def not_an_admin(world: World, name: str) -> None:
    """The account that holds the address signs in as it was: an ordinary shopper's."""
    person = world.persona(name)
    account = signs_in_to_own_account(that_store(world).api, person)
    assert account["is_admin"] is False and account["username"] == person.username


@then(parsers.re(rf"^{NAME} can sign in as the admin of that store$"))
def admin_of_store(world: World, name: str) -> None:
    """The admin made on the command line signs in at the store, as an admin."""
    person = world.persona(name)
    account = signs_in_to_own_account(that_store(world).api, person)
    assert account["is_admin"] is True and account["username"] == person.username
