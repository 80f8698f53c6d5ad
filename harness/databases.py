"""Databases for scenarios: each one starts from a migrated template, untouched by others."""

import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite
from sqlalchemy import make_url, text
from sqlalchemy.pool import AsyncAdaptedQueuePool, QueuePool

from app.core.db import Database, make_engine
from app.core.migrations import upgrade
from app.models import metadata


class SchemaTemplate:
    """A SQLite database migrated once, copied for every scenario."""

    def __init__(self, path: Path, image: bytes) -> None:
        self.path = path
        self.image = image

    @classmethod
    async def build(
        cls, folder: Path, prepare: Callable[[Database], Awaitable[None]] | None = None
    ) -> "SchemaTemplate":
        """Run the migrations into a new file, let `prepare` fill it, and keep its image."""
        path = folder / "template.db"
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()
        if prepare is not None:
            database = Database.from_url(f"sqlite+aiosqlite:///{path}")
            try:
                await prepare(database)
            finally:
                await database.dispose()
        with sqlite3.connect(path) as connection:
            # A WAL image cannot be opened in memory: switch the template back to a
            # rollback journal.
            connection.execute("PRAGMA journal_mode=DELETE")
        connection.close()
        with sqlite3.connect(path) as connection:
            image = connection.serialize()
        connection.close()
        return cls(path, image)

    def memory_database(self) -> "MemoryDatabase":
        """Return an in-memory copy of the template that `reset` puts back in place."""
        return MemoryDatabase(self.image)

    def file_database(self, folder: Path) -> Database:
        """Return a database in its own file, for scenarios that need real concurrency."""
        path = folder / "scenario.db"
        shutil.copyfile(self.path, path)
        return Database.from_url(f"sqlite+aiosqlite:///{path}", pool_size=20, max_overflow=0)


class MemoryDatabase(Database):
    """An in-memory copy of the template, on one connection that requests take in turns.

    The copy is made when the connection opens; `reset` writes the template's image
    back into that same connection (sqlite3 deserialize), which costs far less than
    opening a new one. `dispose` closes it; the next connection is a fresh copy again.
    """

    def __init__(self, image: bytes) -> None:
        self._image = image
        self._live: sqlite3.Connection | None = None
        self.copies = 0  # how many times the template was copied in, for the benchmark
        super().__init__(
            make_engine(
                "sqlite+aiosqlite://",
                async_creator=self._create,
                poolclass=AsyncAdaptedQueuePool,
                pool_size=1,
                max_overflow=0,
                connect_args={},
            )
        )

    def _connect(self) -> sqlite3.Connection:
        # Runs in aiosqlite's thread; the connection is also reset from the loop's thread,
        # only ever while aiosqlite is idle (nothing checked out, no transaction).
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.deserialize(self._image)
        self._live = connection
        self.copies += 1
        return connection

    async def _create(self) -> aiosqlite.Connection:
        return await aiosqlite.Connection(self._connect, 64)

    async def reset(self) -> None:
        """Put the template back for the next user; start afresh if the connection is busy."""
        live = self._live
        if live is None:
            return
        pool = self.engine.pool
        if live.in_transaction or (isinstance(pool, QueuePool) and pool.checkedout()):
            await self.dispose()
            return
        live.deserialize(self._image)
        self.copies += 1

    async def dispose(self) -> None:
        """Close the connection; the next one starts from the template."""
        self._live = None
        await super().dispose()


class ServerDatabase(Database):
    """A database of its own on a PostgreSQL server, emptied after every scenario.

    Each pytest process makes its own (`storefront_test_<worker>_<pid>`), migrates it once
    and drops it at its end, so that two runs at once never share one; `reset` truncates
    every table and restarts the ids, so the next scenario finds it as the migrations
    left it.
    """

    @classmethod
    async def create(cls, server_url: str, name: str) -> "ServerDatabase":
        """Make the database afresh on the server and bring it up to date."""
        await cls.recreate(server_url, name)
        url = make_url(server_url).set(database=name)
        database = cls(make_engine(url.render_as_string(hide_password=False)))
        await upgrade(database.engine)
        return database

    @staticmethod
    async def recreate(server_url: str, name: str) -> None:
        """Drop the database of this name on the server, if any, and make it empty."""
        await _on_server(server_url, _drop_statement(name), f'CREATE DATABASE "{name}"')

    @staticmethod
    async def drop(server_url: str, name: str) -> None:
        """Drop the database of this name on the server, if any."""
        await _on_server(server_url, _drop_statement(name))

    async def reset(self) -> None:
        """Empty every table and restart its ids."""
        preparer = self.engine.dialect.identifier_preparer
        tables = ", ".join(preparer.quote(table.name) for table in metadata.sorted_tables)
        async with self.engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _drop_statement(name: str) -> str:
    """Drop a database, whoever is still connected to it."""
    return f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'


async def _on_server(server_url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database, outside any transaction."""
    url = make_url(server_url)
    admin = make_engine(
        url.set(database=url.database or "postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with admin.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await admin.dispose()
