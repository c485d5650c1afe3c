"""Reminder marks before the answer limit, stage targets, and escalation steps past it.

A mark "after n working days" falls at the opening of the n-th counted working day after the
clock-start date: the instant the calendar's ``working_days_elapsed`` reaches n. Marks are
therefore always at an opening; a mark never falls on a holiday, a cuti bersama or outside
office hours, and paused working days (waiting for the reporter) are not counted, so a pause
pushes every later mark back.

Default answer marks: after 7, 10, 12 and 13 working days, and on the due day (the opening of
the day the answer is due, the ticket's stored ``due_at``). Stage targets (e.g. verification
within 3 working days) have their own marks and due day while the ticket is still in the
stage. Past due the ticket climbs its unit's chain one level per step: ``escalate_next`` at the
first opening after the due time (the unit's head), then one more level every ``head_after``
working days (``escalate_l2``, ``escalate_l3`` … for the levels in between), ending with
``escalate_head`` (the head of office). A chain of ``levels`` units has ``levels`` steps; a
ticket without a chain (no unit, not internal) has two: the supervisors, then the head.
Suggestions, finished tickets and paused tickets have no marks.

Pure: no Flask, no I/O, no clock; ``now`` is an argument.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from helpdesk.rules.calendar import OfficeCalendar, Pauses
from helpdesk.rules.lifecycle import OPEN_STATUSES, Status

ANSWER = "answer"
ESCALATION = "escalation"
ESCALATE_NEXT, ESCALATE_HEAD = "escalate_next", "escalate_head"
ESCALATE_LEVEL = "escalate_l{n}"  # the in-between steps of a longer chain: level n
DEFAULT_MARKS = (7, 10, 12, 13)
DEFAULT_HEAD_AFTER = 3

# Stages a target can be set for: the statuses in which the stage is not done yet.
STAGE_STATUSES: dict[str, frozenset[str]] = {
    "verification": frozenset({Status.RECEIVED.value}),
    "analysis": frozenset({Status.RECEIVED.value, Status.VERIFIED.value, Status.IN_ANALYSIS.value}),
}


@dataclass(frozen=True)
class Stage:
    """A stage target: leave ``statuses`` within ``working_days``, reminded at ``marks``."""

    name: str
    working_days: int
    marks: tuple[int, ...] = ()

    @property
    def statuses(self) -> frozenset[str]:
        return STAGE_STATUSES[self.name]


@dataclass(frozen=True)
class Policy:
    answer_days: int = 14
    marks: tuple[int, ...] = DEFAULT_MARKS
    head_after: int = DEFAULT_HEAD_AFTER  # working days between escalation steps (one level each)
    stages: tuple[Stage, ...] = (Stage("verification", 3, (2,)),)


@dataclass(frozen=True)
class Clock:
    """The plain facts of a ticket the marks depend on."""

    kind: str  # complaint | suggestion
    status: str
    received_at: datetime  # where the current clock round counts from (the receipt, or the reopening)
    due_at: datetime | None
    paused: Pauses = ()
    levels: int = 0  # units in the ticket's escalation chain (its unit up to the office head's); 0: none


@dataclass(frozen=True, order=True)
class Mark:
    at: datetime
    kind: str = field(compare=False)  # the reminder row's kind, unique per ticket
    series: str = field(compare=False)  # answer | a stage name | escalation
    working_day: int | None = field(default=None, compare=False)  # None: the due day / a step

    @property
    def is_escalation(self) -> bool:
        return self.series == ESCALATION


def plan(cal: OfficeCalendar, clock: Clock, policy: Policy, now: datetime) -> list[Mark]:
    """Every mark of the ticket, in time order (sent or not: the caller knows which went out)."""
    if clock.kind != "complaint" or clock.due_at is None or Status(clock.status) not in OPEN_STATUSES:
        return []
    if any(end is None for _, end in clock.paused):
        return []  # the clock stands still: nothing is due until the reporter answers
    start = cal.clock_start(clock.received_at)
    skip = _paused_days(cal, start, clock.paused, now)
    marks = [Mark(_nth_opening(cal, start, n, skip), f"{ANSWER}_wd{n}", ANSWER, n)
             for n in policy.marks if 0 < n < policy.answer_days]
    due_day = _opening_of(cal, cal.local(clock.due_at).date())
    marks.append(Mark(due_day, f"{ANSWER}_due", ANSWER))
    for stage in policy.stages:
        if clock.status in stage.statuses:
            marks += [Mark(_nth_opening(cal, start, n, skip), f"{stage.name}_wd{n}", stage.name, n)
                      for n in stage.marks if 0 < n < stage.working_days]
            marks.append(Mark(_nth_opening(cal, start, stage.working_days, skip), f"{stage.name}_due",
                              stage.name))
    first = cal.next_opening(clock.due_at)
    if first <= clock.due_at:  # due_at inside office hours (not at closing): the next day's opening
        first = cal.opening(cal.next_working_day(cal.local(first).date()))
    steps = [ESCALATE_NEXT, *(ESCALATE_LEVEL.format(n=n) for n in range(2, clock.levels)), ESCALATE_HEAD]
    at = first
    for i, kind in enumerate(steps):
        if i:
            at = cal.opening(cal.local(cal.add_working_days(at, policy.head_after)).date())
        marks.append(Mark(at, kind, ESCALATION))
    return sorted(marks)


def latest_due(marks: list[Mark], now: datetime) -> dict[str, Mark]:
    """Per series, the latest mark already due at ``now``: after an outage it speaks for the rest."""
    out: dict[str, Mark] = {}
    for mark in sorted(marks):
        if mark.at <= now:
            out[mark.series] = mark
    return out


def _opening_of(cal: OfficeCalendar, d: date) -> datetime:
    """The opening of ``d``, or of the next working day when ``d`` has since been closed."""
    return cal.next_opening(datetime.combine(d, time(0), tzinfo=cal.tz))


def _nth_opening(cal: OfficeCalendar, start: datetime, n: int, skip: set[date]) -> datetime:
    d, counted = cal.local(start).date(), 0
    while counted < n:
        d = cal.next_working_day(d)
        if d not in skip:
            counted += 1
    return cal.opening(d)


def _paused_days(cal: OfficeCalendar, start: datetime, paused: Pauses, now: datetime) -> set[date]:
    """Working days d with p0.date < d <= p1.date after the clock-start date (the calendar's rule)."""
    days: set[date] = set()
    for p0, p1 in paused:
        d, last = max(cal.local(p0).date(), cal.local(start).date()), cal.local(p1 or now).date()
        while (d := cal.next_working_day(d)) <= last:
            days.add(d)
    return days


_STAGE = re.compile(r"^\s*([a-z_]+)\s*=\s*(\d+)\s*(?::\s*([\d,\s]*))?$")


def parse_marks(text: str, limit: int) -> tuple[int, ...]:
    """'7,10,12,13' -> (7, 10, 12, 13); each mark must lie before the limit."""
    try:
        marks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise ValueError(f"reminder marks must be whole numbers separated by commas, not {text!r}") from exc
    bad = [m for m in marks if not 0 < m < limit]
    if bad:
        raise ValueError(f"reminder marks {bad} must lie between 1 and {limit - 1} working days")
    return tuple(marks)


def parse_stages(text: str) -> tuple[Stage, ...]:
    """'verification=3:2;analysis=7:5,6' -> stages with their target and reminder marks."""
    stages = []
    for part in filter(str.strip, text.split(";")):
        match = _STAGE.match(part)
        if not match:
            raise ValueError(f"a stage target looks like 'verification=3:2', not {part.strip()!r}")
        name, days = match.group(1), int(match.group(2))
        if name not in STAGE_STATUSES:
            raise ValueError(f"unknown stage {name!r}; known: {', '.join(sorted(STAGE_STATUSES))}")
        if days < 1:
            raise ValueError(f"stage {name!r} needs at least one working day")
        stages.append(Stage(name, days, parse_marks(match.group(3) or "", days)))
    return tuple(stages)


def make_policy(answer_days: int, marks: str, stages: str, head_after: int) -> Policy:
    """The policy from the settings' text forms; ValueError names what is wrong."""
    if head_after < 1:
        raise ValueError("escalation steps lie at least one working day apart")
    return Policy(answer_days, parse_marks(marks, answer_days), head_after, parse_stages(stages))
