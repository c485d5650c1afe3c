"""Staff login, logout and password change; accounts lock after repeated failures."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from helpdesk.auth import STAFF, public_route, roles_required
from helpdesk.extensions import db, limiter
from helpdesk.timeutil import utcnow
from helpdesk.users import telegram_link
from helpdesk.users.models import User
from helpdesk.web.setup import local_target

bp = Blueprint("auth", __name__)
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    return local_target(target) or url_for("officer.queue")


def check_login(email: str, password: str) -> tuple[User | None, str | None]:
    """The user when the password is right and the account usable, else (None, why)."""
    cfg = current_app.config
    now = utcnow()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        from werkzeug.security import check_password_hash
        check_password_hash(_DUMMY_HASH, password)  # same work as a real check: no user probing by timing
        return None, _("E-mail atau kata sandi salah.")
    if user.locked_until is not None and user.locked_until > now:
        return None, _("Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti.")
    if not user.check_password(password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.commit()
        return None, _("E-mail atau kata sandi salah.")
    if not user.active:
        return None, _("Akun ini tidak aktif.")
    user.failed_logins, user.locked_until = 0, None
    db.session.commit()
    return user, None


@bp.route("/masuk", methods=["GET", "POST"])
@public_route
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if request.method == "POST":
        user, error = check_login(request.form.get("email", ""), request.form.get("password", ""))
        if user is not None:
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        flash(error, "error")
        return render_template("auth/login.html", email=request.form.get("email", "")), 401
    return render_template("auth/login.html", email="")


@bp.post("/keluar")
@roles_required(*STAFF)
def logout():
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/sandi", methods=["GET", "POST"])
@roles_required(*STAFF)
def password():
    if request.method == "POST":
        current, new, again = (request.form.get(k, "") for k in ("current", "new", "again"))
        if not current_user.check_password(current):
            flash(_("Kata sandi lama salah."), "error")
        elif new != again:
            flash(_("Kedua isian kata sandi baru tidak sama."), "error")
        else:
            try:
                current_user.set_password(new)
            except ValueError:
                flash(_("Kata sandi baru minimal 10 karakter."), "error")
            else:
                db.session.commit()
                flash(_("Kata sandi telah diganti."), "info")
                return redirect(url_for("officer.queue"))
    return render_template("auth/password.html", telegram_on=telegram_link.configured(),
                           pending=session.get(LINK_KEY))


LINK_KEY = "telegram_link"


@bp.post("/sandi/telegram")
@roles_required(*STAFF)
@limiter.limit("20 per hour")  # each try may send a message to a chat
def telegram():
    """Link (proven by a code sent to the chat) or unlink the staff member's Telegram chat."""
    op, now = request.form.get("op", ""), utcnow()
    if op == "unlink":
        current_user.telegram_chat_id = None
        db.session.commit()
        flash(_("Telegram dilepas; notifikasi hanya lewat e-mail."), "info")
    elif op == "start":
        chat = request.form.get("chat_id", "").strip()
        if not telegram_link.configured():
            flash(_("Kanal Telegram belum diaktifkan di kantor ini."), "error")
        elif not telegram_link.valid_chat_id(chat):
            flash(_("ID obrolan Telegram berupa angka, mis. 123456789."), "error")
        else:
            session[LINK_KEY] = telegram_link.start(current_user, chat, now)
            db.session.commit()
            flash(_("Kode dikirim ke obrolan Telegram itu. Masukkan kode tersebut di bawah."), "info")
    elif op == "confirm":
        pending = session.get(LINK_KEY)
        chat = telegram_link.confirm(current_user, pending, request.form.get("code", ""), now)
        if chat is None:
            if pending:
                session[LINK_KEY] = {**pending, "tries": pending.get("tries", 0) + 1}
            flash(_("Kode salah atau kedaluwarsa."), "error")
        else:
            current_user.telegram_chat_id = chat
            session.pop(LINK_KEY, None)
            db.session.commit()
            flash(_("Telegram ditautkan; notifikasi juga dikirim ke sana."), "info")
    return redirect(url_for("auth.password"), code=303)
