"""E-mail into the intake: the path ``ingest-eml``, the IMAP poller and the quarantine page share."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask import current_app

from channels.base import InboundMessage, ParseError
from channels.mail.parse import parse_email
from helpdesk.intake.service import IntakeResult, ingest, quarantine


def parse_raw_email(raw: bytes, *, received_at: datetime | None = None) -> InboundMessage:
    """Parse with this office's own addresses, so mail the helpdesk sent itself is recognised."""
    cfg = current_app.config
    return parse_email(raw, received_at=received_at, own_addresses=cfg["MAIL_OWN_ADDRESSES"],
                       own_domain=cfg["MAIL_DOMAIN"])


def ingest_raw_email(raw: bytes, *, received_at: datetime | None = None, source_key: str | None = None,
                     as_report: bool = False, brief: bool = False) -> dict:
    """Parse and take in one mail; what cannot be parsed is quarantined. Returns a summary.

    ``as_report`` takes automatic-looking mail in as a report all the same (an officer's call);
    it is still never acknowledged. ``brief`` gives only the outcome (no query after the commit).
    """
    try:
        inbound = parse_raw_email(raw, received_at=received_at)
    except ParseError as exc:
        item = quarantine("email", source_key, raw, str(exc), received_at=received_at)
        return {"outcome": "quarantine"} if brief else \
            {"outcome": "quarantine", "quarantine": item.id, "reason": item.reason}
    if as_report:
        inbound = replace(inbound, automated=False)
    result = ingest(inbound)
    return {"outcome": outcome(result)} if brief else summary(result)


def outcome(result: IntakeResult) -> str:
    """created | joined | held | duplicate | quarantine."""
    if result.quarantine is not None:
        return "quarantine"
    return ("duplicate" if result.duplicate else "created" if result.created
            else "held" if result.held else "joined")


def summary(result: IntakeResult) -> dict:
    """One line about what the intake did with a mail."""
    if result.quarantine is not None:
        return {"outcome": "quarantine", "quarantine": result.quarantine.id, "reason": result.quarantine.reason}
    t, m = result.ticket, result.message
    return {"outcome": outcome(result), "number": t.number, "kind": t.kind, "status": t.status,
            "reason": t.kind_reason, "created": result.created, "duplicate": result.duplicate, "message": m.id,
            "held": m.held}
