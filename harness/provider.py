"""The payment provider over the network: the fake of tools/, serving HTTP on loopback."""

from collections.abc import Iterator
from contextlib import contextmanager

from app.core.config import Settings
from tools.fake_payment_provider import FakeProvider

# Short, so that the provider's "takes too long" fails a payment quickly.
PROVIDER_TIMEOUT_SECONDS = 1.0


@contextmanager
def network_provider() -> Iterator[FakeProvider]:
    """Serve the fake provider on a free port of 127.0.0.1 until the block ends."""
    provider = FakeProvider(delay=PROVIDER_TIMEOUT_SECONDS + 1).start()
    try:
        yield provider
    finally:
        provider.stop()


def charging_over_network(settings: Settings, provider: FakeProvider) -> Settings:
    """Return the settings of a store that charges this provider (APP_PAYMENT_BACKEND=http)."""
    return settings.model_copy(
        update={
            "payment_backend": "http",
            "payment_url": provider.url,
            "payment_timeout_seconds": PROVIDER_TIMEOUT_SECONDS,
        }
    )
