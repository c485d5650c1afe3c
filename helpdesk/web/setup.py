"""The web layer's shared wiring: language choice, template helpers, security headers, errors."""
from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, Flask, flash, g, jsonify, redirect, render_template, request
from flask_babel import Babel, gettext as _, refresh
from flask_wtf.csrf import CSRFError

from helpdesk.auth import public_route
from helpdesk.inputs import whole_number
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


def local_target(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: ``next=`` must never lead elsewhere.

    Browsers read a backslash as a slash and drop tabs and newlines anywhere in a URL, so a
    slash, backslash, "evil" or a slash, tab, slash, "evil" is //evil to them: any backslash or
    control character is refused.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    return target


@bp.get("/bahasa/<code>")
@public_route
def switch_language(code: str):
    response = redirect(local_target(request.args.get("next")) or "/")
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


# Event actions in words (Indonesian, English): the reporter's public history shows the public ones,
# the staff history all of them.
EVENT_LABELS = {
    "created": ("Laporan diterima", "Report received"), "kind": ("Jenis laporan ditetapkan", "Kind decided"),
    "due": ("Batas waktu jawaban ditetapkan", "Answer due date set"), "status": ("Status berubah", "Status changed"),
    "reply": ("Keterangan dari pelapor", "Information from the reporter"),
    "sent_reply": ("Pesan petugas dikirim", "Message from the office sent"),
    "sent_answer": ("Jawaban dikirim", "Answer sent"), "sent_ack": ("Tanda terima dikirim", "Acknowledgement sent"), "pause": ("Menunggu keterangan pelapor", "Waiting for the reporter"),
    "resume": ("Penanganan dilanjutkan", "Handling resumed"), "merged_into": ("Digabung dengan laporan lain", "Merged"),
    # Staff only
    "assign": ("Ditugaskan kepada petugas", "Assigned"), "entered_by": ("Dicatat oleh petugas", "Entered by staff"),
    "component": ("Komponen layanan ditetapkan", "Service-standard component set"),
    "service": ("Layanan ditetapkan", "Service set"),
    "classification_confirmed": ("Klasifikasi dikonfirmasi", "Classification confirmed"),
    "tier": ("Tingkat penanganan ditetapkan", "Resolution tier set"), "escalate": ("Dinaikkan ke atasan", "Escalated"),
    "analysis_core_problem": ("Analisis: pokok masalah", "Analysis: core problem"),
    "analysis_regulation_ref": ("Analisis: SP/SOP/peraturan terkait", "Analysis: related standard or regulation"),
    "analysis_handling_plan": ("Analisis: rencana penanganan", "Analysis: handling plan"),
    "analysis_actions_taken": ("Analisis: tindakan yang dilakukan", "Analysis: actions taken"),
    "note": ("Catatan internal", "Internal note"),
    "held_message": ("Pesan dari pengirim tak dikenal ditahan", "Message from an unknown sender held"),
    "accept_held": ("Pesan yang ditahan diterima", "Held message accepted"),
    "auto_reply": ("Balasan otomatis diterima", "Automatic reply received"),
    "delivery_failure": ("Pemberitahuan gagal kirim diterima", "Bounce received"),
    "delivery_failed": ("Pengiriman gagal", "Delivery failed"),
    "merged_from": ("Laporan lain digabung ke tiket ini", "Another report merged into this one"),
    "apip_requested": ("Persetujuan penerusan ke APIP diminta", "APIP referral approval requested"),
    "apip_declined": ("Penerusan ke APIP tidak disetujui", "APIP referral declined"),
    "result_report": ("Hasil penanganan dilaporkan ke atasan", "Result reported to the superior"),
    "sla_reminder": ("Pengingat tenggat dikirim", "Deadline reminder sent"),
    "sla_escalation": ("Eskalasi otomatis karena lewat tenggat", "Automatic escalation, past due"),
    "survey_invited": ("Undangan survei kepuasan dikirim", "Satisfaction survey invitation sent"),
    "survey_answered": ("Survei kepuasan diisi", "Satisfaction survey answered"),
}


# Stored values shown to people, per vocabulary (Indonesian, English).
VALUE_LABELS = {
    "kind": {"complaint": ("pengaduan", "complaint"), "suggestion": ("saran/masukan", "suggestion")},
    "channel": {"email": ("e-mail", "e-mail"), "telegram": ("Telegram", "Telegram"),
                "whatsapp": ("WhatsApp", "WhatsApp"), "web": ("formulir web", "web form"),
                "api": ("API", "API"), "phone": ("telepon", "phone"), "letter": ("surat", "letter"),
                "walk_in": ("datang langsung", "walk-in"), "box": ("kotak pengaduan", "complaint box"),
                "smtp": ("e-mail keluar (SMTP)", "outgoing e-mail (SMTP)")},
    "tier": {"internal": ("internal", "internal"), "technical": ("tim teknis / instansi lain",
                                                                 "technical team / other agency"),
             "apip": ("APIP", "APIP")},
    "direction": {"inbound": ("masuk", "inbound"), "outbound": ("keluar", "outbound"),
                  "note": ("catatan internal", "internal note")},
    "role": {"officer": ("petugas", "officer"), "supervisor": ("atasan", "supervisor"),
             "head": ("kepala kantor", "head of office"), "admin": ("administrator", "administrator")},
    # Who wrote an event besides staff (shown by e-mail): the system, the classifier, a channel, the reporter.
    "actor": {"system": ("sistem", "system"), "classifier": ("klasifikasi otomatis", "classifier"),
              "pelapor": ("pelapor", "reporter")},
    # Reminder rows (helpdesk.rules.sla); "<series>_wd<n>" is the mark after n working days.
    "reminder": {"answer_due": ("hari tenggat jawaban", "answer due day"),
                 "answer_wd": ("jawaban, hari kerja ke-%(n)s", "answer, working day %(n)s"),
                 "verification_due": ("tenggat verifikasi", "verification due"),
                 "verification_wd": ("verifikasi, hari kerja ke-%(n)s", "verification, working day %(n)s"),
                 "analysis_due": ("tenggat analisis", "analysis due"),
                 "analysis_wd": ("analisis, hari kerja ke-%(n)s", "analysis, working day %(n)s"),
                 "escalate_next": ("naik satu tingkat", "one level up"),
                 "escalate_l": ("naik ke tingkat %(n)s", "up to level %(n)s"),
                 "escalate_head": ("naik ke Kepala Kantor", "up to the head of office")},
}
VALUE_LABELS["actor"].update(VALUE_LABELS["channel"])  # an event written by the intake names its channel
_MARK = re.compile(r"^([a-z]+_(?:wd|l))(\d+)$")  # answer_wd7, escalate_l2


def value_label(value: str | None, vocabulary: str) -> str:
    """A stored value (channel, kind, tier, direction, role, actor, reminder) in the visitor's language."""
    labels, n = VALUE_LABELS[vocabulary], None
    if vocabulary == "reminder" and (mark := _MARK.match(value or "")):
        value, n = mark.groups()
    pair = labels.get(value or "")
    if pair is None:
        return value or "–"
    text = pair[1] if g.get("lang") == "en" else pair[0]
    return text % {"n": n} if n is not None else text


EVENT_VALUE_VOCABULARY = {"status": "status", "created": "status", "kind": "kind", "tier": "tier",
                          "entered_by": "channel", "delivery_failed": "channel", "survey_answered": "channel",
                          "sla_reminder": "reminder", "sla_escalation": "reminder"}
EVENT_TIMES = {"due", "pause", "resume"}  # events whose values are instants (ISO 8601)
EVENT_TARGETS = {"sent_reply", "sent_answer", "sent_ack", "survey_invited"}  # "channel:recipient" or "web"


def event_value(value: str | None, action: str, ticket=None) -> str:
    """An event's before/after value in words: a status, a component, a time, a channel, a chain level…"""
    if not value:
        return ""
    vocabulary = EVENT_VALUE_VOCABULARY.get(action)
    if vocabulary == "status":
        return status_label(value)
    if vocabulary is not None:
        return ", ".join(value_label(v, vocabulary) for v in value.split(","))
    if action in EVENT_TIMES:
        try:
            return local_time(datetime.fromisoformat(value))
        except ValueError:
            return value
    if action in EVENT_TARGETS:
        channel, _sep, recipient = value.partition(":")
        if channel == "web" and not recipient:
            return _("halaman status")
        return f"{value_label(channel, 'channel')} {recipient}".strip()
    if action in ("component", "classification_confirmed"):
        return _component_name(value)
    if action == "service":
        return _service_name(value)
    if action == "escalate" and ticket is not None and (level := whole_number(value)) is not None:
        return _level_name(ticket, level)
    return value


def _component_name(slug: str) -> str:
    from helpdesk.catalog.models import Component
    from helpdesk.extensions import db
    component = db.session.get(Component, slug)
    if component is None:
        return slug
    return component.name_en if g.get("lang") == "en" else component.name_id


def _service_name(value: str) -> str:
    from helpdesk.catalog.models import Service
    from helpdesk.extensions import db
    number = whole_number(value)
    service = db.session.get(Service, number) if number is not None else None
    return service.name if service is not None else value


def _level_name(ticket, level: int) -> str:
    from helpdesk.rules.routing import level_name
    chain = ticket.unit.chain() if ticket.unit else []
    try:
        return level_name(level, len(chain) + 1, g.get("lang", "id"))
    except ValueError:
        return str(level)


def level_label(ticket) -> str:
    """Where an internal ticket stands on its unit's chain: staff, head of unit … head of office."""
    return _level_name(ticket, ticket.escalation_level)


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
