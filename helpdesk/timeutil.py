"""UTC storage helpers: the database keeps naive UTC, code works with aware datetimes."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


# Set only by ``clock_at``: the demo office writes its past as of the moments it happened.
_clock: ContextVar[datetime | None] = ContextVar("helpdesk_clock", default=None)


def utcnow() -> datetime:
    """The current time in UTC (inside ``clock_at``, the time it was given)."""
    at = _clock.get()
    return at if at is not None else datetime.now(timezone.utc)


@contextmanager
def clock_at(at: datetime) -> Iterator[datetime]:
    """Make ``utcnow()`` answer ``at`` in this context, so events, rows and defaults carry that time."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: give the clock a time zone")
    token = _clock.set(at.astimezone(timezone.utc))
    try:
        yield at
    finally:
        _clock.reset(token)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored; give it a time zone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
