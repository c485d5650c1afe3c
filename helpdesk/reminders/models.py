"""Reminders are rows, swept by the scheduler; one row per (ticket, clock round, kind)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime


class Reminder(db.Model):
    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("ticket_id", "round", "kind"),
        # The sweep only looks at unsent rows; keep that index small.
        Index("ix_reminders_due_unsent", "due_at",
              postgresql_where=text("sent_at IS NULL"), sqlite_where=text("sent_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # the ticket's clock_round
    kind: Mapped[str] = mapped_column(String(40))  # e.g. answer_wd7, answer_due, verification_due, escalate_next
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)  # an opening instant (helpdesk.rules.sla)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # settled: sent, escalated or given up
    outcome: Mapped[str | None] = mapped_column(String(20))  # sent | escalated | no_recipient | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed attempts
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<Reminder {self.id} t{self.ticket_id} r{self.round} {self.kind} due={self.due_at} {self.outcome or 'pending'}>"
