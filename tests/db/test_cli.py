"""`python -m app create-admin` and `migrate`, run in process on a SQLite file."""

import io
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import main

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture(autouse=True)
def restore_app_logging() -> Iterator[None]:
    """Undo the log handler `main` installs, so later tests do not write to a closed capture."""
    logger = logging.getLogger("app")
    handlers, level = list(logger.handlers), logger.level
    yield
    for handler in [h for h in logger.handlers if h not in handlers]:
        logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the command line at a new SQLite file, in the test environment."""
    for name in list(os.environ):
        if name.upper().startswith("APP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # so that no stray .env file is read
    path = tmp_path / "cli.db"
    monkeypatch.setenv("APP_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("APP_PASSWORD_HASH_PROFILE", "fast")
    return path


@pytest.fixture
def admin_env(database_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("APP_ADMIN_EMAIL", "Olivia@Example.com")
    monkeypatch.setenv("APP_ADMIN_PASSWORD", "olivia-s3cret")
    monkeypatch.setenv("APP_ADMIN_USERNAME", "olivia")
    return database_file


def _accounts(path: Path) -> list[tuple[str, str, int, int]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT email, username, is_admin, is_active FROM user WHERE deleted_at IS NULL"
        ).fetchall()
    connection.close()
    return [tuple(row) for row in rows]


def test_create_admin_creates_the_admin_of_the_settings(
    admin_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-admin"]) == 0
    assert "olivia@example.com" in capsys.readouterr().out.lower()
    assert _accounts(admin_env) == [("olivia@example.com", "olivia", 1, 1)]


def test_create_admin_twice_keeps_one_admin(
    admin_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-admin"]) == 0
    first = capsys.readouterr().out
    assert main(["create-admin"]) == 0
    second = capsys.readouterr().out
    assert first == second, "the same account is reported ready both times"
    assert _accounts(admin_env) == [("olivia@example.com", "olivia", 1, 1)]


def test_create_admin_takes_the_email_and_username_from_the_command_line(
    admin_env: Path,
) -> None:
    assert main(["create-admin", "--email", "root@example.com", "--username", "root"]) == 0
    assert _accounts(admin_env) == [("root@example.com", "root", 1, 1)]


def test_create_admin_makes_an_existing_account_an_admin(admin_env: Path) -> None:
    assert main(["create-admin", "--email", "paul@example.com", "--username", "paul"]) == 0
    with sqlite3.connect(admin_env) as connection:
        connection.execute("UPDATE user SET is_admin = 0")
    connection.close()
    assert _accounts(admin_env) == [("paul@example.com", "paul", 0, 1)]
    assert main(["create-admin", "--email", "paul@example.com"]) == 0
    assert _accounts(admin_env) == [("paul@example.com", "paul", 1, 1)]


def test_create_admin_refuses_an_invalid_email_without_a_traceback(
    admin_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-admin", "--email", "not-an-email"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("The admin was not created: email")
    assert "olivia-s3cret" not in out
    assert _accounts(admin_env) == []


def test_create_admin_needs_a_password(
    database_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APP_ADMIN_EMAIL", "olivia@example.com")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nobody to ask
    assert main(["create-admin"]) == 2
    assert "APP_ADMIN_PASSWORD" in capsys.readouterr().out
    assert not database_file.exists()


def test_migrate_builds_the_schema(database_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert _accounts(database_file) == []
