"""The command-line tools, run through Flask's CLI runner."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from channels.base import CHANNELS
from helpdesk.catalog.seed import seed_reference_data
from helpdesk.classify.data import TRAIN
from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.office_calendar import office_calendar
from helpdesk.outbox.models import OutboxItem
from helpdesk.rules.lifecycle import Status
from helpdesk.survey.models import SurveyResponse
from helpdesk.tickets.models import Event, Message, Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage.models import ApipRequest
from helpdesk.users.models import User
from helpdesk.web.setup import EVENT_LABELS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_deadline_prints_the_due_date_in_the_office_zone(app):
    out = json.loads(run(app, "deadline", "2026-03-02T10:00:00+07:00"))
    assert out == {"received_at": "2026-03-02T10:00:00+07:00", "clock_starts_at": "2026-03-02T10:00:00+07:00",
                   "due_at": "2026-03-27T16:30:00+07:00", "working_days": 14}


def test_deadline_honours_an_office_closure_from_the_database(app):
    from datetime import date

    from helpdesk.catalog.models import CalendarChange
    db.session.add(CalendarChange(day=date(2026, 3, 27), closed=True, name="Hari jadi kabupaten"))
    db.session.commit()
    out = json.loads(run(app, "deadline", "2026-03-02T10:00:00+07:00"))
    assert out["due_at"] == "2026-03-30T16:00:00+07:00"


def test_deadline_rejects_garbage(app):
    result = app.test_cli_runner().invoke(args=["deadline", "kemarin"])
    assert result.exit_code != 0 and "not an ISO date" in result.output


def test_commands_before_init_db_say_so(tmp_path):
    """On an empty database every command but init-db answers "run init-db first", no traceback."""
    from tests.conftest import make_test_app

    fresh = make_test_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path)
    for args in (["deadline", "2026-03-02T10:00:00+07:00"], ["demo"],
                 ["create-user", "--email", "a@b.id", "--role", "admin", "--password-stdin"]):
        result = fresh.test_cli_runner().invoke(args=args, input="sandi-yang-panjang\n")
        assert result.exit_code == 1, (args, result.output, result.exception)
        assert "run `flask --app wsgi init-db` first" in result.output, args
    assert fresh.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    assert fresh.test_cli_runner().invoke(args=["deadline", "2026-03-02T10:00:00+07:00"]).exit_code == 0


def test_create_user_reads_the_password_from_stdin(app):
    run(app, "create-user", "--email", "Petugas@Kantor.go.id", "--role", "officer", "--password-stdin",
        input="sandi-yang-panjang\n")
    user = db.session.scalar(select(User))
    assert user.email == "petugas@kantor.go.id" and user.role == "officer"
    assert user.check_password("sandi-yang-panjang") and not user.check_password("salah")
    assert "sandi" not in user.password_hash


def test_create_user_refuses_a_short_password_and_an_unknown_role(app):
    short = app.test_cli_runner().invoke(args=["create-user", "--email", "a@b.id", "--role", "officer",
                                               "--password-stdin"], input="pendek\n")
    assert short.exit_code != 0 and "at least 10" in short.output
    role = app.test_cli_runner().invoke(args=["create-user", "--email", "a@b.id", "--role", "king",
                                              "--password-stdin"], input="x" * 12 + "\n")
    assert role.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_ingest_eml_prints_one_line_per_file(app, tmp_path):
    good = tmp_path / "good.eml"
    good.write_bytes(
        b"From: Budi Santoso <budi@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\n"
        b"Subject: Berkas izin belum diproses\r\nMessage-ID: <good-1@contoh.id>\r\n"
        b"Date: Mon, 02 Mar 2026 10:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Sudah tiga minggu berkas saya belum diproses, mohon ditindaklanjuti.\r\n")
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"\r\n\r\n")
    lines = [json.loads(x) for x in run(app, "ingest-eml", str(good), str(empty), str(good)).splitlines()]
    assert lines[0]["number"] == "ADU-2026-000001" and lines[0]["kind"] == "complaint"
    assert lines[0]["status"] == "received" and lines[0]["created"]
    assert "quarantine" in lines[1] and lines[1]["reason"] == "empty message"
    assert lines[2]["duplicate"] and lines[2]["number"] == lines[0]["number"]


def test_demo_seeds_a_coherent_office_and_refuses_a_second_run(app):
    """The demo office: every channel and status, real intake and operations, a consistent history."""
    out = json.loads(run(app, "demo", "--tickets", "12"))
    assert out["tickets_created"] >= 30 and out["password"] and "kepala@demo.go.id" in out["users"]
    tickets = db.session.scalars(select(Ticket).order_by(Ticket.id)).all()
    assert {t.status for t in tickets} == {s.value for s in Status}
    assert {t.channel for t in tickets} == set(CHANNELS)
    assert all(t.proposed_component for t in tickets)  # the intake's classifier proposed each one
    assert_history_in_time_order(tickets, utcnow())
    assert_texts_and_labels_from_the_training_set(tickets)
    assert_contacts_fit_the_channel(tickets)
    assert_answers_went_out(tickets)
    assert_due_dates_by_the_calendar(tickets)

    kinds = {t.kind_code for t in tickets if t.kind == "suggestion"}
    assert {"no_identity", "late"} <= kinds
    assert db.session.scalar(select(func.count()).select_from(ApipRequest).where(ApipRequest.approved.is_(None))) == 1
    assert any(t.tier == "apip" and t.apip_approved_by_id for t in tickets)
    assert db.session.scalar(select(func.count()).select_from(Message).where(Message.held.is_(True))) == 1
    assert db.session.scalar(select(func.count()).select_from(QuarantineItem)) == 1
    actions = Counter(db.session.scalars(select(Event.action)))
    assert actions["sla_reminder"] and actions["sla_escalation"] and actions["escalate"]
    assert actions["pause"] == 2 and actions["resume"] == 1 and actions["merged_into"] == 1
    assert actions["delivery_failed"] >= 1  # the reporter whose address bounces
    scores = [r.scores for r in db.session.scalars(select(SurveyResponse))]
    assert len(scores) >= 5 and len({sum(s) for s in scores}) > 2  # varied answers
    assert db.session.scalar(select(func.count()).select_from(OutboxItem)
                             .where(OutboxItem.status.in_(("pending", "sending")))) == 0

    officer, head = app.test_client(), app.test_client()
    for client, email in ((officer, "petugas1@demo.go.id"), (head, "kepala@demo.go.id")):
        assert client.post("/masuk", data={"email": email, "password": out["password"]}).status_code == 302
    for due in ("overdue", "soon"):
        page = officer.get(f"/petugas/?due={due}").get_data(as_text=True)
        assert "ADU-" in page and "Tidak ada tiket." not in page, due
    assert set(actions) <= set(EVENT_LABELS)  # every action of the demo's histories has words
    busiest = max(tickets, key=lambda t: len(t.events))
    page = officer.get(f"/petugas/tiket/{busiest.number}").get_data(as_text=True)
    history = re.search(r'<ol id="history">(.*?)</ol>', page, re.S).group(1)
    assert not re.search(r"\b(system|classifier|sla_reminder|sla_escalation|answer_wd\d+|escalate_next)\b", history)
    board = head.get("/atasan/").get_data(as_text=True)
    assert board.count("<li><a href=") >= 4  # overdue, escalated and answers to review
    report = head.get("/laporan/").get_data(as_text=True)
    assert 'id="ikm-index"' in report and 'id="ikm-sample"' in report
    assert 'id="ikm-index"' in app.test_client().get("/statistik").get_data(as_text=True)
    citizen = app.test_client().get(out["status_page"], follow_redirects=True).get_data(as_text=True)
    assert "Dijawab" in citizen and "/survei/" in citizen  # the printed link: an answer, and the survey to fill

    before = len(tickets)
    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 1 and "already has tickets" in again.output
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == before


def test_demo_is_the_same_office_for_the_same_day(app):
    """Seeded: the same moment gives the same tickets, states, labels, histories and survey scores."""
    from helpdesk.demo import seed_demo
    from tests.conftest import wipe_tables

    now = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

    def office():
        seed_demo(4, now=now)
        rows = [(t.number, t.channel, t.kind, t.status, t.component, t.due_at, [e.action for e in t.events])
                for t in db.session.scalars(select(Ticket).order_by(Ticket.id))]
        return rows, sorted(r.scores for r in db.session.scalars(select(SurveyResponse)))

    first = office()
    wipe_tables()
    seed_reference_data()
    assert office() == first


def assert_history_in_time_order(tickets, now):
    for t in tickets:
        times = [e.at for e in t.events]
        assert times == sorted(times), t.number
        assert times[0] == t.received_at and times[-1] <= now, t.number
        assert all(m.received_at >= t.received_at for m in t.messages), t.number


def assert_texts_and_labels_from_the_training_set(tickets):
    labels = {}
    for line in TRAIN.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["text"]] = (row["component"], row["service"])
    for t in tickets:
        if t.status == "merged":  # its messages moved to the ticket it was merged into
            continue
        first = next(m for m in t.messages if m.direction == "inbound")
        text = next((x for x in labels if first.text.startswith(x)), None)
        assert text is not None, (t.number, first.text[:80])
        if t.classification_confirmed:
            assert (t.component, t.service.slug if t.service else None) == labels[text], t.number


def assert_contacts_fit_the_channel(tickets):
    for t in tickets:
        kinds = {c.kind for c in t.reporter.contacts} if t.reporter else set()
        wanted = {"email": "email", "telegram": "telegram", "whatsapp": "whatsapp"}.get(t.channel)
        assert wanted is None or wanted in kinds, t.number
        assert t.channel != "box" or t.reporter is None or "phone" in kinds, t.number


def assert_answers_went_out(tickets):
    for t in tickets:
        if t.status not in ("answered", "closed", "reopened") or t.kind != "complaint":
            continue
        assert any(m.direction == "outbound" for m in t.messages), t.number
        (answer,) = [e for e in t.events if e.action == "sent_answer"]
        sent = db.session.scalars(select(OutboxItem.status).where(OutboxItem.ticket_id == t.id,
                                                                  OutboxItem.kind == "answer")).all()
        if answer.after == "web":  # no contact to send it to: it stands on the status page
            assert not sent and "tidak ada kontak" in answer.note, t.number
        else:
            assert sent and set(sent) <= {"sent", "failed"}, t.number


def assert_due_dates_by_the_calendar(tickets):
    cal = office_calendar()
    for t in tickets:
        if t.kind == "complaint" and t.paused_since is None:
            # counted from the current clock round: the receipt, or the reporter's reopening
            assert t.due_at == cal.due_at(t.clock_from, paused=t.paused_spans, now=utcnow()), t.number
        elif t.kind == "suggestion":
            assert t.due_at is None, t.number


def test_health_endpoint_checks_the_database(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_channel_state_records_polls(app):
    from helpdesk.channels_state import ChannelState, record_poll, set_enabled

    set_enabled("telegram", False, "no bot token configured")
    record_poll("email:pengaduan", None)
    record_poll("email:pengaduan", "connection refused")
    off, mail = db.session.get(ChannelState, "telegram"), db.session.get(ChannelState, "email:pengaduan")
    assert not off.enabled and off.detail == "no bot token configured"
    assert mail.last_ok_at and mail.last_error == "connection refused" and mail.last_error_at >= mail.last_ok_at


def test_related_tickets_by_reporter_then_service(app):
    from helpdesk.intake.service import ingest
    from helpdesk.tickets.related import related_tickets
    from tests.factories import inbound

    slug = "sertifikasi-industri-hijau"
    a = ingest(inbound(service_slug=slug)).ticket
    b = ingest(inbound(service_slug=slug)).ticket
    c = ingest(inbound("Auditor datang terlambat dua jam ke pabrik kami.", email="lain@contoh.id", name="Lain",
                       service_slug=slug)).ticket
    ingest(inbound("Toilet umum di ruang tunggu rusak dan kotor.", email="jauh@contoh.id", name="Jauh"))
    assert related_tickets(a) == [(b, "same_reporter"), (c, "same_service")]
