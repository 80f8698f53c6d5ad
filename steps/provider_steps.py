"""The payment provider: how it behaves, in process or over the network, and what it charged."""

import re

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.ports import PaymentProvider, ProviderMode
from steps.support.payments import asked_for_own, charged_for_own, check_charged_once, reference
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

# How the provider over the network misbehaves, in the feature's words.
NETWORK_MODES: dict[str, ProviderMode] = {
    "answers that the charge is declined": "decline",
    "answers with an error": "error",
    "answers nonsense": "malformed",
    "answers without a charge id": "no-id",
    "takes too long to answer": "slow",
    "answers a byte at a time, too slowly": "trickle",
    "cannot be reached": "unreachable",
}


@given("the payment provider declines every charge")
def provider_declines(payments: PaymentProvider) -> None:
    """Make the provider decline."""
    payments.behave("decline")


@given("the payment provider will decline the next charge")
def provider_declines_next(payments: PaymentProvider) -> None:
    """Make the provider decline once."""
    payments.behave_next("decline")


@given("the payment provider is down")
def provider_down(payments: PaymentProvider) -> None:
    """Make the provider answer that it cannot take charges."""
    payments.behave("error")


@given("the payment provider will lose its next reply")
def provider_loses_reply(payments: PaymentProvider) -> None:
    """Make the provider charge once without the service hearing back."""
    payments.behave_next("lose-reply")


@given("the payment provider is slow to answer")
def provider_slow(payments: PaymentProvider) -> None:
    """Make the provider keep charges waiting until a step lets them go."""
    payments.hold()


@when("the payment provider is back")
def provider_back(payments: PaymentProvider) -> None:
    """Make the provider approve again."""
    payments.behave("approve")


@given(
    parsers.re(rf"^the payment provider (?P<behaviour>{'|'.join(map(re.escape, NETWORK_MODES))})$")
)
def network_provider_behaves(payments: PaymentProvider, behaviour: str) -> None:
    """Make the provider over the network misbehave, or stop it."""
    payments.behave(NETWORK_MODES[behaviour])


@then(parsers.re(rf"^{NAME} was charged (?P<amount>[\d.]+) once$"))
def charged_once(
    world: World, settings: Settings, payments: PaymentProvider, name: str, amount: str
) -> None:
    """The provider's ledger holds exactly one charge for the order, of its total."""
    check_charged_once(world, settings, payments, name, amount)


@then("nothing was charged")
def nothing_charged(world: World, payments: PaymentProvider) -> None:
    """The provider's ledger holds no charge for the scenario's orders."""
    assert charged_for_own(payments, world) == [], payments.made()


@then("the payment provider was asked nothing")
def provider_asked_nothing(world: World, payments: PaymentProvider) -> None:
    """The store sent the provider no charge for the scenario's orders."""
    assert asked_for_own(payments, world) == [], payments.asked()


@then(
    parsers.re(
        r"^the provider was asked (?P<times>once|twice)"
        r"(?:, (?P<how>each time as a new attempt|the second time as a retry of the first))?$"
    )
)
def provider_asked(world: World, payments: PaymentProvider, times: str, how: str | None) -> None:
    """The provider received so many charges: new attempts have new keys, retries the same."""
    asked = asked_for_own(payments, world)
    assert len(asked) == {"once": 1, "twice": 2}[times], asked
    if how is not None:
        first, second = asked
        assert (first.reference, first.amount) == (second.reference, second.amount)
        same_key = first.idempotency_key == second.idempotency_key
        assert same_key is (how == "the second time as a retry of the first"), asked


@then(
    parsers.re(
        rf"^the payment provider has charged (?:nothing|{NAME} (?P<amount>[\d.]+) once,"
        rf" for {PRONOUN} order)$"
    )
)
def network_provider_charged(
    world: World,
    settings: Settings,
    payments: PaymentProvider,
    name: str | None,
    amount: str | None,
) -> None:
    """The provider's own record: what the store asked it for, and what it charged."""
    made = charged_for_own(payments, world)
    if name is None:
        assert made == [], payments.made()
        return
    asked = (reference(world, name), amount, settings.currency)
    assert [(r.reference, r.amount, r.currency) for r in asked_for_own(payments, world)] == [asked]
    assert [(c.reference, c.amount, c.currency) for c in made] == [asked]
    assert world.last.status_code == 200, world.last.text
    assert world.last.json()["transaction_id"] == made[0].transaction_id
