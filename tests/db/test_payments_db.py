"""Payment records in a real (SQLite) database built by the migrations.

An order is paid once: the database keeps at most one succeeded payment per order, and
the service records every other charge that comes back for it for what it is.
"""

import asyncio

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database
from app.core.errors import Conflict
from app.orders.models import Order, OrderStatus
from app.payments.models import Payment, PaymentStatus
from app.payments.schemas import PaymentCreate
from app.payments.service import pay_for_order
from app.users.models import User
from harness.fakes import FakeClock, FakePaymentGateway
from harness.settings import scenario_settings
from tests.db.records import confirmed_order, payment_record

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]


async def test_an_order_has_one_succeeded_payment_at_most(session: AsyncSession) -> None:
    _, order = await confirmed_order(session)
    session.add(payment_record(order, status=PaymentStatus.SUCCEEDED))
    await session.commit()
    session.add(payment_record(order, status=PaymentStatus.SUCCEEDED))
    with pytest.raises(IntegrityError, match="UNIQUE"):
        await session.commit()


async def test_other_outcomes_may_sit_beside_the_one_success(session: AsyncSession) -> None:
    _, order = await confirmed_order(session)
    _, other = await confirmed_order(session)
    session.add_all(
        [
            payment_record(order, status=PaymentStatus.DECLINED, transaction_id="txn_0"),
            payment_record(order, attempt=2, status=PaymentStatus.SUCCEEDED),
            payment_record(order, attempt=2, status=PaymentStatus.DUPLICATE),
            payment_record(order, attempt=2, status=PaymentStatus.DUPLICATE),
            payment_record(other, status=PaymentStatus.SUCCEEDED, transaction_id="txn_2"),
        ]
    )
    await session.commit()
    statuses = await session.scalars(select(Payment.status).order_by(Payment.id))
    assert statuses.all() == ["declined", "succeeded", "duplicate", "duplicate", "succeeded"]


def _request(order: Order) -> PaymentCreate:
    return PaymentCreate(order_id=order.id, amount=order.total, currency=order.currency)


async def _pay(
    database: Database,
    shopper: User,
    data: PaymentCreate,
    gateway: FakePaymentGateway,
    clock: FakeClock,
) -> Payment:
    async with database.session() as session:
        # Loaded in the request's own session, as the app's CurrentUser is.
        user = await session.get(User, shopper.id)
        assert user is not None
        return await pay_for_order(
            session=session,
            gateway=gateway,
            user=user,
            data=data,
            idempotency_key=None,
            settings=scenario_settings(),
            clock=clock,
        )


async def _send_at_once(
    database: Database,
    shopper: User,
    order: Order,
    gateway: FakePaymentGateway,
    clock: FakeClock,
    times: int,
) -> list[asyncio.Task[Payment]]:
    """Send the same payment, without an idempotency key, so many times at the same moment.

    The provider holds every charge until `release()`: each request found the order
    confirmed, and the charges come back one after the other.
    """
    gateway.hold()
    requests = [
        asyncio.create_task(_pay(database, shopper, _request(order), gateway, clock))
        for _ in range(times)
    ]
    async with asyncio.timeout(10):
        while gateway.waiting < times:
            await asyncio.sleep(0.005)
    return requests


async def _outcomes(
    requests: list[asyncio.Task[Payment]], gateway: FakePaymentGateway
) -> list[Payment | BaseException]:
    gateway.release()
    return await asyncio.gather(*requests, return_exceptions=True)


async def _records(database: Database) -> tuple[str | None, list[Payment]]:
    """Read back the order's status and its payment records."""
    async with database.session() as session:
        status = await session.scalar(select(Order.status))
        return status, list(await session.scalars(select(Payment).order_by(Payment.id)))


async def test_a_new_attempt_follows_the_last_declined_one(session: AsyncSession) -> None:
    _, order = await confirmed_order(session)
    # Two requests sent at once were both declined, under the same attempt.
    session.add_all([payment_record(order, status=PaymentStatus.DECLINED) for _ in range(2)])
    await session.commit()
    shopper = await session.get(User, order.user_id)
    assert shopper is not None
    gateway = FakePaymentGateway()
    payment = await pay_for_order(
        session=session,
        gateway=gateway,
        user=shopper,
        data=_request(order),
        idempotency_key=None,
        settings=scenario_settings(),
        clock=FakeClock(),
    )
    assert payment.attempt == 2
    assert [r.idempotency_key for r in gateway.requests] == [payment.provider_key]
    assert payment.provider_key.endswith("-attempt-2")


async def test_the_same_payment_sent_at_once_without_a_key_is_recorded_once(
    file_database: Database,
) -> None:
    async with file_database.session() as session:
        shopper, order = await confirmed_order(session)
    gateway = FakePaymentGateway()

    requests = await _send_at_once(file_database, shopper, order, gateway, FakeClock(), times=3)
    outcomes = await _outcomes(requests, gateway)

    paid = [o for o in outcomes if isinstance(o, Payment)]
    refused = [o for o in outcomes if not isinstance(o, Payment)]
    assert len(paid) == 1, outcomes
    assert [(type(e), str(e)) for e in refused] == [
        (Conflict, "Order cannot be paid in status paid")
    ] * 2
    assert len(gateway.ledger) == 1
    order_status, records = await _records(file_database)
    assert order_status == OrderStatus.PAID
    assert sorted(r.status for r in records) == ["duplicate", "duplicate", "succeeded"]
    assert {r.transaction_id for r in records} == {gateway.ledger[0].transaction_id}
    assert {r.provider_key for r in records} == {gateway.ledger[0].charge.idempotency_key}
    assert all(r.completed_at is not None for r in records)
    [succeeded] = [r for r in records if r.status == PaymentStatus.SUCCEEDED]
    assert succeeded.id == paid[0].id


async def test_a_charge_that_finds_its_order_cancelled_is_kept_once_to_be_refunded(
    file_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with file_database.session() as session:
        shopper, order = await confirmed_order(session)
    gateway, clock = FakePaymentGateway(), FakeClock()
    requests = await _send_at_once(file_database, shopper, order, gateway, clock, times=2)
    # Cancelled behind the service's back (its cancel waits for the charges, or settles
    # them): should it happen, the charge is kept, once, and logged to be refunded.
    async with file_database.session() as session:
        await session.execute(
            update(Order).where(Order.id == order.id).values(status=OrderStatus.CANCELLED)
        )
        await session.commit()

    outcomes = await _outcomes(requests, gateway)

    assert [(type(e), str(e)) for e in outcomes] == [
        (Conflict, "Order cannot be paid in status cancelled")
    ] * 2
    order_status, records = await _records(file_database)
    assert order_status == OrderStatus.CANCELLED
    assert sorted(r.status for r in records) == ["duplicate", "succeeded"]
    assert {r.transaction_id for r in records} == {gateway.ledger[0].transaction_id}
    refunds = [r.getMessage() for r in caplog.records if "refund it" in r.getMessage()]
    [succeeded] = [r for r in records if r.status == PaymentStatus.SUCCEEDED]
    assert refunds == [
        f"Payment {succeeded.id} (transaction {succeeded.transaction_id}) charged order"
        f" {order.id}, which is now cancelled: refund it"
    ]
