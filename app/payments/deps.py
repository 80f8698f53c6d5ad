"""The payment gateway a route charges through: the one the app was built with."""

from typing import Annotated

from fastapi import Depends, Request

from app.payments.ports import PaymentGateway


def get_payment_gateway(request: Request) -> PaymentGateway:
    """Return the app's payment gateway."""
    gateway: PaymentGateway = request.app.state.payment_gateway
    return gateway


PaymentGatewayDep = Annotated[PaymentGateway, Depends(get_payment_gateway)]
