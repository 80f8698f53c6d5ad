"""A real SMTP server on the loopback interface, for scenarios about sending email."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Envelope:
    """What the local mail server was handed."""

    recipients: list[str]
    content: str


@dataclass
class MailServer:
    """A real SMTP server on the loopback interface that keeps what it receives."""

    port: int
    received: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        """Keep the message (aiosmtpd's handler hook)."""
        content = envelope.content.decode("utf-8", "replace")
        self.received.append(Envelope(list(envelope.rcpt_tos), content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """Return a port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    """Run a local SMTP server until the block ends."""
    server = MailServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
