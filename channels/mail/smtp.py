"""Outbound e-mail over SMTP (smtplib): SSL, STARTTLS or plain, threaded by Message-ID."""
from __future__ import annotations

import logging
import re
import smtplib
import ssl
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from channels.base import DeliveryError, OutboundMessage, sender
from channels.mail.ids import make_message_id

logger = logging.getLogger(__name__)
# What a machine wrote: other machines must not answer it (RFC 3834). Officers' words carry none.
# Headers folded only past 200 characters: the ticket number stays on the Subject line itself.
POLICY = policy.SMTP.clone(max_line_length=200)
AUTO_SUBMITTED = {"ack": "auto-replied", "notification": "auto-generated", "survey": "auto-generated"}
MAX_SUBJECT = 250  # characters; a ticket subject taken from the first words of a text can be far longer
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: str, limit: int = MAX_SUBJECT) -> str:
    """A header value from free text: control characters and line breaks become spaces, runs of
    space one, cut at ``limit`` characters (no header injection, and no ValueError from the policy)."""
    text = " ".join(CONTROL.sub(" ", value or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def build(message: OutboundMessage, *, from_header: str, domain: str, now: datetime | None = None) -> EmailMessage:
    """The MIME message for ``message``; refuses a recipient that is no single address."""
    recipient = message.recipient.strip()
    if "@" not in parseaddr(recipient)[1] or any(c in recipient for c in "\r\n,;"):
        raise DeliveryError(f"e-mail: {recipient!r} is not an e-mail address", permanent=True)
    mime = EmailMessage(policy=POLICY)
    mime["From"] = from_header
    mime["To"] = recipient
    mime["Subject"] = one_line(message.subject) or (f"[{message.ticket_number}]" if message.ticket_number else "")
    mime["Date"] = format_datetime(now or datetime.now(timezone.utc))
    mime["Message-ID"] = message.message_id or make_message_id(domain, message.ticket_number)
    if message.in_reply_to:
        mime["In-Reply-To"] = message.in_reply_to
    references = list(dict.fromkeys(message.references + ((message.in_reply_to,) if message.in_reply_to else ())))
    if references:
        mime["References"] = " ".join(references)
    if message.kind in AUTO_SUBMITTED:
        mime["Auto-Submitted"] = AUTO_SUBMITTED[message.kind]
        mime["X-Auto-Response-Suppress"] = "All"  # Exchange: no out-of-office answers to this
    mime["X-Loop"] = parseaddr(from_header)[1]
    if message.ticket_number:
        mime["X-Helpdesk-Ticket"] = message.ticket_number
    mime.set_content(message.text, charset="utf-8")
    if message.html:
        mime.add_alternative(message.html, subtype="html", charset="utf-8")
    return mime


def context(ca_file: str = "") -> ssl.SSLContext:
    """Certificate and host name checked; ``ca_file`` trusts a server with its own certificate."""
    return ssl.create_default_context(cafile=ca_file or None)


def deliver(mime: EmailMessage, settings: dict, *, local_hostname: str) -> None:
    """Hand one message to the SMTP server; raises DeliveryError (permanent for 5xx refusals)."""
    envelope_from = parseaddr(str(mime["From"]))[1]
    try:
        if settings["security"] == "ssl":
            conn = smtplib.SMTP_SSL(settings["host"], settings["port"], timeout=settings["timeout"],
                                    context=context(settings["ca_file"]), local_hostname=local_hostname)
        else:
            conn = smtplib.SMTP(settings["host"], settings["port"], timeout=settings["timeout"],
                                local_hostname=local_hostname)
        with conn:
            if settings["security"] == "starttls":
                conn.starttls(context=context(settings["ca_file"]))
            if settings["user"]:
                conn.login(settings["user"], settings["password"])
            conn.send_message(mime, from_addr=envelope_from, to_addrs=[str(mime["To"])])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(f"e-mail refused for {exc.recipients}",
                            permanent=all(500 <= c < 600 for c in codes)) from exc
    except smtplib.SMTPDataError as exc:
        raise DeliveryError(f"e-mail refused: {exc.smtp_code} {exc.smtp_error!r}",
                            permanent=500 <= exc.smtp_code < 600) from exc
    except (smtplib.SMTPException, OSError) as exc:  # connection, TLS, login, sender: worth a retry
        raise DeliveryError(f"e-mail: {type(exc).__name__}: {exc}") from exc


@sender("email")
def send(message: OutboundMessage, config) -> str:
    """Deliver an acknowledgement, officer reply or answer; returns the Message-ID it went out with."""
    settings = config["SMTP"]
    if not settings["host"]:
        raise DeliveryError("e-mail: no SMTP server configured (HELPDESK_SMTP_HOST)")
    if not settings["from"]:
        raise DeliveryError("e-mail: no sender address configured (HELPDESK_SMTP_FROM)")
    mime = build(message, from_header=settings["from"], domain=config["MAIL_DOMAIN"])
    deliver(mime, settings, local_hostname=config["MAIL_DOMAIN"])
    logger.info("mail %s sent to %s", mime["Message-ID"], message.recipient)
    return str(mime["Message-ID"])
