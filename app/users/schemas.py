"""What clients send and receive about users."""

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field
from pydantic.json_schema import SkipJsonSchema

from app.core.schemas import NotNull
from app.users.addresses import MAX_EMAIL_LENGTH, deliverable_address

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"
# USER-04: at least one letter and one digit (ASCII), anywhere, in any order. Written without
# look-aheads, so that every JSON Schema engine, and schemathesis' generator, reads it.
_ANY = r"[\s\S]*"
PASSWORD_PATTERN = rf"^(?:{_ANY}[A-Za-z]{_ANY}[0-9]{_ANY}|{_ANY}[0-9]{_ANY}[A-Za-z]{_ANY})$"
_STRONG = re.compile(PASSWORD_PATTERN)


def _strong_enough(password: str) -> str:
    if not _STRONG.match(password):
        raise ValueError("Password must contain at least one letter and one digit")
    return password


Email = Annotated[EmailStr, Field(max_length=MAX_EMAIL_LENGTH), AfterValidator(deliverable_address)]
Username = Annotated[str, Field(pattern=USERNAME_PATTERN, min_length=3, max_length=32)]
# The rule is checked by `_strong_enough`, for its message; the schema publishes it too.
Password = Annotated[
    str,
    Field(min_length=8, max_length=128, json_schema_extra={"pattern": PASSWORD_PATTERN}),
    AfterValidator(_strong_enough),
]


class UserCreate(BaseModel):
    """A sign-up: the email, username and password of a new account."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    username: Username
    password: Password


class UserUpdate(BaseModel):
    """A change to an account; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[Email | SkipJsonSchema[None], NotNull] = None
    username: Annotated[Username | SkipJsonSchema[None], NotNull] = None
    password: Annotated[Password | SkipJsonSchema[None], NotNull] = None


class UserRead(BaseModel):
    """An account as clients see it: never a password or its hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    username: str
    is_active: bool
    is_admin: bool
    created_at: datetime
