"""A message the mail server refuses for good is kept as failed, and never taken again."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.core.db import Database
from app.notifications.models import OutboxMessage
from harness.fakes import FakeClock, FakeMailer
from tests.db.outbox import RETRY_SECONDS, enqueue, outbox_rows, outbox_worker

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]


async def test_a_refused_message_is_kept_failed_and_the_others_still_go(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    mailer.no_mailbox.add("nobody@example.com")
    await enqueue(database, clock, "nobody@example.com", "ann@example.com")
    worker = outbox_worker(database, mailer, clock)

    assert await worker.deliver_due() == 1
    clock.advance(timedelta(seconds=RETRY_SECONDS * 10))
    assert await worker.deliver_due() == 0

    assert mailer.refusals == ["nobody@example.com"]
    assert [m.recipient for m in mailer.outbox] == ["ann@example.com"]
    refused, sent = await outbox_rows(database)
    assert (refused.failed_at, refused.sent_at, refused.attempts) == (clock.start, None, 1)
    assert refused.last_error == "SMTPRecipientsRefused 550"
    assert (sent.sent_at, sent.failed_at) == (clock.start, None)


async def test_a_message_is_never_both_sent_and_failed(
    database: Database, clock: FakeClock
) -> None:
    await enqueue(database, clock, "ann@example.com")
    async with database.session() as session:
        [row] = await outbox_rows(database)
        row = await session.get_one(OutboxMessage, row.id)
        row.sent_at = row.failed_at = clock.now()
        with pytest.raises(IntegrityError):
            await session.commit()
