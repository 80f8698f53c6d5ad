"""The shared vocabulary: people, being refused, and what every response carries."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
from anyio.from_thread import BlockingPortal
from fastapi import FastAPI
from pytest_bdd import given, parsers, then, when

from app.users.service import ensure_admin
from steps.support.api import Api
from steps.support.fakes import FakeClock
from steps.support.world import Persona, World

NAME = r"(?P<name>[A-Z][a-z]+)"
PRONOUN = r"(?:her|his|their)"


@dataclass(frozen=True)
class Refusal:
    """How the service says no: a status and a message (or the field of a 422).

    `pattern` stands for the message when it names something the reason does not.
    """

    status: int
    detail: str | None = None
    field: str | None = None
    pattern: str | None = None

    def check(self, response: httpx.Response) -> None:
        """Assert that the response is this refusal, exactly."""
        assert response.status_code == self.status, (
            f"expected {self.status}, got {response.status_code}: {response.text[:500]}"
        )
        body = response.json()
        if self.field is not None:
            fields = {str(part) for issue in body["detail"] for part in issue["loc"]}
            assert self.field in fields, f"{self.field!r} is not among the invalid fields {fields}"
            for issue in body["detail"]:
                assert set(issue) == {"loc", "msg", "type"}, f"unexpected keys in {issue}"
        elif self.pattern is not None:
            assert set(body) == {"detail"} and re.fullmatch(self.pattern, body["detail"]), body
        else:
            assert body == {"detail": self.detail}, body
        if self.status == 401:
            assert response.headers.get("WWW-Authenticate") == "Bearer"


# The reasons a feature may give, in business words, and what the service answers.
REASONS: dict[str, Refusal] = {
    "the email is already registered": Refusal(409, "Email already registered"),
    "the username is already taken": Refusal(409, "Username already taken"),
    "the credentials are invalid": Refusal(401, "Invalid credentials"),
    "they are not signed in": Refusal(401, "Not authenticated"),
    "the token is not valid": Refusal(401, "Could not validate credentials"),
    "they are not allowed to": Refusal(403, "Not enough permissions"),
    "there are too many failed sign-ins": Refusal(429, "Too many failed sign-in attempts"),
    "the account does not exist": Refusal(404, "User not found"),
    "the request is too large": Refusal(413, "Request body too large"),
    # Bytes that are no text in any encoding: FastAPI's own answer, kept as it is.
    "the body cannot be read": Refusal(400, "There was an error parsing the body"),
    "the address does not exist": Refusal(404, "Not Found"),
    "the product does not exist": Refusal(404, "Product not found"),
    "the order does not exist": Refusal(404, "Order not found"),
    "the stock ran out": Refusal(409, pattern=r"Insufficient stock for product \d+"),
    **{
        f"a {status} order cannot be {action}": Refusal(
            409, f"Order cannot be {action} in status {status}"
        )
        for action in ("confirmed", "cancelled", "paid")
        for status in ("pending", "confirmed", "paid", "cancelled")
    },
    "the payment was declined": Refusal(402, "Payment declined"),
    "the payment provider is unavailable": Refusal(502, "Payment provider unavailable"),
    "the amount is not the order's total": Refusal(400, "Amount does not match order total"),
    "the currency is not the order's currency": Refusal(
        400, "Currency does not match order currency"
    ),
    "the idempotency key was used for another payment": Refusal(
        409, "Idempotency key reused with a different request"
    ),
    "the order is being paid": Refusal(409, "Order cannot be cancelled while it is being paid"),
    "a payment with the same idempotency key is in progress": Refusal(
        409, "A request with this idempotency key is in progress"
    ),
    "the idempotency key is too long": Refusal(422, field="Idempotency-Key"),
}
_INVALID = re.compile(r"^the (?P<field>[a-z_ ]+) (?:is|are) (?:invalid|missing|not allowed)$")


def refusal_for(reason: str) -> Refusal:
    """Translate a business reason into the refusal the contract gives for it."""
    if reason in REASONS:
        return REASONS[reason]
    match = _INVALID.match(reason)
    assert match, f"no refusal is known for the reason {reason!r}: add it to REASONS"
    return Refusal(422, field=match["field"].replace(" ", "_"))


@given(parsers.re(rf"^{NAME} has an account$"), target_fixture="persona")
def has_an_account(api: Api, world: World, name: str) -> Persona:
    """Sign the person up through the API."""
    return register(api, world.persona(name))


@given(parsers.re(rf"^{NAME} is signed in$"), target_fixture="persona")
def is_signed_in(api: Api, world: World, name: str) -> Persona:
    """Sign the person up, if need be, and sign them in."""
    person = world.persona(name)
    if person.id is None:
        register(api, person)
    return sign_in(api, person)


@then(
    parsers.re(
        r"^(?:(?P<name>[A-Z][a-z]+)'s|the) (?P<action>[a-z -]+?) is refused because (?P<reason>.+)$"
    )
)
def is_refused(world: World, name: str | None, action: str, reason: str) -> None:
    """Check that the last request was refused, for exactly the reason given."""
    refusal_for(reason).check(world.last)


@given(parsers.re(rf"^{NAME} is the store admin$"), target_fixture="persona")
def is_the_store_admin(
    api: Api, world: World, service: FastAPI, portal: BlockingPortal, name: str
) -> Persona:
    """Make the person an admin, as the store's operator does, and sign them in."""
    person = world.persona(name)

    async def create() -> int:
        async with service.state.database.session() as session:
            admin = await ensure_admin(
                session=session,
                email=person.email,
                username=person.username,
                password=person.password,
                passwords=service.state.passwords,
                clock=service.state.clock,
            )
            return admin.id

    person.id = portal.call(create)
    return sign_in(api, person)


@when(parsers.re(r"^(?P<minutes>\d+) minutes pass$"), converters={"minutes": int})
def minutes_pass(clock: FakeClock, minutes: int) -> None:
    """Move the store's clock on."""
    clock.advance(timedelta(minutes=minutes))


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


def register(api: Api, person: Persona) -> Persona:
    """Sign a person up and remember their id."""
    response = api.post(
        "/register",
        json={"email": person.email, "username": person.username, "password": person.password},
    )
    assert response.status_code == 201, response.text
    person.id = response.json()["id"]
    return person


def sign_in(api: Api, person: Persona, name: str | None = None) -> Persona:
    """Sign a person in and keep their token."""
    response = api.post(
        "/login", data={"username": name or person.username, "password": person.password}
    )
    assert response.status_code == 200, response.text
    person.token = response.json()["access_token"]
    return person


def check_page(response: httpx.Response, *, ids: list[int], count: int, nth: int) -> None:
    """Check a page: the slice of `ids` (all of them, ascending) that starts at the nth."""
    assert response.status_code == 200, response.text
    page = response.json()
    assert ids == sorted(ids), "the items are not in id order"
    assert page["total"] == len(ids) and page["skip"] == nth - 1
    assert [item["id"] for item in page["items"]] == ids[nth - 1 : nth - 1 + page["limit"]]
    assert len(page["items"]) == count


def eventually(check: Callable[[], bool], *, seconds: float = 3.0) -> bool:
    """Wait, up to `seconds`, for something that happens in the background."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return check()
