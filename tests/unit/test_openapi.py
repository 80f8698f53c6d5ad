"""The published OpenAPI document describes every route, its errors and the bearer scheme."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from app.core.config import Settings
from app.main import create_app
from app.products.schemas import ProductCreate
from app.users.schemas import PASSWORD_PATTERN, UserCreate

pytestmark = pytest.mark.unit

SETTINGS = Settings(_env_file=None, env="test", password_hash_profile="fast", secret_key="k" * 40)  # type: ignore[call-arg]


SNAPSHOT = Path(__file__).parents[2] / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    document: dict[str, Any] = create_app(SETTINGS).openapi()
    return document


def takes(model: type[BaseModel], **fields: Any) -> bool:
    """Whether the store's request schema takes these fields."""
    try:
        model(**fields)
    except ValidationError:
        return False
    return True


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


def test_the_committed_snapshot_is_the_document_the_store_serves(openapi: dict[str, Any]) -> None:
    # API9: what the store offers is reviewed as a diff of docs/openapi.json.
    committed = json.loads(SNAPSHOT.read_text())
    assert committed == json.loads(json.dumps(openapi)), (
        "the API changed: review it and run `python -m app openapi > docs/openapi.json`"
    )


def test_operation_ids_are_the_short_names_of_the_operations(openapi: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in api_operations(openapi)]
    assert len(ids) == len(set(ids))
    assert {"create_order", "pay_for_order", "sign_in", "sign_up", "list_products"} <= set(ids)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", name) for name in ids), ids


def test_every_route_that_reads_a_body_documents_the_400_of_an_unreadable_one(
    openapi: dict[str, Any],
) -> None:
    with_body = [op for op in api_operations(openapi) if "requestBody" in op[2]]
    assert len(with_body) >= 7
    for path, method, operation in with_body:
        assert "400" in operation["responses"], f"{method} {path} does not document 400"


def test_every_api_route_documents_405_with_the_methods_allowed(openapi: dict[str, Any]) -> None:
    for path, method, operation in api_operations(openapi):
        documented = operation["responses"].get("405")
        assert documented is not None, f"{method} {path} does not document 405"
        assert "Allow" in documented["headers"], (method, path)


def test_money_is_published_as_a_pattern_never_as_a_bare_float(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    price_in = schemas["ProductCreate"]["properties"]["price"]["anyOf"]
    text, number = price_in
    assert text["type"] == "string" and text["pattern"].startswith("^")
    assert number["multipleOf"] == 0.01 and number["maximum"] == 100000
    price_out = schemas["ProductRead"]["properties"]["price"]
    assert price_out["type"] == "string" and price_out["pattern"] == r"^[0-9]+\.[0-9]{2}$"


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("19.99", True),
        ("0.01", True),
        ("100000", True),
        ("100000.00", True),
        ("100000.01", False),
        ("0", False),
        ("0.00", False),
        ("01.50", False),
        ("1.500", False),
        ("-1", False),
        ("١٢", False),
    ],
)
def test_the_published_price_pattern_says_what_the_store_accepts(
    openapi: dict[str, Any], text: str, accepted: bool
) -> None:
    pattern = openapi["components"]["schemas"]["ProductCreate"]["properties"]["price"]["anyOf"]
    published = re.fullmatch(pattern[0]["pattern"].strip("^$"), text) is not None
    assert published is takes(ProductCreate, name="Pears", price=text, stock=1) is accepted


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("passw0rd", True),
        ("0password", True),
        ("pass word 9", True),
        ("password", False),
        ("12345678", False),
        ("pässwörd١٢", False),
    ],
)
def test_the_published_password_rule_is_the_one_the_store_applies(
    openapi: dict[str, Any], password: str, accepted: bool
) -> None:
    rule = openapi["components"]["schemas"]["UserCreate"]["properties"]["password"]["pattern"]
    assert rule == PASSWORD_PATTERN
    published = re.search(rule, password) is not None
    stored = takes(UserCreate, email="pat@example.com", username="pat", password=password)
    assert published is stored is accepted


@pytest.mark.parametrize(
    ("schema", "fields"),
    [("ProductUpdate", ("name", "price", "stock")), ("UserUpdate", ("email", "username"))],
)
def test_a_partial_update_does_not_offer_null_where_it_refuses_it(
    openapi: dict[str, Any], schema: str, fields: tuple[str, ...]
) -> None:
    # schemathesis found these: the schema said `null` was fine, the store said 422.
    properties = openapi["components"]["schemas"][schema]["properties"]
    for field in fields:
        assert "null" not in json.dumps(properties[field]), (schema, field, properties[field])
