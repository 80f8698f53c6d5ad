"""Paying for orders: the payment, its refusals, paying again, and charges of unknown
outcome that the store settles."""

import time
from decimal import Decimal
from typing import Any

import httpx
from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from app.core.db import Database
from harness.api import Api
from harness.ports import PaymentProvider, StoreClock
from harness.stores import Stores
from harness.waiting import eventually
from steps.support.payments import charged, pay, reference
from steps.support.shop import (
    literal,
    order_of,
    orders_of,
    payment_of,
    read_order,
)
from steps.support.vocabulary import KEY, MISSING_ID, NAME, PRONOUN
from steps.support.world import World


@given(parsers.re(rf"^{NAME}'s first payment was declined$"))
def first_payment_declined(api: Api, world: World, name: str) -> None:
    """Pay, and be declined."""
    response = pay(api, world, name, payment_of(api, world, name))
    assert response.status_code == 402, response.text


@given(parsers.re(rf"^{NAME}'s payment{KEY} failed because the payment provider was unavailable$"))
def payment_failed_unavailable(api: Api, world: World, name: str, key: str | None) -> None:
    """Pay while the provider is unreachable."""
    response = pay(api, world, name, payment_of(api, world, name), key)
    assert response.status_code == 502, response.text


@given(
    parsers.re(rf"^the payment provider was down when {NAME} first paid{KEY}$"),
)
def first_paid_while_down(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str | None
) -> None:
    """Pay while the provider answers with an error, and be told so; then it is back."""
    payments.behave("error")
    response = pay(api, world, name, payment_of(api, world, name), key)
    assert response.status_code == 502, response.text
    payments.behave("approve")


@given(
    parsers.re(
        rf"^the payment provider was down when {NAME} first paid for each of {PRONOUN} orders,"
        r" each under its own idempotency key$"
    )
)
def first_paid_each_while_down(
    api: Api, world: World, payments: PaymentProvider, name: str
) -> None:
    """Pay each order under its own key while the provider answers with an error; then it
    is back."""
    payments.behave("error")
    for response in pay_each(api, world, name):
        assert response.status_code == 502, response.text
    payments.behave("approve")


@when(
    parsers.re(
        rf"^{NAME} pays for each of {PRONOUN} orders again, each under its own idempotency key$"
    )
)
def pays_each_again(api: Api, world: World, name: str) -> None:
    """Pay each of one's orders again, each under its own key."""
    world.responses = pay_each(api, world, name)


def pay_each(api: Api, world: World, name: str) -> list[httpx.Response]:
    """Pay the total of each of the person's orders, oldest first, each under its own key."""
    token = world.persona(name).token
    responses = []
    for order_id in orders_of(world, name):
        order = api.get(f"/orders/{order_id}", token=token).json()
        body = {"order_id": order_id, "amount": order["total"], "currency": order["currency"]}
        responses.append(pay(api, world, name, body, f"pay-order-{order_id}"))
    return responses


@then(parsers.re(rf"^each of {NAME}'s orders is paid and charged once$"))
def each_paid_once(
    api: Api, world: World, settings: Settings, payments: PaymentProvider, name: str
) -> None:
    """Each payment of the person's orders succeeded; each order reads paid, charged its
    total once."""
    token = world.persona(name).token
    assert [r.status_code for r in world.responses] == [200] * len(orders_of(world, name))
    for order_id in orders_of(world, name):
        order = api.get(f"/orders/{order_id}", token=token).json()
        made = charged(payments, f"order-{order_id}")
        assert order["status"] == "paid", order
        assert [(Decimal(c.amount), c.currency) for c in made] == [
            (Decimal(order["total"]), settings.currency)
        ]


@when(
    parsers.re(rf"^{NAME} pays for (?:{PRONOUN}|(?P<owner>[A-Z][a-z]+)'s) order(?: again)?{KEY}$")
)
def pays(api: Api, world: World, name: str, owner: str | None, key: str | None) -> None:
    """Pay the total of one's own last order, or of someone else's."""
    pay(api, world, name, payment_of(api, world, owner or name), key)


