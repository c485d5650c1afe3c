"""Our own Message-IDs: unique, carrying the ticket number, and recognisable when they come back."""
from __future__ import annotations

import hashlib
import secrets
import time

MARK = ".helpdesk@"  # the local part of every Message-ID we make ends in ".helpdesk"
# The headers the sender wrote. Every receiving server adds its own trace (Received, Delivered-To,
# Return-Path, X-Original-To, spam scores …), so the copies in two mailboxes differ only in those.
AUTHOR_HEADERS = frozenset((b"from", b"sender", b"reply-to", b"to", b"cc", b"subject", b"date", b"message-id",
                            b"in-reply-to", b"references", b"mime-version", b"content-type",
                            b"content-transfer-encoding"))


def make_message_id(domain: str, ticket_number: str | None = None) -> str:
    """'<1772421000.3f9a….ADU-2026-000123.helpdesk@kantor.go.id>'."""
    tag = f".{ticket_number}" if ticket_number else ""
    return f"<{int(time.time())}.{secrets.token_hex(8)}{tag}{MARK}{domain}>"


def is_own_message_id(value: str, domain: str | None) -> bool:
    """True for a Message-ID this helpdesk made (a staff member's own mail on the same domain is not)."""
    return bool(domain) and value.lower().endswith(f"{MARK}{domain.lower()}>")


def content_digest(raw: bytes) -> str:
    """sha256 of what the sender wrote (its own headers and the body), the same for every copy of a mail.

    One mail sent To: pengaduan@ and Cc: info@ reaches both mailboxes with different trace headers
    (and maybe other line ends); it is still one mail, and must give one report.
    """
    head, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    fields: list[bytes] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b" " + line
        elif b":" in line:
            fields.append(line)
    digest = hashlib.sha256()
    for field in fields:
        name, _, value = field.partition(b":")
        name = name.strip().lower()
        if name in AUTHOR_HEADERS:
            digest.update(name + b": " + b" ".join(value.split()) + b"\n")
    digest.update(b"\n" + body.rstrip())
    return digest.hexdigest()
