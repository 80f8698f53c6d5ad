"""Steps of the store served by its own command, `python -m app serve`, spoken to on the wire."""

import json
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
from pytest_bdd import given, parsers, then, when

from harness.mailserver import free_port
from steps.support.operation import PRODUCTION

PROJECT = Path(__file__).resolve().parents[1]
MEBIBYTE = 1024 * 1024
BODY_TIMEOUT_SECONDS = 1.0


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
def served_by_its_command(served: Served, tmp_path: Path) -> None:
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


@when("a client sends the store something that is not HTTP")
def sends_what_is_not_http(served: Served) -> None:
    """Send a request line that no HTTP parser reads."""
    _exchange(served, b"NOT HTTP AT ALL\r\n\r\n")


@then("the client is told its request is malformed, with the store's safety headers")
def told_malformed(served: Served) -> None:
    """A 400 with a JSON detail and the headers of every answer; the connection then closes."""
    head, _, body = served.raw.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
    assert status == "HTTP/1.1 400 Bad Request", served.raw[:300]
    assert headers["content-type"] == "application/json", headers
    assert json.loads(body) == {"detail": "Malformed HTTP request"}
    assert headers["x-content-type-options"] == "nosniff", headers
    assert headers["cache-control"] == "no-store", headers
    assert len(headers["x-request-id"]) == 32, headers
    assert headers["connection"] == "close", headers
    assert "server" not in headers, headers
