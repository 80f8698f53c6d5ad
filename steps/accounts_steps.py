"""Steps of accounts.feature: seeing, listing, changing and deleting accounts."""

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from steps.common_steps import NAME, PRONOUN, check_page, register, sign_in
from steps.support.api import Api
from steps.support.fakes import FakeClock, FakeMailer
from steps.support.stores import Stores
from steps.support.world import Persona, World, make_persona, make_username

USER_FIELDS = {"id", "email", "username", "is_active", "is_admin", "created_at"}
MISSING_ID = 987_654_321


def witness(api: Api, world: World) -> Persona:
    """Return someone signed in who can look at accounts, signing up a witness if need be."""
    person = world.persona("Wendy")
    if person.token is None:
        sign_in(api, register(api, person))
    return person


def read_account(api: Api, world: World, person: Persona) -> dict[str, Any]:
    response = api.get(f"/users/{person.id}", token=witness(api, world).token)
    assert response.status_code == 200, response.text
    account: dict[str, Any] = response.json()
    return account


@given(parsers.re(r"^(?P<count>\d+) shoppers have accounts$"), converters={"count": int})
def shoppers_have_accounts(api: Api, world: World, count: int) -> None:
    """Sign up that many shoppers made by Faker."""
    for number in range(count):
        world.personas[f"shopper {number}"] = register(api, make_persona(world.fake, "shopper"))


@when(parsers.re(rf"^{NAME} looks at {PRONOUN} account$"))
def looks_at_own_account(api: Api, world: World, name: str) -> None:
    """Ask for the signed-in account."""
    world.response = api.get("/me", token=world.persona(name).token)


@when(parsers.re(rf"^{NAME} looks at (?P<other>[A-Z][a-z]+)'s account$"))
def looks_at_account(api: Api, world: World, name: str, other: str) -> None:
    """Ask for another person's account."""
    other_id = world.persona(other).id
    world.response = api.get(f"/users/{other_id}", token=world.persona(name).token)


@when(parsers.re(rf"^{NAME} looks at an account that does not exist$"))
def looks_at_missing_account(api: Api, world: World, name: str) -> None:
    """Ask for an account id nobody has."""
    world.response = api.get(f"/users/{MISSING_ID}", token=world.persona(name).token)


@then(
    parsers.re(rf"^{NAME} sees (?:(?P<other>[A-Z][a-z]+)'s|{PRONOUN}) email address and username$")
)
def sees_account(world: World, name: str, other: str | None) -> None:
    """The answer is the account, exactly as the contract shapes it."""
    person = world.persona(other or name)
    assert world.last.status_code == 200, world.last.text
    account = world.last.json()
    assert set(account) == USER_FIELDS
    assert (account["id"], account["email"], account["username"]) == (
        person.id,
        person.email.lower(),
        person.username,
    )


@then("the answer contains no password and is not kept in caches")
def no_password_no_cache(world: World) -> None:
    """Neither a password nor a hash is in the answer, and caches are told not to keep it."""
    assert "password" not in world.last.text and "$argon2" not in world.last.text
    assert world.last.headers["Cache-Control"] == "no-store"


@when(
    parsers.re(rf'^{NAME} lists the accounts with (?P<setting>skip|limit) set to "(?P<value>.*)"$')
)
def lists_accounts_with(api: Api, world: World, name: str, setting: str, value: str) -> None:
    """Ask for a page with a setting the feature gives."""
    world.response = api.get("/users", token=world.persona(name).token, params={setting: value})


@when("someone lists the accounts without a pass")
def lists_without_pass(api: Api, world: World) -> None:
    """Ask for the accounts with no pass."""
    world.response = api.get("/users")


