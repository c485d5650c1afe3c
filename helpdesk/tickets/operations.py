"""Operations on tickets: each changes state, writes its event and flushes; callers commit."""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.rules import admissibility, lifecycle, routing
from helpdesk.rules.admissibility import Kind, Verdict
from helpdesk.rules.lifecycle import Status
from helpdesk.signals import deadline_changed, status_changed
from helpdesk.tickets.models import Event, Message, Pause, Ticket
from helpdesk.timeutil import utcnow


def actor_label(user) -> str:
    return user.email if user is not None else "system"


def record(ticket: Ticket, action: str, before=None, after=None, *, user=None, actor: str | None = None,
           note: str = "", public: bool = False, at: datetime | None = None) -> Event:
    """Append one audit event to the ticket."""
    ev = Event(ticket_id=ticket.id, action=action, actor_id=getattr(user, "id", None),
               actor=actor or actor_label(user), note=note, public=public, at=at or utcnow(),
               before=None if before is None else str(before),
               after=None if after is None else str(after))
    db.session.add(ev)
    return ev


def set_deadline(ticket: Ticket, cal=None, *, new: bool = False) -> None:
    """Start or clear the answer clock (ANSWER_WORKING_DAYS) by the ticket's kind (``cal``: the calendar in force).

    ``new``: the ticket is being opened in this transaction (nothing refers to it yet). The clock
    counts from ``ticket.clock_from``: the receipt, or the reporter's latest reopening.
    """
    if ticket.kind != Kind.COMPLAINT:
        ticket.clock_started_at = ticket.due_at = None
    else:
        cal = cal or office_calendar()
        _count_deadline(ticket, cal)
    db.session.flush()
    deadline_changed.send(ticket, cal=cal, new=new)


def _count_deadline(ticket: Ticket, cal) -> None:
    ticket.clock_started_at = cal.clock_start(ticket.clock_from)
    ticket.due_at = cal.due_at(ticket.clock_from, current_app.config["ANSWER_WORKING_DAYS"],
                               paused=ticket.paused_spans, now=utcnow())


def recount_deadline(ticket: Ticket, cal, *, now: datetime | None = None) -> bool:
    """Count a running complaint's due date again under ``cal`` (a closure added or removed).

    No signal: the caller re-plans the reminders. A due date that moved is a public ``due``
    event. A paused ticket is left alone: its due date is counted when the clock restarts.
    """
    if ticket.kind != Kind.COMPLAINT or ticket.due_at is None or ticket.paused_since is not None \
            or not lifecycle.is_open(ticket.status):
        return False
    before = ticket.due_at
    _count_deadline(ticket, cal)
    if ticket.due_at == before:
        return False
    record(ticket, "due", before.isoformat(), ticket.due_at.isoformat(), actor="system", public=True,
           at=now, note="kalender kantor berubah")
    return True


def change_status(ticket: Ticket, target: str, *, user=None, note: str = "", public: bool = True,
                  now: datetime | None = None) -> None:
    """Move the ticket along the lifecycle; refuses transitions the state machine forbids.

    Reopening starts a new clock round: a new due date counted from now, and its own reminders.
    """
    now = now or utcnow()
    current = Status(ticket.status)
    new = lifecycle.check(current, Status(target))
    ticket.status = new.value
    if ticket.paused_since is not None and not lifecycle.is_open(new):  # e.g. answered while waiting
        _end_pause(ticket, now)
    if new == Status.ANSWERED:
        ticket.answered_at = now
    elif new == Status.CLOSED:
        ticket.closed_at = now
    elif new == Status.REOPENED:
        ticket.answered_at = ticket.closed_at = None
        ticket.reopened_at, ticket.clock_round = now, (ticket.clock_round or 1) + 1
    record(ticket, "status", current.value, new.value, user=user, note=note, public=public, at=now)
    db.session.flush()
    if new == Status.REOPENED and ticket.kind == Kind.COMPLAINT:
        before = ticket.due_at
        set_deadline(ticket)
        record(ticket, "due", before.isoformat() if before else None, ticket.due_at.isoformat(), actor="system",
               public=True, at=now, note="dibuka kembali: putaran baru")
    status_changed.send(ticket, before=current.value, after=new.value, user=user)


def change_kind(ticket: Ticket, kind: str, reason: str, *, user) -> Verdict:
    """Officer override of complaint/suggestion (R3); the reason is required and logged."""
    current = Verdict(Kind(ticket.kind), ticket.kind_code, ticket.kind_reason, ticket.kind_reason)
    verdict = admissibility.override(current, Kind(kind), reason)
    before = ticket.kind
    ticket.kind, ticket.kind_code, ticket.kind_reason = verdict.kind.value, verdict.code, verdict.reason
    set_deadline(ticket)
    record(ticket, "kind", before, ticket.kind, user=user, note=reason, public=True)
    db.session.flush()
    return verdict


