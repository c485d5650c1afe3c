"""The IMAP poller against a real Dovecot: exactly once, filed away after the commit, never deleted."""
from __future__ import annotations

import json
import ssl
from datetime import datetime, timedelta, timezone

import pytest
from imapclient import IMAPClient
from sqlalchemy import func, select

from channels.mail.imap import MailboxSession
from helpdesk.channels_state import ChannelState
from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.mail import poller
from helpdesk.mail.poller import configured_mailboxes, poll
from helpdesk.tickets.models import Message, Ticket
from tests.integration.dovecot import Dovecot
from tests.integration.mail_fixtures import FixtureMailbox, configure_mail


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


def test_a_full_mailbox_is_asked_for_sizes_and_mail_in_bounded_commands(mail_app, mailbox, monkeypatch):
    from channels.mail import imap

    mailbox.append([mail(n) for n in range(1, 12)])
    monkeypatch.setattr(imap, "SIZE_CHUNK", 4, raising=False)
    monkeypatch.setitem(mail_app.config, "IMAP_BATCH", 3)
    asked = []
    real_fetch = IMAPClient.fetch
    monkeypatch.setattr(IMAPClient, "fetch", lambda self, uids, items, *a, **kw:
                        asked.append((len(uids), tuple(items))) or real_fetch(self, uids, items, *a, **kw))
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"created": 11}
    assert [n for n, items in asked if items == ("RFC822.SIZE",)] == [4, 4, 3]
    assert [n for n, items in asked if "BODY.PEEK[]" in items] == [3, 3, 3, 2]


def test_mail_filed_away_late_is_recognised_not_taken_in_twice(mail_app, mailbox, monkeypatch):
    """A crash after the commit and before the move: the next round finds the mail again."""
    mailbox.append([mail(n) for n in range(1, 4)])
    monkeypatch.setattr(MailboxSession, "file_away", lambda self, uids, folder: None)
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"created": 3}
    assert mailbox.count("INBOX") == 3 and count(Message, Message.direction == "inbound") == 3
    monkeypatch.undo()
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"duplicate": 3}
    assert count(Message, Message.direction == "inbound") == 3 and mailbox.count("Processed") == 3


def test_an_unreadable_mail_is_quarantined_and_does_not_block_the_next(mail_app, mailbox):
    mailbox.append([b"garbage without any header at all\r\n", mail(1)])
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"quarantine": 1, "created": 1}
    assert (mailbox.count("Quarantine"), mailbox.count("Processed")) == (1, 1)
    item = db.session.scalar(select(QuarantineItem))
    assert "no mail headers" in item.reason and item.raw.startswith(b"garbage")


def test_a_mail_the_store_refuses_is_quarantined_with_the_error(mail_app, mailbox, monkeypatch):
    real = poller.ingest_raw_email

    def refuse_the_first(raw, **kw):
        if b"<m1@" in raw:
            raise ValueError("simulated bug")
        return real(raw, **kw)
    monkeypatch.setattr(poller, "ingest_raw_email", refuse_the_first)
    mailbox.append([mail(1), mail(2)])
    assert poll(configured_mailboxes())["pengaduan@kantor.go.id"] == {"quarantine": 1, "created": 1}
    item = db.session.scalar(select(QuarantineItem))
    assert item.reason == "could not be taken in: ValueError: simulated bug" and b"<m1@" in item.raw


def test_tls_and_starttls_with_the_servers_own_certificate(app, mailbox):
    mailbox.append([mail(1), mail(2)])
    for n, security in enumerate(("ssl", "starttls")):
        old = configure_mail(app, **mailbox.settings(security), IMAP_BATCH=1)
        try:
            (box,) = configured_mailboxes()
            assert box.security == security and box.port == (mailbox.server.tls_port if n == 0 else mailbox.server.port)
            session = MailboxSession(box).open()
            assert isinstance(session.client.socket(), ssl.SSLSocket)
            session.close()
            mailbox.append([mail(10 + n)])
            assert poll([box])[box.address] == ({"created": 3} if n == 0 else {"created": 1})
        finally:
            app.config.update(old)


def test_a_certificate_that_is_not_trusted_is_refused(app, mailbox):
    old = configure_mail(app, **mailbox.settings("ssl", IMAP_CA_FILE=""))
    try:
        mailbox.append([mail(1)])
        (result,) = poll(configured_mailboxes()).values()
        assert "CERTIFICATE_VERIFY_FAILED" in result["error"] and count(Ticket) == 0
    finally:
        app.config.update(old)
        poller._failures.clear()


