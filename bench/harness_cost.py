"""What one scenario costs the harness, against the seed-style fixture, side by side.

Run by hand, never by pytest:  python bench/harness_cost.py [--rounds N]

(a) harness: an empty scenario as conftest.py runs it, which opens its database once:
    Faker seeded from the scenario,
    the session's in-memory database (each new connection a fresh copy of the migrated
    template), the app's lifespan entered and left, an httpx client over ASGITransport,
    all driven through the same anyio blocking portal; then the pool is disposed.
(b) seed-style: the usual fixture: a new engine, `metadata.create_all` before the test
    and `drop_all` after it (in-memory SQLite, the cheapest form of it), with the same
    app, lifespan, client and Faker.

The two alternate round by round (and swap places every round), so a noisy neighbour
on a shared machine slows both alike. `--with-request` adds one GET /health to both
(a scenario that touches its database at least once).
"""

import argparse
import json
import logging
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(
    0, str(ROOT)
)  # run as a script: import `app`, `harness` and `tools` from the checkout

from anyio.from_thread import BlockingPortal, start_blocking_portal  # noqa: E402
from faker import Faker  # noqa: E402
from httpx import ASGITransport, AsyncClient  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.pool import AsyncAdaptedQueuePool  # noqa: E402

from app.core.db import Database, make_engine  # noqa: E402
from app.main import create_app  # noqa: E402
from app.models import metadata  # noqa: E402
from harness.databases import SchemaTemplate  # noqa: E402
from harness.fakes import FakeClock, FakeMailer, FakePaymentGateway  # noqa: E402
from harness.first_start import first_start  # noqa: E402
from harness.settings import scenario_settings  # noqa: E402
from harness.stores import running as lifespan  # noqa: E402

TARGET_MS = 3.0
TARGET_RATIO = 7.0
VERDICT = {True: "PASS", False: "FAIL"}
Scenario = Callable[[int], None]


