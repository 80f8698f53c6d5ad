"""The live modes' promises: requests spread over the replicas, and no process outlives a run.

The process tests start the real suite with --live-server in a session of its own, wait
until its store is up, interrupt or kill it, and look for anything of that session
still running.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from harness.live.transport import RoundRobin

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration]


@pytest.mark.asyncio
async def test_each_request_goes_to_the_next_replica_in_turn() -> None:
    """Three replicas, five requests: the first, second, third, first, second."""
    seen: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.port or 0)
        return httpx.Response(200)

    origins = ("http://127.0.0.1:1001", "http://127.0.0.1:1002", "http://127.0.0.1:1003")
    transport = RoundRobin(origins, httpx.MockTransport(answer))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:1001") as client:
        for _ in range(5):
            await client.get("/health")
    assert seen == [1001, 1002, 1003, 1001, 1002]


def _session_members(session: int) -> list[tuple[int, str]]:
    """The processes of one session: their pids and command lines."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session and fields[0] != "Z":
            members.append((int(entry.name), command))
    return members


def _start_live_suite(tmp_path: Path) -> "subprocess.Popen[bytes]":
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "steps", "--live-server", "--replicas", "2"]
        + ["--fast-hashing", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"],
        cwd=PROJECT,
        stdout=(tmp_path / "run.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for_servers(suite: "subprocess.Popen[bytes]", count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        servers = [c for _, c in _session_members(suite.pid) if "uvicorn" in c]
        if len(servers) == count:
            return
        assert suite.poll() is None, "the suite ended before its servers were up"
        time.sleep(0.1)
    raise AssertionError("the suite's servers never came up")


def _wait_until_alone(session: int, seconds: float) -> list[tuple[int, str]]:
    deadline = time.monotonic() + seconds
    while (left := _session_members(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGKILL], ids=["interrupted (Ctrl-C)", "killed (kill -9)"]
)
def test_no_server_outlives_the_suite(tmp_path: Path, stop: signal.Signals) -> None:
    """Interrupted or killed mid-run, the suite leaves no server process behind."""
    suite = _start_live_suite(tmp_path)
    try:
        _wait_for_servers(suite, count=2)
        os.kill(suite.pid, stop)
        # Generous: a loaded machine (the order-independence runs) once needed over 30 s
        # to finish the scenario under way and stop both servers; nothing is left either way.
        suite.wait(90)
        left = _wait_until_alone(suite.pid, seconds=15)
    finally:
        for pid, _ in _session_members(suite.pid):
            os.kill(pid, signal.SIGKILL)
    assert left == [], (left, (tmp_path / "run.log").read_text()[-2000:])
