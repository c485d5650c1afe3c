"""The acknowledgement to an e-mail reporter: number, complaint or suggestion and why, due date.

Sent through the outbox in the intake's own transaction, so it goes out once the ticket is
committed, threaded under the reporter's mail. Automatic mail is never acknowledged: that
is how mail loops between two auto-responders start.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _

from helpdesk.outbox.service import send_to_reporter
from helpdesk.rules import admissibility
from helpdesk.signals import ticket_created
from helpdesk.web.setup import languages

ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@ticket_created.connect
def acknowledge(ticket, inbound=None, tracking_token: str | None = None, **_kw) -> None:
    """Queue the acknowledgement of a new ticket that came by e-mail from a person."""
    if inbound is None or inbound.channel != "email" or inbound.automated or inbound.auto_reason:
        return
    lang = languages()[0]
    with force_locale(lang):
        reason = ticket.kind_reason
        if lang == "en" and ticket.kind_code != "officer_override":
            reason = admissibility._verdict(ticket.kind_code).reason_en
        text = render_template("mail/acknowledgement.txt", t=ticket, reason=reason,
                               name=ticket.reporter.name if ticket.reporter else None,
                               due=format_due(ticket.due_at, lang) if ticket.due_at else None,
                               link=status_link(ticket.number, tracking_token),
                               office=current_app.config["OFFICE_NAME"])
        subject = _("[%(number)s] Laporan Anda telah kami terima: %(subject)s", number=ticket.number,
                    subject=ticket.subject[:150])
    send_to_reporter(ticket, text, kind="ack", subject=subject, public=False)


def format_due(due: datetime, lang: str) -> str:
    """'Jumat, 27 Maret 2026 pukul 16.30 WIB' in the office's zone."""
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    local = due.astimezone(tz)
    day = format_date(local, "EEEE, d MMMM y", locale=lang)
    clock = format_time(local, "HH.mm" if lang == "id" else "HH:mm", locale=lang)
    return _("%(day)s pukul %(time)s %(zone)s", day=day, time=clock, zone=ZONES.get(str(tz), str(tz)))


def status_link(number: str, token: str | None) -> str | None:
    """The secret status link, when the site's public address is known (HELPDESK_PUBLIC_URL)."""
    base = current_app.config.get("PUBLIC_URL", "").strip()
    if not base or not token:
        return None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build("public.status_page", {"number": number, "t": token}, force_external=True)
