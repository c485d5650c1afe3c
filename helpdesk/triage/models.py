"""A request to refer a ticket to the APIP, waiting for the head of office (R6c)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


class ApipRequest(db.Model):
    __tablename__ = "apip_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    forwarded_to: Mapped[str] = mapped_column(Text, default="")  # e.g. "Inspektorat Kabupaten"
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved: Mapped[bool | None] = mapped_column(Boolean)  # None while pending
    decision_note: Mapped[str] = mapped_column(Text, default="")

    ticket = relationship("Ticket")
    requested_by = relationship("User", foreign_keys=[requested_by_id])

    def __repr__(self) -> str:
        return f"<ApipRequest {self.id} ticket={self.ticket_id} approved={self.approved}>"


def _queue_indexes():
    """Keyset pagination of the queue sorted by due date walks (due_at, id); search uses GIN on PostgreSQL."""
    from sqlalchemy import Index, func, literal_column

    from helpdesk.tickets.models import Message, Ticket
    Index("ix_tickets_due_id", Ticket.due_at, Ticket.id)
    for name, column in (("ix_tickets_subject_fts", Ticket.__table__.c.subject),
                         ("ix_messages_text_fts", Message.__table__.c.text)):
        Index(name, func.to_tsvector(literal_column("'simple'"), column),
              postgresql_using="gin", _table=column.table).ddl_if(dialect="postgresql")


_queue_indexes()
