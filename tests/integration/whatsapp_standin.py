"""A stand-in for the WhatsApp Cloud API (Graph API) on loopback, with Meta's documented shapes.

Serves ``POST /<phone-number-id>/messages``, ``GET /<media-id>`` (the media URL lookup) and the
media download; records every message sent. Builders make webhook payloads as Meta sends them.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

from tests.integration.http_standin import Standin

PHONE_ID = "106540352242922"


class WhatsAppStandin(Standin):
    def __init__(self, token: str = "EAAG-test-token"):
        super().__init__()
        self.token = token
        self.messages: list[dict] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self.fail: int = 0  # next calls answering 500
        self.refuse: set[str] = set()  # numbers whose messages answer 400 (not a WhatsApp user …)
        self._ids = itertools.count(1)

    def texts(self, to=None) -> list[str]:
        out = []
        for m in self.messages:
            if to is not None and m["to"] != to:
                continue
            if m["type"] == "text":
                out.append(m["text"]["body"])
            elif m["type"] == "interactive":
                out.append(m["interactive"]["body"]["text"])
            else:
                out.append(f"<template {m['template']['name']}>")
        return out

    def respond(self, method, path, headers, body):
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, "application/json", {"error": {"message": "Invalid OAuth access token.",
                                                       "type": "OAuthException", "code": 190}}
        if self.fail:
            self.fail -= 1
            return 500, "application/json", {"error": {"message": "Service temporarily unavailable",
                                                       "type": "OAuthException", "code": 2}}
        if method == "POST" and path == f"/{PHONE_ID}/messages":
            payload = json.loads(body)
            if payload.get("messaging_product") != "whatsapp" or "to" not in payload:
                return 400, "application/json", {"error": {"message": "Invalid parameter", "code": 100}}
            if payload["to"] in self.refuse:
                return 400, "application/json", {"error": {"message": "Recipient phone number not in allowed list",
                                                           "code": 131030}}
            with self.lock:
                self.messages.append(payload)
                wamid = f"wamid.OUT{next(self._ids)}"
            return 200, "application/json", {"messaging_product": "whatsapp",
                                             "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                                             "messages": [{"id": wamid}]}
        if method == "GET" and path.startswith("/download/"):
            media_id = path.rsplit("/", 1)[1]
            data, mime = self.media[media_id]
            return 200, mime, data
        media_id = path.strip("/")
        if method == "GET" and media_id in self.media:
            data, mime = self.media[media_id]
            return 200, "application/json", {
                "messaging_product": "whatsapp", "url": f"{self.base}/download/{media_id}", "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(), "file_size": len(data), "id": media_id}
        return 404, "application/json", {"error": {"message": "Unsupported get request", "code": 100}}


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


_ids = itertools.count(1)


def webhook(number: str, *messages: dict, name: str = "Budi Santoso") -> dict:
    """A webhook call as Meta sends it, carrying ``messages`` from ``number``."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281100000000", "phone_number_id": PHONE_ID},
            "contacts": [{"profile": {"name": name}, "wa_id": number}],
            "messages": [{"from": number, "timestamp": str(int(time.time())), **m} for m in messages]}}]}]}


def text(body: str, wamid: str | None = None) -> dict:
    return {"id": wamid or f"wamid.IN{next(_ids)}", "type": "text", "text": {"body": body}}


def button(reply_id: str, title: str = "x", wamid: str | None = None) -> dict:
    return {"id": wamid or f"wamid.IN{next(_ids)}", "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}}


def list_reply(reply_id: str, title: str = "x") -> dict:
    return {"id": f"wamid.IN{next(_ids)}", "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": {"id": reply_id, "title": title}}}


def media(kind: str, media_id: str, mime: str, filename: str | None = None) -> dict:
    body = {"id": media_id, "mime_type": mime, "sha256": "x"}
    if filename:
        body["filename"] = filename
    return {"id": f"wamid.IN{next(_ids)}", "type": kind, kind: body}


def statuses(wamid: str) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "6281100000000",
                                                       "phone_number_id": PHONE_ID},
        "statuses": [{"id": wamid, "status": "delivered", "timestamp": "1", "recipient_id": "6281"}]}}]}]}
