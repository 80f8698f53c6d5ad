"""The payment gateways: an in-process sandbox, and the provider's HTTP API."""

import asyncio
import uuid
from typing import Any

import httpx

from app.core.config import Settings
from app.core.money import format_amount
from app.payments.ports import (
    Charge,
    ChargeResult,
    ChargeStatus,
    OutcomeUnknown,
    PaymentGateway,
    ProviderUnavailable,
)

MAX_ID_LENGTH = 255


class SandboxGateway:
    """Approve every charge, in process; the same idempotency key gets the same charge."""

    def __init__(self, *, remembered: int = 10_000) -> None:
        self._charges: dict[str, ChargeResult] = {}
        self._remembered = remembered

    async def charge(self, charge: Charge) -> ChargeResult:
        """Approve the charge, or answer again what this key was answered before."""
        result = self._charges.get(charge.idempotency_key)
        if result is None:
            result = ChargeResult(f"sandbox_{uuid.uuid4().hex}", ChargeStatus.SUCCEEDED)
            if len(self._charges) >= self._remembered:
                del self._charges[next(iter(self._charges))]
            self._charges[charge.idempotency_key] = result
        return result


class HttpPaymentGateway:
    """Charge through the provider's HTTP API: `POST {base_url}/charges`."""

    def __init__(self, *, base_url: str, timeout: float) -> None:
        self._url = f"{base_url.rstrip('/')}/charges"
        self._timeout = timeout

    async def charge(self, charge: Charge) -> ChargeResult:
        """Send the charge; anything but a well-formed 200 means the provider is unavailable.

        A charge that never reached the provider, or that it refused with an error status,
        was not made (`ProviderUnavailable`); one that reached it and got no readable
        answer may have been (`OutcomeUnknown`).
        """
        payload = {
            "amount": format_amount(charge.amount),
            "currency": charge.currency,
            "reference": charge.reference,
        }
        try:
            # httpx's timeout starts again with every byte; the deadline bounds the whole call.
            async with (
                asyncio.timeout(self._timeout),
                httpx.AsyncClient(timeout=self._timeout) as client,
            ):
                response = await client.post(
                    self._url, json=payload, headers={"Idempotency-Key": charge.idempotency_key}
                )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ProviderUnavailable(f"{type(exc).__name__} calling the provider") from exc
        except TimeoutError as exc:
            raise OutcomeUnknown(
                f"TimeoutError: no whole answer from the provider within {self._timeout} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise OutcomeUnknown(f"{type(exc).__name__} calling the provider") from exc
        if response.status_code != httpx.codes.OK:
            raise ProviderUnavailable(f"the provider answered {response.status_code}")
        try:
            body: Any = response.json()
        except ValueError as exc:
            raise OutcomeUnknown("the provider's answer is not JSON") from exc
        return _read_result(body)


def _read_result(body: Any) -> ChargeResult:
    """Read `{"id": "...", "status": "succeeded" | "declined"}`, or raise `OutcomeUnknown`."""
    if not isinstance(body, dict):
        raise OutcomeUnknown("the provider's answer is not an object")
    transaction_id, status = body.get("id"), body.get("status")
    if not isinstance(transaction_id, str) or not 0 < len(transaction_id) <= MAX_ID_LENGTH:
        raise OutcomeUnknown("the provider's answer has no usable id")
    if status not in (ChargeStatus.SUCCEEDED, ChargeStatus.DECLINED):
        raise OutcomeUnknown("the provider's answer has no known status")
    return ChargeResult(transaction_id, ChargeStatus(status))


def gateway_from_settings(settings: Settings) -> PaymentGateway:
    """Build the gateway that `APP_PAYMENT_BACKEND` names."""
    if settings.payment_backend == "http":
        assert settings.payment_url is not None  # Settings refuses http without a URL
        return HttpPaymentGateway(
            base_url=settings.payment_url, timeout=settings.payment_timeout_seconds
        )
    return SandboxGateway()
