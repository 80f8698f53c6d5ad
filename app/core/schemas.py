"""Pieces shared by the request schemas of every domain."""

import re
from decimal import Decimal

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


_ASCII_DIGITS = re.compile(r"[0-9]+")


def _ascii_digits(value: object) -> object:
    # int("١٢"), int(" 12"), int("+12") and int("1_2") are all 12: an id is digits alone.
    if isinstance(value, str) and not _ASCII_DIGITS.fullmatch(value):
        raise ValueError("Must be a whole number written in the digits 0 to 9")
    return value


# For an id or count given as text (a path or a query): the ASCII digits 0-9 and nothing else.
AsciiDigits = BeforeValidator(_ascii_digits)


# Beyond this no integer field of the API has a meaning; a larger number is left as it
# came, and refused as not an integer, without ever building a huge int.
_WHOLE_LIMIT = 2**63


def _whole(value: object) -> object:
    # JSON Schema's `integer` is any number without a fraction: 3.0 is the integer 3.
    if isinstance(value, float) and value.is_integer() and abs(value) < _WHOLE_LIMIT:
        return int(value)
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and abs(value) < _WHOLE_LIMIT
        and value == value.to_integral_value()
    ):
        return int(value)
    return value


# For a whole number in a body: 3 and 3.0 are the same integer; 2.5, "3" and true are not.
Whole = BeforeValidator(_whole)
