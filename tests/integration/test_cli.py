"""The command-line tools, run through Flask's CLI runner."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket
from helpdesk.users.models import User

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


def test_demo_seeds_a_small_office(app):
    out = json.loads(run(app, "demo", "--tickets", "24"))
    assert out["tickets_created"] == 24
    statuses = set(db.session.scalars(select(Ticket.status)))
    channels = set(db.session.scalars(select(Ticket.channel)))
    assert len(statuses) >= 3 and len(channels) == 8
    assert {"complaint", "suggestion"} <= set(db.session.scalars(select(Ticket.kind)))
    again = json.loads(run(app, "demo", "--tickets", "24"))
    assert again["tickets_created"] == 0  # idempotent


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
