"""SQL conditions on a ticket's answer clock, shared by the queue, the dashboards, the digest and the reports.

The clock runs for an open complaint with a due date that is not waiting for the reporter. A
paused ticket's stored due date is the one before the pause (it moves back when the clock
restarts), so a paused ticket is never "overdue" nor "due soon" while it waits.
"""
from __future__ import annotations

from datetime import datetime

from helpdesk.rules.lifecycle import OPEN_STATUSES
from helpdesk.tickets.models import Ticket

OPEN = [s.value for s in OPEN_STATUSES]


def running() -> list:
    """Open, with a due date, not paused."""
    return [Ticket.status.in_(OPEN), Ticket.due_at.is_not(None), Ticket.paused_since.is_(None)]


def overdue(now: datetime) -> list:
    """The clock runs and the due instant has passed (the due instant itself is still on time)."""
    return [*running(), Ticket.due_at < now]


def is_running(ticket) -> bool:
    """The same test on a loaded ticket (or a row with status, due_at and paused_since)."""
    return ticket.status in OPEN and ticket.due_at is not None and ticket.paused_since is None
