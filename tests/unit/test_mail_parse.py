"""E-mail parsing into InboundMessage, batching and outbound mail: pure, no server (the corpus's outcomes
are asserted through Dovecot in tests/integration/test_mail_corpus.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from channels.base import DeliveryError, OutboundMessage, ParseError
from channels.mail.text import html_to_text, unflow
from channels.mail.ids import is_own_message_id, make_message_id
from channels.mail.imap import plan
from channels.mail.parse import parse_email
from channels.mail.smtp import build


def mail(headers: str, body: bytes = b"Isi pengaduan yang cukup panjang untuk dibaca.") -> bytes:
    return headers.replace("\n", "\r\n").encode() + b"\r\n" + body


def test_plain_mail_gives_sender_subject_ids_and_ticket_number():
    raw = mail("From: =?utf-8?q?Budi_Santoso?= <Budi@Contoh.ID>\nSubject: Re: [ADU-2026-000123] Berkas\n"
               "Message-ID: <m1@contoh.id>\nIn-Reply-To: <out-1@kantor.go.id>\n"
               "References: <out-0@kantor.go.id> <out-1@kantor.go.id>\n"
               "Date: Mon, 02 Mar 2026 10:00:00 +0700\n")
    msg = parse_email(raw)
    assert (msg.sender.name, msg.sender.email) == ("Budi Santoso", "budi@contoh.id")
    assert msg.external_id == "<m1@contoh.id>" and msg.thread.ticket_number == "ADU-2026-000123"
    assert msg.thread.in_reply_to[0] == "<out-1@kantor.go.id>" and "<out-0@kantor.go.id>" in msg.thread.in_reply_to
    assert msg.received_at.isoformat() == "2026-03-02T10:00:00+07:00" and not msg.automated


def test_missing_message_id_is_keyed_by_the_raw_bytes():
    a = parse_email(mail("From: a@contoh.id\nSubject: x\n"))
    b = parse_email(mail("From: a@contoh.id\nSubject: y\n"))
    assert a.external_id.startswith("sha256:") and a.external_id != b.external_id


@pytest.mark.parametrize("charset, body", [
    ("iso-8859-1", "Pelayanan sangat buruk, café tutup".encode("latin-1")),
    ("windows-1252", "Biaya “tambahan” diminta petugas".encode("cp1252")),
    ("gb2312", "投诉内容 pengaduan".encode("gb2312")),
])
def test_legacy_charsets_decode(charset, body):
    msg = parse_email(mail(f"From: a@contoh.id\nSubject: x\nContent-Type: text/plain; charset={charset}\n", body))
    assert msg.text == body.decode("gb18030" if charset == "gb2312" else "cp1252")


def test_undeclared_utf8_is_read_as_utf8():
    msg = parse_email(mail("From: a@contoh.id\nSubject: x\n", "Pengaduan: ruang tunggu — panas".encode()))
    assert "— panas" in msg.text


def test_html_only_mail_is_sanitised_and_readable():
    body = b"<p>Halo<script>alert(1)</script></p><p onclick='x()'>Berkas <b>belum</b> diproses</p>"
    msg = parse_email(mail("From: a@contoh.id\nSubject: x\nContent-Type: text/html; charset=utf-8\n", body))
    assert "script" not in msg.html and "onclick" not in msg.html
    assert msg.text == "Halo\nBerkas belum diproses"


@pytest.mark.parametrize("header", ["Auto-Submitted: auto-replied", "Precedence: bulk", "X-Autoreply: yes"])
def test_automatic_mail_is_flagged(header):
    assert parse_email(mail(f"From: a@contoh.id\nSubject: Out of office\n{header}\n")).automated


def test_mailer_daemon_is_flagged():
    assert parse_email(mail("From: MAILER-DAEMON@mx.contoh.id\nSubject: Undelivered\n")).automated


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty message"),
    (b"just some words without any header structure at all", "no mail headers"),
    (b"Subject: hi\r\n\r\nbody", "no usable sender"),
])
def test_what_is_not_a_mail_raises_parse_error(raw, reason):
    with pytest.raises(ParseError, match=reason):
        parse_email(raw)


def test_html_to_text_drops_style_and_keeps_lines():
    assert html_to_text("<style>p{}</style><div>a</div><div>b&amp;c</div>") == "a\nb&c"


# --- The corpus shapes (tests/fixtures/mail), parsed without a server -------------------------------

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
OWN = {"own_addresses": ("pengaduan@kantor.go.id",), "own_domain": "kantor.go.id"}


def corpus(name: str):
    return parse_email((CORPUS / name).read_bytes(), **OWN)


def test_rfc2231_and_encoded_and_raw_8bit_file_names_are_decoded():
    names = [a.filename for a in corpus("17-rfc2231-filenames.eml").attachments]
    assert names == ["Bukti transfer — Maret.pdf", "Kuitansi rétribusi.jpg", "Surat pernoyataan.pdf"]
    msg = corpus("13-raw-latin1-headers.eml")
    assert msg.subject == "Pendaftaran café ditolak tanpa alasan"
    assert [a.filename for a in msg.attachments] == ["penolakan-café.pdf"]


def test_winmail_dat_is_kept_and_its_files_unpacked():
    atts = corpus("18-outlook-tnef.eml").attachments
    assert [(a.filename, a.content_type) for a in atts] == [("winmail.dat", "application/ms-tnef"),
                                                           ("surat-kuasa.pdf", "application/octet-stream")]
    assert atts[1].data.startswith(b"%PDF-1.4")


def test_a_forwarded_mail_is_kept_as_eml_and_shown_in_the_text():
    msg = corpus("19-forward-as-attachment.eml")
    assert "---------- Pesan terusan ----------\nDari: Oknum <calo.izin@gmail.com>" in msg.text
    assert msg.text.endswith("Transfer Rp 1.500.000 ke rekening saya, izin Anda terbit besok.")
    (eml,) = msg.attachments
    assert eml.filename == "jalur-cepat.eml" and b"Message-ID: <inner-calo-0001@gmail.com>" in eml.data


def test_inline_images_are_marked_inline_and_html_is_sanitised():
    (image,) = corpus("04-apple-mail-inline-image.eml").attachments
    assert image.inline and image.content_type == "image/png"
    msg = corpus("07-html-only.eml")
    assert "<script" not in msg.html and "onclick" not in msg.html
    assert msg.text.startswith("Sertifikat halal untuk usaha katering kami belum terbit")


def test_a_bounce_names_the_failed_address_and_threads_to_our_mail():
    msg = corpus("38-dsn-bounce-of-ack.eml")
    assert msg.automated and msg.auto_reason == "bounce (delivery status notification)"
    assert msg.delivery_failure == "jose.ramos@correo.es: 5.1.1 smtp; 550 5.1.1 User unknown"
    assert msg.thread.in_reply_to[:2] == ("<1773630000.9f2c4e1a7b3d5f60.ADU-2026-000009.helpdesk@kantor.go.id>",
                                         "<qp-latin1-0001@correo.es>")
    assert msg.returned_ids == ("<1773630000.9f2c4e1a7b3d5f60.ADU-2026-000009.helpdesk@kantor.go.id>",)
    old = corpus("40-qmail-plain-bounce.eml")
    assert old.delivery_failure == "hendra.wijaya@perusahaan.co.id: mailbox is full"
    assert old.returned_ids == ("<1773630001.0a1b2c3d4e5f6071.ADU-2026-000001.helpdesk@kantor.go.id>",)
    assert old.thread.ticket_number == "ADU-2026-000001"


@pytest.mark.parametrize("name, reason", [
    ("41-gmail-vacation-reply.eml", "auto-reply (Auto-Submitted: auto-replied)"),
    ("43-newsletter-bulk.eml", "bulk or list mail (Precedence: bulk)"),
    ("44-yahoo-x-autoreply.eml", "auto-reply (X-Autoreply)"),
    ("45-read-receipt.eml", "read receipt (disposition notification)"),
    ("46-own-mail-loop.eml", "sent by the helpdesk itself (From: pengaduan@kantor.go.id)"),
    ("03-thunderbird-flowed.eml", ""),
    ("36-reply-from-staff.eml", ""),  # a colleague on the office's domain is a person, not the helpdesk
])
def test_why_a_mail_looks_automatic(name, reason):
    msg = corpus(name)
    assert (msg.auto_reason, msg.automated, msg.delivery_failure) == (reason, bool(reason), None)


def test_a_relay_names_the_person_of_reply_to():
    msg = corpus("23-reply-to-relay.eml")
    assert (msg.sender.name, msg.sender.email) == ("Iwan Setiawan", "iwan.setiawan@contoh.id")


def test_text_has_plain_line_ends_and_flowed_lines_joined():
    msg = corpus("03-thunderbird-flowed.eml")
    assert "\r" not in msg.text and "banyak orang yang dilayani tanpa nomor" in msg.text
    assert unflow("a \nb\n> c \n> d\n-- \nsig") == "a b\n> c d\n-- \nsig"
    assert unflow("a \nb", delsp=True) == "ab"


def test_a_multipart_without_boundary_still_gives_its_text():
    assert corpus("28-malformed-no-boundary.eml").text.startswith("Izin keramaian untuk acara pernikahan")


def test_an_absurdly_long_message_id_is_keyed_by_its_hash():
    long_id = "<" + "x" * 500 + "@contoh.id>"
    msg = parse_email(mail(f"From: a@contoh.id\nSubject: x\nMessage-ID: {long_id}\n"))
    assert msg.external_id.startswith("sha256:") and len(msg.external_id) == 71


def test_a_date_far_in_the_future_is_not_the_receipt_time():
    msg = parse_email(mail("From: a@contoh.id\nSubject: x\nDate: Fri, 01 Jan 2100 10:00:00 +0700\n"))
    assert msg.received_at.year < 2100


def test_our_message_ids_carry_the_number_and_are_recognised():
    value = make_message_id("kantor.go.id", "ADU-2026-000123")
    assert ".ADU-2026-000123.helpdesk@kantor.go.id>" in value and is_own_message_id(value, "kantor.go.id")
    assert not is_own_message_id("<abc@kantor.go.id>", "kantor.go.id")


def test_batches_follow_arrival_and_size_and_set_aside_what_is_too_big():
    sizes = {5: 10, 1: 10, 2: 600, 3: 10, 4: 10_000, 6: 10}
    assert plan(sizes, count=2, max_bytes=700, too_big=5_000) == ([[1, 2], [3, 5], [6]], [4])
    assert plan({1: 900, 2: 900}, count=10, max_bytes=500, too_big=5_000) == ([[1], [2]], [])


def test_outbound_mail_threads_and_marks_what_a_machine_wrote():
    ack = build(OutboundMessage(channel="email", recipient="siti@contoh.id", text="Diterima.", kind="ack",
                                subject="[ADU-2026-000001] Laporan Anda telah kami terima: berkas belum diproses",
                                in_reply_to="<c1@contoh.id>", references=("<c0@contoh.id>",),
                                ticket_number="ADU-2026-000001"),
                from_header="Layanan <pengaduan@kantor.go.id>", domain="kantor.go.id")
    assert ack["References"] == "<c0@contoh.id> <c1@contoh.id>" and ack["In-Reply-To"] == "<c1@contoh.id>"
    assert ack["Auto-Submitted"] == "auto-replied" and ack["X-Helpdesk-Ticket"] == "ADU-2026-000001"
    assert b"\r\nSubject: [ADU-2026-000001] Laporan" in ack.as_bytes()  # not folded away from its number
    reply = build(OutboundMessage(channel="email", recipient="siti@contoh.id", text="Jawaban.", kind="answer"),
                  from_header="pengaduan@kantor.go.id", domain="kantor.go.id")
    assert "Auto-Submitted" not in reply and reply["Message-ID"].endswith(".helpdesk@kantor.go.id>")


@pytest.mark.parametrize("recipient", ["bukan-alamat", "a@b.id, c@d.id", "a@b.id\r\nBcc: x@y.id"])
def test_a_recipient_that_is_not_one_address_is_refused_for_good(recipient):
    with pytest.raises(DeliveryError) as err:
        build(OutboundMessage(channel="email", recipient=recipient, text="x"), from_header="p@k.id", domain="k.id")
    assert err.value.permanent


@pytest.mark.parametrize("subject", ["[ADU-2026-000001] Izin\r\nBcc: penyusup@contoh.id",
                                     "[ADU-2026-000001] Izin\nbaris kedua\x00\x0b\u2028akhir",
                                     "[ADU-2026-000001] " + "sangat panjang " * 80])
def test_a_subject_from_free_text_becomes_one_safe_line(subject):
    mime = build(OutboundMessage(channel="email", recipient="siti@contoh.id", text="x", subject=subject),
                 from_header="p@k.id", domain="k.id")
    raw = mime.as_bytes()
    assert b"\r\nBcc:" not in raw and "Bcc" not in mime.keys()
    value = str(mime["Subject"])
    assert value.startswith("[ADU-2026-000001] Izin" if "Izin" in subject else "[ADU-2026-000001] sangat")
    assert not any(c in value for c in "\r\n\x00\x0b\u2028") and len(value) <= 250
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert all(len(line) <= 200 for line in headers.split("\r\n"))
