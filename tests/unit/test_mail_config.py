"""E-mail settings: mailboxes, security, defaults and refusals."""
from __future__ import annotations

import pytest

import config


def load(**env):
    return config.load(environ={f"HELPDESK_{k}": str(v) for k, v in env.items()})


def test_no_mailbox_and_no_smtp_by_default():
    s = load()
    assert s["IMAP_BOXES"] == [] and s["SMTP"]["host"] == "" and s["MAIL_DOMAIN"] == "helpdesk.invalid"
    assert s["MAIL_OWN_ADDRESSES"] == ()


def test_one_mailbox_with_its_defaults_and_the_sender_derived_from_it():
    s = load(IMAP_HOST="imap.kantor.go.id", IMAP_USER="Pengaduan@Kantor.go.id", IMAP_PASSWORD="x",
             OFFICE_NAME="DPMPTSP Purwakarta")
    (box,) = s["IMAP_BOXES"]
    assert (box["port"], box["security"], box["address"], box["state"]) == \
        (993, "ssl", "pengaduan@kantor.go.id", "email:pengaduan@kantor.go.id")
    assert (box["folder"], box["processed_folder"], box["quarantine_folder"], box["missing"]) == \
        ("INBOX", "Processed", "Quarantine", [])
    assert s["SMTP"]["from"] == "DPMPTSP Purwakarta <pengaduan@kantor.go.id>" and s["SMTP"]["port"] == 587
    assert s["MAIL_DOMAIN"] == "kantor.go.id" and s["MAIL_OWN_ADDRESSES"] == ("pengaduan@kantor.go.id",)


def test_more_mailboxes_share_the_server_settings_but_not_the_credentials():
    s = load(IMAP_HOST="imap.kantor.go.id", IMAP_SECURITY="starttls", IMAP_USER="pengaduan@kantor.go.id",
             IMAP_PASSWORD="a", IMAP_MAILBOXES="ppid, lapor", IMAP_PPID_USER="ppid@kantor.go.id",
             IMAP_PPID_PASSWORD="b", IMAP_LAPOR_HOST="mail.lapor.go.id", IMAP_LAPOR_USER="lapor",
             IMAP_LAPOR_ADDRESS="lapor@lapor.go.id", SMTP_FROM="Layanan <layanan@kantor.go.id>")
    first, ppid, lapor = s["IMAP_BOXES"]
    assert (ppid["host"], ppid["security"], ppid["port"], ppid["password"]) == \
        ("imap.kantor.go.id", "starttls", 143, "b")
    assert (lapor["host"], lapor["address"], lapor["missing"]) == \
        ("mail.lapor.go.id", "lapor@lapor.go.id", ["HELPDESK_IMAP_LAPOR_PASSWORD"])
    assert s["MAIL_OWN_ADDRESSES"] == ("pengaduan@kantor.go.id", "ppid@kantor.go.id", "lapor@lapor.go.id",
                                       "layanan@kantor.go.id")


def test_named_mailboxes_alone_use_the_first_settings_only_as_shared_defaults():
    s = load(IMAP_HOST="imap.kantor.go.id", IMAP_MAILBOXES="ppid", IMAP_PPID_USER="ppid@kantor.go.id")
    assert [b["address"] for b in s["IMAP_BOXES"]] == ["ppid@kantor.go.id"]


@pytest.mark.parametrize("env, message", [
    ({"IMAP_HOST": "imap.kantor.go.id", "IMAP_USER": "a", "IMAP_SECURITY": "plain"}, "only allowed for a server on"),
    ({"IMAP_HOST": "imap.kantor.go.id", "IMAP_USER": "a", "IMAP_SECURITY": "tls"},
     "must be one of ssl, starttls, plain"),
    ({"IMAP_HOST": "h", "IMAP_USER": "a", "IMAP_PORT": "imap"}, "must be a port number"),
    ({"IMAP_HOST": "h", "IMAP_USER": "a", "IMAP_PROCESSED_FOLDER": "INBOX"}, "must differ"),
    ({"IMAP_HOST": "h", "IMAP_USER": "a@x.id", "IMAP_MAILBOXES": "b", "IMAP_B_USER": "a@x.id"}, "same address"),
    ({"SMTP_HOST": "smtp.kantor.go.id", "SMTP_SECURITY": "plain", "SMTP_PASSWORD": "p"}, "sends it unencrypted"),
    ({"SMTP_FROM": "Layanan Pengaduan"}, "must hold an e-mail address"),
    ({"IMAP_IDLE_SECONDS": "45"}, "IMAP_IDLE_SECONDS must be 0 to 29"),
    ({"IMAP_BATCH": "0"}, "IMAP_BATCH must be at least 1"),
])
def test_unsafe_or_broken_mail_settings_are_refused(env, message):
    with pytest.raises(config.ConfigError, match=message):
        load(**env)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "localhost", "::1"])
def test_plain_is_allowed_on_loopback_and_for_a_relay_without_login(host):
    s = load(IMAP_HOST=host, IMAP_USER="a", IMAP_SECURITY="plain", SMTP_HOST="relay.kantor.go.id",
             SMTP_SECURITY="plain")
    assert s["IMAP_BOXES"][0]["port"] == 143 and s["SMTP"]["port"] == 25
