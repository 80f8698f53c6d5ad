"""Where the scenarios' store runs, chosen by the run's options, and the settings it runs with.

- In process (the default): the app is called through ASGI, on fakes and a fresh database.
- `--live-server`: the suite starts `uvicorn app.main:app` itself (`--replicas N` of them),
  with a real SMTP sink and the payment provider over HTTP.
- `--base-url URL`: a deployment that already runs; the suite reads its settings from
  the same `APP_*` environment the deployment was given.
"""

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest
from pydantic import ValidationError
from sqlalchemy import make_url

from app.core.config import Settings
from harness.mailserver import free_port
from harness.settings import scenario_settings

Kind = Literal["in process", "live server", "deployment"]

TARGET_KEY = pytest.StashKey["Target"]()

# The store's wait for the provider when it runs live: longer than a held charge lasts in
# a scenario, shorter than the provider's "slow" answer (a second more).
LIVE_PROVIDER_TIMEOUT_SECONDS = 3.0
# The retry interval of a live store's outbox: short, so that a scenario can wait it out.
LIVE_EMAIL_RETRY_SECONDS = 1.0
# How long a live store's hand-over of one email may take: the message's lease is twice
# this, so that a message a killed server was sending is sent again within a scenario.
LIVE_EMAIL_SEND_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Replica:
    """One server process of a live store: its port and its settings."""

    port: int
    settings: Settings

    @property
    def origin(self) -> str:
        """The base URL the replica serves on."""
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Target:
    """The store the scenarios speak to, and what the suite runs beside it."""

    kind: Kind
    settings: Settings
    origins: tuple[str, ...] = ()
    replicas: tuple[Replica, ...] = ()
    mail_port: int | None = None
    provider_port: int | None = None
    server_url: str | None = None
    folder: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))

    @property
    def live(self) -> bool:
        """Say whether the store runs in processes of its own."""
        return self.kind != "in process"


def target_of(config: pytest.Config) -> Target:
    """Read the run's options into its target."""
    base_url: str | None = config.getoption("--base-url")
    if base_url:
        return _deployment(config, base_url.rstrip("/"))
    if config.getoption("--live-server"):
        return _live_server(config)
    if config.getoption("--replicas") != 1:
        raise pytest.UsageError("--replicas needs --live-server")
    return Target("in process", scenario_settings())


def _live_server(config: pytest.Config) -> Target:
    count: int = config.getoption("--replicas")
    if count < 1:
        raise pytest.UsageError("--replicas is at least 1")
    fast: bool = config.getoption("--fast-hashing")
    server_url: str | None = config.getoption("--database-url")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder = Path(tempfile.gettempdir()) / f"storefront-live-{worker}-{uuid.uuid4().hex[:8]}"
    if server_url:
        url = make_url(server_url).set(database=f"storefront_live_{worker}")
        database_url = url.render_as_string(hide_password=False)
    else:
        database_url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
    mail_port, provider_port = free_port(), free_port()
    settings = scenario_settings().model_copy(
        update={
            "env": "test" if fast else "production",
            "password_hash_profile": "fast" if fast else "owasp",
            "database_url": database_url,
            "auto_migrate": True,
            "email_backend": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": mail_port,
            "email_retry_seconds": LIVE_EMAIL_RETRY_SECONDS,
            "email_poll_seconds": 0.2,
            "email_send_timeout_seconds": LIVE_EMAIL_SEND_TIMEOUT_SECONDS,
            "payment_backend": "http",
            "payment_url": f"http://127.0.0.1:{provider_port}",
            "payment_timeout_seconds": LIVE_PROVIDER_TIMEOUT_SECONDS,
        }
    )
    # The first replica migrates the database; the others start on what it built.
    replicas = tuple(
        Replica(free_port(), settings.model_copy(update={"auto_migrate": index == 0}))
        for index in range(count)
    )
    return Target(
        "live server",
        settings,
        origins=tuple(r.origin for r in replicas),
        replicas=replicas,
        mail_port=mail_port,
        provider_port=provider_port,
        server_url=server_url,
        folder=folder,
    )


def _deployment(config: pytest.Config, base_url: str) -> Target:
    if config.getoption("--live-server"):
        raise pytest.UsageError("--base-url and --live-server exclude each other")
    try:
        settings = Settings()
    except ValidationError as error:
        raise pytest.UsageError(f"the deployment's APP_* settings are refused: {error}") from None
    missing = [
        name
        for name, value in [
            ("APP_SECRET_KEY", settings.secret_key),
            ("APP_ADMIN_EMAIL", settings.admin_email),
            ("APP_ADMIN_PASSWORD", settings.admin_password),
        ]
        if value is None
    ]
    if missing:
        raise pytest.UsageError(
            "--base-url reads the deployment's settings from the environment it was "
            f"started with; set {', '.join(missing)}"
        )
    mail_port, provider_port = (
        config.getoption("--mail-sink-port"),
        config.getoption("--provider-port"),
    )
    if getattr(config.option, "numprocesses", None) and (mail_port or provider_port):
        raise pytest.UsageError(
            "the suite's one SMTP sink and one provider listen on the ports given: "
            "run --base-url with them serially, without -n"
        )
    return Target(
        "deployment",
        settings,
        origins=(base_url,),
        mail_port=mail_port,
        provider_port=provider_port,
    )
