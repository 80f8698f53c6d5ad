"""The SMTP mailer against a real SMTP server (aiosmtpd) on the loopback."""

import asyncio
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from app.core.config import Settings
from app.notifications.adapters import SmtpMailer
from app.notifications.ports import DeliveryFailed, DeliveryRefused, EmailMessage

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="function")]

WELCOME = EmailMessage(
    recipient="alice@example.com",
    subject="Welcome to Storefront",
    body="Hello alice,\n\nyour Storefront account is ready.\n",
)


class Inbox:
    """An aiosmtpd handler that keeps what it is sent, or refuses one recipient."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        # An address refused, and the server's answer to it.
        self.refused: dict[str, str] = {}
        # A server that takes the message and then never answers.
        self.hung = False

    async def handle_RCPT(
        self,
        _server: SMTP,
        _session: Session,
        envelope: Envelope,
        address: str,
        _options: list[str],
    ) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        while self.hung:
            await asyncio.sleep(0.05)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[Message]:
        """Return the delivered messages, parsed."""
        return [
            message_from_bytes(e.original_content or b"", _class=Message) for e in self.envelopes
        ]


@pytest.fixture
def inbox(closed_port: int) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 and the port it listens on."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=closed_port)
    controller.start()
    try:
        yield handler, closed_port
    finally:
        controller.stop()


def _mailer(port: int, *, timeout_seconds: float = 10.0) -> SmtpMailer:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        email_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        email_from="shop@storefront.test",
        email_send_timeout_seconds=timeout_seconds,
    )
    return SmtpMailer(settings)


async def test_a_message_is_delivered(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    await _mailer(port).send(WELCOME)

    [envelope] = handler.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("shop@storefront.test", [WELCOME.recipient])
    [message] = handler.messages()
    assert (message["From"], message["To"], message["Subject"]) == (
        "shop@storefront.test",
        WELCOME.recipient,
        WELCOME.subject,
    )
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    # SMTP carries lines ending in CRLF.
    assert body.decode().replace("\r\n", "\n") == WELCOME.body


async def test_a_recipient_refused_for_good_is_a_refused_delivery(
    inbox: tuple[Inbox, int],
) -> None:
    handler, port = inbox
    handler.refused[WELCOME.recipient] = "550 5.1.1 No such mailbox"
    with pytest.raises(DeliveryRefused, match="SMTPRecipientsRefused 550"):
        await _mailer(port).send(WELCOME)
    assert handler.envelopes == []


async def test_a_recipient_refused_for_now_is_a_failed_delivery_to_retry(
    inbox: tuple[Inbox, int],
) -> None:
    handler, port = inbox
    handler.refused[WELCOME.recipient] = "451 4.3.2 Try again later"
    with pytest.raises(DeliveryFailed, match="SMTPRecipientsRefused 451") as failure:
        await _mailer(port).send(WELCOME)
    assert not isinstance(failure.value, DeliveryRefused)


async def test_a_server_that_is_down_is_a_failed_delivery(closed_port: int) -> None:
    with pytest.raises(DeliveryFailed):
        await _mailer(closed_port).send(WELCOME)


async def test_every_attempt_at_one_message_carries_its_message_id(
    inbox: tuple[Inbox, int],
) -> None:
    handler, port = inbox
    message = EmailMessage(
        WELCOME.recipient, WELCOME.subject, WELCOME.body, message_id="outbox.7.1"
    )
    await _mailer(port).send(message)
    await _mailer(port).send(message)
    await _mailer(port).send(WELCOME)

    first, again, other = (m["Message-ID"] for m in handler.messages())
    assert first == again == "<outbox.7.1@storefront.test>"
    assert other not in (None, first)


async def test_a_send_cut_off_from_a_server_that_stopped_answering_ends_at_once(
    inbox: tuple[Inbox, int],
) -> None:
    """The outbox cuts a send off at its deadline; no polite QUIT waits another timeout."""
    handler, port = inbox
    handler.hung = True
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await _mailer(port, timeout_seconds=5.0).send(WELCOME)
        # With a QUIT after the cut, it would end after 0.5 + 5 seconds.
        assert time.monotonic() - started < 3.0
    finally:
        handler.hung = False