def test_several_mailboxes_each_with_its_state(app, dovecot):
    first = FixtureMailbox(dovecot, *dovecot.add_user(), "pengaduan@kantor.go.id")
    second = FixtureMailbox(dovecot, *dovecot.add_user(), "ppid@kantor.go.id")
    first.append([mail(1)])
    second.append([mail(2), mail(3)])
    old = configure_mail(app, **first.settings(), IMAP_MAILBOXES="ppid", IMAP_PPID_USER=second.user,
                         IMAP_PPID_PASSWORD=second.password, IMAP_PPID_ADDRESS=second.address)
    try:
        assert poll(configured_mailboxes()) == {"pengaduan@kantor.go.id": {"created": 1},
                                                "ppid@kantor.go.id": {"created": 2}}
        assert db.session.get(ChannelState, "email:ppid@kantor.go.id").last_ok_at is not None
    finally:
        app.config.update(old)


def test_idle_takes_in_mail_that_arrives_while_waiting(mail_app, mailbox, monkeypatch):
    """The poller waits in IDLE; mail delivered then is taken in within the same run."""
    real_idle, delivered = IMAPClient.idle, []

    def idle_then_deliver(self):
        result = real_idle(self)
        if not delivered:  # once IDLE is running, another client delivers a mail
            delivered.append(True)
            mailbox.append([mail(7)])
        return result
    monkeypatch.setattr(IMAPClient, "idle", idle_then_deliver)
    mailbox.append([mail(1)])
    result = poll(configured_mailboxes(), idle_seconds=3)["pengaduan@kantor.go.id"]
    assert result == {"created": 2, "idle_wakeups": 1}
    assert mailbox.count("Processed") == 2


@pytest.fixture
def own_dovecot():
    """A Dovecot of the test's own, which the test may stop and start."""
    server = Dovecot().start()
    yield server
    server.cleanup()


def test_the_server_stopped_mid_batch_backs_off_and_resumes_losing_nothing(app, own_dovecot, monkeypatch):
    box = FixtureMailbox(own_dovecot, *own_dovecot.add_user(), "pengaduan@kantor.go.id")
    box.append([mail(n) for n in range(1, 31)])
    old = configure_mail(app, **box.settings(), IMAP_BATCH=10)
    poller._failures.clear()
    real, taken = poller.ingest_raw_email, []

    def ingest_then_crash_the_server(raw, **kw):
        outcome = real(raw, **kw)
        taken.append(outcome)
        if len(taken) == 15:  # in the middle of the second batch
            own_dovecot.stop(kill=True)
        return outcome
    monkeypatch.setattr(poller, "ingest_raw_email", ingest_then_crash_the_server)
    try:
        t0 = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
        (result,) = poll(configured_mailboxes(), now=t0).values()
        assert result["retry_in"] == 30 and result["error"]
        state = db.session.get(ChannelState, "email:pengaduan@kantor.go.id")
        assert state.last_error and state.last_error_at == t0
        assert count(Message, Message.direction == "inbound") == 20  # the fetched batch was committed
        # Still down: backing off means not even trying until the wait is over.
        assert poll(configured_mailboxes(), now=t0 + timedelta(seconds=10)) == \
            {"pengaduan@kantor.go.id": {"backoff_until": (t0 + timedelta(seconds=30)).isoformat()}}
        (result,) = poll(configured_mailboxes(), now=t0 + timedelta(seconds=31)).values()
        assert result["retry_in"] == 60  # down again: twice as long
        own_dovecot.start()
        (result,) = poll(configured_mailboxes(), now=t0 + timedelta(seconds=100)).values()
        assert result == {"duplicate": 10, "created": 10}  # the unfiled batch, then the rest
        assert count(Message, Message.direction == "inbound") == 30 == count(Ticket)
        assert (box.count("INBOX"), box.count("Processed")) == (0, 30)
        db.session.expire_all()
        assert db.session.get(ChannelState, "email:pengaduan@kantor.go.id").last_ok_at > t0
    finally:
        app.config.update(old)
        poller._failures.clear()


def test_the_poll_email_command_runs_one_round(mail_app, mailbox):
    mailbox.append([mail(1), b"garbage\r\n"])
    result = mail_app.test_cli_runner().invoke(args=["poll-email"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"pengaduan@kantor.go.id": {"created": 1, "quarantine": 1}}


def test_the_poll_email_command_says_when_no_mailbox_is_configured(app):
    result = app.test_cli_runner().invoke(args=["poll-email"])
    assert result.exit_code != 0 and "no IMAP mailbox configured" in result.output
