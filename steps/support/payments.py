"""Paying for an order as a shopper does, and the reference the provider knows it by."""

from typing import Any

import httpx

from harness.api import Api
from harness.ports import PaymentProvider, ProviderCharge, ProviderRequest
from steps.support.shop import order_of
from steps.support.world import World


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
