"""Check responses against the service's own OpenAPI document."""

import re
from dataclasses import dataclass
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_PARAM = re.compile(r"\{[^}/]+\}")
_DOCUMENT = "urn:storefront:openapi"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]


class ResponseContract:
    """Validates a successful response's body against the schema its route documents."""

    def __init__(self, openapi: dict[str, Any]) -> None:
        resource = Resource.from_contents(openapi, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_DOCUMENT, resource)
        self._operations = [
            _Operation(
                method=method.upper(),
                path=path,
                pattern=re.compile("^" + _PARAM.sub("[^/]+", path) + "$"),
                responses=operation.get("responses", {}),
            )
            for path, item in openapi.get("paths", {}).items()
            for method, operation in item.items()
        ]
        self._validators: dict[tuple[str, str, str], Draft202012Validator] = {}

    def check(self, response: httpx.Response) -> None:
        """Raise AssertionError when a 2xx response breaks its documented schema."""
        if not response.is_success:
            return
        request = response.request
        operation = next(
            (
                op
                for op in self._operations
                if op.method == request.method and op.pattern.match(request.url.path)
            ),
            None,
        )
        assert operation is not None, f"{request.method} {request.url.path} is not documented"
        status = str(response.status_code)
        documented = operation.responses.get(status)
        assert documented is not None, (
            f"{request.method} {request.url.path} answered {status}, "
            "which its OpenAPI operation does not document"
        )
        if "application/json" not in documented.get("content", {}):
            assert not response.content, f"{operation.path} returned a body it does not document"
            return
        key = (operation.path, operation.method, status)
        if key not in self._validators:
            pointer = "/".join(
                _escape(token)
                for token in (
                    "",
                    "paths",
                    operation.path,
                    operation.method.lower(),
                    "responses",
                    status,
                    "content",
                    "application/json",
                    "schema",
                )
            )
            self._validators[key] = Draft202012Validator(
                {"$ref": f"{_DOCUMENT}#{pointer}"}, registry=self._registry
            )
        errors = list(self._validators[key].iter_errors(response.json()))
        assert not errors, (
            f"{operation.method} {operation.path} broke its documented schema: "
            f"{errors[0].message} at {list(errors[0].absolute_path)}"
        )
