"""The HTTP payment gateway against a fake provider serving real HTTP on the loopback."""

import asyncio
import socket
import struct
import time
from decimal import Decimal

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from app.payments.adapters import HttpPaymentGateway
from app.payments.ports import Charge, ChargeStatus, ProviderUnavailable
from harness.fakes import FakeClock, FakeMailer
from tools.fake_payment_provider import FakeProvider

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="function")]


def _charge(key: str = "order-7-attempt-1") -> Charge:
    return Charge(amount=Decimal("12.30"), currency="USD", reference="order-7", idempotency_key=key)


def _gateway(provider: FakeProvider, timeout: float = 2.0) -> HttpPaymentGateway:
    return HttpPaymentGateway(base_url=provider.url, timeout=timeout)


async def test_an_approved_charge_sends_the_contract_request(provider: FakeProvider) -> None:
    result = await _gateway(provider).charge(_charge())

    assert result.status == ChargeStatus.SUCCEEDED
    assert result.transaction_id == provider.charges[0].id
    assert provider.requests == [
        {
            "path": "/charges",
            "body": {"amount": "12.30", "currency": "USD", "reference": "order-7"},
            "idempotency_key": "order-7-attempt-1",
        }
    ]


async def test_a_declined_charge_is_reported_as_declined(provider: FakeProvider) -> None:
    provider.mode = "decline"
    result = await _gateway(provider).charge(_charge())
    assert result.status == ChargeStatus.DECLINED
    assert [c.status for c in provider.charges] == ["declined"]


async def test_the_same_key_is_charged_once(provider: FakeProvider) -> None:
    gateway = _gateway(provider)
    first = await gateway.charge(_charge())
    again = await gateway.charge(_charge())
    other = await gateway.charge(_charge("order-7-attempt-2"))
    assert first == again and other.transaction_id != first.transaction_id
    assert len(provider.charges) == 2 and len(provider.requests) == 3


async def test_charges_are_posted_below_the_base_url(provider: FakeProvider) -> None:
    await HttpPaymentGateway(base_url=f"{provider.url}/", timeout=2).charge(_charge())
    # The fake provider serves /charges only: below /v1 it answers 404, so it is unavailable.
    with pytest.raises(ProviderUnavailable, match="404"):
        await HttpPaymentGateway(base_url=f"{provider.url}/v1", timeout=2).charge(_charge())
    assert [r["path"] for r in provider.requests] == ["/charges", "/v1/charges"]


@pytest.mark.parametrize("mode", ["error", "malformed"])
async def test_a_bad_answer_means_the_provider_is_unavailable(
    provider: FakeProvider, mode: str
) -> None:
    provider.mode = mode
    with pytest.raises(ProviderUnavailable):
        await _gateway(provider).charge(_charge())
    assert provider.charges == []


async def test_a_slow_provider_times_out(provider: FakeProvider) -> None:
    provider.mode = "slow"
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="Timeout"):
        await _gateway(provider, timeout=0.2).charge(_charge())
    assert time.monotonic() - started < provider.delay


async def test_a_trickling_reply_is_cut_off_at_the_deadline(provider: FakeProvider) -> None:
    provider.mode = "trickle"
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="within 0.5 s"):
        await _gateway(provider, timeout=0.5).charge(_charge())
    # One byte every 0.2 s would take over 5 s for the whole answer.
    assert time.monotonic() - started < 1.5


async def test_a_lost_reply_is_unavailable_and_the_retry_is_not_charged_again(
    provider: FakeProvider,
) -> None:
    gateway = _gateway(provider)
    provider.mode = "lose-reply"
    with pytest.raises(ProviderUnavailable):
        await gateway.charge(_charge())
    provider.mode = "approve"
    retried = await gateway.charge(_charge())
    assert [c.id for c in provider.charges] == [retried.transaction_id]


async def test_an_unreachable_provider_is_unavailable(closed_port: int) -> None:
    gateway = HttpPaymentGateway(base_url=f"http://127.0.0.1:{closed_port}", timeout=2)
    with pytest.raises(ProviderUnavailable, match="ConnectError"):
        await gateway.charge(_charge())


async def test_the_store_pays_through_the_provider_and_never_charges_twice(
    provider: FakeProvider, database: Database
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        env="test",
        password_hash_profile="fast",
        secret_key="integration-test-signing-key-0123456789",
        database_url="sqlite+aiosqlite://",
        auto_migrate=False,
        admin_email="olivia@example.com",
        admin_password="olivia-secret-1",
        payment_backend="http",
        payment_url=provider.url,
    )
    app = create_app(settings, database=database, mailer=FakeMailer(), clock=FakeClock())
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://store/api/v1"
        ) as client,
    ):

        async def sign_in(name: str, password: str) -> dict[str, str]:
            form = {"username": name, "password": password}
            token = (await client.post("/login", data=form)).json()["access_token"]
            return {"Authorization": f"Bearer {token}"}

        olivia = await sign_in("olivia@example.com", "olivia-secret-1")
        product = {"name": "Blue teapot", "price": "24.50", "stock": 5}
        teapot = (await client.post("/products", json=product, headers=olivia)).json()
        account = {"email": "alice@example.com", "username": "alice", "password": "alice-1234"}
        assert (await client.post("/register", json=account)).status_code == 201
        alice = await sign_in("alice", "alice-1234")
        items = {"items": [{"product_id": teapot["id"], "quantity": 2}]}
        order = (await client.post("/orders", json=items, headers=alice)).json()
        confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=alice)
        assert confirmed.json()["status"] == "confirmed"
        payment = {"order_id": order["id"], "amount": "49.00", "currency": "USD"}

        answers = []
        for mode in ("decline", "error", "lose-reply", "approve"):
            provider.mode = mode
            answers.append(await client.post("/payments", json=payment, headers=alice))

        assert [a.status_code for a in answers] == [402, 502, 502, 200]
        paid = await client.get(f"/orders/{order['id']}", headers=alice)
        assert paid.json()["status"] == "paid"
    succeeded = [c for c in provider.charges if c.status == "succeeded"]
    assert [(c.id, c.amount, c.reference) for c in succeeded] == [
        (answers[-1].json()["transaction_id"], "49.00", f"order-{order['id']}")
    ]
    keys = [r["idempotency_key"] for r in provider.requests]
    # A new attempt after the decline; the same attempt again after the outage and lost reply.
    assert keys[0] != keys[1] == keys[2] == keys[3]


async def test_the_fake_provider_prints_nothing_when_a_client_dies_mid_request(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """A fake that prints spoils the output other tests capture, and ends a run with a
    traceback: a store killed halfway through a request is only logged."""
    provider = FakeProvider().start()
    try:
        host, port = provider.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as client:
            client.sendall(
                b"POST /charges HTTP/1.1\r\nHost: provider\r\nIdempotency-Key: k\r\n"
                b'Content-Length: 100\r\n\r\n{"amount'
            )
            await asyncio.sleep(0.1)
            # Close with a reset, as the kernel does for a process killed outright.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        await asyncio.sleep(0.3)
    finally:
        provider.stop()
    assert capfd.readouterr() == ("", "")
