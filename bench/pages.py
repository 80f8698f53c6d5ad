"""The product list at 100,000 products: the last page against the first, with query plans.

The store runs in process (its ASGI app over httpx), on a migrated SQLite file filled in
bulk; each request is timed from the client, first and last page in turn.
"""

import asyncio
import sqlite3
import statistics
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, insert

from app.core.config import Settings
from app.core.db import make_engine
from app.core.migrations import upgrade
from app.main import create_app
from app.products.models import Product
from bench.load import PRODUCTION_PORTS, SECRET

LIMIT = 100


async def _fill(url: str, products: int) -> None:
    engine = make_engine(url)
    await upgrade(engine)
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    rows = [
        {
            "name": f"Product {n}",
            "description": "A sentence of twelve words that tells a shopper what this is.",
            "price": Decimal("19.99"),
            "stock": 10,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(products)
    ]
    async with engine.begin() as connection:
        for start in range(0, products, 10_000):
            await connection.execute(insert(Product), rows[start : start + 10_000])
    await engine.dispose()


def _plans(path: Path, statements: list[tuple[str, Any]]) -> list[str]:
    lines = []
    with sqlite3.connect(path) as connection:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            lines.append(" ".join(statement.split()))
            lines.extend(f"    {row[-1]}" for row in plan)
    connection.close()
    return lines


async def _measure(path: Path, products: int, rounds: int) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{path}"
    await _fill(url, products)
    settings = Settings(
        _env_file=None,
        env="production",
        secret_key=SECRET,
        database_url=url,
        auto_migrate=False,
        email_backend="smtp",
        smtp_port=int(PRODUCTION_PORTS["APP_SMTP_PORT"]),
        payment_backend="http",
        payment_url=PRODUCTION_PORTS["APP_PAYMENT_URL"],
    )
    app = create_app(settings)
    pages = {"first": "/api/v1/products?skip=0&limit=100", "deep": ""}
    pages["deep"] = f"/api/v1/products?skip={products - LIMIT}&limit={LIMIT}"
    samples: dict[str, list[float]] = {name: [] for name in pages}
    seen: list[tuple[str, Any]] = []
    plans: dict[str, list[str]] = {}
    async with LifespanManager(app):
        engine = app.state.database.engine.sync_engine

        def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
            seen.append((statement, parameters))

        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client:
            for name, path_query in pages.items():
                event.listen(engine, "before_cursor_execute", record)
                reply = await client.get(path_query)
                event.remove(engine, "before_cursor_execute", record)
                body = reply.json()
                assert reply.status_code == 200 and body["total"] == products, reply.text
                assert len(body["items"]) == min(LIMIT, products), name
                plans[name] = _plans(path, seen)
                seen.clear()
            for n in range(rounds):
                for name in pages if n % 2 == 0 else list(pages)[::-1]:
                    started = time.perf_counter()
                    await client.get(pages[name])
                    samples[name].append((time.perf_counter() - started) * 1000)
    first, deep = (statistics.median(samples[name]) for name in ("first", "deep"))
    return {
        "page_first_ms": first,
        "page_deep_ms": deep,
        "page_ratio": deep / first,
        "page_products": products,
        "page_plans": plans,
    }


def measure_pages(folder: Path, *, products: int, rounds: int) -> dict[str, Any]:
    """Fill a store with `products` and time its first and last page, limit 100."""
    return asyncio.run(_measure(folder / "pages.db", products, rounds))
