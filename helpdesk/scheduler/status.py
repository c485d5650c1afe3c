"""What the admin's scheduler page shows: each job's runs, the next run, the reminders' backlog."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS
from helpdesk.reminders.models import Reminder
from helpdesk.scheduler import labels
from helpdesk.scheduler.models import JobState, apscheduler_jobs
from helpdesk.tickets.models import Ticket

ALIVE = timedelta(minutes=5)  # no job started for this long: no scheduler is running


@dataclass
class JobView:
    id: str
    description: str
    schedule: str
    registered: bool  # False: in the database, but this version no longer has the job
    next_run_at: datetime | None
    state: JobState | None
    running: bool


def jobs(now: datetime) -> list[JobView]:
    """Every registered job and every job the database knows of, by id."""
    states = {s.id: s for s in db.session.scalars(select(JobState))}
    next_runs = {job_id: datetime.fromtimestamp(ts, timezone.utc) if ts is not None else None
                 for job_id, ts in db.session.execute(select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time))}
    out = []
    for job_id in sorted(set(PERIODIC_JOBS) | set(states)):
        spec, state = PERIODIC_JOBS.get(job_id), states.get(job_id)
        out.append(JobView(
            id=job_id, description=labels.description(spec) if spec else (state.description if state else ""),
            schedule=labels.schedule(spec) if spec else (state.schedule if state else ""), registered=spec is not None,
            next_run_at=next_runs.get(job_id), state=state,
            running=bool(state and state.lease_until and state.lease_until > now)))
    return out


def scheduler_alive(views: list[JobView], now: datetime) -> bool:
    return any(v.state and v.state.last_started_at and now - v.state.last_started_at < ALIVE for v in views)


def reminder_backlog(now: datetime) -> dict:
    """Pending, late (due, not yet settled) and given-up reminder rows, with the latest failures."""
    pending = select(func.count()).select_from(Reminder).where(Reminder.sent_at.is_(None))
    failures = db.session.execute(
        select(Reminder.kind, Reminder.last_error, Reminder.sent_at, Ticket.number)
        .join(Ticket, Ticket.id == Reminder.ticket_id).where(Reminder.outcome == "failed")
        .order_by(Reminder.sent_at.desc()).limit(10)).all()
    return {
        "pending": db.session.scalar(pending),
        "late": db.session.scalar(pending.where(Reminder.due_at < now - ALIVE)),
        "failed": db.session.scalar(select(func.count()).select_from(Reminder).where(Reminder.outcome == "failed")),
        "failures": failures,
    }
