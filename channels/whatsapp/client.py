"""Graph API calls of the WhatsApp Cloud API: messages (text, interactive, template) and media."""
from __future__ import annotations

import httpx

from channels.base import DeliveryError
from channels.chat import ChatReply

BODY_LIMIT = 1024  # interactive body
TEXT_LIMIT = 4096


class WhatsAppClient:
    def __init__(self, token: str, phone_number_id: str, api_base: str, timeout: float = 20):
        self.base = api_base.rstrip("/")
        self.phone_number_id = phone_number_id
        self.http = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _post(self, payload: dict) -> str:
        try:
            resp = self.http.post(f"{self.base}/{self.phone_number_id}/messages",
                                  json={"messaging_product": "whatsapp", "recipient_type": "individual", **payload})
        except httpx.HTTPError as exc:
            raise DeliveryError(f"whatsapp: {type(exc).__name__}: {exc}") from exc
        if resp.status_code >= 400:
            permanent = resp.status_code < 500 and resp.status_code != 429
            raise DeliveryError(f"whatsapp {resp.status_code}: {resp.text[:500]}", permanent=permanent)
        return resp.json()["messages"][0]["id"]

    def send_text(self, to: str, text: str) -> str:
        return self._post({"to": to, "type": "text", "text": {"body": text[:TEXT_LIMIT], "preview_url": False}})

    def send_template(self, to: str, name: str, lang: str, params: list[str] = ()) -> str:
        template = {"name": name, "language": {"code": lang}}
        if params:
            template["components"] = [{"type": "body",
                                       "parameters": [{"type": "text", "text": p} for p in params]}]
        return self._post({"to": to, "type": "template", "template": template})

    def send_reply(self, to: str, reply: ChatReply) -> str:
        """Up to three choices as reply buttons, more as a list (at most ten rows)."""
        if not reply.buttons:
            return self.send_text(to, reply.text)
        body = reply.text
        if len(body) > BODY_LIMIT:
            self.send_text(to, body)
            body = "⬆️"
        if len(reply.buttons) <= 3:
            action = {"buttons": [{"type": "reply", "reply": {"id": v[:256], "title": label[:20]}}
                                  for v, label in reply.buttons]}
            kind = "button"
        else:
            action = {"button": "Pilih", "sections": [{"title": "Pilihan", "rows": [
                {"id": v[:200], "title": label[:24], "description": label[24:96]}
                for v, label in reply.buttons[:10]]}]}
            kind = "list"
        return self._post({"to": to, "type": "interactive",
                           "interactive": {"type": kind, "body": {"text": body}, "action": action}})

    def media_info(self, media_id: str) -> dict:
        """The media's metadata: a short-lived url, mime_type, sha256, file_size."""
        meta = self.http.get(f"{self.base}/{media_id}")
        meta.raise_for_status()
        return meta.json()

    def download(self, media_id: str, max_bytes: int) -> tuple[bytes, str]:
        """Look the media up (its URL is short-lived), then fetch it with the token."""
        info = self.media_info(media_id)
        if int(info.get("file_size") or 0) > max_bytes:
            raise ValueError(f"file of {info['file_size']} bytes exceeds the limit of {max_bytes}")
        data = self.http.get(info["url"])
        data.raise_for_status()
        return data.content, info.get("mime_type") or "application/octet-stream"
