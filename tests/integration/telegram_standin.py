"""A stand-in for the Telegram Bot API on loopback, answering with the documented JSON shapes.

Serves ``/bot<token>/<method>`` (getMe, getUpdates, sendMessage, sendDocument, getFile,
answerCallbackQuery) and ``/file/bot<token>/<path>`` downloads; records every call.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl, unquote

from tests.integration.http_standin import Standin

BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Pengaduan", "username": "pengaduan_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class TelegramStandin(Standin):
    def __init__(self, token: str = "123456:TEST-token"):
        super().__init__()
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []  # queued until confirmed by a higher offset
        self.files: dict[str, bytes] = {}  # file_id -> content
        self.fail: dict[str, int] = {}  # method -> number of calls that answer 500
        self._ids = itertools.count(1)
        self._news = threading.Condition(self.lock)

    # --- what tests use -------------------------------------------------------------------
    def push(self, *updates: dict) -> None:
        with self._news:
            self.updates.extend(updates)
            self._news.notify_all()

    def sent(self, chat_id=None) -> list[dict]:
        """The sendMessage calls (to one chat)."""
        return [p for m, p in self.calls if m == "sendMessage" and (chat_id is None or p["chat_id"] == str(chat_id))]

    def calls_of(self, method: str) -> list[dict]:
        return [p for m, p in self.calls if m == method]

    # --- the API ------------------------------------------------------------------------------
    def respond(self, method, path, headers, body):
        path = unquote(path)  # httpx sends the token's colon as %3A in download URLs
        if path.startswith(f"/file/bot{self.token}/"):
            file_id = path.rsplit("/", 1)[1]
            if file_id not in self.files:
                return 404, "text/plain", b"Not Found"
            return 200, "application/octet-stream", self.files[file_id]
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 404, "application/json", {"ok": False, "error_code": 404, "description": "Not Found"}
        name = path[len(prefix):]
        params = self._params(headers, body)
        with self.lock:
            self.calls.append((name, params))
            if self.fail.get(name):
                self.fail[name] -= 1
                return 500, "application/json", {"ok": False, "error_code": 500,
                                                 "description": "Internal Server Error"}
        handler = getattr(self, "api_" + name, None)
        if handler is None:
            return 404, "application/json", {"ok": False, "error_code": 404, "description": "Not Found: method"}
        result = handler(params)
        if isinstance(result, tuple):  # (status, description): an API error
            return result[0], "application/json", {"ok": False, "error_code": result[0], "description": result[1]}
        return 200, "application/json", {"ok": True, "result": result}

    @staticmethod
    def _params(headers, body) -> dict:
        ctype = headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            return json.loads(body or b"{}")
        if ctype.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
            out = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                out[name] = part.get_content() if part.get_filename() is None else part.get_payload(decode=True)
            return out
        return dict(parse_qsl(body.decode()))

    def api_getMe(self, params):
        return BOT_USER

    def api_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self._news:
            if offset:  # confirms every update below the offset: Telegram forgets them
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._news.wait(deadline - time.monotonic())
            return list(self.updates[:limit])

    def _message(self, params, **extra):
        return {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Pelapor"}, **extra}

    def api_sendMessage(self, params):
        if not params.get("text"):
            return 400, "Bad Request: message text is empty"
        if str(params.get("chat_id")) == "403403":
            return 403, "Forbidden: bot was blocked by the user"
        return self._message(params, text=params["text"])

    def api_sendDocument(self, params):
        doc = params.get("document")
        size = len(doc) if isinstance(doc, (bytes, bytearray)) else 0
        return self._message(params, document={"file_id": f"doc{next(self._ids)}", "file_unique_id": "u",
                                               "file_name": "file", "file_size": size})

    def api_getFile(self, params):
        file_id = params.get("file_id")
        if file_id not in self.files:
            return 400, "Bad Request: invalid file_id"
        return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}"}

    def api_answerCallbackQuery(self, params):
        return True

    def api_setWebhook(self, params):
        return True

    def api_deleteWebhook(self, params):
        return True


# --- update builders (the shapes of the Bot API's Update object) ----------------------------------
_uid = itertools.count(1000)


def _msg(chat_id: int, **fields) -> dict:
    return {"message_id": next(_uid), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Budi"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Budi", "last_name": "Santoso"}, **fields}


def message(update_id: int, chat_id: int, **fields) -> dict:
    return {"update_id": update_id, "message": _msg(chat_id, **fields)}


def text(update_id: int, chat_id: int, body: str) -> dict:
    if body.startswith("/"):
        cmd = body.split(" ")[0]
        return message(update_id, chat_id, text=body,
                       entities=[{"type": "bot_command", "offset": 0, "length": len(cmd)}])
    return message(update_id, chat_id, text=body)


def contact(update_id: int, chat_id: int, phone: str) -> dict:
    return message(update_id, chat_id, contact={"phone_number": phone, "first_name": "Budi", "user_id": chat_id})


def choice(update_id: int, chat_id: int, data: str) -> dict:
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "chat_instance": "ci", "data": data,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Budi"},
        "message": _msg(chat_id, text="(buttons)")}}


def document(update_id: int, chat_id: int, file_id: str, name: str, size: int,
             mime: str = "application/pdf") -> dict:
    return message(update_id, chat_id, document={"file_id": file_id, "file_unique_id": "u" + file_id,
                                                 "file_name": name, "mime_type": mime, "file_size": size})


def photo(update_id: int, chat_id: int, file_id: str, size: int) -> dict:
    return message(update_id, chat_id, photo=[
        {"file_id": file_id + "s", "file_unique_id": "s" + file_id, "width": 90, "height": 90, "file_size": 100},
        {"file_id": file_id, "file_unique_id": "u" + file_id, "width": 800, "height": 600, "file_size": size}])
