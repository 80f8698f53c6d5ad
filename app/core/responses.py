"""What the routes tell OpenAPI they can answer besides success: statuses, bodies, headers.

Everything here runs once, while the routes are declared at import; mutmut cannot switch a
mutant of it on, so it is left out of [tool.mutmut]'s `only_mutate`. What it builds is
pinned instead by tests/unit/test_openapi.py, against the committed docs/openapi.json.
"""

from typing import Any

from app.core.errors import ErrorMessage, ValidationErrorMessage

_ALLOW = {"description": "The methods this path offers", "schema": {"type": "string"}}
_RETRY_AFTER = {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}
# What any route of the API may answer, whatever its own rules: the middleware's limits
# (408, 413, 431), the router's (405), validation (422) and the last resort (500).
_COMMON = {
    405: (
        "Method not allowed on this path; `Allow` lists the methods it offers",
        {"Allow": _ALLOW},
    ),
    408: ("The request body did not arrive in time", None),
    413: ("Request body too large", None),
    431: ("Request headers too large", None),
    500: ("Internal server error", None),
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"model": ErrorMessage, "description": description}
    if headers is not None:
        response["headers"] = headers
    return response


def common_responses() -> dict[int | str, dict[str, Any]]:
    """Describe, for OpenAPI, what every route can answer besides its own errors."""
    return {code: _error(description, headers) for code, (description, headers) in _COMMON.items()}


def validation_responses() -> dict[int | str, dict[str, Any]]:
    """Describe, for OpenAPI, the 422 of every API route: the contract's body, not FastAPI's."""
    return {422: {"model": ValidationErrorMessage, "description": "Validation error"}}


def error_responses(*codes: int, body: bool = False) -> dict[int | str, dict[str, Any]]:
    """Describe, for OpenAPI, the error statuses a route can answer with.

    A route that reads a body (`body=True`) can also answer 400 when the body cannot be
    read: not UTF-8, not JSON, or a form it cannot parse.
    """
    descriptions = {
        400: "The request cannot be honoured",
        401: "Not authenticated, or the credentials are not valid",
        402: "The payment was declined",
        403: "Not enough permissions",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "Request body too large",
        429: "Too many failed sign-in attempts; `Retry-After` says how long to wait",
        502: "The payment provider is unavailable",
        503: "The database is unavailable",
    }
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorMessage, "description": descriptions[code]} for code in codes
    }
    if body:
        unreadable = "body cannot be read: not UTF-8, not JSON, or not a form"
        known = f"{descriptions[400]}; or the {unreadable}" if 400 in codes else f"The {unreadable}"
        responses[400] = _error(known)
    if 429 in codes:
        responses[429] = _error(descriptions[429], {"Retry-After": _RETRY_AFTER})
    return responses
