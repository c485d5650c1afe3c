"""The demo office at work: its clock helpers and the officers' and reporters' actions.

Every action goes through what the product itself uses: the intake (and its e-mail parser),
``tickets.operations``, ``triage.operations`` (the officer page's actions), the survey's
``submit`` and the status page's transitions; so events, outbox and reminder rows are the
ones real use leaves.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from channels.base import STAFF_ENTERED

from helpdesk.demo import people, texts
from helpdesk.demo.cases import Case
from helpdesk.demo.office import TECHNICAL_TEAM, Office
from helpdesk.extensions import db
from helpdesk.intake.email import ingest_raw_email
from helpdesk.intake.service import ingest
from helpdesk.outbox.service import send_to_reporter
from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.rules.lifecycle import Status
from helpdesk.survey.elements import COLUMNS
from helpdesk.survey.operations import invitation_of, submit
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage import operations as triage


@dataclass
class World:
    office: Office
    cal: OfficeCalendar
    rng: random.Random
    now: datetime
    mailbox: str
    seed: int
    tokens: dict[str, str] = field(default_factory=dict)  # number -> tracking token of web reports
    undeliverable: dict[str, str] = field(default_factory=dict)
    _keys: itertools.count = field(default_factory=lambda: itertools.count(1))

    # -- time ---------------------------------------------------------------------------------
    def today(self) -> date:
        return self.cal.local(self.now).date()

    def back(self, working_days: int, hour: int = 10, minute: int = 0) -> datetime:
        """``hour:minute`` on the working day ``working_days`` working days before today."""
        d, counted = self.today(), 0
        while counted < working_days:
            d -= timedelta(days=1)
            counted += self.cal.is_working_day(d)
        return datetime.combine(d, time(hour, minute), tzinfo=self.cal.tz)

    def after(self, at: datetime, working_days: int) -> datetime:
        """Some time in office hours on the ``working_days``-th working day after ``at``, later than ``at``."""
        d = self.cal.local(at).date()
        for _ in range(working_days):
            d = self.cal.next_working_day(d)
        if not self.cal.is_working_day(d):
            d = self.cal.next_working_day(d)
        when = datetime.combine(d, time(self.rng.randint(8, 14), self.rng.randrange(0, 60, 5)), tzinfo=self.cal.tz)
        return when if when > at else at + timedelta(minutes=self.rng.randint(10, 50))

    def within(self, at: datetime, hours: int) -> datetime:
        return at + timedelta(minutes=self.rng.randint(20, hours * 60))

    def days_later(self, at: datetime, days: int) -> datetime:
        """A waking hour ``days`` calendar days after ``at``: when a citizen gets round to it."""
        day = self.cal.local(at).date() + timedelta(days=days)
        return datetime.combine(day, time(self.rng.randint(7, 21), self.rng.randrange(0, 60, 5)), tzinfo=self.cal.tz)

    def key(self) -> str:
        return f"demo-{self.seed}-{next(self._keys)}"

    # -- reporters ----------------------------------------------------------------------------
    def take_in(self, case: Case) -> Ticket:
        """The report reaches the intake through its channel."""
        e = case.example
        got = people.report(case.channel, case.key, case.who, case.at, e.text, subject=texts.subject(e.component),
                            service=e.service, served_on=case.served_on, expected=case.expected,
                            confidential=case.confidential, mailbox=self.mailbox)
        if isinstance(got, bytes):
            number = ingest_raw_email(got, received_at=case.at)["number"]
            return db.session.scalar(select(Ticket).filter_by(number=number))
        result = ingest(got)
        if case.channel == "web":
            self.tokens[result.ticket.number] = result.tracking_token
        if case.channel in STAFF_ENTERED:  # as the staff entry form records it
            operations.record(result.ticket, "entered_by", None, case.channel, user=self.desk())
        return result.ticket

    def reporter_writes(self, ticket: Ticket, case: Case, text: str) -> object:
        """A later message of the reporter, on the channel of the report."""
        mails = [m.external_id for m in ticket.messages if m.channel == "email" and m.direction == "outbound"]
        got = people.reply(case.channel, self.key(), case.who, utcnow(), text,
                           number=ticket.number, subject=texts.subject(case.example.component),
                           in_reply_to=mails[-1] if mails else None, mailbox=self.mailbox)
        return ingest_raw_email(got, received_at=utcnow()) if isinstance(got, bytes) else ingest(got)

    def stranger_writes(self, ticket: Ticket) -> dict:
        """Someone who is not the reporter writes about the ticket: the intake holds it."""
        who = people.Person("Yoga Pratama", email="yoga.pratama@example.org")
        raw = people.mail(who, self.mailbox, f"Re: [{ticket.number}] {ticket.subject}", texts.STRANGER,
                          utcnow(), message_id=f"<{self.key()}@example.org>")
        return ingest_raw_email(raw, received_at=utcnow())  # as the poller passes the arrival time

    def auto_reply(self) -> dict:
        """An out-of-office reply that belongs to no ticket: it goes to the quarantine."""
        who = people.Person("Dewi Kartika", email="dewi.kartika@sinar-plastik.example")
        raw = people.mail(who, self.mailbox, "Di luar kantor: Undangan Sosialisasi Perizinan Berusaha",
                          "Terima kasih atas e-mail Anda. Saya sedang cuti dan baru kembali ke kantor pekan depan; "
                          "untuk hal mendesak silakan menghubungi bagian administrasi.", utcnow(),
                          message_id=f"<{self.key()}@sinar-plastik.example>",
                          headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"})
        return ingest_raw_email(raw, received_at=utcnow())  # as the poller passes the arrival time

    def rate(self, ticket: Ticket, on_time: bool) -> object:
        """The reporter answers the survey they were sent, scoring as the handling deserved."""
        invitation = invitation_of(ticket)
        if invitation is None or invitation.recipient is None:
            return None  # unreachable: no link reached them
        base = 3.45 if on_time else 2.6
        bias = {"u3": 0 if on_time else -0.4, "u4": 0.4, "u8": 0.1 if on_time else -0.3}
        scores = [min(4, max(1, round(self.rng.gauss(base + bias.get(c, 0.0), 0.55)))) for c in COLUMNS]
        comment = self.rng.choice(texts.SURVEY_COMMENTS[min(4, max(2, round(sum(scores) / len(scores))))])
        source = invitation.channel if invitation.channel in ("telegram", "whatsapp") else "web"
        return submit(invitation, scores, comment, source=source)

    def reporter_closes(self, ticket: Ticket) -> None:
        operations.change_status(ticket, Status.CLOSED, note=texts.ACCEPTED_BY_REPORTER)

    def reporter_reopens(self, ticket: Ticket) -> None:
        operations.change_status(ticket, Status.REOPENED, note=texts.REOPEN_REASON)

    # -- officers -----------------------------------------------------------------------------
    def desk(self):
        return self.office.user("petugas1@demo.go.id")

    def officer_for(self, case: Case):
        return self.rng.choice(self.office.officers(case.example.service))

    def verify(self, ticket: Ticket, officer, case: Case) -> None:
        """Take the ticket, settle its classification (confirm the proposal or correct it), verify."""
        e = case.example
        operations.assign(ticket, officer, user=officer)
        service = self.office.services.get(e.service) if e.service else None
        operations.classify(ticket, service_id=service.id if service else None, component=e.component, user=officer)
        operations.change_status(ticket, Status.VERIFIED, user=officer)

    def analyse(self, ticket: Ticket, officer, case: Case) -> None:
        e = case.example
        operations.route(ticket, "internal", user=officer, unit=self.office.unit_for(e.service, e.component))
        triage.record_analysis(ticket, user=officer, **texts.analysis(e.component, e.service))
        operations.change_status(ticket, Status.IN_ANALYSIS, user=officer)

    def forward(self, ticket: Ticket, officer, case: Case) -> None:
        team = TECHNICAL_TEAM.get(case.example.service, "Tim Teknis Dinas Perindustrian")
        operations.route(ticket, "technical", user=officer, forwarded_to=team)
        operations.change_status(ticket, Status.IN_FOLLOW_UP, user=officer, note=texts.FORWARDED)

    def answer(self, ticket: Ticket, officer, case: Case, prefix: str = "") -> None:
        e = case.example
        triage.record_analysis(ticket, user=officer, actions_taken=texts.actions_taken(e.component))
        triage.answer(ticket, (prefix + " " + texts.answer(e.component, e.service)).strip(), user=officer)

    def close(self, ticket: Ticket, officer) -> None:
        operations.change_status(ticket, Status.CLOSED, user=officer, note=texts.CLOSED_QUIETLY)

    def acknowledge(self, ticket: Ticket, officer, thanks: str | None = None) -> None:
        """A suggestion: thanked where the reporter can be reached, and recorded."""
        operations.assign(ticket, officer, user=officer)
        if thanks:
            send_to_reporter(ticket, thanks, kind="reply", user=officer)
        operations.change_status(ticket, Status.ACKNOWLEDGED, user=officer, note=texts.ACKNOWLEDGED)

    def reject(self, ticket: Ticket, officer) -> None:
        operations.assign(ticket, officer, user=officer)
        send_to_reporter(ticket, texts.OUT_OF_SCOPE, kind="reply", user=officer)
        operations.change_status(ticket, Status.REJECTED, user=officer, note=texts.REJECTED)

    def ask_reporter(self, ticket: Ticket, officer) -> None:
        """Ask for the missing documents and stop the clock until they come."""
        send_to_reporter(ticket, texts.ASK_DOCUMENTS, kind="reply", user=officer)
        operations.pause(ticket, user=officer, note="menunggu nomor permohonan dan bukti dari pelapor")
