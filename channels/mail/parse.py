"""Raw RFC 5322 bytes → InboundMessage, with the standard ``email`` package (modern policy)."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from channels.base import InboundMessage, ParseError, Sender, ThreadHints
from channels.mail.body import PartInfo, read_body
from channels.mail.dsn import BOUNCE_SENDERS, MSGID, read_bounce
from channels.mail.headers import header, token
from channels.mail.ids import content_digest, is_own_message_id

TICKET_NUMBER = re.compile(r"\b([A-Z]{2,8}-\d{4}-\d{6})\b")
MAX_ID = 300  # longer Message-IDs are keyed by their hash (the column holds 400)
FUTURE_SLACK = timedelta(hours=1)  # a Date header further ahead is a wrong clock, not the receipt time


def parse_email(raw: bytes, *, received_at: datetime | None = None, own_addresses=(),
                own_domain: str | None = None) -> InboundMessage:
    """Parse one mail; raises ParseError (with the reason) for what is not a mail.

    ``received_at`` is the server's arrival time (IMAP INTERNALDATE) when known; the helpdesk's own
    addresses and Message-ID domain let mail it sent itself be recognised.
    """
    if not raw or not raw.strip():
        raise ParseError("empty message")
    try:
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
        return _convert(msg, raw, received_at, tuple(a.lower() for a in own_addresses), own_domain)
    except ParseError:
        raise
    except Exception as exc:  # the email package raises many types on hostile input
        raise ParseError(f"unreadable MIME: {type(exc).__name__}: {exc}") from exc


def _convert(msg: EmailMessage, raw: bytes, received_at: datetime | None, own: tuple[str, ...],
             own_domain: str | None) -> InboundMessage:
    from_hdr, msgid_hdr, subject = header(msg, "From"), token(msg, "Message-ID"), header(msg, "Subject")
    if not from_hdr and not msgid_hdr and not subject:
        raise ParseError("no mail headers (From, Message-ID, Subject) found")
    name, from_address, address = _sender(msg, from_hdr)
    if not address:
        raise ParseError(f"no usable sender address in From/Reply-To ({from_hdr!r})")
    content = content_digest(raw)
    external_id = message_key(msgid_hdr, raw, content=content)
    subject = " ".join(subject.split())
    top = PartInfo.of(msg)
    report = _looks_like_report(msg, top, from_address)
    body = read_body(msg, report=report, info=top)
    bounce = read_bounce(msg, top, body, from_address) if report else None
    refs = MSGID.findall(token(msg, "In-Reply-To")) + MSGID.findall(token(msg, "References"))[::-1]
    if bounce is not None:
        refs = list(bounce.original_ids) + refs
    number = TICKET_NUMBER.search(subject.upper()) or (
        TICKET_NUMBER.search(bounce.original_subject.upper()) if bounce else None)
    reason = automation(msg, top, from_address, own, own_domain, bounce is not None)
    return InboundMessage(
        channel="email", external_id=external_id, raw=raw,
        sender=Sender(name=name or None, email=address),
        received_at=received_at or _date(msg) or datetime.now(timezone.utc),
        subject=subject, text=body.text, html=body.html, attachments=tuple(body.attachments),
        thread=ThreadHints(in_reply_to=tuple(dict.fromkeys(refs)),
                           ticket_number=number.group(1) if number else None),
        automated=bool(reason), auto_reason=reason,
        delivery_failure=bounce.detail if bounce is not None and bounce.failed else None,
        returned_ids=bounce.returned_ids if bounce is not None else (), from_address=from_address or None,
        content_sha256=content)


def message_key(msgid_header: str, raw: bytes, *, content: str | None = None) -> str:
    """The exactly-once key: the Message-ID, or a hash of the mail when it is missing or absurd.

    The hash is of the content (``content_digest``), not of the bytes: the copies of one mail in two
    mailboxes differ in their trace headers and must get the same key.
    """
    ids = MSGID.findall(msgid_header)
    value = ids[0] if ids else (f"<{msgid_header.strip()}>" if msgid_header.strip() and
                                not re.search(r"[\s<>]", msgid_header.strip()) else "")
    if not value:
        return "sha256:" + (content or content_digest(raw))
    if len(value) > MAX_ID:
        return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()
    return value


def _sender(msg: EmailMessage, from_hdr: str) -> tuple[str, str, str]:
    """(display name, From address, address to answer: Reply-To when given, else From)."""
    from_pairs = getaddresses([from_hdr])
    reply_pairs = getaddresses([header(msg, "Reply-To")])
    from_name = next((n for n, a in from_pairs if n), "")
    from_address = next((a for _, a in from_pairs if "@" in a), "")
    reply_name, reply_address = next(((n, a) for n, a in reply_pairs if "@" in a), ("", ""))
    name = (reply_name or from_name) if reply_address else from_name  # a form relay names the person in Reply-To
    address = reply_address or from_address
    return name.strip().strip('"').strip(), from_address.strip().lower(), address.strip().lower()


def _looks_like_report(msg: EmailMessage, top: PartInfo, from_address: str) -> bool:
    return (top.ctype == "multipart/report" or "X-Failed-Recipients" in msg
            or from_address.split("@")[0] in BOUNCE_SENDERS)


def automation(msg: EmailMessage, top: PartInfo, from_address: str, own: tuple[str, ...] = (),
               own_domain: str | None = None, bounce: bool = False) -> str:
    """Why this mail was written by a machine ('' for a person): it is never acknowledged."""
    msgid = MSGID.findall(token(msg, "Message-ID"))
    loop = token(msg, "X-Loop").lower()
    if from_address in own:
        return f"sent by the helpdesk itself (From: {from_address})"
    if msgid and is_own_message_id(msgid[0], own_domain):
        return "sent by the helpdesk itself (its own Message-ID)"
    if own and any(a in loop for a in own):
        return "mail loop (X-Loop names the helpdesk)"
    if bounce or top.ctype == "multipart/report":
        kind = top.params.get("report-type", "").lower()
        return "read receipt (disposition notification)" if kind == "disposition-notification" \
            else "bounce (delivery status notification)"
    auto = token(msg, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"auto-reply (Auto-Submitted: {auto[:40]})"
    precedence = token(msg, "Precedence").lower()
    if precedence in ("bulk", "junk", "list"):
        return f"bulk or list mail (Precedence: {precedence})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autogenerated"):
        if token(msg, name):
            return f"auto-reply ({name})"
    if token(msg, "Return-Path") == "<>":
        return "automatic mail (empty Return-Path)"
    return ""


def _date(msg: EmailMessage) -> datetime | None:
    try:
        value = parsedate_to_datetime(token(msg, "Date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value is None or value.tzinfo is None or value > datetime.now(timezone.utc) + FUTURE_SLACK:
        return None
    return value
