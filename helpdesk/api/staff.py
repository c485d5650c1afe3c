"""Staff side of the API (bearer token): list tickets page by page, read one ticket."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.base import CHANNELS
from helpdesk.api import bp, present
from helpdesk.api.complaints import find_ticket, invalid
from helpdesk.api.validation import storable
from helpdesk.auth import STAFF, roles_required
from helpdesk.catalog.models import Service
from helpdesk.extensions import db
from helpdesk.inputs import whole_number
from helpdesk.rules.admissibility import Kind
from helpdesk.rules.lifecycle import Status
from helpdesk.tickets.models import Message, Reporter, Ticket

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_ID = 2**31 - 1  # ids are 32-bit integers; PostgreSQL refuses larger literals
# Query parameter -> the values it may take (a number: free text up to that many characters).
FILTERS = {"status": [s.value for s in Status], "kind": [k.value for k in Kind], "channel": list(CHANNELS),
           "service": 80, "component": 40}


def _parse_query(args) -> tuple[dict, list[dict]]:
    """Parse filters, ``limit`` and the ``after`` cursor; collect every problem."""
    values = {}
    errors = [{"field": name, "message": "parameter tidak dikenal (unknown parameter)"}
              for name in sorted(set(args) - set(FILTERS) - {"limit", "after"})]
    for name, allowed in FILTERS.items():
        value = args.get(name)
        if value is None:
            continue
        if isinstance(allowed, list) and value not in allowed:
            errors.append({"field": name, "message": "bukan nilai yang diizinkan (not one of the allowed values)"})
        elif isinstance(allowed, int) and len(value) > allowed:
            errors.append({"field": name, "message": f"paling banyak {allowed} karakter (at most {allowed} characters)"})
        elif storable(value):
            values[name] = value
        else:  # nothing stored holds such characters: no ticket can match
            values["nothing"] = True
    limit = whole_number(args.get("limit", str(DEFAULT_LIMIT)))
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        errors.append({"field": "limit", "message": f"bilangan bulat 1–{MAX_LIMIT} (a whole number 1–{MAX_LIMIT})"})
    else:
        values["limit"] = limit
    if "after" in args:
        after = whole_number(args["after"])
        if after is None:
            errors.append({"field": "after", "message": "kursor tidak sah (invalid cursor)"})
        else:
            values["after"] = min(after, MAX_ID)  # "ids below it": any larger cursor means all
    return values, errors


@bp.get("/tickets")
@roles_required(*STAFF)
def list_tickets():
    """Tickets newest first, filtered, ``limit`` at a time; ``next`` is the cursor for ``after``."""
    values, errors = _parse_query(request.args)
    if errors:
        return invalid(errors)
    query = select(Ticket).order_by(Ticket.id.desc()).limit(values["limit"] + 1).options(
        selectinload(Ticket.reporter).selectinload(Reporter.contacts),
        selectinload(Ticket.service), selectinload(Ticket.assignee))
    if "after" in values:
        query = query.where(Ticket.id < values["after"])
    for name in ("status", "kind", "channel", "component"):
        if name in values:
            query = query.where(getattr(Ticket, name) == values[name])
    if "service" in values:
        query = query.join(Service, Service.id == Ticket.service_id).where(Service.slug == values["service"])
    rows = [] if values.get("nothing") else db.session.scalars(query).all()
    page = rows[:values["limit"]]
    more = len(rows) > values["limit"]
    return jsonify(items=[present.staff_summary(t, current_user) for t in page],
                   next=str(page[-1].id) if more and page else None)


@bp.get("/tickets/<number>")
@roles_required(*STAFF)
def ticket_detail(number: str):
    """One ticket in full for staff; the reporter masked where the role may not see it."""
    ticket = find_ticket(number, selectinload(Ticket.messages).selectinload(Message.attachments),
                         selectinload(Ticket.events))
    if ticket is None:
        abort(404)
    return jsonify(present.staff_detail(ticket, current_user))
