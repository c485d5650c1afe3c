"""The words of reminders, escalations and the digest sent to staff (office language first)."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext as _

from helpdesk.rules.lifecycle import LABELS, Status
from helpdesk.tickets.models import Ticket


@dataclass(frozen=True)
class Note:
    """One notification: e-mail subject and body, and the short form for a chat."""

    subject: str
    text: str
    short: str


@contextmanager
def office_language():
    """Jobs run outside a request: speak the office's first language."""
    with force_locale(current_app.config["LANGUAGES"].split(",")[0].strip() or "id"):
        yield


def when(cal, at: datetime | None) -> str:
    if at is None:
        return "–"
    local = cal.local(at)
    return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"


def status_label(value: str) -> str:
    pair = LABELS.get(Status(value), (value, value))
    return pair[1] if current_app.config["LANGUAGES"].split(",")[0].strip() == "en" else pair[0]


def stage_label(name: str) -> str:
    return {"verification": _("verifikasi"), "analysis": _("analisis")}.get(name, name)


def ticket_link(ticket: Ticket) -> str:
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}/petugas/tiket/{ticket.number}" if base else f"/petugas/tiket/{ticket.number}"


def details(ticket: Ticket, cal) -> str:
    """The lines every staff notification ends with."""
    assignee = (ticket.assignee.name or ticket.assignee.email) if ticket.assignee else _("belum ditugaskan")
    return "\n".join([
        _("Tiket: %(number)s — %(subject)s", number=ticket.number, subject=ticket.subject or "–"),
        _("Status: %(status)s", status=status_label(ticket.status)),
        _("Petugas: %(name)s", name=assignee),
        _("Unit: %(unit)s", unit=ticket.unit.name if ticket.unit else "–"),
        _("Batas jawaban: %(due)s", due=when(cal, ticket.due_at)),
        _("Buka tiket: %(link)s", link=ticket_link(ticket)),
        "",
        _("Pesan ini dikirim otomatis oleh helpdesk pengaduan."),
    ])


def answer_line(ticket: Ticket, cal, left: int) -> str:
    due = when(cal, ticket.due_at)
    if left > 0:
        return _("Sisa %(left)d hari kerja sampai batas jawaban %(due)s.", left=left, due=due)
    if left == 0:
        return _("Batas jawaban hari ini, %(due)s.", due=due)
    return _("Batas jawaban %(due)s sudah lewat %(days)d hari kerja.", due=due, days=-left)


def reminder(ticket: Ticket, cal, left: int, stages: list[tuple[str, datetime]], folded: int) -> Note:
    """A reminder to the handler: where the answer clock stands, and any stage target due."""
    lines = [answer_line(ticket, cal, left)]
    for name, deadline in stages:
        lines.append(_("Tahap %(stage)s harus selesai paling lambat %(when)s.", stage=stage_label(name),
                       when=when(cal, deadline)))
    if folded > 1:
        lines.append(_("(%(n)d pengingat yang tertunda digabung dalam pesan ini.)", n=folded))
    headline = lines[0] if not stages or left <= 0 else lines[1]
    subject = f"[{ticket.number}] " + _("Pengingat: %(headline)s", headline=headline)
    return Note(subject, "\n".join(lines) + "\n\n" + details(ticket, cal),
                f"[{ticket.number}] {headline}\n{ticket_link(ticket)}")


def escalation(ticket: Ticket, cal, level: str | None, overdue_days: int) -> Note:
    """To the level the ticket was raised to (``level`` None: it stayed where it was)."""
    if level:
        head = _("Tiket %(number)s melewati batas jawaban dan dinaikkan ke %(level)s.",
                 number=ticket.number, level=level)
    else:
        head = _("Tiket %(number)s belum dijawab %(days)d hari kerja setelah batas jawaban.",
                 number=ticket.number, days=overdue_days)
    subject = f"[{ticket.number}] " + _("Eskalasi: melewati batas jawaban")
    return Note(subject, head + "\n\n" + details(ticket, cal), f"{head}\n{ticket_link(ticket)}")
