"""What a scenario remembers between its steps: the people in it and what they were told."""

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from faker import Faker


@dataclass
class Persona:
    """A named person in a scenario, with the credentials Faker made for them."""

    name: str
    email: str
    username: str
    password: str
    id: int | None = None
    token: str | None = None

    @property
    def tokens(self) -> dict[str, str]:
        """Return the Authorization header of the person's current token."""
        assert self.token, f"{self.name} has not signed in"
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """The state of one scenario."""

    fake: Faker
    personas: dict[str, Persona] = field(default_factory=dict)
    response: httpx.Response | None = None
    responses: list[httpx.Response] = field(default_factory=list)
    remembered: dict[str, Any] = field(default_factory=dict)

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
    """Return a valid, scenario-unique username that starts with the person's name."""
    suffix = re.sub(r"[^A-Za-z0-9_.-]", "", fake.unique.user_name())
    return f"{name.lower()}_{suffix}"[:32]


def make_persona(fake: Faker, name: str) -> Persona:
    """Make up a person's email, username and password."""
    username = make_username(fake, name)
    return Persona(
        name=name,
        email=f"{username.lower()}@{fake.free_email_domain()}",
        username=username,
        password=fake.password(length=14, special_chars=False),
    )
