"""Tickets on the same matter (R5): same reporter, same service, similar text."""
from __future__ import annotations

from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket

SIMILAR_CANDIDATES = 300  # the most recent tickets compared by text, to keep the page fast


def related_tickets(ticket: Ticket, limit: int = 8) -> list[tuple[Ticket, str]]:
    """(ticket, why) pairs, most relevant first, never the ticket itself.

    ``why`` is ``same_reporter``, ``same_service`` or ``similar_text:<0..1>``.
    """
    found: dict[int, tuple[Ticket, str]] = {}
    if ticket.reporter_id:
        for t in db.session.scalars(select(Ticket).where(Ticket.reporter_id == ticket.reporter_id,
                                                         Ticket.id != ticket.id)
                                    .order_by(Ticket.received_at.desc()).limit(limit)):
            found.setdefault(t.id, (t, "same_reporter"))
    if ticket.service_id and len(found) < limit:
        # The weakest link: at most half the list, so similar texts still find room.
        for t in db.session.scalars(select(Ticket).where(Ticket.service_id == ticket.service_id,
                                                         Ticket.id != ticket.id)
                                    .order_by(Ticket.received_at.desc())
                                    .limit(min(limit - len(found), limit // 2))):
            found.setdefault(t.id, (t, "same_service"))
    if len(found) < limit:
        for t, score in similar_tickets(ticket, limit=limit - len(found)):
            # A like text says more than a shared service: it takes that reason's place.
            if found.get(t.id, (t, "same_service"))[1] == "same_service":
                found[t.id] = (t, f"similar_text:{score:.2f}")
    return list(found.values())[:limit]


def similar_tickets(ticket: Ticket, limit: int = 5) -> list[tuple[Ticket, float]]:
    """Other recent tickets whose complaint text is like this one's."""
    from helpdesk.classify.similar import rank_similar
    from helpdesk.classify.texts import ticket_texts

    recent = (select(Ticket.id).where(Ticket.id != ticket.id, Ticket.merged_into_id.is_(None))
              .order_by(Ticket.received_at.desc(), Ticket.id.desc()).limit(SIMILAR_CANDIDATES))
    own = ticket_texts(select(Ticket.id).where(Ticket.id == ticket.id)).get(ticket.id, "")
    texts = ticket_texts(recent)
    ranked = rank_similar(own, sorted(texts.items()), limit=limit)
    tickets = {t.id: t for t in db.session.scalars(select(Ticket).where(Ticket.id.in_([i for i, _ in ranked])))}
    return [(tickets[i], score) for i, score in ranked if i in tickets]
