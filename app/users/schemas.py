"""What clients send and receive about users."""

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from app.core.schemas import NotNull

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"


def _strong_enough(password: str) -> str:
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValueError("Password must contain at least one letter and one digit")
    return password


def _lower(email: str) -> str:
    return email.lower()


Email = Annotated[EmailStr, Field(max_length=254), AfterValidator(_lower)]
Username = Annotated[str, Field(pattern=USERNAME_PATTERN, min_length=3, max_length=32)]
Password = Annotated[str, Field(min_length=8, max_length=128), AfterValidator(_strong_enough)]


class UserCreate(BaseModel):
    """A sign-up: the email, username and password of a new account."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    username: Username
    password: Password


class UserUpdate(BaseModel):
    """A change to an account; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[Email | None, NotNull] = None
    username: Annotated[Username | None, NotNull] = None
    password: Annotated[Password | None, NotNull] = None


class UserRead(BaseModel):
    """An account as clients see it: never a password or its hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    username: str
    is_active: bool
    is_admin: bool
    created_at: datetime
