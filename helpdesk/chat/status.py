"""/status NUMBER: the state and public history of the reporter's own ticket, nobody else's."""
from __future__ import annotations

from sqlalchemy import select

from channels.chat import ChatReply
from helpdesk.chat.texts import t
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.rules.lifecycle import LABELS, Status
from helpdesk.tickets.models import Ticket

MAX_LINES = 15
_ACTIONS = {"created": ("Diterima", "Received"), "kind": ("Jenis laporan", "Kind"),
            "due": ("Batas waktu", "Due"), "pause": ("Menunggu keterangan Anda", "Waiting for you"),
            "resume": ("Penanganan dilanjutkan", "Handling resumed"), "reply": ("Pesan Anda", "Your message")}


def owns(ticket: Ticket, channel: str, contact_value: str) -> bool:
    """True when the ticket's reporter is reachable at this chat."""
    reporter = ticket.reporter
    return reporter is not None and any(c.kind == channel and c.value == contact_value
                                        for c in reporter.contacts)


def status_reply(channel: str, contact_value: str, number: str, lang: str) -> ChatReply:
    """The reply to /status; another reporter's ticket looks exactly like an unknown number."""
    ticket = db.session.scalar(select(Ticket).filter_by(number=number.upper()))
    if ticket is None or not owns(ticket, channel, contact_value):
        return ChatReply(t(lang, "status_unknown", number=number.upper()))
    en = lang == "en"
    tz = office_calendar().tz
    lines = []
    for ev in ticket.events:
        if not ev.public:
            continue
        if ev.action == "status":
            what = LABELS[Status(ev.after)][en]
        elif ev.action.startswith("sent_"):
            continue  # the message itself is listed below with its text
        else:
            what = _ACTIONS.get(ev.action, (ev.action, ev.action))[en]
            if ev.action == "kind":
                what += ": " + t(lang, f"kind_{ev.after}") if ev.after in ("complaint", "suggestion") else ""
            elif ev.action == "due" and ticket.due_at:
                what += ": " + ticket.due_at.astimezone(tz).strftime("%d-%m-%Y %H:%M")
        lines.append((ev.at, what))
    for msg in ticket.messages:
        if msg.direction == "outbound" and msg.public:
            lines.append((msg.created_at, ("Jawaban petugas: ", "Officer: ")[en] + msg.text[:300]))
    lines.sort(key=lambda pair: pair[0])
    history = "\n".join(f"{at.astimezone(tz):%d-%m-%Y %H:%M} — {what}" for at, what in lines[-MAX_LINES:])
    return ChatReply(t(lang, "status", number=ticket.number, label=LABELS[Status(ticket.status)][en],
                       history=history))
