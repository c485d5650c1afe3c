"""WhatsApp Cloud API webhook payloads to channel-neutral chat input; signature check."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone

from channels.base import ParseError
from channels.chat import ChatEvent, ChatInbound

# Plain words a WhatsApp user types instead of Telegram's slash commands.
COMMANDS = {"mulai", "start", "help", "bantuan", "lapor", "report", "batal", "cancel", "status",
            "bahasa", "language"}


def signature_ok(app_secret: str, body: bytes, header: str | None) -> bool:
    """X-Hub-Signature-256 is 'sha256=' + HMAC-SHA256 of the raw body with the app secret."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest().encode()
    given = header[len("sha256="):].strip().lower().encode()  # bytes: a non-ASCII header is just wrong
    return hmac.compare_digest(expected, given)


def parse(payload: dict) -> list[ChatInbound]:
    """Every message of a webhook call; delivery statuses carry none. Raises ParseError."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise ParseError("not a WhatsApp webhook payload (no entry list)")
    out = []
    try:
        for entry in payload["entry"]:
            for change in entry.get("changes", []):
                value = change.get("value") or {}
                names = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts", [])}
                for msg in value.get("messages", []):
                    out.append(_inbound(msg, names))
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError) as exc:  # e.g. a timestamp in year 10^12
        raise ParseError(f"malformed WhatsApp message: {type(exc).__name__}: {exc}") from exc
    return out


def _inbound(msg: dict, names: dict) -> ChatInbound:
    sender = str(msg["from"])
    raw = json.dumps(msg, ensure_ascii=False, sort_keys=True).encode()
    when = datetime.fromtimestamp(int(msg.get("timestamp") or 0), timezone.utc) if msg.get("timestamp") \
        else datetime.now(timezone.utc)
    return ChatInbound(channel="whatsapp", key=str(msg["id"]), chat_id=sender, event=_event(msg, sender),
                       received_at=when, raw=raw, name=names.get(sender))


def _event(msg: dict, sender: str) -> ChatEvent:
    kind = msg.get("type")
    if kind == "text":
        body = (msg.get("text") or {}).get("body", "").strip()
        word, _, arg = body.lstrip("/").partition(" ")
        if body.startswith("/") or (word.lower() in COMMANDS and (not arg or word.lower() == "status")):
            return ChatEvent("command", text=word.lower(), arg=arg.strip())
        return ChatEvent("text", text=body)
    if kind == "interactive":
        inter = msg["interactive"]
        reply = inter.get("button_reply") or inter.get("list_reply") or {}
        if reply.get("id") == "contact":  # "use this number": the sender's own WhatsApp number
            return ChatEvent("contact", text="+" + sender.lstrip("+"))
        return ChatEvent("choice", text=str(reply.get("id", "")))
    if kind == "button":  # a quick-reply button of a template message
        return ChatEvent("text", text=(msg.get("button") or {}).get("text", ""))
    if kind in ("image", "document"):
        media = msg[kind]
        ext = (media.get("mime_type") or "").split("/")[-1].split(";")[0] or "bin"
        return ChatEvent("file", text=media.get("caption", ""), file={
            "ref": media["id"], "name": media.get("filename") or f"{kind}-{media['id'][-8:]}.{ext}",
            "type": media.get("mime_type") or "application/octet-stream", "size": media.get("file_size") or 0})
    return ChatEvent("unsupported")  # stickers, locations, audio, video, contacts, reactions …