def assign(ticket: Ticket, assignee, *, user=None) -> None:
    before = ticket.assignee.email if ticket.assignee else None
    ticket.assignee_id = assignee.id if assignee else None
    ticket.assignee = assignee
    record(ticket, "assign", before, assignee.email if assignee else None, user=user)
    db.session.flush()


def classify(ticket: Ticket, *, service_id: int | None, component: str | None, user=None,
             actor: str | None = None, note: str = "") -> None:
    """Record the service and the service-standard component (R4).

    Set by a user, the classification counts as confirmed: the classifier learns from it.
    """
    if service_id != ticket.service_id:
        record(ticket, "service", ticket.service_id, service_id, user=user, actor=actor, note=note)
        ticket.service_id = service_id
    if component != ticket.component:
        record(ticket, "component", ticket.component, component, user=user, actor=actor, note=note)
        ticket.component = component
    if user is not None and not ticket.classification_confirmed:
        ticket.classification_confirmed = True
        record(ticket, "classification_confirmed", None, component, user=user, note=note)
    db.session.flush()


def route(ticket: Ticket, tier: str, *, user=None, unit=None, forwarded_to: str | None = None,
          approval: routing.Approval | None = None) -> routing.Route:
    """Send the ticket to a resolution tier (R6); APIP needs the head's approval."""
    decision = routing.route(routing.Tier(tier), forwarded_to=forwarded_to, approval=approval)
    before = ticket.tier
    ticket.tier = decision.tier.value
    ticket.escalation_level = decision.level
    ticket.forwarded_to = decision.forwarded_to
    if unit is not None:
        ticket.unit_id = unit.id
    if decision.approval is not None:
        ticket.apip_approved_by_id = decision.approval.approver_id
        ticket.apip_approved_at = decision.approval.at
    record(ticket, "tier", before, decision.tier.value, user=user,
           note=forwarded_to or (decision.approval.note if decision.approval else ""))
    db.session.flush()
    deadline_changed.send(ticket)  # the escalation steps follow the unit's chain
    return decision


def escalate(ticket: Ticket, *, user=None, note: str = "") -> routing.Route:
    """Move an internal ticket one level up the unit's chain."""
    chain = ticket.unit.chain() if ticket.unit else []
    current = routing.Route(routing.Tier(ticket.tier or routing.Tier.INTERNAL), ticket.escalation_level,
                            ticket.forwarded_to)
    nxt = routing.escalate(current, chain_length=len(chain) + 1)
    ticket.escalation_level = nxt.level
    record(ticket, "escalate", current.level, nxt.level, user=user, note=note)
    db.session.flush()
    return nxt


def pause(ticket: Ticket, *, user=None, note: str = "", now: datetime | None = None) -> None:
    """Stop the clock while waiting for the reporter's clarification."""
    now = now or utcnow()
    if ticket.paused_since is not None:
        raise ValueError("the ticket is already waiting for the reporter")
    ticket.paused_since = now
    db.session.add(Pause(ticket_id=ticket.id, started_at=now))
    record(ticket, "pause", None, now.isoformat(), user=user, note=note, public=True, at=now)
    db.session.flush()
    db.session.expire(ticket, ["pauses"])
    deadline_changed.send(ticket)  # the clock stands still: nothing falls due until resume()


def resume(ticket: Ticket, *, user=None, now: datetime | None = None) -> None:
    """Restart the clock; the due date moves back by the paused working days."""
    now = now or utcnow()
    if ticket.paused_since is None:
        raise ValueError("the ticket is not paused")
    _end_pause(ticket, now)
    before = ticket.due_at
    db.session.flush()
    db.session.refresh(ticket, ["pauses"])
    set_deadline(ticket)
    record(ticket, "resume", before.isoformat() if before else None,
           ticket.due_at.isoformat() if ticket.due_at else None, user=user, public=True, at=now)
    db.session.flush()


def _end_pause(ticket: Ticket, now: datetime) -> None:
    open_pause = next(p for p in ticket.pauses if p.ended_at is None)
    open_pause.ended_at = now
    ticket.paused_since = None


def add_note(ticket: Ticket, text: str, *, user) -> Message:
    """An internal note: never shown to the reporter."""
    msg = Message(ticket_id=ticket.id, direction="note", channel="internal", text=text,
                  author_user_id=user.id if user else None, public=False)
    db.session.add(msg)
    record(ticket, "note", user=user)
    db.session.flush()
    return msg
