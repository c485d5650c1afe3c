"""Past due: raise the ticket along its unit's chain and tell who now answers for it.

``escalate_next`` and the in-between steps (``escalate_l2`` …) raise an internal ticket one
level each (the unit's head first), one step per ``ESCALATE_HEAD_AFTER_DAYS`` working days;
``escalate_head`` raises it to the head of office (level by level, should steps have been
missed). Each level is an ``escalate`` event (``tickets.operations.escalate``). A ticket that cannot be raised (not
internal, no unit, already at the top) stays where it is, and the one above is still told.
Every step is an ``sla_escalation`` event and a notification; the assignee gets a copy.
"""
from __future__ import annotations

from datetime import datetime

from helpdesk.reminders import notify, texts
from helpdesk.reminders.models import Reminder
from helpdesk.rules import routing, sla
from helpdesk.rules.routing import Role
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket

STEPS = {sla.ESCALATE_NEXT: "naik satu tingkat", sla.ESCALATE_HEAD: "naik ke Kepala Kantor"}  # in the audit note


def carry_out(ticket: Ticket, row: Reminder, *, now: datetime, cal, pol) -> str:
    """Escalate for one due step row; returns the row's outcome."""
    chain = ticket.unit.chain() if ticket.unit else []
    top = len(chain)  # the head of office's level (routing: a chain of top + 1 levels)
    to_head = row.kind == sla.ESCALATE_HEAD
    target = top if to_head else ticket.escalation_level + 1
    raised = False
    if chain and (ticket.tier or routing.Tier.INTERNAL) == routing.Tier.INTERNAL:
        while ticket.escalation_level < min(target, top):
            step = STEPS.get(row.kind, STEPS[sla.ESCALATE_NEXT])  # the in-between steps: one level up
            operations.escalate(ticket, note=f"otomatis: melewati batas jawaban, {step}")
            raised = True
    if chain:
        users = notify.holder(chain, top if to_head else max(ticket.escalation_level, 1))
    else:  # never routed to a unit: the supervisors, then the head of office
        users = notify.with_role(Role.HEAD) if to_head else (notify.with_role(Role.SUPERVISOR)
                                                              or notify.with_role(Role.HEAD))
    level = routing.level_name(ticket.escalation_level, top + 1) if raised else None
    overdue = -cal.working_days_left(ticket.clock_from, now, ticket.paused_spans, limit=pol.answer_days)
    note = texts.escalation(ticket, cal, level, max(overdue, 0))
    copy = [ticket.assignee] if ticket.assignee is not None and ticket.assignee.active else []
    emails = notify.send(users + copy, ticket, note, key=f"reminder:{row.id}")
    operations.record(ticket, "sla_escalation", None, row.kind, actor="system", at=now,
                      note=", ".join(emails) or "tidak ada penerima")
    row.sent_at = now
    row.outcome = "escalated" if raised else ("sent" if emails else "no_recipient")
    return row.outcome
