"""Steps of products.feature: browsing products, and the store admin's changes."""

from typing import Any

from pytest_bdd import given, parsers, then, when

from app.core.config import Settings
from harness.api import Api
from steps.support.people import as_store_admin
from steps.support.shop import body_with_literal, last_product, literal, product_id, products
from steps.support.vocabulary import MISSING_ID, NAME, PRODUCT
from steps.support.world import World

ACTOR = r"(?P<actor>[A-Z][a-z]+|a visitor)"


def token_of(world: World, actor: str) -> str | None:
    """Return the pass of a named person, or none for a visitor who has not signed in."""
    return None if actor == "a visitor" else world.persona(actor).token


def product_body(world: World, name: str | None = None) -> dict[str, Any]:
    """Return a valid new product, made up by Faker."""
    return {
        "name": name or world.fake.unique.catch_phrase()[:200],
        "description": world.fake.sentence(),
        "price": f"{world.fake.pyint(1, 500)}.{world.fake.pyint(0, 99):02d}",
        "stock": world.fake.pyint(0, 50),
    }


def add_product(api: Api, world: World, token: str | None, body: dict[str, Any]) -> None:
    """Ask the store to add a product, and remember it when it is added."""
    world.response = api.post("/products", token=token, json=body)
    if world.response.status_code == 201:
        products(world)[body["name"]] = world.response.json()["id"]
        world.shop.last_product = world.response.json()["id"]


def rows_of(datatable: list[list[str]]) -> list[dict[str, str]]:
    """Return a data table's rows as dicts keyed by its header row."""
    header, *rows = datatable
    return [dict(zip(header, row, strict=True)) for row in rows]


def sell(api: Api, world: World, settings: Settings, product: str, price: str, stock: str) -> None:
    """Have the store admin add the product, at its price and stock."""
    admin = as_store_admin(api, world, settings)
    body = product_body(world, product) | {"price": price, "stock": int(stock)}
    add_product(api, world, admin.token, body)
    assert world.last.status_code == 201, world.last.text


def check_in_catalogue(api: Api, world: World, product: str, price: str, stock: str) -> None:
    """Read the product back: its name, price and stock are these."""
    found = read_product(api, product_id(world, product))
    assert (found["name"], found["price"], found["stock"]) == (product, price, int(stock)), found


def read_product(api: Api, identifier: int) -> dict[str, Any]:
    """Read a product back from the catalogue."""
    response = api.get(f"/products/{identifier}")
    assert response.status_code == 200, response.text
    product: dict[str, Any] = response.json()
    return product


@given(
    parsers.re(
        rf"^the store sells an? {PRODUCT} at (?P<price>[\d.]+) with (?P<stock>\d+) in stock$"
    )
)
def store_sells(
    api: Api,
    world: World,
    settings: Settings,
    product: str,
    price: str,
    stock: str,
) -> None:
    """Olivia adds the product to the catalogue."""
    sell(api, world, settings, product, price, stock)


@given("the store sells")
def store_sells_table(
    api: Api, world: World, settings: Settings, datatable: list[list[str]]
) -> None:
    """Olivia adds each product of the table: its name, price and stock."""
    for row in rows_of(datatable):
        sell(api, world, settings, row["product"], row["price"], row["stock"])


@given(parsers.re(r"^the store sells (?P<count>\d+) products$"), converters={"count": int})
def store_sells_many(api: Api, world: World, settings: Settings, count: int) -> None:
    """Olivia adds that many products made up by Faker."""
    admin = as_store_admin(api, world, settings)
    for _ in range(count):
        add_product(api, world, admin.token, product_body(world))
        assert world.last.status_code == 201, world.last.text


@when(
    parsers.re(rf"^{ACTOR} adds an? {PRODUCT} at (?P<price>[\d.]+) with (?P<stock>\d+) in stock$")
)
def adds_product(api: Api, world: World, actor: str, product: str, price: str, stock: str) -> None:
    """Ask to add a product."""
    body = product_body(world, product) | {"price": price, "stock": int(stock)}
    add_product(api, world, token_of(world, actor), body)


@when(parsers.re(rf"^{NAME} adds a product whose (?P<field>[a-z_]+) is (?P<value>.+)$"))
def adds_product_whose(api: Api, world: World, name: str, field: str, value: str) -> None:
    """Ask to add a product with one detail as the feature writes it."""
    world.response = api.post(
        "/products",
        token=world.persona(name).token,
        content=body_with_literal(product_body(world), field, value),
        headers={"Content-Type": "application/json"},
    )
    if world.response.status_code == 201:
        world.shop.last_product = world.response.json()["id"]


