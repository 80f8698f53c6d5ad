"""Steps of errors.feature and health.feature: refusals, failures, references, health."""

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal
from fastapi import FastAPI
from pytest_bdd import given, parsers, then, when
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.core.db import Database
from app.core.deps import get_database
from harness.api import Api
from steps.support.people import sign_up_body
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

_GENERATED_REFERENCE = re.compile(r"^[0-9a-f]{32}$")


@when(parsers.re(rf"^{NAME} signs up setting (?P<detail>[a-z_]+)$"))
def signs_up_setting(api: Api, world: World, name: str, detail: str) -> None:
    """Sign up with one more detail than a sign-up has."""
    values: dict[str, Any] = {
        "is_admin": True,
        "is_active": False,
        "id": 1,
        "created_at": "2020-01-01T00:00:00Z",
    }
    world.response = api.post(
        "/register", json=sign_up_body(world.persona(name)) | {detail: values[detail]}
    )


@when(parsers.re(rf"^{NAME} sends a sign-up that (?P<problem>.+)$"))
def sends_odd_sign_up(api: Api, world: World, name: str, problem: str) -> None:
    """Send a sign-up body of the kind the feature names."""
    body = sign_up_body(world.persona(name))
    raw: bytes
    if problem == "is plain text, not structured data":
        raw = b"email=someone&password=secret"
    elif problem == "is not text at all":
        raw = b"\xff\xfe\x00\x9c\xc3\x28" + json.dumps(body).encode()
    elif problem == "is a list instead of an object":
        raw = json.dumps([body]).encode()
    elif problem == "has a number for an email":
        raw = json.dumps(body | {"email": 12345}).encode()
    elif problem == "has a very long username":
        raw = json.dumps(body | {"username": "b" * 5000}).encode()
    elif problem == "has a password of 10000 letters":
        raw = json.dumps(body | {"password": "a1" * 5000}).encode()
    else:
        raise AssertionError(f"unknown problem {problem!r}")
    world.response = api.post(
        "/register", content=raw, headers={"Content-Type": "application/json"}
    )
    assert "a1a1a1a1" not in world.response.text, "the submitted password was echoed"


@when("a visitor asks to remove the whole catalogue")
def removes_catalogue(api: Api, world: World) -> None:
    """Send a method the catalogue's address does not offer."""
    world.response = api.request("DELETE", "/products")


@then("the store answers that the catalogue can only be browsed or added to")
def refused_method(world: World) -> None:
    """A 405 whose `Allow` names every method the catalogue's address offers."""
    assert world.response is not None
    assert world.response.status_code == 405, world.response.text
    assert world.response.headers["allow"] == "GET, POST"
    assert world.response.json() == {"detail": "Method Not Allowed"}


@then(parsers.re(rf"^{NAME} is told that an amount (?P<rule>.+)$"))
def told_the_amount_rule(world: World, name: str, rule: str) -> None:  # noqa: ARG001
    """A 422 whose one issue is the price, its message naming the rule it broke."""
    assert world.response is not None
    assert world.response.status_code == 422, world.response.text
    [issue] = world.response.json()["detail"]
    assert issue["loc"] == ["body", "price"], issue
    assert issue["msg"] == f"Value error, An amount {rule}", issue


@when(parsers.re(rf'^{NAME} looks at the account numbered "(?P<number>[^"]*)"$'))
def looks_at_numbered(api: Api, world: World, name: str, number: str) -> None:
    """Ask for an account by whatever number the feature gives."""
    world.response = api.get(f"/users/{number}", token=world.persona(name).token)


@when(parsers.re(rf"^{NAME} asks for a page the store does not have$"))
def asks_for_missing_page(api: Api, world: World, name: str) -> None:
    """Ask for an address that is not part of the API."""
    world.response = api.get("/no-such-page", token=world.persona(name).token)


@pytest.fixture
def unreachable_database(portal: BlockingPortal, tmp_path: Path) -> Iterator[Database]:
    """A database whose file lies in a folder that does not exist."""
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/missing/folder/store.db")
    yield database
    portal.call(database.dispose)


@given(parsers.re(r"^the store's (?:records fail unexpectedly|database cannot be reached)$"))
def records_fail(service: FastAPI, unreachable_database: Database) -> None:
    """Point the store's database dependency at a database that cannot be opened."""
    service.dependency_overrides[get_database] = lambda: unreachable_database


@then(parsers.re(rf"^{NAME} is told that something went wrong, without any details$"))
def told_something_went_wrong(world: World, name: str) -> None:
    """A 500 with the one safe message, and the usual headers."""
    response = world.last
    assert response.status_code == 500, response.text
    assert response.json() == {"detail": "Internal server error"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sqlite" not in response.text.lower() and "Traceback" not in response.text


@then("the failure is in the store's log under the answer's reference")
def failure_logged(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """The server logged the error, with its traceback, under the reference it answered with."""
    reference = world.last.headers["X-Request-ID"]
    records = [
        r for r in caplog.records if r.levelno >= logging.ERROR and reference in r.getMessage()
    ]
    assert records, f"no error was logged under {reference}"
    assert records[0].exc_info is not None


@when(parsers.re(rf'^{NAME} looks at {PRONOUN} account with the reference "(?P<reference>.*)"$'))
def looks_with_reference(api: Api, world: World, name: str, reference: str) -> None:
    """Ask for the account, sending a reference (or none, when it is empty)."""
    headers = {"X-Request-ID": reference} if reference else {}
    world.response = api.get("/me", token=world.persona(name).token, headers=headers)
    world.sent_request_id = reference


@then(parsers.re(r'^the answer carries the reference "(?P<reference>[^"]+)"$'))
def carries_reference(world: World, reference: str) -> None:
    """The answer echoes the client's reference and forbids type sniffing."""
    assert world.last.headers["X-Request-ID"] == reference
    assert world.last.headers["X-Content-Type-Options"] == "nosniff"


@then("the answer carries a new reference")
def carries_new_reference(world: World) -> None:
    """The answer carries a reference the store made itself."""
    reference = world.last.headers["X-Request-ID"]
    assert _GENERATED_REFERENCE.match(reference), reference
    assert reference != world.sent_request_id
    assert world.last.headers["X-Content-Type-Options"] == "nosniff"


@when("the operator checks the store's health")
def checks_health(api: Api, world: World) -> None:
    """Ask the health check."""
    world.response = api.get("/health")


@pytest.fixture
def read_only_database(api: Api, database: Database) -> Iterator[Database]:
    """The running store's database, refusing every write as a full disk or read-only file
    does (the store has started, with its admin, before)."""
    assert api is not None

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            raise OperationalError(
                statement, None, Exception("attempt to write a readonly database")
            )

    event.listen(database.engine.sync_engine, "before_cursor_execute", refuse)
    yield database
    event.remove(database.engine.sync_engine, "before_cursor_execute", refuse)


@given("the store's database can no longer be written to")
def database_read_only(read_only_database: Database) -> None:
    """Make the store's database refuse every write from now on."""
    assert read_only_database is not None


@then("the store reports that its database cannot be written to")
def reports_read_only(world: World) -> None:
    """The health check says the store is unavailable because it cannot write."""
    assert world.last.status_code == 503, world.last.text
    assert world.last.json() == {"status": "unavailable", "database": "read-only"}


@then(parsers.re(r"^the store reports that it and its database are (?P<state>ok|unavailable)$"))
def reports_health(world: World, state: str) -> None:
    """The health check answers with the state of the service and its database."""
    assert world.last.status_code == (200 if state == "ok" else 503), world.last.text
    assert world.last.json() == {"status": state, "database": state}
