"""Products, orders and payments in a real (SQLite) database built by the migrations.

The rules the services rely on are the database's own: these tests break them with plain
SQL and ORM writes, and expect the database to refuse.
"""

import itertools
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database
from app.orders.models import Order, OrderItem, OrderStatus
from app.payments.models import IdempotencyKey, Payment, PaymentStatus
from app.products.models import Product
from app.users.models import User
from tests.db.records import payment_record

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]

_numbers = itertools.count(1)


def _user() -> User:
    n = next(_numbers)
    return User(email=f"shopper{n}@example.com", username=f"shopper{n}", password_hash="x")


def _product(**overrides: Any) -> Product:
    values: dict[str, Any] = {"name": "Blue teapot", "price": Decimal("24.50"), "stock": 5}
    return Product(**(values | overrides))


async def _shop(session: AsyncSession) -> tuple[User, Product, Product]:
    """Add a shopper and two products, committed."""
    shopper, teapot, mug = _user(), _product(), _product(name="Green mug", price=Decimal("0.10"))
    session.add_all([shopper, teapot, mug])
    await session.commit()
    return shopper, teapot, mug


def _order(user: User, *items: tuple[Product, int], **overrides: Any) -> Order:
    values: dict[str, Any] = {"user_id": user.id, "currency": "USD"}
    return Order(
        **(values | overrides),
        items=[
            OrderItem(product_id=product.id, quantity=quantity, unit_price=product.price)
            for product, quantity in items
        ],
    )


async def test_an_order_keeps_its_items_in_product_order_and_sums_them_exactly(
    database: Database,
) -> None:
    async with database.session() as session:
        shopper, teapot, mug = await _shop(session)
        session.add(_order(shopper, (mug, 3), (teapot, 2)))
        await session.commit()
    async with database.session() as session:
        order = await session.scalar(select(Order))
        assert order is not None
        assert order.status == OrderStatus.PENDING
        assert [(i.product_id, i.quantity, i.unit_price) for i in order.items] == [
            (teapot.id, 2, Decimal("24.50")),
            (mug.id, 3, Decimal("0.10")),
        ]
        # 3 × 0.10 in floats is 0.30000000000000004.
        assert order.total == Decimal("49.30")
        assert order.items[0].order is order


async def test_money_reads_back_exactly(session: AsyncSession) -> None:
    session.add(_product(price=Decimal("19.99")))
    await session.commit()
    price = await session.scalar(select(Product.price).execution_options(populate_existing=True))
    assert price == Decimal("19.99") and str(price) == "19.99"


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-1.00")])
async def test_a_price_must_be_above_zero(session: AsyncSession, price: Decimal) -> None:
    session.add(_product(price=price))
    with pytest.raises(IntegrityError, match="price_positive"):
        await session.commit()


async def test_stock_never_goes_below_zero(session: AsyncSession) -> None:
    teapot = _product(stock=2)
    session.add(teapot)
    await session.commit()
    with pytest.raises(IntegrityError, match="stock_not_negative"):
        await session.execute(update(Product).values(stock=Product.stock - 3))


