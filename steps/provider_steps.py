"""The payment provider: how it behaves, in process or over the network, and what it charged."""

import re
from decimal import Decimal

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.fakes import FakePaymentGateway
from steps.support.payments import reference
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World
from tools.fake_payment_provider import FakeProvider

# What the provider over the network does, in the feature's words, as the fake's modes.
NETWORK_MODES = {
    "answers that the charge is declined": "decline",
    "answers with an error": "error",
    "answers nonsense": "malformed",
    "takes too long to answer": "slow",
}


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
