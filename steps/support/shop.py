"""What a scenario's shop holds: its products and orders by name, and how steps make them.

Steps of several features share these: the catalogue's products are ordered, and orders
are paid for.
"""

import json
import re
from typing import Any

import httpx

from harness.api import Api
from steps.support.people import signed_in
from steps.support.vocabulary import MISSING_ID
from steps.support.world import World

_LETTERS = re.compile(r"^(?P<count>\d+) letters$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_PLACEHOLDER = "__the_literal__"
_LINE = re.compile(r'(?P<quantity>\d+) (?:"(?P<product>[^"]+)"|of a product that does not exist)')
_PRICED_LINE = re.compile(r'(?P<quantity>\d+) "(?P<product>[^"]+)" at (?P<price>[\d.]+)')


JSON_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None}


def literal(value: str) -> Any:
    """Read a value as a feature writes it: "text", `<n> letters`, a NUL, JSON's words, a number."""
    if value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    if value in JSON_WORDS:
        return JSON_WORDS[value]
    if value == "text holding a NUL character":
        return "Blue\x00teapot"
    if match := _LETTERS.match(value):
        return "a" * int(match["count"])
    # A JSON number: json.dumps writes a float as the shortest text that reads back the same.
    return float(value) if "." in value else int(value)


def body_with_literal(body: dict[str, Any], field: str, value: str) -> bytes:
    """Write a JSON body whose one field is the feature's literal; a number exactly as written."""
    if _NUMBER.fullmatch(value):
        return json.dumps(body | {field: _PLACEHOLDER}).replace(f'"{_PLACEHOLDER}"', value).encode()
    return json.dumps(body | {field: literal(value)}).encode()


def products(world: World) -> dict[str, int]:
    """Return the ids of the products the scenario added, by name."""
    return world.shop.products


def product_id(world: World, name: str) -> int:
    """Return the id of a product the scenario added."""
    assert name in products(world), f"the scenario has not added a product named {name!r}"
    return products(world)[name]


def last_product(world: World) -> int:
    """Return the id of the product the scenario added last."""
    assert world.shop.last_product is not None, "the scenario has not added a product"
    return world.shop.last_product


def first_product(world: World) -> int:
    """Return the id of the first product the scenario added."""
    assert products(world), "the scenario has not added a product"
    return min(products(world).values())


def orders_of(world: World, name: str) -> list[int]:
    """Return the ids of the orders a person placed in the scenario, oldest first."""
    return world.shop.orders.setdefault(name, [])


def order_of(world: World, name: str) -> int:
    """Return the id of the last order the person placed."""
    assert orders_of(world, name), f"{name} has not placed an order"
    return orders_of(world, name)[-1]


def items(world: World, lines: str) -> list[dict[str, Any]]:
    """Read `2 "Blue teapot" and 1 of a product that does not exist` as order items."""
    found = [
        {
            "product_id": product_id(world, line["product"]) if line["product"] else MISSING_ID,
            "quantity": int(line["quantity"]),
        }
        for line in _LINE.finditer(lines)
    ]
    assert found, f"no order lines in {lines!r}"
    return found


def priced_items(world: World, lines: str) -> list[dict[str, Any]]:
    """Read `2 "Blue teapot" at 24.50 and …` as the items an order shows, by product id."""
    found = [
        {
            "product_id": product_id(world, line["product"]),
            "quantity": int(line["quantity"]),
            "unit_price": line["price"],
        }
        for line in _PRICED_LINE.finditer(lines)
    ]
    assert found, f"no priced order lines in {lines!r}"
    return sorted(found, key=lambda item: item["product_id"])


def place(api: Api, world: World, name: str, body: dict[str, Any]) -> httpx.Response:
    """Place an order for the person and remember it when it is placed."""
    response = api.post("/orders", token=signed_in(api, world, name).token, json=body)
    if response.status_code == 201:
        orders_of(world, name).append(response.json()["id"])
    return response


def place_ordered(api: Api, world: World, name: str, lines: str) -> None:
    """Place a pending order of the lines, insisting that it is taken."""
    response = place(api, world, name, {"items": items(world, lines)})
    assert response.status_code == 201, response.text


def act(api: Api, world: World, actor: str, owner: str, action: str) -> httpx.Response:
    """Confirm or cancel the owner's last order, as the actor."""
    return api.post(f"/orders/{order_of(world, owner)}/{action}", token=world.persona(actor).token)


def read_order(api: Api, world: World, name: str) -> dict[str, Any]:
    """Read the person's last order back, as its owner."""
    response = api.get(f"/orders/{order_of(world, name)}", token=world.persona(name).token)
    assert response.status_code == 200, response.text
    order: dict[str, Any] = response.json()
    return order


def payment_of(api: Api, world: World, owner: str, **changes: Any) -> dict[str, Any]:
    """Return the payment of the owner's last order: its id, total and currency."""
    order = read_order(api, world, owner)
    return {
        "order_id": order["id"],
        "amount": order["total"],
        "currency": order["currency"],
    } | changes


def bring_to(api: Api, world: World, name: str, status: str) -> None:
    """Move the person's pending last order on to a status, as the shopper would."""
    if status in ("confirmed", "paid"):
        assert act(api, world, name, name, "confirm").status_code == 200
    if status == "paid":
        body = payment_of(api, world, name)
        response = api.post("/payments", token=world.persona(name).token, json=body)
        assert response.status_code == 200, response.text
    if status == "cancelled":
        assert act(api, world, name, name, "cancel").status_code == 200
