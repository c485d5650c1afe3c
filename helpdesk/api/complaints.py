"""Citizens' side of the API: file a complaint (idempotent on the client's key), read its status."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date

from flask import abort, current_app, jsonify, request
from jsonschema import Draft202012Validator
from sqlalchemy import select

from channels.base import InboundAttachment, InboundMessage, Sender
from helpdesk.api import bp, present
from helpdesk.api.validation import (BadJSON, clean, complaint_schema, decode_attachment,
                                     idempotency_key_errors, parse_json, schema_errors, storable)
from helpdesk.auth import public_route
from helpdesk.catalog.models import Service
from helpdesk.extensions import db, limiter
from helpdesk.intake.service import ingest
from helpdesk.office_calendar import office_calendar
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeutil import utcnow

_VALIDATOR = Draft202012Validator(complaint_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def invalid(errors: list[dict], status: int = 422):
    """The one shape of a refused request: what went wrong, field by field."""
    return jsonify(error="invalid_request" if status == 422 else "too_large",
                   message="Permintaan tidak valid (the request is invalid).", fields=errors), status


def _canonical(payload) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@bp.post("/complaints")
@limiter.limit(lambda: current_app.config["API_FILING_RATE_LIMIT"], override_defaults=False)
@public_route
def file_complaint():
    """File a complaint through the one intake path (channel ``api``)."""
    raw = request.get_data(cache=True)  # 413 beyond the body limit
    try:
        payload = parse_json(raw)
    except BadJSON as exc:
        return jsonify(error="malformed_json", message=f"Badan permintaan bukan JSON yang sah ({exc})."), 400
    key = request.headers.get("Idempotency-Key")
    errors = idempotency_key_errors(key) + schema_errors(_VALIDATOR, payload)
    if errors:
        return invalid(errors)

    replay = db.session.scalar(select(Message).filter_by(channel="api", external_id=key))
    if replay is not None:
        if replay.raw is not None and _canonical(parse_json(replay.raw)) != _canonical(payload):
            return jsonify(error="idempotency_key_reused",
                           message="Idempotency-Key ini sudah dipakai untuk pengaduan lain "
                                   "(this key was already used with a different body)."), 409
        return jsonify(present.created(replay.ticket, None)), 200

    msg, errors, too_large = _inbound(payload, key, raw)
    if errors:
        return invalid(errors, 413 if too_large else 422)
    result = ingest(msg)
    if not result.created:  # the same key won a race in another request: answer as a replay
        return jsonify(present.created(result.ticket, None)), 200
    return jsonify(present.created(result.ticket, result.tracking_token)), 201


def _inbound(payload: dict, key: str, raw: bytes) -> tuple[InboundMessage | None, list[dict], bool]:
    """Turn the checked body into an InboundMessage; (None, errors, too_large) when it cannot be."""
    errors, too_large = [], False
    now = utcnow()
    slug = payload.get("service")
    if slug is not None and (not storable(slug) or db.session.scalar(
            select(Service.id).filter_by(slug=slug, active=True)) is None):
        errors.append({"field": "service", "message": "layanan tidak dikenal (unknown service)"})
    received_on = date.fromisoformat(payload["service_received_on"]) if payload.get("service_received_on") else None
    if received_on and received_on > now.astimezone(office_calendar().tz).date():
        errors.append({"field": "service_received_on",
                       "message": "tidak boleh di masa depan (must not be in the future)"})
    attachments, limit = [], current_app.config["ATTACHMENT_MAX_BYTES"]
    for i, item in enumerate(payload.get("attachments") or []):
        data, why = decode_attachment(item)
        if data is not None and len(data) > limit:
            data, why, too_large = None, f"lebih dari {limit} bita (larger than {limit} bytes)", True
        if why:
            errors.append({"field": f"attachments[{i}].data", "message": why})
        else:
            attachments.append(InboundAttachment(clean(item["filename"]), item["content_type"], data))
    if errors:
        return None, errors, too_large
    person = payload.get("reporter") or {}
    msg = InboundMessage(
        channel="api", external_id=key, received_at=now, raw=raw,
        sender=Sender(name=clean(person.get("name")).strip() or None,
                      email=clean(person.get("email")).strip() or None,
                      phone=clean(person.get("phone")).strip() or None),
        subject=clean(payload.get("subject")), text=clean(payload["text"]),
        attachments=tuple(attachments), service_received_on=received_on, service_slug=slug,
        expected_outcome=clean(payload.get("expected_outcome")), confidential=bool(payload.get("confidential")))
    return msg, [], False


def find_ticket(number: str, *options) -> Ticket | None:
    """The ticket with this public number (any case), or None."""
    number = number.strip().upper()
    if not storable(number) or len(number) > 40:
        return None
    return db.session.scalar(select(Ticket).filter_by(number=number).options(*options))


@bp.get("/tickets/<number>/status")
@public_route
def ticket_status(number: str):
    """A ticket's public status for whoever holds its tracking token; 404 otherwise."""
    token = request.headers.get("X-Tracking-Token") or request.args.get("token") or ""
    ticket = find_ticket(number)
    given = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
    # Compare even when there is no ticket, so timing does not tell which numbers exist.
    expected = (ticket.tracking_token_hash if ticket is not None else None) or "0" * 64
    if not hmac.compare_digest(given, expected) or ticket is None or not token:
        abort(404)
    return jsonify(present.public_status(ticket))
