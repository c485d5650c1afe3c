"""Bounces: which of our mails came back, to whom it failed, and why (RFC 3464 and older shapes)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from channels.mail.body import Body, PartInfo
from channels.mail.headers import header, token

BOUNCE_SENDERS = ("mailer-daemon", "postmaster")  # local parts that only ever send bounces
MSGID = re.compile(r"<[^<>\s]+>")
QUOTED_IDS = re.compile(r"(?im)^[ \t>]*(Message-ID|In-Reply-To|References):(.*)$")
QMAIL_RECIPIENT = re.compile(r"(?m)^<([^<>\s]+@[^<>\s]+)>:[ \t]*\n(.+)$")  # qmail's "<address>:\nwhy"
QUOTED_SUBJECT = re.compile(r"(?im)^[ \t>]*Subject:[ \t]*(.+)$")


@dataclass(frozen=True)
class Bounce:
    failed: bool  # False for "delayed" (and other) notices: delivery may still happen
    detail: str  # "budi@contoh.id: 5.1.1 smtp; 550 user unknown"
    original_ids: tuple[str, ...]  # Message-IDs of the mail that came back, then of the thread it answered
    original_subject: str = ""
    returned_ids: tuple[str, ...] = ()  # only the Message-IDs of the mail that came back: what failed


def read_bounce(msg: Message, top: PartInfo, body: Body, from_address: str) -> Bounce | None:
    """The bounce report in ``msg``, or None when it is no bounce."""
    report_type = top.params.get("report-type", "").lower() if top.ctype == "multipart/report" else ""
    failed_header = token(msg, "X-Failed-Recipients")
    local = from_address.split("@")[0]
    if report_type != "delivery-status" and not body.status_parts and not failed_header \
            and local not in BOUNCE_SENDERS:
        return None
    recipients = _recipients(body.status_parts)
    failed = [r for r in recipients if r[1] == "failed"]
    if recipients:
        is_failure = bool(failed)
        detail = "; ".join(_describe(r) for r in (failed or recipients))
    else:  # an older bounce without a delivery-status part: a plain text from the MTA
        is_failure = True
        quoted = QMAIL_RECIPIENT.findall(body.text)
        detail = ("; ".join(f"{a}: {why.strip()}" for a, why in quoted) or failed_header
                  or " ".join(header(msg, "Subject").split()))
    ids, own, subject = [], [], ""
    for original in body.returned:  # its own id first, then the thread it answered
        own += MSGID.findall(token(original, "Message-ID"))
        ids += MSGID.findall(token(original, "In-Reply-To")) + MSGID.findall(token(original, "References"))[::-1]
        subject = subject or " ".join(header(original, "Subject").split())
    if not own and not ids:  # the original quoted in the text
        for name, line in QUOTED_IDS.findall(body.text):
            (own if name.lower() == "message-id" else ids).extend(MSGID.findall(line))
        quoted = QUOTED_SUBJECT.search(body.text)
        subject = subject or (quoted.group(1).strip() if quoted else "")
    return Bounce(failed=is_failure, detail=detail[:1000], original_ids=tuple(dict.fromkeys(own + ids)),
                  original_subject=subject, returned_ids=tuple(dict.fromkeys(own)))


def _recipients(status_parts: list[Message]) -> list[tuple[str, str, str, str]]:
    """(recipient, action, status, diagnostic) of each per-recipient block of the report."""
    out = []
    for part in status_parts:
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            recipient = token(block, "Final-Recipient") or token(block, "Original-Recipient")
            action = token(block, "Action").lower()
            if not recipient or not action:
                continue
            out.append((recipient.split(";", 1)[-1].strip(), action, token(block, "Status"),
                        token(block, "Diagnostic-Code")))
    return out


def _describe(recipient: tuple[str, str, str, str]) -> str:
    address, action, status, diagnostic = recipient
    why = " ".join(p for p in (status, diagnostic) if p) or action
    return f"{address}: {why}"
