"""Queue outbound messages and deliver them through the channel senders, with retries."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from channels.base import SENDERS, DeliveryError, OutboundMessage
from channels.mail.ids import make_message_id
from helpdesk.claims import claim_ids
from helpdesk.extensions import db
from helpdesk.outbox.models import OutboxItem
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=6)]
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=10)  # a claim older than this belongs to a worker that died


def enqueue(*, channel: str, recipient: str, text: str, kind: str, ticket: Ticket | None = None,
            subject: str = "", html: str | None = None, external_id: str | None = None,
            in_reply_to: str | None = None, references: tuple[str, ...] = (),
            dedupe_key: str | None = None, message_id: int | None = None,
            buttons: tuple[tuple[str, str], ...] = ()) -> OutboxItem:
    """Add a message to the outbox (flushed, not committed: it is sent once the caller commits)."""
    if dedupe_key:
        existing = db.session.scalar(select(OutboxItem).filter_by(dedupe_key=dedupe_key))
        if existing is not None:
            return existing
    item = OutboxItem(channel=channel, recipient=recipient, text=text, kind=kind, subject=subject[:300],
                      html=html, buttons=json.dumps([list(b) for b in buttons]) if buttons else None,
                      external_id=external_id, in_reply_to=in_reply_to,
                      references=" ".join(references), dedupe_key=dedupe_key, message_id=message_id,
                      ticket_id=ticket.id if ticket is not None else None, next_attempt_at=utcnow())
    db.session.add(item)
    db.session.flush()
    return item


def deliver_pending(*, worker: str, now: datetime | None = None, limit: int = 50) -> dict:
    """Send what is due; each item is claimed by one worker and committed on its own."""
    now = now or utcnow()
    db.session.execute(update(OutboxItem)
                       .where(OutboxItem.status == "sending", OutboxItem.claimed_at < now - LEASE)
                       .values(status="pending", claimed_by=None))
    ids = claim_ids(OutboxItem, ready=[OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now],
                    order_by=[OutboxItem.next_attempt_at, OutboxItem.id], limit=limit,
                    values={"status": "sending", "claimed_by": worker, "claimed_at": now})
    db.session.commit()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for item_id in ids:
        counts[_deliver_one(db.session.get(OutboxItem, item_id), now)] += 1
        db.session.commit()
    return counts


def _deliver_one(item: OutboxItem, now: datetime) -> str:
    send = SENDERS.get(item.channel)
    try:
        if send is None:
            raise DeliveryError(f"channel {item.channel!r} has no sender configured")
        external = send(_outbound(item), current_app.config)
    except Exception as exc:  # any failure of a channel is recorded, never lost
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        item.attempts += 1
        item.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        item.claimed_by = None
        if permanent or item.attempts >= MAX_ATTEMPTS:
            item.status = "failed"
            if item.ticket is not None:
                operations.record(item.ticket, "delivery_failed", None, item.channel, actor="system",
                                  note=f"{item.recipient}: {item.last_error}")
            logger.error("outbox %s failed for good: %s", item.id, item.last_error)
            return "failed"
        item.status = "pending"
        item.next_attempt_at = now + BACKOFF[item.attempts - 1]
        logger.warning("outbox %s attempt %d failed: %s", item.id, item.attempts, item.last_error)
        return "retry"
    item.status, item.sent_at, item.attempts = "sent", utcnow(), item.attempts + 1
    item.external_id = external or item.external_id
    return "sent"


def _outbound(item: OutboxItem) -> OutboundMessage:
    return OutboundMessage(
        channel=item.channel, recipient=item.recipient, text=item.text, subject=item.subject,
        html=item.html, message_id=item.external_id, in_reply_to=item.in_reply_to,
        references=tuple(item.references.split()) if item.references else (),
        ticket_number=item.ticket.number if item.ticket is not None else None, kind=item.kind,
        buttons=tuple(tuple(b) for b in json.loads(item.buttons)) if item.buttons else ())


def reply_target(ticket: Ticket) -> tuple[str, str] | None:
    """Where the reporter hears from us: their preferred contact, else the channel they used."""
    reporter = ticket.reporter
    if reporter is None:
        return None
    if reporter.preferred_contact and ":" in reporter.preferred_contact:
        kind, value = reporter.preferred_contact.split(":", 1)
        return kind, value
    own = {"email": "email", "telegram": "telegram", "whatsapp": "whatsapp"}.get(ticket.channel)
    if own and reporter.contact(own):
        return own, reporter.contact(own)
    for kind in ("email", "whatsapp", "telegram"):  # staff-entered and web reports
        if reporter.contact(kind):
            return kind, reporter.contact(kind)
    return None


def send_to_reporter(ticket: Ticket, text: str, *, kind: str = "reply", user=None,
                     subject: str | None = None, html: str | None = None, public: bool = True):
    """Record an outbound message on the ticket and queue it on the reporter's channel.

    Without a reachable contact the message still stands on the ticket (and the public status
    page); the event says it was not sent. ``public=False`` keeps it (an acknowledgement) out of
    the conversation the reporter reads there.
    """
    from helpdesk.tickets.models import Message

    target = reply_target(ticket)
    channel, recipient = target if target else ("web", None)
    external_id = None
    if channel == "email":
        external_id = make_message_id(current_app.config["MAIL_DOMAIN"], ticket.number)
    subject = subject or f"[{ticket.number}] {ticket.subject}".strip()
    thread = [m.external_id for m in ticket.messages
              if m.channel == "email" and m.external_id and m.external_id.startswith("<")]
    message = Message(ticket_id=ticket.id, direction="outbound", channel=channel, external_id=external_id,
                      author_user_id=getattr(user, "id", None), sender=None, subject=subject[:300],
                      text=text, html=html, public=public)
    db.session.add(message)
    db.session.flush()
    if recipient:
        enqueue(channel=channel, recipient=recipient, text=text, kind=kind, ticket=ticket, subject=subject,
                html=html, external_id=external_id, in_reply_to=thread[-1] if thread else None,
                references=tuple(t.split("#")[0] for t in thread[-10:]), message_id=message.id)
    operations.record(ticket, f"sent_{kind}", None, f"{channel}:{recipient}" if recipient else "web",
                      user=user, public=True,
                      note="" if recipient else "tidak ada kontak; jawaban tampil di halaman status")
    return message


def mark_bounced(ticket: Ticket, message_ids, reason: str) -> int:
    """Our mails that came back undelivered end as failed, with the bounce's reason; returns how many.

    ``message_ids`` are the returned mails' own Message-IDs: the earlier mails of the thread they
    name in References were delivered, and stay so.
    """
    if not message_ids:
        return 0
    items = db.session.scalars(select(OutboxItem).where(
        OutboxItem.ticket_id == ticket.id, OutboxItem.channel == "email",
        OutboxItem.external_id.in_(list(message_ids)))).all()
    for item in items:
        item.status, item.last_error = "failed", f"bounced: {reason}"[:2000]
    return len(items)
