"""Steps of security.feature: limits, addresses, and a production store's posture."""

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from pytest_bdd import given, parsers, then, when

from harness.api import Api
from harness.settings import written_settings
from harness.stores import Stores
from steps.served_store_steps import Served
from steps.support.operation import (
    PRODUCTION,
    STRONG_KEY,
    database_file,
    operator_environment,
    start,
    start_from_environment,
    that_store,
)
from steps.support.people import register, try_sign_in
from steps.support.refusals import Refusal
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

DOCUMENTATION = ("/docs", "/redoc", "/openapi.json")
SETUPS = {
    "the sandbox payments": {"APP_PAYMENT_BACKEND": "sandbox"},
    "its mail written to its log": {"APP_EMAIL_BACKEND": "console"},
    "a signing key of 32 times the same letter": {"APP_SECRET_KEY": "a" * 32},
}
REASONS = {
    "its payments would never be charged": "APP_PAYMENT_BACKEND=sandbox",
    "its mail would never be sent": "APP_EMAIL_BACKEND=console",
    "its signing key is too easy to guess": "bits of estimated entropy",
}


@when(parsers.re(rf"^{NAME} looks at {PRONOUN} account sending 20 kibibytes of headers$"))
def looks_with_big_headers(api: Api, world: World, name: str) -> None:
    """Ask for the account with headers past the limit of 16 KiB."""
    headers = {f"X-Filler-{n}": "f" * 1024 for n in range(20)}
    world.response = api.get("/me", token=world.persona(name).token, headers=headers)


def _head_bytes(request: httpx.Request) -> int:
    """The request line and header lines as sent, each with its CRLF (SEC-02's count)."""
    line = f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n"
    return len(line.encode()) + sum(
        len(name) + len(value) + 4 for name, value in request.headers.raw
    )


# What a person looks at, and the path asked for: the orders with a query string, the
# account without one, and the account at `/m%65`, which counts as sent, not as the store
# decodes it (`/me`).
LOOKED_AT = {
    "orders": "/orders?limit=5",
    "account": "/me",
    "account at an address spelled with escapes": "/m%65",
}


@when(
    parsers.re(
        rf"^{NAME} looks at {PRONOUN} (?P<what>{'|'.join(LOOKED_AT)}) with a request line and "
        r"headers of (?P<size>\d+) bytes$"
    )
)
def looks_with_headers_of(api: Api, world: World, name: str, what: str, size: str) -> None:
    """Measure a first request as sent, then pad a second one to the size, to the byte."""
    token = world.persona(name).token
    path = LOOKED_AT[what]

    def look(padding: str) -> httpx.Response:
        return api.get(path, token=token, headers={"X-Padding": padding})

    probe = look("p")
    padding = "p" * (1 + int(size) - _head_bytes(probe.request))
    world.response = look(padding)
    assert _head_bytes(world.response.request) == int(size)


@then(parsers.re(rf"^{NAME}'s request is read$"))
def request_is_read(world: World, name: str) -> None:  # noqa: ARG001 - the feature's subject
    """The request reached the store's rules: the answer is what was asked for."""
    assert world.last.status_code == 200, world.last.text
    assert isinstance(world.last.json(), dict)


@then(parsers.re(rf"^{NAME}'s request is turned away because its headers are too large$"))
def turned_away_for_headers(world: World, name: str) -> None:
    """A 431 with the contract's message and the usual safety headers."""
    Refusal(431, "Request headers too large").check(world.last)
    assert world.last.headers["X-Content-Type-Options"] == "nosniff"


@then(parsers.re(rf"^{NAME} is told that the part before the @ (?P<rule>.+)$"))
def told_the_address_rule(world: World, name: str, rule: str) -> None:  # noqa: ARG001
    """A 422 whose one issue is the email, its message naming the rule it broke (SEC-04)."""
    assert world.last.status_code == 422, world.last.text
    [issue] = world.last.json()["detail"]
    assert issue["loc"] == ["body", "email"], issue
    assert issue["msg"] == f"Value error, The part before the @ {rule}", issue


@given(parsers.re(rf'^{NAME} has an account with an address at "(?P<domain>[^"]+)"$'))
def has_account_at(api: Api, world: World, name: str, domain: str) -> None:
    """Sign the person up with their own address, at the domain as the feature writes it."""
    person = world.persona(name)
    person.email = f"{person.email.partition('@')[0]}@{domain}"
    register(api, person)


@when(parsers.re(rf'^{NAME} signs in with {PRONOUN} address written at "(?P<domain>[^"]+)"$'))
def signs_in_at(api: Api, world: World, name: str, domain: str) -> None:
    """Sign in with the person's address, its domain written as the feature says."""
    person = world.persona(name)
    try_sign_in(api, world, f"{person.email.partition('@')[0]}@{domain}", person.password)


@when(parsers.re(r"^a production store is set up with (?P<setup>.+)$"))
def production_set_up(
    monkeypatch: pytest.MonkeyPatch, world: World, stores: Stores, tmp_path: Path, setup: str
) -> None:
    """Start a production store from its environment, with one thing set up wrongly."""
    environment: dict[str, str | None] = {**PRODUCTION, **SETUPS[setup]}
    environment["APP_DATABASE_URL"] = database_file(world, tmp_path)
    operator_environment(monkeypatch, environment)
    start_from_environment(world, stores)


@then(parsers.re(r"^the production store does not start, because (?P<reason>.+)$"))
def production_does_not_start(world: World, reason: str) -> None:
    """The settings were refused, saying why without showing the key, and nothing started."""
    refusal = world.operation.refusal
    assert isinstance(refusal, ValidationError), "the store started"
    assert REASONS[reason] in str(refusal), str(refusal)
    assert "a" * 32 not in str(refusal) and STRONG_KEY not in str(refusal)
    assert world.operation.store is None


@given(
    parsers.re(
        r"^a production store (?P<publishing>that publishes its API documentation )?is running$"
    )
)
def production_store(world: World, stores: Stores, tmp_path: Path, publishing: str | None) -> None:
    """Start a production store as an operator writes its settings."""
    values = {name.removeprefix("APP_").lower(): value for name, value in PRODUCTION.items()}
    settings = written_settings(
        **values, database_url=database_file(world, tmp_path), api_docs=bool(publishing)
    )
    start(world, stores, settings)


@when("a visitor asks for the store's API documentation")
def asks_for_documentation(served: Served, world: World) -> None:
    """Ask for the interactive pages and the OpenAPI document."""
    store = that_store(world)
    served.answers = [store.raw("GET", path) for path in DOCUMENTATION]


@then("the store has no API documentation to show")
def no_documentation(served: Served) -> None:
    """Every documentation address is one the store does not have."""
    assert [answer.status_code for answer in served.answers] == [404, 404, 404]
    assert all(answer.json() == {"detail": "Not Found"} for answer in served.answers)


@then("the store shows its API documentation")
def shows_documentation(served: Served) -> None:
    """The pages are served, and the document describes the store."""
    assert [answer.status_code for answer in served.answers] == [200, 200, 200]
    assert served.answers[2].json()["info"]["title"] == "Storefront"
