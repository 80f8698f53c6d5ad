"""Steps of payments.feature: paying, the provider's moods, and idempotency keys."""

import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from steps.common_steps import NAME, PRONOUN, eventually
from steps.support.api import Api
from steps.support.fakes import FakeClock, FakeMailer, FakePaymentGateway
from steps.support.shop import MISSING, act, literal, order_of, payment_of
from steps.support.stores import Stores
from steps.support.world import World
from tools.fake_payment_provider import FakeProvider

KEY = r'(?: with the idempotency key "(?P<key>[^"]*)")?'
# How long a store set up with the provider over the network waits for its answer.
PROVIDER_TIMEOUT_SECONDS = 1.0
# What the provider over the network does, in the feature's words, as the fake's modes.
NETWORK_MODES = {
    "answers that the charge is declined": "decline",
    "answers with an error": "error",
    "answers nonsense": "malformed",
    "takes too long to answer": "slow",
}


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


@given("the payment provider declines every charge")
def provider_declines(payments: FakePaymentGateway) -> None:
    """Make the fake provider decline."""
    payments.mode = "decline"


@given("the payment provider will decline the next charge")
def provider_declines_next(payments: FakePaymentGateway) -> None:
    """Make the fake provider decline once."""
    payments.next_modes.append("decline")


@given("the payment provider is down")
def provider_down(payments: FakePaymentGateway) -> None:
    """Make the fake provider unreachable."""
    payments.mode = "outage"


@given("the payment provider will lose its next reply")
def provider_loses_reply(payments: FakePaymentGateway) -> None:
    """Make the fake provider charge once without the service hearing back."""
    payments.next_modes.append("lost reply")


@given("the payment provider is slow to answer")
def provider_slow(payments: FakePaymentGateway) -> None:
    """Make the fake provider keep charges waiting until a step lets them go."""
    payments.hold()


@when("the payment provider is back")
def provider_back(payments: FakePaymentGateway) -> None:
    """Make the fake provider approve again."""
    payments.mode = "approve"


@pytest.fixture
def network_provider() -> Iterator[FakeProvider]:
    """The fake payment provider of tools/, serving HTTP on 127.0.0.1 on a free port."""
    provider = FakeProvider(delay=PROVIDER_TIMEOUT_SECONDS + 1).start()
    try:
        yield provider
    finally:
        provider.stop()


@given("the store charges its payment provider over the network", target_fixture="api")
def store_charges_over_network(
    network_provider: FakeProvider,
    stores: Stores,
    service: FastAPI,
    settings: Settings,
    mailer: FakeMailer,
    clock: FakeClock,
) -> Api:
    """Start the store set up with APP_PAYMENT_BACKEND=http; the scenario speaks to it from now.

    It shares the scenario's database, so the people and orders made so far are its own.
    """
    configured = settings.model_copy(
        update={
            "payment_backend": "http",
            "payment_url": network_provider.url,
            "payment_timeout_seconds": PROVIDER_TIMEOUT_SECONDS,
        }
    )
    store = stores.start(configured, database=service.state.database, mailer=mailer, clock=clock)
    return store.api


@given(
    parsers.re(
        rf"^the payment provider (?P<behaviour>{'|'.join(map(re.escape, NETWORK_MODES))}"
        r"|cannot be reached)$"
    )
)
def network_provider_behaves(network_provider: FakeProvider, behaviour: str) -> None:
    """Make the provider over the network misbehave, or stop it."""
    if behaviour == "cannot be reached":
        network_provider.stop()
    else:
        network_provider.mode = NETWORK_MODES[behaviour]


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
    pay(api, world, name, {"order_id": MISSING, "amount": "49.00", "currency": settings.currency})


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
    api: Api, world: World, payments: FakePaymentGateway, name: str, key: str
) -> None:
    """Send a payment; while the provider holds it, send it again with the same key."""
    body = send_held_payment(api, world, payments, name, key)
    pay(api, world, name, body, key)


@when(
    parsers.re(
        rf"^{NAME} cancels {PRONOUN} order while {PRONOUN} payment is waiting for the provider$"
    )
)
def cancels_while_paying(api: Api, world: World, payments: FakePaymentGateway, name: str) -> None:
    """Send a payment; while the provider holds it, cancel the order."""
    send_held_payment(api, world, payments, name, key=None)
    world.response = act(api, world, name, name, "cancel")


