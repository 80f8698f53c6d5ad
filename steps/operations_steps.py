"""Steps of operations.feature: setting a store up, starting it, and what it does then."""

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pytest_bdd import given, parsers, then, when
from sqlalchemy import select

from app.__main__ import main as command_line
from app.core.config import Settings
from app.users.models import User
from steps.common_steps import NAME, PRONOUN, eventually, register, sign_in
from steps.support.mailserver import MailServer, running_mail_server
from steps.support.stores import RunningStore, Stores
from steps.support.world import World

KEY_32_BYTES = "k" * 32
REFUSALS = {
    "its signing key is too weak": "needs an APP_SECRET_KEY of at least 32 bytes",
    "the fast password hashing is for tests only": "only allowed with APP_ENV=test",
}
ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=(?P<m>\d+),t=(?P<t>\d+),p=(?P<p>\d+)\$")


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A local SMTP server for the scenario."""
    with running_mail_server() as server:
        yield server


def database_file(world: World, tmp_path: Path) -> str:
    """Return the URL of the scenario's database file, naming a new one the first time."""
    if "database file" not in world.remembered:
        world.remembered["database file"] = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    url: str = world.remembered["database file"]
    return url


def settings_for(world: World, tmp_path: Path, **values: Any) -> Settings:
    """Settings of a store on the scenario's database file, as an operator writes them."""
    base: dict[str, Any] = {
        "env": "test",
        "password_hash_profile": "fast",
        "secret_key": "s" * 64,
        "database_url": database_file(world, tmp_path),
        "email_poll_seconds": 0.02,
    }
    return Settings(_env_file=None, **(base | values))  # type: ignore[call-arg]


def keyless_settings(world: World, tmp_path: Path) -> Settings:
    """Settings of a development store that was given no signing key."""
    return settings_for(
        world, tmp_path, env="development", password_hash_profile="owasp", secret_key=None
    )


def start(world: World, stores: Stores, settings: Settings) -> RunningStore:
    store = stores.start(settings)
    world.remembered["store"] = store
    return store


