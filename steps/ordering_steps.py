"""Placing, confirming, cancelling and looking at orders."""

from datetime import datetime, timedelta
from typing import Any

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from harness.ports import StoreClock
from steps.support.people import sign_in
from steps.support.shop import (
    act,
    bring_to,
    first_product,
    items,
    order_of,
    place,
    place_ordered,
    priced_items,
    read_order,
)
from steps.support.vocabulary import MISSING_ID, NAME, PRONOUN
from steps.support.world import World

STATUS = r"(?P<status>pending|confirmed|paid|cancelled)"


@given(parsers.re(rf"^{NAME} has ordered (?P<lines>.+)$"))
def has_ordered(api: Api, world: World, name: str, lines: str) -> None:
    """Place a pending order."""
    place_ordered(api, world, name, lines)


@given(parsers.re(rf"^{NAME} has confirmed (?:an|another) order for (?P<lines>.+)$"))
def has_confirmed(api: Api, world: World, name: str, lines: str) -> None:
    """Place an order and confirm it."""
    place_ordered(api, world, name, lines)
    bring_to(api, world, name, "confirmed")


@given(parsers.re(rf"^{NAME} has an? {STATUS} order$"))
def has_order_in(api: Api, world: World, name: str, status: str) -> None:
    """Order one of the first product in the catalogue and take the order to the status."""
    first = first_product(world)
    response = place(api, world, name, {"items": [{"product_id": first, "quantity": 1}]})
    assert response.status_code == 201, response.text
    bring_to(api, world, name, status)


@given(parsers.re(rf"^{NAME} has placed (?P<count>\d+) orders$"), converters={"count": int})
def has_placed(api: Api, world: World, name: str, count: int) -> None:
    """Place that many orders of one of the first product."""
    first = first_product(world)
    for _ in range(count):
        response = place(api, world, name, {"items": [{"product_id": first, "quantity": 1}]})
        assert response.status_code == 201, response.text


@when(parsers.re(rf"^{NAME} signs in with {PRONOUN} new account$"))
def signs_in_to_shop(api: Api, world: World, name: str) -> None:
    """Sign in with the username and password just signed up with, and keep the pass."""
    person = world.persona(name)
    assert person.id is not None, f"{name} has not signed up"
    sign_in(api, person)


@when(parsers.re(rf"^{NAME} orders (?P<lines>.+)$"))
def orders(api: Api, world: World, name: str, lines: str) -> None:
    """Ask to place an order."""
    world.response = place(api, world, name, {"items": items(world, lines)})


@when(parsers.re(rf"^{NAME} places an order with (?P<problem>.+)$"))
def places_odd_order(api: Api, world: World, name: str, problem: str) -> None:
    """Ask to place an order of the kind the feature names."""
    teapot = first_product(world)
    bodies: dict[str, list[dict[str, Any]]] = {
        "no products": [],
        "51 different products": [{"product_id": n, "quantity": 1} for n in range(1, 52)],
        "none of a product": [{"product_id": teapot, "quantity": 0}],
        "1001 of a product": [{"product_id": teapot, "quantity": 1001}],
        "half of a product": [{"product_id": teapot, "quantity": 0.5}],
        "1000 and then 1 more of the same product": [
            {"product_id": teapot, "quantity": 1000},
            {"product_id": teapot, "quantity": 1},
        ],
        "a product named by text": [{"product_id": "Blue teapot", "quantity": 1}],
    }
    world.response = place(api, world, name, {"items": bodies[problem]})


@when(parsers.re(rf"^{NAME} places an order setting its (?P<detail>status|total|unit_price)$"))
def places_order_setting(api: Api, world: World, name: str, detail: str) -> None:
    """Ask to place an order that sets what only the store sets."""
    item: dict[str, Any] = {"product_id": first_product(world), "quantity": 1}
    body: dict[str, Any] = {"items": [item]}
    if detail == "unit_price":
        item["unit_price"] = "0.01"
    else:
        body[detail] = {"status": "paid", "total": "0.01"}[detail]
    world.response = place(api, world, name, body)


@when(parsers.re(rf"^{NAME} (?P<action>confirms|cancels) {PRONOUN} order$"))
def acts_on_own_order(api: Api, world: World, name: str, action: str) -> None:
    """Ask to confirm or cancel one's last order."""
    world.response = act(
        api, world, name, name, {"confirms": "confirm", "cancels": "cancel"}[action]
    )


