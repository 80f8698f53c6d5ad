"""The mailer port: how the service hands an email to the outside world."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class EmailMessage:
    """An email to one recipient."""

    recipient: str
    subject: str
    body: str
    # The same through every attempt to deliver it (its Message-ID over SMTP), so that a
    # copy sent again after a server died mid-delivery is known as the same email.
    message_id: str | None = field(default=None, compare=False)


class DeliveryFailed(Exception):
    """The mail server could not take the message; it is retried later."""


class DeliveryRefused(DeliveryFailed):
    """The mail server refused the message for good (an SMTP 5xx); it is not tried again."""


class Mailer(Protocol):
    """Something that delivers email, or raises `DeliveryFailed` (`DeliveryRefused`)."""

    async def send(self, message: EmailMessage) -> None:
        """Deliver one message."""
        ...
