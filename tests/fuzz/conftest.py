"""A store of its own for each schemathesis run, in process, and its OpenAPI document.

Each test gets a copy of the migrated template in its own file, a store built on it with
the fakes as its ports, and a shopper and the store admin signed in. schemathesis drives
the store through its ASGI transport; the store's lifespan runs on schemathesis' loop and
is ended when the test ends.
"""

import importlib
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.python import asgi

from app.core.config import Settings
from app.main import create_app
from harness.databases import SchemaTemplate
from harness.fakes import FakeClock, FakeMailer, FakePaymentGateway
from harness.settings import ADMIN, scenario_settings

# The CI run: a fixed seed and a bound that fits CI. The nightly run raises the bound and
# draws a new seed (README, "Security"): STOREFRONT_FUZZ_EXAMPLES=200 STOREFRONT_FUZZ_SEED=random.
SEED = os.environ.get("STOREFRONT_FUZZ_SEED", "20261202")
MAX_EXAMPLES = int(os.environ.get("STOREFRONT_FUZZ_EXAMPLES", "15"))
STATEFUL_STEPS = int(os.environ.get("STOREFRONT_FUZZ_STEPS", "10"))
# No request of the store may take longer than this, whatever it is sent.
REQUEST_TIMEOUT_SECONDS = 10
SHOPPER = {
    "email": "fuzz.shopper@example.com",
    "username": "fuzzshopper",
    "password": "fuzz-passw0rd",
}


# `-p no:schemathesis` (pyproject.toml) keeps the plugin, and its 0.5 s of imports, out of
# every other run; these tests load it under a name of their own.
PLUGIN = "schemathesis-for-fuzz"


def pytest_configure(config: pytest.Config) -> None:
    """Load schemathesis' pytest plugin, which turns `schema.parametrize()` into tests."""
    if not config.pluginmanager.has_plugin(PLUGIN):
        config.pluginmanager.register(importlib.import_module("schemathesis.pytest.plugin"), PLUGIN)


def store_settings(database_url: str = "sqlite+aiosqlite://") -> Settings:
    """The scenario store's settings, on its own database, with a worker that polls slowly."""
    return scenario_settings().model_copy(
        update={"database_url": database_url, "email_poll_seconds": 0.5}
    )


def fuzz_config() -> schemathesis.Config:
    """schemathesis' settings: every check, both generation modes, the seed and the bound."""
    data: dict[str, object] = {
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
        "request-timeout": REQUEST_TIMEOUT_SECONDS,
    }
    if SEED != "random":
        data["seed"] = int(SEED)
    return schemathesis.Config.from_dict(data)


@dataclass
class FuzzStore:
    """A running store and the passes of its shopper and admin."""

    app: FastAPI
    shopper_token: str
    admin_token: str


def _sign_in(client: asgi.ASGIClient, name: str, password: str) -> str:
    answer = client.post("/api/v1/login", data={"username": name, "password": password})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


@contextmanager
def open_store(template: SchemaTemplate, folder: Path) -> Iterator[FuzzStore]:
    """A store on a new copy of the migrated template, its shopper and the admin signed in."""
    path = folder / f"fuzz-{next(_STORES)}.db"
    shutil.copyfile(template.path, path)
    app = create_app(
        store_settings(f"sqlite+aiosqlite:///{path}"),
        mailer=FakeMailer(),
        clock=FakeClock(),
        payment_gateway=FakePaymentGateway(),
    )
    try:
        with asgi.get_client(app) as client:
            answer = client.post("/api/v1/register", json=SHOPPER)
            assert answer.status_code == 201, answer.text
            yield FuzzStore(
                app=app,
                shopper_token=_sign_in(client, SHOPPER["username"], SHOPPER["password"]),
                admin_token=_sign_in(client, ADMIN.username, ADMIN.password),
            )
    finally:
        asgi.shutdown_lifespans()
        path.unlink(missing_ok=True)


_STORES = itertools.count()


def sent_as(store: FuzzStore, who: str) -> dict[str, object]:
    """What a request is sent with: the store, and the pass of who sends it."""
    token = store.shopper_token if who == "shopper" else store.admin_token
    return {"app": store.app, "headers": {"Authorization": f"Bearer {token}"}}


@pytest.fixture
def fuzz_store(schema_template: SchemaTemplate, tmp_path: Path) -> Iterator[FuzzStore]:
    """A store on a database no other test touched, with a shopper and the admin signed in."""
    with open_store(schema_template, tmp_path) as store:
        yield store


@pytest.fixture(params=["shopper", "admin"])
def signed_in(request: pytest.FixtureRequest, fuzz_store: FuzzStore) -> dict[str, object]:
    """What every request of a run is sent with: the store, and the pass of who sends it."""
    return sent_as(fuzz_store, str(request.param))
