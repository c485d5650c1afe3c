"""Linking a staff member's Telegram chat for notifications, proven by a code sent to that chat.

The admin may set a chat id directly. A staff member links their own: the helpdesk bot sends
a one-time code to the chat id they give, and the link holds only once they type it back
(so a mistyped id never receives someone's notifications). The pending link lives in the
signed session with an HMAC of the code under the app's secret, never the code itself.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from helpdesk.outbox.service import enqueue

CHAT_ID = re.compile(r"-?\d{1,20}")  # Telegram chat ids are integers (groups are negative)
CODE_TTL = timedelta(minutes=15)
MAX_TRIES = 5


def valid_chat_id(value: str) -> bool:
    return bool(CHAT_ID.fullmatch(value))


def configured() -> bool:
    return bool(current_app.config.get("TELEGRAM_BOT_TOKEN"))


def _mac(user_id: int, chat_id: str, code: str, expires: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{user_id}:{chat_id}:{code.strip().lower()}:{expires}".encode(), hashlib.sha256).hexdigest()


def start(user, chat_id: str, now: datetime) -> dict:
    """Queue the code to ``chat_id``; returns the pending link for the session (flushed, not committed)."""
    code = secrets.token_hex(4)
    expires = int((now + CODE_TTL).timestamp())
    enqueue(channel="telegram", recipient=chat_id, kind="notification",
            text=_("Kode untuk menautkan akun helpdesk %(email)s ke obrolan ini: %(code)s (berlaku 15 menit).",
                   email=user.email, code=code))
    return {"chat": chat_id, "exp": expires, "mac": _mac(user.id, chat_id, code, expires), "tries": 0}


def confirm(user, pending: dict | None, code: str, now: datetime) -> str | None:
    """The chat id when ``code`` is the one sent, else None (the caller counts the try)."""
    if not pending or now.timestamp() > pending.get("exp", 0) or pending.get("tries", 0) >= MAX_TRIES:
        return None
    expected = _mac(user.id, pending["chat"], code, pending["exp"])
    return pending["chat"] if hmac.compare_digest(expected, pending.get("mac", "")) else None
