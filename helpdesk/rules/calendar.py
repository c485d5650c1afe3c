"""Rule R7: the office answers a complaint within 14 working days.

Working days are the weekdays with office hours (Mon-Fri) minus Indonesian national holidays,
cuti bersama (collective leave, the `government` category of the `holidays` package) and the
office's own closures. Office hours are Mon-Thu 07:30-16:00 and Fri 07:30-16:30 in the office's
zone; an office is open from opening time (inclusive) to closing time (exclusive).

The clock starts at receipt when the office is open, else at the next opening. Working day 1
is the first working day after the clock-start date; the answer is due at closing time of
working day 14. Example: received Mon 2 March 2026 10:00 WIB -> due Fri 27 March 2026 16:30 WIB.

Paused spans (waiting for the reporter's clarification): a span (p0, p1), p1 None meaning
"still paused, up to `now`", covers the working days d with p0.date < d <= p1.date (local
dates, the `working_days_between` rule) that lie after the clock-start date; overlapping spans
count each day once. Covered days are not counted as elapsed, and the due date moves back by
one working day per covered day.

Every datetime must be timezone-aware (a naive one raises ValueError); results are in the
office's zone. Pure: no I/O, no clock - `now` is always an argument.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_HOURS: Mapping[int, tuple[time, time]] = MappingProxyType({
    0: (time(7, 30), time(16, 0)), 1: (time(7, 30), time(16, 0)), 2: (time(7, 30), time(16, 0)),
    3: (time(7, 30), time(16, 0)), 4: (time(7, 30), time(16, 30)),
})
ANSWER_WORKING_DAYS = 14
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MAX_GAP = 366  # no office is closed for a whole year: guards against endless searches

Pauses = Sequence[tuple[datetime, datetime | None]]


def national_closures(year: int) -> dict[date, str]:
    """Indonesian national holidays and cuti bersama of one year, as the `holidays` package has them."""
    return dict(holidays.country_holidays("ID", years=year, categories=("public", "government"),
                                          language="id"))


def _aware(dt: datetime, what: str = "datetime") -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what} {dt!r} is naive; give it a time zone (e.g. +07:00 for WIB)")
    return dt


@dataclass(frozen=True)
class OfficeCalendar:
    """An office's working days and hours in its own time zone."""

    tz: ZoneInfo
    closed: Mapping[date, str]  # every non-working weekday date -> name (holiday, cuti bersama, closure)
    hours: Mapping[int, tuple[time, time]] = field(default_factory=lambda: DEFAULT_HOURS)
    # Years whose national closures are already in `closed`; other years are fetched from the
    # package on first use (minus `removed`). None: `closed` is complete, no package look-ups.
    loaded_years: frozenset[int] | None = None
    removed: frozenset[date] = frozenset()
    _lazy: dict[int, dict[date, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, years: Iterable[int], tz_name: str = DEFAULT_TIMEZONE,
              added: Mapping[date, str] | None = None, removed: Iterable[date] = (),
              hours: Mapping[int, tuple[time, time]] | None = None) -> OfficeCalendar:
        """National closures for `years` (widened by min-1..max+2), minus `removed`, plus `added`."""
        hours = MappingProxyType(dict(DEFAULT_HOURS if hours is None else hours))
        for wd, (opens, closes) in hours.items():
            if not (0 <= wd <= 6 and opens < closes):
                raise ValueError(f"bad office hours for weekday {wd}: {opens}-{closes}")
        years = set(years)
        loaded = frozenset(range(min(years) - 1, max(years) + 3)) if years else frozenset()
        removed = frozenset(removed)
        closed: dict[date, str] = {}
        for year in sorted(loaded):
            closed.update(national_closures(year))
        closed = {d: n for d, n in closed.items() if d not in removed}
        closed.update(added or {})  # the office's own additions win over everything
        closed = {d: n for d, n in closed.items() if d.weekday() in hours}
        return cls(ZoneInfo(tz_name), MappingProxyType(closed), hours, loaded, removed)

    def closed_reason(self, d: date) -> str | None:
        """Why `d` is not a working day ("Sabtu", "Minggu", a holiday name), or None if it is one."""
        if d.weekday() not in self.hours:
            return DAY_NAMES[d.weekday()]
        if d in self.closed:
            return self.closed[d]
        if self.loaded_years is None or d.year in self.loaded_years or d in self.removed:
            return None
        if d.year not in self._lazy:
            self._lazy[d.year] = national_closures(d.year)
        return self._lazy[d.year].get(d)

    def is_working_day(self, d: date) -> bool:
        """True when the office opens on `d`."""
        return self.closed_reason(d) is None

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        for step in range(1, _MAX_GAP + 1):
            if self.is_working_day(d + timedelta(days=step)):
                return d + timedelta(days=step)
        raise ValueError(f"no working day within {_MAX_GAP} days after {d}")

    def _at(self, d: date, which: int) -> datetime:
        if not self.is_working_day(d):
            raise ValueError(f"{d} is not a working day ({self.closed_reason(d)})")
        return datetime.combine(d, self.hours[d.weekday()][which], tzinfo=self.tz)

    def opening(self, d: date) -> datetime:
        """Opening time of working day `d` in the office zone (ValueError on a closed day)."""
        return self._at(d, 0)

    def closing(self, d: date) -> datetime:
        """Closing time of working day `d` in the office zone (ValueError on a closed day)."""
        return self._at(d, 1)

    def local(self, at: datetime) -> datetime:
        """`at` converted to the office zone (ValueError if naive)."""
        return _aware(at).astimezone(self.tz)

    def is_open(self, at: datetime) -> bool:
        """True when `at` falls in office hours on a working day (closing time itself is closed)."""
        at = self.local(at)
        d = at.date()
        return self.is_working_day(d) and self.opening(d) <= at < self.closing(d)

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself if the office is open then, else the next opening instant."""
        at = self.local(at)
        d = at.date()
        if self.is_working_day(d) and at < self.closing(d):
            return max(at, self.opening(d))
        return self.opening(self.next_working_day(d))

    def clock_start(self, received_at: datetime) -> datetime:
        """When the answer clock starts for a complaint received at `received_at`."""
        return self.next_opening(_aware(received_at, "received_at"))

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Closing time of the n-th working day after `start`'s local date (n=0: that date's closing)."""
        if n < 0:
            raise ValueError(f"cannot add a negative number of working days ({n})")
        d = self.local(start).date()
        for _ in range(n):
            d = self.next_working_day(d)
        return self.closing(d)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Number of working days d with start.date < d <= end.date (local dates)."""
        return len(self._days(self.local(start).date(), self.local(end).date()))

    def _days(self, after: date, upto: date) -> list[date]:
        days, d = [], after
        while (d := d + timedelta(days=1)) <= upto:
            if self.is_working_day(d):
                days.append(d)
        return days

    def _paused_days(self, start: datetime, paused: Pauses, now: datetime | None) -> set[date]:
        days: set[date] = set()
        for p0, p1 in paused:
            if p1 is None:
                if now is None:
                    raise ValueError("a pause that has not ended needs `now`")
                p1 = now
            first = max(self.local(p0).date(), start.date())
            days.update(self._days(first, self.local(p1).date()))
        return days

    def due_at(self, received_at: datetime, working_days: int = ANSWER_WORKING_DAYS,
               paused: Pauses = (), now: datetime | None = None) -> datetime:
        """Closing time of the last working day to answer, pushed back by the paused working days."""
        start = self.clock_start(received_at)
        if now is not None:
            _aware(now, "now")
        return self.add_working_days(start, working_days + len(self._paused_days(start, paused, now)))

    def working_days_elapsed(self, received_at: datetime, now: datetime, paused: Pauses = ()) -> int:
        """Unpaused working days after the clock-start date that have opened by `now` (0 before the start)."""
        start, now = self.clock_start(received_at), self.local(now)  # now < start: no day qualifies
        skip = self._paused_days(start, paused, now)  # only days up to `now` matter below
        return sum(1 for d in self._days(start.date(), now.date())
                   if d not in skip and now >= self.opening(d))

    def working_days_left(self, received_at: datetime, now: datetime, paused: Pauses = (),
                          limit: int = ANSWER_WORKING_DAYS) -> int:
        """limit - elapsed: 0 on the whole due day once it opened, -k on the k-th working day after it."""
        return limit - self.working_days_elapsed(received_at, now, paused)
