"""Reminder marks, stage targets and escalation steps (helpdesk.rules.sla): hand-checked and properties."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.rules import sla
from helpdesk.rules.calendar import OfficeCalendar

WIB = ZoneInfo("Asia/Jakarta")
CAL = OfficeCalendar.build([2026])
POLICY = sla.Policy()


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def clock(received, *, status="received", kind="complaint", paused=(), now=None, cal=CAL):
    return sla.Clock(kind, status, received, cal.due_at(received, paused=paused, now=now), tuple(paused))


def table(marks) -> dict[str, datetime]:
    return {m.kind: m.at for m in marks}


# Counted by hand on the 2026 wall calendar: Nyepi 19 March with cuti bersama 18 March, Idul
# Fitri 21-22 March with cuti bersama 20, 23 and 24 March, Good Friday 3 April.
def test_every_mark_across_idul_fitri_2026():
    received = wib(2026, 3, 2, 10, 0)  # Monday; working day 1 is Tuesday 3 March
    assert table(sla.plan(CAL, clock(received), POLICY, received)) == {
        "verification_wd2": wib(2026, 3, 4, 7, 30),
        "verification_due": wib(2026, 3, 5, 7, 30),
        "answer_wd7": wib(2026, 3, 11, 7, 30),
        "answer_wd10": wib(2026, 3, 16, 7, 30),
        "answer_wd12": wib(2026, 3, 25, 7, 30),  # 17 March is day 11; 18-24 March are closed
        "answer_wd13": wib(2026, 3, 26, 7, 30),
        "answer_due": wib(2026, 3, 27, 7, 30),  # due at 16:30 that Friday
        "escalate_next": wib(2026, 3, 30, 7, 30),
        "escalate_head": wib(2026, 4, 2, 7, 30),  # three working days on: 31 March, 1 and 2 April
    }


def test_received_in_the_holiday_starts_at_the_next_opening():
    received = wib(2026, 3, 20, 9, 0)  # cuti bersama: the clock starts Wednesday 25 March 07:30
    marks = table(sla.plan(CAL, clock(received), POLICY, received))
    assert marks["verification_wd2"] == wib(2026, 3, 27, 7, 30)
    assert marks["verification_due"] == wib(2026, 3, 30, 7, 30)
    assert marks["answer_wd7"] == wib(2026, 4, 6, 7, 30)  # Good Friday 3 April is skipped
    assert marks["answer_due"] == wib(2026, 4, 15, 7, 30)
    assert marks["escalate_next"] == wib(2026, 4, 16, 7, 30)
    assert marks["escalate_head"] == wib(2026, 4, 21, 7, 30)


def test_the_head_step_follows_the_configured_further_working_days():
    received = wib(2026, 3, 2, 10, 0)
    marks = table(sla.plan(CAL, clock(received), sla.Policy(head_after=4), received))
    assert marks["escalate_head"] == wib(2026, 4, 6, 7, 30)  # 31 Mar, 1, 2 Apr, (Good Friday), 6 Apr


def test_a_pause_pushes_the_marks_back_by_its_working_days():
    received = wib(2026, 3, 2, 10, 0)
    pause = (wib(2026, 3, 6, 9, 0), wib(2026, 3, 11, 14, 0))  # covers 9, 10 and 11 March
    marks = table(sla.plan(CAL, clock(received, status="in_analysis", paused=[pause]), POLICY, received))
    assert marks["answer_wd7"] == wib(2026, 3, 16, 7, 30)  # 3-6 March, then 12, 13 and 16 March
    assert marks["answer_wd10"] == wib(2026, 3, 26, 7, 30)
    assert marks["answer_due"] == wib(2026, 4, 1, 7, 30)  # 27, 30, 31 March, 1 April: days 11-14
    assert marks["escalate_next"] == wib(2026, 4, 2, 7, 30)
    assert "verification_due" not in marks  # in analysis: the verification stage is done


@pytest.mark.parametrize("kind,status,paused", [
    ("suggestion", "received", ()),
    ("complaint", "answered", ()),
    ("complaint", "closed", ()),
    ("complaint", "merged", ()),
    ("complaint", "in_analysis", ((wib(2026, 3, 6, 9, 0), None),)),  # waiting for the reporter
])
def test_no_marks_without_a_running_clock(kind, status, paused):
    received = wib(2026, 3, 2, 10, 0)
    c = sla.Clock(kind, status, received, CAL.due_at(received) if kind == "complaint" else None, paused)
    assert sla.plan(CAL, c, POLICY, wib(2026, 3, 9, 9, 0)) == []


def test_an_office_closure_added_later_moves_the_marks_to_the_next_opening():
    received = wib(2026, 3, 2, 10, 0)
    due = CAL.due_at(received)
    closed = OfficeCalendar.build([2026], added={date(2026, 3, 11): "Libur kantor", date(2026, 3, 27): "Rapat"})
    marks = table(sla.plan(closed, sla.Clock("complaint", "received", received, due), POLICY, received))
    assert marks["answer_wd7"] == wib(2026, 3, 12, 7, 30)
    assert marks["answer_due"] == wib(2026, 3, 30, 7, 30)  # the stored due day closed: next opening


def test_stage_targets_and_their_marks_are_configurable():
    received = wib(2026, 3, 2, 10, 0)
    policy = sla.make_policy(14, "5, 9", "verification=2;analysis=6:4,5", 2)
    marks = table(sla.plan(CAL, clock(received, status="verified"), policy, received))
    assert {k for k in marks if not k.startswith("escalate")} == {
        "answer_wd5", "answer_wd9", "answer_due", "analysis_wd4", "analysis_wd5", "analysis_due"}
    assert marks["analysis_due"] == wib(2026, 3, 10, 7, 30)


@pytest.mark.parametrize("marks,stages,head,message", [
    ("7,x", "", 3, "whole numbers"),
    ("0,7", "", 3, "between 1 and 13"),
    ("14", "", 3, "between 1 and 13"),
    ("7", "triage=3", 3, "unknown stage"),
    ("7", "verification", 3, "looks like"),
    ("7", "verification=3:3", 3, "between 1 and 2"),
    ("7", "verification=0", 3, "at least one"),
    ("7", "", 0, "at least one working day"),
])
def test_bad_settings_are_refused_with_the_reason(marks, stages, head, message):
    with pytest.raises(ValueError, match=message):
        sla.make_policy(14, marks, stages, head)


def test_latest_due_speaks_for_each_series():
    received = wib(2026, 3, 2, 10, 0)
    marks = sla.plan(CAL, clock(received), POLICY, received)
    latest = sla.latest_due(marks, wib(2026, 3, 26, 9, 0))
    assert {s: m.kind for s, m in latest.items()} == {"answer": "answer_wd13", "verification": "verification_due"}


# ---- properties ---------------------------------------------------------------------------

instants = st.builds(lambda naive, tz: naive.replace(tzinfo=tz),
                     st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2027, 10, 31)),
                     st.sampled_from([WIB, timezone.utc, ZoneInfo("Asia/Jayapura")]))
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(received=instants, head_after=st.integers(1, 10))
def test_marks_are_openings_in_order_and_agree_with_the_calendar(received, head_after):
    policy = sla.Policy(head_after=head_after)
    marks = sla.plan(CAL, clock(received), policy, received)
    assert [m.at for m in marks] == sorted(m.at for m in marks)
    assert len({m.kind for m in marks}) == len(marks)
    for m in marks:
        d = CAL.local(m.at).date()
        assert CAL.is_working_day(d) and m.at == CAL.opening(d), m  # never a holiday, never after hours
        if m.working_day is not None:  # "after n working days" is when n have opened
            assert CAL.working_days_elapsed(received, m.at) == m.working_day
            assert CAL.working_days_elapsed(received, m.at - timedelta(seconds=1)) == m.working_day - 1
    by = table(marks)
    due = CAL.due_at(received)
    assert CAL.local(by["answer_due"]).date() == due.date()
    assert by["escalate_next"] > due and CAL.working_days_left(received, by["escalate_next"]) == -1
    assert CAL.working_days_between(by["escalate_next"], by["escalate_head"]) == head_after


@FAST
@given(received=instants, offset=st.integers(0, 20 * 24 * 60), length=st.integers(0, 15 * 24 * 60))
def test_a_finished_pause_never_brings_a_mark_forward(received, offset, length):
    start = CAL.clock_start(received)
    pause = (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
    plain = table(sla.plan(CAL, clock(received, status="verified"), POLICY, received))
    paused = table(sla.plan(CAL, clock(received, status="verified", paused=[pause]), POLICY, pause[1]))
    assert plain.keys() == paused.keys()
    for kind in plain:
        assert paused[kind] >= plain[kind], kind
    k = CAL.working_days_between(pause[0], pause[1])
    if pause[1] < plain["answer_wd7"]:  # paused before the mark: pushed by exactly the paused days
        assert CAL.working_days_between(plain["answer_wd7"], paused["answer_wd7"]) == k


@FAST
@given(received=instants, now=instants)
def test_latest_due_is_the_last_passed_mark_of_each_series(received, now):
    marks = sla.plan(CAL, clock(received), POLICY, received)
    latest = sla.latest_due(marks, now)
    for series, mark in latest.items():
        assert mark.at <= now and mark.series == series
        assert not [m for m in marks if m.series == series and mark.at < m.at <= now]
    assert set(latest) == {m.series for m in marks if m.at <= now}
    assert all(isinstance(m.at.time(), time) for m in marks)


def test_a_longer_chain_is_climbed_one_level_per_interval_then_the_head():
    received = wib(2026, 3, 2, 10, 0)  # due Friday 27 March 16:30
    chain4 = sla.Clock("complaint", "in_analysis", received, CAL.due_at(received), levels=4)
    marks = {k: v for k, v in table(sla.plan(CAL, chain4, POLICY, received)).items() if k.startswith("escalate")}
    assert marks == {
        "escalate_next": wib(2026, 3, 30, 7, 30),  # level 1: the unit's head
        "escalate_l2": wib(2026, 4, 2, 7, 30),  # three working days on: 31 March, 1 and 2 April
        "escalate_l3": wib(2026, 4, 8, 7, 30),  # Good Friday skipped: 6, 7 and 8 April
        "escalate_head": wib(2026, 4, 13, 7, 30),  # 9, 10 and 13 April
    }
    for levels in (0, 1, 2):  # no chain, or a short one: the first step, then the head
        short = sla.Clock("complaint", "in_analysis", received, CAL.due_at(received), levels=levels)
        assert [k for k in table(sla.plan(CAL, short, POLICY, received)) if k.startswith("escalate")] == [
            "escalate_next", "escalate_head"]