async def test_taking_stock_only_where_it_suffices_moves_nothing_when_short(
    session: AsyncSession,
) -> None:
    session.add(_product(stock=2))
    await session.commit()
    taking = (
        update(Product)
        .where(Product.stock >= 3)
        .values(stock=Product.stock - 3)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(taking)
    assert result.rowcount == 0  # type: ignore[attr-defined]
    assert await session.scalar(select(Product.stock)) == 2


@pytest.mark.parametrize("quantity", [0, -1, 1001])
async def test_an_item_holds_1_to_1000_units(session: AsyncSession, quantity: int) -> None:
    shopper, teapot, _ = await _shop(session)
    session.add(_order(shopper, (teapot, quantity)))
    with pytest.raises(IntegrityError, match="quantity_in_range"):
        await session.commit()


async def test_an_order_holds_a_product_once(session: AsyncSession) -> None:
    shopper, teapot, _ = await _shop(session)
    session.add(_order(shopper, (teapot, 1), (teapot, 2)))
    with pytest.raises(IntegrityError, match="UNIQUE"):
        await session.commit()


async def test_an_item_names_a_product_that_exists(session: AsyncSession) -> None:
    shopper, _, _ = await _shop(session)
    session.add(_order(shopper, (_product(id=4242), 1)))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        await session.commit()


async def test_a_product_in_an_order_cannot_be_deleted(session: AsyncSession) -> None:
    shopper, teapot, _ = await _shop(session)
    session.add(_order(shopper, (teapot, 1)))
    await session.commit()
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        await session.execute(delete(Product).where(Product.id == teapot.id))


async def test_deleting_an_order_deletes_its_items(session: AsyncSession) -> None:
    shopper, teapot, mug = await _shop(session)
    order = _order(shopper, (teapot, 1), (mug, 1))
    session.add(order)
    await session.commit()
    await session.execute(delete(Order).where(Order.id == order.id))
    await session.commit()
    assert (await session.scalars(select(OrderItem.id))).all() == []


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [("status", "shipped", "status_known"), ("currency", "JPY", "currency_known")],
)
async def test_an_order_has_a_known_status_and_currency(
    session: AsyncSession, column: str, value: str, rule: str
) -> None:
    shopper, teapot, _ = await _shop(session)
    session.add(_order(shopper, (teapot, 1), **{column: value}))
    with pytest.raises(IntegrityError, match=rule):
        await session.commit()


async def test_an_order_belongs_to_an_account_that_exists(session: AsyncSession) -> None:
    session.add(Order(user_id=4242, currency="USD"))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        await session.commit()


async def _paid_order(session: AsyncSession) -> tuple[User, Order]:
    shopper, teapot, _ = await _shop(session)
    order = _order(shopper, (teapot, 1), status=OrderStatus.CONFIRMED)
    session.add(order)
    await session.commit()
    return shopper, order


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"status": "refunded"}, "status_known"),
        ({"amount": Decimal("0")}, "amount_positive"),
        ({"attempt": 0}, "attempt_positive"),
        ({"order_id": 4242}, "FOREIGN KEY"),
    ],
)
async def test_a_payment_attempt_is_checked(
    session: AsyncSession, change: dict[str, Any], rule: str
) -> None:
    _, order = await _paid_order(session)
    session.add(payment_record(order, **change))
    with pytest.raises(IntegrityError, match=rule):
        await session.commit()


async def test_every_attempt_at_paying_an_order_is_kept(session: AsyncSession) -> None:
    _, order = await _paid_order(session)
    session.add_all(
        [
            payment_record(order, status=PaymentStatus.UNAVAILABLE),
            payment_record(order, status=PaymentStatus.DECLINED, transaction_id="txn_1"),
            payment_record(
                order, attempt=2, status=PaymentStatus.SUCCEEDED, transaction_id="txn_2"
            ),
        ]
    )
    await session.commit()
    statuses = await session.scalars(
        select(Payment.status).where(Payment.order_id == order.id).order_by(Payment.id)
    )
    assert statuses.all() == ["unavailable", "declined", "succeeded"]


async def test_an_idempotency_key_is_claimed_once_per_shopper(session: AsyncSession) -> None:
    alice, _ = await _paid_order(session)
    bob = _user()
    session.add(bob)
    await session.commit()
    session.add_all(
        [
            IdempotencyKey(user_id=alice.id, key="pay-1", request_hash="a" * 64),
            IdempotencyKey(user_id=bob.id, key="pay-1", request_hash="b" * 64),
        ]
    )
    await session.commit()
    session.add(IdempotencyKey(user_id=alice.id, key="pay-1", request_hash="c" * 64))
    with pytest.raises(IntegrityError, match="UNIQUE"):
        await session.commit()
