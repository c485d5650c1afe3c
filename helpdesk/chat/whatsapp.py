"""WhatsApp for the helpdesk: webhook messages in, answers out, the 24-hour window respected."""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import httpx

from flask import current_app
from sqlalchemy import select

from channels.base import DeliveryError, OutboundMessage, sender
from channels.chat import ChatInbound, ChatReply
from channels.whatsapp.client import WhatsAppClient
from helpdesk.chat.models import ChatSession
from helpdesk.chat.service import deliver_replies, process
from helpdesk.extensions import db
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
WINDOW = timedelta(hours=24)  # the customer-service window after the reporter's last message


def configured(config) -> bool:
    return bool(config.get("WHATSAPP_TOKEN") and config.get("WHATSAPP_PHONE_NUMBER_ID"))


def client(config=None) -> WhatsAppClient:
    config = config or current_app.config
    if not configured(config):
        raise DeliveryError("whatsapp: no token / phone number id configured", permanent=True)
    return WhatsAppClient(config["WHATSAPP_TOKEN"], config["WHATSAPP_PHONE_NUMBER_ID"], config["WHATSAPP_API_BASE"])


def handle(inbound: ChatInbound) -> str:
    """Take one message in (exactly once), then send its answers and any left over.

    A failed send is logged and left pending (the next webhook call or the chat-replies job
    sends it); the message itself is committed either way.
    """
    wa = client()
    try:
        limit = current_app.config["ATTACHMENT_MAX_BYTES"]
        process(_with_size(wa, inbound), lambda ref: wa.download(ref, limit)[0])
        return send_pending(wa)
    finally:
        wa.close()


def _with_size(wa: WhatsAppClient, inbound: ChatInbound) -> ChatInbound:
    """Webhooks do not say how big a file is; ask, so an oversized one is refused at once."""
    event = inbound.event
    if event is None or event.kind != "file" or event.file.get("size"):
        return inbound
    try:
        size = int(wa.media_info(event.file["ref"]).get("file_size") or 0)
    except (httpx.HTTPError, ValueError) as exc:  # the download at submit time will say more
        logger.info("whatsapp media %s: no size (%s)", event.file["ref"], exc)
        return inbound
    return replace(inbound, event=replace(event, file={**event.file, "size": size}))


def send_pending(wa: WhatsAppClient | None = None) -> str:
    """Send the recorded answers not yet sent; returns "ok" or "replies pending"."""
    own = wa is None
    wa = wa or client()

    def send_all(chat_id, replies):
        for reply in replies:
            wa.send_reply(chat_id, reply)
    try:
        deliver_replies("whatsapp", send_all)
        return "ok"
    except DeliveryError as exc:
        logger.warning("whatsapp answers left pending: %s", exc)
        return "replies pending"
    finally:
        if own:
            wa.close()


def in_window(number: str, now=None) -> bool:
    """True while the reporter's last message is less than 24 hours old."""
    session = db.session.scalar(select(ChatSession).filter_by(channel="whatsapp", chat_id=number.lstrip("+")))
    return bool(session and session.last_inbound_at and (now or utcnow()) - session.last_inbound_at < WINDOW)


@sender("whatsapp")
def send(message: OutboundMessage, config) -> str:
    """An officer reply or answer; outside the 24-hour window, the configured template instead."""
    to = message.recipient.lstrip("+")
    wa = client(config)
    try:
        if in_window(to):
            text = message.text if not message.ticket_number or message.ticket_number in message.text \
                else f"[{message.ticket_number}]\n{message.text}"
            return wa.send_reply(to, ChatReply(text, message.buttons))
        if not config.get("WHATSAPP_TEMPLATE_NAME"):
            raise DeliveryError("whatsapp: the reporter's 24-hour window is closed and no template "
                                "message is configured (WHATSAPP_TEMPLATE_NAME)", permanent=True)
        logger.info("whatsapp %s outside the 24-hour window: sending template", to)
        return wa.send_template(to, config["WHATSAPP_TEMPLATE_NAME"], config["WHATSAPP_TEMPLATE_LANG"],
                                [message.ticket_number] if message.ticket_number else [])
    finally:
        wa.close()
