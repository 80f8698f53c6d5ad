"""Requests spread over the store's replicas, each to the next in turn, as a load balancer does."""

import itertools

import httpx


class RoundRobin(httpx.AsyncBaseTransport):
    """Send each request to the next origin in turn, over one connection pool."""

    def __init__(
        self, origins: tuple[str, ...], transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._origins = itertools.cycle([httpx.URL(origin) for origin in origins])
        self._transport = transport or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Rewrite the request to the next replica and send it there."""
        origin = next(self._origins)
        request.url = request.url.copy_with(
            scheme=origin.scheme, host=origin.host, port=origin.port
        )
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the pool."""
        await self._transport.aclose()
