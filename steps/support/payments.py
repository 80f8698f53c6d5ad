"""Paying for an order as a shopper does, and the reference the provider knows it by."""

from typing import Any

import httpx

from harness.api import Api
from harness.ports import PaymentProvider, ProviderCharge
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


def charged(provider: PaymentProvider, reference: str) -> list[ProviderCharge]:
    """Return the charges the provider made, not declined, for one reference."""
    return [c for c in provider.made() if c.reference == reference and c.status == "succeeded"]
