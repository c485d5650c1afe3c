"""The ticket page and its actions; each action calls an operation, which writes the event."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from helpdesk.auth import STAFF, roles_required
from helpdesk.catalog.models import Component, Unit
from helpdesk.classify.proposals import proposal_view
from helpdesk.extensions import db
from helpdesk.inputs import whole_number
from helpdesk.outbox.models import OutboxItem
from helpdesk.outbox.service import send_to_reporter
from helpdesk.rules.lifecycle import Status, TransitionError, allowed
from helpdesk.rules.routing import RoutingError, Tier
from helpdesk.tickets import operations
from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.related import related_tickets
from helpdesk.triage import operations as triage
from helpdesk.triage.models import ApipRequest
from helpdesk.users.models import User
from helpdesk.web.officer import bp
from helpdesk.web.officer.access import can_see_identity, redactor, reporter_label
from helpdesk.web.officer.queue_views import choices
from helpdesk.web.setup import flash_error


def get_ticket(number: str) -> Ticket:
    ticket = db.session.scalar(select(Ticket).filter_by(number=number))
    if ticket is None:
        abort(404)
    return ticket


def _text(name: str, required: bool = True) -> str:
    value = request.form.get(name, "").strip()
    if required and not value:
        raise ValueError(_("Isian '%(name)s' wajib diisi.", name=name))
    return value[:20000]


def _int_or_none(name: str) -> int | None:
    return whole_number(request.form.get(name))


# Statuses the status control does not set: the answer action sends the answer and sets them.
VIA_ANSWER = (Status.ANSWERED.value,)


def _check_not_unanswered(t, target: str) -> None:
    """'Answered' only comes with an answer sent; a complaint is closed only once answered."""
    if target in VIA_ANSWER:
        raise ValueError(_("Status 'Dijawab' hanya ditetapkan dengan mengirim jawaban akhir kepada pelapor "
                           "(tombol 'Kirim jawaban')."))
    if target == Status.CLOSED.value and t.kind == "complaint" and t.answered_at is None:
        raise ValueError(_("Pengaduan belum dijawab: kirim jawaban akhir kepada pelapor sebelum menutup tiket."))


def _status(t, u):
    target = request.form["target"]
    _check_not_unanswered(t, target)
    operations.change_status(t, target, user=u, note=_text("note", False))


def _kind(t, u):
    operations.change_kind(t, request.form.get("kind", ""), _text("reason"), user=u)


def _assign(t, u):
    uid = _int_or_none("assignee")
    operations.assign(t, db.session.get(User, uid) if uid else None, user=u)


def _classify(t, u):
    component = request.form.get("component") or None
    if component and db.session.get(Component, component) is None:
        raise ValueError(_("Komponen tidak dikenal."))
    operations.classify(t, service_id=_int_or_none("service"), component=component, user=u)


def _confirm(t, u):
    """Confirm the classification in force, or the classifier's proposal where none is."""
    component, service_id = t.component or t.proposed_component, t.service_id or t.proposed_service_id
    if component is None and service_id is None:
        raise ValueError(_("Tidak ada usulan untuk dikonfirmasi."))
    operations.classify(t, service_id=service_id, component=component, user=u)


def _route(t, u):
    tier = request.form.get("tier", "")
    if tier == Tier.APIP:
        triage.request_apip(t, user=u, reason=_text("reason"), forwarded_to=_text("forwarded_to", False))
        return _("Permintaan persetujuan APIP dikirim ke Kepala Kantor.")
    uid = _int_or_none("unit")
    operations.route(t, tier, user=u, unit=db.session.get(Unit, uid) if uid else None,
                     forwarded_to=_text("forwarded_to", False) or None)


def _close(t, u):
    _check_not_unanswered(t, Status.CLOSED.value)
    operations.change_status(t, Status.CLOSED, user=u, note=_text("note", False))


def _merge(t, u):
    target = db.session.scalar(select(Ticket).filter_by(number=_text("target").upper()))
    if target is None:
        raise ValueError(_("Tiket tujuan tidak ditemukan."))
    triage.merge(t, target, user=u, note=_text("note", False))


def _accept(t, u):
    msg = db.session.get(Message, _int_or_none("message") or 0)
    if msg is None or msg.ticket_id != t.id:
        raise ValueError(_("Pesan tidak ditemukan."))
    triage.accept_held(msg, user=u)


ACTIONS = {
    "status": _status, "kind": _kind, "assign": _assign, "classify": _classify, "confirm": _confirm,
    "route": _route,
    "escalate": lambda t, u: operations.escalate(t, user=u, note=_text("note", False)),
    "pause": lambda t, u: operations.pause(t, user=u, note=_text("note", False)),
    "resume": lambda t, u: operations.resume(t, user=u),
    "note": lambda t, u: operations.add_note(t, _text("text"), user=u),
    "reply": lambda t, u: send_to_reporter(t, _text("text"), kind="reply", user=u),
    "answer": lambda t, u: triage.answer(t, _text("text"), user=u), "close": _close, "merge": _merge, "accept": _accept,
    "analysis": lambda t, u: triage.record_analysis(t, user=u, **{k: request.form.get(k, "")
                                                                  for k in triage.ANALYSIS_FIELDS}),
    "report": lambda t, u: triage.report_result(t, user=u, summary=_text("summary", False)),
}


@bp.get("/tiket/<number>")
@roles_required(*STAFF)
def ticket(number: str):
    t = get_ticket(number)
    pending_apip = db.session.scalar(select(ApipRequest).filter_by(ticket_id=t.id, approved=None))
    deliveries = {o.message_id: o for o in db.session.scalars(select(OutboxItem).filter_by(ticket_id=t.id))}
    return render_template("officer/ticket.html", t=t, who=reporter_label(current_user, t), deliveries=deliveries,
                           show_identity=can_see_identity(current_user, t), redact=redactor(current_user, t),
                           related=[(rt, why, redactor(current_user, rt)(rt.subject)) for rt, why in related_tickets(t)],
                           proposal=proposal_view(t, g.get("lang", "id")), choices=choices(),
                           next_statuses=[s.value for s in allowed(t.status) if s.value not in VIA_ANSWER],
                           pending_apip=pending_apip,
                           analysis_fields=triage.ANALYSIS_FIELDS)


@bp.post("/tiket/<number>/aksi/<action>")
@roles_required(*STAFF)
def act(number: str, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        abort(404)
    t = get_ticket(number)
    try:
        outcome = handler(t, current_user)
    except (TransitionError, RoutingError, ValueError, KeyError) as exc:
        db.session.rollback()
        flash_error(exc if not isinstance(exc, KeyError) else ValueError(_("Isian tidak lengkap.")))
    else:
        db.session.commit()
        flash(outcome if isinstance(outcome, str) else _("Perubahan disimpan."), "info")
    return redirect(url_for("officer.ticket", number=number), code=303)
