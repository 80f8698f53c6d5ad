"""Domain errors and the one place that turns them into HTTP responses."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class DomainError(Exception):
    """A broken business rule, with the status and message the contract gives it."""

    status_code = 400

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class BadRequest(DomainError):
    """The request is well formed but cannot be honoured."""

    status_code = 400


class InvalidCredentials(DomainError):
    """A sign-in with a wrong name or password."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("Invalid credentials", headers={"WWW-Authenticate": "Bearer"})


class PaymentDeclined(DomainError):
    """The payment provider declined the charge."""

    status_code = 402


class PermissionDenied(DomainError):
    """The caller may not act on this resource."""

    status_code = 403

    def __init__(self, detail: str = "Not enough permissions") -> None:
        super().__init__(detail)


class NotFound(DomainError):
    """The resource does not exist, or its existence is not disclosed."""

    status_code = 404


class Conflict(DomainError):
    """The request conflicts with the current state."""

    status_code = 409


class TooManyRequests(DomainError):
    """The caller must wait before trying again."""

    status_code = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(retry_after, 1))})


class PaymentProviderUnavailable(DomainError):
    """The payment provider could not be reached or answered nonsense."""

    status_code = 502


class ErrorMessage(BaseModel):
    """The body of every error response other than a validation error."""

    detail: str


class ValidationIssue(BaseModel):
    """One invalid field of a request."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorMessage(BaseModel):
    """The body of a 422 response: what is wrong, never the submitted values."""

    detail: list[ValidationIssue]


def _domain_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def _validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues: list[dict[str, Any]] = [
        {
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]
    return JSONResponse({"detail": issues}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors and validation errors to their responses."""
    app.add_exception_handler(DomainError, _domain_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Describe, for OpenAPI, the error statuses a route can answer with."""
    descriptions = {
        400: "The request cannot be honoured",
        401: "Not authenticated, or the credentials are not valid",
        402: "The payment was declined",
        403: "Not enough permissions",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "Request body too large",
        429: "Too many failed sign-in attempts",
        502: "The payment provider is unavailable",
        503: "The database is unavailable",
    }
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorMessage, "description": descriptions[code]} for code in codes
    }
    return responses
