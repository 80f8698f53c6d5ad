"""Recording what the provider answered under a key: the order paid once, every attempt
under that key settled with the same answer."""

import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.orders.locks import lock_order
from app.orders.models import Order, OrderStatus
from app.payments.models import Payment, PaymentStatus
from app.payments.ports import ChargeResult, ChargeStatus

logger = logging.getLogger("app.payments")


@dataclass(frozen=True)
class Late:
    """A charge that found its order no longer confirmed: its status, and the success kept."""

    order_status: str | None
    recorded: str | None


async def record_answer(
    *, session: AsyncSession, payment: Payment, result: ChargeResult, clock: Clock
) -> Late | None:
    """Record the provider's answer for `payment`, in the caller's transaction.

    The order's row is locked first (SQLite's write lock, PostgreSQL's row lock), so
    attempts, cancels and replays of one order take turns: one that finds the order no
    longer confirmed sees the success the winner recorded, and records the same charge as
    its duplicate instead of as a second success. Every other attempt still pending under
    the same key is the same charge, and is settled with it.
    """
    await lock_order(session=session, order_id=payment.order_id)
    late: Late | None = None
    if result.status == ChargeStatus.DECLINED:
        status = PaymentStatus.DECLINED
    elif await _mark_paid(session, payment.order_id, clock):
        status = PaymentStatus.SUCCEEDED
    else:
        order_status = await session.scalar(
            select(Order.status).where(Order.id == payment.order_id)
        )
        recorded = await session.scalar(
            select(Payment.transaction_id).where(
                Payment.order_id == payment.order_id,
                Payment.status == PaymentStatus.SUCCEEDED,
                Payment.id != payment.id,
            )
        )
        status = PaymentStatus.SUCCEEDED if recorded is None else PaymentStatus.DUPLICATE
        late = Late(order_status, recorded)
    now = clock.now()
    payment.status = status
    payment.transaction_id = result.transaction_id
    payment.completed_at = now
    sibling = (
        PaymentStatus.DECLINED if status == PaymentStatus.DECLINED else PaymentStatus.DUPLICATE
    )
    await session.execute(
        update(Payment)
        .where(
            Payment.order_id == payment.order_id,
            Payment.provider_key == payment.provider_key,
            Payment.status == PaymentStatus.PENDING,
            Payment.id != payment.id,
        )
        .values(status=sibling, transaction_id=result.transaction_id, completed_at=now)
        .execution_options(synchronize_session=False)
    )
    return late


async def _mark_paid(session: AsyncSession, order_id: int, clock: Clock) -> bool:
    moved = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == OrderStatus.CONFIRMED)
        .values(status=OrderStatus.PAID, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return int(moved.rowcount) == 1  # type: ignore[attr-defined]


def explain_late(payment: Payment, late: Late) -> str:
    """Log a charge that found its order no longer confirmed; return the order's status.

    A concurrent request for the same order gets the same provider key, and so the same
    charge: if that request recorded it as the order's payment, nothing was charged twice.
    Another transaction, or an order cancelled meanwhile, is a charge to refund by hand
    (the rules of cancelling make the second impossible; the log says so if it happens).
    """
    if late.recorded is None and late.order_status != OrderStatus.PAID:
        logger.error(
            "Payment %s (transaction %s) charged order %s, which is now %s: refund it",
            payment.id,
            payment.transaction_id,
            payment.order_id,
            late.order_status,
        )
    elif late.recorded is not None and late.recorded != payment.transaction_id:
        logger.error(
            "Payment %s (transaction %s) charged order %s, already paid by %s: refund it",
            payment.id,
            payment.transaction_id,
            payment.order_id,
            late.recorded,
        )
    return str(late.order_status)
