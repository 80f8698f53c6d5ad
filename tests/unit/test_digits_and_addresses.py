"""Unit tests of SEC-01 and SEC-04: ASCII digits in amounts and ids; deliverable email."""

from decimal import Decimal

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.dialects import postgresql, sqlite

from app.core.money import Amount
from app.core.types import MoneyColumn
from app.users.schemas import UserCreate

pytestmark = pytest.mark.unit

UNICODE_DIGITS = ["١٢", "۱۲", "１２", "१२", "١٢.٥٠", "12.٥"]


class _Priced(BaseModel):
    price: Amount


@pytest.mark.parametrize("text", UNICODE_DIGITS)
def test_an_amount_in_other_digits_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="decimal string"):
        _Priced(price=text)


def test_an_amount_in_ascii_digits_is_read_exactly() -> None:
    assert _Priced(price="12.50").price == Decimal("12.50")


def test_the_published_amount_patterns_say_ascii() -> None:
    schema = _Priced.model_json_schema()
    assert "[0-9]" in str(schema) and "\\\\d" not in str(schema)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_a_money_column_takes_no_text(dialect: object) -> None:
    column = MoneyColumn()
    with pytest.raises(TypeError):
        column.process_bind_param("١٢", dialect)  # type: ignore[arg-type]


def test_path_ids_take_ascii_digits_only() -> None:
    from app.core.deps import IdPath

    ids = TypeAdapter(IdPath)
    assert ids.validate_python("12") == 12
    for text in ["١٢", "+12", " 12", "12.0", "1_2", "１２"]:
        with pytest.raises(ValidationError):
            ids.validate_python(text)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("alice@xn--bcher-kva.example", "alice@xn--bcher-kva.example"),
        ("Alice@Bücher.Example", "alice@xn--bcher-kva.example"),
        ("Alice@Example.COM", "alice@example.com"),
    ],
)
def test_an_email_domain_is_kept_in_ascii(typed: str, kept: str) -> None:
    user = UserCreate(email=typed, username="alice", password="passw0rd-x")
    assert user.email == kept


def test_an_email_needing_smtputf8_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be ASCII"):
        UserCreate(email="アリス@example.com", username="alice", password="passw0rd-x")
