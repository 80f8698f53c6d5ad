"""Client idempotency keys: one outcome per key, and never two requests at once under it."""

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.money import format_amount
from app.payments.models import IdempotencyKey, Payment
from app.payments.schemas import PaymentCreate

KEY_REUSED = "Idempotency key reused with a different request"
KEY_IN_PROGRESS = "A request with this idempotency key is in progress"


def fingerprint(data: PaymentCreate) -> str:
    """Digest what a payment asks for, so that 12.3 and "12.30" are the same request."""
    canonical = {
        "order_id": data.order_id,
        "amount": format_amount(data.amount),
        "currency": data.currency,
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


async def _find(session: AsyncSession, user_id: int, key: str) -> IdempotencyKey | None:
    return await session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )


async def claim_key(
    *,
    session: AsyncSession,
    user_id: int,
    key: str,
    request_hash: str,
    now: datetime,
    lease: timedelta,
) -> Payment | int:
    """Claim a key for this request and return the claim's id, or the completed outcome.

    The claim is committed before the provider is called: the unique (user, key) row is
    what makes a second request with the key wait its turn.
    """
    record = await _find(session, user_id, key)
    if record is None:
        record = IdempotencyKey(
            user_id=user_id,
            key=key,
            request_hash=request_hash,
            locked_until=now + lease,
            created_at=now,
        )
        session.add(record)
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            winner = await _find(session, user_id, key)
            if winner is None:
                raise
            record = winner
        else:
            return record.id
    if record.request_hash != request_hash:
        raise Conflict(KEY_REUSED)
    if record.payment_id is not None:
        payment = await session.get(Payment, record.payment_id)
        assert payment is not None
        return payment
    # The key's last request ended in an error (or died): this one may take it over.
    taken = await session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.id == record.id,
            IdempotencyKey.payment_id.is_(None),
            or_(IdempotencyKey.locked_until.is_(None), IdempotencyKey.locked_until <= now),
        )
        .values(locked_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        raise Conflict(KEY_IN_PROGRESS)
    await session.commit()
    return record.id


async def complete_key(*, session: AsyncSession, claim_id: int, payment_id: int) -> None:
    """Keep the payment as the key's outcome, in the transaction that records it."""
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == claim_id)
        .values(payment_id=payment_id, locked_until=None)
        .execution_options(synchronize_session=False)
    )


async def release_key(*, session: AsyncSession, claim_id: int) -> None:
    """Let the key go after an error, so that the request may be sent again with it."""
    await session.rollback()
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == claim_id, IdempotencyKey.payment_id.is_(None))
        .values(locked_until=None)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