@then(
    parsers.re(
        rf"^{NAME} sees (?P<count>\d+) accounts of (?P<total>\d+), oldest first,"
        r" starting with the (?P<nth>\d+)(?:st|nd|rd|th)$"
    ),
    converters={"count": int, "total": int, "nth": int},
)
def sees_page(api: Api, world: World, name: str, count: int, total: int, nth: int) -> None:
    """The page holds the right slice of all accounts, by id, and says how many there are."""
    everyone = api.get("/users", token=world.persona(name).token, params={"limit": 100}).json()
    assert everyone["total"] == total
    check_page(
        world.last, ids=[account["id"] for account in everyone["items"]], count=count, nth=nth
    )


def change(api: Api, world: World, actor: Persona, target: Persona, body: dict[str, Any]) -> None:
    world.remembered["old pass"] = target.token
    world.response = api.put(f"/users/{target.id}", token=actor.token, json=body)


def new_value(world: World, target: Persona, what: str) -> str:
    if what == "email address":
        return f"{make_username(world.fake, target.name).lower()}@{world.fake.free_email_domain()}"
    if what == "username":
        return make_username(world.fake, target.name)
    return str(world.fake.password(length=16, special_chars=False))


@when(
    parsers.re(
        rf"^{NAME} changes (?:(?P<other>[A-Z][a-z]+)'s|{PRONOUN}) "
        r"(?P<what>email address|username|password)$"
    )
)
def changes_detail(api: Api, world: World, name: str, other: str | None, what: str) -> None:
    """Change one detail of an account to a new value made by Faker."""
    actor, target = world.persona(name), world.persona(other or name)
    value = new_value(world, target, what)
    key = "email" if what == "email address" else what
    world.remembered["old"] = {
        "email": target.email,
        "username": target.username,
        "password": target.password,
    }
    change(api, world, actor, target, {key: value})
    if world.last.status_code == 200:
        setattr(target, key, value)


@when(
    parsers.re(
        rf"^{NAME} changes {PRONOUN} (?P<what>email address|username) to (?P<other>[A-Z][a-z]+)'s"
        r"(?P<caps> in capitals)?$"
    )
)
def changes_to_someone_elses(
    api: Api, world: World, name: str, what: str, other: str, caps: str | None
) -> None:
    """Try to take another person's email address or username."""
    person, taken = world.persona(name), world.persona(other)
    value = taken.email if what == "email address" else taken.username
    key = "email" if what == "email address" else what
    change(api, world, person, person, {key: value.upper() if caps else value})


@when(
    parsers.re(rf'^{NAME} changes {PRONOUN} (?P<field>email|username|password) to "(?P<value>.*)"$')
)
def changes_to_value(api: Api, world: World, name: str, field: str, value: str) -> None:
    """Change one detail to a value the feature gives."""
    person = world.persona(name)
    change(api, world, person, person, {field: value})


@when(parsers.re(rf"^{NAME} changes {PRONOUN} account to make (?:herself|himself) an admin$"))
def makes_self_admin(api: Api, world: World, name: str) -> None:
    """Send is_admin in a change."""
    person = world.persona(name)
    change(api, world, person, person, {"is_admin": True})


@when(parsers.re(rf"^{NAME} changes the email address of an account that does not exist$"))
def changes_missing_account(api: Api, world: World, fake: Any, name: str) -> None:
    """Change an account id nobody has."""
    world.response = api.put(
        f"/users/{MISSING_ID}", token=world.persona(name).token, json={"email": fake.email()}
    )


@then(
    parsers.re(
        rf"^{NAME}'s account shows {PRONOUN} new (?P<new>email address|username)"
        rf" and {PRONOUN} old (?P<old>email address|username)$"
    )
)
def shows_new_and_old(api: Api, world: World, name: str, new: str, old: str) -> None:
    """The change was answered and reads back: the new detail changed, the other did not."""
    assert world.last.status_code == 200, world.last.text
    person = world.persona(name)
    account = read_account(api, world, person)
    assert world.last.json() == account
    key = {"email address": "email", "username": "username"}
    assert account[key[new]] != world.remembered["old"][key[new]]
    assert account[key[old]] == world.remembered["old"][key[old]]
    assert (account["email"], account["username"]) == (person.email, person.username)


