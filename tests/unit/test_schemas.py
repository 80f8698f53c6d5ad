"""Partial updates: a field may be left out, but an explicit null is refused."""

import pytest
from pydantic import BaseModel, ValidationError

from app.products.schemas import ProductUpdate
from app.users.schemas import UserUpdate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        (UserUpdate, "email"),
        (UserUpdate, "username"),
        (UserUpdate, "password"),
        (ProductUpdate, "name"),
        (ProductUpdate, "price"),
        (ProductUpdate, "stock"),
    ],
)
def test_an_explicit_null_is_refused_naming_the_field(schema: type[BaseModel], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        schema.model_validate({field: None})
    (error,) = refused.value.errors(include_input=False)
    assert error["loc"] == (field,)
    assert "not null" in error["msg"]


def test_a_field_left_out_stays_unset() -> None:
    update = UserUpdate.model_validate({"username": "alice_2"})
    assert update.model_fields_set == {"username"}
    assert update.email is None and update.password is None


def test_a_product_description_may_be_cleared() -> None:
    assert ProductUpdate.model_validate({"description": None}).model_fields_set == {"description"}
