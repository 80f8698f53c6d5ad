"""Steps of the store's limits on a request's body: too large, or too slow to arrive."""

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

from pytest_bdd import given, parsers, when

from harness.api import Api
from harness.stores import Stores
from steps.support.operation import settings_for, start, that_store
from steps.support.people import sign_up_body
from steps.support.vocabulary import NAME
from steps.support.world import World

MEBIBYTE = 1024 * 1024
# How long a store of these scenarios waits for a body, and how long the client stalls.
BODY_TIMEOUT_SECONDS = 1.0
STALL_SECONDS = 10.0


def _sign_up_of(world: World, name: str, size: str) -> bytes:
    """The person's sign-up, padded to exactly one mebibyte, or to more than that."""
    body = sign_up_body(world.persona(name)) | {"padding": ""}
    unpadded = len(json.dumps(body).encode())
    body["padding"] = "x" * (MEBIBYTE - unpadded + (1 if size == "more than" else 0))
    return json.dumps(body).encode()


@when(
    parsers.re(
        rf"^{NAME} sends a sign-up of (?P<size>more than|exactly) one mebibyte"
        r"(?: at once|(?P<pieces> in pieces, without saying its size))?$"
    )
)
def sends_sign_up_of_size(api: Api, world: World, name: str, size: str, pieces: str | None) -> None:
    """Send the sign-up whole, saying its size, or as a stream of pieces that does not."""
    body = _sign_up_of(world, name, size)
    assert len(body) == MEBIBYTE + (1 if size == "more than" else 0)
    headers = {"Content-Type": "application/json"}
    if pieces is None:
        world.response = api.post("/register", content=body, headers=headers)
        return

    async def stream() -> AsyncIterator[bytes]:
        for offset in range(0, len(body), 64 * 1024):
            yield body[offset : offset + 64 * 1024]

    world.response = api.post("/register", content=stream(), headers=headers)
    assert "content-length" not in world.response.request.headers


@when(
    parsers.re(
        rf"^{NAME} sends a sign-up announced as two mebibytes long, and sends only its start$"
    )
)
def announces_a_large_sign_up(api: Api, world: World, name: str) -> None:
    """Say a size over the limit and send a small sign-up: the size said is refused at once."""
    body = json.dumps(sign_up_body(world.persona(name))).encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(2 * MEBIBYTE)}
    world.response = api.post("/register", content=body, headers=headers)
    assert world.response.request.headers["content-length"] == str(2 * MEBIBYTE)


@given("a store that waits one second for a request's body is running")
def store_with_short_body_timeout(world: World, stores: Stores, tmp_path: Path) -> None:
    """Start a store whose limit on a body's arrival is one second."""
    start(world, stores, settings_for(world, tmp_path, body_timeout_seconds=BODY_TIMEOUT_SECONDS))


@when(parsers.re(rf"^{NAME} starts a sign-up at that store and stops sending half way$"))
def stalls_sign_up(world: World, name: str) -> None:
    """Send half of a sign-up, then nothing for longer than the store waits."""
    body = json.dumps(sign_up_body(world.persona(name))).encode()

    async def half_then_silence() -> AsyncIterator[bytes]:
        yield body[: len(body) // 2]
        await asyncio.sleep(STALL_SECONDS)
        yield body[len(body) // 2 :]

    world.response = that_store(world).raw(
        "POST",
        "/api/v1/register",
        content=half_then_silence(),
        headers={"Content-Type": "application/json"},
    )
