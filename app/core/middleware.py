"""Pure-ASGI middleware: request ids, safety headers, header and body limits, last errors."""

import json
import logging
import re
import uuid
from contextvars import ContextVar

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("app.requests")

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# On every answer: no content sniffing, and nothing kept by a cache unless a route says so.
SAFETY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"))


class RequestIdFilter(logging.Filter):
    """Put the current request id on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestContextMiddleware:
    """Give every response a request id and safety headers, and never leak a traceback.

    It sits outside every other middleware, so the headers are on 500 responses too.
    Before the app sees a request, it refuses headers larger than `max_header_bytes`
    (431), bodies larger than `max_body_bytes` (413) and bodies that have not arrived
    within `body_timeout_seconds` (408), so a stalled client holds nothing for long.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_header_bytes: int,
        body_timeout_seconds: float,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.body_timeout_seconds = body_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        token = request_id_var.set(request_id)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                for name, value in SAFETY_HEADERS:
                    headers.setdefault(name.decode(), value.decode())
            await send(message)

        try:
            if self._header_bytes(scope) > self.max_header_bytes:
                await self._reply(send_with_headers, 431, {"detail": "Request headers too large"})
                return
            try:
                with anyio.fail_after(self.body_timeout_seconds):
                    body_receive = await self._buffered_body(scope, receive)
            except TimeoutError:
                await self._reply(
                    send_with_headers, 408, {"detail": "Request body not received in time"}
                )
                return
            if body_receive is None:
                await self._reply(send_with_headers, 413, {"detail": "Request body too large"})
                return
            await self.app(scope, body_receive, send_with_headers)
        except Exception:
            logger.exception(
                "Unhandled error in request %s (%s %s)", request_id, scope["method"], scope["path"]
            )
            if not started:
                await self._reply(send_with_headers, 500, {"detail": "Internal server error"})
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _header_bytes(scope: Scope) -> int:
        """Measure the request line and header lines as they came, each with its CRLF:
        `METHOD path?query HTTP/1.1` and `name: value` (SEC-02)."""
        path = scope.get("raw_path") or scope["path"].encode()
        query = scope["query_string"]
        target = len(path) + (1 + len(query) if query else 0)
        line = len(scope["method"]) + 1 + target + len(" HTTP/") + len(scope["http_version"]) + 2
        return line + sum(len(name) + len(value) + 4 for name, value in scope["headers"])

    @staticmethod
    def _request_id(scope: Scope) -> str:
        """The client's request id when it is safe to echo, else a new one."""
        candidate = Headers(scope=scope).get(REQUEST_ID_HEADER)
        if candidate is not None and _SAFE_REQUEST_ID.match(candidate):
            return candidate
        return uuid.uuid4().hex

    async def _buffered_body(self, scope: Scope, receive: Receive) -> Receive | None:
        """Read the whole body up to the limit; None when it is larger."""
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    if int(value) > self.max_body_bytes:
                        return None
                except ValueError:
                    return None
        chunks: list[bytes] = []
        size = 0
        chunks_message: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                chunks_message = message
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                if chunks_message is not None:
                    return chunks_message
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    @staticmethod
    async def _reply(send: Send, status: int, body: dict[str, str]) -> None:
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    # A stalled body will not arrive: the connection ends. After a 413 or
                    # 431 it stays open, so that a client still sending its body reads the
                    # answer rather than a reset connection (the server drains the rest).
                    *([(b"connection", b"close")] if status == 408 else []),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