@when(parsers.re(rf"^{NAME} adds a product without an? (?P<field>[a-z_]+)$"))
def adds_product_without(api: Api, world: World, name: str, field: str) -> None:
    """Ask to add a product with one detail left out."""
    body = product_body(world)
    del body[field]
    add_product(api, world, world.persona(name).token, body)


@when(
    parsers.re(
        rf"^{NAME} changes the (?P<field>price|stock|name|description) of "
        rf"(?:the {PRODUCT}|(?P<missing>a product that does not exist)) to (?P<value>.+)$"
    )
)
def changes_product(
    api: Api,
    world: World,
    name: str,
    field: str,
    product: str | None,
    missing: str | None,
    value: str,
) -> None:
    """Ask to change one detail of a product."""
    identifier = MISSING_ID if missing else product_id(world, product or "")
    world.response = api.patch(
        f"/products/{identifier}", token=world.persona(name).token, json={field: literal(value)}
    )


@when(parsers.re(rf"^a visitor looks at the {PRODUCT}$"))
def visitor_looks_at(api: Api, world: World, product: str) -> None:
    """Ask for one product without signing in."""
    world.response = api.get(f"/products/{product_id(world, product)}")


@when(parsers.re(r'^a visitor looks at the product numbered "(?P<number>.*)"$'))
def visitor_looks_at_number(api: Api, world: World, number: str) -> None:
    """Ask for the product at an address the feature gives."""
    world.response = api.get(f"/products/{number}")


@when(
    parsers.re(
        r"^a visitor browses the catalogue(?: (?P<limit>\d+) at a time, skipping the first (?P<skip>\d+))?$"
    )
)
def browses(api: Api, world: World, limit: str | None, skip: str | None) -> None:
    """Ask for a page of the catalogue."""
    params = {"limit": limit, "skip": skip} if limit is not None else {}
    world.response = api.get("/products", params=params)


@when(
    parsers.re(
        r'^a visitor browses the catalogue with (?P<setting>skip|limit) set to "(?P<value>.*)"$'
    )
)
def browses_with(api: Api, world: World, setting: str, value: str) -> None:
    """Ask for a page with a setting the feature gives."""
    world.response = api.get("/products", params={setting: value})


@then(
    parsers.re(
        rf"^the visitor sees the {PRODUCT} at (?P<price>[\d.]+) with (?P<stock>\d+) in stock$"
    )
)
def visitor_sees(world: World, product: str, price: str, stock: str) -> None:
    """The answer is the product, its price written with two decimal places."""
    assert world.last.status_code == 200, world.last.text
    found = world.last.json()
    assert set(found) == {"id", "name", "description", "price", "stock"}, found
    assert (found["id"], found["name"], found["price"], found["stock"]) == (
        product_id(world, product),
        product,
        price,
        int(stock),
    ), found


@then(
    parsers.re(
        rf"^the {PRODUCT} is in the catalogue at (?P<price>[\d.]+) with (?P<stock>\d+) in stock$"
    )
)
def is_in_catalogue(api: Api, world: World, product: str, price: str, stock: str) -> None:
    """Read the product back: its name, price and stock are as the feature says."""
    check_in_catalogue(api, world, product, price, stock)


@then("the catalogue holds")
def catalogue_holds(api: Api, world: World, datatable: list[list[str]]) -> None:
    """Read each product of the table back: its name, price and stock are as written."""
    for row in rows_of(datatable):
        check_in_catalogue(api, world, row["product"], row["price"], row["stock"])


@when(parsers.re(rf"^{NAME} adds an? {PRODUCT} at (?P<price>[\d.]+) described as$"))
def adds_described(
    api: Api, world: World, name: str, product: str, price: str, docstring: str
) -> None:
    """Add a product whose description is the doc string."""
    body = product_body(world, product) | {"price": price, "description": docstring}
    add_product(api, world, world.persona(name).token, body)
    assert world.last.status_code == 201, world.last.text


@then(parsers.re(rf"^the {PRODUCT} is described as$"))
def described_as(api: Api, world: World, product: str, docstring: str) -> None:
    """Read the product back: its description is the doc string, every line of it."""
    assert read_product(api, product_id(world, product))["description"] == docstring


@then(parsers.re(r"^the product is shown at (?P<price>[\d.]+)$"))
def product_shown_at(api: Api, world: World, price: str) -> None:
    """The answer and the catalogue both show the price with exactly two decimal places."""
    assert world.last.status_code == 201, world.last.text
    assert world.last.json()["price"] == price
    assert read_product(api, last_product(world))["price"] == price


@then("the catalogue is empty")
def catalogue_is_empty(api: Api) -> None:
    """Nothing was added."""
    page = api.get("/products").json()
    assert page["total"] == 0 and page["items"] == [], page
