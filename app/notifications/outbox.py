"""The transactional outbox and the worker that delivers it."""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.db import Database, request_after_commit
from app.notifications.models import OutboxMessage
from app.notifications.ports import DeliveryFailed, DeliveryRefused, EmailMessage, Mailer

logger = logging.getLogger("app.outbox")

# What became of one attempt: delivered, refused for good, or to be tried again.
Outcome = Literal["sent", "refused", "failed"]


def enqueue_email(*, session: AsyncSession, message: EmailMessage, now: datetime) -> None:
    """Write an email into the outbox, to be delivered once the session commits."""
    session.add(
        OutboxMessage(
            recipient=message.recipient,
            subject=message.subject,
            body=message.body,
            created_at=now,
            next_attempt_at=now,
        )
    )
    request_after_commit(session)


class OutboxWorker:
    """Deliver due outbox messages: at once when a commit wakes it, else every `poll_seconds`.

    Workers of several replicas share the outbox. Each takes one message at a time, under
    a lease longer than the send may last (the send is cut off at `send_timeout_seconds`),
    so that no other worker takes that message while it is being sent; a worker that dies
    mid-send leaves it to another once the lease has run out.
    """

    def __init__(
        self,
        *,
        database: Database,
        mailer: Mailer,
        clock: Clock,
        retry_seconds: float,
        poll_seconds: float,
        send_timeout_seconds: float = 10,
    ) -> None:
        self._database = database
        self._mailer = mailer
        self._clock = clock
        self._retry = timedelta(seconds=retry_seconds)
        self._poll_seconds = poll_seconds
        self._send_timeout = send_timeout_seconds
        self._lease = timedelta(seconds=2 * send_timeout_seconds)
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Look for due messages now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver messages until `stop` is called: when woken, and every `poll_seconds`."""
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
            if self._stopping:
                break
            self._wake.clear()
            try:
                await self.deliver_due()
            except Exception:
                logger.exception("The outbox could not be read; trying again later")

    def stop(self) -> None:
        """Finish the delivery under way, then return from `run`.

        Cancelling mid-transaction would cut a lease short and leave a connection to be
        reset; a message not yet sent stays due and is delivered after the next start.
        """
        self._stopping = True
        self._wake.set()

    async def deliver_due(self) -> int:
        """Deliver every message that is due, one at a time; return how many were delivered."""
        delivered = 0
        while not self._stopping:
            claimed = await self._claim_next()
            if claimed is None:
                break
            message_id, email = claimed
            try:
                async with asyncio.timeout(self._send_timeout):
                    await self._mailer.send(email)
            except DeliveryRefused as exc:
                # Sending it again would be refused again, forever: it stays, as failed.
                await self._record(message_id, outcome="refused", error=str(exc))
                logger.warning("Email %s refused for good by the mail server: %s", message_id, exc)
                continue
            except (DeliveryFailed, TimeoutError) as exc:
                error = str(exc) or type(exc).__name__
                await self._record(message_id, outcome="failed", error=error)
                logger.warning(
                    "Email %s not delivered (%s); retrying in %s", message_id, error, self._retry
                )
                continue
            await self._record(message_id, outcome="sent", error=None)
            delivered += 1
        return delivered

    async def _claim_next(self) -> tuple[int, EmailMessage] | None:
        """Lease the next due message to this worker for longer than its send may take.

        PostgreSQL skips the rows other workers are claiming (`FOR UPDATE SKIP LOCKED`);
        SQLite's write lock serializes the claims. The conditional UPDATE is what makes a
        claim this worker's alone on both.
        """
        now = self._clock.now()
        due = (
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
        )
        async with self._database.session() as session:
            message = await session.scalar(
                select(OutboxMessage)
                .where(*due)
                .order_by(OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if message is None:
                return None
            email = EmailMessage(
                message.recipient, message.subject, message.body, message_id=_message_id(message)
            )
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, *due)
                .values(next_attempt_at=now + self._lease, attempts=OutboxMessage.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return None
            return message.id, email

    async def _record(self, message_id: int, *, outcome: Outcome, error: str | None) -> None:
        async with self._database.session() as session:
            now = self._clock.now()
            values: dict[str, object] = {"last_error": error[:255] if error else None}
            if outcome == "sent":
                values["sent_at"] = now
            elif outcome == "refused":
                values["failed_at"] = now
            else:
                values["next_attempt_at"] = now + self._retry
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
            )
            await session.commit()


def _message_id(message: OutboxMessage) -> str:
    """An id that names this message alone, whichever attempt or replica sends it."""
    return f"outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S%f}"
