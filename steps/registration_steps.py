"""Steps of registration.feature: signing up and the welcome email."""

import time
from datetime import datetime, timedelta

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.ports import MailOutbox, StoreClock
from harness.waiting import eventually
from steps.support.people import read_account, sign_up_body, signs_in_to_own_account
from steps.support.refusals import REASONS
from steps.support.vocabulary import NAME
from steps.support.world import Persona, World

# How long a slow mail relay takes over each message.
SLOW_RELAY_SECONDS = 0.3
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


@given("the mail server is down")
def mail_server_down(mailer: MailOutbox) -> None:
    """Make the fake mail server refuse every message."""
    mailer.down = True


@when("the mail server is back and the retry interval has passed")
def mail_server_back(mailer: MailOutbox, clock: StoreClock, settings: Settings) -> None:
    """Bring the mail server back and move time on by the retry interval."""
    assert eventually(lambda: mailer.failed_attempts > 0), "delivery was never attempted"
    mailer.down = False
    clock.advance(timedelta(seconds=settings.email_retry_seconds))


@given(parsers.re(rf"^the mail server has no mailbox at {NAME}'s address$"))
def no_mailbox_at(mailer: MailOutbox, world: World, name: str) -> None:
    """Make the mail server refuse, for good, every message to the person's address."""
    mailer.no_mailbox.add(world.persona(name).email.lower())


@when(
    parsers.re(rf"^the retry interval passes after the mail server refused {NAME}'s welcome email$")
)
def retry_interval_after_refusal(
    mailer: MailOutbox, clock: StoreClock, settings: Settings, world: World, name: str
) -> None:
    """Wait for the refusal, then let a whole retry interval pass."""
    email = world.persona(name).email.lower()
    assert eventually(lambda: email in mailer.refusals), "delivery was never attempted"
    clock.advance(timedelta(seconds=settings.email_retry_seconds))


@then(parsers.re(rf"^the mail server was offered {NAME}'s welcome email only once$"))
def offered_once(mailer: MailOutbox, world: World, settings: Settings, name: str) -> None:
    """No second attempt came, though the retry interval passed and the outbox looked again."""
    email = world.persona(name).email.lower()
    time.sleep(settings.email_poll_seconds + 0.5)  # room for a second attempt to arrive
    assert mailer.refusals.count(email) == 1, mailer.refusals
    assert mailer.messages_to(email) == []


@then(parsers.re(rf"^{NAME} receives a welcome email$"))
def receives_welcome(mailer: MailOutbox, world: World, name: str) -> None:
    """The fake mail server received exactly one welcome email for the person."""
    person = world.persona(name)
    assert eventually(lambda: bool(mailer.messages_to(person.email.lower()))), "no email arrived"
    messages = mailer.messages_to(person.email.lower())
    assert len(messages) == 1, messages
    assert "Welcome" in messages[0].subject
    assert person.username in messages[0].body
    assert person.password not in messages[0].body


@then(parsers.re(rf"^{NAME} has not received a welcome email$"))
def no_welcome_yet(mailer: MailOutbox, world: World, name: str) -> None:
    """The mail server was tried, and nothing reached the person."""
    assert eventually(lambda: mailer.failed_attempts > 0), "delivery was never attempted"
    assert mailer.messages_to(world.persona(name).email.lower()) == []


@given("the mail server is slow to take each message")
def mail_server_slow(mailer: MailOutbox) -> None:
    """Make the mail server take a while over each message, as a busy relay does."""
    mailer.delay_seconds = SLOW_RELAY_SECONDS


@when(
    parsers.re(r"^(?P<count>\d+) shoppers sign up at the same moment$"), converters={"count": int}
)
def shoppers_sign_up_at_once(api: Api, world: World, count: int) -> None:
    """Sign so many new shoppers up at the same moment."""
    world.shoppers = [f"Shopper{n}" for n in range(1, count + 1)]
    people = [world.persona(name) for name in world.shoppers]
    calls = [{"method": "POST", "path": "/register", "json": sign_up_body(p)} for p in people]
    world.responses = api.concurrently(calls)
    assert [r.status_code for r in world.responses] == [201] * count, world.responses


@then("each of them receives one welcome email, and only one")
def each_receives_one(mailer: MailOutbox, world: World, settings: Settings) -> None:
    """Every shopper got their welcome email, and no copy came after a retry interval."""
    emails = [world.persona(name).email.lower() for name in world.shoppers]
    slow = SLOW_RELAY_SECONDS * len(emails) + 5
    assert eventually(lambda: all(mailer.messages_to(e) for e in emails), seconds=slow), [
        e for e in emails if not mailer.messages_to(e)
    ]
    time.sleep(min(settings.email_retry_seconds, 2) + 0.5)  # room for a second copy to arrive
    counts = {e: len(mailer.messages_to(e)) for e in emails}
    assert set(counts.values()) == {1}, counts


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
