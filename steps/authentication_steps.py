"""Steps of authentication.feature: signing in, passes (access tokens) and throttling."""

from typing import Any

import jwt
from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.ports import StoreClock
from steps.support.passes import forged_pass
from steps.support.people import own_account, register, sign_in, try_sign_in
from steps.support.refusals import REASONS
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World


@when(
    parsers.re(
        rf"^{NAME} signs in with {PRONOUN} (?P<what>username|email address)(?P<caps> in capitals)?$"
    )
)
def signs_in_with(api: Api, world: World, name: str, what: str, caps: str | None) -> None:
    """Sign in with the username or the email address."""
    person = world.persona(name)
    login = person.username if what == "username" else person.email
    try_sign_in(api, world, login.upper() if caps else login, person.password)


@when(parsers.re(r'^someone signs in as "(?P<login>[^"]+)"$'))
def someone_signs_in_as(api: Api, world: World, fake: Any, login: str) -> None:
    """Sign in with a name the feature gives."""
    try_sign_in(api, world, login, fake.password())


@then(parsers.re(rf"^{NAME} is signed in as (?:herself|himself|themselves)$"))
def signed_in_as_self(api: Api, world: World, name: str) -> None:
    """The sign-in gave a bearer pass that opens the person's own account."""
    response = world.last
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    person = world.persona(name)
    person.token = body["access_token"]
    assert own_account(api, person.token)["id"] == person.id


ISSUED_WITHIN_SECONDS = 5


@then(
    parsers.re(rf"^{NAME}'s pass names {PRONOUN} and expires thirty minutes after it was issued$")
)
def pass_names_and_expires(world: World, settings: Settings, clock: StoreClock, name: str) -> None:
    """Read the pass: HS256, subject the account id, thirty minutes of life from now."""
    token = world.last.json()["access_token"]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(
        token, settings.signing_key, algorithms=["HS256"], options={"verify_exp": False}
    )
    assert claims["sub"] == str(world.persona(name).id)
    # Issued at the store's present: on a fake clock exactly now, on a wall clock just before.
    now = int(clock.now().timestamp())
    assert now - ISSUED_WITHIN_SECONDS <= claims["iat"] <= now, (claims, now)
    assert claims["exp"] - claims["iat"] == 30 * 60


@given(parsers.re(rf"^{NAME} had an account that (?:she|he|they) deleted$"))
def had_deleted_account(api: Api, world: World, name: str) -> None:
    """Sign the person up, in, and delete their account."""
    person = sign_in(api, register(api, world.persona(name)))
    response = api.delete(f"/users/{person.id}", token=person.token)
    assert response.status_code == 204, response.text


@when(parsers.re(r"^someone signs in with (?P<mistake>.+)$"))
def someone_signs_in_with(api: Api, world: World, fake: Any, mistake: str) -> None:
    """Sign in with a mistake from the feature's examples."""
    if mistake == "Alice's name and a wrong password":
        try_sign_in(api, world, world.persona("Alice").username, fake.password())
    elif mistake == "Alice's email address and a wrong password":
        try_sign_in(api, world, world.persona("Alice").email, fake.password())
    elif mistake == "a name nobody has":
        try_sign_in(api, world, fake.user_name() + "_nobody", fake.password())
    elif mistake == "Bob's name and password":
        bob = world.persona("Bob")
        try_sign_in(api, world, bob.username, bob.password)
    elif mistake == "a name holding a NUL character":
        alice = world.persona("Alice")
        try_sign_in(api, world, f"{alice.username}\x00", alice.password)
    else:
        raise AssertionError(f"unknown mistake {mistake!r}")


@when("someone signs in without a password")
def signs_in_without_password(api: Api, world: World) -> None:
    """Send the sign-in form with no password."""
    world.response = api.post("/login", data={"username": world.persona("Alice").username})


@when("someone asks for their own account without a pass")
def asks_without_pass(api: Api, world: World) -> None:
    """Ask for the signed-in account with no pass at all."""
    world.response = api.get("/me")


@when(parsers.re(rf"^someone asks for {NAME}'s account with a pass that (?P<problem>.+)$"))
def asks_with_bad_pass(
    api: Api, world: World, settings: Settings, clock: StoreClock, name: str, problem: str
) -> None:
    """Ask for the account with a pass that should not open it."""
    person = world.persona(name)
    if problem == "names someone who no longer exists":
        gone = sign_in(api, register(api, world.persona("Zed")))
        assert api.delete(f"/users/{gone.id}", token=gone.token).status_code == 204
        token = gone.token
    else:
        token = forged_pass(problem, person, settings, clock)
    world.response = api.get("/me", token=token)


@then(parsers.re(rf"^{NAME}'s (?:old )?pass no longer opens {PRONOUN} account$"))
def pass_no_longer_opens(api: Api, world: World, name: str) -> None:
    """The pass the person holds is refused as not valid."""
    person = world.persona(name)
    token = world.token_before_change or person.token
    REASONS["the token is not valid"].check(api.get("/me", token=token))


@then(parsers.re(rf"^{NAME}'s pass still opens {PRONOUN} account$"))
def pass_still_opens(api: Api, world: World, name: str) -> None:
    """The pass the person holds still opens their account."""
    person = world.persona(name)
    assert own_account(api, person.token)["id"] == person.id


@then(parsers.re(rf"^{NAME} can sign in with {PRONOUN} new password$"))
def can_sign_in_with_new_password(api: Api, world: World, name: str) -> None:
    """The new password opens the account; the old one no longer does."""
    person = world.persona(name)
    assert world.before_change is not None, "no account detail was changed"
    old_password = world.before_change.password
    assert old_password != person.password, "the password did not change"
    refused = api.post("/login", data={"username": person.username, "password": old_password})
    REASONS["the credentials are invalid"].check(refused)
    assert sign_in(api, person).token


@given(parsers.re(rf"^{NAME} has signed in(?: with {PRONOUN} (?P<what>username|email address))?$"))
def has_signed_in(api: Api, world: World, name: str, what: str | None) -> None:
    """Sign in successfully, with the username unless the email address is named."""
    person = world.persona(name)
    sign_in(api, person, name=person.email if what == "email address" else None)
