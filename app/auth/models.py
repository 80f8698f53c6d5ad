"""Failed sign-ins, kept to throttle guessing."""

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.types import UTCDateTime


class LoginFailure(Base):
    """One failed sign-in for an account (or for a name that matches none)."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_key_failed_at", "account_key", "failed_at"),
        Index("ix_login_failure_failed_at", "failed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The bucket of the name as typed (throttle.bucket_of): "name:" and the SHA-256 of the
    # name in lower case, whoever it belongs to. No typed text is stored.
    account_key: Mapped[str] = mapped_column(String(80))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
