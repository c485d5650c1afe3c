"""Webhooks of the chat platforms: check who is calling, hand the update on, answer 200 after commit."""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, current_app, jsonify, request

from channels.base import ParseError
from channels.whatsapp import adapter as wa_adapter
from helpdesk.auth import public_route
from helpdesk.chat import telegram as tg
from helpdesk.chat import whatsapp as wa
from helpdesk.extensions import csrf
from helpdesk.intake.service import quarantine

logger = logging.getLogger(__name__)
bp = Blueprint("chat_webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)


def _refuse(status: int, reason: str):
    logger.warning("webhook %s refused (%d): %s", request.path, status, reason)
    return jsonify(error=reason), status


@bp.post("/telegram")
@public_route
def telegram():
    cfg = current_app.config
    if not tg.configured(cfg) or cfg["TELEGRAM_MODE"] != "webhook":
        return _refuse(404, "telegram webhook is not enabled")
    secret = cfg.get("TELEGRAM_WEBHOOK_SECRET") or ""
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(secret.encode(), given.encode()):
        return _refuse(403, "wrong or missing secret token")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
        quarantine("telegram", None, request.get_data()[:1_000_000], "malformed Telegram webhook body")
        return _refuse(400, "malformed update")
    from telegram import Update  # python-telegram-bot loads only where Telegram is on
    from telegram.error import TelegramError

    try:
        update = Update.de_json(payload, tg.runtime().bot)
    except (KeyError, TypeError, ValueError) as exc:  # JSON, but not an Update
        quarantine("telegram", f"update:{payload['update_id']}", request.get_data()[:1_000_000],
                   f"unreadable Telegram update: {type(exc).__name__}: {exc}")
        return _refuse(400, "malformed update")
    try:
        result = tg.handle_update(update)
    except (TelegramError, TimeoutError) as exc:  # committed; the answers wait for the next call
        logger.warning("telegram answers left pending: %s", exc)
        result = "replies pending"
    else:
        tg.send_pending()
    return jsonify(result=result)


@bp.get("/whatsapp")
@public_route
def whatsapp_verify():
    cfg = current_app.config
    token = cfg.get("WHATSAPP_VERIFY_TOKEN") or ""
    if (request.args.get("hub.mode") == "subscribe" and token
            and hmac.compare_digest(token.encode(), request.args.get("hub.verify_token", "").encode())):
        return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}
    return _refuse(403, "verification failed")


@bp.post("/whatsapp")
@public_route
def whatsapp():
    cfg = current_app.config
    if not wa.configured(cfg):
        return _refuse(404, "whatsapp is not enabled")
    body = request.get_data()
    if not wa_adapter.signature_ok(cfg.get("WHATSAPP_APP_SECRET") or "", body,
                                   request.headers.get("X-Hub-Signature-256")):
        return _refuse(403, "wrong or missing X-Hub-Signature-256")
    try:
        messages = wa_adapter.parse(request.get_json(force=True, silent=True))
    except ParseError as exc:
        quarantine("whatsapp", None, body[:1_000_000], str(exc))
        return _refuse(400, str(exc))
    results = [wa.handle(inbound) for inbound in messages]
    return jsonify(result="replies pending" if "replies pending" in results else "ok", messages=len(messages))
