"""Orders: placing them, reading them, confirming and cancelling them."""

from fastapi import APIRouter, status

from app.auth.deps import CurrentUser
from app.core.deps import ClockDep, IdPath, SessionDep, SettingsDep
from app.core.money import ExactJSONRoute
from app.core.pagination import Page, PageDep
from app.core.responses import error_responses
from app.orders import service
from app.orders.schemas import OrderCreate, OrderRead
from app.payments.deps import PaymentGatewayDep

router = APIRouter(tags=["orders"], route_class=ExactJSONRoute)


@router.post(
    "/orders",
    response_model=OrderRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 404, 409, body=True),
)
async def create_order(
    data: OrderCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> OrderRead:
    """Place a pending order at today's prices, in the store's currency."""
    order = await service.place_order(
        session=session, user=user, data=data, currency=settings.currency, clock=clock
    )
    return OrderRead.model_validate(order)


@router.get("/orders", response_model=Page[OrderRead], responses=error_responses(401))
async def list_orders(user: CurrentUser, session: SessionDep, page: PageDep) -> Page[OrderRead]:
    """List the signed-in user's own orders, a page at a time."""
    orders, total = await service.list_orders(session=session, user=user, page=page)
    return Page[OrderRead].of(orders, total=total, page=page)


@router.get("/orders/{order_id}", response_model=OrderRead, responses=error_responses(401, 404))
async def read_order(order_id: IdPath, user: CurrentUser, session: SessionDep) -> OrderRead:
    """Return an order to its owner or an admin."""
    order = await service.get_order(session=session, order_id=order_id, user=user)
    return OrderRead.model_validate(order)


@router.post(
    "/orders/{order_id}/confirm",
    response_model=OrderRead,
    responses=error_responses(401, 404, 409),
)
async def confirm_order(
    order_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> OrderRead:
    """Confirm a pending order and take the stock of all its items at once."""
    order = await service.confirm_order(session=session, order_id=order_id, user=user, clock=clock)
    return OrderRead.model_validate(order)


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderRead,
    responses=error_responses(401, 404, 409),
)
async def cancel_order(
    order_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    gateway: PaymentGatewayDep,
) -> OrderRead:
    """Cancel a pending or confirmed order; a confirmed one gives its stock back."""
    order = await service.cancel_order(
        session=session, gateway=gateway, order_id=order_id, user=user, clock=clock
    )
    return OrderRead.model_validate(order)
