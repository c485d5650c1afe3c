"""Mail fixtures (a pytest plugin, see tests/conftest.py): one real Dovecot per test run, a fresh
mailbox (IMAP user) per test, and the app pointed at it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

import config
from helpdesk.mail import poller
from tests.integration.dovecot import Dovecot

MAIL_KEYS = ("IMAP_BOXES", "SMTP", "MAIL_DOMAIN", "MAIL_OWN_ADDRESSES", "IMAP_BATCH", "IMAP_BATCH_BYTES",
             "IMAP_MAX_MESSAGE_BYTES", "IMAP_IDLE_SECONDS", "PUBLIC_URL")


@pytest.fixture(scope="session")
def dovecot():
    server = Dovecot().start()
    yield server
    server.cleanup()


@dataclass
class FixtureMailbox:
    server: Dovecot
    user: str
    password: str
    address: str

    def settings(self, security: str = "plain", **extra) -> dict:
        port = self.server.tls_port if security == "ssl" else self.server.port
        return {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": port, "IMAP_SECURITY": security, "IMAP_USER": self.user,
                "IMAP_PASSWORD": self.password, "IMAP_ADDRESS": self.address, "IMAP_CA_FILE": str(self.server.cert),
                **extra}

    def append(self, messages: list[bytes], folder: str = "INBOX") -> None:
        self.server.append(self.user, messages, folder, self.password)

    def count(self, folder: str) -> int:
        return self.server.count(self.user, folder, self.password)


@pytest.fixture
def mailbox(dovecot) -> FixtureMailbox:
    user, password = dovecot.add_user()
    return FixtureMailbox(dovecot, user, password, "pengaduan@kantor.go.id")


def configure_mail(app, **settings) -> dict:
    """Derive the mail settings as config.load would and put them in app.config; returns the old ones."""
    derived = config.load({"ENV": "testing", "OFFICE_NAME": "Kantor Pelayanan", **settings}, environ={})
    old = {k: app.config.get(k) for k in MAIL_KEYS}
    app.config.update({k: derived[k] for k in MAIL_KEYS})
    return old


@pytest.fixture
def mail_app(app, mailbox):
    """The app reading ``mailbox`` over plain IMAP on loopback, without IDLE; no SMTP server."""
    old = configure_mail(app, **mailbox.settings(), IMAP_IDLE_SECONDS=0)
    poller._failures.clear()
    yield app
    app.config.update(old)
    poller._failures.clear()
