"""Who hears about a ticket's clock, and queueing it: e-mail always, Telegram when linked."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from helpdesk.catalog.models import Unit
from helpdesk.extensions import db
from helpdesk.outbox.service import enqueue
from helpdesk.reminders.texts import Note
from helpdesk.rules.routing import Role
from helpdesk.tickets.models import Ticket
from helpdesk.users.models import User


def _active(user: User | None) -> bool:
    return user is not None and user.active


def with_role(*roles: Role) -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_([r.value for r in roles]),
                                                      User.active.is_(True)).order_by(User.id)))


def handlers(ticket: Ticket) -> list[User]:
    """The assignee; else the unit's lead; else the supervisors (nobody triaged the ticket yet)."""
    if _active(ticket.assignee):
        return [ticket.assignee]
    if ticket.unit is not None and _active(ticket.unit.lead):
        return [ticket.unit.lead]
    return with_role(Role.SUPERVISOR) or with_role(Role.HEAD)


def holder(chain: list[Unit], level: int) -> list[User]:
    """Who answers for chain level ``level`` (1 = the unit's head … len(chain) = head of office).

    A unit without a lead passes it to the next unit up; past the top it is the head of office.
    """
    for unit in chain[max(level, 1) - 1:]:
        if _active(unit.lead):
            return [unit.lead]
    return with_role(Role.HEAD) or with_role(Role.SUPERVISOR)


def channels(user: User) -> list[tuple[str, str]]:
    """(channel, address) pairs a staff member is notified on."""
    out = [("email", user.email)]
    if user.telegram_chat_id and current_app.config.get("TELEGRAM_BOT_TOKEN"):
        out.append(("telegram", user.telegram_chat_id))
    return out


def send(users: list[User], ticket: Ticket | None, note: Note, key: str) -> list[str]:
    """Queue ``note`` to each user on each of their channels, once per ``key``; returns the e-mails."""
    emails: dict[int, str] = {}
    for user in users:
        if user.id in emails:
            continue
        emails[user.id] = user.email
        for channel, address in channels(user):
            enqueue(channel=channel, recipient=address, kind="notification", ticket=ticket,
                    subject=note.subject, text=note.text if channel == "email" else note.short,
                    dedupe_key=f"{key}:{user.id}:{channel}")
    return list(emails.values())
