"""The last units of stock, and shoppers acting on orders at the same moment."""

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from steps.support.people import as_store_admin
from steps.support.refusals import refusal_for
from steps.support.shop import (
    last_product,
    order_of,
    place_ordered,
    product_id,
)
from steps.support.vocabulary import NAME, PRODUCT, PRONOUN
from steps.support.world import World


@given(parsers.re(rf"^the store has (?:only )?(?P<stock>\d+) {PRODUCT} left$"))
def store_has_left(api: Api, world: World, settings: Settings, stock: str, product: str) -> None:
    """Olivia sets the product's stock."""
    admin = as_store_admin(api, world, settings)
    response = api.patch(
        f"/products/{product_id(world, product)}", token=admin.token, json={"stock": int(stock)}
    )
    assert response.status_code == 200, response.text


@given(parsers.re(r"^(?P<count>\d+) shoppers have each ordered (?P<lines>.+)$"))
def shoppers_have_ordered(api: Api, world: World, count: str, lines: str) -> None:
    """Sign up that many shoppers, each placing the same order."""
    shoppers = [f"Shopper{number}" for number in range(1, int(count) + 1)]
    for shopper in shoppers:
        place_ordered(api, world, shopper, lines)
    world.shoppers = shoppers


@when("they all confirm their orders at the same moment")
def all_confirm(api: Api, world: World) -> None:
    """Every shopper confirms their order at once."""
    world.responses = api.concurrently(
        [
            {
                "method": "POST",
                "path": f"/orders/{order_of(world, shopper)}/confirm",
                "token": world.persona(shopper).token,
            }
            for shopper in world.shoppers
        ]
    )


@when(parsers.re(rf"^{NAME} cancels {PRONOUN} order twice at the same moment$"))
def cancels_twice(api: Api, world: World, name: str) -> None:
    """Send two cancellations of one order at once."""
    call = {
        "method": "POST",
        "path": f"/orders/{order_of(world, name)}/cancel",
        "token": world.persona(name).token,
    }
    world.responses = api.concurrently([call, call])


@then(parsers.re(rf"^the {PRODUCT} is named as the product that ran out$"))
def named_as_short(world: World, product: str) -> None:
    """The refusal names the product whose stock is short."""
    expected = f"Insufficient stock for product {product_id(world, product)}"
    assert world.last.json() == {"detail": expected}, world.last.text


@then(
    parsers.re(r"^exactly (?P<count>\d+) of the confirmations succeed$"),
    converters={"count": int},
)
def exactly_succeed(world: World, count: int) -> None:
    """So many confirmations succeeded, each one confirming its order."""
    succeeded = [r for r in world.responses if r.is_success]
    assert len(succeeded) == count, [r.status_code for r in world.responses]
    assert all(r.json()["status"] == "confirmed" for r in succeeded)


@then(parsers.re(r"^the others are refused because (?P<reason>.+)$"))
def others_refused(world: World, reason: str) -> None:
    """Every request that did not succeed was refused for the reason given."""
    for response in world.responses:
        if not response.is_success:
            refusal_for(reason).check(response)


@then(
    parsers.re(
        r"^one (?P<action>cancellation|payment) succeeds"
        r" and the other is refused because (?P<reason>.+)$"
    )
)
def one_of_two_succeeds(world: World, action: str, reason: str) -> None:
    """Of two requests sent at once, exactly one went through."""
    succeeded = [r for r in world.responses if r.is_success]
    refused = [r for r in world.responses if not r.is_success]
    assert len(succeeded) == 1 and len(refused) == 1, [r.status_code for r in world.responses]
    assert (
        succeeded[0].json()["status"] == {"cancellation": "cancelled", "payment": "success"}[action]
    )
    refusal_for(reason).check(refused[0])


@then(parsers.re(r"^the product is in the catalogue with (?P<stock>\d+) in stock$"))
def added_with_stock(api: Api, world: World, stock: str) -> None:
    """The product just added was taken, and reads back with that stock, as a whole number."""
    assert world.last.status_code == 201, world.last.text
    found = api.get(f"/products/{last_product(world)}").json()
    assert found["stock"] == int(stock) and isinstance(found["stock"], int), found
