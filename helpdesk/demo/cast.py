"""Who the demo office meets: the special cases of today and of earlier months, then ordinary reports.

Ages are counted in working days before today (``World.back``), so today's office always has its
new, due-soon, overdue and escalated complaints whatever the date; ordinary reports fall anywhere
in the demo's months and their plans are drawn from the seeded random generator.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from helpdesk.demo import people, stories, texts
from helpdesk.demo.cases import Case, Examples
from helpdesk.demo.office import GREEN, KBLI
from helpdesk.demo.stories import Plan
from helpdesk.demo.world import World

ROTATION = ("email", "whatsapp", "web", "telegram", "phone", "letter", "whatsapp", "walk_in", "email", "box",
            "web", "telegram")
ONLINE = ("email", "whatsapp", "web", "telegram", "api")


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

    # Still with the office today: new, verified, due soon, overdue, paused, reopened, held, APIP.
    yield stories.routine(w, case("web", w.now - timedelta(minutes=70)), Plan(answer=None, verify=30))
    yield stories.routine(w, case("whatsapp", w.now - timedelta(hours=3, minutes=20)), Plan(answer=None, verify=30))
    yield stories.routine(w, case("phone", w.back(2, 14, 10)), Plan(verify=1, analyse=3, answer=None))
    yield stories.routine(w, case("letter", w.back(22, 9, 15)), Plan(answer=None))
    yield stories.routine(w, case("telegram", w.back(15, 10, 30)), Plan(verify=2, analyse=2, answer=None))
    yield stories.routine(w, case("whatsapp", w.back(18, 14, 0), service=GREEN), Plan(forward=2, answer=None))
    yield stories.routine(w, case("web", w.back(12, 11, 0)), Plan(answer=None))
    yield stories.routine(w, case("email", w.back(13, 9, 45), service=KBLI), Plan(forward=1, answer=None))
    yield stories.apip_pending(w, case("letter", w.back(6, 8, 50), component="biaya", service=KBLI,
                                       mentions="petugas"))
    yield stories.paused(w, case("whatsapp", w.back(5, 10, 5)), reply_after=None)
    yield stories.reopened(w, case("web", w.back(11, 13, 0), component="produk"))
    yield stories.held(w, case("email", w.back(7, 9, 0), service=GREEN), Plan(answer=None), written=3)
    yield stories.quarantined(w, w.back(4, 12, 5))
    yield stories.routine(w, case("box", w.back(8, 9, 0), anonymous=True), Plan(close=None))
    yield stories.routine(w, case("web", w.back(9, 8, 30)), Plan(answer=7, close=None, survey=False))
    # Handled earlier: answered, rated, closed; a referral, a pause, a duplicate, a bounce.
    yield stories.apip_approved(w, case("email", w.back(48, 10, 0), component="biaya", mentions="petugas"))
    yield stories.paused(w, case("whatsapp", w.back(30, 15, 10)), reply_after=3)
    first = case("whatsapp", w.back(20, 19, 40))
    twin = Case("email", first.example, people.Person(first.who.name, email="pelapor.ganda@example.com"),
                w.back(19, 8, 5), key=w.key())
    yield stories.duplicate(w, first, twin)
    yield stories.rejected(w, case("telegram", w.back(16, 16, 45), component="lainnya", other=True))
    yield stories.routine(w, case("web", w.back(25, 10, 0), served_days=45), Plan())
    yield stories.routine(w, case("web", w.back(35, 20, 15), component="kompetensi_pelaksana", confidential=True),
                          Plan(answer=7, close="reporter"))
    yield stories.escalated_by_hand(w, case("walk_in", w.back(26, 10, 40)))
    yield stories.bounced(w, case("email", w.back(40, 14, 0)))
    yield stories.routine(w, case("api", w.back(28, 11, 20), service=GREEN), Plan(answer=10))
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
