"""Pieces shared by the request schemas of every domain."""

from pydantic import BeforeValidator


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("May be left out, but not null")
    return value


# For a field of a partial update: it may be left out, but an explicit null is refused.
NotNull = BeforeValidator(_refuse_null)
