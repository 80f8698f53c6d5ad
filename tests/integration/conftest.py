"""Fixtures of the integration tests: real servers on the loopback interface."""

import socket
from collections.abc import Iterator

import pytest

from tools.fake_payment_provider import FakeProvider


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    """A fake payment provider serving HTTP on 127.0.0.1, on a free port."""
    running = FakeProvider(delay=2.0).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
