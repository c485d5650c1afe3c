"""Rule R7 office calendar: hand-checked due dates for 2026/2027, office changes, properties."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.rules.calendar import (
    ANSWER_WORKING_DAYS, DEFAULT_HOURS, DEFAULT_TIMEZONE, OfficeCalendar, national_closures,
)

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
CAL = OfficeCalendar.build([2026])
CAL_WITA = OfficeCalendar.build([2026], tz_name="Asia/Makassar")
CAL_WIT = OfficeCalendar.build([2026], tz_name="Asia/Jayapura")
CALENDARS = [CAL, CAL_WITA, CAL_WIT]


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


# Source: SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1497 Tahun 2025,
# Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 on national holidays and cuti bersama 2026
# (published by Kemenko PMK; 17 national holidays + 8 days of cuti bersama).
HOLIDAYS_2026 = [date(2026, 1, 1), date(2026, 1, 16), date(2026, 2, 17), date(2026, 3, 19),
                 date(2026, 3, 21), date(2026, 3, 22), date(2026, 4, 3), date(2026, 4, 5),
                 date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 27), date(2026, 5, 31),
                 date(2026, 6, 1), date(2026, 6, 16), date(2026, 8, 17), date(2026, 8, 25),
                 date(2026, 12, 25)]
CUTI_BERSAMA_2026 = [date(2026, 2, 16), date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23),
                     date(2026, 3, 24), date(2026, 5, 15), date(2026, 5, 28), date(2026, 12, 24)]
# No SKB for 2027 yet: the table below relies on what holidays 0.109 gives for January 2027.
JANUARY_2027 = {date(2027, 1, 1): "Tahun Baru Masehi", date(2027, 1, 5): "Isra Mikraj Nabi Muhammad"}


def test_the_package_has_the_2026_skb_list():
    gov = holidays.country_holidays("ID", years=2026, categories=("government",), language="id")
    assert sorted(gov) == CUTI_BERSAMA_2026
    assert all(name.startswith("Cuti Bersama") for name in gov.values())
    assert sorted(national_closures(2026)) == sorted(HOLIDAYS_2026 + CUTI_BERSAMA_2026)


def test_the_package_january_2027_used_by_the_table():
    jan = {d: n for d, n in national_closures(2027).items() if d.month == 1}
    assert jan == JANUARY_2027


# Every expected value was counted by hand on a 2026/2027 wall calendar.
DUE_TABLE = [
    # (received, expected clock start, expected due)
    pytest.param(wib(2026, 3, 2, 10, 0), wib(2026, 3, 2, 10, 0), wib(2026, 3, 27, 16, 30), id="rule-example"),
    pytest.param(wib(2026, 3, 2, 7, 0), wib(2026, 3, 2, 7, 30), wib(2026, 3, 27, 16, 30), id="before-opening"),
    pytest.param(datetime.fromisoformat("2026-03-16T10:00+07:00"), wib(2026, 3, 16, 10, 0),
                 wib(2026, 4, 13, 16, 0), id="across-lebaran-and-good-friday"),
    pytest.param(wib(2026, 3, 19, 9, 0), wib(2026, 3, 25, 7, 30), wib(2026, 4, 15, 16, 0), id="on-nyepi"),
    pytest.param(wib(2026, 2, 5, 15, 59), wib(2026, 2, 5, 15, 59), wib(2026, 2, 27, 16, 30), id="thu-15:59-open"),
    pytest.param(wib(2026, 2, 5, 16, 0), wib(2026, 2, 6, 7, 30), wib(2026, 3, 2, 16, 0), id="thu-16:00-closed"),
    pytest.param(wib(2026, 2, 5, 16, 5), wib(2026, 2, 6, 7, 30), wib(2026, 3, 2, 16, 0), id="thu-after-closing"),
    pytest.param(wib(2026, 7, 10, 16, 15), wib(2026, 7, 10, 16, 15), wib(2026, 7, 30, 16, 0), id="fri-16:15-open"),
    pytest.param(wib(2026, 7, 10, 16, 45), wib(2026, 7, 13, 7, 30), wib(2026, 7, 31, 16, 30), id="fri-16:45-closed"),
    pytest.param(wib(2026, 1, 10, 10, 0), wib(2026, 1, 12, 7, 30), wib(2026, 2, 2, 16, 0), id="saturday"),
    pytest.param(wib(2026, 8, 15, 10, 0), wib(2026, 8, 18, 7, 30), wib(2026, 9, 8, 16, 0), id="sat-before-17-aug"),
    pytest.param(wib(2026, 12, 21, 10, 0), wib(2026, 12, 21, 10, 0), wib(2027, 1, 14, 16, 0), id="christmas-week"),
    pytest.param(wib(2026, 12, 24, 10, 0), wib(2026, 12, 28, 7, 30), wib(2027, 1, 19, 16, 0), id="cuti-natal"),
    pytest.param(wib(2026, 12, 28, 10, 0), wib(2026, 12, 28, 10, 0), wib(2027, 1, 19, 16, 0), id="after-christmas"),
    pytest.param(wib(2026, 12, 31, 16, 30), wib(2027, 1, 4, 7, 30), wib(2027, 1, 25, 16, 0), id="new-year-eve"),
    pytest.param(datetime(2026, 3, 2, 0, 15, tzinfo=timezone.utc), wib(2026, 3, 2, 7, 30),
                 wib(2026, 3, 27, 16, 30), id="utc-input"),
    pytest.param(datetime.fromisoformat("2026-03-02T07:15+08:00"), wib(2026, 3, 2, 7, 30),
                 wib(2026, 3, 27, 16, 30), id="wita-input-wib-office"),
]


@pytest.mark.parametrize("received, start, due", DUE_TABLE)
def test_due_dates_2026(received, start, due):
    assert CAL.clock_start(received) == start
    assert CAL.due_at(received) == due
    assert CAL.due_at(received).utcoffset() == timedelta(hours=7)
    assert CAL.working_days_between(start, due) == ANSWER_WORKING_DAYS


def test_an_office_in_wita():
    received = datetime.fromisoformat("2026-03-02T10:00+08:00")
    assert CAL_WITA.due_at(received).isoformat() == "2026-03-27T16:30:00+08:00"
    # 15:45 WIB is 16:45 WITA: closed in Makassar, the clock starts Tuesday.
    late = datetime.fromisoformat("2026-03-02T15:45+07:00")
    assert CAL_WITA.clock_start(late).isoformat() == "2026-03-03T07:30:00+08:00"
    assert CAL_WITA.due_at(late).isoformat() == "2026-03-30T16:00:00+08:00"
    assert CAL.clock_start(late) == late  # still open in Jakarta


def test_office_closure_and_cancelled_cuti_bersama_move_the_due_date():
    received = wib(2026, 3, 2, 10, 0)
    closure = OfficeCalendar.build([2026], added={date(2026, 3, 27): "Hari jadi kabupaten"})
    assert closure.due_at(received) == wib(2026, 3, 30, 16, 0)
    assert closure.closed_reason(date(2026, 3, 27)) == "Hari jadi kabupaten"
    cancelled = OfficeCalendar.build([2026], removed=[date(2026, 3, 18)])
    assert cancelled.is_working_day(date(2026, 3, 18))
    assert cancelled.due_at(received) == wib(2026, 3, 26, 16, 0)
    # a newly decreed cuti bersama on the clock-start day delays the start
    decreed = OfficeCalendar.build([2026], added={date(2026, 3, 2): "Cuti bersama baru"})
    assert decreed.clock_start(received) == wib(2026, 3, 3, 7, 30)
    assert decreed.due_at(received) == wib(2026, 3, 30, 16, 0)


def test_closed_reasons():
    assert CAL.closed_reason(date(2026, 3, 21)) == "Sabtu"  # Idul Fitri on a Saturday
    assert CAL.closed_reason(date(2026, 3, 22)) == "Minggu"
    assert CAL.closed_reason(date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert CAL.closed_reason(date(2026, 3, 23)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert CAL.closed_reason(date(2026, 3, 25)) is None
    assert date(2026, 3, 21) not in CAL.closed and date(2026, 3, 19) in CAL.closed
    assert CAL.next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)
    assert CAL.is_open(wib(2026, 3, 5, 7, 30)) and CAL.is_open(wib(2026, 3, 5, 15, 59))
    assert not CAL.is_open(wib(2026, 3, 5, 7, 29)) and not CAL.is_open(wib(2026, 3, 5, 16, 0))
    assert CAL.is_open(wib(2026, 3, 6, 16, 29)) and not CAL.is_open(wib(2026, 3, 6, 16, 30))
    assert not CAL.is_open(wib(2026, 3, 7, 10, 0)) and not CAL.is_open(wib(2026, 3, 19, 10, 0))
    assert CAL.next_opening(wib(2026, 3, 17, 16, 0)) == wib(2026, 3, 25, 7, 30)
    with pytest.raises(ValueError, match="not a working day"):
        CAL.opening(date(2026, 3, 19))


def test_years_outside_the_build_are_loaded_lazily():
    cal = OfficeCalendar.build([2026], removed=[date(2035, 8, 17)], added={date(2040, 3, 5): "Banjir"})
    assert 2035 not in cal.loaded_years
    assert cal.closed_reason(date(2035, 1, 1)) == "Tahun Baru Masehi"
    assert cal.is_working_day(date(2035, 8, 17))  # removed wins over the package
    assert not cal.is_working_day(date(2040, 3, 5))  # added wins too
    assert cal.closed_reason(date(2041, 1, 1)) == "Tahun Baru Masehi"
    empty = OfficeCalendar.build([])
    assert empty.due_at(wib(2026, 3, 2, 10, 0)) == wib(2026, 3, 27, 16, 30)


def test_custom_hours_and_defaults():
    assert DEFAULT_TIMEZONE == "Asia/Jakarta" and CAL.tz == WIB
    assert DEFAULT_HOURS[4] == (time(7, 30), time(16, 30)) and set(DEFAULT_HOURS) == {0, 1, 2, 3, 4}
    four_days = OfficeCalendar.build([2026], hours={d: (time(8), time(15)) for d in range(4)})
    assert four_days.closed_reason(date(2026, 3, 6)) == "Jumat"
    assert four_days.clock_start(wib(2026, 3, 5, 15, 0)) == wib(2026, 3, 9, 8, 0)
    with pytest.raises(ValueError, match="bad office hours"):
        OfficeCalendar.build([2026], hours={0: (time(16), time(8))})


def test_elapsed_and_left_by_hand():
    r = wib(2026, 3, 2, 10, 0)
    assert CAL.working_days_elapsed(r, wib(2026, 3, 2, 9, 0)) == 0  # before the clock start
    assert CAL.working_days_elapsed(r, wib(2026, 3, 2, 15, 0)) == 0  # the receipt day is not counted
    assert CAL.working_days_elapsed(r, wib(2026, 3, 4, 7, 0)) == 1  # day 2 has not opened yet
    assert CAL.working_days_elapsed(r, wib(2026, 3, 4, 8, 0)) == 2
    assert CAL.working_days_elapsed(r, wib(2026, 3, 22, 12, 0)) == 11  # lebaran counts nothing
    assert CAL.working_days_left(r, wib(2026, 3, 26, 16, 0)) == 1
    assert CAL.working_days_left(r, wib(2026, 3, 27, 7, 30)) == 0
    assert CAL.working_days_left(r, wib(2026, 3, 27, 16, 30)) == 0
    assert CAL.working_days_left(r, wib(2026, 3, 28, 10, 0)) == 0  # overdue, but no new working day
    assert CAL.working_days_left(r, wib(2026, 3, 30, 8, 0)) == -1
    assert CAL.working_days_left(r, wib(2026, 3, 31, 8, 0), limit=20) == 4


def test_paused_spans_by_hand():
    r = wib(2026, 3, 2, 10, 0)
    closed = [(wib(2026, 3, 5, 10, 0), wib(2026, 3, 9, 9, 0))]  # covers Fri 6 and Mon 9 March
    assert CAL.due_at(r, paused=closed) == wib(2026, 3, 31, 16, 0)
    assert CAL.working_days_elapsed(r, wib(2026, 3, 9, 12, 0), paused=closed) == 3
    assert CAL.working_days_left(r, wib(2026, 3, 31, 8, 0), paused=closed) == 0
    same_day = [(wib(2026, 3, 5, 10, 0), wib(2026, 3, 5, 15, 0))]
    assert CAL.due_at(r, paused=same_day) == wib(2026, 3, 27, 16, 30)
    still = [(wib(2026, 3, 5, 10, 0), None)]  # covers 6, 9 and 10 March at `now`
    now = wib(2026, 3, 10, 10, 0)
    assert CAL.due_at(r, paused=still, now=now) == wib(2026, 4, 1, 16, 0)
    assert CAL.working_days_elapsed(r, now, paused=still) == 3
    assert CAL.due_at(r, paused=closed + closed) == wib(2026, 3, 31, 16, 0)  # overlaps count once
    # received Friday evening, the clock starts Monday 9 March: a pause asked for over the weekend
    # only covers working days after the clock-start date (Tue 10 March), not Monday itself
    friday = wib(2026, 3, 6, 17, 0)
    assert CAL.due_at(friday) == wib(2026, 4, 6, 16, 0)
    assert CAL.due_at(friday, paused=[(wib(2026, 3, 7, 9, 0), wib(2026, 3, 10, 10, 0))]) == wib(2026, 4, 7, 16, 0)
    with pytest.raises(ValueError, match="needs `now`"):
        CAL.due_at(r, paused=still)


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 3, 2, 10, 0)
    aware = wib(2026, 3, 2, 10, 0)
    calls = [lambda: CAL.clock_start(naive), lambda: CAL.due_at(naive), lambda: CAL.is_open(naive),
             lambda: CAL.next_opening(naive), lambda: CAL.add_working_days(naive, 3),
             lambda: CAL.working_days_between(aware, naive), lambda: CAL.working_days_elapsed(aware, naive),
             lambda: CAL.working_days_left(naive, aware), lambda: CAL.due_at(aware, now=naive),
             lambda: CAL.due_at(aware, paused=[(naive, aware)])]
    for call in calls:
        with pytest.raises(ValueError, match="naive"):
            call()


def test_add_working_days_edges():
    assert CAL.add_working_days(wib(2026, 3, 17, 9, 0), 1) == wib(2026, 3, 25, 16, 0)
    assert CAL.add_working_days(wib(2026, 3, 2, 9, 0), 0) == wib(2026, 3, 2, 16, 0)
    with pytest.raises(ValueError):
        CAL.add_working_days(wib(2026, 3, 2, 9, 0), -1)


# ---- properties ---------------------------------------------------------------------------

ZONES = st.sampled_from([WIB, WITA, WIT, timezone.utc])
instants = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2028, 12, 31)), ZONES)
calendars = st.sampled_from(CALENDARS)
FAST = settings(max_examples=200, deadline=None)


@lru_cache(maxsize=None)
def package_closures(year: int) -> dict[date, str]:
    return national_closures(year)


def brute_working_days(cal, after: date, upto: date) -> int:
    """Independent count: weekdays after `after` up to `upto` that are not in the closed list."""
    n, d = 0, after + timedelta(days=1)
    while d <= upto:
        closed = d.weekday() >= 5 or d in cal.closed or d in package_closures(d.year)
        n += not closed
        d += timedelta(days=1)
    return n


@FAST
@given(cal=calendars, received=instants)
def test_due_is_the_closing_time_of_the_14th_working_day(cal, received):
    start, due = cal.clock_start(received), cal.due_at(received)
    assert start >= received and cal.is_open(start) and start.tzinfo is cal.tz
    if cal.is_open(received):
        assert start == received
    else:
        assert not cal.is_open(start - timedelta(minutes=1))
    assert due > received and due.tzinfo is cal.tz
    assert cal.is_working_day(due.date()) and due == cal.closing(due.date())
    assert due.time() in (time(16, 0), time(16, 30))
    assert cal.working_days_between(start, due) == ANSWER_WORKING_DAYS
    assert brute_working_days(cal, start.date(), due.date()) == ANSWER_WORKING_DAYS


@FAST
@given(cal=calendars, a=instants, b=instants)
def test_later_receipt_never_gives_an_earlier_due(cal, a, b):
    a, b = sorted([a, b])
    assert cal.clock_start(a) <= cal.clock_start(b)
    assert cal.due_at(a) <= cal.due_at(b)


@FAST
@given(cal=calendars, received=instants, offset=st.integers(0, 20 * 24 * 60),
       length=st.integers(0, 25 * 24 * 60))
def test_a_pause_of_k_working_days_pushes_the_due_by_k(cal, received, offset, length):
    start = cal.clock_start(received)
    p0 = start + timedelta(minutes=offset)
    p1 = p0 + timedelta(minutes=length)
    k = brute_working_days(cal, cal.local(p0).date(), cal.local(p1).date())
    assert cal.working_days_between(p0, p1) == k
    due = cal.due_at(received, paused=[(p0, p1)])
    assert due == cal.add_working_days(cal.due_at(received), k)
    assert cal.working_days_between(start, due) == ANSWER_WORKING_DAYS + k
    if p1 <= due:  # the clock restarted before the new due date: all of it counts
        assert cal.working_days_left(received, due, paused=[(p0, p1)]) == 0


@FAST
@given(cal=calendars, received=instants, now=instants, limit=st.integers(1, 30))
def test_elapsed_and_left_agree_with_due_at(cal, received, now, limit):
    elapsed = cal.working_days_elapsed(received, now)
    assert elapsed + cal.working_days_left(received, now, limit=limit) == limit
    assert elapsed >= 0
    due = cal.due_at(received, working_days=limit)
    assert cal.working_days_left(received, due, limit=limit) == 0
    day_before = cal.closing(due.date() - timedelta(days=1)) if cal.is_working_day(
        due.date() - timedelta(days=1)) else None
    previous = cal.add_working_days(cal.clock_start(received), limit - 1)
    assert cal.working_days_left(received, previous, limit=limit) == 1
    assert day_before is None or day_before == previous
    overdue = cal.opening(cal.next_working_day(due.date()))
    assert cal.working_days_left(received, overdue, limit=limit) == -1
    assert (now >= due) <= (cal.working_days_left(received, now, limit=limit) <= 0)


@FAST
@given(cal=calendars, received=instants, a=instants, b=instants)
def test_elapsed_never_goes_backwards(cal, received, a, b):
    a, b = sorted([a, b])
    assert cal.working_days_elapsed(received, a) <= cal.working_days_elapsed(received, b)
