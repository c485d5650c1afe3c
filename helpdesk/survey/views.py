"""The survey form citizens reach from the invitation link or their status page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helpdesk.auth import public_route
from helpdesk.extensions import db, limiter
from helpdesk.survey.elements import COLUMNS, ELEMENTS, SCALE
from helpdesk.survey.models import SurveyInvitation
from helpdesk.survey.operations import COMMENT_MAX, SurveyClosed, state, submit
from helpdesk.survey.tokens import make_token, read_token

bp = Blueprint("survey", __name__, url_prefix="/survei")


def _invitation(token: str) -> SurveyInvitation:
    invitation_id = read_token(token)
    invitation = db.session.get(SurveyInvitation, invitation_id) if invitation_id is not None else None
    if invitation is None:
        abort(404)
    return invitation


def _page(invitation: SurveyInvitation, token: str, *, errors=(), chosen=None, comment="", status=200):
    current = state(invitation)
    code = 410 if current == "expired" else status
    return render_template("survey/form.html", invitation=invitation, ticket=invitation.ticket, token=token,
                           state=current, elements=ELEMENTS, scale=SCALE, errors=set(errors),
                           chosen=chosen or {}, comment=comment, comment_max=COMMENT_MAX), code


@bp.get("/<token>")
@public_route
def form(token: str):
    return _page(_invitation(token), token)


@bp.post("/<token>")
@public_route
@limiter.limit("20 per hour")
def answer(token: str):
    invitation = _invitation(token)
    chosen = {c: request.form.get(c, "") for c in COLUMNS}
    comment = request.form.get("comment", "")
    missing = [c for c, v in chosen.items() if v not in ("1", "2", "3", "4")]
    if missing and state(invitation) == "open":
        flash(_("Mohon beri nilai untuk setiap unsur."), "error")
        return _page(invitation, token, errors=missing, chosen=chosen, comment=comment, status=422)
    try:
        submit(invitation, [chosen[c] for c in COLUMNS], comment, source="web")
    except SurveyClosed:
        db.session.rollback()  # answered already (a second post) or expired: the page says which
    else:
        db.session.commit()
        flash(_("Terima kasih, penilaian Anda telah kami terima."), "info")
    return redirect(url_for("survey.form", token=token), code=303)


def offer(ticket) -> dict | None:
    """What the status page shows of the ticket's survey: its state and, while open, the link."""
    from helpdesk.survey.operations import invitation_of
    invitation = invitation_of(ticket)
    if invitation is None:
        return None
    current = state(invitation)
    link = url_for("survey.form", token=make_token(invitation.id)) if current == "open" else None
    return {"state": current, "link": link, "expires_at": invitation.expires_at}
