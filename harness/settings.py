"""The settings every scenario's store is built with."""

from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from app.core.config import Settings

# Long enough for every HMAC algorithm a forged pass may try (HS512 wants 64 bytes).
TEST_SECRET_KEY = "storefront-test-signing-key-0123456789abcdef-0123456789abcdef-xyz"


@dataclass(frozen=True)
class AdminCredentials:
    """The store admin that the scenario store's settings name (APP_ADMIN_*)."""

    email: str = "storeadmin@example.com"
    username: str = "storeadmin"
    password: str = "suite-admin-passw0rd"


ADMIN = AdminCredentials()


def scenario_settings() -> Settings:
    """Return test settings: fast hashing, a fixed key, no migrations at start-up.

    The schema comes from the template the harness migrates once; the outbox worker
    looks for due email every 20 ms so that scenarios need not wait for it. The admin
    is ensured at every start, as an operator's APP_ADMIN_* does.
    """
    return Settings(
        _env_file=None,
        env="test",
        password_hash_profile="fast",
        secret_key=TEST_SECRET_KEY,
        database_url="sqlite+aiosqlite://",
        auto_migrate=False,
        email_poll_seconds=1.0,
        # As a live store's: a hung mail server is given up on within seconds.
        email_send_timeout_seconds=2.0,
        admin_email=ADMIN.email,
        admin_username=ADMIN.username,
        admin_password=SecretStr(ADMIN.password),
    )


class _Written(Settings):
    """Settings read from what is written for them alone, never from the environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],  # noqa: ARG003 - pydantic-settings' signature
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read the values given, and nothing else."""
        return (init_settings,)


def written_settings(**values: Any) -> Settings:
    """Return the settings an operator writes for one store, whatever the suite's own
    environment holds (against a deployment it holds the deployment's APP_*)."""
    return _Written(**values)
