"""Load runs: the store under uvicorn (one worker, production settings) against the plain app.

Everything listens on 127.0.0.1 only; each `wrk` run is bounded by its duration and a
timeout, and every server this module starts is stopped when its block ends.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-production-signing-key-0123456789abcdef"
PRODUCTION_PORTS = {
    "APP_EMAIL_BACKEND": "smtp",
    "APP_SMTP_HOST": "127.0.0.1",
    "APP_SMTP_PORT": "9",
    "APP_PAYMENT_BACKEND": "http",
    "APP_PAYMENT_URL": "http://127.0.0.1:9",
}
_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
LOGIN_SCRIPT = """
local bodies = {BODIES}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/login",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, bodies[(n % #bodies) + 1])
end
"""


@dataclass(frozen=True)
class Shopper:
    """A seeded account to sign in as."""

    username: str
    password: str


def ensure_wrk() -> str:
    """Return wrk's path, installing Debian's package first when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError("wrk is missing: apt-get install wrk (needs root)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=300)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, timeout=300)
    return shutil.which("wrk") or "wrk"


def _python(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def seed_store(database_url: str, *, products: int, shoppers: int) -> list[Shopper]:
    """Migrate the database and fill it with the app's own seed; return its shoppers."""
    env = {"APP_DATABASE_URL": database_url, "APP_ENV": "development"}
    _python(["-m", "app", "migrate"], env)
    args = ["--seed", "1", "--products", str(products), "--shoppers", str(shoppers)]
    out = _python(["-m", "app", "seed", *args], env)
    found = re.findall(r"^\s+(\S+) / (\S+)$", out, re.MULTILINE)
    return [Shopper(username, password) for username, password in found]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A uvicorn process serving on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    base_url: str

    def peak_rss_mb(self) -> float:
        """Return the process's peak resident memory so far (VmHWM)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        return kib / 1024


@contextmanager
def serving(app: str, env: dict[str, str], ready_path: str) -> Iterator[Server]:
    """Run `uvicorn app` with one worker until the block ends."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ | env)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(server.base_url + ready_path, timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not start") from None
                time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def store_env(database_url: str) -> dict[str, str]:
    """Production settings on the given database."""
    return {
        "APP_ENV": "production",
        "APP_SECRET_KEY": SECRET,
        "APP_DATABASE_URL": database_url,
        # Production refuses the console mailer and the sandbox provider. The load runs
        # send no mail worth reading and charge nothing: both point at a closed port.
        **PRODUCTION_PORTS,
    }


def sign_in(base_url: str, shopper: Shopper) -> str:
    """Return a bearer token for a shopper."""
    body = urllib.parse.urlencode({"username": shopper.username, "password": shopper.password})
    request = urllib.request.Request(base_url + "/api/v1/login", data=body.encode())
    with urllib.request.urlopen(request, timeout=30) as reply:
        token: str = json.load(reply)["access_token"]
    return token


def wrk(
    url: str,
    *,
    seconds: float,
    connections: int,
    folder: Path,
    headers: tuple[str, ...] = (),
    script: str | None = None,
) -> dict[str, float]:
    """Load one URL for `seconds` with `connections`; return rps, p50 and p99 (ms), errors."""
    command = [ensure_wrk(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        path = folder / "wrk.lua"
        path.write_text(script)
        command += ["-s", str(path)]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * _UNIT_MS[unit] for p, v, unit in _LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": latency.get("50", float("nan")),
        "p99_ms": latency.get("99", float("nan")),
        "errors": float(errors.group(1) if errors else 0)
        + float(timeouts.group(1) if timeouts else 0),
    }


def login_script(shoppers: list[Shopper]) -> str:
    """A wrk script signing in as each shopper in turn."""
    bodies = [
        urllib.parse.urlencode({"username": s.username, "password": s.password}) for s in shoppers
    ]
    return LOGIN_SCRIPT.replace("{BODIES}", "{" + ", ".join(json.dumps(b) for b in bodies) + "}")
