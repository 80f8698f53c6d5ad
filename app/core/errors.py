"""Domain errors and the one place that turns them into HTTP responses."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match


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
        # Every error pydantic or FastAPI raises has these three; `input` and `ctx` are left
        # out, for they may hold what was sent (CONV-05).
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return JSONResponse({"detail": issues}, status_code=422)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route serves at the request's path, whichever router holds it."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


async def _http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        # Starlette names only the methods of the first route that matched the path; a path
        # served by several routes (GET and POST /products) offers all of theirs.
        allowed = ", ".join(_allowed_methods(request))
        exc = StarletteHTTPException(405, headers={"Allow": allowed})
    return await http_exception_handler(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors and HTTP errors to their responses."""
    app.add_exception_handler(DomainError, _domain_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
