"""Who may see a confidential reporter's identity: only the roles that handle the complaint."""
from __future__ import annotations

HANDLERS = ("officer", "supervisor", "head")
MASK = "•••• (dirahasiakan)"


def can_see_identity(user, ticket) -> bool:
    """Officers see it unless another officer holds the ticket; admins never see it."""
    if not ticket.confidential:
        return True
    if user.role not in HANDLERS:
        return False
    return user.role != "officer" or ticket.assignee_id in (None, user.id)


def reporter_label(user, ticket) -> str:
    if ticket.reporter is None:
        return "—"
    if not can_see_identity(user, ticket):
        return MASK
    contacts = ", ".join(c.value for c in ticket.reporter.contacts)
    return f"{ticket.reporter.name or '—'} ({contacts})" if contacts else (ticket.reporter.name or "—")
