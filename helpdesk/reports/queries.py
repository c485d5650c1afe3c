"""What the reports read: ticket rows streamed in chunks, escalations, APIP referrals, survey totals."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from helpdesk.catalog.models import Component, Service, Unit
from helpdesk.extensions import db
from helpdesk.reports.stats import TicketRow, make_row
from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.survey import ikm
from helpdesk.survey.elements import COLUMNS
from helpdesk.survey.models import SurveyResponse
from helpdesk.tickets import clock
from helpdesk.tickets.models import Event, Pause, Ticket

CHUNK = 500


@dataclass(frozen=True)
class Scope:
    """A report's range (UTC, half-open) and its filters."""

    start: datetime
    end: datetime
    service_id: int | None = None
    unit_id: int | None = None


def _filters(scope: Scope, service_col, unit_col) -> list:
    out = []
    if scope.service_id is not None:
        out.append(service_col == scope.service_id)
    if scope.unit_id is not None:
        out.append(unit_col == scope.unit_id)
    return out


def ticket_rows(scope: Scope, cal: OfficeCalendar, *, limit: int, now: datetime,
                chunk: int = CHUNK) -> Iterator[TicketRow]:
    """The tickets received in the range (merged duplicates left out), oldest first, streamed."""
    query = (select(Ticket.id, Ticket.number, Ticket.kind, Ticket.status, Ticket.channel,
                    Service.name.label("service"), Component.name_id.label("component"), Ticket.tier,
                    Unit.name.label("unit"), Ticket.received_at, Ticket.due_at, Ticket.answered_at,
                    Ticket.closed_at, Ticket.paused_since)
             .outerjoin(Service, Service.id == Ticket.service_id)
             .outerjoin(Component, Component.slug == Ticket.component)
             .outerjoin(Unit, Unit.id == Ticket.unit_id)
             .where(Ticket.received_at >= scope.start, Ticket.received_at < scope.end, Ticket.status != "merged",
                    *_filters(scope, Ticket.service_id, Ticket.unit_id))
             .order_by(Ticket.received_at, Ticket.id)
             .execution_options(yield_per=chunk))
    for part in db.session.execute(query).partitions():
        pauses = _pauses([r.id for r in part])
        for r in part:
            yield make_row(r._asdict(), pauses.get(r.id, ()), cal, limit=limit, now=now)


def _pauses(ticket_ids: list[int]) -> dict[int, list[tuple[datetime, datetime | None]]]:
    out: dict[int, list] = defaultdict(list)
    rows = db.session.execute(select(Pause.ticket_id, Pause.started_at, Pause.ended_at)
                              .where(Pause.ticket_id.in_(ticket_ids)).order_by(Pause.id))
    for ticket_id, started, ended in rows:
        out[ticket_id].append((started, ended))
    return out


def overdue_now(scope: Scope, now: datetime) -> int:
    """Open complaints past their due date now, whenever received (the filters apply; paused ones wait)."""
    return db.session.scalar(select(func.count(Ticket.id)).where(
        *clock.overdue(now), *_filters(scope, Ticket.service_id, Ticket.unit_id)))


def _events(scope: Scope, *conditions) -> tuple[int, int]:
    """(events, tickets) of the matching events in the range, for tickets in the filters."""
    row = db.session.execute(
        select(func.count(Event.id), func.count(func.distinct(Event.ticket_id)))
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(Event.at >= scope.start, Event.at < scope.end, *conditions,
               *_filters(scope, Ticket.service_id, Ticket.unit_id))).one()
    return int(row[0]), int(row[1])


def escalations(scope: Scope) -> tuple[int, int]:
    """Escalations one level up the chain in the range: (steps, tickets)."""
    return _events(scope, Event.action == "escalate")


def apip_referrals(scope: Scope) -> tuple[int, int]:
    """Referrals to the APIP in the range (routed after the head's approval): (referrals, tickets)."""
    return _events(scope, Event.action == "tier", Event.after == "apip")


def apip_pending(scope: Scope) -> int:
    """APIP referral requests still waiting for the head (whenever asked; the filters apply)."""
    from helpdesk.triage.models import ApipRequest
    return db.session.scalar(select(func.count(ApipRequest.id)).join(Ticket, Ticket.id == ApipRequest.ticket_id)
                             .where(ApipRequest.approved.is_(None),
                                    *_filters(scope, Ticket.service_id, Ticket.unit_id)))


def survey_index(scope: Scope) -> ikm.Ikm | None:
    """The IKM of the answers submitted in the range, from the exact score totals."""
    cols = [func.coalesce(func.sum(getattr(SurveyResponse, c)), 0) for c in COLUMNS]
    row = db.session.execute(select(func.count(SurveyResponse.id), *cols).where(and_(
        SurveyResponse.submitted_at >= scope.start, SurveyResponse.submitted_at < scope.end,
        *_filters(scope, SurveyResponse.service_id, SurveyResponse.unit_id)))).one()
    return ikm.from_sums(int(row[0]), [int(v) for v in row[1:]])


def survey_answers(scope: Scope, chunk: int = CHUNK) -> Iterator:
    """The answers in the range with their service and unit (no ticket: the survey is anonymous), streamed."""
    query = (select(SurveyResponse, Service.name.label("service"), Unit.name.label("unit"))
             .outerjoin(Service, Service.id == SurveyResponse.service_id)
             .outerjoin(Unit, Unit.id == SurveyResponse.unit_id)
             .where(SurveyResponse.submitted_at >= scope.start, SurveyResponse.submitted_at < scope.end,
                    *_filters(scope, SurveyResponse.service_id, SurveyResponse.unit_id))
             .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
             .execution_options(yield_per=chunk))
    yield from db.session.execute(query)
