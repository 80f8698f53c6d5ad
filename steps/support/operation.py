"""Stores a scenario starts as an operator would: on a database file, from settings."""

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.core.config import Settings
from harness.settings import written_settings
from harness.stores import RunningStore, Stores
from steps.support.world import World

# 32 bytes, 26 of them different: strong enough for a production store (SEC-05).
STRONG_KEY = "security-steps-8f3Kq1Zx7Lm2Vb9Np4"
# A production store's environment as an operator writes it; nothing listens on port 9.
PRODUCTION = {
    "APP_ENV": "production",
    "APP_SECRET_KEY": STRONG_KEY,
    "APP_EMAIL_BACKEND": "smtp",
    "APP_SMTP_PORT": "9",
    "APP_PAYMENT_BACKEND": "http",
    "APP_PAYMENT_URL": "http://127.0.0.1:9",
}


def database_file(world: World, tmp_path: Path) -> str:
    """Return the URL of the scenario's database file, naming a new one the first time."""
    if world.operation.database_url is None:
        world.operation.database_url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    return world.operation.database_url


def settings_for(world: World, tmp_path: Path, **values: Any) -> Settings:
    """Settings of a store on the scenario's database file, as an operator writes them."""
    base: dict[str, Any] = {
        "env": "test",
        "password_hash_profile": "fast",
        "secret_key": "s" * 64,
        "database_url": database_file(world, tmp_path),
        "email_poll_seconds": 0.02,
    }
    return written_settings(**(base | values))


def operator_environment(monkeypatch: pytest.MonkeyPatch, values: dict[str, str | None]) -> None:
    """Give the process only these APP_* variables, as an operator's shell would hold them."""
    for name in [name for name in os.environ if name.startswith("APP_")]:
        monkeypatch.delenv(name)
    for name, value in values.items():
        if value is not None:
            monkeypatch.setenv(name, value)


def start_from_environment(world: World, stores: Stores) -> None:
    """Start a store from the process's APP_* variables, or keep why its settings were refused."""
    try:
        start(world, stores, Settings(_env_file=None))
    except ValidationError as refusal:
        world.operation.refusal = refusal


def keyless_settings(world: World, tmp_path: Path) -> Settings:
    """Settings of a development store that was given no signing key."""
    return settings_for(
        world, tmp_path, env="development", password_hash_profile="owasp", secret_key=None
    )


def start(world: World, stores: Stores, settings: Settings) -> RunningStore:
    store = stores.start(settings)
    world.operation.store = store
    return store


def that_store(world: World) -> RunningStore:
    assert world.operation.store is not None, "no store was started"
    return world.operation.store
