"""Mailer adapters: the console for development, SMTP for production."""

import logging
from email.message import EmailMessage as MimeMessage
from email.utils import make_msgid

import aiosmtplib

from app.core.config import Settings
from app.notifications.ports import DeliveryFailed, DeliveryRefused, EmailMessage, Mailer

logger = logging.getLogger("app.mail")


class ConsoleMailer:
    """Write each message to the log instead of sending it."""

    async def send(self, message: EmailMessage) -> None:
        """Log the message."""
        logger.info("Email to %s: %s\n%s", message.recipient, message.subject, message.body)


class SmtpMailer:
    """Deliver messages to an SMTP server with aiosmtplib."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(self, message: EmailMessage) -> None:
        """Send the message, or raise `DeliveryFailed`."""
        settings = self._settings
        mime = MimeMessage()
        mime["From"] = settings.email_from
        mime["To"] = message.recipient
        mime["Subject"] = message.subject
        mime["Message-ID"] = message_id_header(message, settings.email_from)
        mime.set_content(message.body)
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        client = aiosmtplib.SMTP(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password,
            start_tls=settings.smtp_starttls,
            timeout=settings.email_send_timeout_seconds,
        )
        try:
            await client.connect()
            await client.send_message(mime)
        except (aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPDataError) as exc:
            raise _refusal(exc) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(type(exc).__name__) from exc
        finally:
            # No polite QUIT: the message is taken or not by now, and a server that stopped
            # answering would hold a sender cut off by the outbox for another whole timeout.
            client.close()


def _refusal(exc: aiosmtplib.SMTPRecipientsRefused | aiosmtplib.SMTPDataError) -> DeliveryFailed:
    """Tell a refusal for good (5xx) of this message's recipient or content from one for now.

    Only these two are the message's own fault. A refused sender, a failed log-in or a
    server that is down are the store's setup or the moment, and are retried until mended.
    """
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in exc.recipients]
    else:
        codes = [exc.code]
    answer = f"{type(exc).__name__} {'/'.join(map(str, codes))}"
    if codes and all(500 <= code < 600 for code in codes):
        return DeliveryRefused(answer)
    return DeliveryFailed(answer)


def message_id_header(message: EmailMessage, sender: str) -> str:
    """The Message-ID header: the message's own id under the sender's domain."""
    domain = sender.rpartition("@")[2] or "storefront.local"
    if message.message_id is None:
        return make_msgid(domain=domain)
    return f"<{message.message_id}@{domain}>"


def mailer_from_settings(settings: Settings) -> Mailer:
    """Build the mailer that `APP_EMAIL_BACKEND` names."""
    if settings.email_backend == "smtp":
        return SmtpMailer(settings)
    return ConsoleMailer()
