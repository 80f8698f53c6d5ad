"""What a sign-in returns."""

from typing import Literal

from pydantic import BaseModel


class Token(BaseModel):
    """A bearer token for the signed-in user."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
