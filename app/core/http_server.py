"""The HTTP/1.1 protocol the store is served with: uvicorn's h11, with the store's headers.

uvicorn answers a request it cannot parse (a broken request line, headers past the size
limit) itself, before the app sees it, with a bare text 400. This protocol gives that
answer the shape and the safety headers of every other answer of the store (SEC-08).
Serve with `python -m app serve`, or `uvicorn --http app.core.http_server:StoreH11Protocol`.
"""

import json
import uuid

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.core.middleware import REQUEST_ID_HEADER, SAFETY_HEADERS

MALFORMED_DETAIL = "Malformed HTTP request"


class StoreH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, whose own 400 answers as the store does."""

    def send_400_response(self, msg: str) -> None:
        """Refuse a request that is not HTTP: JSON `detail`, safety headers, then hang up."""
        # `msg` is uvicorn's text ("Invalid HTTP request received."): the store's is its own.
        del msg
        payload = json.dumps({"detail": MALFORMED_DETAIL}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (REQUEST_ID_HEADER.lower().encode(), uuid.uuid4().hex.encode()),
            *SAFETY_HEADERS,
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=payload),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()
