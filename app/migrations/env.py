"""Alembic's entry point: runs migrations on a given connection or on APP_DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy import Connection

from app.core.config import Settings
from app.core.db import make_engine
from app.models import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:  # pragma: no cover (the `alembic` command, by hand)
    url = config.get_main_option("sqlalchemy.url") or Settings().database_url
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def _run_offline() -> None:  # pragma: no cover (`alembic upgrade --sql`, by hand)
    url = config.get_main_option("sqlalchemy.url") or Settings().database_url
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


# The service migrates on a connection of its own (app.core.migrations); a DBA runs the
# `alembic` command by hand, online or with --sql.
if (connection := config.attributes.get("connection")) is not None:
    _run(connection)
elif context.is_offline_mode():  # pragma: no cover (by hand)
    _run_offline()
else:  # pragma: no cover (by hand)
    asyncio.run(_run_online())
