"""Outbound messages wait here until a channel confirms delivery; failures stay visible."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


class OutboxItem(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "next_attempt_at", postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))  # the conversation entry
    kind: Mapped[str] = mapped_column(String(20))  # ack | reply | answer | notification | survey
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON [[value, label], …]: chat buttons
    external_id: Mapped[str | None] = mapped_column(String(400))  # our Message-ID / the platform's id
    in_reply_to: Mapped[str | None] = mapped_column(String(400))
    references: Mapped[str] = mapped_column(Text, default="")  # space-separated ids
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)  # one send per key
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ticket = relationship("Ticket")

    def __repr__(self) -> str:
        return f"<OutboxItem {self.id} {self.channel}->{self.recipient} {self.status}>"
