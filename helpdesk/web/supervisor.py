"""Supervisors and the head: escalated and overdue tickets, the team's load, APIP approvals."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, select

from helpdesk.auth import SUPERVISORS, roles_required
from helpdesk.extensions import db
from helpdesk.rules.lifecycle import OPEN_STATUSES, Status
from helpdesk.rules.routing import Role, RoutingError
from helpdesk.tickets import clock
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage.models import ApipRequest
from helpdesk.triage.operations import decide_apip
from helpdesk.users.models import User
from helpdesk.web.setup import flash_error

bp = Blueprint("supervisor", __name__, url_prefix="/atasan")
OPEN = [s.value for s in OPEN_STATUSES]
LIMIT = 100


@bp.get("/")
@roles_required(*SUPERVISORS)
def dashboard():
    now = utcnow()
    escalated = db.session.scalars(select(Ticket).where(Ticket.escalation_level > 0, Ticket.status.in_(OPEN))
                                   .order_by(Ticket.due_at).limit(LIMIT)).all()
    overdue = db.session.scalars(select(Ticket).where(*clock.overdue(now))
                                 .order_by(Ticket.due_at).limit(LIMIT)).all()
    review = db.session.scalars(select(Ticket).where(Ticket.status == Status.ANSWERED.value)
                                .order_by(Ticket.answered_at).limit(LIMIT)).all()
    load = db.session.execute(
        select(User.email, func.count(Ticket.id),
               func.sum(db.case((and_(*clock.overdue(now)), 1), else_=0)))
        .join(Ticket, Ticket.assignee_id == User.id).where(Ticket.status.in_(OPEN))
        .group_by(User.email).order_by(func.count(Ticket.id).desc())).all()
    unassigned = db.session.scalar(select(func.count(Ticket.id)).where(Ticket.assignee_id.is_(None),
                                                                       Ticket.status.in_(OPEN)))
    return render_template("supervisor/dashboard.html", escalated=escalated, overdue=overdue, review=review,
                           load=load, unassigned=unassigned)


@bp.get("/persetujuan-apip")
@roles_required(Role.HEAD)
def approvals():
    pending = db.session.scalars(select(ApipRequest).where(ApipRequest.approved.is_(None))
                                 .order_by(ApipRequest.requested_at)).all()
    return render_template("supervisor/approvals.html", pending=pending)


@bp.post("/persetujuan-apip/<int:request_id>")
@roles_required(Role.HEAD)
def decide(request_id: int):
    req = db.session.get(ApipRequest, request_id)
    if req is None:
        abort(404)
    try:
        decide_apip(req, user=current_user, approve=request.form.get("decision") == "approve",
                    note=request.form.get("note", "").strip()[:2000])
    except (RoutingError, ValueError) as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("Keputusan dicatat."), "info")
    return redirect(url_for("supervisor.approvals"), code=303)