@when(
    parsers.re(rf"^{NAME} pays for {PRONOUN} order at a store set up without a payment provider$")
)
def pays_at_sandbox_store(
    api: Api,
    world: World,
    settings: Settings,
    stores: Stores,
    database: Database,
    clock: StoreClock,
    name: str,
) -> None:
    """Pay at another instance of the store, on its database and clock, whose payment backend
    is left at its default: the sandbox that approves every charge in process (WORLD-09)."""
    sandbox = settings.model_copy(update={"payment_backend": "sandbox", "payment_url": None})
    store = stores.start(sandbox, database=database, clock=clock)
    world.response = store.api.post(
        "/payments", token=world.persona(name).token, json=payment_of(api, world, name)
    )


@when(parsers.re(rf"^{NAME} pays for an order that does not exist$"))
def pays_missing_order(api: Api, world: World, settings: Settings, name: str) -> None:
    """Pay for an order nobody placed."""
    pay(
        api, world, name, {"order_id": MISSING_ID, "amount": "49.00", "currency": settings.currency}
    )


@when(
    parsers.re(
        rf'^{NAME} pays (?P<amount>-?[\d.]+|"[^"]*")(?: (?P<currency>[A-Za-z]{{3}}))?'
        rf" for {PRONOUN} order{KEY}$"
    )
)
def pays_amount(
    api: Api, world: World, name: str, amount: str, currency: str | None, key: str | None
) -> None:
    """Pay an amount (and currency) the feature gives for one's last order."""
    changes: dict[str, Any] = {"amount": literal(amount)}
    if currency is not None:
        changes["currency"] = currency
    pay(api, world, name, payment_of(api, world, name, **changes), key)


@when(parsers.re(rf"^{NAME} pays for {PRONOUN} order in (?P<currency>[A-Z]{{3}})$"))
def pays_in(api: Api, world: World, name: str, currency: str) -> None:
    """Pay the order's total in another currency."""
    pay(api, world, name, payment_of(api, world, name, currency=currency))


@when(
    parsers.re(
        rf"^{NAME} pays for {PRONOUN} order with an idempotency key of (?P<length>\d+) characters$"
    ),
    converters={"length": int},
)
def pays_with_long_key(api: Api, world: World, name: str, length: int) -> None:
    """Pay with an idempotency key of the given length."""
    pay(api, world, name, payment_of(api, world, name), "k" * length)


@then(parsers.re(rf"^{NAME}'s payment succeeds for (?P<amount>[\d.]+) in the store's currency$"))
def payment_succeeds_for(
    world: World, settings: Settings, payments: PaymentProvider, name: str, amount: str
) -> None:
    """The answer is the payment: the order, the amount, the currency, the provider's id."""
    assert world.last.status_code == 200, world.last.text
    paid = world.last.json()
    assert set(paid) == {"id", "order_id", "transaction_id", "status", "amount", "currency"}
    assert (paid["order_id"], paid["status"], paid["amount"], paid["currency"]) == (
        order_of(world, name),
        "success",
        amount,
        settings.currency,
    ), paid
    assert [e.transaction_id for e in charged(payments, reference(world, name))] == [
        paid["transaction_id"]
    ]


@then("both answers are the same successful payment")
def same_payment(world: World) -> None:
    """The repeated request was answered with the first one's payment."""
    first, second = world.responses[-2:]
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert first.json() == second.json()


@given(parsers.re(r"^the store settles charges of unknown outcome every second$"))
def store_settles_every_second(settings: Settings, stores: Stores) -> None:
    """Start another instance of the store, on its database, clock and provider, that
    settles every second (APP_PAYMENT_RECONCILE_SECONDS=1)."""
    stores.beside(settings.model_copy(update={"payment_reconcile_seconds": 1.0}))


@when("two of the store's rounds of settling go by while its clock stands still")
def two_rounds_go_by() -> None:
    """Wait, on the wall clock, for two rounds of the store that settles every second."""
    time.sleep(2.5)


@then(parsers.re(rf"^{NAME}'s order turns out paid$"))
def order_turns_out_paid(api: Api, world: World, settings: Settings, name: str) -> None:
    """The order is paid, now or once the store has settled its charge in the background."""
    wait = 3 * settings.payment_reconcile_seconds + 2
    assert eventually(lambda: read_order(api, world, name)["status"] == "paid", seconds=wait), (
        read_order(api, world, name)
    )
