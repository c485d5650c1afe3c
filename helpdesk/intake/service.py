"""The one path every channel feeds: InboundMessage in, ticket out, exactly once.

Intake is its own unit of work: it commits, so a channel acknowledges its source (IMAP
\\Seen, Telegram offset, webhook 200) only after this returns.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from channels.base import InboundMessage, storable
from helpdesk.catalog.models import Service
from helpdesk.extensions import db
from helpdesk.intake.contacts import normalise_contacts, normalise_email
from helpdesk.intake.models import QuarantineItem
from helpdesk.office_calendar import office_calendar
from helpdesk.outbox.service import mark_bounced
from helpdesk.rules import admissibility
from helpdesk.rules.lifecycle import Status
from helpdesk.signals import reporter_replied, ticket_created
from helpdesk.tickets import operations
from helpdesk.tickets.models import Attachment, Contact, Message, Reporter, Ticket, TicketCounter
from helpdesk.tickets.storage import BlobStore, safe_filename
from helpdesk.timeutil import utcnow
from helpdesk.users.models import User

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 4


@dataclass
class IntakeResult:
    ticket: Ticket | None
    message: Message | None
    created: bool = False  # a new ticket was opened
    duplicate: bool = False  # this (channel, external id) was already taken in
    tracking_token: str | None = None  # the secret for the status page, only when created
    quarantine: QuarantineItem | None = None
    held: bool = False  # the message waits for an officer (readable after the commit without a query)


def ingest(msg: InboundMessage) -> IntakeResult:
    """Record the message as a new ticket or as a message on its thread; idempotent."""
    msg = storable(msg)  # a NUL in a subject or a body must not cost the message (PostgreSQL refuses it)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            result = _ingest_once(msg)
            db.session.commit()
            return result
        except (IntegrityError, OperationalError) as exc:
            # Another process took in the same message (or created the same contact or
            # counter) first, or held SQLite's write lock; look again in a fresh transaction.
            db.session.rollback()
            if isinstance(exc, OperationalError) and "locked" not in str(exc):
                raise
            logger.info("intake race on %s/%s, attempt %d", msg.channel, msg.external_id, attempt)
    raise RuntimeError(f"could not take in {msg.channel}/{msg.external_id} after {MAX_ATTEMPTS} tries")


def quarantine(channel: str, external_id: str | None, raw: bytes, reason: str,
               received_at: datetime | None = None) -> QuarantineItem:
    """Keep what could not be parsed, raw, with the reason; idempotent on the source key.

    ``received_at`` is when the office received it (an IMAP arrival time), else now: a report an
    officer takes in from here later keeps that time, and so its clock.
    """
    key = storable(external_id or "sha256:" + hashlib.sha256(raw).hexdigest())
    reason = storable(reason)
    for _ in range(MAX_ATTEMPTS):
        existing = db.session.scalar(select(QuarantineItem).filter_by(channel=channel, external_id=key))
        if existing is not None:
            return existing
        item = QuarantineItem(channel=channel, external_id=key, raw=raw, reason=reason,
                              received_at=received_at or utcnow())
        db.session.add(item)
        try:
            db.session.commit()
            logger.warning("quarantined %s/%s: %s", channel, key, reason)
            return item
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not store the quarantine record")


def _ingest_once(msg: InboundMessage) -> IntakeResult:
    external_id = msg.external_id
    existing = _message_by_key(msg.channel, external_id)
    if existing is not None:
        if _same(existing, msg):
            return IntakeResult(existing.ticket, existing, duplicate=True)
        # Senders reuse ids (e.g. a Message-ID) for different content: keep both.
        external_id = f"{external_id}#{msg.content_hash[:16]}"
        existing = _message_by_key(msg.channel, external_id)
        if existing is not None:
            return IntakeResult(existing.ticket, existing, duplicate=True)

    ticket = _thread_target(msg)
    if ticket is None and msg.automated:
        return IntakeResult(None, None, quarantine=_quarantine_automated(msg, external_id))

    token = None
    created = ticket is None
    if created:
        ticket, token = _open_ticket(msg)
    message = _add_message(ticket, msg, external_id, reporter_reply=not created)
    if created:
        ticket_created.send(ticket, inbound=msg, tracking_token=token)
    elif message.direction == "inbound" and not message.held and not msg.automated:
        reporter_replied.send(ticket, message=message)
    return IntakeResult(ticket, message, created=created, tracking_token=token, held=message.held)


def _message_by_key(channel: str, external_id: str) -> Message | None:
    return db.session.scalar(select(Message).filter_by(channel=channel, external_id=external_id))


def _same(existing: Message, msg: InboundMessage) -> bool:
    """Whether ``msg`` is the message already taken in under its key (senders reuse ids for other mail).

    The same content counts, as the same bytes do: rows stored before content hashes hold the hash
    of the bytes.
    """
    if not msg.raw_sha256 or existing.raw_sha256 in (msg.content_hash, msg.raw_sha256):
        return True
    if existing.raw_sha256 is None:  # no original kept: a copy of what we sent has its words
        return existing.direction != "outbound" or existing.text.strip() == msg.text.strip()
    return False


def _quarantine_automated(msg: InboundMessage, external_id: str) -> QuarantineItem:
    """Automatic mail that belongs to no ticket: kept with the reason, once per source key."""
    raw = msg.raw or msg.text.encode()
    key = external_id
    for _ in range(2):  # the key, then the key of a reused id with other content
        existing = db.session.scalar(select(QuarantineItem).filter_by(channel=msg.channel, external_id=key))
        if existing is None:
            break
        if existing.raw == raw:
            return existing
        key = f"{external_id}#{hashlib.sha256(raw).hexdigest()[:16]}"
    item = QuarantineItem(channel=msg.channel, external_id=key, raw=raw, received_at=msg.received_at,
                          reason=f"automatic message ({msg.auto_reason or 'auto-reply, bounce or list mail'}) "
                                 "that belongs to no ticket; no complaint opened")
    db.session.add(item)
    db.session.flush()
    return item


def _thread_target(msg: InboundMessage) -> Ticket | None:
    """The ticket a reply belongs to: by message ids, then the ticket number, then the chat."""
    ticket = None
    if msg.thread.in_reply_to:
        ticket = db.session.scalar(
            select(Ticket).join(Message, Message.ticket_id == Ticket.id)
            .where(Message.channel == msg.channel, Message.external_id.in_(msg.thread.in_reply_to))
            .order_by(Message.id.desc()).limit(1))
    if ticket is None and msg.thread.ticket_number:
        ticket = db.session.scalar(select(Ticket).filter_by(number=msg.thread.ticket_number.upper()))
    if ticket is None and msg.thread.conversation:
        ticket = db.session.scalar(
            select(Ticket).join(Contact, Contact.reporter_id == Ticket.reporter_id)
            .where(Contact.kind == msg.channel, Contact.value == msg.thread.conversation,
                   Ticket.channel == msg.channel,
                   Ticket.status.notin_([Status.CLOSED, Status.MERGED, Status.REJECTED]))
            .order_by(Ticket.id.desc()).limit(1))
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.id not in seen:
        seen.add(ticket.id)
        ticket = db.session.get(Ticket, ticket.merged_into_id)
    return ticket


def _open_ticket(msg: InboundMessage) -> tuple[Ticket, str]:
    cfg = current_app.config
    cal = office_calendar()
    contacts = normalise_contacts(msg.sender)
    reporter = _find_or_create_reporter(msg.sender.name, contacts)
    verdict = admissibility.assess(
        name=msg.sender.name, contacts=[v for _, v in contacts],
        text="\n".join(p for p in (msg.subject, msg.text) if p),
        service_received_on=msg.service_received_on,
        filed_on=msg.received_at.astimezone(cal.tz).date())
    service = (db.session.scalar(select(Service).filter_by(slug=msg.service_slug))
               if msg.service_slug else None)
    token = secrets.token_urlsafe(18)
    ticket = Ticket(
        number=_next_number(msg.received_at.astimezone(cal.tz).year, cfg["TICKET_PREFIX"]),
        kind=verdict.kind.value, kind_code=verdict.code, kind_reason=verdict.reason,
        status=Status.RECEIVED.value, channel=msg.channel, subject=_one_line(msg.subject or msg.text[:120])[:300],
        reporter=reporter, confidential=msg.confidential, received_at=msg.received_at,
        service_received_on=msg.service_received_on, service_id=service.id if service else None,
        unit_id=service.unit_id if service else None, expected_outcome=msg.expected_outcome,
        tracking_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        pauses=[], messages=[])  # known empty: no select asks for them later in this transaction
    db.session.add(ticket)
    operations.set_deadline(ticket, cal, new=True)  # before the first flush: one INSERT, no UPDATE after it
    operations.record(ticket, "created", None, Status.RECEIVED.value, actor=msg.channel, public=True,
                      note=f"diterima melalui {msg.channel}")
    operations.record(ticket, "kind", None, verdict.kind.value, actor="system", public=True,
                      note=verdict.reason)
    if ticket.due_at:
        operations.record(ticket, "due", None, ticket.due_at.isoformat(), actor="system", public=True)
    return ticket, token


def _one_line(text: str) -> str:
    """A subject as lists and mail headers show it: one line, single spaces."""
    return " ".join(text.split())


def _find_or_create_reporter(name: str | None, contacts: list[tuple[str, str]]) -> Reporter | None:
    if not contacts and not name:
        return None
    known = []
    if contacts:
        known = db.session.scalars(select(Contact).where(
            db.or_(*[db.and_(Contact.kind == k, Contact.value == v) for k, v in contacts]))).all()
    reporter = known[0].reporter if known else Reporter(name=name)
    if reporter.id is None:
        db.session.add(reporter)
    elif name and not reporter.name:
        reporter.name = name
    have = {(c.kind, c.value) for c in known}
    for kind, value in contacts:
        if (kind, value) not in have:
            db.session.add(Contact(reporter=reporter, kind=kind, value=value))
    db.session.flush()
    return reporter


def _next_number(year: int, prefix: str) -> str:
    """Allocate the next public number of the year; the counter row serialises writers."""
    last = db.session.execute(update(TicketCounter).where(TicketCounter.year == year)
                              .values(last=TicketCounter.last + 1).returning(TicketCounter.last)).scalar()
    if last is None:
        db.session.execute(insert(TicketCounter).values(year=year, last=1))
        last = 1
    return f"{prefix}-{year}-{last:06d}"


def _add_message(ticket: Ticket, msg: InboundMessage, external_id: str, *, reporter_reply: bool) -> Message:
    author = _author(msg)
    staff = held = None
    if reporter_reply and not msg.automated and not _from_reporter(ticket, author):
        staff = _staff_member(author)
        held = staff is None
    message = Message(
        ticket=ticket, direction="note" if staff else "inbound", channel=msg.channel, external_id=external_id,
        author_user_id=staff.id if staff else None, sender=author[0][1] if author else None,
        subject=msg.subject[:300], text=msg.text, html=msg.html, raw=msg.raw or None,
        raw_sha256=msg.content_hash, held=bool(held), public=not (held or staff or msg.automated),
        received_at=msg.received_at)
    db.session.add(message)
    db.session.flush()
    _store_attachments(message, msg)
    if staff is not None:  # a colleague's mail on the thread: their input, never the reporter's words
        operations.record(ticket, "note", user=staff, note=message.sender or "", at=msg.received_at)
    elif reporter_reply:
        note = message.sender or ""
        if msg.delivery_failure is not None:
            action, note = "delivery_failure", msg.delivery_failure
            mark_bounced(ticket, msg.returned_ids, msg.delivery_failure)
        elif msg.automated:
            action, note = "auto_reply", f"{note}: {msg.auto_reason}"
        else:
            action = "held_message" if held else "reply"
        operations.record(ticket, action, actor=msg.channel, note=note, public=action == "reply",
                          at=msg.received_at)
    return message


def _author(msg: InboundMessage) -> list[tuple[str, str]]:
    """Who wrote the message, as contacts: for e-mail the From address, never the free Reply-To."""
    if msg.from_address:
        email = normalise_email(msg.from_address)
        return [("email", email)] if email else []
    return normalise_contacts(msg.sender)


def _from_reporter(ticket: Ticket, author: list[tuple[str, str]]) -> bool:
    """Whether the writer is the ticket's reporter: only then a reply joins as the reporter's words."""
    if ticket.reporter is None:
        return False
    return bool({(c.kind, c.value) for c in ticket.reporter.contacts} & set(author))


def _staff_member(author: list[tuple[str, str]]) -> User | None:
    """The active staff account with the writer's e-mail address, if any."""
    emails = [v for k, v in author if k == "email"]
    if not emails:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email).in_(emails), User.active.is_(True))
                             .order_by(User.id).limit(1))


def _store_attachments(message: Message, msg: InboundMessage) -> None:
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    store = BlobStore(current_app.config["ATTACHMENT_DIR"])
    for att in msg.attachments:
        name = safe_filename(att.filename)
        if att.size > limit:
            db.session.add(Attachment(message_id=message.id, filename=name, content_type=att.content_type[:120],
                                      size=att.size, sha256=None, stored=False,
                                      note=f"tidak disimpan: {att.size} bita melebihi batas {limit} bita"))
            continue
        digest = store.put(att.data)
        db.session.add(Attachment(message_id=message.id, filename=name, content_type=att.content_type[:120],
                                  size=att.size, sha256=digest))
    db.session.flush()
