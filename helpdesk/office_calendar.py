"""The one office calendar: the national list plus the office's own changes from the database."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app

from helpdesk.catalog.models import CalendarChange
from helpdesk.extensions import db
from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.timeutil import utcnow


@lru_cache(maxsize=8)
def _build(tz_name: str, changes: tuple) -> OfficeCalendar:
    added = {day: name or "Libur kantor" for day, closed, name in changes if closed}
    removed = [day for day, closed, _ in changes if not closed]
    # Only the current year is loaded up front; other years load lazily on first use.
    return OfficeCalendar.build([utcnow().year], tz_name=tz_name, added=added, removed=removed)


def office_calendar() -> OfficeCalendar:
    """The calendar in force now: rebuilt only when the office's changes differ."""
    rows = db.session.execute(
        db.select(CalendarChange.day, CalendarChange.closed, CalendarChange.name)
        .order_by(CalendarChange.day)).all()
    return _build(current_app.config["TIMEZONE"], tuple(tuple(r) for r in rows))
