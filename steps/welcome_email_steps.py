"""Steps of registration.feature's welcome email: the mail server's moods, and what it got."""

import time
from datetime import timedelta

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.ports import MailOutbox, StoreClock
from harness.waiting import eventually
from steps.support.people import sign_up_body
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

# How long a slow mail relay takes over each message.
SLOW_RELAY_SECONDS = 0.3


def _room_for_a_copy(settings: Settings) -> float:
    """How long a copy that should not come may take to arrive: two polls of the outbox
    (an email left leased ahead of it is taken one poll later) and half a second."""
    return 2 * settings.email_poll_seconds + 0.5


def _address(world: World, name: str) -> str:
    """The person's email address as the mail server is handed it."""
    return world.persona(name).email.lower()


@given("the mail server is down")
def mail_server_down(mailer: MailOutbox) -> None:
    """Make the fake mail server refuse every message."""
    mailer.down = True


@when("the mail server is back and the retry interval has passed")
def mail_server_back(mailer: MailOutbox, clock: StoreClock, settings: Settings) -> None:
    """Bring the mail server back and move time on by the retry interval."""
    assert eventually(lambda: bool(mailer.deferrals)), "delivery was never attempted"
    mailer.down = False
    clock.advance(timedelta(seconds=settings.email_retry_seconds))


@given(parsers.re(rf"^the mail server has no mailbox at {NAME}'s address$"))
def no_mailbox_at(mailer: MailOutbox, world: World, name: str) -> None:
    """Make the mail server refuse, for good, every message to the person's address."""
    mailer.no_mailbox.add(_address(world, name))


@when(
    parsers.re(rf"^the retry interval passes after the mail server refused {NAME}'s welcome email$")
)
def retry_interval_after_refusal(
    mailer: MailOutbox, clock: StoreClock, settings: Settings, world: World, name: str
) -> None:
    """Wait for the refusal, then let a whole retry interval pass."""
    email = _address(world, name)
    assert eventually(lambda: email in mailer.refusals), "delivery was never attempted"
    clock.advance(timedelta(seconds=settings.email_retry_seconds))


@then(parsers.re(rf"^the mail server was offered {NAME}'s welcome email only once$"))
def offered_once(mailer: MailOutbox, world: World, settings: Settings, name: str) -> None:
    """No second attempt came, though the retry interval passed and the outbox looked again."""
    email = _address(world, name)
    time.sleep(_room_for_a_copy(settings))  # room for a second attempt to arrive
    assert mailer.refusals.count(email) == 1, mailer.refusals
    assert mailer.messages_to(email) == []


@then(parsers.re(rf"^{NAME} receives a welcome email$"))
def receives_welcome(mailer: MailOutbox, world: World, settings: Settings, name: str) -> None:
    """The mail server received exactly one welcome email for the person."""
    person, email = world.persona(name), _address(world, name)
    # Within seconds, though a send the store is cutting off may be ahead of it.
    wait = settings.email_send_timeout_seconds + 3
    assert eventually(lambda: bool(mailer.messages_to(email)), seconds=wait), "no email arrived"
    messages = mailer.messages_to(email)
    assert len(messages) == 1, messages
    assert "Welcome" in messages[0].subject
    assert person.username in messages[0].body
    assert person.password not in messages[0].body


@then(parsers.re(rf"^{NAME} has not received a welcome email$"))
def no_welcome_yet(mailer: MailOutbox, world: World, name: str) -> None:
    """The mail server was tried with the person's email, and nothing reached them."""
    email = _address(world, name)
    assert eventually(lambda: email in mailer.deferrals), "delivery was never attempted"
    assert mailer.messages_to(email) == []


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
    emails = [_address(world, name) for name in world.shoppers]
    slow = SLOW_RELAY_SECONDS * len(emails) + 5
    assert eventually(lambda: all(mailer.messages_to(e) for e in emails), seconds=slow), [
        e for e in emails if not mailer.messages_to(e)
    ]
    time.sleep(min(settings.email_retry_seconds, 2) + 0.5)  # room for a second copy to arrive
    counts = {e: len(mailer.messages_to(e)) for e in emails}
    assert set(counts.values()) == {1}, counts


