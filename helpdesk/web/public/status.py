"""The reporter's status page: reached with the secret link, or the number plus their contact."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from channels.base import InboundMessage, Sender, ThreadHints
from helpdesk.auth import public_route
from helpdesk.extensions import db, limiter
from helpdesk.intake.contacts import normalise_email, normalise_phone
from helpdesk.intake.service import ingest
from helpdesk.rules.lifecycle import Status, TransitionError
from helpdesk.survey.views import offer as survey_offer
from helpdesk.tickets import operations
from helpdesk.tickets.models import Event, Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage.operations import accept_held
from helpdesk.web.public import bp
from helpdesk.web.setup import flash_error

REPORTER_ACTOR = "pelapor"


def _ticket(number: str) -> Ticket:
    ticket = db.session.scalar(select(Ticket).filter_by(number=(number or "").strip().upper()))
    if ticket is None:
        abort(404)
    return ticket


def _token_ok(ticket: Ticket, token: str | None) -> bool:
    if not token or not ticket.tracking_token_hash:
        return False
    return hmac.compare_digest(hashlib.sha256(token.encode()).hexdigest(), ticket.tracking_token_hash)


def _contact_ok(ticket: Ticket, contact: str) -> bool:
    if ticket.reporter is None or not contact.strip():
        return False
    given = {normalise_email(contact), normalise_phone(contact) if "@" not in contact else None} - {None}
    return any(c.value in given for c in ticket.reporter.contacts)


def _granted(ticket: Ticket) -> bool:
    return ticket.number in session.get("tracking", [])


def _grant(ticket: Ticket) -> None:
    tracking = session.setdefault("tracking", [])
    if ticket.number not in tracking:
        tracking.append(ticket.number)
        session["tracking"] = tracking[-20:]


@bp.route("/status", methods=["GET", "POST"])
@public_route
@limiter.limit("30 per hour", methods=["POST"])
def status_lookup():
    if request.method == "POST":
        number = request.form.get("number", "").strip().upper()
        ticket = db.session.scalar(select(Ticket).filter_by(number=number))
        secret = request.form.get("secret", "").strip()
        if ticket is not None and (_token_ok(ticket, secret) or _contact_ok(ticket, secret)):
            _grant(ticket)
            return redirect(url_for("public.status_page", number=ticket.number), code=303)
        flash(_("Nomor tiket dan kode rahasia/kontak tidak cocok."), "error")
        return render_template("public/status_lookup.html", number=number), 404
    return render_template("public/status_lookup.html", number="")


@bp.get("/status/<number>")
@public_route
def status_page(number: str):
    ticket = _ticket(number)
    if _token_ok(ticket, request.args.get("t")):
        _grant(ticket)
        return redirect(url_for("public.status_page", number=ticket.number), code=303)  # secret leaves the URL
    if not _granted(ticket):
        abort(404)
    seen, merged_into = set(), None
    while ticket.merged_into_id and ticket.id not in seen:  # a merged report lives on in its target
        seen.add(ticket.id)
        target = db.session.get(Ticket, ticket.merged_into_id)
        if target.reporter_id != ticket.reporter_id:
            merged_into = target  # someone else's report: its state only, never its conversation
            break
        ticket = target
        _grant(ticket)
    messages = [m for m in ticket.messages if m.public and not m.held and m.direction in ("inbound", "outbound")]
    events = db.session.scalars(select(Event).where(Event.ticket_id == ticket.id, Event.public.is_(True))
                                .order_by(Event.id)).all()
    answer = next((m for m in reversed(messages) if m.direction == "outbound"), None)
    return render_template("public/status.html", ticket=ticket, messages=messages, events=events,
                           answer=answer, token=secrets.token_urlsafe(24), survey=survey_offer(ticket),
                           merged_into=merged_into)


@bp.post("/status/<number>/tambah")
@public_route
@limiter.limit("20 per hour")
def add_information(number: str):
    ticket = _ticket(number)
    if not _granted(ticket):
        abort(404)
    text, token = request.form.get("text", "").strip(), request.form.get("token", "")
    if not text or len(text) > 20000 or not 16 <= len(token) <= 64:
        flash(_("Tuliskan keterangan tambahan (paling banyak 20.000 karakter)."), "error")
        return redirect(url_for("public.status_page", number=ticket.number), code=303)
    reporter = ticket.reporter
    sender = Sender(name=reporter.name if reporter else None,
                    email=reporter.contact("email") if reporter else None,
                    phone=reporter.contact("phone") if reporter else None)
    result = ingest(InboundMessage(channel="web", external_id=f"web:{token}", sender=sender, received_at=utcnow(),
                                   subject=f"Keterangan tambahan {ticket.number}", text=text,
                                   thread=ThreadHints(ticket_number=ticket.number)))
    if result.message is not None and result.message.held:
        accept_held(result.message, actor=REPORTER_ACTOR)  # the session proved the secret
        db.session.commit()
    flash(_("Keterangan tambahan telah diterima."), "info")
    return redirect(url_for("public.status_page", number=ticket.number), code=303)


@bp.post("/status/<number>/tanggapan")
@public_route
def respond(number: str):
    """After the answer the reporter confirms (closes) or reopens, with a reason."""
    ticket = _ticket(number)
    if not _granted(ticket):
        abort(404)
    choice, reason = request.form.get("choice"), request.form.get("reason", "").strip()[:2000]
    try:
        if choice == "confirm":
            operations.change_status(ticket, Status.CLOSED, note=_("Pelapor menerima jawaban."))
        elif choice == "reopen":
            if not reason:
                raise ValueError(_("Tuliskan alasan mengapa pengaduan dibuka kembali."))
            operations.change_status(ticket, Status.REOPENED, note=reason)
        else:
            abort(400)
    except (TransitionError, ValueError) as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("Terima kasih, tanggapan Anda telah dicatat."), "info")
    return redirect(url_for("public.status_page", number=ticket.number), code=303)
