"""The service's settings: every `APP_*` variable of the contract, in one class."""

import logging
import math
import secrets
from collections import Counter
from functools import cached_property
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

logger = logging.getLogger("app.config")

Currency = Literal["USD", "EUR", "GBP"]
SUPPORTED_CURRENCIES: tuple[Currency, ...] = ("USD", "EUR", "GBP")
MIN_PRODUCTION_SECRET_BYTES = 32
# A production key's Shannon estimate (SEC-05): the bits its byte frequencies could carry.
MIN_PRODUCTION_SECRET_BITS = 128
# Backends that work in process only: a production store must not take them by default.
IN_PROCESS_BACKENDS = {"email_backend": "console", "payment_backend": "sandbox"}


def estimated_entropy_bits(key: str) -> float:
    """Estimate a key's entropy: its length times the Shannon entropy of its bytes' frequencies.

    An upper bound that catches keys of few distinct bytes ("a" * 32, "abab…"); it cannot
    see other patterns, so it is a floor to refuse, not a proof of strength.
    """
    data = key.encode()
    counts = Counter(data).values()
    return -sum(n * math.log2(n / len(data)) for n in counts)


class Settings(BaseSettings):
    """Storefront's configuration, read from `APP_*` environment variables."""

    # A refused setting is reported without its value: it may be a secret.
    model_config = SettingsConfigDict(
        env_prefix="APP_", env_file=".env", extra="ignore", frozen=True, hide_input_in_errors=True
    )

    env: Literal["development", "test", "production"] = "development"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    currency: Currency = "USD"
    database_url: str = "sqlite+aiosqlite:///./storefront.db"
    # PostgreSQL: how long to wait for a connection (a new one, or one of the pool), and how
    # long one statement may run, so that a stalled server ends a request in a clear 500.
    database_connect_timeout_seconds: float = Field(default=5, gt=0)
    database_statement_timeout_seconds: float = Field(default=15, gt=0)
    secret_key: SecretStr | None = None
    access_token_expire_minutes: int = Field(default=30, ge=1, le=60 * 24 * 30)

    admin_email: str | None = None
    admin_username: str = "admin"
    admin_password: SecretStr | None = None
    auto_migrate: bool = True

    # "owasp" is Argon2id at no less than the OWASP minimum; "fast" is for tests only.
    password_hash_profile: Literal["owasp", "fast"] = "owasp"
    # How many passwords are hashed or checked at once; more sign-ins wait for a turn.
    password_hash_concurrency: int = Field(default=2, ge=1, le=64)

    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)

    email_backend: Literal["console", "smtp"] = "console"
    email_retry_seconds: float = Field(default=30, gt=0)
    # How often the outbox worker looks for due messages besides being woken by a commit.
    email_poll_seconds: float = Field(default=1, gt=0)
    # How long one message's hand-over to the mail server may take; the outbox leases a
    # message for twice this, so that no other replica sends it while it is on its way.
    email_send_timeout_seconds: float = Field(default=10, gt=0, le=300)
    email_from: str = "no-reply@storefront.local"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False

    payment_backend: Literal["sandbox", "http"] = "sandbox"
    payment_url: str | None = None
    payment_timeout_seconds: float = Field(default=5, gt=0)
    # How often charges of unknown outcome are settled by replaying their key.
    payment_reconcile_seconds: float = Field(default=5, gt=0)

    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # The request line and headers together (SEC-03); larger ones are refused with 431.
    max_header_bytes: int = Field(default=16 * 1024, ge=1024, le=1024 * 1024)
    # How long a request's whole body may take to arrive before it is refused with 408.
    body_timeout_seconds: float = Field(default=10, gt=0)
    # /docs, /redoc and /openapi.json: served when true; None means "not in production".
    api_docs: bool | None = None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _check_environment_rules(self) -> Self:
        if self.password_hash_profile == "fast" and self.env != "test":
            raise ValueError("the fast password-hashing profile is only allowed with APP_ENV=test")
        if self.env == "production":
            key = self.secret_key.get_secret_value() if self.secret_key else ""
            if len(key.encode()) < MIN_PRODUCTION_SECRET_BYTES:
                raise ValueError(
                    "APP_ENV=production needs an APP_SECRET_KEY of at least "
                    f"{MIN_PRODUCTION_SECRET_BYTES} bytes"
                )
            if estimated_entropy_bits(key) < MIN_PRODUCTION_SECRET_BITS:
                raise ValueError(
                    "APP_ENV=production needs an APP_SECRET_KEY of at least "
                    f"{MIN_PRODUCTION_SECRET_BITS} bits of estimated entropy, "
                    "such as `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
                )
            for name, backend in IN_PROCESS_BACKENDS.items():
                if getattr(self, name) == backend:
                    raise ValueError(
                        f"APP_ENV=production refuses APP_{name.upper()}={backend}, "
                        "which works in process only"
                    )
        if self.payment_backend == "http" and not self.payment_url:
            raise ValueError("APP_PAYMENT_BACKEND=http needs APP_PAYMENT_URL")
        return self

    @property
    def serves_api_docs(self) -> bool:
        """Whether /docs, /redoc and /openapi.json are served."""
        return self.api_docs if self.api_docs is not None else self.env != "production"

    @cached_property
    def signing_key(self) -> str:
        """Return the token signing key, or a random one for this process."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        logger.warning(
            "APP_SECRET_KEY is not set: tokens are signed with a random key "
            "and stop working when the process restarts"
        )
        return secrets.token_urlsafe(48)
