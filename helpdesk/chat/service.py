"""One chat update in, exactly once: conversation step, intake, answers kept until sent.

Every update is recorded in ``chat_updates`` in the same transaction as the conversation
step; a replayed update (Telegram re-delivering after a crash, a webhook retried) is
recognised and only its unsent answers go out again. Tickets and messages are keyed on the
platform's id through the intake, so a crash between the intake's commit and ours is harmless.
"""
from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from channels.base import DeliveryError, InboundAttachment, InboundMessage, Sender, ThreadHints
from channels.chat import ChatInbound, ChatReply
from helpdesk.catalog.models import Service
from helpdesk.chat import conversation
from helpdesk.chat.models import ChatSession, ChatUpdate
from helpdesk.chat.status import status_reply
from helpdesk.chat.texts import t
from helpdesk.extensions import db
from helpdesk.intake.contacts import normalise_phone
from helpdesk.intake.service import ingest
from helpdesk.office_calendar import office_calendar
from helpdesk.rules import admissibility
from helpdesk.rules.lifecycle import Status
from helpdesk.survey import chat as survey_chat
from helpdesk.tickets.models import Contact, Ticket
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
FileFetcher = Callable[[str], bytes]
RATE_WINDOW = timedelta(minutes=1)


def process(inbound: ChatInbound, fetch_file: FileFetcher) -> list[ChatReply]:
    """Apply one update and record it with its answers (send them with :func:`deliver_replies`).

    Returns the answers recorded now; a replayed update changes nothing and returns [].
    """
    if _recorded(inbound) is not None:
        return []
    if inbound.event is None or inbound.chat_id is None:
        logger.warning("%s update %s ignored: %s", inbound.channel, inbound.key, inbound.note)
        return _finish(inbound, [], inbound.note or "no chat")
    now = utcnow()
    session = _session(inbound)  # on PostgreSQL this waits for another worker on the same chat
    if _recorded(inbound) is not None:  # … which may have just taken this very update in
        db.session.rollback()
        return []
    session.last_inbound_at = now
    if _over_limit(session, now):
        logger.warning("%s chat %s rate-limited; update %s refused", inbound.channel, inbound.chat_id, inbound.key)
        first = session.rate_count == current_app.config["CHAT_RATE_LIMIT"] + 1
        return _finish(inbound, [ChatReply(t(session.lang, "too_fast"))] if first else [], "rate_limited")
    tz = office_calendar().tz
    out = conversation.step(
        session.state, json.loads(session.data or "{}"), session.lang, inbound.event,
        services=_services(), today=inbound.received_at.astimezone(tz).date(),
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"], office=current_app.config["OFFICE_NAME"])
    replies = list(out.replies)
    if out.action == "submit":
        replies.append(_submit(inbound, out.data, out.lang, fetch_file))
        out.state, out.data = conversation.IDLE, {}
    elif out.action == "status":
        replies.append(status_reply(inbound.channel, _contact_value(inbound), out.arg, out.lang))
    elif out.action == "free":
        replies.append(_free(inbound, out.lang, fetch_file))
    elif out.action == "survey_start":
        replies.extend(survey_chat.start(out, inbound.channel, _contact_value(inbound)))
    elif out.action == "survey_submit":
        replies.append(survey_chat.finish(out, inbound.channel, _contact_value(inbound)))
        out.state, out.data = conversation.IDLE, {}
    # The intake may have committed (and rolled back on a race): load the session afresh.
    session = _session(inbound)
    session.state, session.data, session.lang = out.state, json.dumps(out.data, ensure_ascii=False), out.lang
    return _finish(inbound, replies, out.action or out.state)


def deliver_replies(channel: str, send: Callable[[str, list[ChatReply]], None], *, key: str | None = None,
                    limit: int = 20) -> int:
    """Send recorded answers not yet sent (of one update, or all pending); each is claimed first.

    The claim is a conditional UPDATE, so two workers never send the same answers; a failed
    send gives the claim back and the next round tries again. A permanent refusal (the reporter
    blocked the bot, the number is not on WhatsApp) keeps the claim and notes it on the row: it
    would fail forever, and being first in line it would hold up every other chat's answers.
    """
    query = select(ChatUpdate.id).where(ChatUpdate.channel == channel, ChatUpdate.replies_sent.is_(False))
    if key is not None:
        query = query.where(ChatUpdate.external_id == key)
    sent = 0
    for row_id in db.session.scalars(query.order_by(ChatUpdate.id).limit(limit)).all():
        claimed = db.session.execute(update(ChatUpdate).where(ChatUpdate.id == row_id,
                                                              ChatUpdate.replies_sent.is_(False))
                                     .values(replies_sent=True)).rowcount
        db.session.commit()
        if not claimed:
            continue
        row = db.session.get(ChatUpdate, row_id)
        try:
            send(row.chat_id, [ChatReply.from_dict(r) for r in json.loads(row.replies)])
        except DeliveryError as exc:
            if not exc.permanent:
                _give_back(row_id)
                raise
            logger.warning("%s answers to chat %s given up: %s", channel, row.chat_id, exc)
            row.outcome = f"{row.outcome}; replies not delivered: {exc}"[:200]
            db.session.commit()
            continue
        except Exception:
            _give_back(row_id)
            raise
        sent += 1
    return sent


def _give_back(row_id: int) -> None:
    db.session.execute(update(ChatUpdate).where(ChatUpdate.id == row_id).values(replies_sent=False))
    db.session.commit()


def _recorded(inbound: ChatInbound) -> ChatUpdate | None:
    return db.session.scalar(select(ChatUpdate).filter_by(channel=inbound.channel, external_id=inbound.key))


def _finish(inbound: ChatInbound, replies: list[ChatReply], outcome: str) -> list[ChatReply]:
    db.session.add(ChatUpdate(channel=inbound.channel, external_id=inbound.key, seq=inbound.seq,
                              chat_id=inbound.chat_id, outcome=outcome[:200],
                              replies=json.dumps([r.to_dict() for r in replies], ensure_ascii=False),
                              replies_sent=not replies))
    try:
        db.session.commit()
    except IntegrityError:  # another worker took the same update in first
        db.session.rollback()
        logger.info("%s update %s already taken in by another worker", inbound.channel, inbound.key)
        return []
    return replies


def _session(inbound: ChatInbound) -> ChatSession:
    query = select(ChatSession).filter_by(channel=inbound.channel, chat_id=inbound.chat_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # serialise steps of one chat across workers
    session = db.session.scalar(query)
    if session is None:
        session = ChatSession(channel=inbound.channel, chat_id=inbound.chat_id, state=conversation.IDLE,
                              data="{}", lang="id", rate_count=0)
        db.session.add(session)
    if inbound.name:
        session.name = inbound.name[:200]
    return session


def _over_limit(session: ChatSession, now: datetime) -> bool:
    if session.rate_window_start is None or now - session.rate_window_start >= RATE_WINDOW:
        session.rate_window_start, session.rate_count = now, 0
    session.rate_count = (session.rate_count or 0) + 1
    return session.rate_count > current_app.config["CHAT_RATE_LIMIT"]


def _services() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Service).filter_by(active=True).order_by(Service.name)).all()
    return [(str(s.id), s.name) for s in rows]


