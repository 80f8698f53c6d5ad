"""The rules of paying: the order's total, once, whatever the provider or the network does.

No transaction stays open while the provider is called: the attempt is committed as
`pending` first, and its outcome is recorded in a transaction of its own.
"""

import logging
from datetime import timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.config import Settings
from app.core.errors import BadRequest, Conflict, PaymentDeclined, PaymentProviderUnavailable
from app.orders.locks import lock_order
from app.orders.models import Order, OrderStatus
from app.orders.service import change_status, get_own_order
from app.payments.idempotency import claim_key, complete_key, fingerprint, release_key
from app.payments.models import Payment, PaymentStatus
from app.payments.ports import (
    Charge,
    ChargeResult,
    OutcomeUnknown,
    PaymentGateway,
    ProviderUnavailable,
)
from app.payments.recording import explain_late, record_answer
from app.payments.schemas import PaymentCreate
from app.users.models import User

logger = logging.getLogger("app.payments")

PAYMENT_DECLINED = "Payment declined"
PROVIDER_UNAVAILABLE = "Payment provider unavailable"
AMOUNT_MISMATCH = "Amount does not match order total"
CURRENCY_MISMATCH = "Currency does not match order currency"


def provider_key(order: Order, attempt: int) -> str:
    """Derive the provider's idempotency key for an attempt at paying an order.

    The order's creation time is part of it, so that a provider that outlives this
    database (a shared sandbox, a reset development store) never mistakes one order 1
    for another.
    """
    placed = order.created_at.strftime("%Y%m%dT%H%M%S%f")
    return f"order-{order.id}-{placed}-attempt-{attempt}"


def claim_lease(settings: Settings) -> timedelta:
    """Return how long a request may hold an idempotency key before it counts as dead.

    The timeout applies to connecting, writing and reading each, hence the multiple.
    """
    return timedelta(seconds=60 + 4 * settings.payment_timeout_seconds)


async def pay_for_order(
    *,
    session: AsyncSession,
    gateway: PaymentGateway,
    user: User,
    data: PaymentCreate,
    idempotency_key: str | None,
    settings: Settings,
    clock: Clock,
) -> Payment:
    """Charge a confirmed order's total and mark it paid; under a key, only once."""
    if idempotency_key is None:
        return _outcome(
            await _charge_order(session=session, gateway=gateway, user=user, data=data, clock=clock)
        )
    claimed = await claim_key(
        session=session,
        user_id=user.id,
        key=idempotency_key,
        request_hash=fingerprint(data),
        now=clock.now(),
        lease=claim_lease(settings),
    )
    if isinstance(claimed, Payment):
        return _outcome(claimed)
    try:
        payment = await _charge_order(
            session=session, gateway=gateway, user=user, data=data, clock=clock, claim_id=claimed
        )
    except Exception:
        await release_key(session=session, claim_id=claimed)
        raise
    return _outcome(payment)


def _outcome(payment: Payment) -> Payment:
    """Return a successful payment; raise `PaymentDeclined` for a declined one."""
    if payment.status == PaymentStatus.DECLINED:
        raise PaymentDeclined(PAYMENT_DECLINED)
    return payment


async def _charge_order(
    *,
    session: AsyncSession,
    gateway: PaymentGateway,
    user: User,
    data: PaymentCreate,
    clock: Clock,
    claim_id: int | None = None,
) -> Payment:
    """Check the request against the order, charge the provider, and record what it said."""
    # The order's row first: a cancel that locked it before is seen, one after waits.
    await lock_order(session=session, order_id=data.order_id)
    order = await get_own_order(session=session, order_id=data.order_id, user=user)
    if order.status != OrderStatus.CONFIRMED:
        raise Conflict(f"Order cannot be paid in status {order.status}")
    if data.currency != order.currency:
        raise BadRequest(CURRENCY_MISMATCH)
    if data.amount != order.total:
        raise BadRequest(AMOUNT_MISMATCH)
    # The attempt after the last declined one, not one per decline: requests that ran at
    # once were declined once, under one key, and their retries must share a key again;
    # an attempt whose outcome is unknown is replayed under its key.
    last_declined = await session.scalar(
        select(func.max(Payment.attempt)).where(
            Payment.order_id == order.id, Payment.status == PaymentStatus.DECLINED
        )
    )
    attempt = (last_declined or 0) + 1
    payment = Payment(
        order_id=order.id,
        attempt=attempt,
        provider_key=provider_key(order, attempt),
        status=PaymentStatus.PENDING,
        amount=order.total,
        currency=order.currency,
        created_at=clock.now(),
    )
    session.add(payment)
    # Record the charge only while the order is still confirmed, in the same transaction:
    # a cancel that came first is seen here, and one that comes later finds the charge.
    if not await change_status(
        session=session,
        order_id=order.id,
        user_id=user.id,
        current=OrderStatus.CONFIRMED,
        new=OrderStatus.CONFIRMED,
        clock=clock,
    ):
        # Read before the rollback, which expires the user and the order.
        current = await get_own_order(session=session, order_id=order.id, user=user)
        refusal = Conflict(f"Order cannot be paid in status {current.status}")
        await session.rollback()
        raise refusal
    await session.commit()

    charge = Charge(
        amount=payment.amount,
        currency=payment.currency,
        reference=f"order-{order.id}",
        idempotency_key=payment.provider_key,
    )
    try:
        result = await gateway.charge(charge)
    except ProviderUnavailable as exc:
        # A charge that reached the provider and got no answer stays pending, its outcome
        # unknown: the next payment or cancel, or the reconciler, replays its key.
        unknown = isinstance(exc, OutcomeUnknown)
        logger.warning(
            "Payment %s for order %s: provider unavailable%s (%s)",
            payment.id,
            order.id,
            ", outcome unknown" if unknown else "",
            exc,
        )
        if not unknown:
            payment.status = PaymentStatus.UNAVAILABLE
        payment.completed_at = clock.now()
        await session.commit()
        raise PaymentProviderUnavailable(PROVIDER_UNAVAILABLE) from exc

    record = partial(
        _record_outcome, session=session, payment=payment, result=result, claim_id=claim_id
    )
    try:
        return await record(clock=clock)
    except IntegrityError:
        # The order's one success was recorded by a concurrent attempt after this one
        # looked for it: looking again finds it.
        await session.rollback()
        await session.refresh(payment)
        return await record(clock=clock)


async def _record_outcome(
    *,
    session: AsyncSession,
    payment: Payment,
    result: ChargeResult,
    clock: Clock,
    claim_id: int | None,
) -> Payment:
    """Record what the provider said, in one transaction with the order becoming paid."""
    late = await record_answer(session=session, payment=payment, result=result, clock=clock)
    if late is None and claim_id is not None:
        await complete_key(session=session, claim_id=claim_id, payment_id=payment.id)
    await session.commit()
    if late is not None:
        raise Conflict(f"Order cannot be paid in status {explain_late(payment, late)}")
    return payment
