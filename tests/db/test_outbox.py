"""The outbox worker against a real database, a fake mail server and a fake clock."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

from app.core.clock import SystemClock
from app.core.db import Database
from app.core.security import Passwords
from app.notifications.outbox import OutboxWorker
from app.notifications.ports import EmailMessage
from app.users.schemas import UserCreate
from app.users.service import register_user
from harness.fakes import FakeClock, FakeMailer
from tests.db.outbox import RETRY_SECONDS, enqueue, outbox_rows, outbox_worker

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]


async def test_due_messages_are_delivered_and_marked_sent(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    await enqueue(database, clock, "ann@example.com", "ben@example.com")
    delivered = await outbox_worker(database, mailer, clock).deliver_due()
    assert delivered == 2
    assert [m.recipient for m in mailer.outbox] == ["ann@example.com", "ben@example.com"]
    assert mailer.outbox[0].subject == "Hello ann@example.com"
    rows = await outbox_rows(database)
    assert [(r.sent_at, r.attempts, r.last_error) for r in rows] == [(clock.now(), 1, None)] * 2


async def test_a_delivered_message_is_not_sent_again(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    await enqueue(database, clock, "ann@example.com")
    worker = outbox_worker(database, mailer, clock)
    assert await worker.deliver_due() == 1
    clock.advance(timedelta(hours=1))
    assert await worker.deliver_due() == 0
    assert len(mailer.outbox) == 1


async def test_a_message_not_yet_due_waits(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    clock.advance(timedelta(minutes=5))
    await enqueue(database, clock, "later@example.com")
    clock.reset()
    assert await outbox_worker(database, mailer, clock).deliver_due() == 0
    assert mailer.outbox == []


async def test_a_failed_delivery_is_retried_after_the_retry_interval(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    await enqueue(database, clock, "cat@example.com")
    worker = outbox_worker(database, mailer, clock)
    mailer.down = True
    assert await worker.deliver_due() == 0
    [row] = await outbox_rows(database)
    assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "mail server unavailable")
    assert row.next_attempt_at == clock.now() + timedelta(seconds=RETRY_SECONDS)

    mailer.down = False
    assert await worker.deliver_due() == 0, "not before the retry interval"
    clock.advance(timedelta(seconds=RETRY_SECONDS - 1))
    assert await worker.deliver_due() == 0, "not before the retry interval"
    clock.advance(timedelta(seconds=1))
    assert await worker.deliver_due() == 1
    assert [m.recipient for m in mailer.outbox] == ["cat@example.com"]
    assert mailer.deferrals == ["cat@example.com"]
    [row] = await outbox_rows(database)
    assert (row.sent_at, row.attempts, row.last_error) == (clock.now(), 2, None)


async def test_every_attempt_at_a_message_carries_the_same_message_id(
    database: Database, clock: FakeClock
) -> None:
    """The id by which a copy sent again after a failure is known as the same email."""
    await enqueue(database, clock, "cat@example.com", "dog@example.com")
    attempts: list[EmailMessage] = []

    class Flaky(FakeMailer):
        async def send(self, message: EmailMessage) -> None:
            attempts.append(message)
            await super().send(message)

    mailer = Flaky()
    worker = outbox_worker(database, mailer, clock)
    mailer.down = True
    assert await worker.deliver_due() == 0
    mailer.down = False
    clock.advance(timedelta(seconds=RETRY_SECONDS))
    assert await worker.deliver_due() == 2

    ids = [(m.recipient, m.message_id) for m in attempts]
    assert len(ids) == 4 and len(set(ids)) == 2, ids
    assert len({message_id for _, message_id in ids}) == 2, "each message has an id of its own"


async def test_a_message_keeps_being_retried_while_the_server_is_down(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    await enqueue(database, clock, "dan@example.com")
    worker = outbox_worker(database, mailer, clock)
    mailer.down = True
    for _ in range(3):
        assert await worker.deliver_due() == 0
        clock.advance(timedelta(seconds=RETRY_SECONDS))
    mailer.down = False
    assert await worker.deliver_due() == 1
    assert mailer.deferrals == ["dan@example.com"] * 3
    [row] = await outbox_rows(database)
    assert row.attempts == 4


@asynccontextmanager
async def _second_engine(database: Database) -> AsyncIterator[Database]:
    """Another engine on the same database file, as a second replica has."""
    other = Database.from_url(database.engine.url.render_as_string(hide_password=False))
    try:
        yield other
    finally:
        await other.dispose()


async def test_two_workers_claim_each_message_once(
    file_database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    # Two workers on their own engines, like two replicas, racing for the same messages.
    recipients = [f"user{n}@example.com" for n in range(30)]
    await enqueue(file_database, clock, *recipients)
    async with _second_engine(file_database) as other:
        workers = [
            OutboxWorker(
                database=db,
                mailer=mailer,
                clock=clock,
                retry_seconds=RETRY_SECONDS,
                poll_seconds=60,
            )
            for db in (file_database, other, file_database, other)
        ]
        delivered = 0
        while True:
            counts = await asyncio.gather(*(worker.deliver_due() for worker in workers))
            delivered += sum(counts)
            if sum(counts) == 0:
                break
    assert delivered == len(recipients)
    assert sorted(m.recipient for m in mailer.outbox) == sorted(recipients)
    assert all(row.attempts == 1 for row in await outbox_rows(file_database))


async def test_a_slow_relay_gets_each_message_once_from_two_workers(
    file_database: Database,
) -> None:
    """The issue's replicas and slow relay: a lease of one retry interval over a batch ran
    out before the worker reached its last messages, and the other worker sent them too."""
    clock, mailer = SystemClock(), FakeMailer(delay_seconds=0.05)
    recipients = [f"slow{n}@example.com" for n in range(12)]
    await enqueue(file_database, clock, *recipients)
    async with _second_engine(file_database) as other:
        workers = [
            OutboxWorker(
                database=db, mailer=mailer, clock=clock, retry_seconds=0.1, poll_seconds=60
            )
            for db in (file_database, other)
        ]

        async def keep_delivering(worker: OutboxWorker) -> None:
            for _ in range(20):
                await worker.deliver_due()
                await asyncio.sleep(0.02)

        await asyncio.gather(*(keep_delivering(worker) for worker in workers))
    assert sorted(m.recipient for m in mailer.outbox) == sorted(recipients)


async def test_a_worker_that_dies_mid_send_leaves_the_message_to_another(
    file_database: Database, clock: FakeClock
) -> None:
    """A replica killed mid-delivery (kill -9): its lease runs out, and another sends."""
    await enqueue(file_database, clock, "kim@example.com")
    stuck, mailer = FakeMailer(delay_seconds=60), FakeMailer()
    dying = OutboxWorker(
        database=file_database, mailer=stuck, clock=clock, retry_seconds=1, poll_seconds=60
    )
    sending = asyncio.create_task(dying.deliver_due())
    await asyncio.sleep(0.1)
    sending.cancel()  # it never records anything, like a process that is gone
    other = OutboxWorker(
        database=file_database, mailer=mailer, clock=clock, retry_seconds=1, poll_seconds=60
    )
    assert await other.deliver_due() == 0  # the dead worker's lease still holds
    clock.advance(timedelta(seconds=21))
    assert await other.deliver_due() == 1
    assert [m.recipient for m in mailer.outbox] == ["kim@example.com"]
    assert stuck.outbox == []


async def test_a_sign_up_wakes_the_worker_at_once(
    database: Database, mailer: FakeMailer, clock: FakeClock
) -> None:
    # The worker polls only once a minute here: the commit's wake-up alone delivers the email.
    worker = outbox_worker(database, mailer, clock, poll_seconds=60)
    unsubscribe = database.on_commit(worker.wake)
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(0.05)
        async with database.session() as session:
            data = UserCreate(email="eve@example.com", username="eve", password="s3cret-enough")
            fast = Passwords("fast")
            await register_user(session=session, data=data, passwords=fast, clock=clock)
        async with asyncio.timeout(5):
            while not mailer.outbox:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        unsubscribe()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert [m.recipient for m in mailer.outbox] == ["eve@example.com"]
    assert "Welcome" in mailer.outbox[0].subject
