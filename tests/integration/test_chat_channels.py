"""Chat channels without credentials are off and say so; with them they are on."""
from __future__ import annotations

from helpdesk.channels_state import ChannelState
from helpdesk.extensions import db
from tests.conftest import make_test_app


def test_channel_status_follows_the_credentials(app, database_url, tmp_path):
    make_test_app(database_url, tmp_path, TELEGRAM_BOT_TOKEN="", WHATSAPP_TOKEN="")
    tg, wa = db.session.get(ChannelState, "telegram"), db.session.get(ChannelState, "whatsapp")
    assert not tg.enabled and "no bot token configured" in tg.detail
    assert not wa.enabled and "no access token" in wa.detail
    make_test_app(database_url, tmp_path, TELEGRAM_BOT_TOKEN="1:abc", TELEGRAM_MODE="webhook",
                  WHATSAPP_TOKEN="t", WHATSAPP_PHONE_NUMBER_ID="1")
    db.session.expire_all()
    tg = db.session.get(ChannelState, "telegram")
    assert tg.enabled and tg.detail == "mode webhook"
    assert db.session.get(ChannelState, "whatsapp").enabled


def test_webhooks_are_public_and_off_without_credentials(app):
    for name in ("chat_webhooks.telegram", "chat_webhooks.whatsapp", "chat_webhooks.whatsapp_verify"):
        assert getattr(app.view_functions[name], "public", False)
    client = app.test_client()
    assert client.post("/webhooks/telegram", json={"update_id": 1}).status_code == 404
    assert client.post("/webhooks/whatsapp", json={}).status_code == 404
