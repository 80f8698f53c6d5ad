"""Pieces shared by the request schemas of every domain."""

from pydantic import AfterValidator, BeforeValidator


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("May be left out, but not null")
    return value


# For a field of a partial update: it may be left out, but an explicit null is refused.
NotNull = BeforeValidator(_refuse_null)


def _refuse_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL in text; no name or description needs one.
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters")
    return value


# For every free text a client sends: refused, on every database, when it holds a NUL.
NoNul = AfterValidator(_refuse_nul)