def that_store(world: World) -> RunningStore:
    store: RunningStore = world.remembered["store"]
    return store


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
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("APP_DATABASE_URL", database_file(world, tmp_path))
    if keys[key] is None:
        monkeypatch.delenv("APP_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("APP_SECRET_KEY", str(keys[key]))
    try:
        start(world, stores, Settings(_env_file=None))  # type: ignore[call-arg]
    except ValidationError as refusal:
        world.remembered["refusal"] = refusal


@when(
    parsers.re(
        r"^a (?P<kind>development|production) store is started with the fast password hashing$"
    )
)
def store_with_fast_hashing(
    monkeypatch: pytest.MonkeyPatch, world: World, stores: Stores, tmp_path: Path, kind: str
) -> None:
    """Start a store outside tests with the test-only hashing profile."""
    for name, value in {
        "APP_ENV": kind,
        "APP_PASSWORD_HASH_PROFILE": "fast",
        "APP_SECRET_KEY": KEY_32_BYTES,
        "APP_DATABASE_URL": database_file(world, tmp_path),
    }.items():
        monkeypatch.setenv(name, value)
    try:
        start(world, stores, Settings(_env_file=None))  # type: ignore[call-arg]
    except ValidationError as refusal:
        world.remembered["refusal"] = refusal


@then(parsers.re(r"^the store refuses to start because (?P<reason>.+)$"))
def refuses_to_start(world: World, reason: str) -> None:
    """The settings were refused, saying why, and no store started."""
    refusal = world.remembered.get("refusal")
    assert isinstance(refusal, ValidationError), "the store started"
    assert REFUSALS[reason] in str(refusal)
    assert KEY_32_BYTES[:31] not in str(refusal), "the refusal shows the secret key"
    assert "store" not in world.remembered


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


@given("the release step has brought an empty database file up to date")
def release_step(monkeypatch: pytest.MonkeyPatch, world: World, tmp_path: Path) -> None:
    """Run `python -m app migrate` on a new database file."""
    with monkeypatch.context() as env:
        env.setenv("APP_DATABASE_URL", database_file(world, tmp_path))
        assert command_line(["migrate"]) == 0


@when(
    parsers.re(
        rf"^the operator makes {NAME} the admin of a new database file from the command line$"
    )
)
def operator_makes_admin(
    monkeypatch: pytest.MonkeyPatch, world: World, tmp_path: Path, name: str
) -> None:
    """Run `python -m app create-admin` with the admin's details in the environment."""
    person = world.persona(name)
    with monkeypatch.context() as env:
        for variable, value in {
            "APP_DATABASE_URL": database_file(world, tmp_path),
            "APP_ENV": "test",
            "APP_PASSWORD_HASH_PROFILE": "fast",
            "APP_ADMIN_EMAIL": person.email,
            "APP_ADMIN_USERNAME": person.username,
            "APP_ADMIN_PASSWORD": person.password,
        }.items():
            env.setenv(variable, value)
        assert command_line(["create-admin"]) == 0


@when(parsers.re(rf"^{NAME} signs up and signs in at that store$"))
def signs_up_and_in_at_store(world: World, name: str) -> None:
    """Sign up and sign in at the store the scenario started."""
    sign_in(that_store(world).api, register(that_store(world).api, world.persona(name)))


@then(parsers.re(rf"^{NAME} can sign up and sign in at that store$"))
def can_sign_up_and_in(world: World, name: str) -> None:
    """The store serves sign-up and sign-in, and the account reads back."""
    api = that_store(world).api
    person = sign_in(api, register(api, world.persona(name)))
    me = api.get("/me", token=person.token)
    assert me.status_code == 200 and me.json()["id"] == person.id


@then(parsers.re(rf"^{NAME} can sign in at that store$"))
def can_sign_in_at_store(world: World, name: str) -> None:
    """The person's account is still there."""
    person = world.persona(name)
    me = that_store(world).api.get("/me", token=sign_in(that_store(world).api, person).token)
    assert me.status_code == 200 and me.json()["email"] == person.email


@then(parsers.re(rf"^{NAME} can sign in as the admin of that store$"))
def admin_of_store(world: World, name: str) -> None:
    """The admin made on the command line signs in at the store, as an admin."""
    person = world.persona(name)
    api = that_store(world).api
    me = api.get("/me", token=sign_in(api, person).token)
    assert me.status_code == 200 and me.json()["is_admin"] is True
    assert me.json()["username"] == person.username


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

    async def stored_hash() -> str | None:
        async with store.app.state.database.session() as session:
            found: str | None = await session.scalar(
                select(User.password_hash).where(User.id == person.id)
            )
            return found

    match = ARGON2ID.match(store.portal.call(stored_hash) or "")
    assert match, "the password is not stored as Argon2id"
    assert (int(match["m"]), int(match["t"]), int(match["p"])) >= (m, t, p)
    assert int(match["m"]) >= m and int(match["t"]) >= t and int(match["p"]) >= p


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


@given(parsers.re(r'^a store that allows web pages from "(?P<origin>[^"]+)"$'))
def store_with_cors(world: World, stores: Stores, tmp_path: Path, origin: str) -> None:
    """Start a store with APP_CORS_ORIGINS naming the origin."""
    start(world, stores, settings_for(world, tmp_path, cors_origins=[origin]))


@when(parsers.re(r'^a browser showing "(?P<origin>[^"]+)" asks to sign in there$'))
def browser_preflight(world: World, origin: str) -> None:
    """Send the preflight a browser sends before a cross-origin sign-in."""
    world.response = that_store(world).raw(
        "OPTIONS",
        "/api/v1/login",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )


@then(
    parsers.re(
        r'^the browser is (?P<verdict>allowed|not allowed) to call the store from "(?P<origin>[^"]+)"$'
    )
)
def browser_verdict(world: World, verdict: str, origin: str) -> None:
    """The preflight's answer allows exactly the configured origin."""
    allowed = world.last.headers.get("access-control-allow-origin")
    if verdict == "allowed":
        assert world.last.status_code == 200 and allowed == origin
        assert "POST" in world.last.headers["access-control-allow-methods"]
    else:
        assert world.last.status_code == 400 and allowed is None


@then(parsers.re(rf"^the store's log shows a welcome email to {NAME}$"))
def log_shows_email(caplog: pytest.LogCaptureFixture, world: World, name: str) -> None:
    """The console mailer logged the welcome email."""
    email = world.persona(name).email.lower()

    def logged() -> bool:
        return any(
            r.name == "app.mail" and email in r.getMessage() and "Welcome" in r.getMessage()
            for r in caplog.records
        )

    assert eventually(logged), "no welcome email was logged"


@given("a mail server is running")
def mail_server_running(mail_server: MailServer) -> None:
    """Start the local SMTP server."""
    assert mail_server.port > 0


@given("a store that sends its email through that mail server is running")
def store_with_smtp(world: World, stores: Stores, tmp_path: Path, mail_server: MailServer) -> None:
    """Start a store with APP_EMAIL_BACKEND=smtp pointing at the local server."""
    settings = settings_for(
        world, tmp_path, email_backend="smtp", smtp_host="127.0.0.1", smtp_port=mail_server.port
    )
    start(world, stores, settings)


@then(parsers.re(rf"^the mail server receives a welcome email for {NAME}$"))
def mail_server_receives(mail_server: MailServer, world: World, name: str) -> None:
    """The SMTP server was handed the welcome email, addressed to the person."""
    email = world.persona(name).email.lower()
    assert eventually(lambda: any(email in e.recipients for e in mail_server.received))
    delivered = next(e for e in mail_server.received if email in e.recipients)
    assert "Subject: Welcome to Storefront" in delivered.content
    assert "From: no-reply@storefront.local" in delivered.content
