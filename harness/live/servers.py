"""The store's server processes: `uvicorn app.main:app`, started and stopped by the suite.

Each process is told to die with the suite (Linux's parent-death signal), so that even a
suite killed outright leaves none behind; a suite that ends or is interrupted stops them
itself, and waits for them.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from harness.live.environment import environment_of
from harness.target import Replica

PROJECT = Path(__file__).resolve().parents[2]
START_SECONDS = 60.0
STOP_SECONDS = 10.0
_PR_SET_PDEATHSIG = 1


class ServerFailed(RuntimeError):
    """A server process did not come up; its log says why."""


def _die_with_the_suite() -> None:  # pragma: no cover - runs in the child before exec
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class ServerProcess:
    """One running replica, and the log its output goes to."""

    replica: Replica
    process: "subprocess.Popen[bytes]"
    log: Path

    def tail(self, lines: int = 40) -> str:
        """The end of the server's log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_until_healthy(self) -> None:
        """Wait until /health answers 200; fail with the log if the server dies first."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"the store on {self.replica.origin} exited:\n{self.tail()}")
            try:
                if httpx.get(f"{self.replica.origin}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise ServerFailed(f"the store on {self.replica.origin} did not come up:\n{self.tail()}")

    def kill(self) -> None:
        """Kill the server outright, as the kernel's OOM killer or a lost machine would."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        """Ask the server to stop, wait for it, and kill it if it will not."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(replica: Replica, folder: Path) -> ServerProcess:
    """Start one replica: uvicorn on its port, configured by `APP_*` alone."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    environment |= environment_of(replica.settings)
    log = folder / f"server-{replica.port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
            + ["--port", str(replica.port), "--no-access-log", "--log-level", "warning"]
            # As the README tells an operator who runs plain uvicorn: no server header, and
            # headers cut off at the service's own limit before they are buffered.
            + ["--no-server-header", "--http", "app.core.http_server:StoreH11Protocol"]
            + ["--h11-max-incomplete-event-size", str(replica.settings.max_header_bytes)],
            cwd=PROJECT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_the_suite,  # noqa: PLW1509 - no threads hold locks here
        )
    return ServerProcess(replica, process, log)


def restarted(server: ServerProcess) -> ServerProcess:
    """Start a stopped or killed replica again on its port, and wait until it is healthy."""
    again = start_server(server.replica, server.log.parent)
    again.wait_until_healthy()
    return again


@contextmanager
def running_servers(replicas: tuple[Replica, ...], folder: Path) -> Iterator[list[ServerProcess]]:
    """Start the replicas (the first, which migrates, before the others) until the block ends."""
    servers: list[ServerProcess] = []
    try:
        for group in (replicas[:1], replicas[1:]):
            started = [start_server(replica, folder) for replica in group]
            servers.extend(started)
            for server in started:
                server.wait_until_healthy()
        yield servers
    finally:
        # The list as it is now: a replica killed and started again is stopped too.
        for server in servers:
            server.stop()
