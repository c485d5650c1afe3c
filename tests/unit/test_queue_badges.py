"""The queue's working-days-left badge, counted once per due day."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.web.officer.queue import BADGE_CAP, badges, working_days_left

CAL = OfficeCalendar.build([2026])
WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_badge_counts_working_days_across_idul_fitri():
    now = wib(2026, 3, 16, 10, 0)  # Monday; 18-24 March: Nyepi, Idul Fitri and their cuti bersama
    assert working_days_left(CAL, wib(2026, 3, 17, 16, 0), now) == 1
    assert working_days_left(CAL, wib(2026, 3, 16, 16, 0), now) == 0  # due today
    assert working_days_left(CAL, wib(2026, 3, 27, 16, 0), now) == 4  # 17, 25, 26, 27 March
    assert working_days_left(CAL, wib(2026, 3, 13, 16, 0), now) == -1  # Friday: one working day late
    assert working_days_left(CAL, None, now) is None
    assert working_days_left(CAL, now + timedelta(days=400), now) == BADGE_CAP
    assert working_days_left(CAL, now - timedelta(days=400), now) == -BADGE_CAP


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(min_value=-300 * 24, max_value=300 * 24)), max_size=30))
def test_badges_match_one_by_one(hours):
    now = wib(2026, 6, 10, 9, 15)
    tickets = [SimpleNamespace(id=i, status="in_analysis", due_at=None if h is None else now + timedelta(hours=h),
                               paused_since=None) for i, h in enumerate(hours)]
    assert badges(CAL, tickets, now) == {t.id: working_days_left(CAL, t.due_at, now) for t in tickets}


def test_tickets_whose_clock_stopped_get_no_badge():
    now = wib(2026, 6, 10, 9, 15)
    tickets = [SimpleNamespace(id=i, status=s, due_at=now - timedelta(days=3), paused_since=None)
               for i, s in enumerate(["answered", "closed", "merged", "received", "reopened"])]
    tickets.append(SimpleNamespace(id=5, status="in_analysis", due_at=now - timedelta(days=3),
                                   paused_since=now - timedelta(days=4)))  # waiting for the reporter
    assert badges(CAL, tickets, now) == {0: None, 1: None, 2: None, 3: -3, 4: -3, 5: None}
