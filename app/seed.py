"""A living store for development: a Faker-made catalogue and a few shoppers to sign in as."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock, SystemClock
from app.core.config import Settings
from app.core.db import open_database
from app.core.security import Passwords
from app.products.models import Product
from app.products.schemas import ProductCreate
from app.products.service import create_product
from app.users.schemas import UserCreate
from app.users.service import register_user

if TYPE_CHECKING:
    from faker import Faker

THINGS = (
    "teapot", "mug", "lamp", "notebook", "backpack", "scarf", "candle", "vase", "blanket",
    "umbrella", "kettle", "bowl", "chair", "clock", "pillow", "jug", "basket", "apron",
)  # fmt: skip


@dataclass(frozen=True)
class Shopper:
    """A seeded account, with the password to sign in with."""

    username: str
    email: str
    password: str


class StoreNotEmpty(Exception):
    """The catalogue already has products: seeding is for an empty store."""


async def seed_store(
    *,
    session: AsyncSession,
    faker: "Faker",
    passwords: Passwords,
    clock: Clock,
    products: int,
    shoppers: int,
) -> list[Shopper]:
    """Fill an empty store with products and shoppers made up by Faker; return the shoppers."""
    if await session.scalar(select(func.count()).select_from(Product)):
        raise StoreNotEmpty
    for _ in range(products):
        name = f"{faker.safe_color_name()} {faker.word(ext_word_list=THINGS)}"
        cents = faker.random_int(min=199, max=14_999)
        data = ProductCreate(
            name=name.capitalize(),
            description=faker.sentence(nb_words=12),
            price=Decimal(cents) / 100,
            stock=faker.random_int(min=0, max=40),
        )
        await create_product(session=session, data=data, clock=clock)
    seeded = []
    for _ in range(shoppers):
        username = faker.unique.user_name()[:24]
        shopper = Shopper(
            username=username,
            # example.com is reserved: a welcome email sent there reaches nobody.
            email=f"{username}@example.com",
            password=faker.password(length=14, special_chars=False),
        )
        await register_user(
            session=session,
            data=UserCreate(
                email=shopper.email, username=shopper.username, password=shopper.password
            ),
            passwords=passwords,
            clock=clock,
        )
        seeded.append(shopper)
    return seeded


async def seed_database(
    *, settings: Settings, faker: "Faker", products: int, shoppers: int
) -> list[Shopper]:
    """Seed the database the settings name, bringing its schema up to date first if they say so."""
    async with (
        open_database(settings, migrate=settings.auto_migrate) as database,
        database.session() as session,
    ):
        return await seed_store(
            session=session,
            faker=faker,
            passwords=Passwords(settings.password_hash_profile),
            clock=SystemClock(),
            products=products,
            shoppers=shoppers,
        )
