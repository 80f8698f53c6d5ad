"""The store's outgoing mail: the console in development, a mail server over SMTP."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then

from harness.mailserver import MailServer, running_mail_server
from harness.stores import Stores
from harness.waiting import eventually
from steps.support.operation import settings_for, start
from steps.support.vocabulary import NAME
from steps.support.world import World


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A local SMTP server for the scenario."""
    with running_mail_server() as server:
        yield server


@then(parsers.re(rf"^the store's log shows a welcome email to {NAME}$"))
def log_shows_email(caplog: pytest.LogCaptureFixture, world: World, name: str) -> None:
    """The console mailer logged the welcome email."""
    email = world.persona(name).email.lower()

    def logged() -> bool:
        return any(
            r.name == "app.mail" and email in r.getMessage() and "Welcome" in r.getMessage()
            for r in caplog.records
        )

    assert eventually(logged), "no welcome email was logged"


@given("a mail server is running")
def mail_server_running(mail_server: MailServer) -> None:
    """Start the local SMTP server."""
    assert mail_server.port > 0


@given("a store that sends its email through that mail server is running")
def store_with_smtp(world: World, stores: Stores, tmp_path: Path, mail_server: MailServer) -> None:
    """Start a store with APP_EMAIL_BACKEND=smtp pointing at the local server."""
    settings = settings_for(
        world, tmp_path, email_backend="smtp", smtp_host="127.0.0.1", smtp_port=mail_server.port
    )
    start(world, stores, settings)


@then(parsers.re(rf"^the mail server receives a welcome email for {NAME}$"))
def mail_server_receives(mail_server: MailServer, world: World, name: str) -> None:
    """The SMTP server was handed the welcome email, addressed to the person."""
    email = world.persona(name).email.lower()
    assert eventually(lambda: any(email in e.recipients for e in mail_server.received))
    delivered = next(e for e in mail_server.received if email in e.recipients)
    assert "Subject: Welcome to Storefront" in delivered.content
    assert "From: no-reply@storefront.local" in delivered.content
