"""Changing an account's details: one's own, someone else's, and the admin's."""

from typing import Any

from pytest_bdd import parsers, then, when

from harness.api import Api
from steps.support.people import read_account, sign_in
from steps.support.refusals import REASONS
from steps.support.vocabulary import MISSING_ID, NAME, PRONOUN
from steps.support.world import Credentials, Persona, World, make_username


def change(api: Api, world: World, actor: Persona, target: Persona, body: dict[str, Any]) -> None:
    world.token_before_change = target.token
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
    world.before_change = Credentials(target.email, target.username, target.password)
    change(api, world, actor, target, {key: value})
    if world.last.status_code == 200:
        setattr(target, key, value)


@when(
    parsers.re(
        rf"^{NAME} changes {PRONOUN} (?P<what>email address and username|email address|username)"
        rf" to (?:(?P<other>[A-Z][a-z]+)'s|{PRONOUN} own)(?P<caps> in capitals)?$"
    )
)
def changes_to_names_in_use(
    api: Api, world: World, name: str, what: str, other: str | None, caps: str | None
) -> None:
    """Change the email address, the username or both to another person's, or to one's own."""
    person = world.persona(name)
    holder = world.persona(other) if other else person
    names = {"email": holder.email, "username": holder.username}
    keys = [
        key
        for key, words in (("email", "email address"), ("username", "username"))
        if words in what
    ]
    body = {key: names[key].upper() if caps else names[key] for key in keys}
    world.before_change = Credentials(person.email, person.username, person.password)
    change(api, world, person, person, body)
    if world.last.status_code == 200:
        person.email = body.get("email", person.email).lower()
        person.username = body.get("username", person.username)


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
    assert world.before_change is not None, "no account detail was changed"
    before = {"email": world.before_change.email, "username": world.before_change.username}
    assert account[key[new]] != before[key[new]]
    assert account[key[old]] == before[key[old]]
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


@when(
    parsers.re(
        r"^the (?P<count>\d+) shoppers change their (?P<what>email address|username)"
        r" to the same new one at the same moment$"
    ),
    converters={"count": int},
)
def shoppers_change_to_one_name(api: Api, world: World, count: int, what: str) -> None:
    """Sign the shoppers in, then send each one's change to one new value at the same moment."""
    world.shoppers = [f"shopper {number}" for number in range(count)]
    shoppers = [sign_in(api, world.personas[name]) for name in world.shoppers]
    key = "email" if what == "email address" else what
    body = {key: new_value(world, shoppers[0], what)}
    calls = [
        {"method": "PUT", "path": f"/users/{shopper.id}", "token": shopper.token, "json": body}
        for shopper in shoppers
    ]
    world.responses = api.concurrently(calls)


@then(parsers.re(r"^one of them has it and the others are told (?P<reason>.+)$"))
def one_of_them_has_it(api: Api, world: World, reason: str) -> None:
    """Exactly one change was taken and reads back; every other was refused and changed nothing."""
    statuses = [response.status_code for response in world.responses]
    assert sorted(statuses) == [200] + [409] * (len(statuses) - 1), statuses
    for name, response in zip(world.shoppers, world.responses, strict=True):
        shopper = world.personas[name]
        account = read_account(api, world, shopper)
        if response.status_code == 200:
            assert response.json() == account
            continue
        REASONS[reason].check(response)
        assert (account["email"], account["username"]) == (shopper.email, shopper.username)
