"""E-mail parsing into InboundMessage: the basic shapes (the full corpus lives with the IMAP tests)."""
from __future__ import annotations

import pytest

from channels.base import ParseError
from channels.mail.body import html_to_text
from channels.mail.parse import parse_email


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
