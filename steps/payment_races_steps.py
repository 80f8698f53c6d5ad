"""Payments and cancels that meet: sent at the same moment, or while the provider holds a
payment, so that each takes its turn on the order and on the idempotency key."""

from decimal import Decimal

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.ports import PaymentProvider
from harness.waiting import eventually
from steps.support.payments import (
    answered,
    charged,
    check_charged_once,
    let_provider_answer,
    pay,
    send_in_background,
)
from steps.support.shop import act, bring_to, order_of, orders_of, payment_of, place_ordered
from steps.support.vocabulary import KEY, NAME, PRONOUN
from steps.support.world import Sent, World


def send_held_payment(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str | None
) -> None:
    """Send a payment from another thread and wait until the provider holds it."""
    (held,) = send_in_background(api, world, payments, name, [(payment_of(api, world, name), key)])
    assert not held.answer.done(), f"the payment never reached the provider: {held.answer.result()}"


@given(parsers.re(rf"^{NAME}'s payment{KEY} is waiting for the provider$"))
def payment_waiting(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str | None
) -> None:
    """Send a payment that the provider holds, unanswered."""
    send_held_payment(api, world, payments, name, key)


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
    send_held_payment(api, world, payments, name, key)
    pay(api, world, name, world.held[-1].body, key)


@when(parsers.re(rf'^{NAME}\'s payment with the idempotency key "(?P<key>[^"]+)" is sent again$'))
def sends_again_in_background(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str
) -> None:
    """Send the payment again with its key, and wait until it is answered or held."""
    send_in_background(api, world, payments, name, [(payment_of(api, world, name), key)])


@when(
    parsers.re(
        rf"^{NAME}'s payment is sent twice at the same moment"
        r'(?: with the idempotency keys "(?P<first>[^"]+)" and "(?P<second>[^"]+)")?'
        r", and both reach the provider$"
    )
)
def sends_twice_to_provider(
    api: Api,
    world: World,
    payments: PaymentProvider,
    name: str,
    first: str | None,
    second: str | None,
) -> None:
    """Send one payment twice at once (under two keys, or none) while the provider holds both."""
    body = payment_of(api, world, name)
    for held in send_in_background(api, world, payments, name, [(body, first), (body, second)]):
        assert not held.answer.done(), (
            f"a payment never reached the provider: {held.answer.result()}"
        )


@when(
    parsers.re(
        rf'^{NAME}\'s payment with the idempotency key "(?P<key>[^"]+)"'
        r" is sent twice at the same moment$"
    )
)
def sends_twice_with_key(
    api: Api, world: World, payments: PaymentProvider, name: str, key: str
) -> None:
    """Send one payment twice at once under one new key: the provider holds one of them."""
    body = payment_of(api, world, name)
    sent = send_in_background(api, world, payments, name, [(body, key), (body, key)])
    answered = [held.answer.result() for held in sent if held.answer.done()]
    assert len(answered) == 1, [reply.text for reply in answered]
    world.response = answered[0]


@when(parsers.re(rf"^{NAME} cancels {PRONOUN} order, and the store asks the provider$"))
def cancels_asking_provider(api: Api, world: World, payments: PaymentProvider, name: str) -> None:
    """Send a cancel in the background; wait until it is answered or waits for the provider."""
    before = payments.waiting + answered(world)
    path = f"/orders/{order_of(world, name)}/cancel"
    (answer,) = api.send_soon(
        [{"method": "POST", "path": path, "token": world.persona(name).token}]
    )
    world.held.append(Sent(answer, {}, None))
    assert eventually(lambda: payments.waiting + answered(world) == before + 1)


@when("the payment provider answers")
def provider_answers(world: World, payments: PaymentProvider) -> None:
    """Let the provider answer every request it holds; keep their answers."""
    world.responses = let_provider_answer(world, payments)
    world.response = world.responses[-1]


@when(parsers.re(rf"^{NAME}'s refused payment is sent again with its idempotency key$"))
def resends_refused(api: Api, world: World, name: str) -> None:
    """Send again, under its own key, the one payment of those held that was refused."""
    refused = [held for held in world.held if not held.answer.result().is_success]
    assert len(refused) == 1, [held.answer.result().status_code for held in world.held]
    pay(api, world, name, refused[0].body, refused[0].key)


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
        rf"^{NAME} cancels {PRONOUN} order while {PRONOUN} payment is waiting for the provider$"
    )
)
def cancels_while_paying(api: Api, world: World, payments: PaymentProvider, name: str) -> None:
    """Send a payment; while the provider holds it, cancel the order."""
    send_held_payment(api, world, payments, name, key=None)
    world.response = act(api, world, name, name, "cancel")


@then(parsers.re(r"^the first payment succeeds once the provider answers$"))
def first_payment_succeeds(payments: PaymentProvider, world: World) -> None:
    """Let the provider answer: the first payment it held goes through."""
    held = [sent for sent in world.held if not sent.answer.done()]
    assert held, "no payment is held by the provider"
    let_provider_answer(world, payments)
    first = held[0].answer.result()
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "success"
    world.response = first


@then(parsers.re(rf"^{NAME} was charged (?P<amount>[\d.]+) once when the provider answers$"))
def charged_once_when_answered(
    world: World, settings: Settings, payments: PaymentProvider, name: str, amount: str
) -> None:
    """Let the provider answer what it holds: the order was charged its total, once."""
    let_provider_answer(world, payments)
    check_charged_once(world, settings, payments, name, amount)


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
