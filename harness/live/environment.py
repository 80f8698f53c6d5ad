"""Settings as the `APP_*` environment an operator gives a server process."""

from pydantic import SecretStr

from app.core.config import Settings


def environment_of(settings: Settings) -> dict[str, str]:
    """Return the `APP_*` variables that make a server read these settings back."""
    environment: dict[str, str] = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(value)
        environment[f"APP_{name.upper()}"] = str(value)
    return environment
