"""Report arithmetic, periods and charts: pure, on a plain Monday-Friday calendar and hand-computed values."""
from __future__ import annotations

import re
from datetime import date, datetime
from fractions import Fraction
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.reports import charts, periods
from helpdesk.reports.stats import fold, make_row, median, percentile, summarize
from helpdesk.rules.calendar import OfficeCalendar

WIB = ZoneInfo("Asia/Jakarta")
PLAIN = OfficeCalendar(WIB, MappingProxyType({}), loaded_years=None)  # Mon-Fri, no holidays
NOW = datetime(2025, 12, 15, 10, 0, tzinfo=WIB)


def at(day: int, month: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=WIB)


def row(number, received, *, kind="complaint", status="answered", answered=None, due=None, pauses=(),
        channel="email", service="A", component=None, tier="internal", unit="U1"):
    values = dict(number=number, kind=kind, status=status, channel=channel, service=service, component=component,
                  tier=tier, unit=unit, received_at=received, due_at=due, answered_at=answered, closed_at=None)
    return make_row(values, pauses, PLAIN, limit=14, now=NOW)


def test_working_days_taken_on_a_plain_calendar():
    # Mon 6 Oct 10:00 -> Fri 10 Oct: 7, 8, 9, 10 October = 4 working days.
    assert row("A1", at(6, 10), answered=at(10, 10, 11)).working_days == 4
    # Mon 6 Oct -> Fri 24 Oct: 4 + 5 + 5 = 14, still on time.
    on_limit = row("A2", at(6, 10, 9), answered=at(24, 10))
    assert (on_limit.working_days, on_limit.outcome) == (14, "on_time")
    # Mon 27 Oct is the 15th: late.
    late = row("A3", at(6, 10, 9), answered=at(27, 10))
    assert (late.working_days, late.outcome) == (15, "late")
    # Received Mon 20 Oct 18:00, after hours: the clock starts Tue 21 Oct; answered that day: 0.
    assert row("A4", at(20, 10, 18), answered=at(21, 10, 15)).working_days == 0


def test_paused_days_are_left_out_of_the_days_taken():
    # Mon 13 Oct -> Mon 3 Nov is 15 working days; paused Tue 14 -> Fri 17 Oct covers 15, 16, 17 October.
    pause = [(at(14, 10), at(17, 10))]
    assert row("P0", at(13, 10, 9), answered=at(3, 11)).working_days == 15
    paused = row("P1", at(13, 10, 9), answered=at(3, 11), pauses=pause)
    assert (paused.working_days, paused.outcome) == (12, "on_time")


def test_open_complaints_and_suggestions():
    overdue = row("O1", at(3, 11, 9), status="in_analysis", due=at(21, 11, 16, 30))
    assert (overdue.outcome, overdue.overdue, overdue.working_days) == ("late", True, None)
    running = row("O2", at(8, 12, 9), status="verified", due=datetime(2025, 12, 26, 16, 30, tzinfo=WIB))
    assert (running.outcome, running.overdue) == ("open", False)
    suggestion = row("S1", at(8, 10), kind="suggestion", status="acknowledged")
    assert (suggestion.outcome, suggestion.overdue) == (None, False)
    rejected = row("R1", at(8, 10), status="rejected")
    assert rejected.outcome is None


def test_summary_of_a_hand_computed_set():
    rows = [row("A1", at(6, 10), answered=at(10, 10, 11)), row("A2", at(6, 10, 9), answered=at(24, 10)),
            row("A3", at(6, 10, 9), answered=at(27, 10), channel="telegram", service="B"),
            row("P1", at(13, 10, 9), answered=at(3, 11), pauses=[(at(14, 10), at(17, 10))], channel="whatsapp"),
            row("A4", at(20, 10, 18), answered=at(21, 10, 15), channel="phone"),
            row("O1", at(3, 11, 9), status="in_analysis", due=at(21, 11, 16, 30)),
            row("O2", at(8, 12, 9), status="verified", due=datetime(2025, 12, 26, 16, 30, tzinfo=WIB), channel="web"),
            row("S1", at(8, 10), kind="suggestion", status="acknowledged", channel="web", tier=None, unit=None)]
    s = summarize(rows)
    assert (s.total, s.complaints, s.suggestions, s.answered) == (8, 7, 1, 5)
    assert sorted(s.answered_days) == [0, 4, 12, 14, 15]
    assert (s.outcomes["on_time"], s.outcomes["late"], s.outcomes["open"]) == (4, 2, 1)
    assert s.compliance == Fraction(4, 6)  # A3 answered late and O1 open past due count as late
    assert s.median_days == 12 and s.p90_days == 15 and s.overdue == 1
    assert s.table("channel") == [("email", 3, 0, 3), ("web", 1, 1, 2), ("phone", 1, 0, 1),
                                  ("telegram", 1, 0, 1), ("whatsapp", 1, 0, 1)]
    assert s.table("tier")[-1] == (None, 0, 1, 1)  # "not set" is listed last among equals


