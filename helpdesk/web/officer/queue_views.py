"""The queue page."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from channels.base import CHANNELS
from helpdesk.auth import STAFF, roles_required
from helpdesk.catalog.models import Component, Service, Unit
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.rules.lifecycle import Status
from helpdesk.rules.routing import Tier
from helpdesk.timeutil import utcnow
from helpdesk.users.models import User
from helpdesk.web.officer import bp
from helpdesk.web.officer.access import redactor, reporter_label
from helpdesk.web.officer.queue import FILTERS, QueueQuery, build, cursor_of, parse_cursor, soon_cutoff, badges
from helpdesk.web.setup import status_label, value_label


def choices() -> dict:
    """Values for the filter and classification drop-downs."""
    # Plain rows of the tables, not entities nor ORM columns: the drop-downs need a few columns, every
    # page renders them, and a Core select skips the ORM's per-statement work.
    service, component, unit, user = (m.__table__.c for m in (Service, Component, Unit, User))
    conn = db.session.connection()
    return {
        "status": [s.value for s in Status], "kind": ["complaint", "suggestion"], "channel": list(CHANNELS),
        "tier": [t.value for t in Tier],
        "services": conn.execute(select(service.id, service.name).order_by(service.name)).all(),
        "components": conn.execute(select(component.slug, component.name_id, component.name_en)
                                   .order_by(component.position)).all(),
        "units": conn.execute(select(unit.id, unit.name).order_by(unit.name)).all(),
        "users": conn.execute(select(user.id, user.email).where(user.active.is_(True)).order_by(user.email)).all(),
    }


def _labels(options: dict):
    """word(vocabulary, value) in the visitor's language, each label worked out once per request.

    A page shows some 150 labels (rows and drop-downs): a lookup each is cheaper than a filter call each.
    """
    words = {name: {v: status_label(v) if name == "status" else value_label(v, name) for v in options[name]}
             for name in ("status", "kind", "channel", "tier")}

    def word(name: str, value: str) -> str:
        found = words[name].get(value)
        return found if found is not None else status_label(value) if name == "status" else value_label(value, name)
    return word


@bp.get("/")
@roles_required(*STAFF)
def queue():
    args = request.args
    sort = args.get("sort") if args.get("sort") in ("received", "due") else "received"
    query = QueueQuery(filters={k: args.get(k, "") for k in FILTERS}, q=args.get("q", ""), sort=sort,
                       after=parse_cursor(args.get("after")), limit=current_app.config["QUEUE_PAGE_SIZE"])
    now, cal = utcnow(), office_calendar()
    stmt = build(query, now=now, soon=soon_cutoff(cal, now), user_id=current_user.id,
                 dialect=db.engine.dialect.name)
    rows = db.session.scalars(stmt).all()
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    left = badges(cal, rows, now)
    # Numbers are URL-safe (ADU-2026-000123): one url_for for the page, not one per row.
    ticket_url = url_for("officer.ticket", number="-")[:-1]
    options = choices()
    word = _labels(options)
    items = [(t, left[t.id], reporter_label(current_user, t), ticket_url + t.number, word("status", t.status),
              word("kind", t.kind), word("channel", t.channel), redactor(current_user, t)(t.subject))
             for t in rows]
    filters = [(name, label, [(v, word(name, v)) for v in options[name]])
               for name, label in (("status", _("Status")), ("kind", _("Jenis")), ("channel", _("Kanal")),
                                   ("tier", _("Tingkat")))]
    next_args = {k: v for k, v in args.items() if k != "after" and v}
    if more:
        next_args["after"] = cursor_of(rows[-1], sort)
    return render_template("officer/queue.html", items=items, query=query, more=more, next_args=next_args,
                           choices=options, filters=filters)
