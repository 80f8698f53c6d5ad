"""Unit tests of the `APP_*` settings and the rules between them."""

import logging
import os

import pytest
from pydantic import ValidationError

from app.core.config import Settings, estimated_entropy_bits

pytestmark = pytest.mark.unit

STRONG_KEY = "unit-tests-Zq8vR2mLx5Tn9Kp3Wd7Hc1"
# What a production store needs besides its key (SEC-06): no in-process backends.
REAL_BACKENDS = {
    "email_backend": "smtp",
    "payment_backend": "http",
    "payment_url": "http://127.0.0.1:9",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from no `APP_*` variable, whatever the machine has set."""
    for name in list(os.environ):
        if name.upper().startswith("APP_"):
            monkeypatch.delenv(name)


def _from_environment(monkeypatch: pytest.MonkeyPatch, **variables: str) -> Settings:
    for name, value in variables.items():
        monkeypatch.setenv(f"APP_{name.upper()}", value)
    return Settings(_env_file=None)


def test_defaults_follow_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _from_environment(monkeypatch)
    assert settings.env == "development"
    assert settings.cors_origins == []
    assert settings.currency == "USD"
    assert settings.database_url == "sqlite+aiosqlite:///./storefront.db"
    assert settings.access_token_expire_minutes == 30
    assert settings.admin_username == "admin"
    assert settings.auto_migrate is True
    assert settings.email_backend == "console"
    assert settings.email_retry_seconds == 30
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == (
        "localhost",
        25,
        False,
    )
    assert settings.email_from == "no-reply@storefront.local"
    assert settings.payment_backend == "sandbox"
    assert settings.payment_timeout_seconds == 5
    assert settings.password_hash_profile == "owasp"
    assert settings.max_body_bytes == 1024 * 1024


@pytest.mark.parametrize(
    ("raw", "origins"),
    [
        ("https://shop.example", ["https://shop.example"]),
        (
            "https://shop.example, http://localhost:3000 ,,",
            ["https://shop.example", "http://localhost:3000"],
        ),
        ("", []),
    ],
)
def test_cors_origins_are_comma_separated(
    monkeypatch: pytest.MonkeyPatch, raw: str, origins: list[str]
) -> None:
    assert _from_environment(monkeypatch, cors_origins=raw).cors_origins == origins


@pytest.mark.parametrize("currency", ["USD", "EUR", "GBP"])
def test_the_store_currency_is_one_of_three(monkeypatch: pytest.MonkeyPatch, currency: str) -> None:
    assert _from_environment(monkeypatch, currency=currency).currency == currency


@pytest.mark.parametrize("currency", ["JPY", "usd", "", "US Dollar"])
def test_another_currency_is_refused(monkeypatch: pytest.MonkeyPatch, currency: str) -> None:
    with pytest.raises(ValidationError, match="currency"):
        _from_environment(monkeypatch, currency=currency)


@pytest.mark.parametrize("key", [None, "", "short", "k" * 31, "é" * 15])
def test_production_refuses_a_missing_or_short_secret_key(
    monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    variables = {"env": "production"} | ({"secret_key": key} if key is not None else {})
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        _from_environment(monkeypatch, **variables)


@pytest.mark.parametrize("key", [STRONG_KEY, "ключ подписи магазина 7Qx!"])
def test_production_accepts_a_strong_key_of_32_bytes(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    settings = _from_environment(monkeypatch, env="production", secret_key=key, **REAL_BACKENDS)
    assert settings.signing_key == key


@pytest.mark.parametrize("key", ["a" * 32, "k" * 64, "é" * 16, "ab" * 32])
def test_production_refuses_a_long_key_low_in_entropy(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    with pytest.raises(ValidationError, match="128 bits of estimated entropy") as refusal:
        _from_environment(monkeypatch, env="production", secret_key=key, **REAL_BACKENDS)
    assert key not in str(refusal.value)


def test_the_entropy_estimate_is_length_times_shannon_entropy() -> None:
    assert estimated_entropy_bits("a" * 32) == 0
    assert estimated_entropy_bits("ab" * 16) == pytest.approx(32)
    assert estimated_entropy_bits("".join(map(chr, range(65, 97)))) == pytest.approx(160)


@pytest.mark.parametrize(
    ("setting", "value"), [("payment_backend", "sandbox"), ("email_backend", "console")]
)
def test_production_refuses_the_in_process_backends(
    monkeypatch: pytest.MonkeyPatch, setting: str, value: str
) -> None:
    variables = {"env": "production", "secret_key": STRONG_KEY, **REAL_BACKENDS, setting: value}
    with pytest.raises(ValidationError, match=f"APP_{setting.upper()}={value}"):
        _from_environment(monkeypatch, **variables)


@pytest.mark.parametrize(
    ("env", "api_docs", "served"),
    [
        ("development", None, True),
        ("test", None, True),
        ("production", None, False),
        ("production", "true", True),
        ("development", "false", False),
    ],
)
def test_api_docs_are_served_only_when_a_setting_says_so(
    monkeypatch: pytest.MonkeyPatch, env: str, api_docs: str | None, served: bool
) -> None:
    variables = {"env": env} | ({"api_docs": api_docs} if api_docs else {})
    if env == "production":
        variables |= {"secret_key": STRONG_KEY, **REAL_BACKENDS}
    assert _from_environment(monkeypatch, **variables).serves_api_docs is served


def test_production_refuses_the_fast_password_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="APP_ENV=test"):
        _from_environment(
            monkeypatch, env="production", secret_key=STRONG_KEY, password_hash_profile="fast"
        )


def test_the_http_payment_backend_needs_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="APP_PAYMENT_URL"):
        _from_environment(monkeypatch, payment_backend="http")
    settings = _from_environment(
        monkeypatch, payment_backend="http", payment_url="http://127.0.0.1:9000"
    )
    assert settings.payment_url == "http://127.0.0.1:9000"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("access_token_expire_minutes", "0"),
        ("email_retry_seconds", "0"),
        ("smtp_port", "70000"),
        ("env", "staging"),
        ("email_backend", "carrier-pigeon"),
        ("payment_backend", "cash"),
        ("auto_migrate", "perhaps"),
    ],
)
def test_out_of_range_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    with pytest.raises(ValidationError, match=name):
        _from_environment(monkeypatch, **{name: value})


def test_values_are_parsed_from_their_text(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _from_environment(
        monkeypatch,
        auto_migrate="false",
        smtp_starttls="true",
        smtp_port="2525",
        email_retry_seconds="0.5",
        access_token_expire_minutes="5",
    )
    assert settings.auto_migrate is False
    assert settings.smtp_starttls is True
    assert settings.smtp_port == 2525
    assert settings.email_retry_seconds == 0.5
    assert settings.access_token_expire_minutes == 5


def test_secrets_do_not_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _from_environment(
        monkeypatch, secret_key=STRONG_KEY, admin_password="hunter2-hunter2", smtp_password="pw"
    )
    assert STRONG_KEY not in repr(settings)
    assert "hunter2" not in repr(settings)


def test_without_a_secret_key_tokens_use_a_random_key_and_say_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    first = _from_environment(monkeypatch)
    second = _from_environment(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="app.config"):
        key = first.signing_key
        assert first.signing_key == key, "the key stays the same for the life of the settings"
        assert second.signing_key != key
    assert len(key) >= 32
    warnings = [r for r in caplog.records if r.name == "app.config"]
    assert len(warnings) == 2
    assert all(r.levelno == logging.WARNING for r in warnings)
    assert "APP_SECRET_KEY is not set" in warnings[0].getMessage()


def test_with_a_secret_key_tokens_use_it_silently(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _from_environment(monkeypatch, secret_key=STRONG_KEY)
    with caplog.at_level(logging.WARNING, logger="app.config"):
        assert settings.signing_key == STRONG_KEY
    assert [r for r in caplog.records if r.name == "app.config"] == []
