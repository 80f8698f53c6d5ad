"""Payments: paying for a confirmed order through the payment provider."""

from typing import Annotated

from fastapi import APIRouter, Header

from app.auth.deps import CurrentUser
from app.core.deps import ClockDep, SessionDep, SettingsDep
from app.core.money import ExactJSONRoute
from app.core.responses import error_responses
from app.payments import service
from app.payments.deps import PaymentGatewayDep
from app.payments.schemas import PaymentCreate, PaymentRead

router = APIRouter(tags=["payments"], route_class=ExactJSONRoute)

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Send the request again with the same key, and it is carried out once.",
    ),
]


@router.post(
    "/payments",
    response_model=PaymentRead,
    responses=error_responses(400, 401, 402, 404, 409, 502, body=True),
)
async def pay_for_order(
    data: PaymentCreate,
    user: CurrentUser,
    session: SessionDep,
    gateway: PaymentGatewayDep,
    settings: SettingsDep,
    clock: ClockDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> PaymentRead:
    """Pay a confirmed order's total; the order becomes paid."""
    payment = await service.pay_for_order(
        session=session,
        gateway=gateway,
        user=user,
        data=data,
        idempotency_key=idempotency_key,
        settings=settings,
        clock=clock,
    )
    return PaymentRead.of(payment)
