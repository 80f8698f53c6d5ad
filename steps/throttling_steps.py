"""Steps of authentication.feature's throttle: failed sign-ins, locks and attempts at once."""

from datetime import timedelta
from typing import Any

from pytest_bdd import given, parsers, then, when

from harness.api import Api
from harness.ports import StoreClock
from steps.support.passes import fail_sign_ins
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

# A name written with the Turkish dotless ı for each i: another name, which only looks alike.
LOOK_ALIKE = " written with a dotless ı"


@given(
    parsers.re(
        rf"^someone has failed to sign in as {NAME} (?P<times>\d+) times?"
        rf"(?P<apart>, a minute apart)?"
        rf"(?: with {PRONOUN} (?P<what>username|email address)(?P<look_alike>{LOOK_ALIKE})?)?$"
    ),
    converters={"times": int},
)
def failed_sign_ins(
    api: Api,
    world: World,
    fake: Any,
    clock: StoreClock,
    name: str,
    times: int,
    apart: str | None,
    what: str | None,
    look_alike: str | None,
) -> None:
    """Try wrong passwords for the person's account, or for a name that only looks like it."""
    person = world.persona(name)
    login = person.email if what == "email address" else person.username
    if look_alike:
        # "ı".upper() is "I", but "I".lower() is "i": alike in capitals, not in lower case.
        assert "i" in login, login
        login = login.replace("i", "ı")
    fail_sign_ins(api, login, times, fake, clock, gap=1 if apart else 0)
    if apart:
        clock.advance(timedelta(minutes=-1))


@given(
    parsers.re(r'^someone has failed to sign in as "(?P<login>[^"]+)" (?P<times>\d+) times$'),
    converters={"times": int},
)
def failed_sign_ins_as_name(api: Api, fake: Any, clock: StoreClock, login: str, times: int) -> None:
    """Try wrong passwords for a name the feature gives."""
    fail_sign_ins(api, login, times, fake, clock, gap=0)


@then(
    parsers.re(
        rf"^{NAME} is told to wait (?P<count>\d+) (?P<unit>minute|second)s? before trying again$"
    ),
    converters={"count": int},
)
def told_to_wait(world: World, name: str, count: int, unit: str) -> None:
    """The refusal says how many seconds are left, rounded up."""
    seconds = count * 60 if unit == "minute" else count
    assert world.last.headers["Retry-After"] == str(seconds), world.last.headers


@when(
    parsers.re(rf"^someone sends (?P<times>\d+) wrong passwords for {NAME} at the same moment$"),
    converters={"times": int},
)
def wrong_passwords_at_once(api: Api, world: World, fake: Any, name: str, times: int) -> None:
    """Send so many wrong guesses for the person's username at the same moment."""
    login = world.persona(name).username
    world.responses = api.concurrently(
        [
            {"method": "POST", "path": "/login", "data": {"username": login, "password": p}}
            for p in (fake.password() for _ in range(times))
        ]
    )


@when(
    parsers.re(rf"^{NAME} signs in on (?P<times>\d+) devices at the same moment$"),
    converters={"times": int},
)
def signs_in_at_once(api: Api, world: World, name: str, times: int) -> None:
    """Send so many right sign-ins for the person at the same moment."""
    person = world.persona(name)
    form = {"username": person.username, "password": person.password}
    call = {"method": "POST", "path": "/login", "data": form}
    world.responses = api.concurrently([call] * times)


@then(
    parsers.re(
        r"^(?P<wrong>\d+) of them are refused as wrong and the others because there are too"
        r" many failed sign-ins$"
    ),
    converters={"wrong": int},
)
def refused_as_wrong_then_throttled(world: World, wrong: int) -> None:
    """So many guesses were checked and refused; every other one was throttled."""
    statuses = sorted(r.status_code for r in world.responses)
    assert statuses == [401] * wrong + [429] * (len(statuses) - wrong), statuses


@then(parsers.re(rf"^each of {NAME}'s sign-ins succeeds$"))
def each_sign_in_succeeds(world: World, name: str) -> None:
    """Every one of the person's sign-ins gave a pass."""
    assert [r.status_code for r in world.responses] == [200] * len(world.responses), [
        r.text for r in world.responses if r.status_code != 200
    ]
