"""Steps of registration.feature: signing up and the welcome email."""

from datetime import datetime, timedelta

from pytest_bdd import parsers, then, when

from harness.api import Api
from harness.ports import StoreClock
from steps.support.people import read_account, sign_up_body, signs_in_to_own_account
from steps.support.refusals import REASONS
from steps.support.vocabulary import NAME
from steps.support.world import Persona, World

# How long before the step reads the store's clock an account it checks may have been made.
MADE_WITHIN = timedelta(seconds=5)


def sign_up(
    api: Api, world: World, person: Persona, path: str = "/register", **changes: object
) -> None:
    """Send the person's sign-up, and remember their id when it is taken."""
    world.response = api.post(path, json=sign_up_body(person, **changes))
    if world.response.status_code == 201:
        person.id = world.response.json()["id"]


@when(parsers.re(rf"^{NAME} signs up$"))
def signs_up(api: Api, world: World, name: str) -> None:
    """Sign up with the details Faker made for the person."""
    sign_up(api, world, world.persona(name))


@when(parsers.re(rf"^{NAME} signs up through the accounts resource$"))
def signs_up_as_resource(api: Api, world: World, name: str) -> None:
    """Sign up with POST on the users collection."""
    sign_up(api, world, world.persona(name), path="/users")


@when(
    parsers.re(
        rf'^{NAME} signs up with the (?P<field>email address|email|username|password) "(?P<value>.*)"$'
    )
)
def signs_up_with(api: Api, world: World, name: str, field: str, value: str) -> None:
    """Sign up with one detail given by the feature."""
    person = world.persona(name)
    key = "email" if field.startswith("email") else field
    setattr(person, key, value)
    sign_up(api, world, person)


@when(parsers.re(rf"^{NAME} signs up without a password$"))
def signs_up_without_password(api: Api, world: World, name: str) -> None:
    """Leave the password out of the sign-up."""
    sign_up(api, world, world.persona(name), password=None)


@when(parsers.re(rf"^{NAME} signs up asking to be an admin$"))
def signs_up_as_admin(api: Api, world: World, name: str) -> None:
    """Add is_admin to the sign-up."""
    sign_up(api, world, world.persona(name), is_admin=True)


@when(
    parsers.re(
        rf"^{NAME} signs up with (?P<other>[A-Z][a-z]+)'s"
        r" (?P<what>email address and username|email address|username)(?P<caps> in capitals)?$"
    )
)
def signs_up_with_someone_elses(
    api: Api, world: World, name: str, other: str, what: str, caps: str | None
) -> None:
    """Sign up with another person's email address, username, or both."""
    person, taken = world.persona(name), world.persona(other)
    if "email address" in what:
        person.email = taken.email.upper() if caps else taken.email
    if "username" in what:
        person.username = taken.username.upper() if caps else taken.username
    sign_up(api, world, person)


@then(parsers.re(rf"^{NAME}'s account is created$"))
def account_is_created(api: Api, world: World, clock: StoreClock, name: str) -> None:
    """The sign-up answered with the new account, made now, and the account reads back so."""
    person = world.persona(name)
    assert world.last.status_code == 201, world.last.text
    created = world.last.json()
    assert created["username"] == person.username
    assert created["email"] == person.email.lower()
    assert created["is_admin"] is False and created["is_active"] is True
    assert isinstance(created["id"], int)
    made = datetime.fromisoformat(created["created_at"])
    assert made.utcoffset() is not None, "no time zone"
    # Made at the store's present: on a fake clock exactly now, on a wall clock just before.
    assert clock.now() - MADE_WITHIN <= made <= clock.now(), (made, clock.now())
    assert "password" not in world.last.text.lower()
    assert world.last.headers["Cache-Control"] == "no-store"
    assert read_account(api, world, person) == created


@then(parsers.re(rf"^{NAME} can sign in$"))
def can_sign_in(api: Api, world: World, name: str) -> None:
    """Sign in and read the account back with the token."""
    person = world.persona(name)
    assert signs_in_to_own_account(api, person)["id"] == person.id


@then(parsers.re(rf"^nobody can sign in as {NAME}$"))
def nobody_can_sign_in(api: Api, world: World, name: str) -> None:
    """Neither the username nor the email address names an account."""
    person = world.persona(name)
    for login in (person.username, person.email):
        response = api.post("/login", data={"username": login, "password": person.password})
        REASONS["the credentials are invalid"].check(response)


@then(parsers.re(rf'^{NAME}\'s account shows the email address "(?P<email>.+)"$'))
def account_shows_email(api: Api, world: World, name: str, email: str) -> None:
    """Sign in and read the stored email address."""
    assert signs_in_to_own_account(api, world.persona(name))["email"] == email


@then(parsers.re(rf"^the answer does not contain {NAME}'s password$"))
def answer_hides_password(world: World, name: str) -> None:
    """The submitted password appears nowhere in the answer."""
    assert world.persona(name).password not in world.last.text


@when(
    parsers.re(
        rf"^{NAME} and (?P<other>[A-Z][a-z]+) sign up with the same email address "
        r"at the same moment$"
    )
)
def two_sign_up_with_one_address(api: Api, world: World, name: str, other: str) -> None:
    """Send both sign-ups at once, the second person giving the first one's address."""
    first, second = world.persona(name), world.persona(other)
    second.email = first.email
    calls = [
        {"method": "POST", "path": "/register", "json": sign_up_body(p)} for p in (first, second)
    ]
    world.responses = api.concurrently(calls)
    world.shoppers = [name, other]


@then("one of them has an account and the other is told the email is already registered")
def one_account_for_one_address(api: Api, world: World) -> None:
    """Exactly one sign-up was taken; the other got the 409, never a failure of the store."""
    statuses = [response.status_code for response in world.responses]
    assert sorted(statuses) == [201, 409], [r.text for r in world.responses]
    taken, refused = (0, 1) if statuses[0] == 201 else (1, 0)
    REASONS["the email is already registered"].check(world.responses[refused])
    winner, loser = (world.persona(world.shoppers[i]) for i in (taken, refused))
    signed_in = api.post("/login", data={"username": winner.email, "password": winner.password})
    assert signed_in.status_code == 200, signed_in.text
    nobody = api.post("/login", data={"username": loser.username, "password": loser.password})
    REASONS["the credentials are invalid"].check(nobody)
