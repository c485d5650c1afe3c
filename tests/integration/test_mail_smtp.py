"""Outbound e-mail through a real SMTP server (aiosmtpd): acknowledgement, replies, threading, failures."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.mail.poller import configured_mailboxes, poll
from helpdesk.outbox.models import OutboxItem
from helpdesk.outbox.service import deliver_pending, send_to_reporter
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from tests.factories import inbound
from tests.integration.mail_fixtures import configure_mail
from tests.integration.smtp_sink import SmtpSink
from tests.web.conftest import client_for, staff  # noqa: F401  (fixtures)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
COMPLAINT = (b"From: Siti Rahma <siti@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nCc: Tetangga <tetangga@contoh.id>\r\n"
             b"Subject: Sertifikat belum terbit\r\nMessage-ID: <c1@contoh.id>\r\nReferences: <older@contoh.id>\r\n"
             b"Date: Mon, 02 Mar 2026 10:00:00 +0700\r\n\r\nSertifikat belum terbit padahal berkas lengkap.\r\n")


@pytest.fixture
def smtp_app(mail_app, mailbox):
    """The app reading ``mailbox`` and sending through a plain SMTP sink with login."""
    with SmtpSink(user="pengaduan", password="sandi-smtp") as sink:
        old = configure_mail(mail_app, **mailbox.settings(), IMAP_IDLE_SECONDS=0, SMTP_HOST="127.0.0.1",
                             SMTP_PORT=sink.port, SMTP_SECURITY="plain", SMTP_USER="pengaduan",
                             SMTP_PASSWORD="sandi-smtp", SMTP_FROM="Layanan Pengaduan <pengaduan@kantor.go.id>",
                             PUBLIC_URL="https://pengaduan.kantor.go.id")
        yield mail_app, sink
        mail_app.config.update(old)


def test_the_acknowledgement_and_an_officer_reply_thread_under_the_reporters_mail(smtp_app, mailbox):
    app, sink = smtp_app
    mailbox.append([COMPLAINT])
    poll(configured_mailboxes())
    ticket = db.session.scalar(select(Ticket))
    send_to_reporter(ticket, "Berkas Anda sedang kami periksa di bidang perizinan.")
    db.session.commit()
    assert deliver_pending(worker="w1") == {"sent": 2, "retry": 0, "failed": 0}
    ack, reply = sink.messages()
    assert [rcpts for _, rcpts, _ in sink.received] == [["siti@contoh.id"], ["siti@contoh.id"]]  # not the Cc
    assert sink.received[0][0] == "pengaduan@kantor.go.id"
    assert ack["In-Reply-To"] == "<c1@contoh.id>" and ack["References"] == "<c1@contoh.id>"
    assert ack["Auto-Submitted"] == "auto-replied" and ack["X-Loop"] == "pengaduan@kantor.go.id"
    assert ack["Subject"] == f"[{ticket.number}] Laporan Anda telah kami terima: Sertifikat belum terbit"
    body = ack.get_content()
    assert ticket.number in body and "Jenis laporan: pengaduan." in body
    assert "Jawaban paling lambat: Jumat, 27 Maret 2026 pukul 16.30 WIB (14 hari kerja)." in body
    assert f"https://pengaduan.kantor.go.id/status/{ticket.number}?t=" in body
    assert reply["In-Reply-To"] == ack["Message-ID"] and "Auto-Submitted" not in reply
    assert reply["References"].split() == ["<c1@contoh.id>", ack["Message-ID"]]
    assert reply.get_content().strip() == "Berkas Anda sedang kami periksa di bidang perizinan."
    assert ack["Message-ID"].endswith(".helpdesk@kantor.go.id>") and ticket.number in ack["Message-ID"]
    items = db.session.scalars(select(OutboxItem).order_by(OutboxItem.id)).all()
    assert [i.external_id for i in items] == [ack["Message-ID"], reply["Message-ID"]]


def test_a_reply_to_our_mail_joins_the_ticket_and_our_own_copy_is_not_a_new_report(smtp_app, mailbox):
    app, sink = smtp_app
    mailbox.append([COMPLAINT])
    poll(configured_mailboxes())
    deliver_pending(worker="w1")
    (ack,) = sink.messages()
    answer = (f"From: Siti Rahma <siti@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: Re: {ack['Subject']}\r\n"
              f"Message-ID: <c2@contoh.id>\r\nIn-Reply-To: {ack['Message-ID']}\r\n\r\n"
              "Nomor berkas 77/2026.\r\n").encode()
    own_copy = sink.received[0][2]  # our acknowledgement, delivered to our own mailbox (Bcc, a forward)
    # A broken mobile client that gives its reply the Message-ID of the mail it answers.
    same_id = (f"From: Siti Rahma <siti@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: Re: laporan\r\n"
               f"Message-ID: {ack['Message-ID']}\r\nIn-Reply-To: {ack['Message-ID']}\r\n\r\n"
               "Foto menyusul.\r\n").encode()
    mailbox.append([answer, own_copy, same_id])
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"joined": 2, "duplicate": 1}
    ticket = db.session.scalar(select(Ticket))
    assert [m.direction for m in ticket.messages] == ["inbound", "outbound", "inbound", "inbound"]
    assert ticket.messages[-1].external_id.startswith(ack["Message-ID"] + "#")
    assert db.session.scalar(select(OutboxItem).where(OutboxItem.kind == "ack", OutboxItem.id > 1)) is None


def test_a_bounce_of_our_mail_fails_its_outbox_item_and_shows_on_the_ticket(smtp_app, mailbox, client_for):
    app, sink = smtp_app
    mailbox.append([COMPLAINT])
    poll(configured_mailboxes())
    deliver_pending(worker="w1")
    send_to_reporter(db.session.scalar(select(Ticket)), "Mohon lengkapi nomor berkas Anda.")
    db.session.commit()
    deliver_pending(worker="w1")
    ack, reply = sink.messages()
    assert ack["Message-ID"] in reply["References"]  # the bounce of the reply names the ack too
    dsn = ("From: Mail Delivery System <MAILER-DAEMON@mx.kantor.go.id>\r\nTo: pengaduan@kantor.go.id\r\n"
           "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.kantor.go.id>\r\n"
           "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\n"
           "Content-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--B\r\n"
           "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.kantor.go.id\r\n\r\n"
           "Final-Recipient: rfc822; siti@contoh.id\r\nAction: failed\r\nStatus: 5.2.2\r\n"
           "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
           f"Message-ID: {reply['Message-ID']}\r\nIn-Reply-To: {reply['In-Reply-To']}\r\n"
           f"References: {reply['References']}\r\nSubject: {reply['Subject']}\r\n\r\n--B--\r\n").encode()
    mailbox.append([dsn])
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"joined": 1}
    ticket = db.session.scalar(select(Ticket))
    delivered, item = db.session.scalars(select(OutboxItem).order_by(OutboxItem.id)).all()
    assert item.status == "failed" and item.last_error == "bounced: siti@contoh.id: 5.2.2 smtp; 552 5.2.2 Mailbox full"
    assert delivered.kind == "ack" and delivered.status == "sent"  # only the mail that came back failed
    event = ticket.events[-1]
    assert (event.action, event.note) == ("delivery_failure", "siti@contoh.id: 5.2.2 smtp; 552 5.2.2 Mailbox full")
    assert len(sink.received) == 2  # no acknowledgement of the bounce
    page = client_for("officer").get(f"/petugas/tiket/{ticket.number}").get_data(as_text=True)
    assert "gagal dikirim" in page and "Mailbox full" in page


def test_refused_recipients_fail_for_good_and_a_busy_server_is_retried(smtp_app):
    app, sink = smtp_app
    sink.refuse["tidak.ada@contoh.id"] = 550
    wrong = ingest(inbound(channel="web", email="tidak.ada@contoh.id")).ticket
    send_to_reporter(wrong, "Jawaban untuk alamat yang salah.")
    right = ingest(inbound(channel="web", email="benar@contoh.id")).ticket
    send_to_reporter(right, "Jawaban.")
    db.session.commit()
    sink.fail_data = 1
    assert deliver_pending(worker="w1") == {"sent": 0, "retry": 1, "failed": 1}
    assert "delivery_failed" in [e.action for e in wrong.events]
    assert deliver_pending(worker="w1", now=utcnow() + timedelta(minutes=2)) == {"sent": 1, "retry": 0, "failed": 0}
    assert [rcpts for _, rcpts, _ in sink.received] == [["benar@contoh.id"]]


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_starttls_and_ssl_with_login(mail_app, mailbox, mode):
    server = mailbox.server
    with SmtpSink(mode=mode, user="pengaduan", password="sandi-smtp", cert=server.cert, key=server.key) as sink:
        old = configure_mail(mail_app, SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_SECURITY=mode,
                             SMTP_USER="pengaduan", SMTP_PASSWORD="sandi-smtp", SMTP_CA_FILE=str(server.cert),
                             SMTP_FROM="pengaduan@kantor.go.id")
        try:
            ticket = ingest(inbound(channel="web")).ticket
            send_to_reporter(ticket, "Jawaban melalui sambungan terenkripsi.")
            db.session.commit()
            assert deliver_pending(worker="w1")["sent"] == 1, db.session.scalar(select(OutboxItem)).last_error
            (msg,) = sink.messages()
            assert msg.get_content().strip() == "Jawaban melalui sambungan terenkripsi."
        finally:
            mail_app.config.update(old)


def test_without_an_smtp_server_replies_wait_in_the_outbox_and_say_why(mail_app):
    ticket = ingest(inbound(channel="web")).ticket
    send_to_reporter(ticket, "Jawaban.")
    db.session.commit()
    assert deliver_pending(worker="w1") == {"sent": 0, "retry": 1, "failed": 0}
    item = db.session.scalar(select(OutboxItem))
    assert item.status == "pending" and "no SMTP server configured (HELPDESK_SMTP_HOST)" in item.last_error
