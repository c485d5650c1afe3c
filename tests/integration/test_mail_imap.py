"""The IMAP poller against a real Dovecot: exactly once, filed away after the commit, never deleted."""
from __future__ import annotations

from sqlalchemy import func, select

from helpdesk.channels_state import ChannelState
from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.mail.poller import configured_mailboxes, poll
from helpdesk.tickets.models import Message, Ticket


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def mail(n: int, *, subject: str = "Berkas izin belum diproses", extra: str = "") -> bytes:
    return (f"From: Warga {n} <warga{n}@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: {subject} {n}\r\n"
            f"Message-ID: <m{n}@contoh.id>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0700\r\n{extra}"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Sudah tiga minggu berkas nomor {n} belum diproses oleh petugas loket.\r\n").encode()


def test_a_round_takes_every_mail_in_once_and_files_it_away(mail_app, mailbox):
    mailbox.append([mail(n) for n in range(1, 8)])
    (result,) = poll(configured_mailboxes()).values()
    assert result == {"created": 7}
    assert count(Ticket) == 7 and count(Message, Message.direction == "inbound") == 7
    assert (mailbox.count("INBOX"), mailbox.count("Processed")) == (0, 7)
    with mailbox.server.client(mailbox.user, mailbox.password) as c:
        c.select_folder("Processed")
        assert all(b"\\Seen" in f for f in c.get_flags(c.search()).values())
    state = db.session.get(ChannelState, "email:pengaduan@kantor.go.id")
    assert state.last_ok_at is not None and state.last_error is None
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {}