@then(parsers.re(rf"^{NAME} can sign in with {PRONOUN} new email address$"))
def can_sign_in_with_new_email(api: Api, world: World, name: str) -> None:
    """The new email address signs the person in."""
    person = world.persona(name)
    assert sign_in(api, person, name=person.email).token


@then(parsers.re(rf"^{NAME}'s account is unchanged$"))
def account_unchanged(api: Api, world: World, name: str) -> None:
    """The account reads back as before, and the old password still signs in."""
    person = world.persona(name)
    account = read_account(api, world, person)
    assert (account["email"], account["username"]) == (person.email.lower(), person.username)
    assert sign_in(api, person).token


@then(parsers.re(rf"^{NAME} is still an ordinary shopper$"))
def still_ordinary(api: Api, world: World, name: str) -> None:
    """The account is not an admin's."""
    assert read_account(api, world, world.persona(name))["is_admin"] is False


@when(parsers.re(rf"^{NAME} deletes (?:(?P<other>[A-Z][a-z]+)'s|{PRONOUN}) account$"))
def deletes_account(api: Api, world: World, name: str, other: str | None) -> None:
    """Delete an account."""
    target = world.persona(other or name)
    world.response = api.delete(f"/users/{target.id}", token=world.persona(name).token)


@then(parsers.re(rf"^{NAME}'s account is gone$"))
def account_is_gone(api: Api, world: World, name: str) -> None:
    """The deletion had no body, and nobody finds the account any more."""
    assert world.last.status_code == 204, world.last.text
    assert world.last.content == b""
    person = world.persona(name)
    token = witness(api, world).token
    response = api.get(f"/users/{person.id}", token=token)
    assert response.status_code == 404 and response.json() == {"detail": "User not found"}
    listed = api.get("/users", token=token, params={"limit": 100}).json()["items"]
    assert person.id not in {account["id"] for account in listed}


@then(parsers.re(rf"^{NAME} can still sign in$"))
def can_still_sign_in(api: Api, world: World, name: str) -> None:
    """The account still exists and opens with its password."""
    assert sign_in(api, world.persona(name)).token


def start_with_admin(
    stores: Stores, service: FastAPI, mailer: FakeMailer, clock: FakeClock, configured: Settings
) -> None:
    """Start another instance of the store, on the scenario's database, with these settings."""
    stores.start(configured, database=service.state.database, mailer=mailer, clock=clock)


@when(parsers.re(rf"^the store starts with {NAME} configured as its admin$"))
def store_starts_with_admin(
    stores: Stores,
    service: FastAPI,
    settings: Settings,
    mailer: FakeMailer,
    clock: FakeClock,
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
    start_with_admin(stores, service, mailer, clock, settings.model_copy(update=admin))


@when(
    parsers.re(
        rf"^the store starts with {NAME}'s email address configured for its admin,"
        r" with another password$"
    )
)
def store_starts_with_taken_admin_email(
    stores: Stores,
    service: FastAPI,
    settings: Settings,
    mailer: FakeMailer,
    clock: FakeClock,
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
    start_with_admin(stores, service, mailer, clock, settings.model_copy(update=admin))


@then("the store's log says that its admin was not made")
def log_says_admin_not_made(caplog: pytest.LogCaptureFixture) -> None:
    """The store logged, as an error, why it did not make its admin."""
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("The configured admin was not ensured" in message for message in errors), errors


@then(parsers.re(rf"^{NAME} can sign in as the store admin$"))
def signs_in_as_admin(api: Api, world: World, name: str) -> None:
    """The configured admin signs in and is an admin."""
    person = sign_in(api, world.persona(name))
    me = api.get("/me", token=person.token)
    assert me.status_code == 200, me.text
    account = me.json()
    assert account["is_admin"] is True
    assert (account["email"], account["username"]) == (person.email, person.username)
