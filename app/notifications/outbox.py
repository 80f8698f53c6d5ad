"""The transactional outbox and the worker that delivers it."""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.db import Database, request_after_commit
from app.notifications.models import OutboxMessage
from app.notifications.ports import DeliveryFailed, EmailMessage, Mailer

logger = logging.getLogger("app.outbox")


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
    """Deliver due outbox messages: at once when a commit wakes it, else every `poll_seconds`."""

    def __init__(
        self,
        *,
        database: Database,
        mailer: Mailer,
        clock: Clock,
        retry_seconds: float,
        poll_seconds: float,
        batch_size: int = 20,
    ) -> None:
        self._database = database
        self._mailer = mailer
        self._clock = clock
        self._retry = timedelta(seconds=retry_seconds)
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
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
        """Deliver every message that is due; return how many were delivered."""
        delivered = 0
        for message_id in await self._claim_due():
            if self._stopping:
                break
            async with self._database.session() as session:
                message = await session.get(OutboxMessage, message_id)
                if message is None:
                    continue
                email = EmailMessage(message.recipient, message.subject, message.body)
            try:
                await self._mailer.send(email)
            except DeliveryFailed as exc:
                await self._record(message_id, sent=False, error=str(exc) or "delivery failed")
                logger.warning("Email %s not delivered; retrying in %s", message_id, self._retry)
                continue
            await self._record(message_id, sent=True, error=None)
            delivered += 1
        return delivered

    async def _claim_due(self) -> list[int]:
        """Lease due messages to this worker until the retry interval has passed.

        A message is claimed by a conditional UPDATE, so two workers never send it twice
        at once; if this one dies, the lease runs out and another delivers it.
        """
        now = self._clock.now()
        claimed: list[int] = []
        async with self._database.session() as session:
            due = await session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.id)
                .limit(self._batch_size)
            )
            for message_id in list(due):
                result = await session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == message_id,
                        OutboxMessage.sent_at.is_(None),
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .values(
                        next_attempt_at=now + self._retry,
                        attempts=OutboxMessage.attempts + 1,
                    )
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(message_id)
            await session.commit()
        return claimed

    async def _record(self, message_id: int, *, sent: bool, error: str | None) -> None:
        async with self._database.session() as session:
            values: dict[str, object] = {"last_error": error[:255] if error else None}
            if sent:
                values["sent_at"] = self._clock.now()
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
            )
            await session.commit()
