"""Keep a ticket's reminder rows in step with its clock: created, moved, cancelled.

Rows are planned by the pure rules (``helpdesk.rules.sla``). A sent row is never touched
again, so a reminder goes out once even when its mark moves. Unsent rows whose mark is gone
(answered, closed, turned into a suggestion, paused) are deleted; moved marks move their row.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.reminders.models import Reminder
from helpdesk.rules import routing, sla
from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.rules.lifecycle import OPEN_STATUSES
from helpdesk.signals import deadline_changed, status_changed
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
OPEN = [s.value for s in OPEN_STATUSES]


def policy(config=None) -> sla.Policy:
    """The reminder policy of the settings (validated once at start-up)."""
    config = config or current_app.config
    return sla.make_policy(config["ANSWER_WORKING_DAYS"], config["REMINDER_MARKS"], config["STAGE_TARGETS"],
                           config["ESCALATE_HEAD_AFTER_DAYS"])


def clock_of(ticket: Ticket) -> sla.Clock:
    internal = (ticket.tier or routing.Tier.INTERNAL) == routing.Tier.INTERNAL
    levels = len(ticket.unit.chain()) if internal and ticket.unit is not None else 0
    return sla.Clock(ticket.kind, ticket.status, ticket.clock_from, ticket.due_at, tuple(ticket.paused_spans),
                     levels)


def marks_for(ticket: Ticket, now: datetime, cal: OfficeCalendar | None = None,
              pol: sla.Policy | None = None) -> list[sla.Mark]:
    """The ticket's marks under the calendar and policy in force."""
    return sla.plan(cal or office_calendar(), clock_of(ticket), pol or policy(), now)


def sync(ticket: Ticket, *, now: datetime | None = None, cal: OfficeCalendar | None = None,
         pol: sla.Policy | None = None, rows: list[Reminder] | None = None) -> dict:
    """Create, move or delete the ticket's unsent rows to match its marks; flushes, never commits.

    New rows are only made for marks still ahead and, per series, the latest one already
    passed (a ticket first planned late, e.g. reopened or older than this feature, gets one
    reminder for where it stands, not every mark it missed). Rows belong to the ticket's clock
    round: a reopened ticket plans its marks afresh, and unsent rows of an earlier round go.
    """
    now = now or utcnow()
    marks = marks_for(ticket, now, cal, pol)
    planned = {m.kind: m for m in marks}
    creatable = {m.kind for m in marks if m.at > now} | {m.kind for m in sla.latest_due(marks, now).values()}
    if rows is None:
        rows = list(db.session.scalars(select(Reminder).where(Reminder.ticket_id == ticket.id)))
    counts = {"created": 0, "moved": 0, "deleted": 0}
    stale = []
    for row in rows:
        if row.round != ticket.clock_round:  # an earlier round: what went out stays, the rest goes
            if row.sent_at is None:
                stale.append(row.id)
            continue
        mark = planned.pop(row.kind, None)
        if row.sent_at is not None:
            continue
        if mark is None:
            stale.append(row.id)
        elif row.due_at != mark.at:
            row.due_at = mark.at
            counts["moved"] += 1
    if stale:
        db.session.execute(delete(Reminder).where(Reminder.id.in_(stale), Reminder.sent_at.is_(None))
                           .execution_options(synchronize_session="fetch"))
        counts["deleted"] = len(stale)
    new = [{"ticket_id": ticket.id, "round": ticket.clock_round, "kind": m.kind, "due_at": m.at, "attempts": 0}
           for kind, m in planned.items() if kind in creatable]
    if new:
        counts["created"] = _insert_missing(new)
    db.session.flush()
    return counts


def _insert_missing(values: list[dict]) -> int:
    """Insert rows, skipping any (ticket, round, kind) another transaction inserted meanwhile."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (insert(Reminder).values(values)
            .on_conflict_do_nothing(index_elements=["ticket_id", "round", "kind"])
            .returning(Reminder.id))
    return len(db.session.execute(stmt).all())


def resync(*, now: datetime | None = None, batch: int = 500) -> dict:
    """Re-plan every open complaint (calendar changes, settings changes, older tickets); commits per batch.

    Each running complaint's due date is counted again under the calendar in force first (one
    calendar for everything), then its reminder rows follow.
    """
    now, cal, pol = now or utcnow(), office_calendar(), policy()
    totals = {"tickets": 0, "due_moved": 0, "created": 0, "moved": 0, "deleted": 0}
    # Unsent rows of tickets that no longer run a clock (e.g. a change that sent no signal).
    finished = select(Ticket.id).where(or_(Ticket.kind != "complaint", Ticket.status.notin_(OPEN)))
    totals["deleted"] += db.session.execute(
        delete(Reminder).where(Reminder.sent_at.is_(None), Reminder.ticket_id.in_(finished))
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    after = 0
    while True:
        tickets = db.session.scalars(
            select(Ticket).where(Ticket.id > after, Ticket.kind == "complaint", Ticket.status.in_(OPEN),
                                 Ticket.due_at.is_not(None))
            .options(selectinload(Ticket.pauses)).order_by(Ticket.id).limit(batch)).all()
        if not tickets:
            return totals
        rows = defaultdict(list)
        for row in db.session.scalars(select(Reminder).where(Reminder.ticket_id.in_([t.id for t in tickets]))):
            rows[row.ticket_id].append(row)
        for ticket in tickets:
            totals["due_moved"] += operations.recount_deadline(ticket, cal, now=now)
            for key, n in sync(ticket, now=now, cal=cal, pol=pol, rows=rows[ticket.id]).items():
                totals[key] += n
        totals["tickets"] += len(tickets)
        after = tickets[-1].id
        db.session.commit()


@deadline_changed.connect
def _on_deadline_changed(ticket: Ticket, cal: OfficeCalendar | None = None, new: bool = False, **_):
    sync(ticket, cal=cal, rows=[] if new else None)  # a ticket opened in this transaction has no rows


@status_changed.connect
def _on_status_changed(ticket: Ticket, **_):
    sync(ticket)
