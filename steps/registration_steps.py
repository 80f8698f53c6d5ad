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


@when(
    parsers.re(rf"^{NAME} signs up with an email address of (?P<length>\d+) characters$"),
    converters={"length": int},
)
def signs_up_with_long_address(api: Api, world: World, name: str, length: int) -> None:
    """Sign up with an address of that length, made of the longest parts a mail server takes."""
    person = world.persona(name)
    # 64 characters before the @, starting with the username; then labels of 63 at most.
    local = (person.username.replace(".", "_") + "_" + "x" * 64)[:64]
    domain, tld = "", ".com"
    while len(local) + 1 + len(domain) + len(tld) < length:
        room = length - len(local) - 1 - len(domain) - len(tld)
        domain += ("." if domain else "") + "d" * min(63, room - (1 if domain else 0))
    person.email = f"{local}@{domain}{tld}"
    assert len(person.email) == length, person.email
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
        r"^(?P<count>\d+) shoppers sign up with one (?P<what>email address|username)"
        r" at the same moment$"
    ),
    converters={"count": int},
)
def shoppers_sign_up_with_one_name(api: Api, world: World, count: int, what: str) -> None:
    """Send so many sign-ups at once, each giving the first shopper's email address or username."""
    world.shoppers = [f"Shopper{n}" for n in range(1, count + 1)]
    first, *others = (world.persona(name) for name in world.shoppers)
    for person in others:
        if what == "email address":
            person.email = first.email
        else:
            person.username = first.username
    people = [first, *others]
    calls = [{"method": "POST", "path": "/register", "json": sign_up_body(p)} for p in people]
    world.responses = api.concurrently(calls)


@then(parsers.re(r"^one of them has an account and the others are told (?P<reason>.+)$"))
def one_account_for_one_name(api: Api, world: World, reason: str) -> None:
    """Exactly one sign-up was taken; every other got the refusal, never a failure of the store."""
    statuses = [response.status_code for response in world.responses]
    assert sorted(statuses) == [201] + [409] * (len(statuses) - 1), statuses
    people = [world.persona(name) for name in world.shoppers]
    winner = people[statuses.index(201)]
    winner.id = world.responses[statuses.index(201)].json()["id"]
    assert signs_in_to_own_account(api, winner)["id"] == winner.id
    # Each refused shopper signs in as nobody with the name that was theirs alone.
    shared_email = len({person.email for person in people}) == 1
    for person, response in zip(people, world.responses, strict=True):
        if person is winner:
            continue
        REASONS[reason].check(response)
        own_name = person.username if shared_email else person.email
        refused = api.post("/login", data={"username": own_name, "password": person.password})
        REASONS["the credentials are invalid"].check(refused)
