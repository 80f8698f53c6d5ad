"""Paying for orders: the payment, its refusals, payments and cancels sent at the same
moment, and charges of unknown outcome that the store settles."""

import threading
from decimal import Decimal
from typing import Any

import httpx
from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.ports import PaymentProvider
from harness.waiting import eventually
from steps.support.payments import charged, pay, reference
from steps.support.shop import (
    act,
    bring_to,
    literal,
    order_of,
    orders_of,
    payment_of,
    place_ordered,
    read_order,
)
from steps.support.vocabulary import MISSING_ID, NAME, PRONOUN
from steps.support.world import HeldPayment, World

KEY = r'(?: with the idempotency key "(?P<key>[^"]*)")?'


@given(parsers.re(rf"^{NAME}'s first payment was declined$"))
def first_payment_declined(api: Api, world: World, name: str) -> None:
    """Pay, and be declined."""
    response = pay(api, world, name, payment_of(api, world, name))
    assert response.status_code == 402, response.text


@given(parsers.re(rf"^{NAME}'s payment failed because the payment provider was unavailable$"))
def payment_failed_unavailable(api: Api, world: World, name: str) -> None:
    """Pay while the provider is unreachable."""
    response = pay(api, world, name, payment_of(api, world, name))
    assert response.status_code == 502, response.text


@when(
    parsers.re(rf"^{NAME} pays for (?:{PRONOUN}|(?P<owner>[A-Z][a-z]+)'s) order(?: again)?{KEY}$")
)
def pays(api: Api, world: World, name: str, owner: str | None, key: str | None) -> None:
    """Pay the total of one's own last order, or of someone else's."""
    pay(api, world, name, payment_of(api, world, owner or name), key)


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


@when(parsers.re(rf"^{NAME} pays for {PRONOUN} order twice at the same moment$"))
def pays_twice_at_once(api: Api, world: World, name: str) -> None:
    """Send the same payment twice at once, without an idempotency key."""
    call = {
        "method": "POST",
        "path": "/payments",
        "token": world.persona(name).token,
        "json": payment_of(api, world, name),
    }
    world.responses = api.concurrently([call, call])


@when(
    parsers.re(
        rf'^{NAME}\'s payment with the idempotency key "(?P<key>[^"]+)"'
        r" is sent again before it is answered$"
    )
)
def pays_again_while_running(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str
) -> None:
    """Send a payment; while the provider holds it, send it again with the same key."""
    body = send_held_payment(api, world, payments, name, key)
    pay(api, world, name, body, key)


@when(
    parsers.re(
        rf"^{NAME} cancels {PRONOUN} order while {PRONOUN} payment is waiting for the provider$"
    )
)
def cancels_while_paying(api: Api, world: World, payments: PaymentProvider, name: str) -> None:
    """Send a payment; while the provider holds it, cancel the order."""
    send_held_payment(api, world, payments, name, key=None)
    world.response = act(api, world, name, name, "cancel")


def send_held_payment(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str | None
) -> dict[str, Any]:
    """Send a payment from another thread and wait until the provider holds it."""
    body = payment_of(api, world, name)
    headers = {"Idempotency-Key": key} if key is not None else {}
    replies: list[httpx.Response] = []
    sender = threading.Thread(
        target=lambda: replies.append(
            api.post("/payments", token=world.persona(name).token, json=body, headers=headers)
        )
    )
    sender.start()
    assert eventually(lambda: payments.waiting == 1), "the first payment never reached the provider"
    world.held_payment = HeldPayment(sender, replies)
    return body


@then(parsers.re(r"^the first payment succeeds once the provider answers$"))
def first_payment_succeeds(payments: PaymentProvider, world: World) -> None:
    """Let the provider answer: the first payment goes through."""
    held = world.held_payment
    assert held is not None, "no payment is held by the provider"
    payments.release()
    held.sender.join(timeout=10)
    first = held.replies
    assert first and first[0].status_code == 200, first and first[0].text
    assert first[0].json()["status"] == "success"
    world.response = first[0]


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


@given(
    parsers.re(
        rf'^{NAME} has confirmed (?P<count>\d+) more orders for 1 "(?P<product>[^"]+)" each$'
    ),
    converters={"count": int},
)
def has_confirmed_more(api: Api, world: World, name: str, count: int, product: str) -> None:
    """Place and confirm so many more orders of one unit each."""
    for _ in range(count):
        place_ordered(api, world, name, f'1 "{product}"')
        bring_to(api, world, name, "confirmed")


@when(parsers.re(rf"^{NAME} pays for and cancels each of {PRONOUN} orders at the same moment$"))
def pays_and_cancels_at_once(api: Api, world: World, name: str) -> None:
    """For every order of the person, send its payment and its cancel at the same moment."""
    token = world.persona(name).token
    calls = []
    for order_id in orders_of(world, name):
        order = api.get(f"/orders/{order_id}", token=token).json()
        body = {"order_id": order_id, "amount": order["total"], "currency": order["currency"]}
        calls.append({"method": "POST", "path": "/payments", "token": token, "json": body})
        calls.append({"method": "POST", "path": f"/orders/{order_id}/cancel", "token": token})
    world.responses = api.concurrently(calls)


@then(
    parsers.re(
        rf"^each of {NAME}'s orders is either paid and charged once,"
        r" or cancelled and not charged$"
    )
)
def paid_or_cancelled(
    api: Api, world: World, settings: Settings, payments: PaymentProvider, name: str
) -> None:
    """Each order is paid and charged once, its payer told so; or cancelled, charged nothing."""
    token = world.persona(name).token
    for index, order_id in enumerate(orders_of(world, name)):
        paid, cancelled = world.responses[2 * index : 2 * index + 2]
        status = api.get(f"/orders/{order_id}", token=token).json()["status"]
        made = charged(payments, f"order-{order_id}")
        if status == "paid":
            assert paid.status_code == 200, paid.text
            assert cancelled.status_code == 409, cancelled.text
            assert [(Decimal(c.amount), c.currency) for c in made] == [
                (Decimal(paid.json()["amount"]), settings.currency)
            ]
        else:
            assert status == "cancelled", status
            assert cancelled.status_code == 200, cancelled.text
            assert paid.status_code == 409, paid.text
            assert made == [], made


@then(parsers.re(rf"^{NAME}'s order turns out paid$"))
def order_turns_out_paid(api: Api, world: World, settings: Settings, name: str) -> None:
    """The order is paid, now or once the store has settled its charge in the background."""
    wait = 3 * settings.payment_reconcile_seconds + 2
    assert eventually(lambda: read_order(api, world, name)["status"] == "paid", seconds=wait), (
        read_order(api, world, name)
    )
