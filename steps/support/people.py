"""The people of a scenario as a client makes them: sign up, sign in, read one's account."""

from typing import Any

from app.core.config import Settings
from harness.api import Api
from steps.support.world import Persona, World


def sign_up_body(person: Persona, **changes: object) -> dict[str, Any]:
    """Return the body of the person's sign-up; a change of None leaves that field out."""
    body: dict[str, Any] = {
        "email": person.email,
        "username": person.username,
        "password": person.password,
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def register(api: Api, person: Persona) -> Persona:
    """Sign a person up and remember their id."""
    response = api.post("/register", json=sign_up_body(person))
    assert response.status_code == 201, response.text
    person.id = response.json()["id"]
    return person


def try_sign_in(api: Api, world: World, login: str, password: str) -> None:
    """Sign in with a name and a password, keeping the answer whatever it is."""
    world.response = api.post("/login", data={"username": login, "password": password})


def sign_in(api: Api, person: Persona, name: str | None = None) -> Persona:
    """Sign a person in and keep their token."""
    response = api.post(
        "/login", data={"username": name or person.username, "password": person.password}
    )
    assert response.status_code == 200, response.text
    person.token = response.json()["access_token"]
    return person


def signed_in(api: Api, world: World, name: str) -> Persona:
    """Return the person, signed up and signed in if they were not yet."""
    person = world.persona(name)
    if person.token:
        return person
    if person.id is None:
        register(api, person)
    return sign_in(api, person)


def own_account(api: Api, token: str | None) -> dict[str, Any]:
    """Read the account a token opens, insisting that it does."""
    response = api.get("/me", token=token)
    assert response.status_code == 200, response.text
    account: dict[str, Any] = response.json()
    return account


def signs_in_to_own_account(api: Api, person: Persona) -> dict[str, Any]:
    """Sign the person in and read back the account the new token opens."""
    return own_account(api, sign_in(api, person).token)


def witness(api: Api, world: World) -> Persona:
    """Return someone signed in who can look at accounts, signing up a witness if need be."""
    person = world.persona("Wendy")
    if person.token is None:
        sign_in(api, register(api, person))
    return person


def read_account(api: Api, world: World, person: Persona) -> dict[str, Any]:
    """Read the person's account back, as a witness who is not its owner."""
    response = api.get(f"/users/{person.id}", token=witness(api, world).token)
    assert response.status_code == 200, response.text
    account: dict[str, Any] = response.json()
    return account


# The store admin of the scenarios that keep the catalogue without naming her.
STORE_ADMIN = "Olivia"


def as_store_admin(api: Api, world: World, settings: Settings, name: str = STORE_ADMIN) -> Persona:
    """Return the person as the admin the store's settings name, signed in as a client would."""
    person = world.persona(name)
    if person.token is not None and person.username == settings.admin_username:
        return person
    assert settings.admin_email and settings.admin_password, "the store's settings name no admin"
    person.email, person.username = settings.admin_email, settings.admin_username
    person.password = settings.admin_password.get_secret_value()
    sign_in(api, person)
    person.id = own_account(api, person.token)["id"]
    return person
