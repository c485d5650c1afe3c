"""The .eml corpus through a real Dovecot: each mail ends as exactly one ticket, message or quarantine record."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.mail.poller import configured_mailboxes, poll
from helpdesk.outbox.models import OutboxItem
from helpdesk.tickets.models import Attachment, Event, Message, Ticket
from helpdesk.users.models import User

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def created(kind="complaint", text="", attachments=(), subject=None, reporter=None):
    return {"outcome": "created", "kind": kind, "text": text, "attachments": list(attachments), "subject": subject,
            "reporter": reporter}


def joined(ticket_of, how="reply"):
    return {"outcome": "joined", "ticket_of": ticket_of, "event": how}


def quarantined(reason):
    return {"outcome": "quarantine", "reason": reason}


EXPECTED = {
    "01-outlook-html.eml": created(text="nomor 503/PBG/0142/2026 sudah lewat 30 hari kerja"),
    "02-gmail-alternative.eml": created(text='"biaya percepatan" tanpa kuitansi'),
    "03-thunderbird-flowed.eml": created(text="banyak orang yang dilayani tanpa nomor"),
    "04-apple-mail-inline-image.eml": created(text="seminggu rusak", attachments=["toilet.png"]),
    "05-iphone-photo.eml": created(text="Dikirim dari iPhone saya", attachments=["IMG_4821.JPG"]),
    "06-android-base64.eml": created(text="galat 502"),
    "07-html-only.eml": created(text="katering kami belum terbit padahal"),
    "08-base64-plain.eml": created(text="membentak saya"),
    "09-qp-latin1.eml": created(text="izin usaha café saya", subject="Izin usaha café belum diproses"),
    "10-windows-1252.eml": created(text="“biaya legalisir” Rp 50.000 per lembar –"),
    "11-gb2312.eml": created(text="营业执照申请", subject="投诉申请 izin usaha perdagangan", reporter="李明"),
    "12-undeclared-utf8.eml": created(text="halaman kantor pelayanan — padahal",
                                      subject="Parkir liar di depan kantor — tolong ditertibkan"),
    "13-raw-latin1-headers.eml": created(text="usaha café saya", subject="Pendaftaran café ditolak tanpa alasan",
                                         attachments=["penolakan-café.pdf"]),
    "14-missing-message-id.eml": created(text="baru buka pukul 08.30"),
    "15-reused-message-id-a.eml": created(text="izin reklame"),
    "16-reused-message-id-b.eml": created(text="izin apotek"),
    "17-rfc2231-filenames.eml": created(attachments=["Bukti transfer — Maret.pdf", "Kuitansi rétribusi.jpg",
                                                     "Surat pernoyataan.pdf"]),
    "18-outlook-tnef.eml": created(text="ditahan tanpa penjelasan", attachments=["winmail.dat", "surat-kuasa.pdf"]),
    "19-forward-as-attachment.eml": created(text="Transfer Rp 1.500.000 ke rekening saya",
                                            attachments=["jalur-cepat.eml"]),
    "20-gmail-inline-forward.eml": created(text="Survei lokasi dijadwalkan Rabu"),
    "21-pgp-signed.eml": created(text="Salinan KTP pemohon", attachments=["signature.asc"]),
    "22-smime-signed.eml": created(text="45 hari lalu", attachments=["smime.p7s"]),
    "23-reply-to-relay.eml": created(text="Lampu penerangan jalan", reporter="Iwan Setiawan"),
    "24-cc-outsider.eml": created(text="meja verifikasi"),
    "25-bare-address-suggestion.eml": created(kind="suggestion", text="layanan antar berkas"),
    "26-outlook-meeting-request.eml": created(text="mengundang petugas", attachments=["lampiran.ics"]),
    "27-long-folded-subject.eml": created(subject="Permohonan izin usaha penginapan di desa wisata sudah tiga "
                                                  "bulan tanpa kepastian dan petugas selalu meminta berkas yang "
                                                  "sama berulang kali — mohon kejelasan"),
    "28-malformed-no-boundary.eml": created(text="ditolak karena kurang surat RT"),
    "29-malformed-bad-base64.eml": created(text="Nomor antrean daring saya tidak berlaku"),
    "30-malformed-unterminated.eml": created(text="hanya satu loket yang buka", attachments=["antrean.jpg"]),
    "31-unknown-charset.eml": created(text="tidak bisa dicetak — sudah dua minggu"),
    "32-thunderbird-reply-references.eml": joined("01-outlook-html.eml"),
    "33-outlook-reply-subject-number.eml": joined("02-gmail-alternative.eml"),
    "34-reply-from-stranger.eml": joined("03-thunderbird-flowed.eml", "held_message"),
    "35-reply-all-cc-outsider.eml": joined("24-cc-outsider.eml", "held_message"),
    "36-reply-from-staff.eml": joined("05-iphone-photo.eml", "note"),  # a colleague's input, not the reporter's
    "37-gmail-reply-quoted-html.eml": joined("07-html-only.eml"),
    "38-dsn-bounce-of-ack.eml": joined("09-qp-latin1.eml", "delivery_failure"),
    "39-dsn-backscatter.eml": quarantined("bounce (delivery status notification)"),
    "40-qmail-plain-bounce.eml": joined("01-outlook-html.eml", "delivery_failure"),
    "41-gmail-vacation-reply.eml": joined("02-gmail-alternative.eml", "auto_reply"),
    "42-outlook-out-of-office.eml": quarantined("auto-reply (Auto-Submitted: auto-generated)"),
    "43-newsletter-bulk.eml": quarantined("Precedence: bulk"),
    "44-yahoo-x-autoreply.eml": quarantined("auto-reply (X-Autoreply)"),
    "45-read-receipt.eml": quarantined("read receipt"),
    "46-own-mail-loop.eml": quarantined("sent by the helpdesk itself"),
    "47-not-a-mail.eml": quarantined("no mail headers"),
    "48-no-sender.eml": quarantined("no usable sender address"),
}


def norm(raw: bytes) -> bytes:
    """The bytes as Dovecot keeps them: CRLF line ends (a lone CR too), NUL stored as 0x80."""
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\x00", b"\x80")


def test_the_corpus_has_forty_files_or_more_and_each_an_expected_outcome():
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert len(files) >= 40 and files == sorted(EXPECTED)


def test_each_mail_of_the_corpus_ends_exactly_once_as_expected(mail_app, mailbox):
    db.session.add(User(email="petugas@kantor.go.id", role="officer", name="Petugas Loket"))
    db.session.commit()
    files = sorted(CORPUS.glob("*.eml"))
    mailbox.append([p.read_bytes() for p in files])  # in file order, each arriving at its Date
    (result,) = poll(configured_mailboxes()).values()
    outcomes = [e["outcome"] for e in EXPECTED.values()]
    assert result["quarantine"] == outcomes.count("quarantine")
    assert result["created"] == outcomes.count("created")

    messages = db.session.scalars(select(Message).where(Message.direction.in_(["inbound", "note"]))).all()
    items = db.session.scalars(select(QuarantineItem)).all()
    assert len(messages) + len(items) == len(files)  # nothing extra, nothing missing
    ticket_of = {}
    for path in files:
        raw = norm(path.read_bytes())
        found = [m for m in messages if norm(m.raw) == raw] + [q for q in items if norm(q.raw) == raw]
        assert len(found) == 1, (path.name, found)
        record, expected = found[0], EXPECTED[path.name]
        if expected["outcome"] == "quarantine":
            assert isinstance(record, QuarantineItem) and expected["reason"] in record.reason, (path.name, record)
            continue
        assert isinstance(record, Message), path.name
        ticket = record.ticket
        if expected["outcome"] == "created":
            ticket_of[path.name] = ticket
            assert ticket.messages[0].id == record.id and ticket.kind == expected["kind"], path.name
            assert expected["text"] in record.text, (path.name, record.text)
            assert [a.filename for a in record.attachments] == expected["attachments"], path.name
            if expected["subject"]:
                assert ticket.subject == expected["subject"], path.name
            if expected["reporter"]:
                assert ticket.reporter.name == expected["reporter"], path.name
        else:
            assert ticket.id == ticket_of[expected["ticket_of"]].id, path.name
            event = db.session.scalar(select(Event).where(Event.ticket_id == ticket.id, Event.action.in_(
                ["reply", "held_message", "delivery_failure", "auto_reply", "note"])).order_by(Event.id.desc())
                .where(Event.at == record.received_at))
            assert event is not None and event.action == expected["event"], (path.name, event)
            assert record.held is (expected["event"] == "held_message"), path.name
            assert record.public is (expected["event"] == "reply"), path.name

    # Acknowledgements: one per new ticket, none for anything automatic.
    acks = db.session.scalars(select(OutboxItem).where(OutboxItem.kind == "ack")).all()
    assert sorted(a.ticket_id for a in acks) == sorted(t.id for t in ticket_of.values())
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == len(ticket_of)
    # The Cc'd neighbour is not subscribed: the complaint's reporter has only her own address.
    neighbour = ticket_of["24-cc-outsider.eml"].reporter
    assert [c.value for c in neighbour.contacts] == ["fitri.handayani@contoh.id"]
    # A Message-ID reused for another mail keeps both, under two keys.
    a, b = ticket_of["15-reused-message-id-a.eml"], ticket_of["16-reused-message-id-b.eml"]
    assert a.messages[0].external_id == "<1234567890@localhost>"
    assert b.messages[0].external_id.startswith("<1234567890@localhost>#")
    assert ticket_of["14-missing-message-id.eml"].messages[0].external_id.startswith("sha256:")
    # Every mail was filed away, none deleted.
    assert (mailbox.count("INBOX"), mailbox.count("Processed"), mailbox.count("Quarantine")) == \
        (0, len(messages), len(items))


@pytest.mark.parametrize("size", [12 * 1024 * 1024])
def test_a_huge_attachment_becomes_a_note_and_the_mail_is_still_taken_in(mail_app, mailbox, size):
    blob = base64.encodebytes(b"\x00\x01scan" * (size // 6))
    raw = (b"From: Pemohon Besar <besar@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\n"
           b"Subject: Pindaian berkas lengkap\r\nMessage-ID: <huge-0001@contoh.id>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=big\r\n\r\n"
           b"--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"Berkas pindaian lengkap saya lampirkan, mohon izin segera diproses.\r\n--big\r\n"
           b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=pindaian.pdf\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + blob.replace(b"\n", b"\r\n") + b"--big--\r\n")
    mailbox.append([raw])
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"created": 1}
    note = db.session.scalar(select(Attachment))
    assert note.filename == "pindaian.pdf" and not note.stored and note.sha256 is None
    assert note.size > 10 * 1024 * 1024 and str(note.size) in note.note
    assert "mohon izin segera diproses" in db.session.scalar(select(Message)).text
    assert mailbox.count("Processed") == 1


def test_a_mail_over_the_fetch_limit_stays_on_the_server_and_its_headers_are_quarantined(mail_app, mailbox):
    mail_app.config["IMAP_MAX_MESSAGE_BYTES"] = 100_000
    big = (b"From: a@contoh.id\r\nSubject: Arsip besar\r\nMessage-ID: <too-big@contoh.id>\r\n\r\n"
           + b"x" * 200_000 + b"\r\n")
    small = (b"From: Budi <budi@contoh.id>\r\nSubject: Kecil\r\nMessage-ID: <small@contoh.id>\r\n\r\n"
             b"Berkas belum diproses sama sekali.\r\n")
    mailbox.append([big, small])
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"quarantine": 1, "created": 1}
    item = db.session.scalar(select(QuarantineItem))
    assert item.external_id == "<too-big@contoh.id>" and "too large to take in" in item.reason
    assert b"Subject: Arsip besar" in item.raw and len(item.raw) < 1000
    assert (mailbox.count("Quarantine"), mailbox.count("Processed")) == (1, 1)
