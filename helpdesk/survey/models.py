"""Survey invitations, the one answer per ticket, and the served-applicant counts (population)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db
from helpdesk.survey.elements import COLUMNS
from helpdesk.timeutil import UTCDateTime, utcnow


class SurveyInvitation(db.Model):
    """The invitation of a ticket's reporter to the survey: one per ticket, valid until expires_at."""

    __tablename__ = "survey_invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # email | telegram | whatsapp | web (status page only)
    recipient: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rounds: Mapped[int] = mapped_column(Integer, default=1)  # sent again when a reopened ticket is answered again

    ticket = relationship("Ticket")
    response: Mapped["SurveyResponse | None"] = relationship(back_populates="invitation", uselist=False)

    def __repr__(self) -> str:
        return f"<SurveyInvitation {self.id} ticket={self.ticket_id} {self.channel}>"


class SurveyResponse(db.Model):
    """The reporter's answer: nine scores 1-4 and a comment. Unique per ticket: one answer only."""

    __tablename__ = "survey_responses"
    __table_args__ = tuple(CheckConstraint(f"{c} BETWEEN 1 AND 4", name=f"{c}_scale") for c in COLUMNS)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitations.id"))
    # The ticket's service and unit when answered: the report counts the answer there.
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # web | telegram | whatsapp
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")

    invitation: Mapped[SurveyInvitation] = relationship(back_populates="response")
    ticket = relationship("Ticket")

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in COLUMNS)

    def __repr__(self) -> str:
        return f"<SurveyResponse {self.id} ticket={self.ticket_id} {self.scores}>"


class ServedCount(db.Model):
    """Applicants served in one month for one service, entered by the office (the survey population).

    Not every applicant served complains, so the population of the Krejcie-Morgan check comes from
    the office's service register, not from the tickets.
    """

    __tablename__ = "served_counts"
    __table_args__ = (UniqueConstraint("month", "service_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    served: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    service = relationship("Service")

    def __repr__(self) -> str:
        return f"<ServedCount {self.month:%Y-%m} service={self.service_id} {self.served}>"
