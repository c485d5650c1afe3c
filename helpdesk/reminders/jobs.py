"""The reminders' periodic jobs: the SLA sweep, the nightly re-plan and the morning digest."""
from __future__ import annotations

from helpdesk.jobs import periodic, worker_name
from helpdesk.reminders.digest import send_digests
from helpdesk.reminders.service import resync
from helpdesk.reminders.sweep import sweep


@periodic("sla-sweep", seconds=60, description="send due reminders, escalate overdue tickets")
def sla_sweep() -> dict:
    """Claim and settle the reminder rows that are due."""
    return sweep(worker=worker_name())


@periodic("reminders-resync", cron={"hour": 1, "minute": 15},
          description="re-plan the reminders of every open complaint (calendar or settings changes)")
def reminders_resync() -> dict:
    """Bring every open complaint's reminder rows in line with today's calendar and settings."""
    return resync()


@periodic("morning-digest", seconds=900, description="the morning digest to supervisors and the head")
def morning_digest() -> dict:
    """Queue today's digest once per supervisor, from DIGEST_TIME on a working day."""
    return send_digests()
