"""Unit tests of the request-context middleware, around a tiny ASGI app."""

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import anyio
import httpx
import pytest
import pytest_asyncio
from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import RequestContextMiddleware, RequestIdFilter, request_id_var

pytestmark = [pytest.mark.unit, pytest.mark.asyncio(loop_scope="function")]

LIMIT = 16
GENERATED_ID = r"[0-9a-f]{32}"
# The store's own defaults for the two limits a test does not set (Settings).
LIMITS = {"max_body_bytes": LIMIT, "max_header_bytes": 16 * 1024, "body_timeout_seconds": 10.0}


@dataclass
class EchoApp:
    """Answers with the body it read and the request id it saw; fails when asked to."""

    calls: int = 0
    seen_ids: list[str] = field(default_factory=list)
    cache_control: bytes | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        self.seen_ids.append(request_id_var.get())
        if scope["path"] == "/boom":
            raise RuntimeError("secret table users has no column password")
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = [(b"content-type", b"text/plain")]
        if self.cache_control is not None:
            headers.append((b"cache-control", self.cache_control))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def inner() -> EchoApp:
    return EchoApp()


@pytest_asyncio.fixture
async def client(inner: EchoApp) -> AsyncIterator[httpx.AsyncClient]:
    app = RequestContextMiddleware(inner, **LIMITS)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_a_safe_request_id_is_echoed(client: httpx.AsyncClient, inner: EchoApp) -> None:
    response = await client.get("/", headers={"X-Request-ID": "req-42.a:b_c"})
    assert response.headers["X-Request-ID"] == "req-42.a:b_c"
    assert inner.seen_ids == ["req-42.a:b_c"]


async def test_a_request_id_is_generated_when_none_is_sent(client: httpx.AsyncClient) -> None:
    first = (await client.get("/")).headers["X-Request-ID"]
    second = (await client.get("/")).headers["X-Request-ID"]
    assert first != second
    for request_id in (first, second):
        assert len(request_id) == 32
        int(request_id, 16)


@pytest.mark.parametrize(
    "unsafe",
    ["has spaces", "x" * 129, "<script>alert(1)</script>", "line\tbreak", "ümlaut", ""],
    ids=["spaces", "too-long", "markup", "tab", "non-ascii", "empty"],
)
async def test_an_unsafe_request_id_is_replaced(
    client: httpx.AsyncClient, inner: EchoApp, unsafe: str
) -> None:
    response = await client.get("/", headers=[(b"X-Request-ID", unsafe.encode("utf-8"))])
    request_id = response.headers["X-Request-ID"]
    assert request_id != unsafe
    assert len(request_id) == 32
    int(request_id, 16)
    assert inner.seen_ids == [request_id]


async def test_the_request_id_is_only_set_during_the_request(
    client: httpx.AsyncClient, inner: EchoApp
) -> None:
    await client.get("/", headers={"X-Request-ID": "abc"})
    assert inner.seen_ids == ["abc"]
    assert request_id_var.get() == "-"


async def test_every_response_carries_the_safety_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_cache_control_set_by_the_app_is_kept(
    client: httpx.AsyncClient, inner: EchoApp
) -> None:
    inner.cache_control = b"public, max-age=60"
    response = await client.get("/")
    assert response.headers.get_list("Cache-Control") == ["public, max-age=60"]


async def test_a_body_within_the_limit_reaches_the_app_whole(client: httpx.AsyncClient) -> None:
    response = await client.post("/", content=b"x" * LIMIT)
    assert response.status_code == 200
    assert response.content == b"x" * LIMIT


async def test_a_body_over_the_limit_by_content_length_is_refused(
    client: httpx.AsyncClient, inner: EchoApp
) -> None:
    response = await client.post("/", content=b"x" * (LIMIT + 1), headers={"X-Request-ID": "big"})
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large"}
    assert response.headers["X-Request-ID"] == "big"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert inner.calls == 0


async def test_a_streamed_body_over_the_limit_is_refused(
    client: httpx.AsyncClient, inner: EchoApp
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * 5

    response = await client.post("/", content=chunks())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large"}
    assert inner.calls == 0


async def test_a_streamed_body_within_the_limit_is_replayed_whole(
    client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in (b"abc", b"", b"defg"):
            yield part

    response = await client.post("/", content=chunks())
    assert response.status_code == 200
    assert response.content == b"abcdefg"


async def test_an_unexpected_failure_is_a_json_500_with_headers(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="app.requests"):
        response = await client.get("/boom", headers={"X-Request-ID": "oops-1"})
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    assert "secret" not in response.text
    assert response.headers["X-Request-ID"] == "oops-1"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    logged = [r for r in caplog.records if r.name == "app.requests"]
    assert len(logged) == 1
    assert "oops-1" in logged[0].getMessage()
    assert logged[0].exc_info is not None


async def test_other_scopes_pass_through_untouched(inner: EchoApp) -> None:
    sent: list[Message] = []
    seen: list[Scope] = []

    async def lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        await send({"type": "lifespan.startup.complete"})

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        sent.append(message)

    middleware = RequestContextMiddleware(lifespan_app, **LIMITS)
    await middleware({"type": "lifespan"}, receive, send)
    assert seen == [{"type": "lifespan"}]
    assert sent == [{"type": "lifespan.startup.complete"}]


async def test_log_records_carry_the_current_request_id() -> None:
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "hello", None, None)
    token = request_id_var.set("rid-7")
    try:
        assert RequestIdFilter().filter(record) is True
    finally:
        request_id_var.reset(token)
    assert record.__dict__["request_id"] == "rid-7"


async def test_headers_over_the_limit_are_refused_before_the_app(inner: EchoApp) -> None:
    app = RequestContextMiddleware(inner, **(LIMITS | {"max_header_bytes": 2048}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        small = await http.get("/", headers={"X-Small": "s" * 512})
        large = await http.get("/", headers={"X-Large": "l" * 2048})
    assert small.status_code == 200
    assert large.status_code == 431
    assert large.json() == {"detail": "Request headers too large"}
    assert "connection" not in large.headers
    assert large.headers["X-Content-Type-Options"] == "nosniff"
    assert inner.calls == 1


async def test_a_body_that_does_not_arrive_in_time_is_refused_with_408(inner: EchoApp) -> None:
    app = RequestContextMiddleware(inner, **(LIMITS | {"body_timeout_seconds": 0.05}))
    sent: list[Message] = []

    async def stalled() -> Message:
        if not sent:
            sent.append({"type": "http.request", "body": b"{", "more_body": True})
            return sent[0]
        await anyio.sleep(10)
        raise AssertionError("the middleware waited for the stalled body")

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "path": "/",
        "query_string": b"",
        "headers": [],
    }
    with anyio.fail_after(2):
        await app(scope, stalled, send)
    start, body = sent[1], sent[2]
    assert start["status"] == 408
    assert (b"connection", b"close") in start["headers"]
    assert body["body"] == b'{"detail": "Request body not received in time"}'
    assert inner.calls == 0
