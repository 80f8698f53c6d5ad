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


@when(parsers.re(rf"^{NAME} sends a sign-up of more than one mebibyte$"))
def sends_huge_sign_up(api: Api, world: World, name: str) -> None:
    """Send a sign-up just over the limit."""
    body = sign_up_body(world.persona(name)) | {"padding": "x" * MEBIBYTE}
    world.response = api.post("/register", json=body)


@when(
    parsers.re(
        rf"^{NAME} sends a sign-up of more than one mebibyte in pieces, without saying its size$"
    )
)
def sends_huge_chunked_sign_up(api: Api, world: World, name: str) -> None:
    """Send the same body as a stream of pieces: no Content-Length for the store to read."""
    body = json.dumps(sign_up_body(world.persona(name)) | {"padding": "x" * MEBIBYTE}).encode()

    async def pieces() -> AsyncIterator[bytes]:
        for offset in range(0, len(body), 64 * 1024):
            yield body[offset : offset + 64 * 1024]

    world.response = api.post(
        "/register", content=pieces(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in world.response.request.headers


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
