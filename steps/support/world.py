"""What a scenario remembers between its steps, in named and typed fields.

A field that two step modules share is a name mypy checks, never a string key.
"""

import re
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from faker import Faker
from pydantic import ValidationError

from harness.stores import RunningStore


@dataclass
class Persona:
    """A named person in a scenario, with the credentials Faker made for them."""

    name: str
    email: str
    username: str
    password: str
    id: int | None = None
    token: str | None = None


@dataclass(frozen=True)
class Credentials:
    """What an account held before a change: its email, username and password."""

    email: str
    username: str
    password: str


@dataclass
class Sent:
    """A request sent in the background (a payment, or a cancel), which may wait for the
    provider: its answer to come, and the payment's body and key."""

    answer: Future[httpx.Response]
    body: dict[str, Any]
    key: str | None


@dataclass
class Shop:
    """The products and orders the scenario made, by name and by person."""

    products: dict[str, int] = field(default_factory=dict)
    orders: dict[str, list[int]] = field(default_factory=dict)
    last_product: int | None = None


@dataclass
class Operation:
    """A store the scenario starts as an operator: its database, and how the start went."""

    database_url: str | None = None
    store: RunningStore | None = None
    refusal: ValidationError | None = None
    command_output: str = ""


@dataclass
class World:
    """The state of one scenario."""

    fake: Faker
    personas: dict[str, Persona] = field(default_factory=dict)
    response: httpx.Response | None = None
    responses: list[httpx.Response] = field(default_factory=list)
    shop: Shop = field(default_factory=Shop)
    shoppers: list[str] = field(default_factory=list)
    operation: Operation = field(default_factory=Operation)
    before_change: Credentials | None = None
    token_before_change: str | None = None
    sent_request_id: str | None = None
    # Requests sent in the background, in the order they were sent.
    held: list[Sent] = field(default_factory=list)

    def persona(self, name: str) -> Persona:
        """Return the named person, made up by Faker the first time they are mentioned."""
        if name not in self.personas:
            self.personas[name] = make_persona(self.fake, name)
        return self.personas[name]

    @property
    def last(self) -> httpx.Response:
        """Return the last response."""
        assert self.response is not None, "no request has been made yet"
        return self.response


def make_username(fake: Faker, name: str) -> str:
    """Return a valid username that starts with the person's name, unique in the scenario
    and, by four more random characters, across the scenarios of a shared store."""
    suffix = re.sub(r"[^A-Za-z0-9_.-]", "", fake.unique.user_name())
    run_unique = fake.lexify("????", letters="abcdefghijklmnopqrstuvwxyz0123456789")
    return f"{name.lower()}_{run_unique}{suffix}"[:32]


def make_persona(fake: Faker, name: str) -> Persona:
    """Make up a person's email, username and password."""
    username = make_username(fake, name)
    return Persona(
        name=name,
        email=f"{username.lower()}@{fake.free_email_domain()}",
        username=username,
        password=fake.password(length=14, special_chars=False),
    )


@pytest.fixture
def world(fake: Faker) -> World:
    """What the scenario remembers between steps."""
    return World(fake=fake)
