"""How the service says no, and the business reasons a feature gives for it."""

import re
from dataclasses import dataclass

import httpx


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
        # Every refusal is JSON and says its own length.
        assert response.headers["content-type"] == "application/json", response.headers
        assert response.headers["content-length"] == str(len(response.content)), response.headers
        if self.status in LIMITS:
            # SEC-03: the connection ends after a body that never came; after a body or
            # headers too large it stays, so that a client still sending reads the answer.
            closes = response.headers.get("connection") == "close"
            assert closes == (self.status == 408), response.headers


# The refusals of the store's limits, made before any route reads the request.
LIMITS = (408, 413, 431)


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
    "the request did not arrive in time": Refusal(408, "Request body not received in time"),
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
