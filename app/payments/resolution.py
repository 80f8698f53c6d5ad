"""Settling the charges whose outcome is unknown, by replaying their provider key.

A charge whose reply was lost, timed out or could not be read, or whose request died
while it was at the provider, may or may not have been made. Sending it again under the
same idempotency key makes the provider answer with its first outcome and charge nothing
new. A cancel does that before it moves the order (`settle_order`), a payment does it by
reusing the key, and `PaymentReconciler` does it in the background, so that once the
provider is reachable an order is either paid and charged once, or not charged.
"""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.db import Database
from app.orders.models import Order
from app.payments.models import CHARGE_IN_FLIGHT, Payment, PaymentStatus
from app.payments.ports import Charge, PaymentGateway, ProviderUnavailable
from app.payments.recording import explain_late, record_answer

logger = logging.getLogger("app.payments")


def outcome_unknown(now: datetime, *, quiet_for: timedelta | None = None) -> ColumnElement[bool]:
    """Match charges whose request ended without an answer, or died at the provider.

    `quiet_for` leaves alone those whose request ended less than that long ago, which
    the shopper's own retry is about to settle.
    """
    ended: ColumnElement[bool] = Payment.completed_at.is_not(None)
    if quiet_for is not None:
        ended = Payment.completed_at <= now - quiet_for
    return and_(
        Payment.status == PaymentStatus.PENDING,
        or_(ended, Payment.created_at <= now - CHARGE_IN_FLIGHT),
    )


async def settle_order(
    *, session: AsyncSession, gateway: PaymentGateway, order_id: int, owner_id: int, clock: Clock
) -> None:
    """Replay the key of each of the owner's order's charges whose outcome is unknown."""
    keys = await session.scalars(
        select(Payment.provider_key)
        .join(Order, Order.id == Payment.order_id)
        .where(
            Payment.order_id == order_id,
            Order.user_id == owner_id,
            outcome_unknown(clock.now()),
        )
        .distinct()
    )
    for key in list(keys):
        await settle_key(
            session=session, gateway=gateway, order_id=order_id, provider_key=key, clock=clock
        )


async def settle_key(
    *,
    session: AsyncSession,
    gateway: PaymentGateway,
    order_id: int,
    provider_key: str,
    clock: Clock,
) -> bool:
    """Send the key's charge again and record the answer; tell whether it is settled now."""
    payment = await session.scalar(
        select(Payment)
        .where(
            Payment.order_id == order_id,
            Payment.provider_key == provider_key,
            Payment.status == PaymentStatus.PENDING,
        )
        .order_by(Payment.id)
        .limit(1)
    )
    if payment is None:
        await session.commit()
        return True
    charge = Charge(
        amount=payment.amount,
        currency=payment.currency,
        reference=f"order-{order_id}",
        idempotency_key=provider_key,
    )
    # No transaction (nor SQLite's write lock) stays open while the provider is called.
    await session.commit()
    try:
        result = await gateway.charge(charge)
    except ProviderUnavailable as exc:
        logger.warning("Payment %s: its outcome is still unknown (%s)", payment.id, exc)
        return False
    await session.refresh(payment)
    if payment.status != PaymentStatus.PENDING:  # settled by another meanwhile
        await session.commit()
        return True
    late = await record_answer(session=session, payment=payment, result=result, clock=clock)
    await session.commit()
    if late is not None:
        explain_late(payment, late)
    logger.info("Payment %s settled as %s by replaying its key", payment.id, payment.status)
    return True


class PaymentReconciler:
    """Settle unknown outcomes in the background, every `interval_seconds`.

    Replicas may do it at the same moment: the provider answers a key once, and
    recording the answer is conditional, so an order is still paid once.
    """

    def __init__(
        self, *, database: Database, gateway: PaymentGateway, clock: Clock, interval_seconds: float
    ) -> None:
        self._database = database
        self._gateway = gateway
        self._clock = clock
        self._interval = interval_seconds
        self._stopped = asyncio.Event()

    async def run(self) -> None:
        """Settle what is due until `stop` is called."""
        while not self._stopped.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), timeout=self._interval)
            if self._stopped.is_set():
                break
            try:
                await self.settle_due()
            except Exception:
                logger.exception("Unknown payment outcomes could not be settled; trying later")

    def stop(self) -> None:
        """Finish the replay under way, then return from `run`."""
        self._stopped.set()

    async def settle_due(self) -> int:
        """Replay every key whose outcome has been unknown for a while; return how many."""
        settled = 0
        quiet = timedelta(seconds=self._interval)
        async with self._database.session() as session:
            due = await session.execute(
                select(Payment.order_id, Payment.provider_key)
                .where(outcome_unknown(self._clock.now(), quiet_for=quiet))
                .distinct()
            )
            work = [(row[0], row[1]) for row in due]
            await session.commit()
            for order_id, key in work:
                if self._stopped.is_set():
                    break
                settled += await settle_key(
                    session=session,
                    gateway=self._gateway,
                    order_id=order_id,
                    provider_key=key,
                    clock=self._clock,
                )
        return settled
