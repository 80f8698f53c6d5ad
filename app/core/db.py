"""The async engine, its sessions and the declarative base."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from app.core.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLITE_BUSY_TIMEOUT_MS = 30_000
# The execution option of a connection whose transactions only read (see `configure_sqlite`).
READ_ONLY = "storefront_read_only"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC", "CREATE", "DROP", "ALTER")


class WriteInReadOnlyTransaction(RuntimeError):
    """A transaction opened to read tried to write: it holds no write lock to do it safely."""


class Base(DeclarativeBase):
    """The declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(url: str) -> bool:
    """Tell whether a database URL names SQLite."""
    return url.startswith("sqlite")


def configure_sqlite(engine: AsyncEngine) -> None:
    """Make SQLite enforce foreign keys and take its write lock when a writer begins.

    pysqlite's own BEGIN is deferred: two transactions that both read and then write
    would fail with "database is locked". BEGIN IMMEDIATE makes the second one wait, so
    every transaction begins with it, except those opened read-only (`READ_ONLY`): they
    begin deferred, read a WAL snapshot and never wait for, or hold up, a writer. One
    that tries to write anyway is refused before the statement runs.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode")
        row = cursor.fetchone()
        if row is not None and row[0] not in ("memory", "wal"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _refuse_writes(
        connection: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if connection.get_execution_options().get(READ_ONLY, False) and (
            statement.lstrip()[:6].upper().startswith(_WRITES)
        ):
            raise WriteInReadOnlyTransaction(statement.split(None, 1)[0])


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine for a URL, with the SQLite rules where they apply."""
    # A statement's bound values (emails, password hashes) never reach an error's text,
    # so no log line or traceback of a database error carries them.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_async_engine(url, **kwargs)
        configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def server_timeouts(settings: Settings) -> dict[str, Any]:
    """Return the engine arguments that bound a PostgreSQL server's stalls, as settings say.

    A connection is waited for at most the connect timeout, whether it is opened or taken
    from the pool; a statement runs at most the statement timeout, on the server
    (`statement_timeout`) and, should the server not answer at all, in the driver too.
    """
    connect = settings.database_connect_timeout_seconds
    statement = settings.database_statement_timeout_seconds
    return {
        "pool_timeout": connect,
        "connect_args": {
            "timeout": connect,
            "command_timeout": statement + 1,
            "server_settings": {"statement_timeout": str(int(statement * 1000))},
        },
    }


def bound_server_stalls(engine: AsyncEngine, *, ping_seconds: float) -> None:
    """Bound the two waits SQLAlchemy itself leaves to a PostgreSQL server that is frozen.

    Its pre-ping waits as long as a statement may run, and closing a connection it has
    given up on waits two seconds more for the server's goodbye, which a frozen server
    never says. The ping is part of getting a connection, so it gets the connect timeout;
    a connection given up on is cut at once (the server ends its side when it can).
    """
    dialect = engine.sync_engine.dialect

    def ping(dbapi_connection: Any) -> bool:
        # False tells the pool the connection is gone: it opens a new one, within the
        # connect timeout, or fails the checkout.
        driver = dbapi_connection.driver_connection
        try:
            await_(asyncio.wait_for(driver.fetchrow(";"), ping_seconds))
        except Exception:
            return False
        return True

    def terminate(dbapi_connection: Any) -> None:
        dbapi_connection.driver_connection.terminate()

    dialect.do_ping = ping  # type: ignore[method-assign]
    dialect.do_terminate = terminate  # type: ignore[method-assign]


class Database:
    """An engine, its session factory and the callbacks run after a commit."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._after_commit: list[Callable[[], None]] = []
        session_class = type("StorefrontSession", (Session,), {})
        event.listen(session_class, "after_commit", self._run_after_commit)
        self.sessionmaker = async_sessionmaker(
            engine, expire_on_commit=False, sync_session_class=session_class
        )
        # The same pool and rules, for sessions that only read.
        self.reader = async_sessionmaker(
            engine.execution_options(**{READ_ONLY: True}),
            expire_on_commit=False,
            sync_session_class=session_class,
        )

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> "Database":
        """Create a database for a URL."""
        return cls(make_engine(url, **kwargs))

    @classmethod
    def from_settings(cls, settings: Settings) -> "Database":
        """Create the settings' database, its stalls bounded by their timeouts."""
        url = settings.database_url
        if is_sqlite(url):
            return cls.from_url(url)
        database = cls.from_url(url, **server_timeouts(settings))
        bound_server_stalls(database.engine, ping_seconds=settings.database_connect_timeout_seconds)
        return database

    def on_commit(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` after every commit that asked for it; return what unsubscribes it."""
        self._after_commit.append(callback)
        return lambda: self._after_commit.remove(callback)

    def _run_after_commit(self, session: Session) -> None:
        if session.info.pop("after_commit", False):
            for callback in self._after_commit:
                callback()

    @asynccontextmanager
    async def session(self, *, read_only: bool = False) -> AsyncIterator[AsyncSession]:
        """Open a session that rolls back whatever it did not commit.

        A `read_only` session's transactions take no write lock on SQLite (see
        `configure_sqlite`) and may not write.
        """
        async with (self.reader if read_only else self.sessionmaker)() as session:
            yield session

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def begin_reading(session: AsyncSession) -> None:
    """Begin the session's next transaction as one that only reads (no SQLite write lock).

    Where a transaction is already under way (PostgreSQL keeps one across the steps of
    a sign-in), it goes on as it is.
    """
    if not session.in_transaction():
        await session.connection(execution_options={READ_ONLY: True})


def request_after_commit(session: AsyncSession) -> None:
    """Ask that the database's after-commit callbacks run when this session commits."""
    session.info["after_commit"] = True


@asynccontextmanager
async def open_database(settings: Settings, *, migrate: bool = False) -> AsyncIterator[Database]:
    """Open the settings' database, up to date if `migrate`; close its connections after."""
    database = Database.from_settings(settings)
    try:
        if migrate:
            # Alembic is imported only when a database is migrated (0.35 s of start-up).
            from app.core.migrations import upgrade

            await upgrade(database.engine)
        yield database
    finally:
        await database.dispose()
