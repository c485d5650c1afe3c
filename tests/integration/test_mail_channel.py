"""The e-mail channel's wiring: job and sender registered, one status per mailbox, quarantine page."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from channels.base import SENDERS
from helpdesk.channels_state import ChannelState
from helpdesk.extensions import db
from helpdesk.intake.email import ingest_raw_email
from helpdesk.intake.models import QuarantineItem
from helpdesk.jobs import PERIODIC_JOBS
from helpdesk.mail.poller import poll_email
from helpdesk.outbox.models import OutboxItem
from helpdesk.tickets.models import Ticket
from tests.conftest import make_test_app
from tests.factories import WIB
from tests.web.conftest import client_for, staff  # noqa: F401  (fixtures)

AUTO_REPLY = (b"From: Kepala Dinas <kadis@dinas.go.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: Balasan otomatis\r\n"
              b"Message-ID: <ooo-1@dinas.go.id>\r\nAuto-Submitted: auto-replied\r\n\r\n"
              b"Saya sedang dinas luar; pengaduan soal izin reklame yang ditolak tanpa alasan mohon diteruskan.\r\n")


def test_the_poll_job_and_the_sender_are_registered_when_the_app_is_built(app):
    job = PERIODIC_JOBS["poll-email"]
    assert job.func is poll_email and job.seconds == 30 and job.description
    assert SENDERS["email"].__module__ == "channels.mail.smtp"
    assert poll_email() == {"skipped": "no IMAP mailbox configured"}


def test_without_credentials_each_mailbox_is_off_and_says_what_is_missing(app, database_url, tmp_path):
    make_test_app(database_url, tmp_path)
    state = db.session.get(ChannelState, "email")
    assert not state.enabled and "no IMAP mailbox configured" in state.detail
    smtp = db.session.get(ChannelState, "smtp")
    assert not smtp.enabled and "HELPDESK_SMTP_HOST" in smtp.detail
    make_test_app(database_url, tmp_path, IMAP_HOST="imap.kantor.go.id", IMAP_USER="pengaduan@kantor.go.id",
                  IMAP_MAILBOXES="ppid", IMAP_PPID_USER="ppid@kantor.go.id", IMAP_PPID_PASSWORD="rahasia",
                  SMTP_HOST="smtp.kantor.go.id")
    db.session.expire_all()
    first, second = (db.session.get(ChannelState, f"email:{a}@kantor.go.id") for a in ("pengaduan", "ppid"))
    assert not first.enabled and first.detail == "not configured: HELPDESK_IMAP_PASSWORD missing"
    assert second.enabled and second.detail == "IMAP imap.kantor.go.id:993 (ssl), folder INBOX → Processed"
    assert not db.session.get(ChannelState, "email").enabled  # the old row says it is gone
    assert db.session.get(ChannelState, "email").detail == "no longer configured"
    assert db.session.get(ChannelState, "smtp").enabled


def test_officers_see_the_quarantine_and_take_a_mail_in_as_a_report_without_an_acknowledgement(
        app, client_for):
    arrived = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)  # Monday 10:00 WIB, weeks before it is taken in
    assert ingest_raw_email(AUTO_REPLY, received_at=arrived)["outcome"] == "quarantine"
    assert ingest_raw_email(b"no header here at all\r\n")["outcome"] == "quarantine"
    auto, garbage = db.session.scalars(select(QuarantineItem).order_by(QuarantineItem.id)).all()
    assert auto.received_at == arrived
    officer = client_for("officer")
    page = officer.get("/petugas/karantina").get_data(as_text=True)
    assert "auto-reply (Auto-Submitted: auto-replied)" in page and "no mail headers" in page
    raw = officer.get(f"/petugas/karantina/{auto.id}/asli")
    assert raw.data == AUTO_REPLY and raw.headers["Content-Disposition"].startswith("attachment")

    taken = officer.post(f"/petugas/karantina/{auto.id}/proses")
    ticket = db.session.scalar(select(Ticket))
    assert taken.status_code == 303 and taken.headers["Location"].endswith(f"/petugas/tiket/{ticket.number}")
    assert db.session.scalar(select(OutboxItem)) is None  # it looked automatic: never acknowledged
    assert ticket.received_at == arrived  # its clock runs from its arrival, not from the officer's click
    assert ticket.due_at.astimezone(WIB) == datetime(2026, 3, 27, 16, 30, tzinfo=WIB)
    db.session.expire_all()
    assert db.session.get(QuarantineItem, auto.id).resolution == f"diproses sebagai laporan {ticket.number}"

    still = officer.post(f"/petugas/karantina/{garbage.id}/proses", follow_redirects=True).get_data(as_text=True)
    assert "tetap tidak dapat dibaca" in still and db.session.get(QuarantineItem, garbage.id).resolved_at is None
    officer.post(f"/petugas/karantina/{garbage.id}/selesai", data={"note": "spam"})
    db.session.expire_all()
    assert db.session.get(QuarantineItem, garbage.id).resolution == "spam"
    assert "Karantina kosong" in officer.get("/petugas/karantina").get_data(as_text=True)
    assert "spam" in officer.get("/petugas/karantina?semua=1").get_data(as_text=True)


def test_the_acknowledgement_speaks_the_offices_first_language_and_explains_a_suggestion(app):
    app.config["LANGUAGES"] = "en,id"
    try:
        ingest_raw_email(b"From: budi@contoh.id\r\nTo: pengaduan@kantor.go.id\r\nSubject: Usul\r\n"
                         b"Message-ID: <usul-1@contoh.id>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0700\r\n\r\n"
                         b"Sebaiknya loket dibuka lebih pagi untuk pedagang pasar.\r\n")
    finally:
        app.config["LANGUAGES"] = "id,en"
    ack = db.session.scalar(select(OutboxItem))
    ticket = db.session.scalar(select(Ticket))
    assert ack.subject == f"[{ticket.number}] We have received your report: Usul"
    assert ack.text.startswith("Dear Sir or Madam,")  # a bare address gives no name …
    assert "Kind of report: suggestion." in ack.text and "Suggestions carry no answer deadline" in ack.text
    assert ticket.kind_code == "no_identity"  # … which also makes it a suggestion (R3)
    assert ack.recipient == "budi@contoh.id" and ack.in_reply_to == "<usul-1@contoh.id>"
    message = next(m for m in ticket.messages if m.direction == "outbound")
    assert not message.public and ticket.events[-1].action == "sent_ack"
