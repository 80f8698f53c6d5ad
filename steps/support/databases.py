"""Databases for scenarios: each one starts from a migrated template, untouched by others."""

import shutil
import sqlite3
from pathlib import Path

import aiosqlite
from sqlalchemy.pool import AsyncAdaptedQueuePool

from app.core.db import Database, make_engine
from app.core.migrations import upgrade


class SchemaTemplate:
    """A SQLite database migrated once, copied for every scenario."""

    def __init__(self, path: Path, image: bytes) -> None:
        self.path = path
        self.image = image

    @classmethod
    async def build(cls, folder: Path) -> "SchemaTemplate":
        """Run the migrations into a new file and keep its image."""
        path = folder / "template.db"
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()
        with sqlite3.connect(path) as connection:
            # A WAL image cannot be opened in memory; switch the template back to a rollback journal.
            connection.execute("PRAGMA journal_mode=DELETE")
        connection.close()
        with sqlite3.connect(path) as connection:
            image = connection.serialize()
        connection.close()
        return cls(path, image)

    def memory_database(self) -> Database:
        """Return a database whose every new connection is a fresh in-memory copy.

        The pool holds one connection, so requests in a scenario take turns; disposing
        the engine after the scenario throws the copy away, and the next connection
        starts from the template again.
        """
        image = self.image

        def connect() -> sqlite3.Connection:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            connection.deserialize(image)
            return connection

        async def creator() -> aiosqlite.Connection:
            return await aiosqlite.Connection(connect, 64)

        return Database(
            make_engine(
                "sqlite+aiosqlite://",
                async_creator=creator,
                poolclass=AsyncAdaptedQueuePool,
                pool_size=1,
                max_overflow=0,
                connect_args={},
            )
        )

    def file_database(self, folder: Path) -> Database:
        """Return a database in its own file, for scenarios that need real concurrency."""
        path = folder / "scenario.db"
        shutil.copyfile(self.path, path)
        return Database.from_url(f"sqlite+aiosqlite:///{path}", pool_size=20, max_overflow=0)