@when(parsers.re(rf"^{NAME} (?P<action>confirms|cancels) (?P<owner>[A-Z][a-z]+)'s order$"))
def acts_on_someone_elses_order(api: Api, world: World, name: str, action: str, owner: str) -> None:
    """Ask to confirm or cancel someone else's last order."""
    world.response = act(
        api, world, name, owner, {"confirms": "confirm", "cancels": "cancel"}[action]
    )


@when(parsers.re(rf"^{NAME} looks at (?:{PRONOUN}|(?P<owner>[A-Z][a-z]+)'s) order$"))
def looks_at_order(api: Api, world: World, name: str, owner: str | None) -> None:
    """Ask for one's own last order, or someone else's."""
    identifier = order_of(world, owner or name)
    world.response = api.get(f"/orders/{identifier}", token=world.persona(name).token)


@when(parsers.re(rf"^{NAME} looks at an order that does not exist$"))
def looks_at_missing_order(api: Api, world: World, name: str) -> None:
    """Ask for an order nobody placed."""
    world.response = api.get(f"/orders/{MISSING_ID}", token=world.persona(name).token)


@when("a visitor lists the orders")
def visitor_lists_orders(api: Api, world: World) -> None:
    """Ask for orders without signing in."""
    world.response = api.get("/orders")


@then(parsers.re(rf"^{NAME}'s order is (?P<still>still )?{STATUS}$"))
def order_is(api: Api, world: World, name: str, still: str | None, status: str) -> None:
    """The last request succeeded (or did not matter), and the order reads back in the status."""
    if not still:
        assert world.last.is_success, f"{world.last.status_code}: {world.last.text[:500]}"
    assert read_order(api, world, name)["status"] == status


@then(parsers.re(rf"^{NAME}'s order is pending, for (?P<total>[\d.]+) in the store's currency$"))
def order_is_pending_for(
    api: Api, world: World, settings: Settings, clock: StoreClock, name: str, total: str
) -> None:
    """The order was placed, pending, for that total in the store's currency, just now."""
    assert world.last.status_code == 201, world.last.text
    placed = world.last.json()
    assert set(placed) == {"id", "status", "items", "total", "currency", "created_at"}, placed
    assert isinstance(placed["id"], int)
    created = datetime.fromisoformat(placed["created_at"])
    assert created.utcoffset() is not None, placed
    # The store's own time: in process its clock stands still; a running store's is the wall's.
    assert abs(created - clock.now()) < timedelta(minutes=1), (placed, clock.now())
    assert (placed["status"], placed["total"], placed["currency"]) == (
        "pending",
        total,
        settings.currency,
    )
    assert read_order(api, world, name) == placed


@then(parsers.re(r"^the order lists (?P<lines>.+)$"))
def order_lists(world: World, lines: str) -> None:
    """The placed order holds exactly these items, at these unit prices."""
    assert world.last.status_code == 201, world.last.text
    assert world.last.json()["items"] == priced_items(world, lines)


@then(parsers.re(rf"^{NAME} finds {PRONOUN} order paid, for (?P<total>[\d.]+)$"))
def finds_order_paid(api: Api, world: World, name: str, total: str) -> None:
    """The person's list of orders holds the one order, paid, for its total."""
    page = api.get("/orders", token=world.persona(name).token).json()
    assert [(o["id"], o["status"], o["total"]) for o in page["items"]] == [
        (order_of(world, name), "paid", total)
    ], page


@then(parsers.re(rf"^{NAME}'s order still lists (?P<lines>.+), for (?P<total>[\d.]+)$"))
def order_still_lists(api: Api, world: World, name: str, lines: str, total: str) -> None:
    """Read the order back: its items and total are as they were when it was placed."""
    order = read_order(api, world, name)
    assert order["items"] == priced_items(world, lines) and order["total"] == total, order


@then(parsers.re(rf"^{NAME} has no orders$"))
def has_no_orders(api: Api, world: World, name: str) -> None:
    """The person's list of orders is empty."""
    page = api.get("/orders", token=world.persona(name).token).json()
    assert page["total"] == 0 and page["items"] == [], page


@then(
    parsers.re(
        rf"^{NAME} sees (?:{PRONOUN}|(?P<owner>[A-Z][a-z]+)'s) order, {STATUS}, for (?P<total>[\d.]+)$"
    )
)
def sees_order(world: World, name: str, owner: str | None, status: str, total: str) -> None:
    """The answer is the order, in its status, with its total."""
    assert world.last.status_code == 200, world.last.text
    order = world.last.json()
    assert order["id"] == order_of(world, owner or name)
    assert (order["status"], order["total"]) == (status, total), order
