"""Staff entry of reports received by phone, letter, walk-in or the complaint box (R1)."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from channels.base import STAFF_ENTERED, InboundMessage, Sender
from helpdesk.auth import STAFF, roles_required
from helpdesk.office_calendar import office_calendar
from helpdesk.intake.service import ingest
from helpdesk.tickets import operations
from helpdesk.extensions import db
from helpdesk.timeutil import utcnow
from helpdesk.web.officer import bp
from helpdesk.web.public.report import TOKEN, services, validate


def _received_at(raw: str, now: datetime) -> datetime:
    """The time the report reached the office (entered in office time), never in the future."""
    if not raw:
        return now
    cal = office_calendar()
    at = datetime.fromisoformat(raw)
    at = at.replace(tzinfo=cal.tz) if at.tzinfo is None else at
    if at > now:
        raise ValueError(_("Waktu diterima tidak boleh di masa depan."))
    return at


@bp.route("/catat", methods=["GET", "POST"])
@roles_required(*STAFF)
def entry():
    if request.method == "GET":
        return render_template("officer/entry.html", services=services(), form={}, errors=[],
                               token=secrets.token_urlsafe(24), channels=STAFF_ENTERED)
    token, channel = request.form.get("token", ""), request.form.get("channel", "")
    if not TOKEN.match(token) or channel not in STAFF_ENTERED:
        abort(400)
    now = utcnow()
    form = request.form.copy()
    form["consent"] = "1"  # given at the counter / on the letter; recorded by the officer
    data, errors = validate(form, request.files, office_calendar().local(now).date())
    try:
        received_at = _received_at(request.form.get("received_at", ""), now)
    except ValueError as exc:
        errors.append(str(exc))
    if errors:
        return render_template("officer/entry.html", services=services(), form=request.form, errors=errors,
                               token=token, channels=STAFF_ENTERED), 422
    result = ingest(InboundMessage(
        channel=channel, external_id=f"{channel}:{token}",
        sender=Sender(name=data["name"] or None, email=data["email"] or None, phone=data["phone"] or None),
        received_at=received_at, subject=data["text"].splitlines()[0][:120], text=data["text"],
        attachments=tuple(data["attachments"]), raw=data["text"].encode(),
        service_received_on=data["service_received_on"], service_slug=data["service"] or None,
        expected_outcome=data["expected"], confidential=data["confidential"]))
    if result.created:
        operations.record(result.ticket, "entered_by", None, channel, user=current_user)
        db.session.commit()
        flash(_("Tiket %(n)s dibuat. Kode rahasia untuk pelapor: %(t)s", n=result.ticket.number,
                t=result.tracking_token), "info")
    return redirect(url_for("officer.ticket", number=result.ticket.number), code=303)
