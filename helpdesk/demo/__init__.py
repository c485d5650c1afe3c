"""A small, coherent office to try the helpdesk out (``flask --app wsgi demo``).

The office (units, staff, the seed services) and a few months of its past: reports from every
channel whose texts and true classification come from the classifier's labeled training set,
handled by the officers through the product's own operations, swept by the SLA job each working
morning, answered, rated in the survey, and the served applicants entered each month. Seeded
and reproducible for a given ``now``; it refuses an office that already has tickets.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from helpdesk.catalog.seed import seed_reference_data
from helpdesk.demo import people, stories, texts
from helpdesk.demo.office import DEMO_PASSWORD, GREEN, KBLI, USERS, DemoRefused, Office, refuse_unless_empty
from helpdesk.demo.stories import Plan
from helpdesk.demo.timeline import Timeline, delivered_nowhere, monthly, working_mornings
from helpdesk.demo.world import Case, Examples, World
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.survey.operations import invitation_of, state
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import clock_at, utcnow

__all__ = ["DemoRefused", "seed_demo"]
SPAN_DAYS = 150  # how far back the office's history goes
ROTATION = ("email", "whatsapp", "web", "telegram", "phone", "letter", "whatsapp", "walk_in", "email", "box",
            "web", "telegram")
ONLINE = ("email", "whatsapp", "web", "telegram", "api")


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


def cast(w: World, examples: Examples, routine: int, start: datetime):
    """The stories of the demo: the special cases an office meets, then ordinary complaints."""
    rng, numbers = w.rng, itertools.count()

    def case(channel: str, at: datetime, *, anonymous: bool = False, served_days: int | None = None,
             confidential: bool = False, **wanted) -> Case:
        e = examples.take(channel, **wanted)
        served = None
        if channel != "email" and (served_days is not None or rng.random() < 0.8):
            served = at.date() - timedelta(days=served_days if served_days is not None else rng.randint(1, 20))
        return Case(channel, e, people.person(rng, channel, next(numbers), anonymous=anonymous), at, served,
                    confidential=confidential, expected=texts.expected(e.component), key=w.key())

    def plan(**kw) -> Plan:
        return Plan(**kw)

    # Still with the office today: new, verified, due soon, overdue, paused, reopened, held, APIP.
    yield stories.routine(w, case("web", w.now - timedelta(minutes=70)), plan(answer=None, verify=30))
    yield stories.routine(w, case("whatsapp", w.now - timedelta(hours=3, minutes=20)), plan(answer=None, verify=30))
    yield stories.routine(w, case("phone", w.back(2, 14, 10)), plan(verify=1, analyse=3, answer=None))
    yield stories.routine(w, case("letter", w.back(22, 9, 15)), plan(answer=None))
    yield stories.routine(w, case("telegram", w.back(15, 10, 30)), plan(verify=2, analyse=2, answer=None))
    yield stories.routine(w, case("whatsapp", w.back(18, 14, 0), service=GREEN), plan(forward=2, answer=None))
    yield stories.routine(w, case("web", w.back(12, 11, 0)), plan(answer=None))
    yield stories.routine(w, case("email", w.back(13, 9, 45), service=KBLI), plan(forward=1, answer=None))
    yield stories.apip_pending(w, case("letter", w.back(6, 8, 50), component="biaya", service=KBLI, mentions="petugas"))
    yield stories.paused(w, case("whatsapp", w.back(5, 10, 5)), reply_after=None)
    yield stories.reopened(w, case("web", w.back(11, 13, 0), component="produk"))
    yield stories.held(w, case("email", w.back(7, 9, 0), service=GREEN), plan(answer=None), written=3)
    yield stories.quarantined(w, w.back(4, 12, 5))
    yield stories.routine(w, case("box", w.back(8, 9, 0), anonymous=True), plan(close=None))
    yield stories.routine(w, case("web", w.back(9, 8, 30)), plan(answer=7, close=None, survey=False))
    # Handled earlier: answered, rated, closed; a referral, a pause, a duplicate, a bounce.
    yield stories.apip_approved(w, case("email", w.back(48, 10, 0), component="biaya", mentions="petugas"))
    yield stories.paused(w, case("whatsapp", w.back(30, 15, 10)), reply_after=3)
    first = case("whatsapp", w.back(20, 19, 40))
    twin = Case("email", first.example, people.Person(first.who.name, email="pelapor.ganda@example.com"),
                w.back(19, 8, 5), key=w.key())
    yield stories.duplicate(w, first, twin)
    yield stories.rejected(w, case("telegram", w.back(16, 16, 45), component="lainnya", other=True))
    yield stories.routine(w, case("web", w.back(25, 10, 0), served_days=45), plan())
    yield stories.routine(w, case("web", w.back(35, 20, 15), component="kompetensi_pelaksana", confidential=True),
                          plan(answer=7, close="reporter"))
    yield stories.escalated_by_hand(w, case("walk_in", w.back(26, 10, 40)))
    yield stories.bounced(w, case("email", w.back(40, 14, 0)))
    yield stories.routine(w, case("api", w.back(28, 11, 20), service=GREEN), plan(answer=10))
    for i in range(routine):
        channel = ROTATION[i % len(ROTATION)]
        c = case(channel, received_at(w, channel, start))
        if channel == "box" and rng.random() < 0.5:
            c.who = people.Person(None)  # an unsigned note: a suggestion
        yield stories.routine(w, c, stories.random_plan(w, c))


def received_at(w: World, channel: str, start: datetime) -> datetime:
    """When an ordinary report arrived: online any day and hour, on paper and in person in office hours."""
    rng, cal = w.rng, w.cal
    span = (w.today() - start.date()).days
    day = start.date() + timedelta(days=rng.randint(0, span - 4))
    if channel in ONLINE and rng.random() < 0.35:
        hour = rng.choice((6, 17, 18, 19, 20, 21, 22))
    else:
        day = day if cal.is_working_day(day) else cal.next_working_day(day)
        hour = rng.randint(8, 14)
    return datetime.combine(day, datetime.min.time(), cal.tz).replace(hour=hour, minute=rng.randrange(0, 60, 5))


def summary(w: World) -> dict:
    statuses = Counter(dict(db.session.execute(select(Ticket.status, func.count()).group_by(Ticket.status)).all()))
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
