"""The rules of orders: placing, confirming (taking stock), cancelling, and who may see them.

Every change of status is one conditional UPDATE checked by its row count, and stock is
taken with `stock = stock - :q WHERE stock >= :q`, so concurrent requests never oversell
and never move stock twice.
"""

from collections.abc import Sequence

from sqlalchemy import (
    ColumnElement,
    Executable,
    Exists,
    SQLColumnExpression,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.errors import Conflict, NotFound
from app.core.pagination import PageParams
from app.orders.locks import lock_order
from app.orders.models import Order, OrderItem, OrderStatus
from app.orders.schemas import OrderCreate
from app.payments.models import Payment, PaymentStatus
from app.payments.ports import PaymentGateway
from app.payments.resolution import settle_order
from app.products.models import Product
from app.products.service import PRODUCT_NOT_FOUND
from app.users.models import User

ORDER_NOT_FOUND = "Order not found"
ORDER_BEING_PAID = "Order cannot be cancelled while it is being paid"


def insufficient_stock(product_id: int) -> Conflict:
    """Return the refusal for a product whose stock does not cover an item."""
    return Conflict(f"Insufficient stock for product {product_id}")


async def _row_count(session: AsyncSession, statement: Executable) -> int:
    result = await session.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount)  # type: ignore[attr-defined]


async def place_order(
    *, session: AsyncSession, user: User, data: OrderCreate, currency: str, clock: Clock
) -> Order:
    """Place a pending order at today's prices; stock is only checked, taken on confirming."""
    wanted = {item.product_id: item.quantity for item in data.items}
    found = await session.scalars(select(Product).where(Product.id.in_(wanted)))
    products = {product.id: product for product in found}
    if len(products) != len(wanted):
        raise NotFound(PRODUCT_NOT_FOUND)
    for product_id in sorted(wanted):
        if products[product_id].stock < wanted[product_id]:
            raise insufficient_stock(product_id)
    now = clock.now()
    order = Order(
        user_id=user.id,
        status=OrderStatus.PENDING,
        currency=currency,
        created_at=now,
        updated_at=now,
        items=[
            OrderItem(
                product_id=product_id, quantity=quantity, unit_price=products[product_id].price
            )
            for product_id, quantity in sorted(wanted.items())
        ],
    )
    session.add(order)
    await session.commit()
    return order


async def list_orders(
    *, session: AsyncSession, user: User, page: PageParams
) -> tuple[Sequence[Order], int]:
    """Return one page of the user's own orders, by id, and how many they have."""
    total = await session.scalar(
        select(func.count()).select_from(Order).where(Order.user_id == user.id)
    )
    orders = await session.scalars(
        select(Order)
        .where(Order.user_id == user.id)
        .order_by(Order.id)
        .offset(page.skip)
        .limit(page.limit)
    )
    return orders.all(), total or 0


async def get_order(*, session: AsyncSession, order_id: int, user: User) -> Order:
    """Return an order to its owner or an admin; to anyone else it does not exist."""
    query = select(Order).where(Order.id == order_id)
    if not user.is_admin:
        query = query.where(Order.user_id == user.id)
    order = await session.scalar(query)
    if order is None:
        raise NotFound(ORDER_NOT_FOUND)
    return order


async def get_own_order(*, session: AsyncSession, order_id: int, user: User) -> Order:
    """Return one of the user's own orders; anyone else's, admins' included, does not exist."""
    order = await session.scalar(
        select(Order)
        .where(Order.id == order_id, Order.user_id == user.id)
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise NotFound(ORDER_NOT_FOUND)
    return order


async def change_status(
    *,
    session: AsyncSession,
    order_id: int,
    user_id: int,
    current: OrderStatus,
    new: OrderStatus,
    clock: Clock,
    unless: ColumnElement[bool] | None = None,
) -> bool:
    """Move an order from `current` to `new` (unless `unless` holds); tell whether it moved."""
    conditions = [Order.id == order_id, Order.user_id == user_id, Order.status == current]
    if unless is not None:
        conditions.append(~unless)
    changed = await _row_count(
        session,
        update(Order).where(*conditions).values(status=new, updated_at=clock.now()),
    )
    return changed == 1


async def _refuse(
    *, session: AsyncSession, order_id: int, user: User, action: str
) -> Conflict | NotFound:
    """Explain why an order could not be moved: it is not the user's, or not in a fit status.

    The conditional UPDATE that failed changed nothing, so the order reads as it is.
    """
    try:
        order = await get_own_order(session=session, order_id=order_id, user=user)
    except NotFound as exc:
        return exc
    return Conflict(f"Order cannot be {action} in status {order.status}")


async def confirm_order(*, session: AsyncSession, order_id: int, user: User, clock: Clock) -> Order:
    """Confirm a pending order and take the stock of all its items, or of none."""
    moved = await change_status(
        session=session,
        order_id=order_id,
        user_id=user.id,
        current=OrderStatus.PENDING,
        new=OrderStatus.CONFIRMED,
        clock=clock,
    )
    if not moved:
        raise await _refuse(session=session, order_id=order_id, user=user, action="confirmed")
    order = await get_own_order(session=session, order_id=order_id, user=user)
    # Items come by ascending product id: the first one short is the lowest such id, and
    # concurrent confirmations lock the products in the same order.
    for item in order.items:
        taken = await _row_count(
            session,
            update(Product)
            .where(Product.id == item.product_id, Product.stock >= item.quantity)
            .values(stock=Product.stock - item.quantity),
        )
        if taken != 1:
            short = item.product_id  # read before the rollback expires the item
            await session.rollback()
            raise insufficient_stock(short)
    await session.commit()
    return order


def _not_settled(order_id: int | SQLColumnExpression[int]) -> Exists:
    """Tell whether a charge of the order has no known outcome: at the provider, or unknown."""
    return exists().where(Payment.order_id == order_id, Payment.status == PaymentStatus.PENDING)


async def cancel_order(
    *, session: AsyncSession, gateway: PaymentGateway, order_id: int, user: User, clock: Clock
) -> Order:
    """Cancel a pending or confirmed order; a confirmed one gives its stock back, once.

    A charge whose outcome is unknown is settled first by replaying its key: if the
    provider made it, the order is paid and stays so. A charge still at the provider, or
    one the provider cannot be asked about now, keeps the order from being cancelled.
    """
    await settle_order(
        session=session, gateway=gateway, order_id=order_id, owner_id=user.id, clock=clock
    )
    await lock_order(session=session, order_id=order_id)
    being_paid = _not_settled(Order.id)

    async def cancel_from(current: OrderStatus) -> bool:
        return await change_status(
            session=session,
            order_id=order_id,
            user_id=user.id,
            current=current,
            new=OrderStatus.CANCELLED,
            clock=clock,
            unless=being_paid,
        )

    was_confirmed = await cancel_from(OrderStatus.CONFIRMED)
    if not was_confirmed and not await cancel_from(OrderStatus.PENDING):
        refusal = await _refuse(session=session, order_id=order_id, user=user, action="cancelled")
        if isinstance(refusal, Conflict) and await session.scalar(select(_not_settled(order_id))):
            raise Conflict(ORDER_BEING_PAID)
        raise refusal
    order = await get_own_order(session=session, order_id=order_id, user=user)
    if was_confirmed:
        for item in order.items:
            await _row_count(
                session,
                update(Product)
                .where(Product.id == item.product_id)
                .values(stock=Product.stock + item.quantity),
            )
    await session.commit()
    return order