def send_held_payment(
    api: Api, world: World, payments: FakePaymentGateway, name: str, key: str | None
) -> dict[str, Any]:
    """Send a payment from another thread and wait until the provider holds it."""
    body = payment_of(api, world, name)
    headers = {"Idempotency-Key": key} if key is not None else {}
    first: list[httpx.Response] = []
    sender = threading.Thread(
        target=lambda: first.append(
            api.post("/payments", token=world.persona(name).token, json=body, headers=headers)
        )
    )
    sender.start()
    assert eventually(lambda: payments.waiting == 1), "the first payment never reached the provider"
    world.remembered["first payment"] = (sender, first)
    return body


@then(parsers.re(r"^the first payment succeeds once the provider answers$"))
def first_payment_succeeds(payments: FakePaymentGateway, world: World) -> None:
    """Let the provider answer: the first payment goes through."""
    sender, first = world.remembered["first payment"]
    payments.release()
    sender.join(timeout=10)
    assert first and first[0].status_code == 200, first and first[0].text
    assert first[0].json()["status"] == "success"
    world.response = first[0]


@then(parsers.re(rf"^{NAME}'s payment succeeds for (?P<amount>[\d.]+) in the store's currency$"))
def payment_succeeds_for(
    world: World, settings: Settings, payments: FakePaymentGateway, name: str, amount: str
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
    assert [e.transaction_id for e in payments.charged(reference(world, name))] == [
        paid["transaction_id"]
    ]


@then(parsers.re(rf"^{NAME} was charged (?P<amount>[\d.]+) once$"))
def charged_once(
    world: World, settings: Settings, payments: FakePaymentGateway, name: str, amount: str
) -> None:
    """The provider's ledger holds exactly one charge for the order, of its total."""
    charges = payments.charged(reference(world, name))
    assert len(charges) == 1, charges
    assert (charges[0].charge.amount, charges[0].charge.currency) == (
        Decimal(amount),
        settings.currency,
    )


@then("nothing was charged")
def nothing_charged(payments: FakePaymentGateway) -> None:
    """The provider's ledger holds no charge."""
    assert [e for e in payments.ledger if e.status == "succeeded"] == [], payments.ledger


@then(
    parsers.re(
        r"^the provider was asked (?P<times>once|twice)"
        r"(?:, (?P<how>each time as a new attempt|the second time as a retry of the first))?$"
    )
)
def provider_asked(payments: FakePaymentGateway, times: str, how: str | None) -> None:
    """The provider received so many charges: new attempts have new keys, retries the same."""
    assert len(payments.requests) == {"once": 1, "twice": 2}[times], payments.requests
    if how is not None:
        first, second = payments.requests
        assert (first.reference, first.amount) == (second.reference, second.amount)
        same_key = first.idempotency_key == second.idempotency_key
        assert same_key is (how == "the second time as a retry of the first"), payments.requests


@then("both answers are the same successful payment")
def same_payment(world: World) -> None:
    """The repeated request was answered with the first one's payment."""
    first, second = world.responses[-2:]
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert first.json() == second.json()


@then(
    parsers.re(
        rf"^the payment provider has charged (?:nothing|{NAME} (?P<amount>[\d.]+) once,"
        rf" for {PRONOUN} order)$"
    )
)
def network_provider_charged(
    world: World,
    settings: Settings,
    network_provider: FakeProvider,
    name: str | None,
    amount: str | None,
) -> None:
    """The provider's own record: what the store asked it for, and what it charged."""
    charged = [c for c in network_provider.charges if c.status == "succeeded"]
    if name is None:
        assert charged == [], network_provider.charges
        return
    asked = {"amount": amount, "currency": settings.currency, "reference": reference(world, name)}
    assert [(r["path"], r["body"]) for r in network_provider.requests] == [("/charges", asked)]
    assert [(c.amount, c.currency, c.reference) for c in charged] == [tuple(asked.values())]
    assert world.last.status_code == 200, world.last.text
    assert world.last.json()["transaction_id"] == charged[0].id
