"""Staff API tokens: a secret shown once, stored only as its sha256."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


class ApiToken(db.Model):
    """A bearer token that acts as one staff user (with that user's role) on /api/v1."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))  # what it is for, e.g. "portal kabupaten"
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # the secret is never stored
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r} user={self.user_id} revoked={self.revoked_at is not None}>"
