"""A real SMTP server on the loopback interface: the sink a running store delivers mail to.

It keeps what it receives, can be down (it answers 451, "try again later", as a busy
relay does) and can have no mailbox for an address (550, for good), so that it records
the same facts as the fake mailer in process.
"""

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_string, policy
from typing import Any

from aiosmtpd.controller import Controller

from app.notifications.ports import EmailMessage
from harness.ports import HUNG_POLL_SECONDS


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
    down: bool = False
    deferrals: list[str] = field(default_factory=list)
    # A slow relay: how long it takes to accept each message.
    delay_seconds: float = 0.0
    no_mailbox: set[str] = field(default_factory=set)
    refusals: list[str] = field(default_factory=list)
    unanswered: set[str] = field(default_factory=set)
    answer_lost: set[str] = field(default_factory=set)
    _resets: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        """Take the recipient, or refuse it: for now while down, for good with no mailbox."""
        if self.down:
            with self._lock:
                self.deferrals.append(address)
            return "451 4.3.2 Try again later"
        if address in self.no_mailbox:
            with self._lock:
                self.refusals.append(address)
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        """Keep the message, after the relay's delay (aiosmtpd's handler hook)."""
        await asyncio.sleep(self.delay_seconds)
        while self.unanswered & set(envelope.rcpt_tos):
            await asyncio.sleep(HUNG_POLL_SECONDS)  # hung, until the sender gives up
        content = envelope.content.decode("utf-8", "replace")
        with self._lock:
            self.received.append(Envelope(list(envelope.rcpt_tos), content))
            lost = self.answer_lost & set(envelope.rcpt_tos)
            self.answer_lost -= lost
            resets = self._resets
        while lost and resets == self._resets:
            await asyncio.sleep(HUNG_POLL_SECONDS)  # kept, but no answer until the next scenario
        return "250 Message accepted for delivery"

    def messages_to(self, recipient: str) -> list[EmailMessage]:
        """The messages delivered to one address, read back from their MIME text."""
        with self._lock:
            envelopes = [e for e in self.received if recipient in e.recipients]
        messages = []
        for envelope in envelopes:
            mime = message_from_string(envelope.content, policy=policy.default)
            body = mime.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            subject, text = str(mime["Subject"]), str(text).rstrip("\n")
            message_id = str(mime["Message-ID"]) if mime["Message-ID"] else None
            messages.append(EmailMessage(recipient, subject, text, message_id=message_id))
        return messages

    def reset(self) -> None:
        """Forget every message and be up again, for the next scenario."""
        with self._lock:
            self.received.clear()
            self.deferrals.clear()
            self.down = False
            self.delay_seconds = 0.0
            self.no_mailbox.clear()
            self.refusals.clear()
            self.unanswered.clear()
            self.answer_lost.clear()
            self._resets += 1


def free_port() -> int:
    """Return a port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_mail_server(port: int = 0) -> Iterator[MailServer]:
    """Run a local SMTP server until the block ends; port 0 picks a free one."""
    server = MailServer(port=port or free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
