"""The service under load: health, a read, a list, /me and sign-ins, beside the plain app."""

import asyncio
import statistics
from pathlib import Path
from typing import Any

from bench.load import Server, login_script, seed_store, serving, sign_in, store_env, wrk

READ_PATH = "/api/v1/products/1"


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _figures(name: str, runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        f"rps_{name}": _median(runs, "rps"),
        f"p50_{name}_ms": _median(runs, "p50_ms"),
        f"p99_{name}_ms": _median(runs, "p99_ms"),
        f"errors_{name}": sum(run["errors"] for run in runs),
    }


def measure_service(
    folder: Path, *, seconds: float, connections: int, rounds: int, shoppers: int, products: int
) -> dict[str, Any]:
    """Load each route of the store, and the plain app's read in turn with the store's."""
    url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
    accounts = seed_store(url, products=products, shoppers=shoppers)
    plain_env = {"PLAIN_DATABASE_URL": url}
    runs: dict[str, list[dict[str, float]]] = {}

    def load(server: Server, name: str, path: str, **kwargs: Any) -> None:
        runs.setdefault(name, []).append(
            wrk(
                server.base_url + path,
                seconds=seconds,
                connections=connections,
                folder=folder,
                **kwargs,
            )
        )

    with (
        serving("app.main:app", store_env(url), "/health") as store,
        serving("bench.plain_app:app", plain_env, "/products/1") as plain,
    ):
        token = sign_in(store.base_url, accounts[0])
        # The read, ours and the plain app's in turn, so that a busy moment slows both.
        for n in range(rounds):
            order = [(store, "read", READ_PATH), (plain, "plain_read", "/products/1")]
            for server, name, path in order if n % 2 == 0 else order[::-1]:
                load(server, name, path)
        for _ in range(rounds):
            load(store, "health", "/health")
            load(store, "list", "/api/v1/products")
            load(store, "me", "/api/v1/me", headers=(f"Authorization: Bearer {token}",))
        load(store, "login", "/api/v1/login", script=login_script(accounts))
        peak_rss_mb = store.peak_rss_mb()
    figures: dict[str, Any] = {}
    for name, measured in runs.items():
        figures |= _figures(name, measured)
    figures["peak_rss_mb"] = peak_rss_mb
    figures["read_vs_plain"] = figures["rps_read"] / figures["rps_plain_read"]
    figures["p99_read_vs_plain"] = figures["p99_plain_read_ms"] / figures["p99_read_ms"]
    return figures


def measure_read_on_postgresql(
    folder: Path, server_url: str, *, seconds: float, connections: int, products: int
) -> dict[str, Any]:
    """Load the store's read served from a database of its own on a PostgreSQL server."""
    from harness.databases import ServerDatabase

    async def create() -> str:
        database = await ServerDatabase.create(server_url, "storefront_bench")
        url = database.engine.url.render_as_string(hide_password=False)
        await database.dispose()
        return url

    url = asyncio.run(create())
    seed_store(url, products=products, shoppers=1)
    with serving("app.main:app", store_env(url), "/health") as store:
        run = wrk(
            store.base_url + READ_PATH, seconds=seconds, connections=connections, folder=folder
        )
    return {
        "rps_read_pg": run["rps"],
        "p50_read_pg_ms": run["p50_ms"],
        "p99_read_pg_ms": run["p99_ms"],
        "errors_read_pg": run["errors"],
    }
