"""Lists a page at a time: the accounts, the catalogue and one's own orders."""

from pytest_bdd import parsers, then, when

from harness.api import Api
from steps.support.pages import check_page
from steps.support.shop import orders_of
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

# Where each list is read, by the words a feature uses for its items.
LISTS = {"accounts": "/users", "products": "/products", "orders": "/orders", "order": "/orders"}


@when(
    parsers.re(
        rf"^{NAME} lists (?P<what>the accounts|{PRONOUN} orders)"
        r"(?: (?P<limit>\d+) at a time, skipping the first (?P<skip>\d+))?$"
    )
)
def lists_page(
    api: Api, world: World, name: str, what: str, limit: str | None, skip: str | None
) -> None:
    """Ask for a page of the store's accounts, or of one's own orders."""
    path = "/users" if what == "the accounts" else "/orders"
    params = {"limit": limit, "skip": skip} if limit is not None else {}
    world.response = api.get(path, token=world.persona(name).token, params=params)


@then(
    parsers.re(
        rf"^(?:{NAME}|the visitor) sees (?P<count>\d+) (?P<what>accounts|products|orders?)"
        r" of (?P<total>\d+), oldest first, starting with the (?P<nth>\d+)(?:st|nd|rd|th)$"
    ),
    converters={"count": int, "total": int, "nth": int},
)
def sees_page(
    api: Api, world: World, name: str | None, what: str, count: int, total: int, nth: int
) -> None:
    """The page holds the right slice of the whole list, by id, and says how many there are."""
    token = world.persona(name).token if name else None
    everything = api.get(LISTS[what], token=token, params={"limit": 100}).json()
    ids = [item["id"] for item in everything["items"]]
    assert everything["total"] == total, everything
    if name and what.startswith("order"):
        assert ids == orders_of(world, name), "the list holds orders that are not the person's"
    check_page(world.last, ids=ids, count=count, nth=nth)
