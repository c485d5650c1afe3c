"""Helpers for the reminder and scheduler tests: an office with a chain, a frozen clock, many tickets."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from helpdesk.catalog.models import Unit
from helpdesk.extensions import db
from helpdesk.outbox.models import OutboxItem
from helpdesk.reminders.models import Reminder
from helpdesk.tickets.models import Ticket
from helpdesk.users.models import User

WIB = ZoneInfo("Asia/Jakarta")
CLOCKS = ("helpdesk.reminders.service.utcnow", "helpdesk.reminders.sweep.utcnow",
          "helpdesk.reminders.digest.utcnow")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def freeze(monkeypatch, at: datetime) -> None:
    """Every clock the reminders read says ``at`` (the scheduler's own timing stays real)."""
    for target in CLOCKS:
        monkeypatch.setattr(target, lambda at=at: at)


def user(email: str, role: str, **kw) -> User:
    u = User(email=email, role=role, name=email.split("@")[0].title(), **kw)
    db.session.add(u)
    db.session.flush()
    return u


def office() -> dict:
    """Kantor (head: kepala) above Bidang Perizinan (lead: kabid) with an officer and a supervisor."""
    people = {"kepala": user("kepala@kantor.go.id", "head"), "kabid": user("kabid@kantor.go.id", "supervisor"),
              "petugas": user("petugas@kantor.go.id", "officer", telegram_chat_id="5550001"),
              "atasan": user("atasan@kantor.go.id", "supervisor")}
    kantor = Unit(name="Kantor", lead_id=people["kepala"].id)
    db.session.add(kantor)
    db.session.flush()
    bidang = Unit(name="Bidang Perizinan", parent_id=kantor.id, lead_id=people["kabid"].id)
    db.session.add(bidang)
    db.session.flush()
    db.session.commit()
    return {**people, "kantor": kantor, "bidang": bidang}


def make_tickets(n: int, received: datetime, *, due: datetime, status: str = "received") -> list[int]:
    """Insert n bare complaints in bulk (no intake, no signals); returns their ids."""
    rows = [{"number": f"ADU-2026-{i:06d}", "kind": "complaint", "kind_code": "ok", "kind_reason": "lengkap",
             "status": status, "channel": "web", "subject": f"Berkas {i}", "received_at": received,
             "clock_started_at": received, "due_at": due, "escalation_level": 0, "confidential": False,
             "classification_confirmed": False, "expected_outcome": "", "core_problem": "", "regulation_ref": "",
             "handling_plan": "", "actions_taken": ""} for i in range(1, n + 1)]
    db.session.execute(insert(Ticket), rows)
    db.session.commit()
    return list(db.session.scalars(select(Ticket.id).order_by(Ticket.id)))


def sent_kinds(ticket_id: int) -> dict[str, datetime]:
    return {r.kind: r.sent_at for r in db.session.scalars(
        select(Reminder).where(Reminder.ticket_id == ticket_id, Reminder.sent_at.is_not(None)))}


def outbox(**filters) -> list[OutboxItem]:
    return list(db.session.scalars(select(OutboxItem).filter_by(**filters).order_by(OutboxItem.id)))