def test_fold_splits_the_period_from_the_trend_months():
    rows = [row("X0", datetime(2025, 9, 30, 23, 30, tzinfo=WIB), answered=at(1, 10)),  # 16:30 UTC: still 30 Sep
            row("X1", at(1, 10), answered=at(2, 10)), row("X2", at(1, 11), answered=at(3, 11))]
    summary, months = fold(rows, PLAIN, since=periods.quarter(2025, 4).bounds(WIB)[0],
                           months=[date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)])
    assert summary.total == 2
    assert [m.total for m in months.values()] == [1, 1, 1]


def test_median_and_nearest_rank_percentile_by_hand():
    assert median([]) is None and percentile([], 90) is None
    assert median([5]) == 5 and median([1, 2]) == Fraction(3, 2) and median([7, 1, 3]) == 3
    ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert percentile(ten, 90) == 9 and percentile(ten + [11], 90) == 10 and percentile(ten, 100) == 10
    assert percentile([3, 1, 2], 50) == 2
    with pytest.raises(ValueError):
        percentile(ten, 0)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=200))
def test_p90_is_the_smallest_value_covering_ninety_percent(values):
    p = percentile(values, 90)
    assert p in values
    assert 10 * sum(1 for v in values if v <= p) >= 9 * len(values)
    assert 10 * sum(1 for v in values if v < p) < 9 * len(values)
    m = median(values)
    assert min(values) <= m <= max(values)


def test_periods_and_their_labels():
    q = periods.parse({}, date(2026, 5, 20))
    assert (q.kind, q.start, q.end, q.label()) == ("quarter", date(2026, 4, 1), date(2026, 7, 1), "Triwulan II 2026")
    assert periods.parse({"periode": "bulan", "tahun": "2025", "bulan": "12"}, date(2026, 1, 1)).end == date(2026, 1, 1)
    assert periods.parse({"periode": "tahun", "tahun": "2025"}, date(2026, 1, 1)).label("en") == "2025"
    custom = periods.parse({"periode": "rentang", "dari": "2025-10-06", "sampai": "2025-10-10"}, date(2026, 1, 1))
    assert custom.end == date(2025, 10, 11) and custom.label() == "06-10-2025 – 10-10-2025"
    assert periods.parse(periods.query_args(custom), date(2026, 1, 1)) == custom
    assert periods.quarter(2025, 4).months() == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
    assert periods.previous(periods.quarter(2026, 1)) == periods.quarter(2025, 4)
    assert periods.quarter(2025, 4).slug == "2025-Q4" and periods.month(2025, 3).label("en") == "March 2025"
    for bad in ({"periode": "minggu"}, {"periode": "bulan", "bulan": "13"}, {"periode": "triwulan", "triwulan": "5"},
                {"periode": "rentang", "dari": "2025-10-10", "sampai": "2025-10-01"}, {"periode": "rentang"},
                {"tahun": "20x5"}):
        with pytest.raises(ValueError):
            periods.parse(bad, date(2026, 1, 1))


def test_a_period_starts_at_the_office_zone_midnight():
    start, end = periods.month(2025, 10).bounds(WIB)
    assert start.isoformat() == "2025-09-30T17:00:00+00:00" and end.isoformat() == "2025-10-31T17:00:00+00:00"


def test_the_chart_is_inline_svg_with_a_title_and_bars_scaled_to_the_numbers():
    svg = str(charts.bar_chart("Laporan <per> bulan", ["Okt 25", "Nov 25"],
                               [("Pengaduan", [6, 3]), ("Saran", [0, None])], note="Angka ada di tabel", chart_id="c1"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "Laporan &lt;per&gt; bulan" in svg
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="[^"]+"><title>([^<]+)', svg)
    assert [t for _, t in bars] == ["Okt 25 · Pengaduan: 6", "Okt 25 · Saran: 0", "Nov 25 · Pengaduan: 3"]
    heights = [float(h) for h, _ in bars]
    assert heights[0] == pytest.approx(2 * heights[2]) and heights[1] == 0
    assert "<script" not in svg and "style=" not in svg  # nothing the page's CSP would block
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8] and charts.nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert charts.nice_ticks(0) == [0, 1] and charts.nice_ticks(3) == [0, 1, 2, 3]


def test_answered_on_time_means_at_or_before_the_due_instant():
    # Due Fri 24 Oct 16:30: answered at that instant is on time, a minute later is late,
    # although both fall on the 14th working day.
    due = at(24, 10, 16, 30)
    assert row("B1", at(6, 10, 9), answered=due, due=due).outcome == "on_time"
    late = row("B2", at(6, 10, 9), answered=at(24, 10, 16, 31), due=due)
    assert (late.working_days, late.outcome) == (14, "late")


def test_a_paused_complaint_past_its_old_due_date_is_neither_overdue_nor_decided():
    values = dict(number="W1", kind="complaint", status="in_analysis", channel="email", service="A", component=None,
                  tier="internal", unit="U1", received_at=at(3, 11, 9), due_at=at(21, 11, 16, 30), answered_at=None,
                  closed_at=None, paused_since=at(20, 11))
    waiting = make_row(values, [(at(20, 11), None)], PLAIN, limit=14, now=NOW)
    assert (waiting.overdue, waiting.outcome) == (False, "open")
