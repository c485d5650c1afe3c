"""Tickets as JSON: the citizen's public view and the staff view, with identities masked.

Who sees a confidential reporter's identity is decided in helpdesk.tickets.identity, the same
rule as on the officer pages.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from helpdesk.rules.admissibility import KIND_LABELS, Kind
from helpdesk.rules.lifecycle import LABELS, Status
from helpdesk.tickets.identity import Redactor, can_see_identity
from helpdesk.tickets.models import Message, Ticket

MASK = "[dirahasiakan]"


def local(when: datetime | None) -> str | None:
    """ISO 8601 in the office's zone (UTC is kept in the database)."""
    return when.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).isoformat() if when else None


def may_see_identity(ticket: Ticket, user) -> bool:
    """True unless the ticket is confidential and ``user`` neither handles nor supervises it."""
    return can_see_identity(user, ticket)


def _status(ticket: Ticket) -> dict:
    label_id, label_en = LABELS[Status(ticket.status)]
    kind_id, kind_en = KIND_LABELS[Kind(ticket.kind)]
    return {"number": ticket.number, "kind": ticket.kind, "kind_label": kind_id, "kind_label_en": kind_en,
            "kind_reason": ticket.kind_reason, "status": ticket.status, "status_label": label_id,
            "status_label_en": label_en, "received_at": local(ticket.received_at), "due_at": local(ticket.due_at)}


def created(ticket: Ticket, token: str | None) -> dict:
    """The answer to filing: number, kind and why, status, due date, where to follow it."""
    body = _status(ticket)
    body["status_url"] = url_for("api.ticket_status", number=ticket.number, _external=True)
    if token:
        body["tracking_token"] = token
    return body


def _attachments(message: Message) -> list[dict]:
    return [{"filename": a.filename, "content_type": a.content_type, "size": a.size, "stored": a.stored}
            for a in message.attachments]


def public_status(ticket: Ticket) -> dict:
    """What the reporter may read with the tracking token: public history and messages."""
    body = _status(ticket)
    body["events"] = [{"at": local(e.at), "action": e.action, "before": e.before, "after": e.after,
                       "note": e.note} for e in ticket.events if e.public]
    body["messages"] = [{"at": local(m.received_at), "direction": m.direction, "subject": m.subject,
                         "text": m.text, "attachments": _attachments(m)}
                        for m in ticket.messages if m.public and not m.held and m.direction != "note"]
    return body


def _reporter(ticket: Ticket, masked: bool) -> dict | None:
    if ticket.reporter is None:
        return None
    if masked:
        return {"masked": True, "name": MASK, "contacts": []}
    return {"masked": False, "name": ticket.reporter.name,
            "contacts": [{"kind": c.kind, "value": c.value} for c in ticket.reporter.contacts]}


def staff_summary(ticket: Ticket, user) -> dict:
    """One row of the staff ticket list."""
    masked = not may_see_identity(ticket, user)
    redact = Redactor(ticket, masked, MASK)
    body = _status(ticket)
    body.update({
        "channel": ticket.channel, "subject": redact(ticket.subject), "confidential": ticket.confidential,
        "service": ticket.service.slug if ticket.service else None, "component": ticket.component,
        "tier": ticket.tier, "assignee": ticket.assignee.email if ticket.assignee else None,
        "reporter": _reporter(ticket, masked),
    })
    return body


def staff_detail(ticket: Ticket, user) -> dict:
    """The full staff view: analysis, routing, every message and event (raw bytes never)."""
    masked = not may_see_identity(ticket, user)
    redact = Redactor(ticket, masked, MASK)
    body = staff_summary(ticket, user)
    body.update({
        "service_received_on": ticket.service_received_on.isoformat() if ticket.service_received_on else None,
        "expected_outcome": redact(ticket.expected_outcome), "escalation_level": ticket.escalation_level,
        "unit": ticket.unit.name if ticket.unit else None, "forwarded_to": ticket.forwarded_to,
        "core_problem": redact(ticket.core_problem), "regulation_ref": ticket.regulation_ref,
        "handling_plan": redact(ticket.handling_plan), "actions_taken": redact(ticket.actions_taken),
        "paused": ticket.paused_since is not None, "answered_at": local(ticket.answered_at),
        "closed_at": local(ticket.closed_at),
        "messages": [{"id": m.id, "at": local(m.received_at), "direction": m.direction, "channel": m.channel,
                      "sender": MASK if masked and m.direction == "inbound" and m.sender else m.sender,
                      "subject": redact(m.subject), "text": redact(m.text), "held": m.held, "public": m.public,
                      "attachments": _attachments(m)} for m in ticket.messages],
        "events": [{"at": local(e.at), "actor": e.actor, "action": e.action, "before": redact(e.before),
                    "after": redact(e.after), "note": redact(e.note), "public": e.public}
                   for e in ticket.events],
    })
    return body
