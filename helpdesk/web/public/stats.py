"""The office's complaint channels, its complaint statistics and its latest IKM: no personal data."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app, render_template
from sqlalchemy import func, select

from helpdesk.auth import public_route
from helpdesk.catalog.models import Component
from helpdesk.channels_state import ChannelState
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.reports import periods as report_periods
from helpdesk.reports.queries import Scope, survey_index, ticket_rows
from helpdesk.reports.stats import fold
from helpdesk.survey.elements import ELEMENTS
from helpdesk.survey.models import SurveyResponse
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from helpdesk.web.public import bp

DIMENSIONS = ("channel", "kind", "status", "component")


def counts(since: datetime) -> dict[str, list[tuple[str, int]]]:
    """Ticket counts per dimension for tickets received since ``since`` (merged ones excluded)."""
    out = {}
    for name in DIMENSIONS:
        col = getattr(Ticket, name)
        rows = db.session.execute(select(col, func.count()).where(Ticket.received_at >= since,
                                                                  Ticket.status != "merged")
                                  .group_by(col).order_by(func.count().desc())).all()
        out[name] = [(value or "-", n) for value, n in rows]
    return out


@bp.get("/kanal-pengaduan")
@public_route
def channels():
    raw = current_app.config["COMPLAINT_CHANNELS"].replace("\\n", "\n")  # "\n" typed in an env variable
    lines = [line.split(":", 1) for line in raw.splitlines() if line.strip()]
    listed = [(parts[0].strip(), parts[1].strip() if len(parts) > 1 else "") for parts in lines]
    online = db.session.scalars(select(ChannelState).where(ChannelState.enabled.is_(True))
                                .order_by(ChannelState.name)).all()
    return render_template("public/channels.html", listed=listed, online=online)


def latest_quarter(cal, now: datetime) -> dict:
    """The handling figures of the current quarter, and the IKM of the latest quarter with answers."""
    current = report_periods.quarter_of(cal.local(now).date())
    limit = current_app.config["ANSWER_WORKING_DAYS"]
    summary, _ = fold(ticket_rows(Scope(*current.bounds(cal.tz)), cal, limit=limit, now=now), cal,
                      since=current.bounds(cal.tz)[0])
    last = db.session.scalar(select(func.max(SurveyResponse.submitted_at)))
    ikm_period = report_periods.quarter_of(cal.local(last).date()) if last else None
    result = survey_index(Scope(*ikm_period.bounds(cal.tz))) if ikm_period else None
    return {"period": current, "summary": summary, "limit": limit, "ikm_period": ikm_period, "ikm": result,
            "ikm_running": ikm_period == current}


@bp.get("/statistik")
@public_route
def statistics():
    now = utcnow()
    cal = office_calendar()
    local = cal.local(now)
    year_start = datetime(local.year, 1, 1, tzinfo=local.tzinfo).astimezone(timezone.utc)
    periods = [(str(local.year), counts(year_start)), ("12", counts(now - timedelta(days=365)))]
    names = {c.slug: c for c in db.session.scalars(select(Component))}
    return render_template("public/stats.html", periods=periods, components=names,
                           latest=latest_quarter(cal, now), elements=ELEMENTS)
