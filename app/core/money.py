"""Money in requests and responses: exact decimals in, strings with two places out."""

import json
import re
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from app.core.types import CENT

# The largest amount a NUMERIC(12, 2) column holds.
MAX_AMOUNT = Decimal("9999999999.99")
# An amount written as text: ASCII digits only (`\d` would also take "١٢" or "１２"), no
# sign, no leading zero, at most two decimal places, above zero, at most MAX_AMOUNT.
# The same pattern is published, so that what the schema calls valid the store accepts.
AMOUNT_PATTERN = r"^(?:[1-9][0-9]{0,9}(?:\.[0-9]{1,2})?|0\.(?:0[1-9]|[1-9][0-9]?))$"
_AMOUNT_TEXT = re.compile(AMOUNT_PATTERN)
# What is read as a decimal at all, before the rules above say what is wrong with it.
_DECIMAL_TEXT = re.compile(r"-?[0-9]{1,40}(?:\.[0-9]{1,40})?")


def _to_amount(value: object) -> Decimal:
    """Read an amount given as a JSON number or a decimal string, to the cent."""
    if isinstance(value, bool):
        raise ValueError("An amount is a number or a decimal string")
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # Only reached when a body was parsed without ExactJSONRoute; repr is the shortest
        # text that reads back as the same float, so 19.99 stays 19.99.
        amount = Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        amount = Decimal(value)
    else:
        raise ValueError("An amount is a number or a decimal string")
    # adjusted() first: abs() of an amount like 1e999999999 overflows the decimal context.
    if (
        not amount.is_finite()
        or amount.adjusted() > MAX_AMOUNT.adjusted()
        or abs(amount) > MAX_AMOUNT
    ):
        raise ValueError(f"An amount is at most {MAX_AMOUNT}")
    if amount <= 0:
        raise ValueError("An amount is greater than zero")
    cents = amount.quantize(CENT)
    if cents != amount:
        raise ValueError("An amount has at most two decimal places")
    if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value):
        # What is left is written otherwise than the published pattern: "01.50", "1.500".
        raise ValueError("An amount is written like 19.99: no leading zero, two places at most")
    return cents


def format_amount(amount: Decimal) -> str:
    """Write an amount with exactly two decimal places."""
    return f"{amount.quantize(CENT):f}"


# Called only at import, where mutmut cannot switch a mutant on: its mutants could never be
# killed. tests/unit/test_openapi.py pins the document it builds against docs/openapi.json.
def amount_schema(*, maximum: Decimal, pattern: str) -> dict[str, Any]:  # pragma: no mutate block
    """The published schema of an amount in a request: a JSON number or a decimal string.

    Both forms say exactly what the store accepts: above zero, at most two decimal places
    (`multipleOf` for a number, the pattern for a string) and at most `maximum`.
    """
    return {
        "anyOf": [
            {"type": "string", "pattern": pattern},
            {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": float(maximum),
                "multipleOf": 0.01,
            },
        ],
        "examples": ["19.99"],
    }


# What a client reads: always a string with two decimal places, never a float.
READ_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^[0-9]+\.[0-9]{2}$",
    "examples": ["19.99"],
}

Amount = Annotated[
    Decimal,
    BeforeValidator(_to_amount),
    PlainSerializer(format_amount, return_type=str, when_used="json"),
    WithJsonSchema(amount_schema(maximum=MAX_AMOUNT, pattern=AMOUNT_PATTERN), mode="validation"),
    WithJsonSchema(READ_SCHEMA, mode="serialization"),
]
"""An amount of money above zero with at most two decimal places, returned as "19.99"."""


class ExactJSONRequest(Request):
    """A request whose JSON numbers with a fraction are read as `Decimal`, never `float`."""

    async def json(self) -> Any:
        """Parse the body, keeping every decimal number exact."""
        if not hasattr(self, "_json"):
            self._json = json.loads(await self.body(), parse_float=Decimal)
        return self._json


class ExactJSONRoute(APIRoute):
    """A route that reads JSON bodies with `ExactJSONRequest`, so 0.1 stays 0.1."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def exact_handler(request: Request) -> Response:
            return await handler(ExactJSONRequest(request.scope, request.receive))

        return exact_handler
