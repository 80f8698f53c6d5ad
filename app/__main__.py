"""Storefront's command line: `python -m app serve | migrate | create-admin | seed | openapi`."""

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from app.core.clock import SystemClock
from app.core.config import Settings
from app.core.db import open_database
from app.core.errors import Conflict
from app.core.logging import configure_logging
from app.core.migrations import upgrade
from app.core.security import Passwords
from app.seed import StoreNotEmpty, seed_database
from app.users.service import ensure_admin

Command = Callable[[argparse.Namespace, Settings], int]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    # h11, not httptools: it refuses a request line and headers larger than the limit
    # before buffering them (SEC-03), and the store's protocol gives its own 400 the store's
    # headers (SEC-08); no `server: uvicorn` header names the software.
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        log_level="info",
        http="app.core.http_server:StoreH11Protocol",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        server_header=False,
    )
    return 0


async def _migrate(settings: Settings) -> None:
    async with open_database(settings) as database:
        await upgrade(database.engine)


def _migrate_command(_args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(_migrate(settings))
    print("The database schema is up to date.")
    return 0


async def _create_admin(settings: Settings, email: str, username: str, password: str) -> int:
    async with (
        open_database(settings, migrate=settings.auto_migrate) as database,
        database.session() as session,
    ):
        admin = await ensure_admin(
            session=session,
            email=email,
            username=username,
            password=password,
            passwords=Passwords(settings.password_hash_profile),
            clock=SystemClock(),
        )
        return admin.id


def _create_admin_command(args: argparse.Namespace, settings: Settings) -> int:
    email = args.email or settings.admin_email
    username = args.username or settings.admin_username
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    if password is None and sys.stdin.isatty():
        password = getpass.getpass("Admin password: ")
    if not email or not password:
        print("An email and a password are needed (APP_ADMIN_EMAIL, APP_ADMIN_PASSWORD).")
        return 2
    try:
        admin_id = asyncio.run(_create_admin(settings, email, username, password))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc']))}: {error['msg']}"
            for error in exc.errors(include_input=False)
        )
        print(f"The admin was not created: {problems}")
        return 2
    except Conflict as refusal:
        print(f"The admin was not created: {refusal.detail}")
        return 2
    print(f"Admin account {admin_id} ({email}) is ready.")
    return 0


def _seed_command(args: argparse.Namespace, settings: Settings) -> int:
    if settings.env == "production":
        print("Seeding is for development databases; APP_ENV is production.")
        return 2
    try:
        from faker import Faker
    except ImportError:
        print("Seeding needs Faker: pip install 'storefront[demo]'.")
        return 2
    faker = Faker("en_US")
    if args.seed is not None:
        faker.seed_instance(args.seed)
    try:
        shoppers = asyncio.run(
            seed_database(
                settings=settings, faker=faker, products=args.products, shoppers=args.shoppers
            )
        )
    except StoreNotEmpty:
        # Not a failure: `serve.sh --demo` seeds on every start and then serves.
        print("The catalogue already has products: seed fills an empty store only.")
        return 0
    print(f"Added {args.products} products and {len(shoppers)} shoppers. Sign in as:")
    for shopper in shoppers:
        print(f"  {shopper.username} / {shopper.password}")
    return 0


def _openapi_command(_args: argparse.Namespace, settings: Settings) -> int:
    from app.main import create_app

    # The document as the store serves it, keys sorted: docs/openapi.json is this output.
    print(json.dumps(create_app(settings).openapi(), indent=2, sort_keys=True))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Describe the commands."""
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate_command)
    admin = commands.add_parser(
        "create-admin", help="make sure the admin of APP_ADMIN_EMAIL (or --email) exists"
    )
    admin.add_argument("--email", help="the admin's email (default: APP_ADMIN_EMAIL)")
    admin.add_argument("--username", help="the admin's username (default: APP_ADMIN_USERNAME)")
    admin.set_defaults(run=_create_admin_command)
    seed = commands.add_parser(
        "seed", help="fill an empty development database with a catalogue and shoppers"
    )
    seed.add_argument("--seed", type=int, help="Faker's seed, for the same store every time")
    seed.add_argument("--products", type=int, default=24, help="how many products (24)")
    seed.add_argument("--shoppers", type=int, default=3, help="how many shoppers (3)")
    seed.set_defaults(run=_seed_command)
    openapi = commands.add_parser("openapi", help="print the API's OpenAPI document (JSON)")
    openapi.set_defaults(run=_openapi_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command."""
    configure_logging()
    args = build_parser().parse_args(argv)
    command: Command = args.run
    return command(args, Settings())


if __name__ == "__main__":
    sys.exit(main())
