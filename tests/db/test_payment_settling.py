"""Charges whose outcome is unknown are settled before an order moves, and a cancel that
races a payment on PostgreSQL waits for it on the order's row.

A crashed request cannot be written as a scenario: here its pending charge is a row, and
the provider's ledger already holds the charge it made before the request died.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database
from app.core.errors import Conflict
from app.orders.models import Order, OrderStatus
from app.orders.service import ORDER_BEING_PAID, cancel_order
from app.payments.models import CHARGE_IN_FLIGHT, Payment, PaymentStatus
from app.payments.ports import Charge
from app.payments.resolution import PaymentReconciler
from harness.databases import ServerDatabase
from harness.fakes import FakeClock, FakePaymentGateway
from tests.db.records import confirmed_order, payment_record

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]

SERVER_URL = os.environ.get("STOREFRONT_TEST_DATABASE_URL")


async def _charged_then_died(
    session: AsyncSession, order: Order, gateway: FakePaymentGateway, clock: FakeClock
) -> Payment:
    """A payment whose request died after the provider charged it."""
    payment = payment_record(order, created_at=clock.now())
    session.add(payment)
    await session.commit()
    await gateway.charge(
        Charge(payment.amount, payment.currency, f"order-{order.id}", payment.provider_key)
    )
    gateway.requests.clear()
    return payment


async def _status(database: Database, order_id: int) -> tuple[str, list[str]]:
    async with database.session() as session:
        order = await session.scalar(select(Order.status).where(Order.id == order_id))
        payments = await session.scalars(select(Payment.status).where(Payment.order_id == order_id))
        return str(order), sorted(payments)


async def test_a_cancel_settles_a_charge_whose_request_died(database: Database) -> None:
    gateway, clock = FakePaymentGateway(), FakeClock()
    async with database.session() as session:
        shopper, order = await confirmed_order(session)
        await _charged_then_died(session, order, gateway, clock)
    clock.advance(CHARGE_IN_FLIGHT + timedelta(seconds=1))

    async with database.session() as session:
        with pytest.raises(Conflict, match="Order cannot be cancelled in status paid"):
            await cancel_order(
                session=session, gateway=gateway, order_id=order.id, user=shopper, clock=clock
            )

    assert await _status(database, order.id) == ("paid", ["succeeded"])
    assert len(gateway.ledger) == 1
    assert [r.idempotency_key for r in gateway.requests] == [
        gateway.ledger[0].charge.idempotency_key
    ]


async def test_a_charge_still_at_the_provider_holds_the_order(database: Database) -> None:
    gateway, clock = FakePaymentGateway(), FakeClock()
    async with database.session() as session:
        shopper, order = await confirmed_order(session)
        await _charged_then_died(session, order, gateway, clock)
    clock.advance(CHARGE_IN_FLIGHT - timedelta(seconds=1))

    async with database.session() as session:
        with pytest.raises(Conflict, match=ORDER_BEING_PAID):
            await cancel_order(
                session=session, gateway=gateway, order_id=order.id, user=shopper, clock=clock
            )

    assert gateway.requests == []  # in flight: nobody replays its key yet
    assert await _status(database, order.id) == ("confirmed", ["pending"])


async def test_the_reconciler_settles_a_charge_whose_request_died(database: Database) -> None:
    gateway, clock = FakePaymentGateway(), FakeClock()
    async with database.session() as session:
        _, order = await confirmed_order(session)
        await _charged_then_died(session, order, gateway, clock)
    reconciler = PaymentReconciler(
        database=database, gateway=gateway, clock=clock, interval_seconds=5
    )
    assert await reconciler.settle_due() == 0

    clock.advance(CHARGE_IN_FLIGHT + timedelta(seconds=1))
    assert await reconciler.settle_due() == 1

    assert await _status(database, order.id) == ("paid", ["succeeded"])
    assert len(gateway.ledger) == 1


@pytest_asyncio.fixture
async def server_database() -> AsyncIterator[Database]:
    """A migrated database of its own on the PostgreSQL server the suite is given."""
    if not SERVER_URL:
        pytest.skip("needs STOREFRONT_TEST_DATABASE_URL (bash scripts/postgres.sh)")
    database = await ServerDatabase.create(SERVER_URL, f"storefront_settling_{os.getpid()}")
    try:
        yield database
    finally:
        await database.dispose()


async def test_on_postgresql_a_cancel_waits_for_a_payment_that_holds_the_order(
    server_database: Database,
) -> None:
    """The race of the issue, provoked: the payment has recorded its charge as under way but
    not committed it when the cancel arrives. Under READ COMMITTED the cancel's check ran on
    a snapshot taken before that commit, and it cancelled an order about to be charged."""
    gateway, clock = FakePaymentGateway(), FakeClock()
    async with server_database.session() as session:
        shopper, order = await confirmed_order(session)

    async with server_database.session() as paying:
        paying.add(payment_record(order, created_at=clock.now()))
        await paying.execute(
            update(Order).where(Order.id == order.id).values(status=OrderStatus.CONFIRMED)
        )
        await paying.flush()

        async def cancel() -> Order:
            async with server_database.session() as session:
                return await cancel_order(
                    session=session, gateway=gateway, order_id=order.id, user=shopper, clock=clock
                )

        cancelling = asyncio.create_task(cancel())
        await asyncio.sleep(0.5)
        assert not cancelling.done()
        await paying.commit()

    with pytest.raises(Conflict, match=ORDER_BEING_PAID):
        await cancelling
    assert await _status(server_database, order.id) == ("confirmed", [PaymentStatus.PENDING])
