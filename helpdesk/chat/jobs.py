"""The periodic sweep that sends chat answers a failed send left pending."""
from __future__ import annotations

from flask import current_app

from helpdesk.chat import telegram, whatsapp
from helpdesk.jobs import periodic


@periodic("chat-replies", seconds=60)
def send_pending_chat_replies() -> dict:
    """Send the bot's answers that could not be sent when their update was taken in."""
    cfg = current_app.config
    return {"telegram": telegram.send_pending() if telegram.configured(cfg) else "off",
            "whatsapp": whatsapp.send_pending() if whatsapp.configured(cfg) else "off"}
