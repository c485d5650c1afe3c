"""The morning digest to supervisors and the head: due today, overdue, waiting for approval.

Sent once per person per working day (the outbox's dedupe key is the claim), from
``DIGEST_TIME`` until closing: a worker that was down at that time still sends it when it
comes back the same day. A supervisor of a unit sees that unit and the units below it; the
head of office and supervisors without a unit see the whole office. Nothing to report: no mail.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from helpdesk.catalog.models import Unit
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.outbox.models import OutboxItem
from helpdesk.reminders import notify, texts
from helpdesk.rules.routing import Role
from helpdesk.tickets import clock
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage.models import ApipRequest

SHOWN = 20  # tickets listed per section; the counts are always complete


def digest_time(config) -> time:
    return time.fromisoformat(config["DIGEST_TIME"])


def send_digests(now: datetime | None = None) -> dict:
    """Queue today's digest for every supervisor and head who has not had it yet."""
    now = now or utcnow()
    cal = office_calendar()
    local, today = cal.local(now), cal.local(now).date()
    if not cal.is_working_day(today):
        return {"skipped": "not a working day"}
    if local.time() < digest_time(current_app.config) or local >= cal.closing(today):
        return {"skipped": f"outside {current_app.config['DIGEST_TIME']} – closing"}
    start = datetime.combine(today, time(0), tzinfo=cal.tz)
    counts = defaultdict(int)
    key = f"digest:{today.isoformat()}"
    for user in notify.with_role(Role.SUPERVISOR, Role.HEAD):
        if db.session.scalar(select(OutboxItem.id).where(OutboxItem.dedupe_key == f"{key}:{user.id}:email")):
            counts["already"] += 1
            continue
        with texts.office_language():
            note = _digest(user, start, cal)
        if note is None:
            counts["nothing"] += 1
            continue
        notify.send([user], None, note, key=key)
        try:
            db.session.commit()
            counts["sent"] += 1
        except IntegrityError:  # another worker queued it first
            db.session.rollback()
            counts["already"] += 1
    return dict(counts)


def _scope(user) -> list[int] | None:
    """Unit ids a supervisor answers for (theirs and below); None: the whole office."""
    if user.role == Role.HEAD or user.unit_id is None:
        return None
    children = defaultdict(list)
    for unit_id, parent_id in db.session.execute(select(Unit.id, Unit.parent_id)):
        children[parent_id].append(unit_id)
    out, todo = set(), [user.unit_id]
    while todo:
        unit_id = todo.pop()
        if unit_id not in out:
            out.add(unit_id)
            todo += children[unit_id]
    return sorted(out)


def _digest(user, start: datetime, cal) -> texts.Note | None:
    units = _scope(user)
    tickets = select(Ticket).where(*clock.running())  # a paused ticket waits for the reporter
    if units is not None:
        tickets = tickets.where(Ticket.unit_id.in_(units))
    due_today = tickets.where(Ticket.due_at >= start, Ticket.due_at < start + timedelta(days=1))
    overdue = tickets.where(Ticket.due_at < start)  # due at a closing time: before today is overdue
    waiting = select(ApipRequest).join(Ticket).where(ApipRequest.approved.is_(None))
    if units is not None:
        waiting = waiting.where(Ticket.unit_id.in_(units))
    sections = [(_("Jatuh tempo hari ini"), due_today, Ticket.due_at, lambda t: t),
                (_("Lewat tenggat"), overdue, Ticket.due_at, lambda t: t),
                (_("Menunggu persetujuan APIP"), waiting, ApipRequest.requested_at, lambda r: r.ticket)]
    body, totals = [], []
    for title, query, order, ticket_of in sections:
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        totals.append(total)
        if not total:
            continue
        body.append(f"{title} ({total})")
        for item in db.session.scalars(query.order_by(order).limit(SHOWN)):
            t = ticket_of(item)
            who = t.assignee.email if t.assignee else _("belum ditugaskan")
            body.append(f"- {t.number} — {t.subject or '–'} ({texts.when(cal, t.due_at)}; {who})")
        if total > SHOWN:
            body.append(_("… dan %(n)d lainnya", n=total - SHOWN))
        body.append("")
    if not any(totals):
        return None
    subject = _("Ringkasan pagi %(day)s: %(due)d jatuh tempo hari ini, %(late)d lewat tenggat, "
                "%(apip)d menunggu persetujuan", day=f"{start:%d-%m-%Y}", due=totals[0], late=totals[1],
                apip=totals[2])
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    body.append(_("Dasbor atasan: %(link)s", link=f"{base}/atasan/"))
    return texts.Note(subject, "\n".join(body), f"{subject}\n{base}/atasan/")
