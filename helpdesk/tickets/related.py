"""Earlier tickets on the same matter (R5): same reporter, then same service."""
from __future__ import annotations

from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket


def related_tickets(ticket: Ticket, limit: int = 8) -> list[tuple[Ticket, str]]:
    """(ticket, why) pairs, most relevant first, never the ticket itself."""
    found: dict[int, tuple[Ticket, str]] = {}
    if ticket.reporter_id:
        for t in db.session.scalars(select(Ticket).where(Ticket.reporter_id == ticket.reporter_id,
                                                         Ticket.id != ticket.id)
                                    .order_by(Ticket.received_at.desc()).limit(limit)):
            found.setdefault(t.id, (t, "same_reporter"))
    if ticket.service_id and len(found) < limit:
        for t in db.session.scalars(select(Ticket).where(Ticket.service_id == ticket.service_id,
                                                         Ticket.id != ticket.id)
                                    .order_by(Ticket.received_at.desc()).limit(limit - len(found))):
            found.setdefault(t.id, (t, "same_service"))
    return list(found.values())[:limit]
