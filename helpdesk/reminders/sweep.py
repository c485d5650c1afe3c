"""The SLA sweep: claim due reminder rows atomically, send or escalate, mark them settled.

Each row is claimed by one worker (``helpdesk.claims``: SKIP LOCKED on PostgreSQL, a
conditional UPDATE on SQLite), so no reminder goes out twice, even with two workers. Before
sending, the claimed rows are checked against the ticket's marks again: a row whose mark
moved later (a new closure, a pause) is put back with its new time, a row whose mark is gone
(answered, suggestion, paused) is deleted.

After downtime: every missed row is due at once and is settled once. The missed reminders of
one ticket claimed together become one message that says where the clock stands now (and how
many reminders it stands for) instead of one message per missed mark; each missed escalation
step is carried out once, in order. Nothing goes out while the office is closed: a row due then
waits for the next opening.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from helpdesk.claims import claim_ids
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.reminders import escalation, notify, texts
from helpdesk.reminders.models import Reminder
from helpdesk.reminders.service import marks_for, policy
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # a claim older than this belongs to a worker that died
MAX_ATTEMPTS = 5
BATCH = 200


def claim_due(*, worker: str, now: datetime, limit: int = BATCH) -> list[int]:
    """Claim up to ``limit`` unsent rows due by ``now`` (flushed; the caller commits)."""
    return claim_ids(Reminder, ready=[Reminder.sent_at.is_(None), Reminder.due_at <= now,
                                      or_(Reminder.claimed_at.is_(None), Reminder.claimed_at < now - LEASE)],
                     order_by=[Reminder.due_at, Reminder.id], limit=limit,
                     values={"claimed_by": worker, "claimed_at": now})


def sweep(*, worker: str, now: datetime | None = None, batch: int = BATCH, max_batches: int = 50) -> dict:
    """Settle every due reminder this worker can claim; one commit per ticket."""
    now = now or utcnow()
    cal = office_calendar()
    if not cal.is_open(now):
        return {"office_closed": True, "next_opening": cal.next_opening(now).isoformat()}
    pol, counts = policy(), Counter()
    for _ in range(max_batches):
        ids = claim_due(worker=worker, now=now, limit=batch)
        db.session.commit()
        if not ids:
            break
        by_ticket = defaultdict(list)
        for row_id, ticket_id in db.session.execute(select(Reminder.id, Reminder.ticket_id)
                                                    .where(Reminder.id.in_(ids))):
            by_ticket[ticket_id].append(row_id)
        for ticket_id, row_ids in sorted(by_ticket.items()):
            counts.update(_settle(ticket_id, row_ids, worker=worker, now=now, cal=cal, pol=pol))
        if len(ids) < batch:
            break
    return dict(counts)


def _settle(ticket_id: int, row_ids: list[int], **kw) -> Counter:
    try:
        counts = _settle_once(ticket_id, row_ids, **kw)
        db.session.commit()
        return counts
    except (StaleDataError, ObjectDeletedError):  # the ticket's rows were cancelled meanwhile
        db.session.rollback()
        return Counter(vanished=len(row_ids))
    except Exception as exc:  # recorded on the rows; retried after the lease, then given up
        db.session.rollback()
        logger.exception("reminders %s of ticket %s failed", row_ids, ticket_id)
        _record_failure(row_ids, kw["now"], exc)
        db.session.commit()
        return Counter(retry=len(row_ids))


def _settle_once(ticket_id: int, row_ids: list[int], *, worker: str, now: datetime, cal, pol) -> Counter:
    ticket = db.session.get(Ticket, ticket_id, with_for_update=True)  # one worker per ticket at a time
    rows = db.session.scalars(select(Reminder).where(Reminder.id.in_(row_ids), Reminder.claimed_by == worker,
                                                     Reminder.sent_at.is_(None))).all()
    marks = {m.kind: m for m in marks_for(ticket, now, cal, pol)}
    counts, due = Counter(), []
    for row in rows:
        mark = marks.get(row.kind) if row.round == ticket.clock_round else None  # an earlier round's: gone
        if mark is None:
            db.session.delete(row)
            counts["cancelled"] += 1
        elif mark.at > now:
            row.due_at, row.claimed_by, row.claimed_at = mark.at, None, None
            counts["rescheduled"] += 1
        else:
            due.append((row, mark))
    with texts.office_language():
        reminders = [(row, mark) for row, mark in due if not mark.is_escalation]
        if reminders:
            counts[_remind(ticket, reminders, marks, now, cal, pol)] += len(reminders)
        for row, mark in sorted((p for p in due if p[1].is_escalation), key=lambda p: p[1]):
            counts[escalation.carry_out(ticket, row, now=now, cal=cal, pol=pol)] += 1
    return counts


def _remind(ticket: Ticket, pairs: list, marks: dict, now: datetime, cal, pol) -> str:
    """One message for the ticket's due reminder rows; all of them settled by it."""
    left = cal.working_days_left(ticket.clock_from, now, ticket.paused_spans, limit=pol.answer_days)
    stages = sorted({mark.series for _, mark in pairs} - {"answer"})
    deadlines = [(name, cal.closing(cal.local(marks[f"{name}_due"].at).date())) for name in stages]
    note = texts.reminder(ticket, cal, left, deadlines, folded=len(pairs))
    latest = max(pairs, key=lambda p: (p[1].at, p[0].id))[0]
    users = notify.handlers(ticket)
    emails = notify.send(users, ticket, note, key=f"reminder:{latest.id}")
    outcome = "sent" if emails else "no_recipient"
    operations.record(ticket, "sla_reminder", None, ",".join(row.kind for row, _ in pairs), actor="system",
                      note=", ".join(emails) or "tidak ada penerima", at=now)
    for row, _ in pairs:
        row.sent_at, row.outcome = now, outcome
    return outcome


def _record_failure(row_ids: list[int], now: datetime, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    for row in db.session.scalars(select(Reminder).where(Reminder.id.in_(row_ids), Reminder.sent_at.is_(None))):
        row.attempts += 1
        row.last_error = error
        if row.attempts >= MAX_ATTEMPTS:  # stop retrying; the admin's scheduler page lists it
            row.sent_at, row.outcome = now, "failed"
