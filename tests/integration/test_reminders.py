"""Reminder rows and the SLA sweep under a controlled clock, across Idul Fitri 2026 and its cuti bersama."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from helpdesk.catalog.models import CalendarChange
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.reminders.models import Reminder
from helpdesk.reminders.service import resync
from helpdesk.reminders.sweep import sweep
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from tests.factories import inbound
from tests.integration.reminder_support import freeze, make_tickets, office, outbox, sent_kinds, user, wib

RECEIVED = wib(2026, 3, 2, 10, 0)  # Monday; the answer is due Friday 27 March 16:30
# Nyepi 19 March with cuti bersama 18 March; Idul Fitri 21-22 March with cuti bersama 20, 23, 24.
EVERY_MARK = {
    "verification_wd2": wib(2026, 3, 4, 7, 30), "verification_due": wib(2026, 3, 5, 7, 30),
    "answer_wd7": wib(2026, 3, 11, 7, 30), "answer_wd10": wib(2026, 3, 16, 7, 30),
    "answer_wd12": wib(2026, 3, 25, 7, 30), "answer_wd13": wib(2026, 3, 26, 7, 30),
    "answer_due": wib(2026, 3, 27, 7, 30), "escalate_next": wib(2026, 3, 30, 7, 30),
    "escalate_head": wib(2026, 4, 2, 7, 30),
}
TIMES = ((6, 0), (7, 30), (12, 0), (16, 45), (22, 0))


def file_complaint(monkeypatch, people, *, assign=True) -> Ticket:
    freeze(monkeypatch, RECEIVED)
    ticket = ingest(inbound(received_at=RECEIVED)).ticket
    operations.route(ticket, "internal", unit=people["bidang"])
    if assign:
        operations.assign(ticket, people["petugas"])
    db.session.commit()
    return ticket


def walk(monkeypatch, first: date, last: date, *, worker="w1", on_day=None):
    """Sweep five times a day (closed and open hours) from ``first`` to ``last``."""
    day = first
    while day <= last:
        for hh, mm in TIMES:
            now = wib(day.year, day.month, day.day, hh, mm)
            freeze(monkeypatch, now)
            if on_day:
                on_day(now)
            sweep(worker=worker, now=now)
        day += timedelta(days=1)


def test_every_mark_and_escalation_across_idul_fitri_2026(app, monkeypatch):
    people = office()
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", "123:test")  # the officer linked a chat
    ticket = file_complaint(monkeypatch, people)

    def verify_on_friday(now):
        if now == wib(2026, 3, 6, 12, 0):
            operations.change_status(ticket, "verified", now=now)
            operations.change_status(ticket, "in_analysis", now=now)
            db.session.commit()

    walk(monkeypatch, date(2026, 3, 2), date(2026, 4, 10), on_day=verify_on_friday)
    assert sent_kinds(ticket.id) == EVERY_MARK  # each at the opening it fell on, nothing in 18-24 March

    mails = [i.subject for i in outbox(recipient="petugas@kantor.go.id")]
    assert mails[:7] == [f"[{ticket.number}] Pengingat: {line}" for line in (
        "Tahap verifikasi harus selesai paling lambat 05-03-2026 16:00 WIB.",
        "Tahap verifikasi harus selesai paling lambat 05-03-2026 16:00 WIB.",
        "Sisa 7 hari kerja sampai batas jawaban 27-03-2026 16:30 WIB.",
        "Sisa 4 hari kerja sampai batas jawaban 27-03-2026 16:30 WIB.",
        "Sisa 2 hari kerja sampai batas jawaban 27-03-2026 16:30 WIB.",
        "Sisa 1 hari kerja sampai batas jawaban 27-03-2026 16:30 WIB.",
        "Batas jawaban hari ini, 27-03-2026 16:30 WIB.")]
    assert len(mails) == 9  # and a copy of each escalation
    assert len(outbox(channel="telegram", recipient="5550001")) == 9
    (to_kabid,) = outbox(recipient="kabid@kantor.go.id")
    assert "dinaikkan ke Kepala Unit" in to_kabid.text and to_kabid.kind == "notification"
    (to_head,) = outbox(recipient="kepala@kantor.go.id")
    assert "dinaikkan ke Kepala Kantor" in to_head.text
    db.session.refresh(ticket)
    assert ticket.escalation_level == 2
    actions = [(e.action, e.before, e.after) for e in ticket.events if e.action in ("escalate", "sla_escalation")]
    assert actions == [("escalate", "0", "1"), ("sla_escalation", None, "escalate_next"),
                       ("escalate", "1", "2"), ("sla_escalation", None, "escalate_head")]
    assert len([e for e in ticket.events if e.action == "sla_reminder"]) == 7


def test_a_restart_after_a_three_day_outage_sends_each_missed_reminder_once(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    walk(monkeypatch, date(2026, 3, 2), date(2026, 3, 24))
    before = len(outbox(recipient="petugas@kantor.go.id"))
    # Down Wednesday 25 to Friday 27 March: the marks of days 12, 13 and the due day are missed.
    restart = wib(2026, 3, 30, 7, 30)
    for minute, worker in ((0, "w1"), (0, "w2"), (1, "w1"), (5, "w2"), (60, "w1")):  # catch-up and the runs after
        freeze(monkeypatch, restart + timedelta(minutes=minute))
        sweep(worker=worker, now=restart + timedelta(minutes=minute))
    sent = sent_kinds(ticket.id)
    for kind in ("answer_wd12", "answer_wd13", "answer_due", "escalate_next"):
        assert sent[kind] == restart, kind
    new = outbox(recipient="petugas@kantor.go.id")[before:]
    assert [i.subject for i in new] == [
        f"[{ticket.number}] Pengingat: Batas jawaban 27-03-2026 16:30 WIB sudah lewat 1 hari kerja.",
        f"[{ticket.number}] Eskalasi: melewati batas jawaban"]
    assert "(3 pengingat yang tertunda digabung dalam pesan ini.)" in new[0].text
    assert len(outbox(recipient="kabid@kantor.go.id")) == 1
    events = [e.after for e in ticket.events if e.action == "sla_reminder"]
    assert events[-1] == "answer_wd12,answer_wd13,answer_due" and len(events) == 5


def test_a_reminder_due_on_a_closure_added_later_goes_out_at_the_next_opening(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    db.session.add(CalendarChange(day=date(2026, 3, 11), closed=True, name="Banjir"))
    db.session.commit()
    walk(monkeypatch, date(2026, 3, 9), date(2026, 3, 12))
    assert sent_kinds(ticket.id)["answer_wd7"] == wib(2026, 3, 12, 7, 30)


def test_a_pause_holds_the_reminders_and_the_resume_pushes_them_back(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    operations.change_status(ticket, "verified")
    db.session.commit()
    freeze(monkeypatch, wib(2026, 3, 6, 9, 0))
    operations.pause(ticket, now=wib(2026, 3, 6, 9, 0))
    db.session.commit()
    assert db.session.scalar(select(Reminder).where(Reminder.sent_at.is_(None))) is None
    walk(monkeypatch, date(2026, 3, 9), date(2026, 3, 11))  # the old day-7 mark passes: nothing goes out
    assert "answer_wd7" not in sent_kinds(ticket.id)
    freeze(monkeypatch, wib(2026, 3, 11, 14, 0))
    operations.resume(ticket, now=wib(2026, 3, 11, 14, 0))  # 9, 10 and 11 March were paused
    db.session.commit()
    walk(monkeypatch, date(2026, 3, 12), date(2026, 3, 16))
    assert sent_kinds(ticket.id)["answer_wd7"] == wib(2026, 3, 16, 7, 30)
    due = db.session.scalar(select(Reminder.due_at).filter_by(ticket_id=ticket.id, kind="answer_due"))
    assert due == wib(2026, 4, 1, 7, 30)


@pytest.mark.parametrize("change", ["suggestion", "answered", "merged"])
def test_pending_reminders_are_cancelled_when_the_clock_stops(app, monkeypatch, change):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    walk(monkeypatch, date(2026, 3, 4), date(2026, 3, 4))
    if change == "suggestion":
        operations.change_kind(ticket, "suggestion", "tidak ada objek pengaduan", user=people["petugas"])
    elif change == "answered":
        for status in ("verified", "in_analysis", "answered"):
            operations.change_status(ticket, status)
    else:
        other = ingest(inbound(received_at=RECEIVED, external_id="other")).ticket
        from helpdesk.triage.operations import merge
        merge(ticket, other, user=people["petugas"])
    db.session.commit()
    rows = db.session.scalars(select(Reminder).filter_by(ticket_id=ticket.id)).all()
    assert [(r.kind, r.outcome) for r in rows] == [("verification_wd2", "sent")]  # what went out stays
    walk(monkeypatch, date(2026, 3, 5), date(2026, 4, 3))
    assert set(sent_kinds(ticket.id)) == {"verification_wd2"}


def test_suggestions_get_no_reminders(app, monkeypatch):
    freeze(monkeypatch, RECEIVED)
    ticket = ingest(inbound(received_at=RECEIVED, name=None, email=None)).ticket
    db.session.commit()
    assert ticket.kind == "suggestion"
    assert db.session.scalar(select(Reminder).filter_by(ticket_id=ticket.id)) is None


def test_reminders_go_to_the_unit_lead_when_nobody_is_assigned_else_to_the_supervisors(app, monkeypatch):
    people = office()
    routed = file_complaint(monkeypatch, people, assign=False)
    loose = ingest(inbound(received_at=RECEIVED, external_id="loose")).ticket  # no unit, nobody
    db.session.commit()
    walk(monkeypatch, date(2026, 3, 4), date(2026, 3, 4))
    assert [i.ticket_id for i in outbox(recipient="kabid@kantor.go.id")] == [routed.id, loose.id]
    assert [i.ticket_id for i in outbox(recipient="atasan@kantor.go.id")] == [loose.id]  # every supervisor
    assert not outbox(recipient="kepala@kantor.go.id")


def test_past_due_without_a_unit_the_supervisors_then_the_head_are_told(app, monkeypatch):
    office()
    freeze(monkeypatch, RECEIVED)
    ticket = ingest(inbound(received_at=RECEIVED)).ticket
    operations.route(ticket, "technical", forwarded_to="Dinas PU")  # not internal: cannot be raised
    db.session.commit()
    walk(monkeypatch, date(2026, 3, 30), date(2026, 4, 2))
    assert ticket.escalation_level == 0
    assert "belum dijawab 1 hari kerja setelah batas" in outbox(recipient="atasan@kantor.go.id")[-1].text
    (to_head,) = outbox(recipient="kepala@kantor.go.id")
    assert "belum dijawab 4 hari kerja" in to_head.text
    assert [e.after for e in ticket.events if e.action == "sla_escalation"] == ["escalate_next", "escalate_head"]


def test_a_failing_send_is_retried_after_the_lease_then_given_up(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)

    def broken(*args, **kwargs):
        raise RuntimeError("mail template missing")
    monkeypatch.setattr("helpdesk.reminders.sweep.notify.send", broken)
    now = wib(2026, 3, 4, 8, 0)
    assert sweep(worker="w1", now=now) == {"retry": 1}
    assert sweep(worker="w1", now=now + timedelta(minutes=5)) == {}  # the claim still holds
    for k in range(1, 5):
        sweep(worker="w1", now=now + timedelta(minutes=11 * k))
    row = db.session.scalar(select(Reminder).filter_by(ticket_id=ticket.id, kind="verification_wd2"))
    assert (row.outcome, row.attempts, row.last_error) == ("failed", 5, "RuntimeError: mail template missing")


def test_the_nightly_resync_plans_older_tickets_once_for_where_they_stand(app, monkeypatch):
    user("atasan@kantor.go.id", "supervisor")
    ids = make_tickets(3, RECEIVED, due=wib(2026, 3, 27, 16, 30))
    freeze(monkeypatch, wib(2026, 3, 26, 1, 15))
    assert resync(now=wib(2026, 3, 26, 1, 15))["tickets"] == 3
    kinds = {r.kind for r in db.session.scalars(select(Reminder).filter_by(ticket_id=ids[0]))}
    # The marks of days 7, 10 and 12 have passed: of them only day 12 is kept; the verification stage likewise.
    assert kinds == {"verification_due", "answer_wd12", "answer_wd13", "answer_due", "escalate_next",
                     "escalate_head"}
    assert resync(now=wib(2026, 3, 26, 1, 15)) == {"tickets": 3, "due_moved": 0, "created": 0, "moved": 0,
                                                   "deleted": 0}


def test_the_due_date_and_the_due_day_reminder_follow_the_answer_limit_setting(app, monkeypatch):
    people = office()
    monkeypatch.setitem(app.config, "ANSWER_WORKING_DAYS", 10)
    monkeypatch.setitem(app.config, "REMINDER_MARKS", "7")
    ticket = file_complaint(monkeypatch, people)
    assert ticket.due_at == wib(2026, 3, 16, 16, 0)  # the close of working day 10, not 14
    due = db.session.scalar(select(Reminder.due_at).filter_by(ticket_id=ticket.id, kind="answer_due"))
    assert due == wib(2026, 3, 16, 7, 30)


def test_a_reopened_complaint_runs_a_new_round_with_its_own_due_date_and_reminders(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    walk(monkeypatch, date(2026, 3, 2), date(2026, 3, 11))  # verification marks and day 7 go out
    answered = wib(2026, 3, 12, 10, 0)
    freeze(monkeypatch, answered)
    for status in ("verified", "in_analysis", "answered"):
        operations.change_status(ticket, status, now=answered)
    db.session.commit()
    reopened = wib(2026, 4, 6, 10, 0)  # after Idul Fitri and Good Friday (3 April)
    freeze(monkeypatch, reopened)
    operations.change_status(ticket, "reopened", now=reopened, note="jawaban belum menyelesaikan masalah")
    db.session.commit()
    assert ticket.due_at == wib(2026, 4, 24, 16, 30)  # 14 working days from the reopening
    assert datetime.fromisoformat([e.after for e in ticket.events if e.action == "due"][-1]) == ticket.due_at
    walk(monkeypatch, date(2026, 4, 6), date(2026, 4, 27))
    rounds = {(r.round, r.kind): r.sent_at for r in db.session.scalars(
        select(Reminder).filter_by(ticket_id=ticket.id)) if r.sent_at}
    assert rounds[(1, "answer_wd7")] == wib(2026, 3, 11, 7, 30)  # the first round's stay as they went out
    assert rounds[(2, "answer_wd7")] == wib(2026, 4, 15, 7, 30)
    assert rounds[(2, "answer_due")] == wib(2026, 4, 24, 7, 30)
    assert rounds[(2, "escalate_next")] == wib(2026, 4, 27, 7, 30)
    assert "Sisa 7 hari kerja sampai batas jawaban 24-04-2026 16:30 WIB." in [
        i.subject.split("Pengingat: ")[-1] for i in outbox(recipient="petugas@kantor.go.id")]


def test_a_closure_added_or_removed_moves_open_due_dates_and_pending_reminders(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    assert ticket.due_at == wib(2026, 3, 27, 16, 30)
    freeze(monkeypatch, wib(2026, 3, 10, 12, 0))
    db.session.add(CalendarChange(day=date(2026, 3, 12), closed=True, name="Banjir"))
    db.session.commit()
    assert resync(now=wib(2026, 3, 10, 12, 0))["due_moved"] == 1
    assert ticket.due_at == wib(2026, 3, 30, 16, 0)  # one working day later: Monday
    due = db.session.scalar(select(Reminder.due_at).filter_by(ticket_id=ticket.id, kind="answer_due"))
    assert due == wib(2026, 3, 30, 7, 30)
    db.session.delete(db.session.get(CalendarChange, date(2026, 3, 12)))
    db.session.commit()
    assert resync(now=wib(2026, 3, 10, 12, 0))["due_moved"] == 1
    assert ticket.due_at == wib(2026, 3, 27, 16, 30)
    due = db.session.scalar(select(Reminder.due_at).filter_by(ticket_id=ticket.id, kind="answer_due"))
    assert due == wib(2026, 3, 27, 7, 30)
    moves = [(e.before, e.after) for e in ticket.events if e.action == "due" and e.note == "kalender kantor berubah"]
    assert len(moves) == 2


def test_past_due_a_ticket_climbs_a_longer_chain_one_level_per_step(app, monkeypatch):
    from helpdesk.catalog.models import Unit
    people = office()
    kasi = user("kasi@kantor.go.id", "supervisor")
    seksi = Unit(name="Seksi Izin Usaha", parent_id=people["bidang"].id, lead_id=kasi.id)
    db.session.add(seksi)
    db.session.commit()
    freeze(monkeypatch, RECEIVED)
    ticket = ingest(inbound(received_at=RECEIVED)).ticket
    operations.route(ticket, "internal", unit=seksi)
    operations.assign(ticket, people["petugas"])
    db.session.commit()
    walk(monkeypatch, date(2026, 3, 27), date(2026, 4, 10))
    sent = sent_kinds(ticket.id)
    assert (sent["escalate_next"], sent["escalate_l2"], sent["escalate_head"]) == (
        wib(2026, 3, 30, 7, 30), wib(2026, 4, 2, 7, 30), wib(2026, 4, 8, 7, 30))
    assert [e.after for e in ticket.events if e.action == "escalate"] == ["1", "2", "3"]  # one level a step
    assert [e.after for e in ticket.events if e.action == "sla_escalation"] == [
        "escalate_next", "escalate_l2", "escalate_head"]
    for who in ("kasi", "kabid", "kepala"):  # each level is told when the ticket reaches it
        (mail,) = outbox(recipient=f"{who}@kantor.go.id")
        assert "dinaikkan ke" in mail.text, who


def test_an_answer_given_while_paused_ends_the_pause_so_a_reopening_runs_a_clock(app, monkeypatch):
    people = office()
    ticket = file_complaint(monkeypatch, people)
    for status in ("verified", "in_analysis"):
        operations.change_status(ticket, status)
    operations.pause(ticket, now=wib(2026, 3, 6, 9, 0))
    answered = wib(2026, 3, 10, 10, 0)
    operations.change_status(ticket, "answered", now=answered)  # the reporter's reply came by phone
    db.session.commit()
    assert ticket.paused_since is None and ticket.pauses[-1].ended_at == answered
    reopened = wib(2026, 4, 6, 10, 0)
    freeze(monkeypatch, reopened)
    operations.change_status(ticket, "reopened", now=reopened)
    db.session.commit()
    assert ticket.due_at == wib(2026, 4, 24, 16, 30)
    kinds = {r.kind for r in db.session.scalars(select(Reminder).filter_by(ticket_id=ticket.id, round=2))}
    assert {"answer_wd7", "answer_due", "escalate_next"} <= kinds