def _contact_value(inbound: ChatInbound) -> str:
    """How the reporter's chat is stored as a contact: Telegram chat id, WhatsApp +62… number."""
    return normalise_phone(inbound.chat_id) if inbound.channel == "whatsapp" else inbound.chat_id


def _sender(inbound: ChatInbound, data: dict) -> Sender:
    chat = {inbound.channel: inbound.chat_id}
    return Sender(name=data.get("name") or inbound.name, email=data.get("email"), phone=data.get("phone"),
                  telegram=chat.get("telegram"), whatsapp=chat.get("whatsapp"))


def _attachments(files: list[dict], fetch_file: FileFetcher) -> tuple[list[InboundAttachment], list[str]]:
    """Download the files; one that cannot be fetched becomes a note instead of blocking the report."""
    out, notes = [], []
    for f in files:
        try:
            out.append(InboundAttachment(f["name"], f.get("type") or "application/octet-stream",
                                         fetch_file(f["ref"])))
        except Exception as exc:  # a vanished or refused file must not lose the report
            logger.warning("could not download %s: %s", f.get("name"), exc)
            notes.append(f"[lampiran {f.get('name')} tidak dapat diunduh: {type(exc).__name__}]")
    return out, notes


def _submit(inbound: ChatInbound, data: dict, lang: str, fetch_file: FileFetcher) -> ChatReply:
    service = db.session.get(Service, int(data["service_key"])) if data.get("service_key") else None
    files, notes = _attachments(data.get("files", []), fetch_file)
    when = data.get("service_date")
    raw = json.dumps({"collected": data, "update": inbound.raw.decode("utf-8", "replace")},
                     ensure_ascii=False, sort_keys=True).encode()
    result = ingest(InboundMessage(
        channel=inbound.channel, external_id=inbound.key, sender=_sender(inbound, data),
        received_at=inbound.received_at, text="\n".join([data.get("what", "")] + notes), raw=raw,
        attachments=tuple(files), service_slug=service.slug if service else None,
        service_received_on=date.fromisoformat(when) if when else None,
        expected_outcome=data.get("outcome", "")))
    ticket = result.ticket
    reason = ticket.kind_reason
    if lang == "en" and ticket.kind_code != "officer_override":
        reason = admissibility._verdict(ticket.kind_code).reason_en
    due = ""
    if ticket.due_at:
        due = t(lang, "due", due=ticket.due_at.astimezone(office_calendar().tz).strftime("%d-%m-%Y %H:%M"))
    return ChatReply(t(lang, "submitted", number=ticket.number, kind=t(lang, f"kind_{ticket.kind}"),
                       reason=reason, due=due))


def _free(inbound: ChatInbound, lang: str, fetch_file: FileFetcher) -> ChatReply:
    """A message outside the guided steps joins the reporter's open ticket on this chat."""
    value = _contact_value(inbound)
    open_ticket = db.session.scalar(
        select(Ticket.id).join(Contact, Contact.reporter_id == Ticket.reporter_id)
        .where(Contact.kind == inbound.channel, Contact.value == value, Ticket.channel == inbound.channel,
               Ticket.status.notin_([Status.CLOSED, Status.MERGED, Status.REJECTED])).limit(1))
    if open_ticket is None:
        return ChatReply(t(lang, "no_ticket"))
    event = inbound.event
    files, notes = _attachments([event.file] if event.file else [], fetch_file)
    result = ingest(InboundMessage(
        channel=inbound.channel, external_id=inbound.key, sender=_sender(inbound, {}),
        received_at=inbound.received_at, text="\n".join([event.text] + notes).strip(), raw=inbound.raw,
        attachments=tuple(files), thread=ThreadHints(conversation=value)))
    return ChatReply(t(lang, "joined", number=result.ticket.number))
