"""Every table of the service, imported in one place for Alembic and the test harness."""

from app.auth.models import LoginFailure
from app.core.db import Base
from app.notifications.models import OutboxMessage
from app.users.models import User

metadata = Base.metadata

__all__ = ["LoginFailure", "OutboxMessage", "User", "metadata"]
