"""Telegram for the helpdesk: take updates in (poll or webhook), answer, deliver officer replies.

python-telegram-bot (~13 MB resident) is imported on first use, so a process with Telegram
off never loads it.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import func, select

from channels.base import DeliveryError, OutboundMessage, sender
from channels.chat import ChatReply
from helpdesk.channels_state import record_poll
from helpdesk.chat.models import ChatUpdate
from helpdesk.chat.service import deliver_replies, process
from helpdesk.extensions import db
from helpdesk.intake.service import quarantine
from helpdesk.jobs import periodic

if TYPE_CHECKING:
    from telegram import Update

    from channels.telegram.runtime import TelegramRuntime

logger = logging.getLogger(__name__)
POLL_TIMEOUT = 2  # seconds getUpdates waits for news; short, the scheduler calls again
POLL_LIMIT = 50


def configured(config) -> bool:
    return bool(config.get("TELEGRAM_BOT_TOKEN"))


def runtime(config=None) -> TelegramRuntime:
    """The loop thread owning this app's Bot, started on first use."""
    from channels.telegram import runtime as tg_runtime

    config = config or current_app.config
    if not configured(config):
        raise DeliveryError("telegram: no bot token configured", permanent=True)
    return tg_runtime.get(config["TELEGRAM_BOT_TOKEN"], config["TELEGRAM_API_BASE"])


def handle_update(update: Update) -> str:
    """Take one update in (exactly once), then send its answers; returns what was done."""
    from telegram import error as tg_error

    from channels.telegram import adapter

    rt = runtime()
    try:
        inbound = adapter.to_inbound(update)
    except Exception as exc:  # a payload we cannot read is kept, not lost
        quarantine("telegram", f"update:{update.update_id}", repr(update.to_dict()).encode(),
                   f"unreadable Telegram update: {type(exc).__name__}: {exc}")
        db.session.add(ChatUpdate(channel="telegram", external_id=str(update.update_id),
                                  seq=update.update_id, outcome="quarantined", replies_sent=True))
        db.session.commit()
        return "quarantined"
    process(inbound, lambda ref: rt.submit(adapter.download(rt.bot, ref)))
    deliver_replies("telegram", _send_replies, key=inbound.key)  # a failure propagates: poll retries
    callback = inbound.extra.get("callback_id")
    if callback:
        try:  # only stops the button's spinner; failing it loses nothing
            rt.submit(rt.bot.answer_callback_query(callback))
        except tg_error.TelegramError as exc:
            logger.info("answerCallbackQuery failed: %s", exc)
    return "ok"


def send_pending() -> str:
    """Send answers a failed send left behind (webhook mode has no polling round to do it)."""
    from telegram import error as tg_error

    try:
        deliver_replies("telegram", _send_replies)
        return "ok"
    except (tg_error.TelegramError, TimeoutError) as exc:
        logger.warning("telegram answers left pending: %s", exc)
        return "replies pending"


def _send_replies(chat_id: str, replies) -> None:
    from telegram import error as tg_error

    from channels.telegram import adapter

    rt = runtime()
    try:
        rt.submit(adapter.send_replies(rt.bot, chat_id, replies))
    except (tg_error.Forbidden, tg_error.BadRequest) as exc:  # blocked, chat gone: this chat only
        raise DeliveryError(f"telegram refused: {exc}", permanent=True) from exc


def next_offset() -> int | None:
    """One past the last update committed: getUpdates with it confirms everything before."""
    last = db.session.scalar(select(func.max(ChatUpdate.seq)).where(ChatUpdate.channel == "telegram"))
    return last + 1 if last is not None else None


@periodic("poll-telegram", seconds=10, description="fetch Telegram updates (TELEGRAM_MODE=polling)")
def poll_telegram() -> dict:
    """One getUpdates round: process each update, commit, and confirm the offset only after."""
    config = current_app.config
    if not configured(config) or config["TELEGRAM_MODE"] != "polling":
        return {"skipped": "telegram polling is off"}
    from telegram import Update

    counts = {"updates": 0}
    try:
        rt = runtime()
        deliver_replies("telegram", _send_replies)  # answers a failed send left behind
        updates = rt.submit(rt.bot.get_updates(offset=next_offset(), timeout=POLL_TIMEOUT, limit=POLL_LIMIT,
                                               allowed_updates=Update.ALL_TYPES), timeout=POLL_TIMEOUT + 60)
        for update in updates:
            handle_update(update)
            counts["updates"] += 1
    except Exception as exc:  # recorded for the admin; the next round starts from the last commit
        db.session.rollback()
        logger.exception("telegram poll failed")
        record_poll("telegram", f"{type(exc).__name__}: {exc}")
        return {**counts, "error": str(exc)}
    record_poll("telegram")
    return counts


@sender("telegram")
def send(message: OutboundMessage, config) -> str:
    """Deliver an officer reply, the final answer or a staff notification to a chat."""
    from telegram import error as tg_error

    from channels.telegram import adapter

    rt = runtime(config)
    text = message.text if not message.ticket_number or message.ticket_number in message.text \
        else f"[{message.ticket_number}]\n{message.text}"
    try:
        ids = rt.submit(adapter.send_replies(rt.bot, message.recipient, [ChatReply(text, message.buttons)]))
    except (tg_error.Forbidden, tg_error.BadRequest, tg_error.InvalidToken) as exc:
        raise DeliveryError(f"telegram refused: {exc}", permanent=True) from exc
    except (tg_error.TelegramError, TimeoutError) as exc:
        raise DeliveryError(f"telegram: {exc}") from exc
    return str(ids[-1])
