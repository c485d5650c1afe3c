"""The web layer's shared wiring: language choice, template helpers, security headers, errors."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, flash, g, jsonify, redirect, render_template, request
from flask_babel import Babel, gettext as _, refresh
from flask_wtf.csrf import CSRFError

from helpdesk.auth import public_route
from helpdesk.rules.lifecycle import LABELS, Status

babel = Babel()
bp = Blueprint("lang", __name__)
LANG_COOKIE = "lang"


def languages(app=None) -> list[str]:
    from flask import current_app
    return [x.strip() for x in (app or current_app).config["LANGUAGES"].split(",") if x.strip()]


def select_locale() -> str:
    """The visitor's choice from the cookie, else the office's default (Indonesian)."""
    choice = request.cookies.get(LANG_COOKIE)
    return choice if choice in languages() else languages()[0]


@bp.get("/bahasa/<code>")
@public_route
def switch_language(code: str):
    target = request.args.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):  # no open redirects
        target = "/"
    response = redirect(target)
    if code in languages():
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


def local_time(value: datetime | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
    """A stored UTC time in the office's zone."""
    from helpdesk.office_calendar import office_calendar
    if value is None:
        return "–"
    return office_calendar().local(value).strftime(fmt)


def status_label(value: str) -> str:
    try:
        pair = LABELS[Status(value)]
    except ValueError:
        return value
    return pair[1] if g.get("lang") == "en" else pair[0]


# What the reporter reads in the public history, per event action (Indonesian, English).
EVENT_LABELS = {
    "created": ("Laporan diterima", "Report received"), "kind": ("Jenis laporan ditetapkan", "Kind decided"),
    "due": ("Batas waktu jawaban ditetapkan", "Answer due date set"), "status": ("Status berubah", "Status changed"),
    "reply": ("Keterangan dari pelapor", "Information from the reporter"),
    "sent_reply": ("Pesan petugas dikirim", "Message from the office sent"),
    "sent_answer": ("Jawaban dikirim", "Answer sent"), "sent_ack": ("Tanda terima dikirim", "Acknowledgement sent"), "pause": ("Menunggu keterangan pelapor", "Waiting for the reporter"),
    "resume": ("Penanganan dilanjutkan", "Handling resumed"), "merged_into": ("Digabung dengan laporan lain", "Merged"),
}


# Stored values shown to people, per vocabulary (Indonesian, English).
VALUE_LABELS = {
    "kind": {"complaint": ("pengaduan", "complaint"), "suggestion": ("saran/masukan", "suggestion")},
    "channel": {"email": ("e-mail", "e-mail"), "telegram": ("Telegram", "Telegram"),
                "whatsapp": ("WhatsApp", "WhatsApp"), "web": ("formulir web", "web form"),
                "api": ("API", "API"), "phone": ("telepon", "phone"), "letter": ("surat", "letter"),
                "walk_in": ("datang langsung", "walk-in"), "box": ("kotak pengaduan", "complaint box")},
    "tier": {"internal": ("internal", "internal"), "technical": ("tim teknis / instansi lain",
                                                                 "technical team / other agency"),
             "apip": ("APIP", "APIP")},
    "direction": {"inbound": ("masuk", "inbound"), "outbound": ("keluar", "outbound"),
                  "note": ("catatan internal", "internal note")},
}


def value_label(value: str | None, vocabulary: str) -> str:
    """A stored value (channel, kind, tier, direction) in the visitor's language."""
    pair = VALUE_LABELS[vocabulary].get(value or "")
    if pair is None:
        return value or "–"
    return pair[1] if g.get("lang") == "en" else pair[0]


EVENT_VALUE_VOCABULARY = {"status": "status", "created": "status", "kind": "kind", "tier": "tier"}


def event_value(value: str | None, action: str) -> str:
    """An event's before/after value in words where the action has a vocabulary (status, kind, tier)."""
    vocabulary = EVENT_VALUE_VOCABULARY.get(action)
    if not value or vocabulary is None:
        return value or ""
    return status_label(value) if vocabulary == "status" else value_label(value, vocabulary)


def level_label(ticket) -> str:
    """Where an internal ticket stands on its unit's chain: staff, head of unit … head of office."""
    from helpdesk.rules.routing import level_name
    chain = ticket.unit.chain() if ticket.unit else []
    try:
        return level_name(ticket.escalation_level, len(chain) + 1, g.get("lang", "id"))
    except ValueError:
        return str(ticket.escalation_level)


def event_label(action: str) -> str:
    pair = EVENT_LABELS.get(action)
    if pair is None:
        return action
    return pair[1] if g.get("lang") == "en" else pair[0]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", languages(app)[0])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(event_label, "event_label")
    app.add_template_filter(value_label, "label")
    app.add_template_filter(event_value, "event_value")
    app.add_template_filter(level_label, "level_label")
    app.view_functions["static"].public = True

    @app.before_request
    def _language():
        refresh()  # an outer app context (tests, CLI) would otherwise keep the last request's locale
        g.lang = select_locale()

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        return _page(exc, 400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman dan coba lagi."))

    @app.errorhandler(413)
    def _too_large(exc):
        return _page(exc, 413, _("Berkas yang dikirim terlalu besar."))

    @app.errorhandler(429)
    def _too_many(exc):
        return _page(exc, 429, _("Terlalu banyak permintaan. Coba lagi nanti."))

    @app.errorhandler(403)
    def _forbidden(exc):
        return _page(exc, 403, _("Anda tidak berwenang membuka halaman ini."))

    @app.errorhandler(404)
    def _not_found(exc):
        return _page(exc, 404, _("Halaman tidak ditemukan."))


def _page(exc, code: int, message: str):
    if request.path.startswith("/api/"):  # the API answers in its own documented JSON shape
        from helpdesk.api import error_response
        return error_response(exc)
    return render_template("errors.html", code=code, message=message), code


def flash_error(exc: Exception) -> None:
    """A lifecycle or routing refusal, in the visitor's language."""
    message = getattr(exc, "message_en", None) if g.get("lang") == "en" else None
    flash(message or str(exc), "error")
