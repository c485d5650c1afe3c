"""Chat channels (Telegram, WhatsApp): the guided complaint conversation and its webhooks."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the webhooks and the senders, and tell the admin which chat channels are on."""
    from helpdesk.chat import jobs, telegram, webhooks, whatsapp  # noqa: F401  (registers jobs and senders)
    from helpdesk.channels_state import announce

    app.register_blueprint(webhooks.bp)
    cfg = app.config
    states = {
        "telegram": (telegram.configured(cfg), f"mode {cfg['TELEGRAM_MODE']}" if telegram.configured(cfg)
                     else "no bot token configured (HELPDESK_TELEGRAM_BOT_TOKEN)"),
        "whatsapp": (whatsapp.configured(cfg), "Cloud API webhook" if whatsapp.configured(cfg)
                     else "no access token / phone number id configured (HELPDESK_WHATSAPP_TOKEN)"),
    }
    announce(app, states)
