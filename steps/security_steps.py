"""Steps of security.feature: limits, a production store's posture, the served store."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from pytest_bdd import given, parsers, then, when

from harness.api import Api
from harness.mailserver import free_port
from harness.settings import written_settings
from harness.stores import Stores
from steps.support.operation import (
    database_file,
    operator_environment,
    start,
    start_from_environment,
    that_store,
)
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

PROJECT = Path(__file__).resolve().parents[1]
# 32 bytes, 26 of them different: strong enough for a production store (SEC-05).
STRONG_KEY = "security-steps-8f3Kq1Zx7Lm2Vb9Np4"
MEBIBYTE = 1024 * 1024
BODY_TIMEOUT_SECONDS = 1.0
DOCUMENTATION = ("/docs", "/redoc", "/openapi.json")
PRODUCTION = {
    "APP_ENV": "production",
    "APP_SECRET_KEY": STRONG_KEY,
    "APP_EMAIL_BACKEND": "smtp",
    "APP_SMTP_PORT": "9",
    "APP_PAYMENT_BACKEND": "http",
    "APP_PAYMENT_URL": "http://127.0.0.1:9",
}
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


@dataclass
class Served:
    """The store as `python -m app serve` runs it, and what was last seen of it."""

    origin: str = ""
    process: "subprocess.Popen[bytes] | None" = None
    answers: list[httpx.Response] = field(default_factory=list)
    raw: bytes = b""
    seconds: float = 0.0


@pytest.fixture
def served() -> Iterator[Served]:
    """Nothing is served until a step starts the store's own command; it stops after."""
    record = Served()
    yield record
    if record.process is not None:
        record.process.terminate()
        record.process.wait(10)


@given("the store is served by its own command")
def served_by_its_command(served: Served, stores: Stores, tmp_path: Path) -> None:
    """Start `python -m app serve` as an operator does, in production, on a free port."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    environment |= PRODUCTION | {
        "APP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'served.db'}",
        "APP_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT_SECONDS),
    }
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            cwd=PROJECT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served.process = process
    served.origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            if httpx.get(f"{served.origin}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the served store did not come up")


def _exchange(served: Served, data: bytes, *, wait: float = 5.0) -> None:
    """Send raw bytes to the served store and keep what it answers, and how fast."""
    port = int(served.origin.rsplit(":", 1)[1])
    started = time.monotonic()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        try:
            connection.sendall(data)
            while chunk := connection.recv(65536):
                received += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
    served.raw, served.seconds = received, time.monotonic() - started


@when("a client sends a request with headers of 48 mebibytes")
def sends_huge_headers(served: Served) -> None:
    """Send one header far beyond any limit."""
    _exchange(served, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (48 * MEBIBYTE))


@then("the store closes the connection at once")
def closes_at_once(served: Served) -> None:
    """The request was never answered as read; the store hung up within a second."""
    assert not served.raw.startswith(b"HTTP/1.1 200"), served.raw[:200]
    assert served.seconds < 1.0, served.seconds


@when("a client starts a sign-up and stops sending half way")
def stalls_a_sign_up(served: Served) -> None:
    """Announce a body of 100 bytes, send 10, and wait."""
    head = b"POST /api/v1/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    _exchange(served, head + b"Content-Length: 100\r\n\r\n" + b'{"email": ')


@then(
    parsers.re(
        r"^the client is told within (?P<seconds>\d+) seconds"
        r" that its request did not arrive in time$"
    ),
    converters={"seconds": int},
)
def told_too_slow(served: Served, seconds: int) -> None:
    """A 408 with the contract's message, soon after the deadline."""
    assert served.raw.startswith(b"HTTP/1.1 408"), served.raw[:200]
    assert served.raw.endswith(b'{"detail": "Request body not received in time"}')
    assert BODY_TIMEOUT_SECONDS <= served.seconds < seconds


@when("a client checks the store's health")
def checks_served_health(served: Served) -> None:
    """Ask the served store's health check."""
    served.answers = [httpx.get(f"{served.origin}/health", timeout=5)]


@then("the answer does not name the server software")
def no_server_header(served: Served) -> None:
    """No `server` header says what runs the store."""
    (answer,) = served.answers
    assert answer.status_code == 200
    assert "server" not in answer.headers, answer.headers


@when(parsers.re(rf"^{NAME} looks at {PRONOUN} account sending 20 kibibytes of headers$"))
def looks_with_big_headers(api: Api, world: World, name: str) -> None:
    """Ask for the account with headers past the limit of 16 KiB."""
    headers = {f"X-Filler-{n}": "f" * 1024 for n in range(20)}
    world.response = api.get("/me", token=world.persona(name).token, headers=headers)


@then(parsers.re(rf"^{NAME}'s request is turned away because its headers are too large$"))
def turned_away_for_headers(world: World, name: str) -> None:
    """A 431 with the contract's message and the usual safety headers."""
    assert world.last.status_code == 431, world.last.text
    assert world.last.json() == {"detail": "Request headers too large"}
    assert world.last.headers["X-Content-Type-Options"] == "nosniff"


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
