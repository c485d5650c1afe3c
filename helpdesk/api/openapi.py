"""The OpenAPI 3.1 document of /api/v1, built from the same schemas the views validate with."""
from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import select

from channels.base import CHANNELS
from helpdesk.api import bp
from helpdesk.api.staff import DEFAULT_LIMIT, MAX_LIMIT
from helpdesk.api.validation import IDEMPOTENCY_KEY_MAX, complaint_schema
from helpdesk.auth import public_route
from helpdesk.catalog.models import Service
from helpdesk.extensions import db
from helpdesk.rules.admissibility import Kind
from helpdesk.rules.lifecycle import Status

_STR, _NSTR = {"type": "string"}, {"type": ["string", "null"]}
_TIME = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


def _obj(required: list[str], **props) -> dict:
    return {"type": "object", "required": required, "properties": props}


_ATTACHMENT = _obj(["filename", "content_type", "size", "stored"], filename=_STR, content_type=_STR,
                   size={"type": "integer"}, stored={"type": "boolean"})
_STATUS = _obj(["number", "kind", "kind_reason", "status", "status_label", "received_at", "due_at"],
               number=_STR, kind={"enum": [k.value for k in Kind]}, kind_label=_STR, kind_label_en=_STR,
               kind_reason=_STR, status={"enum": [s.value for s in Status]}, status_label=_STR,
               status_label_en=_STR, received_at=_TIME,
               due_at={**_TIME, "description": "answer deadline in the office's zone; null for suggestions"})


def _schemas(service_slugs: list[str]) -> dict:
    reporter = {"type": ["object", "null"], "required": ["masked", "name", "contacts"], "properties": {
        "masked": {"type": "boolean"}, "name": _NSTR,
        "contacts": {"type": "array", "items": _obj(["kind", "value"], kind=_STR, value=_STR)}}}
    summary = {"allOf": [_ref("TicketStatus"), _obj(
        ["channel", "subject", "confidential", "reporter"], channel=_STR, subject=_STR,
        confidential={"type": "boolean"}, service=_NSTR, component=_NSTR, tier=_NSTR, assignee=_NSTR,
        reporter=reporter)]}
    message = _obj(["at", "direction", "text", "attachments"], id={"type": "integer"}, at=_TIME,
                   direction=_STR, channel=_STR, sender=_NSTR, subject=_STR, text=_STR,
                   held={"type": "boolean"}, public={"type": "boolean"},
                   attachments={"type": "array", "items": _ATTACHMENT})
    event = _obj(["at", "action"], at=_TIME, actor=_STR, action=_STR, before=_NSTR, after=_NSTR, note=_STR,
                 public={"type": "boolean"})
    return {
        "ComplaintRequest": complaint_schema(service_slugs),
        "TicketStatus": _STATUS,
        "Filed": {"allOf": [_ref("TicketStatus"), _obj(
            ["status_url"], status_url={"type": "string", "format": "uri"},
            tracking_token={"type": "string", "description": "secret for the status; only in the 201 answer"})]},
        "PublicStatus": {"allOf": [_ref("TicketStatus"), _obj(
            ["events", "messages"], events={"type": "array", "items": event},
            messages={"type": "array", "items": message})]},
        "TicketSummary": summary,
        "TicketPage": _obj(["items", "next"], items={"type": "array", "items": _ref("TicketSummary")},
                           next={"type": ["string", "null"], "description": "pass as `after` for the next page"}),
        "TicketDetail": {"allOf": [summary, _obj(
            ["messages", "events"], messages={"type": "array", "items": message},
            events={"type": "array", "items": event})]},
        "Error": _obj(["error", "message"], error=_STR, message=_STR, fields={
            "type": "array", "items": _obj(["field", "message"], field=_STR, message=_STR)}),
    }


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


_NUMBER = {"name": "number", "in": "path", "required": True,
           "schema": {"type": "string", "maxLength": 40, "pattern": "^[A-Za-z0-9-]+$"},
           "description": "public ticket number, e.g. ADU-2026-000123"}
_STAFF_REFUSALS = {"401": _error("no valid bearer token"), "403": _error("the token's role may not read this")}
_COMMON = {"429": _error("rate limit reached; retry later")}


def document(service_slugs: list[str]) -> dict:
    """The whole OpenAPI document; ``service_slugs`` are the services a complaint may name."""
    filters = [
        _query("status", {"enum": [s.value for s in Status]}), _query("kind", {"enum": [k.value for k in Kind]}),
        _query("channel", {"enum": list(CHANNELS)}), _query("service", {"type": "string", "maxLength": 80}),
        _query("component", {"type": "string", "maxLength": 40}),
        _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
        _query("after", {"type": "string", "pattern": "^[0-9]{1,18}$"}, "the `next` cursor of the previous page"),
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{current_app.config['OFFICE_NAME']} — Pengaduan API", "version": "1.0.0",
                 "description": "File complaints, follow them with the tracking token, and (staff) read tickets."},
        "paths": {
            "/api/v1/complaints": {"post": {
                "operationId": "fileComplaint", "summary": "File a complaint (channel `api`)",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": True,
                                "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX,
                                           "pattern": r"\S"},
                                "description": "the client's own key; the same key again returns the same ticket"}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ComplaintRequest")}}},
                "responses": {"201": _json(_ref("Filed"), "filed; keep the tracking token"),
                              "200": _json(_ref("Filed"), "this key was filed before: the same ticket, no token"),
                              "400": _error("the body is not JSON"),
                              "409": _error("the key was used before with a different body"),
                              "413": _error("the body or an attachment is too large"),
                              "422": _error("invalid fields, listed in `fields`"), **_COMMON}}},
            "/api/v1/tickets/{number}/status": {"get": {
                "operationId": "ticketStatus", "summary": "A ticket's public status and history",
                "parameters": [_NUMBER,
                               {"name": "X-Tracking-Token", "in": "header", "required": False,
                                "schema": {"type": "string", "maxLength": 100}},
                               _query("token", {"type": "string", "maxLength": 100}, "alternative to the header")],
                "responses": {"200": _json(_ref("PublicStatus"), "the public status"),
                              "404": _error("no such ticket, or the token does not match"), **_COMMON}}},
            "/api/v1/tickets": {"get": {
                "operationId": "listTickets", "summary": "Staff: tickets, newest first, keyset-paginated",
                "security": [{"bearer": []}], "parameters": filters,
                "responses": {"200": _json(_ref("TicketPage"), "one page"),
                              "422": _error("invalid filter, limit or cursor"), **_STAFF_REFUSALS, **_COMMON}}},
            "/api/v1/tickets/{number}": {"get": {
                "operationId": "getTicket", "summary": "Staff: one ticket with messages and history",
                "security": [{"bearer": []}], "parameters": [_NUMBER],
                "responses": {"200": _json(_ref("TicketDetail"), "the ticket"),
                              "404": _error("no such ticket"), **_STAFF_REFUSALS, **_COMMON}}},
            "/api/v1/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_COMMON}}},
        },
        "components": {
            "schemas": _schemas(service_slugs),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "staff token from `flask create-api-token`"}},
        },
    }


@bp.get("/openapi.json")
@public_route
def openapi_json():
    """Serve the document; the service list is read live from the catalogue."""
    slugs = db.session.scalars(select(Service.slug).filter_by(active=True).order_by(Service.slug)).all()
    return jsonify(document(list(slugs)))
