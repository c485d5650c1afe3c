"""The words of stored tickets as the classifier reads them: subject and first report."""
from __future__ import annotations

from sqlalchemy import func, select

from helpdesk.classify.normalise import complaint_text
from helpdesk.extensions import db
from helpdesk.tickets.models import Message, Ticket


def ticket_texts(tickets) -> dict[int, str]:
    """ticket id -> its complaint text, for the tickets a select of Ticket ids picks."""
    picked = tickets.subquery()
    first = (select(Message.ticket_id, func.min(Message.id).label("message_id"))
             .where(Message.ticket_id.in_(select(picked.c.id)), Message.direction == "inbound")
             .group_by(Message.ticket_id).subquery())
    rows = db.session.execute(
        select(Ticket.id, Ticket.subject, Message.text)
        .join(first, first.c.ticket_id == Ticket.id).join(Message, Message.id == first.c.message_id))
    return {ticket_id: complaint_text(subject, text) for ticket_id, subject, text in rows}
