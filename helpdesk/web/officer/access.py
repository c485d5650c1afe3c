"""A confidential reporter's identity on the officer pages: the label, and masking inside texts."""
from __future__ import annotations

from helpdesk.tickets.identity import Redactor, can_see_identity

MASK = "•••• (dirahasiakan)"


def reporter_label(user, ticket) -> str:
    if ticket.reporter is None:
        return "—"
    if not can_see_identity(user, ticket):
        return MASK
    contacts = ", ".join(c.value for c in ticket.reporter.contacts)
    return f"{ticket.reporter.name or '—'} ({contacts})" if contacts else (ticket.reporter.name or "—")


def redactor(user, ticket) -> Redactor:
    """Masks the reporter's name and contacts in subjects, messages and history for ``user``."""
    return Redactor(ticket, not can_see_identity(user, ticket), MASK)


__all__ = ["MASK", "can_see_identity", "redactor", "reporter_label"]
