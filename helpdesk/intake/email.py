"""E-mail into the intake: the path ``ingest-eml`` and the IMAP poller share."""
from __future__ import annotations

from datetime import datetime

from channels.base import ParseError
from channels.mail.parse import parse_email
from helpdesk.intake.service import ingest, quarantine


def ingest_raw_email(raw: bytes, *, received_at: datetime | None = None, source_key: str | None = None) -> dict:
    """Parse and take in one mail; what cannot be parsed is quarantined. Returns a summary."""
    try:
        inbound = parse_email(raw, received_at=received_at)
    except ParseError as exc:
        item = quarantine("email", source_key, raw, str(exc))
        return {"quarantine": item.id, "reason": item.reason}
    result = ingest(inbound)
    if result.quarantine is not None:
        return {"quarantine": result.quarantine.id, "reason": result.quarantine.reason}
    t = result.ticket
    return {"number": t.number, "kind": t.kind, "status": t.status, "reason": t.kind_reason,
            "created": result.created, "duplicate": result.duplicate, "message": result.message.id,
            "held": result.message.held}
