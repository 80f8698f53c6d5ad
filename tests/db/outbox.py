"""The outbox as the database tests drive it: a worker on a fake mailer and clock, its rows."""

from sqlalchemy import select

from app.core.db import Database
from app.notifications.models import OutboxMessage
from app.notifications.outbox import OutboxWorker, enqueue_email
from app.notifications.ports import EmailMessage
from harness.fakes import FakeClock, FakeMailer

RETRY_SECONDS = 30.0


def outbox_worker(
    database: Database, mailer: FakeMailer, clock: FakeClock, *, poll_seconds: float = 60
) -> OutboxWorker:
    """A worker that retries after RETRY_SECONDS and polls rarely: tests call it themselves."""
    return OutboxWorker(
        database=database,
        mailer=mailer,
        clock=clock,
        retry_seconds=RETRY_SECONDS,
        poll_seconds=poll_seconds,
    )


async def enqueue(database: Database, clock: FakeClock, *recipients: str) -> None:
    """Write one email to each recipient into the outbox, committed."""
    async with database.session() as session:
        for recipient in recipients:
            message = EmailMessage(recipient, f"Hello {recipient}", "Body")
            enqueue_email(session=session, message=message, now=clock.now())
        await session.commit()


async def outbox_rows(database: Database) -> list[OutboxMessage]:
    """Every outbox row, in the order written."""
    async with database.session() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
