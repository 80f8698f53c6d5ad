"""The payment provider over the network: the fake of tools/, serving HTTP on loopback.

`HttpProvider` is the provider a store charges with APP_PAYMENT_BACKEND=http: in process
for the @network_provider scenarios, and for every scenario against a running server. It
reads and steers the fake the way steps read and steer the one in process.
"""

from app.core.config import Settings
from harness.ports import ProviderCharge, ProviderMode, ProviderRequest
from tools.fake_payment_provider import FakeProvider

# Short, so that "takes too long" fails a payment quickly; the provider's "slow" answers
# a second later than the store waits.
PROVIDER_TIMEOUT_SECONDS = 1.0


class HttpProvider:
    """The fake provider over HTTP, on a fixed port of 127.0.0.1 that survives a stop."""

    def __init__(self, port: int = 0, *, timeout_seconds: float = PROVIDER_TIMEOUT_SECONDS) -> None:
        self.fake = FakeProvider(delay=timeout_seconds + 1).start(port)
        self.url = self.fake.url
        self._port = int(self.url.rsplit(":", 1)[1])

    @property
    def waiting(self) -> int:
        """How many charges are held unanswered now."""
        return self.fake.waiting

    def behave(self, mode: ProviderMode) -> None:
        """Answer every charge as `mode` says; "unreachable" stops listening."""
        if mode == "unreachable":
            self.fake.stop()
            return
        self.fake.mode = mode

    def behave_next(self, mode: ProviderMode) -> None:
        """Answer the next charge as `mode` says."""
        self.fake.next_modes.append(mode)

    def hold(self) -> None:
        """Keep every charge unanswered until `release`."""
        self.fake.hold()

    def release(self) -> None:
        """Answer the charges held."""
        self.fake.release()

    def asked(self) -> list[ProviderRequest]:
        """Every charge posted to /charges, as the provider received it."""
        asked = []
        for request in list(self.fake.requests):
            body = request["body"] if isinstance(request["body"], dict) else {}
            if request["path"] != "/charges" or set(body) != {"amount", "currency", "reference"}:
                raise AssertionError(f"the store sent the provider {request!r}")
            asked.append(
                ProviderRequest(
                    str(body["reference"]),
                    str(body["amount"]),
                    str(body["currency"]),
                    str(request["idempotency_key"]),
                )
            )
        return asked

    def made(self) -> list[ProviderCharge]:
        """Every charge made or declined, in order."""
        return [
            ProviderCharge(c.reference, c.amount, c.currency, c.idempotency_key, c.id, c.status)
            for c in list(self.fake.charges)
        ]

    def reset(self) -> None:
        """Approve again, forget every charge, and listen again if stopped."""
        self.fake.release()
        self.fake.forget()
        if not self.fake.running:
            self.fake.start(self._port)

    def stop(self) -> None:
        """Stop listening, for good."""
        self.fake.stop()


def charging_over_network(settings: Settings, provider: HttpProvider) -> Settings:
    """Return the settings of a store that charges this provider (APP_PAYMENT_BACKEND=http).

    Its address is written with a trailing slash, as an operator may (WORLD-09); the
    live servers' is written without one."""
    return settings.model_copy(
        update={
            "payment_backend": "http",
            "payment_url": f"{provider.url}/",
            "payment_timeout_seconds": PROVIDER_TIMEOUT_SECONDS,
        }
    )
