"""E-mail settings: the IMAP mailboxes the helpdesk reads and the SMTP server it sends through.

Derived from the settings dict :func:`config.load` built (itself from ``HELPDESK_*``
variables), so nothing here reads the environment. The first mailbox is configured with
``IMAP_*``; more are named in ``IMAP_MAILBOXES`` and configured with ``IMAP_<NAME>_*``, taking
the server and folder settings of the first where they do not set their own.
"""
from __future__ import annotations

import ipaddress
import re
from email.utils import formataddr, parseaddr

SECURITY = ("ssl", "starttls", "plain")
POLL_SECONDS = 30  # the interval of the poll-email job (helpdesk/mail/poller.py)
IMAP_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}
SHARED = ("HOST", "PORT", "SECURITY", "FOLDER", "PROCESSED_FOLDER", "QUARANTINE_FOLDER", "CA_FILE")
OWN = ("USER", "PASSWORD", "ADDRESS")
ADDRESS = re.compile(r"[^@\s<>]+@[\w-]+(\.[\w-]+)+")  # a mailbox address fit to send from


class MailConfigError(ValueError):
    """A mail setting that cannot work; config.load turns it into a ConfigError."""


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8 / ::1: the only hosts plain (unencrypted) login may reach."""
    if host.strip().lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _port(value, security: str, defaults: dict, name: str) -> int:
    if value in (None, ""):
        return defaults[security]
    try:
        return int(value)
    except (TypeError, ValueError):
        raise MailConfigError(f"HELPDESK_{name} must be a port number, not {value!r}") from None


def _security(value, name: str) -> str:
    value = (value or "").strip().lower()
    if value not in SECURITY:
        raise MailConfigError(f"HELPDESK_{name} must be one of {', '.join(SECURITY)}, not {value!r}")
    return value


def mailboxes(settings: dict) -> list[dict]:
    """Every configured mailbox, with what it lacks to run listed under ``missing``."""
    names = [n.strip().upper() for n in str(settings.get("IMAP_MAILBOXES") or "").split(",") if n.strip()]
    out = []
    if settings.get("IMAP_USER") or (settings.get("IMAP_HOST") and not names):
        out.append(_mailbox(settings, ""))
    out.extend(_mailbox(settings, name) for name in names)
    addresses = [m["address"] for m in out]
    if len(set(addresses)) != len(addresses):
        raise MailConfigError(f"two IMAP mailboxes have the same address: {addresses}")
    return out


def _mailbox(settings: dict, name: str) -> dict:
    prefix = f"IMAP_{name}_" if name else "IMAP_"

    def get(field: str):
        own = settings.get(prefix + field)
        if own not in (None, "") or not name or field in OWN:
            return own if own is not None else ""
        return settings.get("IMAP_" + field, "")

    security = _security(get("SECURITY"), prefix + "SECURITY")
    host, user = str(get("HOST")).strip(), str(get("USER")).strip()
    if security == "plain" and host and not is_loopback(host):
        raise MailConfigError(f"HELPDESK_{prefix}SECURITY=plain sends the password unencrypted; it is only "
                              f"allowed for a server on this machine (loopback), not {host!r}")
    address = str(get("ADDRESS")).strip().lower() or (user.lower() if "@" in user else
                                                       f"{user or name.lower() or 'mailbox'}@{host or 'localhost'}")
    folder = str(get("FOLDER")) or "INBOX"
    processed, quarantine = str(get("PROCESSED_FOLDER")), str(get("QUARANTINE_FOLDER"))
    if folder in (processed, quarantine) or processed == quarantine:
        raise MailConfigError(f"HELPDESK_{prefix}FOLDER, PROCESSED_FOLDER and QUARANTINE_FOLDER must differ")
    missing = [f"HELPDESK_{prefix}{field}" for field, value in
               (("HOST", host), ("USER", user), ("PASSWORD", get("PASSWORD"))) if not value]
    return {"key": name.lower() or "default", "state": f"email:{address}"[:60], "address": address,
            "host": host, "port": _port(get("PORT"), security, IMAP_PORTS, prefix + "PORT"),
            "security": security, "user": user, "password": str(get("PASSWORD")), "folder": folder,
            "processed_folder": processed, "quarantine_folder": quarantine, "ca_file": str(get("CA_FILE")),
            "timeout": int(settings["IMAP_TIMEOUT"]), "missing": missing}


def smtp(settings: dict, boxes: list[dict]) -> dict:
    """The outgoing server; ``from`` defaults to the first mailbox's address."""
    security = _security(settings.get("SMTP_SECURITY"), "SMTP_SECURITY")
    host = str(settings.get("SMTP_HOST") or "").strip()
    if security == "plain" and settings.get("SMTP_PASSWORD") and host and not is_loopback(host):
        raise MailConfigError("HELPDESK_SMTP_SECURITY=plain with a password sends it unencrypted; use "
                              "starttls or ssl, or a relay on this machine")
    sender = str(settings.get("SMTP_FROM") or "").strip()
    if not sender and boxes and ADDRESS.fullmatch(boxes[0]["address"]):
        sender = formataddr((settings.get("OFFICE_NAME") or "", boxes[0]["address"]))
    if sender and "@" not in parseaddr(sender)[1]:
        raise MailConfigError(f"HELPDESK_SMTP_FROM must hold an e-mail address, not {sender!r}")
    return {"host": host, "port": _port(settings.get("SMTP_PORT"), security, SMTP_PORTS, "SMTP_PORT"),
            "security": security, "user": str(settings.get("SMTP_USER") or ""),
            "password": str(settings.get("SMTP_PASSWORD") or ""), "from": sender,
            "ca_file": str(settings.get("SMTP_CA_FILE") or ""), "timeout": int(settings["SMTP_TIMEOUT"])}


def derive(settings: dict) -> None:
    """Add IMAP_BOXES, SMTP, MAIL_DOMAIN and MAIL_OWN_ADDRESSES to the settings (raises MailConfigError)."""
    if not 0 <= int(settings["IMAP_IDLE_SECONDS"]) < POLL_SECONDS:
        raise MailConfigError(f"HELPDESK_IMAP_IDLE_SECONDS must be 0 to {POLL_SECONDS - 1}: the poll job runs "
                              f"every {POLL_SECONDS} s and waits in IDLE for at most that long")
    if int(settings["IMAP_BATCH"]) < 1:
        raise MailConfigError("HELPDESK_IMAP_BATCH must be at least 1")
    boxes = mailboxes(settings)
    out = smtp(settings, boxes)
    from_address = parseaddr(out["from"])[1].lower()
    settings["IMAP_BOXES"], settings["SMTP"] = boxes, out
    settings["MAIL_DOMAIN"] = (settings.get("MAIL_DOMAIN") or from_address.partition("@")[2]
                               or "helpdesk.invalid").strip().lower()
    settings["MAIL_OWN_ADDRESSES"] = tuple(dict.fromkeys([m["address"] for m in boxes] +
                                                         ([from_address] if from_address else [])))
