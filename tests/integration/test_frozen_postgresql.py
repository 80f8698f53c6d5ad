"""A PostgreSQL server frozen outright (SIGSTOP): the store answers in time, and recovers.

The server is a cluster of this test's own, so that freezing it stops no one else's
work. The test needs PostgreSQL's server binaries (Debian's `postgresql` package, which
`scripts/postgres.sh` installs) and skips, saying so, without them.
"""

import asyncio
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.core.config import Settings
from app.health.router import HEALTH_TIMEOUT_SECONDS
from app.main import create_app
from harness.fakes import FakeMailer

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.asyncio(loop_scope="function")]

STATEMENT_SECONDS = 1.0
CONNECT_SECONDS = 1.0
ALICE = {"email": "alice@example.com", "username": "alice", "password": "wonderland42"}


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("needs PostgreSQL's server binaries (bash scripts/postgres.sh installs them)")
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the postgres user when root, since PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        pytest.skip("running as root needs runuser to start PostgreSQL as its own user")
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _own_cluster() -> Iterator[tuple[int, Path]]:
    """Start a PostgreSQL cluster in a folder of its own; yield its port and data folder."""
    binaries, port = _binaries(), _free_port()
    # Not under pytest's tmp_path, whose parents the postgres user may not enter.
    folder = Path(tempfile.mkdtemp(prefix="storefront-frozen-postgresql-"))
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    run = {"check": True, "capture_output": True, "timeout": 60}
    subprocess.run(
        _as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
        **run,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-w", "start"]
    subprocess.run(_as_postgres([*start, "-l", str(folder / "server.log")]), **run)
    try:
        yield port, data
    finally:
        _signal_cluster(data, signal.SIGCONT)
        stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _signal_cluster(data: Path, signum: signal.Signals) -> None:
    """Send a signal to the postmaster and every process it started."""
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return
    postmaster = int(pid_file.read_text().split()[0])
    children = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            children.append(int(Path(stat).parent.name))
    for pid in [postmaster, *children]:
        with suppress(ProcessLookupError):
            os.kill(pid, signum)


async def test_a_frozen_database_gets_clear_answers_in_time_and_the_store_recovers() -> None:
    with _own_cluster() as (port, data):
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            env="test",
            database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres",
            password_hash_profile="fast",
            email_poll_seconds=60,
            database_connect_timeout_seconds=CONNECT_SECONDS,
            database_statement_timeout_seconds=STATEMENT_SECONDS,
        )
        app = create_app(settings, mailer=FakeMailer())
        async with LifespanManager(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://store/api/v1", timeout=30
            ) as client:
                assert (await client.post("/register", json=ALICE)).status_code == 201
                form = {"username": "alice", "password": ALICE["password"]}
                token = (await client.post("/login", data=form)).json()["access_token"]
                me = {"Authorization": f"Bearer {token}"}
                assert (await client.get("/me", headers=me)).status_code == 200

                _signal_cluster(data, signal.SIGSTOP)
                try:
                    started = time.monotonic()
                    health = await client.get("http://store/health")
                    health_seconds = time.monotonic() - started
                    started = time.monotonic()
                    account = await client.get("/me", headers=me)
                    account_seconds = time.monotonic() - started
                finally:
                    _signal_cluster(data, signal.SIGCONT)

                assert (health.status_code, health.json()["database"]) == (503, "unavailable")
                assert health_seconds < HEALTH_TIMEOUT_SECONDS + 1
                assert account.status_code == 500
                assert account.json() == {"detail": "Internal server error"}
                # The pooled connection's ping, then a new connection: each within the
                # connect timeout.
                assert account_seconds < 2 * CONNECT_SECONDS + 1

                deadline = time.monotonic() + 15
                while (await client.get("http://store/health")).status_code != 200:
                    assert time.monotonic() < deadline, "the store did not recover"
                    await asyncio.sleep(0.2)
                assert (await client.get("/me", headers=me)).json()["username"] == "alice"
