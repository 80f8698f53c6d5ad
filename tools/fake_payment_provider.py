"""A fake payment provider speaking the contract's HTTP API, to try APP_PAYMENT_BACKEND=http.

Run it, then point the store at it:

    python tools/fake_payment_provider.py --port 9100
    APP_PAYMENT_BACKEND=http APP_PAYMENT_URL=http://127.0.0.1:9100 uvicorn app.main:app

`POST /charges` takes `{"amount", "currency", "reference"}` with an `Idempotency-Key`
header and answers `200 {"id": "...", "status": "succeeded" | "declined"}`. Like a real
provider it remembers every key: the same key gets the same answer and is charged once.

Change how it behaves while it runs, and see what it charged:

    curl -X PUT localhost:9100/mode -d '{"mode": "decline"}'
    curl localhost:9100/charges

Modes: approve (the default), decline, error (answers 503), slow (answers after
--delay seconds), trickle (answers a byte at a time), malformed (answers 200 with a body
that is not JSON), no-id (answers 200 "succeeded" without a charge id), lose-reply (makes
the charge, then hangs up without answering). A suite that runs it in its own process can
also queue a mode for the next charge only (`next_modes`) and hold every charge until it
lets them go (`hold`, `release`). Only the standard library is used.
"""

import argparse
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Request lines go to logging, never to stdout: a fake that prints pollutes captured output.
logger = logging.getLogger("fake_payment_provider")

MODES = ("approve", "decline", "error", "slow", "trickle", "malformed", "no-id", "lose-reply")


@dataclass
class Charge:
    """A charge the provider made or declined."""

    id: str
    status: str
    amount: str
    currency: str
    reference: str
    idempotency_key: str


@dataclass
class FakeProvider:
    """The provider's state and its HTTP server, on 127.0.0.1."""

    mode: str = "approve"
    delay: float = 10.0
    trickle_seconds: float = 0.2
    charges: list[Charge] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    next_modes: list[str] = field(default_factory=list)
    waiting: int = 0
    hold_seconds: float = 10.0
    # Bumped by `forget`: a charge whose request arrived before it (a slow one still
    # asleep) belongs to the provider's past, and is not kept in its new ledger.
    generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _released: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self._released.set()

    @property
    def url(self) -> str:
        """Return the base URL to give the store as APP_PAYMENT_URL."""
        assert self._server is not None, "the provider is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, port: int = 0) -> "FakeProvider":
        """Serve in a background thread; port 0 picks a free one."""
        self._server = _QuietServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def running(self) -> bool:
        """Say whether the provider is serving."""
        return self._server is not None

    def hold(self) -> None:
        """Keep every charge waiting, unanswered, until `release()` (or `hold_seconds`)."""
        self._released.clear()

    def release(self) -> None:
        """Let the waiting charges go on."""
        self._released.set()

    def forget(self) -> None:
        """Approve again and forget every charge and request, as if just started."""
        with self._lock:
            self.generation += 1
            self.mode = "approve"
            self.next_modes.clear()
            self.charges.clear()
            self.requests.clear()

    def take_mode(self) -> str:
        """Return the mode for this charge: the next queued one, else the standing one."""
        with self._lock:
            return self.next_modes.pop(0) if self.next_modes else self.mode

    def wait_while_held(self) -> None:
        """Block this request while the provider holds charges."""
        with self._lock:
            self.waiting += 1
        try:
            self._released.wait(self.hold_seconds)
        finally:
            with self._lock:
                self.waiting -= 1

    def charge(
        self, body: dict[str, Any], key: str, mode: str = "approve", generation: int | None = None
    ) -> Charge:
        """Make or decline a charge, or return the one this key already made.

        A request that arrived before the last `forget` (its `generation`) is answered,
        but its charge is not kept: it belongs to a life of the provider that is over.
        """
        with self._lock:
            for made in self.charges:
                if made.idempotency_key == key:
                    return made
            made = Charge(
                id=f"ch_{len(self.charges) + 1:06d}",
                status="declined" if mode == "decline" else "succeeded",
                amount=str(body.get("amount")),
                currency=str(body.get("currency")),
                reference=str(body.get("reference")),
                idempotency_key=key,
            )
            if generation is None or generation == self.generation:
                self.charges.append(made)
            return made


class _QuietServer(ThreadingHTTPServer):
    """socketserver prints a traceback to stderr when a client goes away mid-reply (the
    store gave up waiting): that is the store's timeout at work, so it goes to the log."""

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
        logger.debug("fake provider: request from %s ended early", client_address, exc_info=True)


def _handler_for(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            logger.info("fake provider: %s", format % args)

        def _reply(self, status: int, body: Any) -> None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        @property
        def target(self) -> str:
            """The path as the client sent it: `self.path` has a leading `//` folded to `/`."""
            parts = self.requestline.split()
            return parts[1] if len(parts) == 3 else self.path

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"null")

        def do_GET(self) -> None:
            if self.target != "/charges":
                self._reply(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
            self._reply(HTTPStatus.OK, [vars(made) for made in provider.charges])

        def do_PUT(self) -> None:
            mode = (self._body() or {}).get("mode")
            if self.target != "/mode" or mode not in MODES:
                self._reply(HTTPStatus.BAD_REQUEST, {"error": f"mode is one of {MODES}"})
                return
            provider.mode = mode
            self._reply(HTTPStatus.OK, {"mode": mode})

        def do_POST(self) -> None:
            generation = provider.generation
            body = self._body()
            key = self.headers.get("Idempotency-Key", "")
            provider.requests.append({"path": self.target, "body": body, "idempotency_key": key})
            if self.target != "/charges":
                self._reply(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
            provider.wait_while_held()
            mode = provider.take_mode()
            if mode == "error":
                self._reply(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "try again later"})
                return
            if mode == "malformed":
                self._reply(HTTPStatus.OK, b"<html>Gateway hiccup</html>")
                return
            if mode == "no-id":
                self._reply(HTTPStatus.OK, {"status": "succeeded"})
                return
            if not key or not isinstance(body, dict):
                self._reply(HTTPStatus.BAD_REQUEST, {"error": "a JSON body and a key are needed"})
                return
            if mode == "slow":
                time.sleep(provider.delay)
            made = provider.charge(body, key, mode, generation)
            if mode == "lose-reply":
                self.close_connection = True
                return
            if mode == "trickle":
                self._trickle({"id": made.id, "status": made.status})
                return
            self._reply(HTTPStatus.OK, {"id": made.id, "status": made.status})

        def _trickle(self, body: Any) -> None:
            """Answer one byte at a time, each soon enough to restart a read timeout."""
            payload = json.dumps(body).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            try:
                for byte in payload:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(provider.trickle_seconds)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--mode", choices=MODES, default="approve")
    parser.add_argument("--delay", type=float, default=10.0, help="seconds 'slow' waits")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    provider = FakeProvider(mode=args.mode, delay=args.delay).start(args.port)
    print(f"fake payment provider on {provider.url} ({provider.mode}); Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        provider.stop()


if __name__ == "__main__":
    main()