@given(parsers.re(rf"^{NAME} has received {PRONOUN} welcome email$"))
def has_received_welcome(mailer: MailOutbox, world: World, name: str) -> None:
    """Wait until the person's welcome email has been delivered."""
    email = _address(world, name)
    assert eventually(lambda: bool(mailer.messages_to(email))), "no email arrived"


@then(parsers.re(rf"^{NAME} still has one welcome email, and only one$"))
def still_one_welcome(mailer: MailOutbox, world: World, settings: Settings, name: str) -> None:
    """Time has passed, and no second copy of the delivered email came."""
    time.sleep(_room_for_a_copy(settings))
    messages = mailer.messages_to(_address(world, name))
    assert len(messages) == 1, messages


@when(parsers.re(rf"^the mail server is back a second before {NAME}'s retry interval is over$"))
def back_just_before_retry(
    mailer: MailOutbox, clock: StoreClock, settings: Settings, world: World, name: str
) -> None:
    """Once the person's first attempt failed, bring the server back; all but a second pass."""
    email = _address(world, name)
    assert eventually(lambda: email in mailer.deferrals), "delivery was never attempted"
    mailer.down = False
    clock.advance(timedelta(seconds=settings.email_retry_seconds - 1))


@when("the retry interval is over")
def retry_interval_over(clock: StoreClock) -> None:
    """Let the last second of the retry interval pass."""
    clock.advance(timedelta(seconds=1))


@then(parsers.re(rf"^the mail server was tried once, and {NAME} has no welcome email yet$"))
def tried_once_nothing_yet(mailer: MailOutbox, world: World, settings: Settings, name: str) -> None:
    """The one failed attempt, and no second one before the interval is over."""
    email = _address(world, name)
    time.sleep(_room_for_a_copy(settings))
    assert mailer.deferrals.count(email) == 1, mailer.deferrals
    assert mailer.messages_to(email) == []


@given(parsers.re(rf"^the mail server stops answering when it is given {NAME}'s welcome email$"))
def hangs_on(mailer: MailOutbox, world: World, name: str) -> None:
    """Make the mail server take the person's message and then never answer."""
    mailer.unanswered.add(_address(world, name))


@given(parsers.re(rf"^the mail server will keep {NAME}'s welcome email but never answer$"))
def keeps_without_answer(mailer: MailOutbox, world: World, name: str) -> None:
    """Make the mail server keep the person's next message and lose its answer."""
    mailer.answer_lost.add(_address(world, name))


@when(
    parsers.re(
        rf"^the retry interval passes after the mail server went silent on {NAME}'s welcome email$"
    )
)
def retry_after_silence(
    mailer: MailOutbox, clock: StoreClock, settings: Settings, world: World, name: str
) -> None:
    """Once the first copy is kept, let the store's send be cut off, then a retry interval."""
    email = _address(world, name)
    assert eventually(lambda: bool(mailer.messages_to(email))), "delivery was never attempted"
    time.sleep(settings.email_send_timeout_seconds + 1)
    clock.advance(timedelta(seconds=settings.email_retry_seconds))


@then(
    parsers.re(rf"^{NAME} has {PRONOUN} welcome email twice, and both copies are the same email$")
)
def two_copies_one_email(mailer: MailOutbox, world: World, settings: Settings, name: str) -> None:
    """WORLD-12: the copy sent again carries the first one's Message-ID."""
    email = _address(world, name)
    assert eventually(
        lambda: len(mailer.messages_to(email)) >= 2, seconds=_room_for_a_copy(settings) + 3
    )
    first, second = mailer.messages_to(email)
    assert first.message_id is not None and second.message_id == first.message_id, (first, second)
    assert (first.subject, first.body) == (second.subject, second.body)
