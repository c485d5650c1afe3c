"""The queue page."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
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
from helpdesk.web.officer.access import reporter_label
from helpdesk.web.officer.queue import FILTERS, QueueQuery, build, cursor_of, parse_cursor, soon_cutoff, badges


def choices() -> dict:
    """Values for the filter and classification drop-downs."""
    return {
        "status": [s.value for s in Status], "kind": ["complaint", "suggestion"], "channel": list(CHANNELS),
        "tier": [t.value for t in Tier],
        # Plain rows, not entities: the drop-downs need a few columns, and every page renders them.
        "services": db.session.execute(select(Service.id, Service.name).order_by(Service.name)).all(),
        "components": db.session.execute(select(Component.slug, Component.name_id, Component.name_en)
                                         .order_by(Component.position)).all(),
        "units": db.session.execute(select(Unit.id, Unit.name).order_by(Unit.name)).all(),
        "users": db.session.execute(select(User.id, User.email).where(User.active.is_(True))
                                    .order_by(User.email)).all(),
    }


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
    items = [(t, left[t.id], reporter_label(current_user, t), ticket_url + t.number) for t in rows]
    next_args = {k: v for k, v in args.items() if k != "after" and v}
    if more:
        next_args["after"] = cursor_of(rows[-1], sort)
    return render_template("officer/queue.html", items=items, query=query, more=more, next_args=next_args,
                           choices=choices())
