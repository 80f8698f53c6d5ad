"""`python -m app seed`'s store: made up by Faker, the same for the same seed, empty stores only."""

import pytest
from faker import Faker
from sqlalchemy import select

from app.core.db import Database
from app.core.security import Passwords
from app.products.models import Product
from app.seed import Shopper, StoreNotEmpty, seed_store
from app.users.service import find_user_for_sign_in
from harness.fakes import FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]

PASSWORDS = Passwords("fast")


async def _seed(database: Database, seed: int) -> tuple[list[Shopper], list[tuple[str, str]]]:
    faker = Faker("en_US")
    faker.seed_instance(seed)
    async with database.session() as session:
        shoppers = await seed_store(
            session=session,
            faker=faker,
            passwords=PASSWORDS,
            clock=FakeClock(),
            products=6,
            shoppers=2,
        )
        rows = await session.execute(select(Product.name, Product.price).order_by(Product.id))
        return shoppers, [(name, str(price)) for name, price in rows]


async def test_the_same_seed_makes_the_same_store(
    database: Database, file_database: Database
) -> None:
    first = await _seed(database, 7)
    again = await _seed(file_database, 7)
    assert first == again
    shoppers, products = first
    assert len(products) == 6 and len(shoppers) == 2


async def test_the_shoppers_can_sign_in(database: Database) -> None:
    shoppers, _ = await _seed(database, 11)
    async with database.session() as session:
        for shopper in shoppers:
            account = await find_user_for_sign_in(session=session, name=shopper.username)
            assert account is not None
            assert PASSWORDS.verify(shopper.password, account.password_hash)


async def test_a_store_with_products_is_not_seeded_again(database: Database) -> None:
    await _seed(database, 3)
    with pytest.raises(StoreNotEmpty):
        await _seed(database, 4)
