"""Triage operations; like tickets.operations each writes its event and flushes, callers commit."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

from helpdesk.extensions import db
from helpdesk.outbox.service import enqueue, send_to_reporter
from helpdesk.rules import routing
from helpdesk.rules.lifecycle import LABELS, Status, TransitionError, allowed
from helpdesk.tickets import operations
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage.models import ApipRequest

ANALYSIS_FIELDS = ("core_problem", "regulation_ref", "handling_plan", "actions_taken")
ANSWERABLE = (Status.IN_ANALYSIS, Status.IN_FOLLOW_UP, Status.REOPENED)


def merge(duplicate: Ticket, target: Ticket, *, user, note: str = "") -> None:
    """Merge a duplicate into target: its messages move over, it ends in status merged."""
    if duplicate.id == target.id:
        raise ValueError("Tiket tidak dapat digabung dengan dirinya sendiri.")
    if target.status == Status.MERGED:
        raise ValueError(f"Tiket tujuan {target.number} sendiri sudah digabung.")
    operations.change_status(duplicate, Status.MERGED, user=user, note=f"digabung ke {target.number}")
    moved = db.session.execute(update(Message).where(Message.ticket_id == duplicate.id)
                               .values(ticket_id=target.id)).rowcount
    duplicate.merged_into_id = target.id
    operations.record(duplicate, "merged_into", None, target.number, user=user, note=note, public=True)
    operations.record(target, "merged_from", None, duplicate.number, user=user,
                      note=f"{moved} pesan dipindahkan. {note}".strip())
    db.session.flush()
    db.session.expire(target, ["messages"])
    db.session.expire(duplicate, ["messages"])


def accept_held(message: Message, *, user=None, actor: str | None = None) -> None:
    """Let a held message (from a stranger) join the conversation as the reporter's words."""
    if not message.held:
        raise ValueError("Pesan ini tidak sedang ditahan.")
    message.held, message.public = False, True
    operations.record(message.ticket, "accept_held", None, str(message.id), user=user, actor=actor)
    db.session.flush()


def record_analysis(ticket: Ticket, *, user, **fields: str) -> list[str]:
    """Record the R5 analysis fields; returns the names that changed (one event each)."""
    changed = []
    for name in ANALYSIS_FIELDS:
        if name not in fields:
            continue
        value = (fields[name] or "").strip()
        if value != (getattr(ticket, name) or ""):
            operations.record(ticket, f"analysis_{name}", None, None, user=user, note=value[:2000])
            setattr(ticket, name, value)
            changed.append(name)
    db.session.flush()
    return changed


def request_apip(ticket: Ticket, *, user, reason: str, forwarded_to: str) -> ApipRequest:
    """Ask the head of office to approve a referral to the APIP."""
    if not reason.strip():
        raise ValueError("Alasan penerusan ke APIP wajib diisi.")
    pending = db.session.scalar(select(ApipRequest).filter_by(ticket_id=ticket.id, approved=None))
    if pending is not None:
        raise ValueError("Permintaan persetujuan APIP untuk tiket ini masih menunggu keputusan.")
    req = ApipRequest(ticket_id=ticket.id, requested_by_id=user.id, reason=reason.strip(),
                      forwarded_to=forwarded_to.strip())
    db.session.add(req)
    operations.record(ticket, "apip_requested", None, forwarded_to, user=user, note=reason)
    db.session.flush()
    return req


def decide_apip(req: ApipRequest, *, user, approve: bool, note: str = "") -> None:
    """The head approves (and the ticket is routed to the APIP) or declines the referral."""
    if req.approved is not None:
        raise ValueError("Permintaan ini sudah diputuskan.")
    now = utcnow()
    if approve:
        approval = routing.Approval(approver_id=user.id, approver_role=routing.Role(user.role), at=now, note=note)
        operations.route(req.ticket, routing.Tier.APIP, user=user, forwarded_to=req.forwarded_to or None,
                         approval=approval)
    else:
        operations.record(req.ticket, "apip_declined", None, None, user=user, note=note)
    req.approved, req.decided_by_id, req.decided_at, req.decision_note = approve, user.id, now, note
    db.session.flush()


def answer(ticket: Ticket, text: str, *, user) -> Message:
    """The final answer (R8): sent to the reporter, the ticket answered, the result reported upwards."""
    if Status(ticket.status) not in ANSWERABLE:
        raise TransitionError(Status(ticket.status), Status.ANSWERED, allowed(ticket.status))
    message = send_to_reporter(ticket, text, kind="answer", user=user)
    operations.change_status(ticket, Status.ANSWERED, user=user)
    report_result(ticket, user=user, answer=message)  # R8: the result goes to the direct superior
    return message


def direct_superior(ticket: Ticket, user):
    """The one the result is reported to (R8): the unit's lead, or the lead above when user leads."""
    for unit in (ticket.unit.chain() if ticket.unit else []):
        if unit.lead is not None and unit.lead.id != getattr(user, "id", None):
            return unit.lead
    return None


def final_answer(ticket: Ticket) -> Message | None:
    """The final answer given to the reporter: the last outbound message sent by the time it was answered."""
    if ticket.answered_at is None:
        return None
    return db.session.scalar(select(Message).where(
        Message.ticket_id == ticket.id, Message.direction == "outbound", Message.created_at <= ticket.answered_at)
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(1))


def report_result(ticket: Ticket, *, user, summary: str = "", answer: Message | None = None) -> object | None:
    """Report the ticket's result in writing to the direct superior (R8), quoting the final answer."""
    boss = direct_superior(ticket, user)
    answer = answer or final_answer(ticket)
    text = (f"Laporan hasil penanganan {ticket.number}\nStatus: {LABELS[Status(ticket.status)][0]}\n"
            f"Pokok masalah: {ticket.core_problem or '-'}\nTindakan: {ticket.actions_taken or '-'}\n"
            f"Jawaban kepada pelapor:\n{answer.text if answer else '-'}\n{summary}").strip()
    if boss is None:
        operations.record(ticket, "result_report", None, None, user=user,
                          note="tidak ada atasan langsung pada rantai unit; laporan tidak terkirim")
        db.session.flush()
        return None
    enqueue(channel="email", recipient=boss.email, text=text, kind="result_report", ticket=ticket,
            subject=f"[{ticket.number}] Laporan hasil penanganan",
            dedupe_key=f"result_report:{ticket.id}:{ticket.status}:{len(ticket.messages)}")
    operations.record(ticket, "result_report", None, boss.email, user=user, note=summary)
    db.session.flush()
    current_app.logger.info("result of %s reported to %s", ticket.number, boss.email)
    return boss
