"""One complaint through every feature, driven by the scheduler's own jobs against real servers.

E-mail in (Dovecot) → ticket with a classifier proposal and reminder rows → acknowledgement out
(aiosmtpd) → an officer answers on the web → answer and survey invitation out → the reporter
rates the handling → the report counts the complaint and its IKM respondent.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS
from helpdesk.reminders.models import Reminder
from helpdesk.survey.models import SurveyResponse
from helpdesk.tickets.models import Ticket
from tests.integration.mail_fixtures import configure_mail
from tests.integration.reminder_support import freeze, wib
from tests.integration.smtp_sink import SmtpSink
from tests.web.conftest import client_for, staff  # noqa: F401  (fixtures)

COMPLAINT = (b"From: Budi Santoso <budi@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\n"
             b"Subject: Diminta uang tambahan di loket\r\nMessage-ID: <e2e-1@contoh.id>\r\n"
             b"Date: Mon, 02 Nov 2026 09:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
             b"Petugas loket meminta biaya tambahan Rp500.000 di luar tarif resmi agar sertifikat saya "
             b"cepat diproses. Tidak ada kuitansi yang diberikan.\r\n")


def run(job_id: str) -> dict:
    """Run a periodic job exactly as the scheduler does: its registered function, no arguments."""
    return PERIODIC_JOBS[job_id].func()


@pytest.fixture
def office(mail_app, mailbox, monkeypatch):
    with SmtpSink() as sink:
        old = configure_mail(mail_app, **mailbox.settings(), IMAP_IDLE_SECONDS=0, SMTP_HOST="127.0.0.1",
                             SMTP_PORT=sink.port, SMTP_SECURITY="plain",
                             SMTP_FROM="Layanan Pengaduan <pengaduan@kantor.go.id>",
                             PUBLIC_URL="https://pengaduan.kantor.go.id")
        yield mail_app, sink
        mail_app.config.update(old)


def test_a_mailed_complaint_is_taken_in_answered_rated_and_reported(office, mailbox, client_for, monkeypatch):
    app, sink = office
    monday = wib(2026, 11, 2, 9, 5)
    freeze(monkeypatch, monday)

    mailbox.append([COMPLAINT])
    assert run("poll-email")["pengaduan@kantor.go.id"] == {"created": 1}
    ticket = db.session.scalar(select(Ticket))
    assert ticket.kind == "complaint" and ticket.channel == "email"
    assert ticket.proposed_component == "biaya"  # fees and illegal levies, proposed on intake
    assert ticket.due_at == wib(2026, 11, 20, 16, 30)  # working days 3 Nov .. Fri 20 Nov, Friday closing
    assert db.session.scalar(select(func.count()).select_from(Reminder)
                             .where(Reminder.ticket_id == ticket.id)) > 0  # the SLA marks are planned
    assert mailbox.count("Processed") == 1

    assert run("outbox-delivery")["sent"] == 1
    (ack,) = sink.messages()
    assert ack["To"] == "budi@contoh.id" and ticket.number in ack["Subject"]

    officer = client_for("officer")
    page = f"/petugas/tiket/{ticket.number}"
    assert officer.post(f"{page}/aksi/confirm").status_code == 303
    for target in ("verified", "in_analysis"):
        officer.post(f"{page}/aksi/status", data={"target": target})
    officer.post(f"{page}/aksi/answer", data={"text": "Biaya tambahan itu tidak sah; petugas telah ditegur "
                                                      "dan uang Anda dikembalikan."})
    db.session.expire_all()
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == "answered" and ticket.component == "biaya" and ticket.classification_confirmed
    assert db.session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.ticket_id == ticket.id, Reminder.sent_at.is_(None))) == 0  # answered: no reminder left

    run("outbox-delivery")
    kinds = {m["Subject"]: m for m in sink.messages()[1:]}
    answer = next(m for s, m in kinds.items() if ticket.number in s and "urvei" not in s)
    assert "tidak sah" in answer.get_content() and answer["In-Reply-To"] == ack["Message-ID"]
    survey_mail = next(m for s, m in kinds.items() if "urvei" in s)
    path = re.search(r"https://pengaduan\.kantor\.go\.id(/survei/\S+)", survey_mail.get_content()).group(1)

    citizen = app.test_client()
    scores = {f"u{i}": "4" if i % 2 else "3" for i in range(1, 10)}
    assert citizen.post(path, data={**scores, "comment": "Cepat ditangani."}).status_code in (200, 303)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1

    freeze(monkeypatch, monday + timedelta(days=3))
    head = client_for("head")
    report = head.get("/laporan/?period=quarter&year=2026&quarter=4").get_data(as_text=True)
    assert "Indeks Kepuasan Masyarakat" in report
    # Five elements at 4 and four at 3: (5*4 + 4*3) / 9 * 25 = 88.89, grade A.
    assert "88,89" in report or "88.89" in report
