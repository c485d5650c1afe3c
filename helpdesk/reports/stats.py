"""Report arithmetic on plain rows: counts by dimension, SLA compliance, median and p90. Pure.

Definitions (the README's "Reports and the satisfaction survey" repeats them):
- working days taken: the R7 clock's working days from receipt to the (last) answer, paused
  days left out, as ``OfficeCalendar.working_days_elapsed`` counts them;
- on time: answered at or before the ticket's due instant (``answered_at <= due_at``: the due
  time itself counts as on time, as the queue's badge and overdue filter have it); a row without
  a due date falls back to at most ANSWER_WORKING_DAYS working days taken;
- SLA compliance: complaints answered on time / complaints decided, where decided means answered,
  or still open past the due date (late already; a paused one is not: its clock stands still); open complaints still within their time are
  left out until they are decided; suggestions carry no clock and are never counted;
- median: the middle value (the mean of the two middle values for an even count);
- p90: nearest rank: the smallest number of working days within which at least 90 % of the
  answered complaints were answered.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from math import ceil

from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.rules.lifecycle import OPEN_STATUSES

DIMENSIONS = ("channel", "service", "component", "tier", "unit")


@dataclass(frozen=True)
class TicketRow:
    """One ticket as the reports and exports see it (no personal data)."""

    number: str
    kind: str  # complaint | suggestion
    status: str
    channel: str
    service: str | None
    component: str | None
    tier: str | None
    unit: str | None
    received_at: datetime
    due_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    working_days: int | None  # taken to the answer (answered complaints only)
    outcome: str | None  # on_time | late | open (within time) | None (not counted: suggestion, rejected …)
    overdue: bool  # an open complaint past its due date now


def make_row(values: dict, pauses: Sequence[tuple[datetime, datetime | None]], cal: OfficeCalendar, *,
             limit: int, now: datetime) -> TicketRow:
    """Build a row from a ticket's columns: working days through the one calendar."""
    complaint = values["kind"] == "complaint"
    answered = values.get("answered_at")
    is_open = values["status"] in OPEN_STATUSES
    paused = values.get("paused_since") is not None  # waiting for the reporter: the clock stands still
    overdue = bool(complaint and is_open and not paused and values.get("due_at") and values["due_at"] < now)
    days, outcome = None, None
    if complaint and answered is not None:
        days = cal.working_days_elapsed(values["received_at"], answered, pauses)
        due = values.get("due_at")
        outcome = "on_time" if (answered <= due if due is not None else days <= limit) else "late"
    elif complaint and is_open:
        outcome = "late" if overdue else "open"
    fields = {k: values.get(k) for k in ("number", "kind", "status", "channel", "service", "component", "tier",
                                         "unit", "received_at", "due_at", "answered_at", "closed_at")}
    return TicketRow(**fields, working_days=days, outcome=outcome, overdue=overdue)


def median(values: Sequence[int]) -> Fraction | None:
    """The middle value of ``values`` (mean of the two middle ones for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[mid])
    return Fraction(ordered[mid - 1] + ordered[mid], 2)


def percentile(values: Sequence[int], pct: int) -> int | None:
    """Nearest-rank percentile: the smallest value with at least ``pct`` % of values at or below it."""
    if not values:
        return None
    if not 0 < pct <= 100:
        raise ValueError("a percentile is above 0 and at most 100")
    ordered = sorted(values)
    return ordered[ceil(Fraction(pct, 100) * len(ordered)) - 1]


@dataclass
class Summary:
    total: int = 0
    complaints: int = 0
    suggestions: int = 0
    by: dict[str, Counter] = field(default_factory=lambda: {d: Counter() for d in DIMENSIONS})
    outcomes: Counter = field(default_factory=Counter)  # on_time / late / open
    answered_days: list[int] = field(default_factory=list)
    overdue: int = 0  # of the period's complaints, open past their due date now

    def add(self, row: TicketRow) -> None:
        self.total += 1
        if row.kind == "complaint":
            self.complaints += 1
        else:
            self.suggestions += 1
        for dim in DIMENSIONS:
            self.by[dim][(getattr(row, dim), row.kind)] += 1
        if row.outcome:
            self.outcomes[row.outcome] += 1
        if row.working_days is not None:
            self.answered_days.append(row.working_days)
        self.overdue += row.overdue

    @property
    def answered(self) -> int:
        return len(self.answered_days)

    @property
    def decided(self) -> int:
        return self.outcomes["on_time"] + self.outcomes["late"]

    @property
    def compliance(self) -> Fraction | None:
        """Share answered on time among the decided complaints (None when none is decided)."""
        return Fraction(self.outcomes["on_time"], self.decided) if self.decided else None

    @property
    def median_days(self) -> Fraction | None:
        return median(self.answered_days)

    @property
    def p90_days(self) -> int | None:
        return percentile(self.answered_days, 90)

    def table(self, dim: str) -> list[tuple[str | None, int, int, int]]:
        """(value, complaints, suggestions, total) per value of ``dim``, the largest total first."""
        values = {v for v, _ in self.by[dim]}
        rows = [(v, self.by[dim][(v, "complaint")], self.by[dim][(v, "suggestion")]) for v in values]
        return sorted(((v, c, s, c + s) for v, c, s in rows), key=lambda r: (-r[3], r[0] or "\uffff"))


def summarize(rows: Iterable[TicketRow]) -> Summary:
    """Fold the rows into one summary."""
    summary = Summary()
    for row in rows:
        summary.add(row)
    return summary


def fold(rows: Iterable[TicketRow], cal: OfficeCalendar, *, since: datetime,
         months: Sequence[date] = ()) -> tuple[Summary, dict[date, Summary]]:
    """One pass over the rows: the summary of those received from ``since`` on, and one summary per
    month of receipt (office-zone date) for the months given."""
    summary, monthly = Summary(), {m: Summary() for m in months}
    for row in rows:
        if row.received_at >= since:
            summary.add(row)
        key = cal.local(row.received_at).date().replace(day=1)
        if key in monthly:
            monthly[key].add(row)
    return summary, monthly
