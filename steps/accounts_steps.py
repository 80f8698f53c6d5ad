"""Looking at, listing and closing accounts."""

from pytest_bdd import given, parsers, then, when

from harness.api import Api
from steps.support.people import register, sign_in, witness
from steps.support.vocabulary import MISSING_ID, NAME, PRONOUN
from steps.support.world import World, make_persona

USER_FIELDS = {"id", "email", "username", "is_active", "is_admin", "created_at"}


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
