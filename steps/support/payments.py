"""Paying for an order as a shopper does, and the reference the provider knows it by."""

from decimal import Decimal
from typing import Any

import httpx

from app.core.config import Settings
from harness.api import Api
from harness.ports import PaymentProvider, ProviderCharge, ProviderRequest
from harness.waiting import eventually
from steps.support.shop import order_of
from steps.support.world import Sent, World


def pay(
    api: Api, world: World, payer: str, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    """Send a payment as the payer, and keep the answer with the scenario's others."""
    headers = {"Idempotency-Key": key} if key is not None else {}
    response = api.post("/payments", token=world.persona(payer).token, json=body, headers=headers)
    world.response = response
    world.responses.append(response)
    return response


def reference(world: World, name: str) -> str:
    """Return the reference the provider knows the person's last order by."""
    return f"order-{order_of(world, name)}"


def own_references(world: World) -> set[str]:
    """Return the references of every order the scenario placed."""
    return {f"order-{order}" for orders in world.shop.orders.values() for order in orders}


def asked_for_own(provider: PaymentProvider, world: World) -> list[ProviderRequest]:
    """Return what the store asked the provider for this scenario's orders, in order.

    A shared store (a deployment) may settle another scenario's charges at any time;
    a Then reads only its own."""
    references = own_references(world)
    return [r for r in provider.asked() if r.reference in references]


def charged_for_own(provider: PaymentProvider, world: World) -> list[ProviderCharge]:
    """Return the charges made, not declined, for this scenario's orders."""
    references = own_references(world)
    return [c for c in provider.made() if c.reference in references and c.status == "succeeded"]


def charged(provider: PaymentProvider, reference: str) -> list[ProviderCharge]:
    """Return the charges the provider made, not declined, for one reference."""
    return [c for c in provider.made() if c.reference == reference and c.status == "succeeded"]


def check_charged_once(
    world: World, settings: Settings, payments: PaymentProvider, name: str, amount: str
) -> None:
    """Check that the provider charged the person's last order once, for `amount`."""
    charges = charged(payments, reference(world, name))
    assert len(charges) == 1, charges
    assert (Decimal(charges[0].amount), charges[0].currency) == (
        Decimal(amount),
        settings.currency,
    )


def send_in_background(
    api: Api,
    world: World,
    payments: PaymentProvider,
    payer: str,
    sends: list[tuple[dict[str, Any], str | None]],
) -> list[Sent]:
    """Send payments (body, key) at the same moment; wait until each is answered or held by
    the provider."""
    token = world.persona(payer).token
    calls = [
        {
            "method": "POST",
            "path": "/payments",
            "token": token,
            "json": body,
            "headers": {"Idempotency-Key": key} if key is not None else {},
        }
        for body, key in sends
    ]
    before = payments.waiting + answered(world)
    sent = [
        Sent(answer, body, key)
        for answer, (body, key) in zip(api.send_soon(calls), sends, strict=True)
    ]
    world.held.extend(sent)
    assert eventually(lambda: payments.waiting + answered(world) == before + len(sent)), (
        f"{payments.waiting} held by the provider, {answered(world)} answered"
    )
    return sent


def answered(world: World) -> int:
    """Return how many of the payments sent in the background have been answered."""
    return sum(held.answer.done() for held in world.held)


def let_provider_answer(world: World, payments: PaymentProvider) -> list[httpx.Response]:
    """Let the provider answer what it holds; return every background payment's answer."""
    payments.release()
    return [held.answer.result(timeout=15) for held in world.held]