class PoolErrors(logging.Handler):
    """Tally what the pool logs when the lifespan's end cancels an outbox poll midway."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: Counter[str] = Counter()
        logger = logging.getLogger("sqlalchemy.pool")
        logger.addHandler(self)
        logger.propagate = False

    def emit(self, record: logging.LogRecord) -> None:
        self.messages[record.getMessage()] += 1


class Bench:
    """The session-wide pieces of the harness, and one scenario of each style."""

    def __init__(self, portal: BlockingPortal, folder: Path, *, with_request: bool) -> None:
        self.portal = portal
        self.with_request = with_request
        # The same settings, fakes and template as harness.fixtures' session fixtures.
        settings = scenario_settings()
        self.mailer = FakeMailer()
        self.clock = FakeClock()
        self.payments = FakePaymentGateway()
        self.app = create_app(
            settings, mailer=self.mailer, clock=self.clock, payment_gateway=self.payments
        )
        self.faker = Faker("en_US")
        prepare = partial(first_start, settings=settings)
        self.template = portal.call(SchemaTemplate.build, folder, prepare)
        self.memory_database = self.template.memory_database()

    def _seed_faker(self, n: int) -> None:
        self.faker.seed_instance(zlib.crc32(f"1234:scenario-{n}".encode()))
        self.faker.unique.clear()

    def _run_app(self, database: Database) -> None:
        """The `service` and `api` fixtures: lifespan, client, (a request), teardown."""
        self.mailer.reset()
        self.clock.reset()
        self.payments.reset()
        self.app.state.database = database
        try:
            with self.portal.wrap_async_context_manager(lifespan(self.app)):
                client = AsyncClient(
                    transport=ASGITransport(app=self.app), base_url="http://storefront.test"
                )
                try:
                    # The scenario's database is made when first used: use it once, so that
                    # its fresh copy is part of the cost (create_all made seed-style's).
                    self.portal.call(_touch, database)
                    if self.with_request:
                        response = self.portal.call(client.get, "/health")
                        assert response.status_code == 200, response.text
                finally:
                    self.portal.call(client.aclose)
        finally:
            self.app.state.database = None

    def harness(self, n: int) -> None:
        """One empty scenario with the real harness."""
        self._seed_faker(n)
        try:
            self._run_app(self.memory_database)
        finally:
            self.portal.call(self.memory_database.reset)

    def seed_style(self, n: int) -> None:
        """One empty test with a create_all / drop_all fixture."""
        self._seed_faker(n)
        database = self.portal.call(_create_all)
        try:
            self._run_app(database)
        finally:
            self.portal.call(_drop_all, database)


async def _touch(database: Database) -> None:
    async with database.session() as session:
        await session.execute(text("SELECT count(*) FROM user"))


async def _create_all() -> Database:
    # One in-memory database, one connection taken in turns (a StaticPool would let the
    # outbox worker and a request begin two transactions on the same connection).
    engine = make_engine(
        "sqlite+aiosqlite://",
        poolclass=AsyncAdaptedQueuePool,
        pool_size=1,
        max_overflow=0,
        connect_args={},
    )
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return Database(engine)


async def _drop_all(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
    await database.dispose()


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(scenarios: dict[str, Scenario], rounds: int, warmup: int) -> dict[str, list[float]]:
    """Time each scenario once per round, alternating which goes first."""
    samples: dict[str, list[float]] = {name: [] for name in scenarios}
    names = list(scenarios)
    for n in range(warmup + rounds):
        order = names if n % 2 == 0 else names[::-1]
        for name in order:
            started = time.perf_counter()
            scenarios[name](n)
            elapsed = (time.perf_counter() - started) * 1000
            if n >= warmup:
                samples[name].append(elapsed)
    return samples


def report(samples: dict[str, list[float]], connections_per_scenario: float) -> bool:
    """Print the figures and the verdict; return whether both targets are met."""
    print(f"{'variant':<12}{'median ms':>11}{'p90 ms':>9}{'min ms':>9}{'n':>6}")
    for name, values in samples.items():
        median, p90 = statistics.median(values), _percentile(values, 0.9)
        print(f"{name:<12}{median:>11.2f}{p90:>9.2f}{min(values):>9.2f}{len(values):>6}")
    harness = statistics.median(samples["harness"])
    ratio = statistics.median(samples["seed-style"]) / harness
    print(f"fresh database copies per harness scenario: {connections_per_scenario:.2f}")
    print(f"ratio seed-style / harness (medians): {ratio:.1f}x")
    fast_enough = harness <= TARGET_MS
    cheap_enough = ratio >= TARGET_RATIO
    print(f"target harness median <= {TARGET_MS:.0f} ms: {VERDICT[fast_enough]}")
    print(f"target >= {TARGET_RATIO:.0f}x cheaper than seed-style: {VERDICT[cheap_enough]}")
    return fast_enough and cheap_enough


def breakdown(bench: Bench, repeat: int) -> None:
    """Print where an empty harness scenario spends its time, piece by piece."""
    portal, app, database = bench.portal, bench.app, bench.memory_database

    async def nothing() -> None:
        return None

    def lifespan_only() -> None:
        app.state.database = database
        with portal.wrap_async_context_manager(lifespan(app)):
            pass
        portal.call(database.dispose)  # let no copy survive into the next piece

    def client_only() -> None:
        client = AsyncClient(transport=ASGITransport(app=app), base_url="http://storefront.test")
        portal.call(client.aclose)

    pieces: dict[str, Callable[[], object]] = {
        "portal round trip (one portal.call)": lambda: portal.call(nothing),
        "Faker seed_instance + unique.clear": lambda: bench._seed_faker(7),
        "lifespan enter+exit, then dispose": lifespan_only,
        "client open+close": client_only,
        "dispose of an unused pool": lambda: portal.call(database.dispose),
    }
    print("where an empty harness scenario's time goes (medians):")
    for name, piece in pieces.items():
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            piece()
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  {name:<40}{statistics.median(timings):>7.3f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="measured rounds (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured rounds first")
    parser.add_argument("--with-request", action="store_true", help="send GET /health once")
    parser.add_argument("--breakdown", action="store_true", help="also time the pieces")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON figures")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.machine()}, {len(metadata.tables)} tables, rounds={args.rounds}, "
        f"warmup={args.warmup}, scenario={'one GET /health' if args.with_request else 'empty'}"
    )
    pool_errors = PoolErrors()
    with tempfile.TemporaryDirectory() as folder, start_blocking_portal("asyncio") as portal:
        bench = Bench(portal, Path(folder), with_request=args.with_request)
        scenarios: dict[str, Scenario] = {"harness": bench.harness, "seed-style": bench.seed_style}
        samples = measure(scenarios, args.rounds, args.warmup)
        copies = bench.memory_database.copies / (args.rounds + args.warmup)
        met = report(samples, copies)
        if args.json:
            harness_ms = statistics.median(samples["harness"])
            seed_style_ms = statistics.median(samples["seed-style"])
            figures = {"harness_ms": harness_ms, "seed_style_ms": seed_style_ms}
            print(json.dumps(figures | {"harness_ratio": seed_style_ms / harness_ms}))
        for message, count in pool_errors.messages.items():
            print(f"sqlalchemy.pool logged {count}x: {message!r} (a poll cancelled at teardown)")
        if args.breakdown:
            breakdown(bench, args.rounds)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
