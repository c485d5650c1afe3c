"""The ticket store: reporters, tickets, messages, attachments and the event log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


class Reporter(db.Model):
    """One person who reports; reachable through many contacts."""

    __tablename__ = "reporters"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    preferred_contact: Mapped[str | None] = mapped_column(String(300))  # "kind:value" to answer on
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="reporter", foreign_keys="Contact.reporter_id", order_by="Contact.id")

    def contact(self, kind: str) -> str | None:
        return next((c.value for c in self.contacts if c.kind == kind), None)

    def __repr__(self) -> str:
        return f"<Reporter {self.id} {self.name!r}>"


class Contact(db.Model):
    """An address a reporter can be reached at: email, phone, telegram, whatsapp."""

    __tablename__ = "reporter_contacts"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(254))  # normalised: lower-case e-mail, +62… phone

    reporter: Mapped[Reporter] = relationship(back_populates="contacts", foreign_keys=[reporter_id])


class TicketCounter(db.Model):
    """Last public number handed out per year (ADU-2026-000123)."""

    __tablename__ = "ticket_counters"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(db.Model):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_due", "status", "due_at"),
        Index("ix_tickets_received", "received_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # complaint | suggestion
    kind_code: Mapped[str] = mapped_column(String(30))  # why: ok | no_identity | no_object | late | officer_override
    kind_reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"), index=True)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # identity shown only to handlers
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    service_received_on: Mapped[date | None] = mapped_column(Date)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), index=True)
    component: Mapped[str | None] = mapped_column(ForeignKey("components.slug"), index=True)
    # The classifier's proposal (R4), kept beside the officer's confirmed choice above.
    proposed_component: Mapped[str | None] = mapped_column(String(40))
    proposed_service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    proposal_confidence: Mapped[float | None] = mapped_column(Float)
    proposal_explain: Mapped[str | None] = mapped_column(Text)  # JSON: the words that drove it
    classification_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    expected_outcome: Mapped[str] = mapped_column(Text, default="")
    # Routing (R6)
    tier: Mapped[str | None] = mapped_column(String(20))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    forwarded_to: Mapped[str | None] = mapped_column(String(250))  # technical team / agency
    forwarded_answer: Mapped[str | None] = mapped_column(Text)
    apip_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    apip_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Analysis (R5)
    core_problem: Mapped[str] = mapped_column(Text, default="")
    regulation_ref: Mapped[str] = mapped_column(Text, default="")
    handling_plan: Mapped[str] = mapped_column(Text, default="")
    actions_taken: Mapped[str] = mapped_column(Text, default="")
    # Clock (R7): suggestions have none.
    clock_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reopened by the reporter after the answer: a new clock round, counted from the reopening.
    clock_round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # 1 = from receipt
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # start of the current round (if > 1)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    tracking_token_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the secret link
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    reporter: Mapped[Reporter | None] = relationship()
    service = relationship("Service", foreign_keys=[service_id])
    unit = relationship("Unit")
    assignee = relationship("User", foreign_keys=[assignee_id])
    messages: Mapped[list["Message"]] = relationship(
        back_populates="ticket", order_by="Message.created_at, Message.id")
    events: Mapped[list["Event"]] = relationship(order_by="Event.id")
    pauses: Mapped[list["Pause"]] = relationship(order_by="Pause.id")

    @property
    def clock_from(self) -> datetime:
        """The instant the current clock round counts from: the receipt, or the latest reopening."""
        return self.reopened_at or self.received_at

    @property
    def paused_spans(self) -> list[tuple[datetime, datetime | None]]:
        return [(p.started_at, p.ended_at) for p in self.pauses]

    def __repr__(self) -> str:
        return f"<Ticket {self.number} {self.kind} {self.status}>"


class Pause(db.Model):
    """A span when the clock stood still, waiting for the reporter's clarification."""

    __tablename__ = "ticket_pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Message(db.Model):
    """One inbound report/reply, outbound reply or internal note, with its raw original."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # inbound | outbound | note
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(400))  # Message-ID, update id, wamid
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sender: Mapped[str | None] = mapped_column(String(254))  # the address it came from
    subject: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)  # sanitised with nh3, never raw
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # the original, untouched
    # sha256 of the content (InboundMessage.content_hash: for mail without the receiving servers' trace
    # headers; older rows: of the raw bytes), to tell another copy from other mail under a reused id
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    held: Mapped[bool] = mapped_column(Boolean, default=False)  # from a stranger: waits for an officer
    public: Mapped[bool] = mapped_column(Boolean, default=True)  # shown to the reporter
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    attachments: Mapped[list["Attachment"]] = relationship(order_by="Attachment.id")

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.direction} {self.channel}>"


class Attachment(db.Model):
    """A file of a message, stored once by sha256; over the size limit only its note is kept."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # safe name, shown to users
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)  # None when not stored
    stored: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")  # e.g. why it was not stored

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.filename!r} {self.size}>"


class Event(db.Model):
    """Append-only audit trail: who changed what on a ticket, and when."""

    __tablename__ = "ticket_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120))  # "system", "email", a user's e-mail …
    action: Mapped[str] = mapped_column(String(40))  # created, kind, status, assign, tier, …
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # shown in the public history

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.action} {self.before!r}->{self.after!r}>"


@event.listens_for(Event, "before_update", propagate=True)
def _events_are_append_only(mapper, connection, target):
    raise ValueError("ticket events are append-only; add a new event instead")


@event.listens_for(Event, "before_delete", propagate=True)
def _events_are_never_deleted(mapper, connection, target):
    raise ValueError("ticket events are append-only and cannot be deleted")
