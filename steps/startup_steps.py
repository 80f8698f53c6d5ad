"""Starting the store: its settings, its database file, its signing key and its password hashing."""

import logging
import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from pytest_bdd import given, parsers, then, when
from sqlalchemy import select

from app.users.models import User
from harness.direct import directly
from harness.stores import Stores
from steps.support.operation import (
    database_file,
    keyless_settings,
    operator_environment,
    settings_for,
    start,
    start_from_environment,
    that_store,
)
from steps.support.people import register
from steps.support.vocabulary import NAME, PRONOUN
from steps.support.world import World

# 32 bytes, all different: long enough, and not low in entropy (SEC-05).
KEY_32_BYTES = "Zq8vR2mLx5Tn9Kp3Wd7Hc1Fb6Gj4Ys0N"


REFUSALS = {
    "its signing key is too weak": "needs an APP_SECRET_KEY of at least 32 bytes",
    "the fast password hashing is for tests only": "only allowed with APP_ENV=test",
}


ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=(?P<m>\d+),t=(?P<t>\d+),p=(?P<p>\d+)\$")


@when(
    parsers.re(
        r"^a production store is started with (?P<key>no signing key|a signing key of \d+ bytes)$"
    )
)
def production_store_started(
    monkeypatch: pytest.MonkeyPatch, world: World, stores: Stores, tmp_path: Path, key: str
) -> None:
    """Start a store with APP_ENV=production and the signing key the feature names."""
    keys = {"no signing key": None, "a signing key of 31 bytes": "k" * 31}
    keys["a signing key of 32 bytes"] = KEY_32_BYTES
    operator_environment(
        monkeypatch,
        {
            "APP_ENV": "production",
            "APP_DATABASE_URL": database_file(world, tmp_path),
            "APP_SECRET_KEY": keys[key],
            # Production refuses the in-process mail and payments (SEC-06).
            "APP_EMAIL_BACKEND": "smtp",
            "APP_PAYMENT_BACKEND": "http",
            "APP_PAYMENT_URL": "http://127.0.0.1:9",
        },
    )
    start_from_environment(world, stores)


@when(
    parsers.re(
        r"^a (?P<kind>development|production) store is started with the fast password hashing$"
    )
)
def store_with_fast_hashing(
    monkeypatch: pytest.MonkeyPatch, world: World, stores: Stores, tmp_path: Path, kind: str
) -> None:
    """Start a store outside tests with the test-only hashing profile."""
    operator_environment(
        monkeypatch,
        {
            "APP_ENV": kind,
            "APP_PASSWORD_HASH_PROFILE": "fast",
            "APP_SECRET_KEY": KEY_32_BYTES,
            "APP_DATABASE_URL": database_file(world, tmp_path),
        },
    )
    start_from_environment(world, stores)


@then(parsers.re(r"^the store refuses to start because (?P<reason>.+)$"))
def refuses_to_start(world: World, reason: str) -> None:
    """The settings were refused, saying why, and no store started."""
    refusal = world.operation.refusal
    assert isinstance(refusal, ValidationError), "the store started"
    assert REFUSALS[reason] in str(refusal)
    assert KEY_32_BYTES[:31] not in str(refusal), "the refusal shows the secret key"
    assert world.operation.store is None


@given("a development store is running")
def development_store(
    world: World, stores: Stores, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Start a store as a developer does: real password hashing, email to the log."""
    caplog.set_level(logging.INFO, logger="app.mail")
    start(
        world,
        stores,
        settings_for(world, tmp_path, env="development", password_hash_profile="owasp"),
    )


@given("a development store without a signing key is running")
def store_without_key(world: World, stores: Stores, tmp_path: Path) -> None:
    """Start a development store with no APP_SECRET_KEY."""
    start(world, stores, keyless_settings(world, tmp_path))


@when(parsers.re(r"^a store is started on (?:an empty|that) database file$"))
def store_on_file(world: World, stores: Stores, tmp_path: Path) -> None:
    """Start a store that migrates its database file at start-up."""
    start(world, stores, settings_for(world, tmp_path))


@when("a store that does not migrate is started on that database file")
def store_without_migrating(world: World, stores: Stores, tmp_path: Path) -> None:
    """Start a store with APP_AUTO_MIGRATE=false."""
    start(world, stores, settings_for(world, tmp_path, auto_migrate=False))


@given(parsers.re(rf"^{NAME} has signed up at a store on a database file$"))
def signed_up_at_store_on_file(world: World, stores: Stores, tmp_path: Path, name: str) -> None:
    """Start a store on a database file and sign the person up there."""
    register(start(world, stores, settings_for(world, tmp_path)).api, world.persona(name))


@when("that store is stopped and started again")
def store_restarts(world: World, stores: Stores, tmp_path: Path) -> None:
    """Stop the store and start a new one with the same settings."""
    that_store(world).stop()
    start(world, stores, settings_for(world, tmp_path))


@then("the store has warned that its passes stop working when it stops")
def warned_about_key(caplog: pytest.LogCaptureFixture) -> None:
    """The store logged a warning about the missing signing key."""
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("APP_SECRET_KEY is not set" in message for message in warnings), warnings


@then(
    parsers.re(
        rf"^{NAME}'s pass opens {PRONOUN} account at that store but not at another store"
        r" without a signing key$"
    )
)
def pass_only_at_its_store(world: World, stores: Stores, tmp_path: Path, name: str) -> None:
    """Another keyless store on the same database refuses the pass; the first accepts it."""
    person = world.persona(name)
    assert that_store(world).api.get("/me", token=person.token).status_code == 200
    other = stores.start(keyless_settings(world, tmp_path))
    refused = other.api.get("/me", token=person.token)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Could not validate credentials"}


@then(
    parsers.re(
        rf"^the store keeps {NAME}'s password as Argon2id with at least (?P<m>\d+) KiB,"
        r" (?P<t>\d+) passes and (?P<p>\d+) lanes?$"
    ),
    converters={"m": int, "t": int, "p": int},
)
def password_kept_as_argon2id(world: World, name: str, m: int, t: int, p: int) -> None:
    """Read the stored hash from the store's database, as its operator would."""
    store, person = that_store(world), world.persona(name)
    query = select(User.password_hash).where(User.id == person.id)
    stored = directly(store.portal, store.app.state.database, lambda session: session.scalar(query))
    match = ARGON2ID.match(stored or "")
    assert match, "the password is not stored as Argon2id"
    assert (int(match["m"]), int(match["t"]), int(match["p"])) >= (m, t, p)
    assert int(match["m"]) >= m and int(match["t"]) >= t and int(match["p"]) >= p
