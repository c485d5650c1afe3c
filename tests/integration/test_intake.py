"""The intake service against a real database (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from channels.base import InboundAttachment, ThreadHints
from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.intake.service import ingest
from helpdesk.tickets.models import Attachment, Event, Message, Reporter, Ticket
from helpdesk.tickets.storage import BlobStore
from tests.factories import WIB, inbound


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_complaint_gets_a_number_a_due_date_and_its_events(app):
    result = ingest(inbound(received_at=datetime(2026, 3, 2, 10, 0, tzinfo=WIB)))
    t = result.ticket
    assert result.created and not result.duplicate
    assert t.number == "ADU-2026-000001"
    assert (t.kind, t.kind_code, t.status, t.channel) == ("complaint", "ok", "received", "web")
    # 18–24 March 2026 are Nyepi, Idul Fitri and their cuti bersama.
    assert t.due_at.astimezone(WIB) == datetime(2026, 3, 27, 16, 30, tzinfo=WIB)
    assert [e.action for e in t.events if e.actor != "classifier"] == ["created", "kind", "due"]
    assert len(result.tracking_token) >= 20 and t.tracking_token_hash not in (None, result.tracking_token)
    assert ingest(inbound()).ticket.number == "ADU-2026-000002"


def test_a_subject_taken_from_the_text_is_one_line(app):
    text = "Izin usaha\r\nbelum terbit,\n\n  sudah   dua bulan menunggu di loket perizinan."
    assert ingest(inbound(subject="", text=text)).ticket.subject == (
        "Izin usaha belum terbit, sudah dua bulan menunggu di loket perizinan.")
    assert ingest(inbound(subject="Berkas\tditolak\n lagi", text="x")).ticket.subject == "Berkas ditolak lagi"


def test_the_same_message_twice_gives_one_ticket_and_one_message(app):
    msg = inbound(external_id="<abc@mail.contoh.id>", raw=b"From: a\r\n\r\nsame bytes")
    first, second = ingest(msg), ingest(msg)
    assert second.duplicate and second.ticket.id == first.ticket.id
    assert (count(Ticket), count(Message)) == (1, 1)


def test_a_reused_message_id_with_other_content_is_kept(app):
    ingest(inbound(external_id="<reused@x>", raw=b"first mail"))
    other = ingest(inbound(external_id="<reused@x>", raw=b"another mail, other words",
                           text="Pengaduan lain: loket tutup lebih awal setiap hari Jumat siang."))
    assert other.created and not other.duplicate
    assert other.message.external_id.startswith("<reused@x>#")
    assert count(Ticket) == 2


@pytest.mark.parametrize("kwargs, code", [
    ({"name": None}, "no_identity"),
    ({"email": None, "phone": None}, "no_identity"),
    ({"text": "tolong", "subject": ""}, "no_object"),
    ({"service_received_on": date(2026, 1, 30)}, "late"),  # 31 days before 2 March
])
def test_reports_without_identity_or_object_or_too_late_are_suggestions(app, kwargs, code):
    t = ingest(inbound(**kwargs)).ticket
    assert (t.kind, t.kind_code) == ("suggestion", code)
    assert t.kind_reason and t.due_at is None
    kind_event = next(e for e in t.events if e.action == "kind")
    assert kind_event.public and kind_event.note == t.kind_reason


def test_thirty_days_after_the_service_is_still_a_complaint(app):
    t = ingest(inbound(service_received_on=date(2026, 1, 31))).ticket
    assert t.kind == "complaint"


def test_replies_join_their_ticket_by_message_id_then_by_number(app):
    first = ingest(inbound(channel="email", external_id="<first@contoh.id>")).ticket
    by_id = ingest(inbound(channel="email", thread=ThreadHints(in_reply_to=("<first@contoh.id>",)),
                           text="Tambahan: nomor berkas saya 123/PB/2026."))
    by_number = ingest(inbound(channel="email", thread=ThreadHints(ticket_number=first.number),
                               text="Mohon kabar terbaru untuk berkas saya."))
    assert by_id.ticket.id == by_number.ticket.id == first.id
    assert not by_id.created and not by_id.message.held
    assert count(Ticket) == 1 and count(Message, Message.direction == "inbound") == 3


def test_a_reply_from_a_stranger_is_held_for_an_officer(app):
    first = ingest(inbound(channel="email", external_id="<orig@contoh.id>")).ticket
    reply = ingest(inbound(channel="email", email="orang.lain@contoh.id", name="Orang Lain",
                           thread=ThreadHints(in_reply_to=("<orig@contoh.id>",))))
    assert reply.ticket.id == first.id and reply.message.held and not reply.message.public
    assert "held_message" in [e.action for e in first.events]


def test_one_reporter_many_contacts(app):
    ingest(inbound(email="Siti@Contoh.ID", phone="0812-3456-7890", name="Siti"))
    ingest(inbound(email=None, phone="+62 812 3456 7890", name="Siti"))
    assert count(Reporter) == 1
    reporter = db.session.scalar(select(Reporter))
    assert sorted(c.value for c in reporter.contacts) == ["+6281234567890", "siti@contoh.id"]


def test_attachments_are_stored_by_hash_and_oversized_ones_become_a_note(app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    small = InboundAttachment("../../etc/passwd", "text/plain", b"x" * 10)
    big = InboundAttachment("scan.pdf", "application/pdf", b"y" * 5000)
    msg = ingest(inbound(attachments=(small, big))).message
    stored, note = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert stored.filename == "passwd" and stored.stored
    assert BlobStore(app.config["ATTACHMENT_DIR"]).get(stored.sha256) == b"x" * 10
    assert not note.stored and note.sha256 is None and note.size == 5000 and "5000" in note.note
    assert msg.ticket.number  # the mail itself is still taken in


def test_an_automatic_mail_that_matches_no_ticket_opens_no_complaint(app):
    result = ingest(inbound(channel="email", automated=True, raw=b"auto reply"))
    assert result.ticket is None and result.quarantine is not None
    assert count(Ticket) == 0 and count(QuarantineItem) == 1


def test_a_bounce_on_a_thread_is_a_delivery_failure_note(app):
    first = ingest(inbound(channel="email", external_id="<sent@contoh.id>")).ticket
    bounce = ingest(inbound(channel="email", automated=True, email="mailer-daemon@contoh.id",
                            delivery_failure="budi@contoh.id: 5.1.1 user unknown",
                            thread=ThreadHints(in_reply_to=("<sent@contoh.id>",))))
    assert bounce.ticket.id == first.id and not bounce.message.public
    event = first.events[-1]
    assert (event.action, event.note, event.public) == ("delivery_failure", "budi@contoh.id: 5.1.1 user unknown",
                                                        False)


def test_an_auto_reply_on_a_thread_is_noted_but_not_the_reporters_words(app):
    first = ingest(inbound(channel="email", external_id="<sent2@contoh.id>")).ticket
    auto = ingest(inbound(channel="email", automated=True, thread=ThreadHints(in_reply_to=("<sent2@contoh.id>",))))
    assert auto.ticket.id == first.id and not auto.message.public and not auto.message.held
    assert first.events[-1].action == "auto_reply" and "auto-reply" in first.events[-1].note


def test_automatic_mail_taken_in_twice_is_one_quarantine_record(app):
    first = ingest(inbound(channel="email", external_id="<ooo@contoh.id>", automated=True, raw=b"out of office"))
    again = ingest(inbound(channel="email", external_id="<ooo@contoh.id>", automated=True, raw=b"out of office"))
    other = ingest(inbound(channel="email", external_id="<ooo@contoh.id>", automated=True, raw=b"other bytes"))
    assert first.quarantine.id == again.quarantine.id != other.quarantine.id
    assert other.quarantine.external_id.startswith("<ooo@contoh.id>#") and count(QuarantineItem) == 2


def test_events_are_append_only(app):
    t = ingest(inbound()).ticket
    ev = db.session.scalar(select(Event).where(Event.ticket_id == t.id).limit(1))
    ev.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(Event).limit(1)))
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_a_receipt_in_another_office_zone(app):
    app.config["TIMEZONE"] = "Asia/Makassar"
    try:
        t = ingest(inbound(received_at=datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Makassar")))).ticket
        assert t.due_at.astimezone(ZoneInfo("Asia/Makassar")) == \
            datetime(2026, 3, 27, 16, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    finally:
        app.config["TIMEZONE"] = "Asia/Jakarta"


def test_features_hear_about_new_tickets_and_replies(app):
    from helpdesk.signals import reporter_replied, ticket_created

    heard = []
    with ticket_created.connected_to(lambda t, **kw: heard.append(("created", t.number, kw["tracking_token"]))), \
            reporter_replied.connected_to(lambda t, **kw: heard.append(("reply", t.number, kw["message"].id))):
        first = ingest(inbound(channel="email", external_id="<s1@contoh.id>"))
        reply = ingest(inbound(channel="email", thread=ThreadHints(in_reply_to=("<s1@contoh.id>",))))
        ingest(inbound(channel="email", external_id="<s1@contoh.id>"))  # duplicate: nothing new
    assert heard == [("created", first.ticket.number, first.tracking_token),
                     ("reply", first.ticket.number, reply.message.id)]


def test_nul_characters_are_dropped_and_the_mail_is_still_taken_in(app):
    from helpdesk.intake.email import ingest_raw_email

    raw = (b"From: Bu\x00di <budi@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: Izin\x00 belum terbit\r\n"
           b"Message-ID: <nul\x00@contoh.id>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBerkas\x00 izin saya belum diproses sejak Januari.\r\n"
           b"--b\r\nContent-Type: text/plain; name=\"cat\x00atan.txt\"\r\nContent-Disposition: attachment; "
           b"filename=\"cat\x00atan.txt\"\r\n\r\nisi\x00 berkas\r\n--b--\r\n")
    summary = ingest_raw_email(raw)
    assert summary["outcome"] == "created"
    t = db.session.scalar(select(Ticket))
    message = t.messages[0]
    assert t.subject == "Izin belum terbit" and t.reporter.name == "Budi"
    assert message.text.startswith("Berkas izin saya") and message.external_id == "<nul@contoh.id>"
    assert message.raw == raw and message.attachments[0].filename == "catatan.txt"
    assert BlobStore(app.config["ATTACHMENT_DIR"]).get(message.attachments[0].sha256) == b"isi\x00 berkas"
    assert ingest_raw_email(raw)["outcome"] == "duplicate"


def mail(headers: str, body: str = "Berkas izin saya sudah tiga minggu belum diproses oleh petugas loket.") -> bytes:
    return (headers.replace("\n", "\r\n") + "\r\n" + body + "\r\n").encode()


def test_whether_a_reply_is_the_reporters_is_decided_by_from_not_by_reply_to(app):
    from helpdesk.intake.email import ingest_raw_email

    ingest_raw_email(mail("From: Budi <budi@contoh.id>\nSubject: Izin belum terbit\nMessage-ID: <r1@contoh.id>\n"))
    forged = ingest_raw_email(mail("From: Orang Lain <orang.lain@contoh.id>\nReply-To: budi@contoh.id\n"
                                   "Subject: Re: Izin belum terbit\nIn-Reply-To: <r1@contoh.id>\n"
                                   "Message-ID: <r2@contoh.id>\n", "Batalkan saja pengaduan saya."))
    assert forged["outcome"] == "held"
    held = db.session.get(Message, forged["message"])
    assert held.held and not held.public and held.sender == "orang.lain@contoh.id"
    own = ingest_raw_email(mail("From: Budi <budi@contoh.id>\nReply-To: budi.kantor@contoh.id\n"
                                "Subject: Re: Izin belum terbit\nIn-Reply-To: <r1@contoh.id>\n"
                                "Message-ID: <r3@contoh.id>\n", "Nomor berkas saya 123/PB/2026."))
    assert own["outcome"] == "joined" and not db.session.get(Message, own["message"]).held


def test_a_form_relay_names_the_reporter_in_reply_to_and_their_own_reply_joins(app):
    from helpdesk.intake.email import ingest_raw_email

    first = ingest_raw_email(mail("From: Formulir <noreply@formulir.contoh.id>\nReply-To: Siti <siti@contoh.id>\n"
                                  "Subject: Izin belum terbit\nMessage-ID: <f1@formulir.contoh.id>\n"))
    t = db.session.scalar(select(Ticket))
    assert first["outcome"] == "created" and t.reporter.contact("email") == "siti@contoh.id"
    reply = ingest_raw_email(mail(f"From: Siti <Siti@Contoh.id>\nSubject: Re: [{t.number}] Izin belum terbit\n"
                                  "Message-ID: <f2@contoh.id>\n", "Ini nomor berkasnya."))
    assert reply["outcome"] == "joined"


def test_a_staff_members_mail_on_a_thread_is_an_internal_note(app):
    from helpdesk.intake.email import ingest_raw_email
    from helpdesk.signals import reporter_replied
    from helpdesk.users.models import User

    officer = User(email="petugas@kantor.go.id", role="officer", name="Petugas")
    db.session.add(officer)
    db.session.commit()
    ingest_raw_email(mail("From: Budi <budi@contoh.id>\nSubject: Izin belum terbit\nMessage-ID: <n1@contoh.id>\n"))
    heard = []
    with reporter_replied.connected_to(lambda t, **kw: heard.append(kw["message"].id)):
        note = ingest_raw_email(mail("From: Petugas <Petugas@kantor.go.id>\nSubject: Re: Izin belum terbit\n"
                                     "In-Reply-To: <n1@contoh.id>\nMessage-ID: <n2@kantor.go.id>\n",
                                     "Sudah saya cek: berkasnya tertahan di bidang perizinan."))
    assert note["outcome"] == "joined" and heard == []
    message = db.session.get(Message, note["message"])
    assert (message.direction, message.public, message.held, message.author_user_id) == ("note", False, False,
                                                                                         officer.id)
    event = message.ticket.events[-1]
    assert (event.action, event.actor_id, event.public) == ("note", officer.id, False)


@pytest.mark.parametrize("message_id", ["Message-ID: <beide@contoh.id>\n", ""])
def test_one_mail_delivered_to_two_mailboxes_gives_one_report(app, message_id):
    from helpdesk.intake.email import ingest_raw_email

    written = (f"From: Budi <budi@contoh.id>\nTo: pengaduan@kantor.go.id\nCc: info@kantor.go.id\n"
               f"Subject: Izin belum terbit\nDate: Mon, 02 Mar 2026 10:00:00 +0700\n{message_id}")
    to_pengaduan = mail("Return-Path: <budi@contoh.id>\nDelivered-To: pengaduan@kantor.go.id\n"
                        "Received: from mx1 by imap1; Mon, 02 Mar 2026 10:00:02 +0700\nX-Spam-Score: 0.1\n" + written)
    to_info = mail("Return-Path: <budi@contoh.id>\nDelivered-To: info@kantor.go.id\n"
                   "Received: from mx2 by imap2;\n Mon, 02 Mar 2026 10:00:05 +0700\n" + written).replace(b"\r\n", b"\n")
    assert ingest_raw_email(to_pengaduan)["outcome"] == "created"
    assert ingest_raw_email(to_info)["outcome"] == "duplicate"
    other = mail(written.replace("Izin belum terbit", "Loket tutup lebih awal"))  # a reused id, other words
    assert ingest_raw_email(other)["outcome"] == "created"
    assert (count(Ticket), count(Message, Message.direction == "inbound")) == (2, 2)
