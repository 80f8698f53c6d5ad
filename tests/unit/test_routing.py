"""What the router answers for a method or an address the API does not offer."""

import asyncio

import httpx
import pytest

from app.main import create_app
from tests.unit.test_openapi import SETTINGS

pytestmark = pytest.mark.unit


def ask(method: str, path: str) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(SETTINGS))
        async with httpx.AsyncClient(transport=transport, base_url="http://store.test") as client:
            return await client.request(method, path)

    return asyncio.run(send())


def test_a_method_a_path_does_not_offer_names_every_method_it_does() -> None:
    # GET and POST /products are two routes: Starlette alone would name only the first's.
    answer = ask("DELETE", "/api/v1/products")

    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"
    assert answer.json() == {"detail": "Method Not Allowed"}


def test_an_address_with_a_trailing_slash_is_not_found_never_redirected() -> None:
    answer = ask("GET", "/api/v1/products/")

    assert answer.status_code == 404
    assert "location" not in answer.headers
