"""The published OpenAPI document describes every route, its errors and the bearer scheme."""

from typing import Any

import pytest

from app.core.config import Settings
from app.main import create_app

pytestmark = pytest.mark.unit

SETTINGS = Settings(_env_file=None, env="test", password_hash_profile="fast", secret_key="k" * 40)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    document: dict[str, Any] = create_app(SETTINGS).openapi()
    return document


def api_operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in openapi["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
    ]


def test_the_bearer_scheme_points_at_sign_in(openapi: dict[str, Any]) -> None:
    scheme = openapi["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/login"


def test_every_api_route_documents_its_common_errors_with_a_body(openapi: dict[str, Any]) -> None:
    for path, method, operation in api_operations(openapi):
        for status in ("413", "422", "500"):
            documented = operation["responses"].get(status)
            assert documented is not None, f"{method} {path} does not document {status}"
            assert "schema" in documented["content"]["application/json"], (method, path, status)


def test_every_protected_route_documents_401_and_the_scheme(openapi: dict[str, Any]) -> None:
    protected = [op for op in api_operations(openapi) if op[2].get("security")]
    assert len(protected) >= 5
    for path, method, operation in protected:
        assert "401" in operation["responses"], f"{method} {path} does not document 401"
        assert operation["security"] == [{"OAuth2PasswordBearer": []}]


def test_every_route_has_a_summary_and_a_success_schema(openapi: dict[str, Any]) -> None:
    for path, method, operation in api_operations(openapi):
        successes = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
        assert successes, f"{method} {path} documents no success"
        assert operation.get("description") or operation.get("summary"), (method, path)
        for code, response in successes.items():
            if code != "204":
                assert "schema" in response["content"]["application/json"], (method, path, code)


def test_health_documents_the_unavailable_answer(openapi: dict[str, Any]) -> None:
    responses = openapi["paths"]["/health"]["get"]["responses"]
    assert set(responses) >= {"200", "503"}


def test_the_error_bodies_are_the_contracts(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    assert schemas["ErrorMessage"]["required"] == ["detail"]
    issue = schemas["ValidationIssue"]
    assert set(issue["properties"]) == {"loc", "msg", "type"}, "a 422 never carries the input"
