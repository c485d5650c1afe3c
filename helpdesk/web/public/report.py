"""The public complaint form and its receipt; every report goes through intake.ingest()."""
from __future__ import annotations

import json
import re
import secrets
from datetime import date

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from channels.base import InboundMessage, Sender
from helpdesk.auth import public_route
from helpdesk.catalog.models import Service
from helpdesk.extensions import db, limiter
from helpdesk.intake.service import ingest, quarantine
from helpdesk.office_calendar import office_calendar
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from helpdesk.web.public import bp
from helpdesk.web.uploads import check_uploads

EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{8,20}$")
TOKEN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
RECEIPTS_KEPT = 5
LIMITS = {"name": 200, "email": 254, "phone": 30, "text": 20000, "expected": 5000}


def _form_limit() -> str:
    return current_app.config["COMPLAINT_FORM_RATE_LIMIT"]


def services() -> list[Service]:
    return db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name)).all()


def validate(form, files, today: date) -> tuple[dict, list[str]]:
    """Clean the form's values; errors are Indonesian/English sentences for the visitor."""
    cfg = current_app.config
    data = {k: (form.get(k) or "").strip() for k in ("name", "email", "phone", "service", "service_date",
                                                   "text", "expected")}
    data["confidential"] = form.get("confidential") == "1"
    errors = [_("Isian %(field)s terlalu panjang.", field=k) for k, n in LIMITS.items() if len(data[k]) > n]
    if not data["text"]:
        errors.append(_("Ceritakan apa yang terjadi."))
    if data["email"] and not EMAIL.match(data["email"]):
        errors.append(_("Alamat e-mail tidak valid."))
    if data["phone"] and not PHONE.match(data["phone"]):
        errors.append(_("Nomor telepon tidak valid."))
    if form.get("consent") != "1":
        errors.append(_("Persetujuan pemrosesan data pribadi diperlukan."))
    data["service_received_on"] = None
    if data["service_date"]:
        try:
            data["service_received_on"] = date.fromisoformat(data["service_date"])
        except ValueError:
            errors.append(_("Tanggal layanan tidak valid."))
        else:
            if data["service_received_on"] > today:
                errors.append(_("Tanggal layanan tidak boleh di masa depan."))
    if data["service"] and data["service"] not in {s.slug for s in services()}:
        errors.append(_("Layanan tidak dikenal."))
    allowed = {x.strip().lower() for x in cfg["UPLOAD_TYPES"].split(",") if x.strip()}
    data["attachments"], upload_errors = check_uploads(
        files.getlist("attachments"), allowed=allowed, max_bytes=cfg["UPLOAD_MAX_BYTES"],
        max_files=cfg["UPLOAD_MAX_FILES"])
    return data, errors + upload_errors


def _raw(form) -> bytes:
    """The report as submitted (R2: the raw original), without the files' bytes."""
    fields = {k: v for k, v in form.items() if k not in ("csrf_token",)}
    names = [f.filename for f in request.files.getlist("attachments") if f and f.filename]
    return json.dumps({"form": fields, "files": names}, ensure_ascii=False, sort_keys=True).encode()


@bp.get("/")
@public_route
def home():
    return render_template("public/home.html")


@bp.route("/lapor", methods=["GET", "POST"])
@public_route
@limiter.limit(_form_limit, methods=["POST"])
def complaint_form():
    if request.method == "GET":
        return render_template("public/form.html", services=services(), form={}, errors=[],
                               token=secrets.token_urlsafe(24))
    token = request.form.get("token", "")
    if not TOKEN.match(token):
        abort(400)
    if request.form.get("website"):  # the honeypot: people never see it, bots fill it in
        quarantine("web", f"web:{token}", _raw(request.form), "honeypot field filled: likely spam")
        return render_template("public/held.html"), 200
    now = utcnow()
    data, errors = validate(request.form, request.files, office_calendar().local(now).date())
    if errors:
        return render_template("public/form.html", services=services(), form=request.form, errors=errors,
                               token=token), 422
    msg = InboundMessage(
        channel="web", external_id=f"web:{token}",
        sender=Sender(name=data["name"] or None, email=data["email"] or None, phone=data["phone"] or None),
        received_at=now, subject=data["text"].splitlines()[0][:120], text=data["text"],
        attachments=tuple(data["attachments"]), raw=_raw(request.form),
        service_received_on=data["service_received_on"], service_slug=data["service"] or None,
        expected_outcome=data["expected"], confidential=data["confidential"])
    result = ingest(msg)
    if result.ticket is None:
        abort(500)
    if result.tracking_token:
        # Only the last few receipts stay in the (cookie) session: it must not outgrow 4 KB.
        receipts = list(session.get("receipts", {}).items())[-(RECEIPTS_KEPT - 1):]
        session["receipts"] = dict(receipts + [(result.ticket.number, result.tracking_token)])
    return redirect(url_for("public.receipt", number=result.ticket.number), code=303)


@bp.get("/lapor/tanda-terima/<number>")
@public_route
def receipt(number: str):
    """Shown once to whoever filed the report (the secret lives in their session only)."""
    token = session.get("receipts", {}).get(number)
    ticket = db.session.scalar(select(Ticket).filter_by(number=number)) if token else None
    if ticket is None:
        abort(404)
    link = url_for("public.status_page", number=number, t=token, _external=True)
    return render_template("public/receipt.html", ticket=ticket, link=link)
