"""What happens to each demo ticket, as a story of timed steps (see ``timeline``).

``routine`` walks a complaint through verification, analysis, an optional forward to a
technical team, the answer, the survey and closing, on a ``Plan`` of working days; whatever
lies after now has not happened yet, so a recent ticket is simply still in progress. The
other stories are the cases an office meets now and then: an APIP referral, a paused clock,
a reopened answer, a duplicate, an out-of-scope report, a held message, a bounce.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from helpdesk.demo import texts
from helpdesk.demo.cases import Case
from helpdesk.demo.timeline import Story
from helpdesk.demo.world import World
from helpdesk.extensions import db
from helpdesk.rules.lifecycle import Status
from helpdesk.tickets import operations
from helpdesk.triage import operations as triage
from helpdesk.triage.models import ApipRequest


@dataclass(frozen=True)
class Plan:
    """When a routine complaint's steps happen, in working days."""

    verify: int = 1  # after the report
    analyse: int = 1  # after verification
    forward: int | None = None  # to a technical team, after the analysis
    answer: int | None = 8  # after the report; None: not within the demo's time
    close: str | None = "officer"  # officer | reporter | None (left answered)
    survey: bool = True


def random_plan(w: World, case: Case) -> Plan:
    rng = w.rng
    late = rng.random() < 0.15
    return Plan(verify=rng.choice((0, 1, 1, 2)), analyse=rng.choice((0, 1, 2)),
                forward=rng.choice((1, 2)) if case.example.service and rng.random() < 0.25 else None,
                answer=rng.randint(15, 20) if late else rng.randint(3, 13),
                close=rng.choices(("officer", "reporter", None), (6, 3, 1))[0], survey=rng.random() < 0.6)


def routine(w: World, case: Case, plan: Plan) -> Story:
    ticket = yield case.at, lambda: w.take_in(case)
    if ticket.kind == "suggestion":
        yield from suggestion(w, ticket, case, close=plan.close is not None)
        return
    yield from handle(w, ticket, case, plan)


def handle(w: World, ticket, case: Case, plan: Plan, officer=None, since=None) -> Story:
    """From verification to closing, on the plan (counted from the report, or from ``since``)."""
    officer = officer or w.officer_for(case)
    at = yield from triage_steps(w, ticket, case, plan, officer, since)
    if plan.answer is None:
        return
    at = max(w.after(case.at, plan.answer), w.within(at, 3))
    yield at, lambda: w.answer(ticket, officer, case)
    yield from aftermath(w, ticket, case, plan, at, on_time=plan.answer <= 14, officer=officer)


def triage_steps(w: World, ticket, case: Case, plan: Plan, officer, since=None) -> Story:
    """Verification, analysis and the forward to a technical team, if any; returns when the last was."""
    at = w.after(since or case.at, plan.verify)
    yield at, lambda: w.verify(ticket, officer, case)
    at = w.after(at, plan.analyse)
    yield at, lambda: w.analyse(ticket, officer, case)
    if plan.forward is not None:
        at = w.after(at, plan.forward)
        yield at, lambda: w.forward(ticket, officer, case)
    return at


def aftermath(w: World, ticket, case: Case, plan: Plan, answered, *, on_time: bool, officer) -> Story:
    """The survey answer and the closing, in whichever order they fall."""
    steps = []
    if plan.survey:
        steps.append((w.days_later(answered, w.rng.randint(1, 6)), lambda: w.rate(ticket, on_time)))
    if plan.close == "officer":
        steps.append((w.after(answered, w.rng.randint(3, 6)), lambda: w.close(ticket, officer)))
    elif plan.close == "reporter":
        steps.append((w.days_later(answered, w.rng.randint(1, 3)), lambda: w.reporter_closes(ticket)))
    for step in sorted(steps, key=lambda s: s[0]):
        yield step


def suggestion(w: World, ticket, case: Case, close: bool) -> Story:
    """A suggestion is recorded (and the reporter thanked when reachable), and maybe closed later."""
    officer = w.desk()
    at = w.after(case.at, 1)
    thanks = texts.SUGGESTION_THANKS if ticket.kind_code == "late" else None
    yield at, lambda: w.acknowledge(ticket, officer, thanks)
    if close:
        yield w.after(at, 5), lambda: w.close(ticket, officer)


def apip_pending(w: World, case: Case) -> Story:
    """A levy backed by evidence: the officer asks the head to refer it to the APIP; not yet decided."""
    ticket = yield case.at, lambda: w.take_in(case)
    officer = w.officer_for(case)
    at = yield from triage_steps(w, ticket, case, Plan(), officer)
    yield w.after(at, 1), lambda: request_apip(ticket, officer)


def apip_approved(w: World, case: Case) -> Story:
    """Referred with the head's approval; the Inspectorate's finding goes into the answer."""
    ticket = yield case.at, lambda: w.take_in(case)
    officer, head = w.officer_for(case), w.office.user("kepala@demo.go.id")
    at = yield from triage_steps(w, ticket, case, Plan(), officer)
    at = w.after(at, 1)
    yield at, lambda: request_apip(ticket, officer)
    at = w.after(at, 1)
    yield at, lambda: decide(ticket, head)
    at = w.after(case.at, 12)
    yield at, lambda: w.answer(ticket, officer, case, prefix=texts.APIP_RESULT)
    yield from aftermath(w, ticket, case, Plan(), at, on_time=True, officer=officer)


