"""A small, coherent office to try the helpdesk out (``flask --app wsgi demo``).

The office (units, staff, the seed services) and a few months of its past: reports from every
channel whose texts and true classification come from the classifier's labeled training set,
handled by the officers through the product's own operations, swept by the SLA job each working
morning, answered, rated in the survey, and the served applicants entered each month. Seeded
and reproducible for a given ``now``; it refuses an office that already has tickets.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from helpdesk.catalog.seed import seed_reference_data
from helpdesk.demo.cases import Examples
from helpdesk.demo.cast import cast
from helpdesk.demo.office import DEMO_PASSWORD, USERS, DemoRefused, Office, refuse_unless_empty
from helpdesk.demo.timeline import Timeline, delivered_nowhere, monthly, working_mornings
from helpdesk.demo.world import World
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.survey.operations import invitation_of, state
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import clock_at, utcnow

__all__ = ["DemoRefused", "seed_demo"]
SPAN_DAYS = 150  # how far back the office's history goes


def seed_demo(routine: int = 24, *, seed: int = 7, now: datetime | None = None) -> dict:
    """Fill an empty office with the demo; ``routine`` ordinary complaints besides the special cases."""
    now = now or utcnow()
    refuse_unless_empty()
    seed_reference_data()
    cal = office_calendar()
    start = datetime.combine(cal.local(now).date() - timedelta(days=SPAN_DAYS), datetime.min.time(), cal.tz)
    with clock_at(start - timedelta(days=30)):  # the office existed before its first report
        office = Office()
        db.session.commit()
    rng = random.Random(seed)
    mailbox = next(iter(current_app.config.get("MAIL_OWN_ADDRESSES") or ()), "pengaduan@demo.go.id")
    w = World(office, cal, rng, now, mailbox, seed)
    timeline = Timeline(now)
    for story in cast(w, Examples(rng), routine, start):
        timeline.add(story)
    timeline.add(working_mornings(cal, start.date()))
    timeline.add(monthly(cal, start.date(), lambda month: office.record_served(month, rng)))
    with delivered_nowhere(w.undeliverable):
        timeline.run()
    with clock_at(now):  # this month so far, so the running quarter's report has its population
        today = cal.local(now).date()
        office.record_served(today.replace(day=1), rng, share=today.day / 30)
        db.session.commit()
    return summary(w)


def summary(w: World) -> dict:
    """What the command prints: the tickets by status, the accounts, a citizen's status link."""
    statuses = dict(db.session.execute(select(Ticket.status, func.count()).group_by(Ticket.status)).all())
    example = citizen_example(w)
    return {"tickets_created": sum(statuses.values()), "statuses": dict(sorted(statuses.items())),
            "users": [email for email, *_ in USERS], "password": DEMO_PASSWORD,
            "status_page": f"/status/{example.number}?t={w.tokens[example.number]}" if example else None}


def citizen_example(w: World) -> Ticket | None:
    """A web reporter's ticket to look at as the citizen: answered with the survey still open, if any."""
    tickets = db.session.scalars(select(Ticket).where(Ticket.number.in_(list(w.tokens))).order_by(Ticket.id))

    def rank(t: Ticket) -> int:
        invitation = invitation_of(t)
        open_survey = invitation is not None and state(invitation, w.now) == "open"
        return 0 if open_survey and t.status == "answered" else 1 if open_survey else 2
    return min(tickets, key=rank, default=None)
