"""The administrator's pages: users and roles, units and chains, services, calendar, channels."""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from helpdesk.auth import roles_required
from helpdesk.catalog.models import CalendarChange, Service, Unit
from helpdesk.channels_state import ChannelState
from helpdesk.extensions import db
from helpdesk.inputs import whole_number
from helpdesk.rules.routing import Role
from helpdesk.timeutil import utcnow
from helpdesk.users import telegram_link
from helpdesk.users.models import ROLES, User

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles_required(Role.ADMIN)


def _save(message: str, endpoint: str):
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("Data bentrok dengan data yang sudah ada."), "error")
    else:
        flash(message, "info")
    return redirect(url_for(endpoint), code=303)


def _int(name: str) -> int | None:
    return whole_number(request.form.get(name))


@bp.get("/")
@admin_only
def index():
    return render_template("admin/index.html")


@bp.route("/pengguna", methods=["GET", "POST"])
@admin_only
def users():
    if request.method == "POST":
        user = db.session.get(User, _int("id") or 0) or User(email=request.form.get("email", "").strip().lower())
        role = request.form.get("role", "")
        if role not in ROLES or "@" not in user.email:
            flash(_("Peran atau e-mail tidak valid."), "error")
            return redirect(url_for("admin.users"), code=303)
        user.role, user.name = role, request.form.get("name", user.name or "").strip()[:200]
        user.unit_id, user.active = _int("unit"), request.form.get("active") == "1"
        chat = request.form.get("telegram", "").strip()
        if chat == "-":
            user.telegram_chat_id = None
        elif chat and not telegram_link.valid_chat_id(chat):
            flash(_("ID obrolan Telegram berupa angka, mis. 123456789."), "error")
            return redirect(url_for("admin.users"), code=303)
        elif chat:
            user.telegram_chat_id = chat
        if request.form.get("password"):
            try:
                user.set_password(request.form["password"])
            except ValueError:
                flash(_("Kata sandi minimal 10 karakter."), "error")
                return redirect(url_for("admin.users"), code=303)
            user.failed_logins, user.locked_until = 0, None
        db.session.add(user)
        return _save(_("Pengguna disimpan."), "admin.users")
    return render_template("admin/users.html", users=db.session.scalars(select(User).order_by(User.email)).all(),
                           units=_units(), roles=ROLES)


def _units() -> list[Unit]:
    return db.session.scalars(select(Unit).order_by(Unit.name)).all()


@bp.route("/unit", methods=["GET", "POST"])
@admin_only
def units():
    if request.method == "POST":
        unit = db.session.get(Unit, _int("id") or 0) or Unit()
        unit.name = request.form.get("name", "").strip()[:200]
        unit.kind = request.form.get("kind") if request.form.get("kind") in ("internal", "technical", "apip") else "internal"
        parent = _int("parent")
        if not unit.name or (parent and unit.id and parent == unit.id):
            flash(_("Nama unit wajib diisi dan unit tidak boleh menjadi induknya sendiri."), "error")
            return redirect(url_for("admin.units"), code=303)
        unit.parent_id, unit.lead_id = parent, _int("lead")
        unit.email = request.form.get("email", "").strip() or None
        db.session.add(unit)
        db.session.flush()
        if len(unit.chain()) != len({u.id for u in unit.chain()}) or _cycles(unit):
            db.session.rollback()
            flash(_("Rantai eskalasi tidak boleh melingkar."), "error")
            return redirect(url_for("admin.units"), code=303)
        return _save(_("Unit disimpan."), "admin.units")
    return render_template("admin/units.html", units=_units(),
                           users=db.session.scalars(select(User).order_by(User.email)).all())


def _cycles(unit: Unit) -> bool:
    seen, current = set(), unit
    while current is not None:
        if current.id in seen:
            return True
        seen.add(current.id)
        current = current.parent
    return False


@bp.route("/layanan", methods=["GET", "POST"])
@admin_only
def services():
    if request.method == "POST":
        service = db.session.get(Service, _int("id") or 0)
        name = request.form.get("name", "").strip()[:250]
        if service is None:
            slug = re.sub(r"[^a-z0-9]+", "-", (request.form.get("slug") or name).lower()).strip("-")[:80]
            if not slug:
                flash(_("Nama layanan wajib diisi."), "error")
                return redirect(url_for("admin.services"), code=303)
            service = Service(slug=slug)
        service.name = name or service.name
        service.unit_id, service.active = _int("unit"), request.form.get("active") == "1"
        db.session.add(service)
        return _save(_("Layanan disimpan."), "admin.services")
    return render_template("admin/services.html",
                           services=db.session.scalars(select(Service).order_by(Service.name)).all(),
                           units=_units())


@bp.route("/kalender", methods=["GET", "POST"])
@admin_only
def calendar():
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.form.get("day", ""))
        except ValueError:
            flash(_("Tanggal tidak valid."), "error")
            return redirect(url_for("admin.calendar"), code=303)
        change = db.session.get(CalendarChange, day)
        if request.form.get("op") == "delete":
            if change is None:
                abort(404)
            db.session.delete(change)
        else:
            change = change or CalendarChange(day=day)
            change.closed = request.form.get("closed") != "0"
            change.name = request.form.get("name", "").strip()[:200]
            db.session.add(change)
        response = _save(_("Kalender disimpan."), "admin.calendar")
        # One calendar for everything: open complaints' due dates and pending reminders follow now.
        from helpdesk.reminders.service import resync
        moved = resync()["due_moved"]
        if moved:
            flash(_("Batas jawaban %(n)d pengaduan terbuka disesuaikan dengan kalender.", n=moved), "info")
        return response
    changes = db.session.scalars(select(CalendarChange).order_by(CalendarChange.day.desc())).all()
    return render_template("admin/calendar.html", changes=changes)


@bp.get("/kanal")
@admin_only
def channels():
    states = db.session.scalars(select(ChannelState).order_by(ChannelState.name)).all()
    return render_template("admin/channels.html", states=states,
                           public_url=current_app.config["PUBLIC_URL"].strip())


@bp.get("/penjadwal")
@admin_only
def scheduler():
    from helpdesk.scheduler import status
    now = utcnow()
    jobs = status.jobs(now)
    return render_template("admin/scheduler.html", jobs=jobs, alive=status.scheduler_alive(jobs, now),
                           backlog=status.reminder_backlog(now), mode=current_app.config["SCHEDULER"])