def request_apip(ticket, officer) -> None:
    triage.request_apip(ticket, user=officer, reason=texts.APIP_REASON, forwarded_to="Inspektorat Daerah")


def decide(ticket, head) -> None:
    req = db.session.scalar(select(ApipRequest).filter_by(ticket_id=ticket.id, approved=None))
    triage.decide_apip(req, user=head, approve=True, note=texts.APPROVAL_NOTE)
    operations.change_status(ticket, Status.IN_FOLLOW_UP, user=head, note="diteruskan ke Inspektorat Daerah")


def paused(w: World, case: Case, *, reply_after: int | None, answer_after: int = 3) -> Story:
    """The officer needs documents: asks, stops the clock; the reporter answers (or not yet)."""
    ticket = yield case.at, lambda: w.take_in(case)
    officer = w.officer_for(case)
    at = yield from triage_steps(w, ticket, case, Plan(analyse=0), officer)
    at = w.after(at, 1)
    yield at, lambda: w.ask_reporter(ticket, officer)
    if reply_after is None:
        return
    at = w.within(w.after(at, reply_after), 2)
    yield at, lambda: w.reporter_writes(ticket, case, texts.DOCUMENTS_SENT)
    at = w.within(at, 2)
    yield at, lambda: operations.resume(ticket, user=officer)
    at = w.after(at, answer_after)
    yield at, lambda: w.answer(ticket, officer, case)
    yield from aftermath(w, ticket, case, Plan(close="reporter"), at, on_time=True, officer=officer)


def reopened(w: World, case: Case) -> Story:
    """Answered, but the reporter writes that nothing changed and reopens it on the status page."""
    ticket = yield case.at, lambda: w.take_in(case)
    officer = w.officer_for(case)
    yield from handle(w, ticket, case, Plan(verify=0, analyse=1, answer=5, close=None, survey=False), officer)
    at = w.back(3, 9, 40)
    yield at, lambda: w.reporter_writes(ticket, case, texts.NOT_SOLVED)
    yield w.within(at, 1), lambda: w.reporter_reopens(ticket)


def duplicate(w: World, case: Case, again: Case) -> Story:
    """The same complaint arrives twice on two channels; the second is merged into the first."""
    ticket = yield case.at, lambda: w.take_in(case)
    twin = yield again.at, lambda: w.take_in(again)
    officer = w.officer_for(case)
    at = w.after(again.at, 1)
    yield at, lambda: triage.merge(twin, ticket, user=officer, note=texts.MERGED)
    yield from handle(w, ticket, case, Plan(verify=0, analyse=1, answer=9, close="officer"), officer, since=at)


def rejected(w: World, case: Case) -> Story:
    ticket = yield case.at, lambda: w.take_in(case)
    yield w.after(case.at, 1), lambda: w.reject(ticket, w.desk())


def held(w: World, case: Case, plan: Plan, written: int) -> Story:
    """A colleague of the reporter asks about the ticket by e-mail: held until an officer decides.

    The plan's steps must lie before the mail, ``written`` working days before today.
    """
    ticket = yield case.at, lambda: w.take_in(case)
    yield from handle(w, ticket, case, plan)
    yield w.back(written, 13, 20), lambda: w.stranger_writes(ticket)


def escalated_by_hand(w: World, case: Case) -> Story:
    """The officer raises a sensitive complaint to the head of unit, who answers it."""
    ticket = yield case.at, lambda: w.take_in(case)
    officer = w.officer_for(case)
    at = w.within((yield from triage_steps(w, ticket, case, Plan(), officer)), 3)
    yield at, lambda: operations.escalate(ticket, user=officer, note=texts.ESCALATION_NOTE)
    boss = ticket.unit.lead if ticket.unit is not None and ticket.unit.lead else officer
    at = w.after(at, 4)
    yield at, lambda: w.answer(ticket, boss, case)
    yield from aftermath(w, ticket, case, Plan(close="officer"), at, on_time=True, officer=boss)


def bounced(w: World, case: Case) -> Story:
    """The reporter's address does not exist: every mail bounces, so the officer phones."""
    w.undeliverable[case.who.email] = (f"550 5.1.1 <{case.who.email}>: Recipient address rejected: "
                                       "User unknown in virtual mailbox table")
    ticket = yield case.at, lambda: w.take_in(case)
    officer = w.officer_for(case)
    yield from handle(w, ticket, case, Plan(verify=1, analyse=1, answer=6, close=None, survey=False), officer)
    at = w.after(w.after(case.at, 6), 1)
    yield at, lambda: operations.add_note(ticket, texts.PHONED, user=officer)
    yield w.within(at, 1), lambda: w.close(ticket, officer)


def quarantined(w: World, at) -> Story:
    yield at, w.auto_reply
