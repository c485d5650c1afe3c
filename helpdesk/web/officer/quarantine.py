"""The quarantine: what could not be taken in (or looked automatic), for officers to look at and settle."""
from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from helpdesk.auth import STAFF, roles_required
from helpdesk.extensions import db
from helpdesk.inputs import whole_number
from helpdesk.intake.email import ingest_raw_email
from helpdesk.intake.models import QuarantineItem
from helpdesk.timeutil import utcnow
from helpdesk.web.officer import bp
from helpdesk.web.officer.files import _download

PAGE = 50


def _item(item_id: int) -> QuarantineItem:
    item = db.session.get(QuarantineItem, item_id)
    if item is None:
        abort(404)
    return item


def _resolve(item: QuarantineItem, resolution: str) -> None:
    item.resolved_at, item.resolved_by_id, item.resolution = utcnow(), current_user.id, resolution[:2000]


@bp.get("/karantina")
@roles_required(*STAFF)
def quarantine():
    show_all = request.args.get("semua") == "1"
    query = select(QuarantineItem).order_by(QuarantineItem.id.desc()).limit(PAGE + 1)
    if not show_all:
        query = query.where(QuarantineItem.resolved_at.is_(None))
    before = whole_number(request.args.get("sebelum"))
    if before is not None:
        query = query.where(QuarantineItem.id < before)
    items = db.session.scalars(query).all()
    more = len(items) > PAGE
    return render_template("officer/quarantine.html", items=items[:PAGE], more=more, show_all=show_all)


@bp.get("/karantina/<int:item_id>/asli")
@roles_required(*STAFF)
def quarantine_raw(item_id: int):
    item = _item(item_id)
    ext = "eml" if item.channel == "email" else "txt"
    return _download(BytesIO(item.raw), f"karantina-{item.id}.{ext}")


@bp.post("/karantina/<int:item_id>/proses")
@roles_required(*STAFF)
def quarantine_take_in(item_id: int):
    """An officer's call: this mail is a report after all (it is still not acknowledged automatically)."""
    item = _item(item_id)
    if item.channel != "email" or item.resolved_at is not None:
        flash(_("Hanya e-mail yang belum diselesaikan yang dapat diproses sebagai laporan."), "error")
        return redirect(url_for("officer.quarantine"), code=303)
    # Received when it reached the quarantine, not now: the 14-working-day clock runs from then.
    outcome = ingest_raw_email(item.raw, received_at=item.received_at, as_report=True)
    if outcome["outcome"] == "quarantine":
        flash(_("E-mail ini tetap tidak dapat dibaca: %(reason)s", reason=outcome["reason"]), "error")
        return redirect(url_for("officer.quarantine"), code=303)
    item = _item(item_id)  # the intake committed: load it afresh
    _resolve(item, _("diproses sebagai laporan %(number)s", number=outcome["number"]))
    db.session.commit()
    flash(_("E-mail diproses sebagai laporan %(number)s.", number=outcome["number"]), "info")
    return redirect(url_for("officer.ticket", number=outcome["number"]), code=303)


@bp.post("/karantina/<int:item_id>/selesai")
@roles_required(*STAFF)
def quarantine_resolve(item_id: int):
    item = _item(item_id)
    if item.resolved_at is None:
        _resolve(item, request.form.get("note", "").strip() or _("diperiksa, tidak perlu tindak lanjut"))
        db.session.commit()
        flash(_("Catatan karantina diselesaikan."), "info")
    return redirect(url_for("officer.quarantine"), code=303)
