"""The steps' HTTP client: synchronous calls into the session's event loop."""

import asyncio
from collections.abc import Sequence
from concurrent.futures import Future
from functools import partial
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal

from harness.contract import ResponseContract

API = "/api/v1"


class Api:
    """Speaks HTTP to the service for sync step functions, checking every success."""

    def __init__(
        self, *, portal: BlockingPortal, client: httpx.AsyncClient, contract: ResponseContract
    ) -> None:
        self._portal = portal
        self._client = client
        self._contract = contract

    def request(
        self, method: str, path: str, *, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """Send one request and return its response, once checked against the contract."""
        response = self._portal.call(partial(self._send, method, path, token=token, **kwargs))
        self._contract.check(response)
        return response

    def concurrently(self, calls: Sequence[dict[str, Any]]) -> list[httpx.Response]:
        """Send several requests at the same moment; each is a `request` keyword dict."""

        async def send_all() -> list[httpx.Response]:
            return list(await asyncio.gather(*(self._send(**call) for call in calls)))

        responses = self._portal.call(send_all)
        for response in responses:
            self._contract.check(response)
        return responses

    def send_soon(self, calls: Sequence[dict[str, Any]]) -> list[Future[httpx.Response]]:
        """Start several requests at the same moment, and return at once: each answer, once
        checked against the contract, comes as a future's result."""

        async def send(call: dict[str, Any]) -> httpx.Response:
            response = await self._send(**call)
            self._contract.check(response)
            return response

        return [self._portal.start_task_soon(send, call) for call in calls]

    async def _send(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("/health") else API + path
        return await self._client.request(method, url, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """Send a GET."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        """Send a POST."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        """Send a PUT."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        """Send a PATCH."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        """Send a DELETE."""
        return self.request("DELETE", path, **kwargs)
